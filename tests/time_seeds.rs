//! Golden test: every time mention of the five seed articles, each resolved
//! against its own publication date. Regenerate the golden file with
//! `SNAPSHOTS=overwrite cargo test --test time_seeds`.

use std::path::{Path, PathBuf};

use chrono::NaiveDate;
use crosscheck::extract::time::{Resolution, TimeExtractor, TimeMention};

/// A seed's file-name prefix and publication date (year, month, day).
type Seed = (&'static str, Option<(i32, u32, u32)>);

/// Publication dates of the seeds (None: the article states none).
const SEEDS: &[Seed] = &[
    ("000_", Some((2025, 8, 22))),
    ("001_", None),
    ("002_", None),
    ("003_", Some((2025, 11, 27))),
    ("004_", Some((2025, 8, 17))),
];

/// `samples/rubio-ukraine/` in the repo, else `shared/seeds` beside an
/// ancestor of the crate.
fn seed_dir() -> Option<PathBuf> {
    let root = Path::new(env!("CARGO_MANIFEST_DIR"));
    let sample = root.join("samples/rubio-ukraine");
    if sample.is_dir() {
        return Some(sample);
    }
    root.ancestors()
        .map(|a| a.join("shared/seeds"))
        .find(|p| p.is_dir())
}

fn seeds() -> Option<Vec<(String, String, Option<NaiveDate>)>> {
    let dir = seed_dir()?;
    let mut names: Vec<String> = std::fs::read_dir(&dir)
        .ok()?
        .filter_map(|e| e.ok())
        .map(|e| e.file_name().to_string_lossy().into_owned())
        .collect();
    names.sort();
    let mut out = Vec::new();
    for (prefix, date) in SEEDS {
        let name = names
            .iter()
            .find(|n| n.starts_with(prefix) && n.ends_with(".txt"))?;
        let text = std::fs::read_to_string(dir.join(name)).ok()?;
        let anchor = date.and_then(|(y, m, d)| NaiveDate::from_ymd_opt(y, m, d));
        out.push((name.clone(), text, anchor));
    }
    Some(out)
}

fn line(file: &str, m: &TimeMention) -> String {
    format!(
        "{file} {}-{} {:?} {} {} {} {} {}",
        m.start,
        m.end,
        m.text,
        m.timex_type.as_str(),
        m.value,
        m.granularity.as_str(),
        m.resolved.as_str(),
        if m.implied.is_empty() {
            "-".to_string()
        } else {
            m.implied.join(",")
        }
    )
}

fn extract(text: &str, anchor: Option<NaiveDate>) -> Vec<TimeMention> {
    TimeExtractor::global().extract_all(text, anchor)
}

#[test]
fn seed_mentions_match_golden_file() {
    let Some(seeds) = seeds() else {
        eprintln!("seed articles not found: skipped");
        return;
    };
    let mut actual = String::new();
    for (name, text, anchor) in &seeds {
        for m in extract(text, *anchor) {
            assert_eq!(&text[m.start..m.end], m.text);
            actual.push_str(&line(name, &m));
            actual.push('\n');
        }
    }
    let golden = Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/golden/time_seeds.txt");
    if std::env::var("SNAPSHOTS").is_ok_and(|v| v == "overwrite") {
        std::fs::write(&golden, &actual).unwrap_or_else(|e| panic!("{}: {e}", golden.display()));
        return;
    }
    let expected = std::fs::read_to_string(&golden).unwrap_or_default();
    if expected != actual {
        let exp: Vec<&str> = expected.lines().collect();
        let act: Vec<&str> = actual.lines().collect();
        let gone: Vec<&&str> = exp.iter().filter(|l| !act.contains(l)).collect();
        let new: Vec<&&str> = act.iter().filter(|l| !exp.contains(l)).collect();
        panic!(
            "time mentions of the seeds changed (SNAPSHOTS=overwrite to accept)\n--- expected only:\n{}\n+++ actual only:\n{}",
            gone.iter().map(|l| format!("- {l}")).collect::<Vec<_>>().join("\n"),
            new.iter().map(|l| format!("+ {l}")).collect::<Vec<_>>().join("\n"),
        );
    }
}

/// Find the mention whose text is `needle`, at the occurrence that follows
/// `after` in the article.
fn find<'a>(ms: &'a [TimeMention], text: &str, after: &str, needle: &str) -> &'a TimeMention {
    let base = text
        .find(after)
        .unwrap_or_else(|| panic!("{after:?} not in text"));
    let at = base
        + text[base..]
            .find(needle)
            .unwrap_or_else(|| panic!("{needle:?} not after {after:?}"));
    ms.iter()
        .find(|m| m.start <= at && at < m.end)
        .unwrap_or_else(|| panic!("no mention at {needle:?} after {after:?}"))
}

#[test]
fn seed_values_from_the_issue() {
    let Some(seeds) = seeds() else {
        eprintln!("seed articles not found: skipped");
        return;
    };
    let get = |p: &str| {
        seeds
            .iter()
            .find(|(n, _, _)| n.starts_with(p))
            .map(|(_, t, a)| (t.as_str(), *a))
    };
    let check = |p: &str, after: &str, needle: &str, value: &str| {
        let (text, anchor) = get(p).unwrap_or_else(|| panic!("seed {p}"));
        let ms = extract(text, anchor);
        let m = find(&ms, text, after, needle);
        assert_eq!(m.value, value, "{p}: {needle:?} after {after:?}: {m:?}");
        m.clone()
    };
    // 004, published Sunday 2025-08-17.
    check("004_", "took part in the talks", "Friday", "2025-08-15");
    check("004_", "key topic", "Monday", "2025-08-18");
    check("004_", "official said", "Sunday", "2025-08-17");
    // 000, published 2025-08-22.
    check("000_", "testimony in", "May", "2025-05");
    check(
        "000_",
        "foreign minister said on",
        "Wednesday",
        "2025-08-20",
    );
    // 003, published 2025-11-27.
    check("003_", "on a ", "Tuesday", "2025-11-25");
    check("003_", "negotiations", "last weekend", "2025-W47-WE");
    check("003_", "country in", "February 2022", "2022-02");
    // 002: no date. An absolute date, and a weekday that stays unresolved.
    let m = check("002_", "crucial call on", "July 15, 2023", "2023-07-15");
    assert_eq!(m.resolved, Resolution::Absolute);
    let m = check("002_", "participated in", "Thursday", "XXXX-WXX-4");
    assert_eq!(m.resolved, Resolution::Unresolved);
    assert_eq!(m.weekday, Some(chrono::Weekday::Thu));
    // 001: no date.
    let m = check("001_", "counterparts", "Thursday", "XXXX-WXX-4");
    assert_eq!(m.resolved, Resolution::Unresolved);
    // 001's "19.08.25, 21:21": day-first, two-digit year.
    check("001_", "guarantees", "19.08.25", "2025-08-19T21:21");
}

#[test]
fn seed_non_dates_do_not_fire() {
    let Some(seeds) = seeds() else {
        eprintln!("seed articles not found: skipped");
        return;
    };
    for (name, text, anchor) in &seeds {
        for m in extract(text, *anchor) {
            let t = m.text.to_ascii_lowercase();
            assert!(
                !["may", "march", "sun"].contains(&t.as_str())
                    || m.text.starts_with(char::is_uppercase) && t != "sun",
                "{name}: {m:?}"
            );
            assert!(
                !m.text.contains("600,000")
                    && !m.text.contains("28-point")
                    && !m.text.contains("$67"),
                "{name}: {m:?}"
            );
        }
    }
}
