#!/usr/bin/env python3
"""crosscheck on Apache Spark: check a JSON Lines news archive story by story.

Map side: each input partition (a range of lines of one file) is written to
a scratch file and read by `crosscheck dump claims --format jsonl`, which
extracts every article's claims on its own. Shuffle: the claims and
document records are grouped by story key (the `--group-by` field).
Reduce side: each partition of whole stories goes through `crosscheck check
--claims -`, which keys claims across documents and runs the rules. The
findings come back to the driver, are put in story order and written as
JSON Lines with the summary last: the same lines `crosscheck check FILE
--group-by FIELD --format jsonl` writes on one machine.

    spark-submit scripts/spark/crosscheck_spark.py \\
        --binary target/release/crosscheck --group-by incident_id \\
        --output findings.jsonl archive/*.jsonl

The binary: a local file given to `--binary` is shipped to every executor
with SparkContext.addFile (it must run there: same OS and architecture,
e.g. a Linux x86-64 build); a bare name (the default, `crosscheck`) is
looked up on each executor's PATH, for clusters that install it.

Identity: documents are named as crosscheck names them when given the
files themselves: `FILE#RECORD-ID` (FILE the file's name), and `path` is
`FILE:LINE` with the path as given here (for a glob or folder, the path
Spark lists). An id that two records share anywhere in the archive is
replaced by the record's `FILE:LINE`, as on one machine. Lines are split
by Hadoop's text reader, which also ends a line at a lone carriage return;
crosscheck ends lines only at line feeds. A `.gz` input is decompressed by
Spark and recompressed for crosscheck, which must then read `.jsonl.gz`.
Stories must come from a record field: `--group-by auto` clusters the
whole archive and has no place on the map side.
"""

import argparse
import gzip
import json
import os
import shutil
import subprocess
import sys
import tempfile
import time
import zlib

SEVERITY = {"info": 0, "warning": 1, "error": 2}


def parse_args(argv):
    p = argparse.ArgumentParser(
        description="Check a JSON Lines archive story by story on Spark.",
        formatter_class=argparse.RawDescriptionHelpFormatter,
        epilog=__doc__,
    )
    p.add_argument("inputs", nargs="+", metavar="INPUT",
                   help="JSON Lines files, folders or globs (any URL Spark reads)")
    p.add_argument("--group-by", required=True, metavar="FIELD",
                   help="the record field that names the story (e.g. incident_id)")
    p.add_argument("--output", default="-", metavar="FILE",
                   help="where the findings go on the driver (default: stdout)")
    p.add_argument("--binary", default="crosscheck", metavar="PATH",
                   help="crosscheck binary: a local file is shipped to the "
                        "executors; a bare name is found on their PATH")
    p.add_argument("--partitions", type=int, default=0, metavar="N",
                   help="input and shuffle partitions (default: Spark's default parallelism)")
    p.add_argument("--field", action="append", default=[], metavar="NAME=KEY",
                   help="passed to crosscheck dump: read a property from another field")
    p.add_argument("--max-bytes", type=int, metavar="BYTES",
                   help="passed to crosscheck dump: skip records larger than this")
    p.add_argument("--check-arg", action="append", default=[], metavar="ARG",
                   help="extra argument for crosscheck check, e.g. --check-arg=--ignore=V001")
    p.add_argument("--master", metavar="URL",
                   help="Spark master (default: spark-submit's, else local[*])")
    p.add_argument("--fail-on", choices=["error", "warning", "info", "never"], default="error",
                   help="exit 1 when a finding at or above this severity is reported")
    p.add_argument("-q", "--quiet", action="store_true",
                   help="print no skip notes or warnings on stderr")
    return p.parse_args(argv)


# ------------------------------------------------------------------ inputs

