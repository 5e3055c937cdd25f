//! SARIF output of the real pipeline on the sample bundle: valid against
//! the SARIF 2.1.0 schema (vendored in `tests/data/`, see its README), the
//! invariants the schema cannot express checked by hand, byte-identical on
//! a second run, and fingerprints that survive lines moving.

mod common;

use crosscheck::check::spec;
use crosscheck::ingest::{self, Options};
use crosscheck::pipeline;
use crosscheck::report::sarif;
use serde_json::Value;
use std::collections::{BTreeMap, BTreeSet};
use std::path::{Path, PathBuf};

fn render(bundle_dir: &Path) -> Vec<u8> {
    let bundle = ingest::read_paths(&[bundle_dir.to_path_buf()], &Options::default());
    assert!(
        !bundle.documents.is_empty(),
        "no documents in {bundle_dir:?}"
    );
    let rules = spec::load(&[]).unwrap();
    let findings = pipeline::check_documents(&bundle.documents, &rules);
    let mut out = Vec::new();
    sarif::write(&mut out, &bundle, &findings, &rules).unwrap();
    out
}

fn sample_dir() -> PathBuf {
    common::root().join("samples/rubio-ukraine")
}

fn parse(bytes: &[u8]) -> Value {
    serde_json::from_slice(bytes).unwrap()
}

/// The schema's `language` patterns have a lone `]`, a literal under
/// ECMA-262's web-compatibility grammar but rejected by the validator's
/// check of the schema itself; escaping it keeps the meaning. The file
/// stays as published, the fix is made here.
const LANGUAGE_PATTERN: &str = "^[a-zA-Z]{2}|^[a-zA-Z]{2}-[a-zA-Z]{2}]?$";

fn escape_language_patterns(value: &mut Value) -> usize {
    match value {
        Value::Object(map) => {
            let mut fixed = 0;
            for (key, v) in map.iter_mut() {
                if key == "pattern" && v == LANGUAGE_PATTERN {
                    *v = Value::from(LANGUAGE_PATTERN.replace("]?", "\\]?"));
                    fixed += 1;
                } else {
                    fixed += escape_language_patterns(v);
                }
            }
            fixed
        }
        Value::Array(items) => items.iter_mut().map(escape_language_patterns).sum(),
        _ => 0,
    }
}

fn schema() -> Value {
    let path = common::root().join("tests/data/sarif-schema-2.1.0.json");
    let mut schema: Value = serde_json::from_str(&std::fs::read_to_string(path).unwrap()).unwrap();
    assert!(
        escape_language_patterns(&mut schema) > 0,
        "the vendored schema changed"
    );
    schema
}

fn schema_errors(log: &Value) -> Vec<String> {
    let validator = jsonschema::options()
        .with_draft(jsonschema::Draft::Draft7)
        .should_validate_formats(true)
        .build(&schema())
        .unwrap();
    validator
        .iter_errors(log)
        .map(|e| format!("{} at {}", e, e.instance_path()))
        .collect()
}

fn results(log: &Value) -> &Vec<Value> {
    log["runs"][0]["results"].as_array().unwrap()
}

#[test]
fn sample_sarif_validates_against_the_schema() {
    let log = parse(&render(&sample_dir()));
    let errors = schema_errors(&log);
    assert!(errors.is_empty(), "{errors:#?}");
    assert!(!results(&log).is_empty());
}

#[test]
fn validator_rejects_what_the_schema_forbids() {
    // A check that passes everything proves nothing: break the log in ways
    // the schema must catch.
    let log = parse(&render(&sample_dir()));
    let mut bad = log.clone();
    bad["version"] = Value::from("2.0.0");
    assert!(!schema_errors(&bad).is_empty());
    let mut bad = log.clone();
    bad["runs"][0]["results"][0]["level"] = Value::from("fatal");
    assert!(!schema_errors(&bad).is_empty());
    let mut bad = log.clone();
    bad["runs"][0]["results"][0]["locations"][0]["physicalLocation"]["region"]["startLine"] =
        Value::from(0);
    assert!(!schema_errors(&bad).is_empty());
    let mut bad = log.clone();
    bad["runs"][0]["results"][0]["locations"][0]["physicalLocation"]["artifactLocation"]["uri"] =
        Value::from("a b\\c.txt");
    assert!(!schema_errors(&bad).is_empty());
    let mut bad = log;
    bad["runs"][0]["tool"]["driver"]
        .as_object_mut()
        .unwrap()
        .remove("name");
    assert!(!schema_errors(&bad).is_empty());
}

