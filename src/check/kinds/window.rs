//! `window`: an event date far from the story's time window, for events
//! other sources also report (a past event only one source mentions is
//! history, not an error).

use super::finding;
use crate::check::spec::Rule;
use crate::check::timevalue::TimeValue;
use crate::check::{render, Context, Finding, FindingClaim};
use crate::claims::Shared;
use crate::key::Group;
use chrono::NaiveDate;
use std::collections::{BTreeMap, BTreeSet};

pub fn run(
    rule: &Rule,
    group: &Group,
    context: &Context,
    flagged: &BTreeSet<(Shared, usize)>,
) -> Vec<Finding> {
    let docs: BTreeSet<&str> = group.claims.iter().map(|c| &*c.doc).collect();
    if docs.len() < 2 {
        return Vec::new();
    }
    let max_days = rule.spec.params.max_days.unwrap_or(365);
    let mut out = Vec::new();
    for claim in &group.claims {
        if flagged.contains(&(claim.doc.clone(), claim.start))
            || claim.implied.iter().any(|p| p == "year")
        {
            continue;
        }
        // Only a stated day dates one event; "in 2014" names history.
        let Some(TimeValue::Day(day)) = TimeValue::parse(&claim.value) else {
            continue;
        };
        // The window: every publication date, and the other sources'
        // dates for this event.
        let mut window: Vec<NaiveDate> = context.published.values().copied().collect();
        window.extend(
            group
                .claims
                .iter()
                .filter(|o| o.doc != claim.doc)
                .filter_map(|o| TimeValue::parse(&o.value).and_then(|v| v.first_day())),
        );
        let (Some(first), Some(last)) = (window.iter().min(), window.iter().max()) else {
            continue;
        };
        let distance = if day < *first {
            (*first - day).num_days()
        } else if day > *last {
            (day - *last).num_days()
        } else {
            0
        };
        if distance <= max_days {
            continue;
        }
        let mut values = BTreeMap::new();
        values.insert("source", claim.doc.to_string());
        values.insert("key", group.label.clone());
        values.insert("date", day.to_string());
        values.insert("distance", format!("{distance} days"));
        values.insert("window", format!("{first} to {last}"));
        out.push(finding(
            rule,
            rule.spec.severity,
            &format!("{}|{}", group.key, claim.doc),
            &group.label,
            render(&rule.spec.message, &values),
            None,
            vec![FindingClaim {
                claim: claim.clone(),
                outlier: true,
            }],
        ));
    }
    out
}
