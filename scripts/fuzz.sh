#!/usr/bin/env bash
# Runs every cargo-fuzz target for N seconds each (default 60), one at a
# time, with the limits issue 8 sets: inputs up to 10 KB (-max_len=10240)
# and any input taking over 2 s counted as a hang (-timeout=2; the bar is
# 1 s on a 10 KB input, 2 s leaves room for unoptimised, instrumented code
# on a shared machine). Memory is capped at libFuzzer's default 2 GB.
#
# Usage: scripts/fuzz.sh [SECONDS] [TARGET...]
# Needs cargo-fuzz (`cargo install cargo-fuzz`). It passes nightly-only
# flags to rustc; on a stable toolchain RUSTC_BOOTSTRAP=1 allows them.
set -euo pipefail

cd "$(dirname "$0")/.."
seconds="${1:-60}"
shift || true
targets=("$@")
if [ ${#targets[@]} -eq 0 ]; then
    targets=(ingest_markdown ingest_html ingest_jsonl sentences time quantity check_bundle rules)
fi

export RUSTC_BOOTSTRAP="${RUSTC_BOOTSTRAP:-1}"
status=0
for target in "${targets[@]}"; do
    # The committed seeds start the corpus; libFuzzer writes what it finds
    # to fuzz/corpus/<target> (git-ignored), crashes to fuzz/artifacts.
    mkdir -p "fuzz/corpus/$target"
    echo "== $target: ${seconds}s" >&2
    if ! cargo fuzz run "$target" "fuzz/corpus/$target" "fuzz/seeds/$target" -- \
        -max_total_time="$seconds" -max_len=10240 -timeout=2 -rss_limit_mb=2048 \
        -print_final_stats=1; then
        echo "== $target: FAILED (see fuzz/artifacts/$target)" >&2
        status=1
    fi
done
exit $status