#[test]
fn sample_sarif_keeps_the_invariants_the_schema_cannot_express() {
    let log = parse(&render(&sample_dir()));
    assert_eq!(log["version"], "2.1.0");
    let runs = log["runs"].as_array().unwrap();
    assert_eq!(runs.len(), 1);
    let driver = &runs[0]["tool"]["driver"];
    assert_eq!(driver["name"], "crosscheck");
    assert_eq!(driver["version"], env!("CARGO_PKG_VERSION"));

    // Every loaded rule is declared once, sorted by code, with its docs.
    let loaded = spec::load(&[]).unwrap();
    let declared = driver["rules"].as_array().unwrap();
    let ids: Vec<&str> = declared.iter().map(|r| r["id"].as_str().unwrap()).collect();
    let expected: BTreeSet<&str> = loaded.iter().map(|r| r.spec.code.as_str()).collect();
    assert_eq!(ids, expected.iter().copied().collect::<Vec<_>>());
    for rule in declared {
        for field in ["name", "shortDescription", "fullDescription", "help"] {
            assert!(rule.get(field).is_some(), "{field} missing in {rule}");
        }
        assert!(!rule["help"]["text"].as_str().unwrap().is_empty());
        let level = rule["defaultConfiguration"]["level"].as_str().unwrap();
        assert!(["error", "warning", "note"].contains(&level), "{level}");
    }

    for result in results(&log) {
        let rule_id = result["ruleId"].as_str().unwrap();
        let index = result["ruleIndex"].as_u64().unwrap() as usize;
        assert_eq!(ids.get(index), Some(&rule_id), "ruleIndex of {rule_id}");
        let level = result["level"].as_str().unwrap();
        assert!(["error", "warning", "note"].contains(&level), "{level}");
        assert!(!result["message"]["text"].as_str().unwrap().is_empty());
        assert!(result["partialFingerprints"]["crosscheck/v1"].is_string());
        assert_eq!(result["locations"].as_array().unwrap().len(), 1);
        let mut related_ids = BTreeSet::new();
        let related = result["relatedLocations"].as_array().unwrap();
        for r in related {
            assert!(related_ids.insert(r["id"].as_u64().unwrap()), "{r}");
            assert!(r["message"]["text"].is_string());
        }
        for location in result["locations"]
            .as_array()
            .unwrap()
            .iter()
            .chain(related)
        {
            let physical = &location["physicalLocation"];
            let uri = physical["artifactLocation"]["uri"].as_str().unwrap();
            assert!(uri.ends_with(".txt") && !uri.contains('\\'), "{uri}");
            let region = &physical["region"];
            let start_line = region["startLine"].as_u64().unwrap();
            let start_column = region["startColumn"].as_u64().unwrap();
            let end_line = region["endLine"].as_u64().unwrap();
            let end_column = region["endColumn"].as_u64().unwrap();
            assert!(start_line >= 1 && start_column >= 1, "{region}");
            assert!(
                (end_line, end_column) > (start_line, start_column),
                "{region}"
            );
            assert!(region["snippet"]["text"].is_string());
        }
    }
}

#[test]
fn sample_sarif_points_at_the_outlier_of_the_date_conflict() {
    let log = parse(&render(&sample_dir()));
    let d001 = results(&log)
        .iter()
        .find(|r| r["ruleId"] == "D001")
        .expect("the sample's date conflict");
    assert_eq!(d001["level"], "error");
    let location = &d001["locations"][0]["physicalLocation"];
    let uri = location["artifactLocation"]["uri"].as_str().unwrap();
    assert!(uri.contains("/002_"), "{uri}");
    let snippet = location["region"]["snippet"]["text"].as_str().unwrap();
    assert!(snippet.contains("2023"), "{snippet}");
    assert!(!d001["relatedLocations"].as_array().unwrap().is_empty());
}

#[test]
fn sample_sarif_is_byte_identical_on_a_second_run() {
    let first = render(&sample_dir());
    let second = render(&sample_dir());
    assert!(first == second, "two runs differ");
    assert!(first.ends_with(b"}\n"));
}

/// (ruleId, fingerprint) of every result, and the start line of each
/// result's primary location in the file whose name starts with `doc`.
fn fingerprints_and_lines(log: &Value, doc: &str) -> (BTreeSet<(String, String)>, Vec<u64>) {
    let mut fingerprints = BTreeSet::new();
    let mut lines = Vec::new();
    for result in results(log) {
        fingerprints.insert((
            result["ruleId"].as_str().unwrap().to_string(),
            result["partialFingerprints"]["crosscheck/v1"]
                .as_str()
                .unwrap()
                .to_string(),
        ));
        let physical = &result["locations"][0]["physicalLocation"];
        let uri = physical["artifactLocation"]["uri"].as_str().unwrap();
        if uri.rsplit('/').next().unwrap().starts_with(doc) {
            lines.push(physical["region"]["startLine"].as_u64().unwrap());
        }
    }
    (fingerprints, lines)
}

