//! The diff's rules: ids, codes, severities and messages, as constants.
//!
//! They are not `rules/*.toml` files: `check::spec::load` runs every rule
//! it loads through `check::run`, which would need a new `Kind` the
//! engine does not have. Until the lead adds `Kind::Diff`, severities are
//! fixed here and `kind` names the closest existing kind.

use crate::check::spec::{Kind, Severity};

/// One diff rule.
#[derive(Debug, Clone, Copy)]
pub struct DiffRule {
    pub id: &'static str,
    pub code: &'static str,
    pub kind: Kind,
    pub severity: Severity,
    pub summary: &'static str,
    /// `{subject}`, `{original}`, `{copy}`, `{office}` are filled in.
    pub message: &'static str,
}

const fn rule(
    id: &'static str,
    code: &'static str,
    kind: Kind,
    severity: Severity,
    summary: &'static str,
    message: &'static str,
) -> DiffRule {
    DiffRule {
        id,
        code,
        kind,
        severity,
        summary,
        message,
    }
}

pub const CHANGED_DATE: DiffRule = rule(
    "diff-changed-date",
    "C001",
    Kind::Conflict,
    Severity::Error,
    "date changed",
    "the copy dates the {subject} {copy}; the original says {original}",
);
pub const CHANGED_WEEKDAY: DiffRule = rule(
    "diff-changed-weekday",
    "C002",
    Kind::Conflict,
    Severity::Error,
    "weekday changed",
    "the copy puts the {subject} on {copy}; the original on {original}",
);
pub const CHANGED_NUMBER: DiffRule = rule(
    "diff-changed-number",
    "C003",
    Kind::Conflict,
    Severity::Warning,
    "number changed",
    "the copy counts {copy}; the original {original}",
);
pub const CHANGED_HEDGE: DiffRule = rule(
    "diff-changed-hedge",
    "C004",
    Kind::Conflict,
    Severity::Warning,
    "hedge changed",
    "the copy says {copy}; the original {original}",
);
pub const CHANGED_QUALIFIER: DiffRule = rule(
    "diff-changed-role-qualifier",
    "C005",
    Kind::Conflict,
    Severity::Warning,
    "role qualifier changed",
    "the copy calls {subject} {copy}; the original {original}",
);
pub const QUOTE_REWORDED: DiffRule = rule(
    "diff-quote-reworded",
    "C006",
    Kind::Drift,
    Severity::Warning,
    "quote reworded",
    "{subject} is quoted {copy} in the copy; the original quotes {original}",
);
pub const CHANGED_NEGATION: DiffRule = rule(
    "diff-changed-negation",
    "C007",
    Kind::Conflict,
    Severity::Warning,
    "negation changed",
    "the copy's sentence is {copy} where the original's is {original}",
);
pub const ADDED_QUOTE: DiffRule = rule(
    "diff-added-quote",
    "C010",
    Kind::Conflict,
    Severity::Warning,
    "quote with no source",
    "the copy quotes {subject} {copy}; the original never does",
);
pub const ADDED_NUMBER: DiffRule = rule(
    "diff-added-number",
    "C011",
    Kind::Conflict,
    Severity::Warning,
    "number with no source",
    "the copy states {copy}; the original never does",
);
pub const ADDED_DATE: DiffRule = rule(
    "diff-added-date",
    "C012",
    Kind::Conflict,
    Severity::Warning,
    "date with no source",
    "the copy states {copy}; the original never does",
);
pub const ADDED_NAME: DiffRule = rule(
    "diff-added-name",
    "C013",
    Kind::Conflict,
    Severity::Warning,
    "name with no source",
    "the copy names {copy}; the original never does",
);
pub const CHANGED_TERM: DiffRule = rule(
    "diff-changed-term",
    "C014",
    Kind::Conflict,
    Severity::Warning,
    "fact word with no source",
    "the copy says {copy} where the original uses {original}",
);
pub const DROPPED: DiffRule = rule(
    "diff-dropped-fact",
    "C020",
    Kind::Conflict,
    Severity::Info,
    "dropped",
    "the copy leaves out the original's {original}",
);
pub const EQUIVALENT_TITLE: DiffRule = rule(
    "diff-equivalent-title",
    "C030",
    Kind::Variant,
    Severity::Info,
    "title reworded",
    "the copy names {subject}'s office ({office}) {copy}; the original {original}",
);
pub const EQUIVALENT_SPELLING: DiffRule = rule(
    "diff-equivalent-spelling",
    "C031",
    Kind::Variant,
    Severity::Info,
    "spelling",
    "the copy spells {subject} {copy}; the original {original}",
);

/// Every diff rule, for listings.
pub const ALL: &[DiffRule] = &[
    CHANGED_DATE,
    CHANGED_WEEKDAY,
    CHANGED_NUMBER,
    CHANGED_HEDGE,
    CHANGED_QUALIFIER,
    QUOTE_REWORDED,
    CHANGED_NEGATION,
    ADDED_QUOTE,
    ADDED_NUMBER,
    ADDED_DATE,
    ADDED_NAME,
    CHANGED_TERM,
    DROPPED,
    EQUIVALENT_TITLE,
    EQUIVALENT_SPELLING,
];