def list_inputs(sc, patterns):
    """Every file the patterns name, in a stable order, each with the name
    it is shown under. Hidden files (`.x`, `_x`) inside folders are left
    out, as Spark and crosscheck both do."""
    jvm = sc._jvm
    conf = sc._jsc.hadoopConfiguration()
    files = []
    for pattern in patterns:
        path = jvm.org.apache.hadoop.fs.Path(pattern)
        fs = path.getFileSystem(conf)
        statuses = fs.globStatus(path)
        if not statuses:
            raise SystemExit(f"crosscheck-spark: error: {pattern}: no such file or folder")
        plain = not any(ch in pattern for ch in "*?[{")
        found = []
        for status in statuses:
            if status.isDirectory():
                it = fs.listFiles(status.getPath(), True)
                while it.hasNext():
                    child = it.next().getPath()
                    rel = str(child)[len(str(status.getPath())):]
                    if any(part.startswith((".", "_")) for part in rel.split("/") if part):
                        continue
                    found.append((str(child), None))
            else:
                # A file named as such is shown as it was named.
                found.append((str(status.getPath()), pattern if plain else None))
        for uri, shown in sorted(found):
            if shown is None:
                shown = uri[len("file:"):] if uri.startswith("file:") else uri
            files.append((uri, shown))
    return files


def numbered_lines(sc, files, partitions):
    """(file index, line number, line) for every line, numbered per file."""
    rdds = []
    for index, (uri, _) in enumerate(files):
        lines = sc.textFile(uri, minPartitions=partitions) if partitions else sc.textFile(uri)
        rdds.append(lines.zipWithIndex().map(
            lambda pair, index=index: (index, pair[1] + 1, pair[0])))
    return rdds[0] if len(rdds) == 1 else sc.union(rdds)


# ---------------------------------------------------------------- map side

def resolve_binary(binary, shipped):
    if shipped:
        from pyspark import SparkFiles
        path = SparkFiles.get(shipped)
        if not os.access(path, os.X_OK):
            os.chmod(path, 0o755)
        return path
    found = shutil.which(binary)
    if not found:
        raise RuntimeError(f"crosscheck binary {binary!r} is not on this executor's PATH")
    return found


def run_crosscheck(command, stdin=None):
    """Runs crosscheck, yielding its stdout lines; stderr goes to a file so
    neither pipe can fill up and stall the other."""
    with tempfile.TemporaryFile() as err:
        proc = subprocess.Popen(command, stdin=stdin, stdout=subprocess.PIPE,
                                stderr=err, text=True, encoding="utf-8")
        for line in proc.stdout:
            yield line
        code = proc.wait()
        err.seek(0)
        message = err.read().decode("utf-8", "replace")
    # 2 with "no readable documents" is a part of the archive that holds
    # only skipped records: they were written, the run goes on.
    if code != 0 and not (code == 2 and "no readable documents" in message):
        raise RuntimeError(f"{' '.join(command[:3])} exited {code}: {message.strip()}")


def dump_partition(rows, settings, files):
    """Extracts the claims of one input partition. Yields
    (kind, story, doc, seq, record) with paths and ids as if crosscheck had
    read the original files."""
    binary = resolve_binary(settings["binary"], settings["shipped"])
    scratch = tempfile.mkdtemp(prefix="crosscheck-spark-")
    try:
        parts = {}  # scratch file -> (shown name, [original line numbers])
        handles = {}
        path_of = {}
        for index, number, text in rows:
            if not text.strip():
                continue
            if index not in handles:
                folder = os.path.join(scratch, str(index))
                os.mkdir(folder)
                name = files[index][0].rstrip("/").rsplit("/", 1)[-1]
                path = os.path.join(folder, name)
                # Spark has decompressed the lines; the scratch file keeps
                # the name, so crosscheck names the documents alike, and
                # therefore the compression too.
                if name.endswith(".gz"):
                    handles[index] = gzip.open(path, "wt", encoding="utf-8", compresslevel=1)
                else:
                    handles[index] = open(path, "w", encoding="utf-8")
                parts[path] = (files[index][1], [])
                path_of[index] = path
            handle = handles[index]
            handle.write(text)
            handle.write("\n")
            parts[path_of[index]][1].append(number)
        for handle in handles.values():
            handle.close()
        if not parts:
            return
        command = [binary, "dump", "claims", "--format", "jsonl", "-q", "--jobs", "1",
                   "--group-by", settings["group_by"]]
        for field in settings["fields"]:
            command += ["--field", field]
        if settings["max_bytes"] is not None:
            command += ["--max-bytes", str(settings["max_bytes"])]
        command += sorted(parts)
        rename = Renamer(parts)
        for seq, line in enumerate(run_crosscheck(command)):
            record = json.loads(line)
            kind = record.get("type", "claim")
            record["path"] = rename.path(record["path"])
            if "doc" in record:
                record["doc"] = rename.doc(record["doc"])
            yield (kind, record.get("story"), record.get("doc"), seq, record)
    finally:
        shutil.rmtree(scratch, ignore_errors=True)


