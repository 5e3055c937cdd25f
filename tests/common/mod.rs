//! Shared helpers for golden tests.
#![allow(dead_code)]

use std::path::{Path, PathBuf};

/// The crosscheck binary of this build, ready for arguments.
pub fn crosscheck() -> assert_cmd::Command {
    assert_cmd::Command::cargo_bin("crosscheck").expect("binary builds")
}

/// The repository root.
pub fn root() -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR"))
}

/// `../shared/<rel>` next to the repository, when present: evaluation data
/// is never copied into the repository, so tests using it skip without it.
pub fn shared(rel: &str) -> Option<PathBuf> {
    root()
        .ancestors()
        .map(|dir| dir.join("shared").join(rel))
        .find(|p| p.exists())
}

/// Compares `actual` with the golden file; `SNAPSHOTS=overwrite` rewrites
/// it instead, and the reviewer reads the diff.
pub fn assert_golden(name: &str, actual: &str) {
    let path = root().join("tests/golden").join(name);
    if std::env::var("SNAPSHOTS").as_deref() == Ok("overwrite") {
        if let Some(parent) = path.parent() {
            std::fs::create_dir_all(parent).expect("golden folder");
        }
        std::fs::write(&path, actual).expect("write golden");
        return;
    }
    let expected = std::fs::read_to_string(&path).unwrap_or_else(|_| {
        panic!(
            "missing golden {}; run with SNAPSHOTS=overwrite to create it",
            path.display()
        )
    });
    if expected != actual {
        let diff = first_difference(&expected, actual);
        panic!(
            "golden {} differs (rerun with SNAPSHOTS=overwrite and review the diff)\n{diff}",
            Path::new(name).display()
        );
    }
}

fn first_difference(expected: &str, actual: &str) -> String {
    for (i, (e, a)) in expected.lines().zip(actual.lines()).enumerate() {
        if e != a {
            return format!("line {}:\n  expected: {e}\n  actual:   {a}", i + 1);
        }
    }
    format!(
        "line counts differ: expected {}, actual {}",
        expected.lines().count(),
        actual.lines().count()
    )
}
