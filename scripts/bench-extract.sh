#!/usr/bin/env bash
# Per-stage extraction throughput on one core, next to a plain scan of the
# same text measured in the same run (compare the ratios across runs: the
# machines are shared, so raw MB/s moves with the neighbours' load).
#
#   scripts/bench-extract.sh                 # seeds + GVA (when ../shared is there)
#   scripts/bench-extract.sh --corpus seeds  # any examples/throughput.rs flag
#
# Pinned to one CPU with taskset when it exists, so "one core" is literal.
set -euo pipefail
cd "$(dirname "$0")/.."
cargo build --profile dist --example throughput
pin=()
if command -v taskset >/dev/null 2>&1; then
    pin=(taskset -c "${BENCH_CPU:-0}")
fi
exec "${pin[@]}" ./target/dist/examples/throughput "$@"