class Renamer:
    """Maps scratch-file locations back to the original file and line."""

    def __init__(self, parts):
        self.parts = parts

    def path(self, path):
        for scratch, (shown, numbers) in self.parts.items():
            if path == scratch:
                return shown
            if path.startswith(scratch + ":"):
                n = path[len(scratch) + 1:]
                if n.isdigit() and 0 < int(n) <= len(numbers):
                    return f"{shown}:{numbers[int(n) - 1]}"
        return path

    def doc(self, doc):
        if doc.startswith("/"):
            return self.path(doc)
        # A record without an id is called FILE#line N.
        for scratch, (_, numbers) in self.parts.items():
            prefix = os.path.basename(scratch) + "#line "
            n = doc[len(prefix):]
            if doc.startswith(prefix) and n.isdigit() and 0 < int(n) <= len(numbers):
                return f"{prefix}{numbers[int(n) - 1]}"
        return doc


# ------------------------------------------------------------- reduce side

def story_partition(partitions):
    # Python's str hash is salted per process; crc32 is the same everywhere.
    return lambda story: zlib.crc32(json.dumps(story).encode("utf-8")) % partitions


def story_order(story):
    """Stories in crosscheck's order: none first, then by key (code point
    order, which is Rust's byte order on UTF-8)."""
    return (story is not None, story or "")


def check_partition(items, settings):
    """Checks a partition of whole stories. Yields ((story order, n), line)."""
    items = sorted(items, key=lambda kv: (story_order(kv[0]), kv[1][0], kv[1][1]))
    if not items:
        return
    binary = resolve_binary(settings["binary"], settings["shipped"])
    with tempfile.TemporaryFile("w+", encoding="utf-8") as stream:
        for _, (_, _, record) in items:
            stream.write(record)
            stream.write("\n")
        stream.seek(0)
        command = [binary, "check", "--claims", "-", "--format", "jsonl", "-q",
                   "--exit-zero", "--jobs", "1", *settings["check_args"]]
        for n, line in enumerate(run_crosscheck(command, stdin=stream)):
            finding = json.loads(line)
            if finding.get("type") == "finding":
                yield ((story_order(finding.get("story")), n), line.rstrip("\n"))


# ------------------------------------------------------------------ driver

