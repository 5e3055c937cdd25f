#!/usr/bin/env bash
# Finds work that grows faster than the input: runs `crosscheck check` on
# one document made of a repeated pattern (many quotes, counts, dates,
# events, names, ... with and without full stops) at two sizes, 4x apart,
# and prints how much more work the larger one took. Linear code gives
# about 4x; 6x or more is flagged (quotes among many names measured
# 6.2x before its fix; linear patterns measure 2.6x to 4.0x). The fuzz targets cap inputs at 10 KB,
# where a quadratic loop still looks fast; this finds it at 100s of KB.
#
# Work is counted in instructions with valgrind (callgrind) when it is
# installed, which a busy machine does not disturb; otherwise in CPU
# seconds. Start-up (a one-line document) is subtracted.
#
# Usage: scripts/scaling.sh [SMALL_BYTES] [PATTERN...]   (default 50000)
# CROSSCHECK=PATH measures that binary instead of building this checkout.
set -euo pipefail

cd "$(dirname "$0")/.."
small="${1:-50000}"
shift || true
if [ -n "${CROSSCHECK:-}" ]; then
    bin="$CROSSCHECK"
else
    cargo build --profile dist --quiet
    bin="$PWD/target/dist/crosscheck"
fi
work="$PWD/target/scaling"
rm -rf "$work"
mkdir -p "$work"

python3 - "$work" "$small" "$@" <<'PYEOF'
import sys
work, small, only = sys.argv[1], int(sys.argv[2]), set(sys.argv[3:])
patterns = {
    "quotes": '"Yes," he said. ',
    "quote-names": '"Yes," said John Smith. "No," Mary Jones said. ',
    "open-quote": "\u201cYes, he said. ",
    "quote-no-close": '"Some may provide forces on the ground ',
    "pronoun": '"Yes." He said. She added. ',
    "caps": "Alpha Beta Gamma Delta ",
    "honorifics": "Mr. Smith said. ",
    "counts": "30 countries and 33 nations, ",
    "count-words": "thirty-three nations and two dozen troops ",
    "money": "$67 billion and 91% of 600,000 ",
    "dates": "On Thursday, July 15, 2023, ",
    "roles": "Secretary of State Marco Rubio, ",
    "said-role": "said John Smith, the acting national security adviser, ",
    "events": "the meeting on Thursday and the summit in Alaska ",
    "events-stops": "The meeting on Thursday and the summit in Alaska. ",
    "with": "a call with Rubio and Lavrov with Healey ",
    "ages": "Jane Doe, 24, met 25-year-old John Roe (26) and ",
    "variants": "Zelensky met Zelenskyy. ",
    "according": "according to Rubio, ",
    "parens": "(R-Neb.) ",
    "lines": "BREAKING NEWS\n",
    "html": "<p>Rep. Don Bacon</p>",
}
for name, unit in patterns.items():
    if only and name not in only:
        continue
    ext = "html" if name == "html" else "txt"
    head = "<html><body>" if ext == "html" else "Headline\n\n"
    for tag, size in (("1", small), ("4", 4 * small)):
        with open(f"{work}/{name}.{tag}.{ext}", "w") as f:
            f.write(head + unit * (size // len(unit.encode())))
with open(f"{work}/start-up.txt", "w") as f:
    f.write("Headline\n\nHello.\n")
PYEOF

if command -v valgrind >/dev/null; then
    unit="M instructions"
    measure() {
        valgrind --tool=callgrind --callgrind-out-file=/dev/null "$bin" check -q --exit-zero "$1" 2>&1 >/dev/null |
            awk '/Collected/ {printf "%.1f\n", $4 / 1e6}'
    }
else
    unit="CPU seconds"
    measure() {
        /usr/bin/time -f "%U %S" "$bin" check -q --exit-zero "$1" 2>&1 >/dev/null |
            tail -1 | awk '{print $1 + $2}'
    }
fi

base=$(measure "$work/start-up.txt")
printf '%-16s %14s %14s %8s   (%s; start-up %s subtracted)\n' pattern "x1" "x4" ratio "$unit" "$base"
flagged=0
for small_file in "$work"/*.1.*; do
    name=$(basename "$small_file" | cut -d. -f1)
    large_file="${small_file/.1./.4.}"
    a=$(measure "$small_file")
    b=$(measure "$large_file")
    ratio=$(awk -v a="$a" -v b="$b" -v s="$base" 'BEGIN {d = a - s; if (d <= 0) d = 1e-9; printf "%.2f", (b - s) / d}')
    mark=""
    if awk -v r="$ratio" 'BEGIN {exit !(r >= 6)}'; then
        mark="  <- superlinear"
        flagged=1
    fi
    printf '%-16s %14s %14s %8s%s\n' "$name" "$a" "$b" "$ratio" "$mark"
done
exit $flagged
