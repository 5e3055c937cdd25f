//! Quantity span scores on MEANTIME. Prints the table (run with `--nocapture`;
//! set `MEANTIME_MISSES=1` to list every miss and false positive) and holds floors
//! just under the scores reached, so regressions fail.

use crosscheck::eval::meantime::evaluate;
use std::path::PathBuf;

fn meantime_dir() -> Option<PathBuf> {
    let mut dir = PathBuf::from(env!("CARGO_MANIFEST_DIR"));
    loop {
        let cand = dir.join("shared/eval/meantime");
        if cand.is_dir() {
            return Some(cand);
        }
        if !dir.pop() {
            return None;
        }
    }
}

#[test]
fn meantime_quantity_spans_stay_above_floors() {
    let Some(dir) = meantime_dir() else {
        eprintln!("note: shared/eval/meantime not found above CARGO_MANIFEST_DIR; skipped");
        return;
    };
    let report = match evaluate(&dir) {
        Ok(r) => r,
        Err(e) => panic!("evaluate {}: {e}", dir.display()),
    };
    println!("{}", report.render());
    if std::env::var_os("MEANTIME_MISSES").is_some() {
        println!("{}", report.render_misses());
    }
    assert_eq!(report.documents, 120);
    let t = &report.typed;
    let u = &report.untyped;
    let by = |name: &str| {
        report
            .by_type
            .iter()
            .find(|(n, _)| n == name)
            .map(|(_, c)| c.clone())
            .unwrap_or_default()
    };
    let floors = [
        ("typed strict P", t.precision(true), 0.86),
        ("typed strict R", t.recall(true), 0.84),
        ("any-type relaxed P", u.precision(false), 0.95),
        ("any-type relaxed R", u.recall(false), 0.95),
        ("MONEY strict R", by("MONEY").recall(true), 0.82),
        ("PERCENT strict R", by("PERCENT").recall(true), 0.91),
        ("QUANTITY strict R", by("QUANTITY").recall(true), 0.82),
    ];
    for (name, got, floor) in floors {
        assert!(got >= floor, "{name}: {got:.3} < floor {floor:.3}");
    }
}