def main(argv=None):
    args = parse_args(sys.argv[1:] if argv is None else argv)
    from pyspark import StorageLevel
    from pyspark.sql import SparkSession

    started = time.monotonic()
    builder = SparkSession.builder.appName("crosscheck")
    if args.quiet:
        builder = builder.config("spark.ui.showConsoleProgress", "false")
    if args.master:
        builder = builder.master(args.master)
    spark = builder.getOrCreate()
    sc = spark.sparkContext
    sc.setLogLevel("ERROR")

    shipped = None
    if os.path.isfile(args.binary):
        sc.addFile(os.path.abspath(args.binary))
        shipped = os.path.basename(args.binary)
    elif os.sep in args.binary:
        raise SystemExit(f"crosscheck-spark: error: {args.binary}: no such file")
    settings = {
        "binary": args.binary,
        "shipped": shipped,
        "group_by": args.group_by,
        "fields": args.field,
        "max_bytes": args.max_bytes,
        "check_args": args.check_arg,
    }
    files = list_inputs(sc, args.inputs)
    lines = numbered_lines(sc, files, args.partitions)
    partitions = args.partitions or sc.defaultParallelism
    records = lines.mapPartitions(lambda rows: dump_partition(rows, settings, files))
    records.persist(StorageLevel.MEMORY_AND_DISK)

    # What ingest skipped or warned about, and every document's id: an id
    # two records share is replaced by the record's location, which needs
    # the whole archive, so it is settled before the shuffle.
    timings = [("start", time.monotonic() - started)]
    notes = records.filter(lambda r: r[0] in ("skipped", "warning")) \
        .map(lambda r: (r[0], r[4])).collect()
    counts = records.filter(lambda r: r[0] == "document") \
        .map(lambda r: (r[2], 1)).reduceByKey(lambda a, b: a + b)
    shared = set(counts.filter(lambda kv: kv[1] > 1).keys().collect())
    documents = int(counts.values().sum())
    shared_ids = sc.broadcast(shared)
    timings.append(("extract", time.monotonic() - started))

    def keyed(r):
        kind, story, doc, seq, record = r
        if doc in shared_ids.value:
            record["doc"] = record["path"]
            doc = record["path"]
        line = json.dumps(record, ensure_ascii=False, separators=(",", ":"))
        return (story, (doc, seq, line))

    stories = records.filter(lambda r: r[0] in ("document", "claim")).map(keyed) \
        .partitionBy(partitions, story_partition(partitions))
    found = stories.mapPartitions(lambda items: check_partition(items, settings)).collect()
    found.sort(key=lambda kv: kv[0])
    timings.append(("check", time.monotonic() - started))
    records.unpersist()
    spark.stop()

    skipped = sorted({(r["path"], r["reason"]) for kind, r in notes if kind == "skipped"})
    warnings = sorted({(r["path"], r["message"]) for kind, r in notes if kind == "warning"})
    if not args.quiet:
        for path, reason in skipped:
            print(f"crosscheck: skipped {path}: {reason}", file=sys.stderr)
        for path, message in warnings:
            print(f"crosscheck: warning: {path}: {message}", file=sys.stderr)
    severities = [json.loads(line)["severity"] for _, line in found]
    summary = {
        "type": "summary",
        "documents_read": documents,
        "documents_skipped": len(skipped),
        "warnings": len(warnings),
        "input_errors": 0,
        "findings": len(found),
        "errors": severities.count("error"),
        "warning_findings": severities.count("warning"),
        "info": severities.count("info"),
    }
    text = "".join(line + "\n" for _, line in found)
    text += json.dumps(summary, separators=(",", ":")) + "\n"
    if args.output == "-":
        sys.stdout.write(text)
        sys.stdout.flush()
    else:
        with open(args.output, "w", encoding="utf-8") as out:
            out.write(text)
    print(f"crosscheck-spark: {documents} documents read, {len(skipped)} skipped; "
          f"{len(found)} findings ({summary['errors']} errors, "
          f"{summary['warning_findings']} warnings, {summary['info']} info) "
          f"from {len(files)} file(s) in {lines.getNumPartitions()} input and "
          f"{partitions} story partitions", file=sys.stderr)
    # Cumulative, so each phase's share of the wall time is plain.
    print("crosscheck-spark: wall time " + ", ".join(
        f"{name} done at {seconds:.1f} s" for name, seconds in timings), file=sys.stderr)
    if documents == 0:
        print("crosscheck-spark: error: no readable documents", file=sys.stderr)
        return 2
    threshold = SEVERITY.get(args.fail_on)
    if threshold is not None and any(SEVERITY[s] >= threshold for s in severities):
        return 1
    return 0


if __name__ == "__main__":
    sys.exit(main())
