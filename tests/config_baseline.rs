//! The config and baseline modules on a real bundle: the library pipeline
//! over `samples/rubio-ukraine`, as `crosscheck check` runs it.

use crosscheck::baseline;
use crosscheck::check::{spec, Finding};
use crosscheck::config;
use crosscheck::model::Document;
use std::path::{Path, PathBuf};

fn sample() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("samples/rubio-ukraine")
}

fn documents() -> Vec<Document> {
    let bundle = crosscheck::ingest::read_paths(&[sample()], &Default::default());
    assert!(bundle.errors.is_empty(), "{:?}", bundle.errors);
    assert_eq!(bundle.documents.len(), 5);
    bundle.documents
}

fn check(documents: &[Document], rules: &[spec::Rule]) -> Vec<Finding> {
    crosscheck::pipeline::check_documents(documents, rules)
}

#[test]
fn a_baseline_of_the_sample_suppresses_it_and_goes_stale_when_a_source_leaves() {
    let rules = spec::load(&[]).unwrap();
    let documents = documents();
    let findings = check(&documents, &rules);
    assert!(!findings.is_empty());

    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("crosscheck-baseline.json");
    baseline::write(&path, &findings).unwrap();
    let text = std::fs::read_to_string(&path).unwrap();
    assert!(text.contains("\"schema\": \"crosscheck/baseline/v1\""));
    assert!(text.ends_with("}\n"));

    let base = baseline::read(&path).unwrap();
    let outcome = base.filter(findings.clone());
    assert!(outcome.kept.is_empty(), "{:?}", outcome.kept);
    assert_eq!(outcome.suppressed, findings.len());
    assert_eq!(outcome.stale, 0);

    // Without 002 (the outlier on the call's date) its findings are gone.
    let fewer: Vec<Document> = documents
        .into_iter()
        .filter(|d| !d.id.starts_with("002"))
        .collect();
    let outcome = base.filter(check(&fewer, &rules));
    assert!(outcome.stale > 0, "{}", outcome.note());
}

#[test]
fn the_sample_manifest_is_a_valid_config_and_select_narrows_the_findings() {
    // The bundle's manifest has only `[documents]`: as a config it means
    // "all defaults".
    let manifest = config::load(&sample().join(config::CONFIG_NAME)).unwrap();
    let rules = spec::load(&[]).unwrap();
    assert_eq!(
        manifest.apply_to_rules(rules.clone()).unwrap().len(),
        rules.len()
    );

    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join(config::CONFIG_NAME);
    std::fs::write(
        &path,
        "[check]\nselect = [\"D\"]\n\n[check.severity]\nD001 = \"warning\"\n",
    )
    .unwrap();
    let cfg = config::load(&path).unwrap();
    let selected = cfg.apply_to_rules(rules).unwrap();
    let findings = check(&documents(), &selected);
    assert!(!findings.is_empty());
    assert!(findings.iter().all(|f| f.code.starts_with('D')));
    assert!(findings
        .iter()
        .filter(|f| f.code == "D001")
        .all(|f| f.severity == spec::Severity::Warning));
}
