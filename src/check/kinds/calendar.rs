//! `calendar`: a weekday and a date given to one event by one document
//! that do not fall together ("Thursday's call" on July 15, 2023, a
//! Saturday).

use super::{by_doc, finding};
use crate::check::spec::Rule;
use crate::check::timevalue::{parse_weekday, weekday_name, TimeValue};
use crate::check::{render, Finding, FindingClaim};
use crate::key::Group;
use std::collections::BTreeMap;

pub fn run(rule: &Rule, group: &Group) -> Vec<Finding> {
    let mut out = Vec::new();
    for (doc, claims) in by_doc(&group.claims) {
        // A date whose year was guessed is no evidence against its weekday:
        // "Sunday, Nov. 15" in a story dated a year late names the year in
        // which Nov. 15 was a Sunday.
        let dated = claims
            .iter()
            .find_map(|c| match TimeValue::parse(&c.value) {
                Some(TimeValue::Day(d))
                    if c.resolved.as_deref() == Some("absolute")
                        && !c.implied.iter().any(|p| p == "year") =>
                {
                    Some((*c, d))
                }
                _ => None,
            });
        let Some((dated_claim, date)) = dated else {
            continue;
        };
        let stated = claims.iter().find_map(|c| {
            let from_words = c.weekday.as_deref().and_then(parse_weekday);
            let from_value = match TimeValue::parse(&c.value) {
                Some(TimeValue::Weekday(w)) => Some(w),
                _ => None,
            };
            from_words.or(from_value).map(|w| (*c, w))
        });
        let Some((weekday_claim, weekday)) = stated else {
            continue;
        };
        if weekday == chrono::Datelike::weekday(&date) {
            continue;
        }
        let mut values = BTreeMap::new();
        values.insert("source", doc.to_string());
        values.insert("key", group.label.clone());
        values.insert("date", date.to_string());
        values.insert(
            "actual_weekday",
            weekday_name(chrono::Datelike::weekday(&date)).to_string(),
        );
        values.insert("stated_weekday", weekday_name(weekday).to_string());
        let message = render(&rule.spec.message, &values);
        let mut claims = vec![FindingClaim {
            claim: dated_claim.clone(),
            outlier: true,
        }];
        if !std::ptr::eq(dated_claim, weekday_claim) {
            claims.push(FindingClaim {
                claim: weekday_claim.clone(),
                outlier: true,
            });
        }
        out.push(finding(
            rule,
            rule.spec.severity,
            &format!("{}|{doc}", group.key),
            &group.label,
            message,
            None,
            claims,
        ));
    }
    out
}
