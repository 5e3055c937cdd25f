#!/usr/bin/env bash
# Archive scale: `crosscheck check` on synthetic archives of 100k and 1M
# articles made from the Gun Violence Archive articles, each copy of the
# archive with new ids (doc_id and incident_id suffixed with the copy
# number, so every copy's stories stay stories of their own).
#
#   scripts/bench-archive.sh                      # 100k and 1M articles
#   scripts/bench-archive.sh --sizes 10000,100000 # or BENCH_SIZES=10000,100000
#   scripts/bench-archive.sh --jobs 1,2           # or BENCH_JOBS (default 1,2)
#   scripts/bench-archive.sh --no-auto            # skip --group-by auto on 100k
#   scripts/bench-archive.sh --binary PATH        # time another build (e.g. a baseline)
#
# Archives are written once under target/bench-archive/ and reused. For
# each size and --jobs value it reports wall time, articles/s, MB/s, MB/s
# per core, CPU time, MB per CPU second (steadier than wall time on a
# shared machine) and peak RSS of `check --group-by incident_id`, then
# `--group-by auto` on 100k when the binary has it, and the per-article
# cost of each larger size against the smallest (goal: within 1.3x, i.e.
# time grows linearly). Timings vary with the machine's load: run it on an
# idle machine and read ratios from one run.
set -euo pipefail
cd "$(dirname "$0")/.."

sizes=${BENCH_SIZES:-100000,1000000}
jobs=${BENCH_JOBS:-1,2}
no_auto=no
binary=
while [ $# -gt 0 ]; do
  case "$1" in
    --sizes) sizes=$2; shift 2 ;;
    --sizes=*) sizes=${1#--sizes=}; shift ;;
    --jobs) jobs=$2; shift 2 ;;
    --jobs=*) jobs=${1#--jobs=}; shift ;;
    --no-auto) no_auto=yes; shift ;;
    --binary) binary=$2; shift 2 ;;
    --binary=*) binary=${1#--binary=}; shift ;;
    -h|--help) sed -n '2,20p' "$0"; exit 0 ;;
    *) echo "bench-archive: unknown argument $1 (try --help)" >&2; exit 2 ;;
  esac
done

gva=../shared/eval/gva/articles.jsonl
if [ ! -f "$gva" ]; then
  echo "bench-archive: skipped ($gva is absent)"
  exit 0
fi
if [ -z "$binary" ]; then
  cargo build --profile dist --quiet
  binary=target/dist/crosscheck
fi
dir=target/bench-archive
mkdir -p "$dir"

# Writes N articles: copy k of the archive has ids suffixed "-k".
make_archive() {
  local n=$1 path="$dir/gva-$1.jsonl"
  if [ -s "$path" ]; then return; fi
  echo "bench-archive: writing $path" >&2
  python3 - "$gva" "$n" "$path.partial" <<'EOF'
import json, sys
source, n, target = sys.argv[1], int(sys.argv[2]), sys.argv[3]
templates = []
for line in open(source, encoding="utf-8"):
    if not line.strip():
        continue
    record = json.loads(line)
    inc, doc = str(record.get("incident_id", "")), str(record.get("doc_id", ""))
    record["incident_id"], record["doc_id"] = "\x00INC\x00", "\x00DOC\x00"
    templates.append((json.dumps(record), inc, doc))
written = 0
with open(target, "w", encoding="utf-8") as out:
    copy = 0
    while written < n:
        for text, inc, doc in templates:
            if written == n:
                break
            out.write(text.replace("\\u0000INC\\u0000", f"{inc}-{copy}")
                      .replace("\\u0000DOC\\u0000", f"{doc}-{copy}"))
            out.write("\n")
            written += 1
        copy += 1
EOF
  mv "$path.partial" "$path"
}

