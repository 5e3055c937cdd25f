//! A peer's test suite: Microsoft Recognizers-Text English DateTime specs
//! (`shared/eval/recognizers-text/Specs/DateTime/English/`), for the result
//! types news uses (date, daterange, duration, datetime). Their `End` is
//! inclusive and offsets count characters. Prints the pass rate per file and
//! fails below the floors (set just under what the extractor reaches, so a
//! regression fails). Skips cleanly when the folder is absent.

use std::path::{Path, PathBuf};

use chrono::NaiveDate;
use crosscheck::extract::time::{TimeExtractor, TimeMention};
use serde_json::Value;

const TYPES: &[&str] = &["date", "daterange", "duration", "datetime"];

fn spec_dir() -> Option<PathBuf> {
    Path::new(env!("CARGO_MANIFEST_DIR"))
        .ancestors()
        .map(|a| a.join("shared/eval/recognizers-text/Specs/DateTime/English"))
        .find(|p| p.is_dir())
}

fn load(dir: &Path, name: &str) -> Vec<Value> {
    let raw = std::fs::read_to_string(dir.join(name)).unwrap_or_default();
    let raw = raw.trim_start_matches('\u{feff}');
    match serde_json::from_str::<Value>(raw) {
        Ok(Value::Array(cases)) => cases,
        _ => Vec::new(),
    }
}

fn skipped(case: &Value) -> bool {
    let flag = |k: &str| {
        case.get(k)
            .and_then(Value::as_str)
            .unwrap_or("")
            .to_ascii_lowercase()
    };
    flag("NotSupported").contains("dotnet") || !flag("NotSupportedByDesign").is_empty()
}

fn reference(case: &Value) -> Option<NaiveDate> {
    let r = case
        .pointer("/Context/ReferenceDateTime")
        .and_then(Value::as_str);
    let r = r.unwrap_or("2016-11-07T00:00:00");
    NaiveDate::parse_from_str(r.get(..10)?, "%Y-%m-%d").ok()
}

/// Character offset -> byte offset.
fn byte_at(s: &str, chars: usize) -> usize {
    s.char_indices().nth(chars).map_or(s.len(), |(b, _)| b)
}

fn run(input: &str, anchor: Option<NaiveDate>) -> Vec<TimeMention> {
    TimeExtractor::global().extract_all(input, anchor)
}

#[derive(Default)]
struct Rate {
    cases: usize,
    span_ok: usize,
    value_ok: usize,
}

impl Rate {
    fn span(&self) -> f64 {
        self.span_ok as f64 / self.cases.max(1) as f64
    }
    fn value(&self) -> f64 {
        self.value_ok as f64 / self.cases.max(1) as f64
    }
}

/// Extractor specs: `Type`, `Start`, `Length`. A case passes when each
/// expected span of a news type is found exactly.
fn extractor_file(dir: &Path, name: &str) -> Rate {
    let mut rate = Rate::default();
    for case in load(dir, name) {
        if skipped(&case) {
            continue;
        }
        let input = case["Input"].as_str().unwrap_or("");
        let expected: Vec<(usize, usize)> = case["Results"]
            .as_array()
            .into_iter()
            .flatten()
            .filter(|r| TYPES.contains(&r["Type"].as_str().unwrap_or("")))
            .filter_map(|r| {
                let s = r["Start"].as_u64()? as usize;
                let l = r["Length"].as_u64()? as usize;
                Some((byte_at(input, s), byte_at(input, s + l)))
            })
            .collect();
        if expected.is_empty() {
            continue;
        }
        rate.cases += 1;
        let found = run(input, reference(&case));
        if expected
            .iter()
            .all(|&(s, e)| found.iter().any(|m| m.start == s && m.end == e))
        {
            rate.span_ok += 1;
        }
    }
    rate
}

/// "2016-11-07 10:00:00" / "2016-11-07T10" / "2016-11-07T10:00" -> one form.
fn norm_value(v: &str) -> String {
    let mut v = v.replace(' ', "T");
    while let Some(s) = v.strip_suffix(":00") {
        v = s.to_string();
    }
    v
}

fn value_matches(m: &TimeMention, result: &Value) -> bool {
    let ours = norm_value(&m.value);
    let values = result
        .pointer("/Resolution/values")
        .and_then(Value::as_array);
    values.into_iter().flatten().any(|v| {
        let timex = v["timex"].as_str().unwrap_or("");
        let value = v["value"].as_str().unwrap_or("");
        let start = v["start"].as_str().unwrap_or("");
        ours == norm_value(timex)
            || ours == norm_value(value)
            || (!start.is_empty()
                && ours.len() >= 7
                && start.starts_with(&ours)
                && timex.contains(&ours))
    })
}

/// Model specs: `TypeName`, `Start`, inclusive `End`, `Resolution`.
fn model_file(dir: &Path, name: &str) -> Rate {
    let mut rate = Rate::default();
    for case in load(dir, name) {
        if skipped(&case) {
            continue;
        }
        let input = case["Input"].as_str().unwrap_or("");
        let expected: Vec<&Value> = case["Results"]
            .as_array()
            .into_iter()
            .flatten()
            .filter(|r| {
                let t = r["TypeName"].as_str().unwrap_or("");
                TYPES
                    .iter()
                    .any(|ty| t.strip_prefix("datetimeV2.") == Some(ty))
            })
            .collect();
        if expected.is_empty() {
            continue;
        }
        rate.cases += 1;
        let found = run(input, reference(&case));
        let mut span_all = true;
        let mut value_all = true;
        for r in expected {
            let (Some(s), Some(e)) = (r["Start"].as_u64(), r["End"].as_u64()) else {
                span_all = false;
                value_all = false;
                continue;
            };
            let (s, e) = (byte_at(input, s as usize), byte_at(input, e as usize + 1));
            match found.iter().find(|m| m.start == s && m.end == e) {
                Some(m) => value_all &= value_matches(m, r),
                None => {
                    span_all = false;
                    value_all = false;
                }
            }
        }
        rate.span_ok += usize::from(span_all);
        rate.value_ok += usize::from(value_all);
    }
    rate
}

#[test]
fn recognizers_text_datetime_specs() {
    let Some(dir) = spec_dir() else {
        eprintln!("recognizers-text specs not found: skipped");
        return;
    };
    // (file, span floor, value floor): just under what the extractor reaches.
    let floors: &[(&str, f64, f64)] = &[
        ("DateTimeModel.json", 0.23, 0.185),
        ("DateExtractor.json", 0.20, -1.0),
        ("DatePeriodExtractor.json", 0.58, -1.0),
        ("DurationExtractor.json", 0.73, -1.0),
    ];
    let mut failures = Vec::new();
    for &(name, span_floor, value_floor) in floors {
        let model = value_floor >= 0.0;
        let rate = if model {
            model_file(&dir, name)
        } else {
            extractor_file(&dir, name)
        };
        if model {
            println!(
                "{name}: {} cases, span {:.1}%, span+value {:.1}%",
                rate.cases,
                100.0 * rate.span(),
                100.0 * rate.value()
            );
        } else {
            println!(
                "{name}: {} cases, span {:.1}%",
                rate.cases,
                100.0 * rate.span()
            );
        }
        if rate.span() < span_floor || (model && rate.value() < value_floor) {
            failures.push(format!("{name} fell below its floor"));
        }
    }
    assert!(failures.is_empty(), "{failures:?}");
}
