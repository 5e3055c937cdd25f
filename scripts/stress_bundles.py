#!/usr/bin/env python3
"""Stress bundles for precision: articles on one topic but (mostly)
different events, from ../shared/eval, as JSON Lines with a story field.
Findings on them should be rare and defensible; read each one by eye.

    python3 scripts/stress_bundles.py OUT_DIR
    crosscheck check OUT_DIR/meantime-topics.jsonl --group-by story --format jsonl
    crosscheck check OUT_DIR/meantime-substories.jsonl --group-by story --format jsonl
    crosscheck check OUT_DIR/aquaint-months.jsonl --group-by story --format jsonl
    crosscheck check OUT_DIR/gva-cities.jsonl --group-by city --format jsonl
    python3 scripts/stress_bundles.py --cross-incident OUT_DIR/gva-cities.jsonl FINDINGS.jsonl

- meantime-topics: MEANTIME's 120 Wikinews articles, one bundle per topic
  corpus (airbus, apple, gm, stock); text rebuilt from the CAT tokens.
- meantime-substories: articles that share a cross-document event instance
  annotated in 2 to 6 articles, joined into connected groups.
- aquaint-months: the 73 AQUAINT TimeML articles by month (Aug. 1998 holds
  the embassy bombings; most months mix stories).
- gva-cities: the GVA articles with a city field (city|state of their
  incident) for cities with two or more incidents. With --cross-incident,
  keeps the findings whose claims come from more than one incident (the
  per-incident findings are reviewed on the incident bundles).
"""
import collections
import glob
import json
import os
import re
import sys
import xml.etree.ElementTree as ET

EVAL = os.path.join(os.path.dirname(os.path.abspath(__file__)), "..", "..", "shared", "eval")


def meantime(out):
    root = os.path.join(EVAL, "meantime", "intra_cross-doc_annotation")
    docs = []
    for path in sorted(glob.glob(os.path.join(root, "corpus_*", "*.xml"))):
        corpus = os.path.basename(os.path.dirname(path))
        t = ET.parse(path).getroot()
        sentences = collections.OrderedDict()
        for tok in t.iter("token"):
            sentences.setdefault(int(tok.get("sentence")), []).append(tok.text or "")
        lines = []
        for words in sentences.values():
            s = " ".join(words)
            s = re.sub(r" ([,.;:!?%)])", r"\1", s)
            s = re.sub(r"([($]) ", r"\1", s)
            s = re.sub(r" ('s|n't|'re|'ve|'ll|'d|'m)\b", r"\1", s)
            lines.append(s)
        dct = next(
            (x.get("value") for x in t.iter("TIMEX3") if x.get("functionInDocument") == "CREATION_TIME"),
            None,
        )
        events = {e.get("instance_id") for e in t.iter("EVENT") if e.get("instance_id")}
        docs.append(dict(id=t.get("doc_id"), corpus=corpus, title=lines[0],
                         published=dct, text="\n\n".join(lines[1:]), events=events))

    def record(d, story):
        return json.dumps(dict(doc_id=d["id"], story=story, title=d["title"],
                               published=d["published"], text=d["text"])) + "\n"

    with open(os.path.join(out, "meantime-topics.jsonl"), "w") as f:
        for d in docs:
            f.write(record(d, d["corpus"]))
    seen = collections.Counter(e for d in docs for e in d["events"])
    parent = {d["id"]: d["id"] for d in docs}

    def find(x):
        while parent[x] != x:
            parent[x] = parent[parent[x]]
            x = parent[x]
        return x

    holders = collections.defaultdict(list)
    for d in docs:
        for e in sorted(d["events"]):
            if 2 <= seen[e] <= 6:
                holders[e].append(d["id"])
    for ids in holders.values():
        for x in ids[1:]:
            parent[find(x)] = find(ids[0])
    size = collections.Counter(find(d["id"]) for d in docs)
    with open(os.path.join(out, "meantime-substories.jsonl"), "w") as f:
        for d in docs:
            if size[find(d["id"])] >= 2:
                f.write(record(d, "sub-" + find(d["id"])))


def aquaint(out):
    with open(os.path.join(out, "aquaint-months.jsonl"), "w") as f:
        for path in sorted(glob.glob(os.path.join(EVAL, "tempeval3", "TBAQ-cleaned", "AQUAINT", "*.tml"))):
            s = open(path, encoding="utf-8").read()
            text = re.sub(r"<[^>]+>", "", re.search(r"<TEXT>(.*)</TEXT>", s, re.S).group(1)).strip()
            dct = re.search(r'<TIMEX3[^>]*functionInDocument="CREATION_TIME"[^>]*>', s)
            value = re.search(r'value="([^"]+)"', dct.group(0)).group(1)[:10] if dct else None
            name = os.path.basename(path)
            month = re.search(r"(\d{6})", name).group(1)
            f.write(json.dumps(dict(doc_id=name, story="aq-" + month, published=value, text=text)) + "\n")


def gva(out):
    place = {}
    for line in open(os.path.join(EVAL, "gva", "incidents.jsonl")):
        r = json.loads(line)
        place[r["incident_id"]] = "%s|%s" % (r.get("city_or_county"), r.get("state"))
    articles = [json.loads(line) for line in open(os.path.join(EVAL, "gva", "articles.jsonl"))]
    incidents = collections.defaultdict(set)
    for a in articles:
        incidents[place.get(a["incident_id"])].add(a["incident_id"])
    with open(os.path.join(out, "gva-cities.jsonl"), "w") as f:
        for a in articles:
            city = place.get(a["incident_id"])
            if city and len(incidents[city]) >= 2:
                f.write(json.dumps(dict(a, city=city)) + "\n")


def cross_incident(bundle, findings):
    incident = {n: json.loads(line)["incident_id"] for n, line in enumerate(open(bundle), 1)}
    for line in open(findings):
        f = json.loads(line)
        if f.get("type") != "finding":
            continue
        if len({incident[int(c["path"].rsplit(":", 1)[1])] for c in f["claims"]}) > 1:
            sys.stdout.write(line)


if __name__ == "__main__":
    if len(sys.argv) == 4 and sys.argv[1] == "--cross-incident":
        cross_incident(sys.argv[2], sys.argv[3])
    elif len(sys.argv) == 2:
        os.makedirs(sys.argv[1], exist_ok=True)
        meantime(sys.argv[1])
        aquaint(sys.argv[1])
        gva(sys.argv[1])
    else:
        sys.exit(__doc__)