/// Renders the sample with a blank line inserted at the top of the
/// document whose file name starts with `doc`, and checks that the results
/// located there moved down one line while no fingerprint changed.
fn assert_fingerprints_survive_a_blank_line_in(doc: &str) {
    let original = parse(&render(&sample_dir()));
    let dir = tempfile::tempdir().unwrap();
    let copy = dir.path().join("rubio-ukraine");
    std::fs::create_dir(&copy).unwrap();
    let mut moved = None;
    for entry in std::fs::read_dir(sample_dir()).unwrap() {
        let path = entry.unwrap().path();
        let name = path.file_name().unwrap().to_owned();
        let mut text = std::fs::read_to_string(&path).unwrap();
        if name.to_string_lossy().starts_with(doc) {
            text.insert(0, '\n');
            moved = Some(name.clone());
        }
        std::fs::write(copy.join(&name), text).unwrap();
    }
    assert!(moved.is_some(), "the sample has no {doc} document");
    let shifted = parse(&render(&copy));

    let (before, lines_before) = fingerprints_and_lines(&original, doc);
    let (after, lines_after) = fingerprints_and_lines(&shifted, doc);
    assert!(!lines_before.is_empty(), "no result located in {doc}");
    let moved_down: Vec<u64> = lines_before.iter().map(|l| l + 1).collect();
    assert_eq!(lines_after, moved_down, "line numbers should move");
    assert_eq!(before, after, "fingerprints should not");

    // The rule ids and counts stay too: the same findings, moved.
    let count = |log: &Value| {
        let mut by_rule: BTreeMap<String, usize> = BTreeMap::new();
        for r in results(log) {
            *by_rule
                .entry(r["ruleId"].as_str().unwrap().to_string())
                .or_default() += 1;
        }
        by_rule
    };
    assert_eq!(count(&original), count(&shifted));
}

#[test]
fn fingerprints_survive_a_blank_line_at_the_top_of_the_outlier() {
    // 002 holds the date conflict's and the role conflict's outlier words.
    assert_fingerprints_survive_a_blank_line_in("002_");
}

#[test]
fn fingerprints_survive_a_blank_line_at_the_top_of_the_first_document() {
    // 000 is where the call's key is anchored and where the name variant
    // is located.
    assert_fingerprints_survive_a_blank_line_in("000_");
}

/// `crosscheck diff --format sarif` of the seed rewrite: valid, every diff
/// rule declared, each result pointing at the copy with the original as a
/// related location.
#[test]
fn diff_sarif_validates_and_declares_the_diff_rules() {
    let dir = sample_dir();
    let read = |name: &str| {
        ingest::read_paths(&[dir.join(name)], &Options::default())
            .documents
            .into_iter()
            .next()
            .unwrap()
    };
    let original = read("001_109151376af7ad50.txt");
    let copy = read("002_835a622e70ab705f.txt");
    let rules: Vec<spec::Rule> = spec::load_all(&[])
        .unwrap()
        .into_iter()
        .filter(spec::Rule::is_diff)
        .collect();
    let report = crosscheck::diff::diff_with(&original, &copy, &rules);
    let bundle = ingest::Bundle {
        documents: vec![original, copy],
        ..ingest::Bundle::default()
    };
    let mut out = Vec::new();
    sarif::write(&mut out, &bundle, &report.findings, &rules).unwrap();
    let log = parse(&out);
    let errors = schema_errors(&log);
    assert!(errors.is_empty(), "{errors:#?}");
    let declared: Vec<&str> = log["runs"][0]["tool"]["driver"]["rules"]
        .as_array()
        .unwrap()
        .iter()
        .map(|r| r["id"].as_str().unwrap())
        .collect();
    assert_eq!(declared.len(), rules.len());
    assert!(
        declared.iter().all(|id| id.starts_with('C')),
        "{declared:?}"
    );
    let results = results(&log);
    assert!(!results.is_empty());
    let first = &results[0];
    assert_eq!(first["ruleId"], "C001");
    assert_eq!(first["level"], "error");
    let uri = first["locations"][0]["physicalLocation"]["artifactLocation"]["uri"]
        .as_str()
        .unwrap();
    assert!(uri.ends_with("002_835a622e70ab705f.txt"), "{uri}");
    let related = first["relatedLocations"].as_array().unwrap();
    assert!(related
        .iter()
        .any(|r| r["physicalLocation"]["artifactLocation"]["uri"]
            .as_str()
            .unwrap_or("")
            .ends_with("001_109151376af7ad50.txt")));
}
