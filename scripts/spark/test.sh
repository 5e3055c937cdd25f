#!/usr/bin/env bash
# The Spark job against single-machine crosscheck: on the multi-article
# incidents of the Gun Violence Archive articles, `crosscheck_spark.py` in
# local mode (local[2], 4+ input and 4 story partitions, so claims really
# cross the shuffle) must write exactly the lines that
# `crosscheck check --group-by incident_id --format jsonl` writes.
#
# pyspark comes from PyPI into a virtual environment under target/ (kept
# between runs; set SPARK_VENV to put it elsewhere). Needs python3 with
# venv and Java 17 or newer. Skips, exit 0, when ../shared/eval is absent.
set -euo pipefail
cd "$(dirname "$0")/../.."

PYSPARK_VERSION=4.3.0
gva=../shared/eval/gva/articles.jsonl
venv=${SPARK_VENV:-target/spark-venv}
work=target/spark-test

if [ ! -f "$gva" ]; then
  echo "spark test: skipped ($gva is absent)"
  exit 0
fi
if ! command -v java >/dev/null; then
  echo "spark test: java not found; pyspark needs Java 17 or newer" >&2
  exit 1
fi

start=$(date +%s)
if ! "$venv/bin/python" -c "import pyspark, sys; sys.exit(pyspark.__version__ != '$PYSPARK_VERSION')" 2>/dev/null; then
  echo "== spark test: installing pyspark $PYSPARK_VERSION into $venv"
  python3 -m venv "$venv"
  "$venv/bin/python" -m pip install --quiet --disable-pip-version-check "pyspark==$PYSPARK_VERSION"
fi
echo "== spark test: pyspark ready after $(($(date +%s) - start)) s"

cargo build --release --quiet
binary=target/release/crosscheck

mkdir -p "$work"
# The incidents with two or more articles, in the archive's order, in two
# files (stories span both), every third record of the second without its
# doc_id, so documents are named as FILE#ID and FILE#line N.
python3 - "$gva" "$work/part-1.jsonl" "$work/part-2.jsonl" <<'EOF'
import collections, json, sys
lines = open(sys.argv[1], encoding="utf-8").read().splitlines()
records = [json.loads(line) for line in lines]
stories = collections.Counter(r["incident_id"] for r in records)
multi = [(line, r) for line, r in zip(lines, records) if stories[r["incident_id"]] >= 2]
ids = collections.Counter(r.get("doc_id") for _, r in multi)
half = len(multi) // 2
with open(sys.argv[2], "w", encoding="utf-8") as out:
    for line, _ in multi[:half]:
        out.write(line + "\n")
with open(sys.argv[3], "w", encoding="utf-8") as out:
    for n, (line, r) in enumerate(multi[half:]):
        if n % 3 == 2 and ids[r.get("doc_id")] == 1:
            del r["doc_id"]
            line = json.dumps(r)
        out.write(line + "\n")
EOF
inputs=("$work/part-1.jsonl" "$work/part-2.jsonl")
single() {
  "$binary" check "${inputs[@]}" --group-by incident_id --format jsonl -q --exit-zero \
    > "$work/single.jsonl"
}
single
# The third way, FILE:LINE for an id two records share, must be seen in
# the findings: give two documents of the second file that have findings,
# in different stories and far apart (so in different input partitions:
# the job learns of the clash only from the whole archive), one id, then
# check again.
python3 - "$work/single.jsonl" "$work/part-2.jsonl" <<'EOF'
import json, sys
findings = [json.loads(l) for l in open(sys.argv[1], encoding="utf-8") if '"finding"' in l]
picked = {}  # line -> (story, doc_id)
for f in findings:
    for c in f["claims"]:
        if c["doc"].startswith("part-2.jsonl#") and "#line " not in c["doc"]:
            picked[int(c["path"].rsplit(":", 1)[1])] = (f["story"], c["doc"].split("#", 1)[1])
lines = sorted(picked)
if not lines or picked[lines[0]][0] == picked[lines[-1]][0]:
    sys.exit("spark test: no two stories with findings in part-2.jsonl to share an id")
first, second = picked[lines[0]][1], picked[lines[-1]][1]
lines = open(sys.argv[2], encoding="utf-8").read().splitlines()
with open(sys.argv[2], "w", encoding="utf-8") as out:
    for line in lines:
        record = json.loads(line)
        if record.get("doc_id") == second:
            record["doc_id"] = first
            line = json.dumps(record)
        out.write(line + "\n")
EOF
single

job_start=$(date +%s)
# Local mode talks to itself only: keep the driver on the loopback address.
export SPARK_LOCAL_IP=127.0.0.1
PYSPARK_PYTHON="$PWD/$venv/bin/python" "$venv/bin/python" scripts/spark/crosscheck_spark.py \
  --master 'local[2]' --partitions 4 --binary "$binary" --group-by incident_id \
  --fail-on never -q --output "$work/spark.jsonl" "${inputs[@]}" \
  2> "$work/spark.stderr" || { cat "$work/spark.stderr" >&2; exit 1; }
echo "== spark test: job took $(($(date +%s) - job_start)) s"
grep '^crosscheck-spark:' "$work/spark.stderr" || true

python3 - "$work/single.jsonl" "$work/spark.jsonl" "$work/spark.stderr" <<'EOF'
import json, re, sys
single = open(sys.argv[1], encoding="utf-8").read().splitlines()
spark = open(sys.argv[2], encoding="utf-8").read().splitlines()
stderr = open(sys.argv[3], encoding="utf-8").read()
passed = failed = 0

def check(ok, what):
    global passed, failed
    print(("ok     " if ok else "FAILED ") + what)
    if ok:
        passed += 1
    else:
        failed += 1

findings = [json.loads(l) for l in single if '"type":"finding"' in l]
check(len(findings) > 0 and len({f["story"] for f in findings}) > 1,
      f"single-machine run has findings in several stories ({len(findings)})")
docs = {c["doc"] for f in findings for c in f["claims"]}
check(any("#line " in d for d in docs) and any(d.startswith("part-1.jsonl#") for d in docs)
      and any(re.search(r"part-2.jsonl:[0-9]+$", d) for d in docs),
      "findings name documents by record id, by line, and by location for a shared id")
m = re.search(r"in (\d+) input and (\d+) story partitions", stderr)
check(bool(m) and int(m.group(1)) >= 2 and int(m.group(2)) >= 2,
      "the job ran with at least 2 input and 2 story partitions")
same = single == spark
check(same, f"the job's {len(spark)} lines equal the single-machine report's {len(single)}")
if not same:
    for i, (a, b) in enumerate(zip(single, spark)):
        if a != b:
            print(f"first difference at line {i + 1}:\n  single: {a[:300]}\n  spark:  {b[:300]}")
            break
print(f"spark test: {passed} passed, {failed} failed")
sys.exit(1 if failed else 0)
EOF
echo "== spark test: $(($(date +%s) - start)) s in all"