# One timed run in a fresh process, so the peak RSS is this run's alone.
# Prints: wall_s cpu_s peak_rss_kib documents_read
measure() {
  python3 - "$@" <<'EOF'
import json, resource, subprocess, sys, time
start = time.monotonic()
proc = subprocess.run(sys.argv[1:], stdout=subprocess.PIPE, stderr=subprocess.DEVNULL)
wall = time.monotonic() - start
if proc.returncode not in (0, 1):
    sys.exit(f"bench-archive: {' '.join(sys.argv[1:])} exited {proc.returncode}")
usage = resource.getrusage(resource.RUSAGE_CHILDREN)
last = proc.stdout.decode("utf-8", "replace").strip().splitlines()[-1]
read = json.loads(last).get("documents_read", 0)
print(f"{wall:.2f} {usage.ru_utime + usage.ru_stime:.2f} {usage.ru_maxrss} {read}")
EOF
}

auto=no
if [ "$no_auto" = yes ]; then
  :
elif "$binary" check --help | grep -A4 -e '--group-by' | grep -qw auto; then
  auto=yes
fi

results=$(mktemp)
trap 'rm -f "$results"' EXIT
printf '%-9s %-12s %4s %9s %10s %8s %10s %8s %10s %8s\n' \
  articles group-by jobs wall_s articles/s MB/s MB/s/core cpu_s MB/cpu_s rss_MiB
IFS=, read -r -a size_list <<<"$sizes"
IFS=, read -r -a jobs_list <<<"$jobs"
for n in "${size_list[@]}"; do
  make_archive "$n"
  path="$dir/gva-$n.jsonl"
  bytes=$(stat -c %s "$path")
  modes=(incident_id)
  if [ "$n" = 100000 ]; then
    if [ "$auto" = yes ]; then
      modes+=(auto)
    else
      [ "$no_auto" = yes ] || echo "bench-archive: --group-by auto not in this binary; skipped" >&2
    fi
  fi
  for mode in "${modes[@]}"; do
    for j in "${jobs_list[@]}"; do
      read -r wall cpu rss read < <(measure "$binary" check "$path" --group-by "$mode" \
        --format jsonl -q --exit-zero --jobs "$j")
      python3 - "$n" "$mode" "$j" "$wall" "$cpu" "$rss" "$bytes" "$read" <<'EOF'
import sys
n, mode, j, wall, cpu, rss, size, read = sys.argv[1:]
n, j, wall, cpu, rss, size = int(n), int(j), float(wall), float(cpu), int(rss), int(size)
mbs = size / 1e6 / wall
print(f"{n:<9} {mode:<12} {j:>4} {wall:>9.1f} {n / wall:>10.0f} {mbs:>8.2f} {mbs / j:>10.2f}"
      f" {cpu:>8.1f} {size / 1e6 / cpu:>10.2f} {rss / 1024:>8.0f}"
      + ("" if int(read) > 0 else "  (nothing read!)"))
EOF
      echo "$n $mode $j $wall $cpu" >>"$results"
    done
  done
done

# Per-article cost of each size against the smallest, per --jobs value.
python3 - "$results" <<'EOF'
import sys
runs = {}
for line in open(sys.argv[1]):
    n, mode, j, wall, cpu = line.split()
    if mode == "incident_id":
        runs.setdefault(int(j), {})[int(n)] = (float(wall), float(cpu))
for j, by_size in sorted(runs.items()):
    sizes = sorted(by_size)
    if len(sizes) < 2:
        print(f"per-article cost ratio: one size only (--jobs {j}); give two sizes to compare")
        continue
    base = sizes[0]
    for n in sizes[1:]:
        wall, cpu = ((by_size[n][i] / n) / (by_size[base][i] / base) for i in (0, 1))
        verdict = "within" if wall <= 1.3 else "OVER"
        print(f"per-article cost {n} vs {base} at --jobs {j}: {wall:.2f}x wall time"
              f" ({verdict} the 1.3x goal), {cpu:.2f}x CPU time")
EOF
