//! The closed set of rule kinds, one file each.

pub mod calendar;
pub mod conflict;
pub mod drift;
pub mod variant;
pub mod window;

use super::{Finding, FindingClaim};
use crate::check::spec::{Rule, Severity};
use crate::claims::Claim;
use std::collections::BTreeMap;

/// A finding with the rule's identity filled in.
pub(crate) fn finding(
    rule: &Rule,
    severity: Severity,
    key: &str,
    label: &str,
    message: String,
    majority: Option<String>,
    claims: Vec<FindingClaim>,
) -> Finding {
    Finding {
        rule: rule.spec.id.clone(),
        code: rule.spec.code.clone(),
        kind: rule.spec.kind,
        severity,
        key: key.to_string(),
        label: label.to_string(),
        message,
        majority,
        claims,
        story: None,
    }
}

/// Claims grouped by document, in document order.
pub(crate) fn by_doc(claims: &[Claim]) -> BTreeMap<&str, Vec<&Claim>> {
    let mut map: BTreeMap<&str, Vec<&Claim>> = BTreeMap::new();
    for c in claims {
        map.entry(&*c.doc).or_default().push(c);
    }
    map
}
