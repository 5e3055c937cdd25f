//! `conflict`: the values one key takes differ across sources.
//!
//! Each document contributes its most specific claim. A value's support is
//! the set of documents whose value agrees with it (dates at the coarser
//! granularity, counts as hedged intervals, roles after normalisation).
//! The best-supported value is the majority; documents that agree with it
//! in nothing are the outliers.

use super::{by_doc, finding};
use crate::check::spec::Rule;
use crate::check::timevalue::TimeValue;
use crate::check::{doc_list, render, Context, Finding, FindingClaim};
use crate::claims::Claim;
use crate::key::Group;
use chrono::NaiveDate;
use std::collections::{BTreeMap, BTreeSet};

pub fn run(rule: &Rule, group: &Group, context: &Context) -> Vec<Finding> {
    let docs = by_doc(&group.claims);
    if docs.len() < 2 {
        return Vec::new();
    }
    let attribute = group.attribute.as_str();
    // One representative claim per document: its most specific one.
    let reps: Vec<(&str, &Claim)> = docs
        .iter()
        .filter_map(|(doc, claims)| {
            claims
                .iter()
                .copied()
                .filter(|c| comparable(attribute, c))
                .max_by(|a, b| {
                    specificity(attribute, a)
                        .cmp(&specificity(attribute, b))
                        .then(b.start.cmp(&a.start))
                })
                .map(|c| (*doc, c))
        })
        .collect();
    if reps.len() < 2 {
        return Vec::new();
    }
    let params = &rule.spec.params;
    let birthday = params.birthday_after_days.unwrap_or(30);
    let agree = |a: &Claim, b: &Claim| {
        if attribute == "age" {
            return ages_agree(a, b, birthday);
        }
        agrees(attribute, a, b, params.relative_tolerance.unwrap_or(0.0))
    };
    let same_set = |a: &Claim, b: &Claim| {
        // A namesake parent and child ("5-year-old John Hoffman", "49-year-old
        // John Ali Hoffman") are two people; a misreported age is rarely
        // off by half.
        if attribute == "age" {
            return same_set("count", a, b, params.max_ratio.unwrap_or(2.0));
        }
        // A count with a predicate ("six people killed") is pinned down; a
        // bare count of things ("three handguns") only matches a close one.
        let pinned = a.facet.as_deref().is_some_and(|f| f.contains(' '));
        let ratio = if pinned {
            params.max_ratio.unwrap_or(1.5)
        } else {
            params.max_ratio_plain.unwrap_or(1.2)
        };
        same_set(attribute, a, b, ratio)
    };
    // Counts of clearly different sets are different keys: keep the reps
    // that can describe one set with the first.
    let reps: Vec<(&str, &Claim)> = reps
        .iter()
        .filter(|(_, c)| reps.iter().all(|(_, o)| same_set(c, o)))
        .copied()
        .collect();
    // Counts whose sentences date them to days apart ("five wounded
    // Saturday" in a report of May 2016, "four wounded Sunday" in one of
    // 2018) count the victims of different events, however alike the words.
    // Only counts that disagree need their days (reading them runs the
    // time extractor, which a cached re-run has not built yet).
    let disagree = reps
        .iter()
        .any(|(_, a)| reps.iter().any(|(_, b)| !agree(a, b)));
    let reps: Vec<(&str, &Claim)> = if attribute == "count" && disagree {
        let days: Vec<Vec<NaiveDate>> = reps.iter().map(|(d, c)| days_of(c, context, d)).collect();
        reps.iter()
            .zip(&days)
            .filter(|(_, mine)| days.iter().all(|theirs| !dated_apart(mine, theirs)))
            .map(|(r, _)| *r)
            .collect()
    } else {
        reps
    };
    if reps.len() < 2 {
        return Vec::new();
    }
    let support = |c: &Claim| -> BTreeSet<&str> {
        reps.iter()
            .filter(|(_, o)| agree(c, o))
            .map(|(d, _)| *d)
            .collect()
    };
    let best = reps
        .iter()
        .max_by(|a, b| {
            support(a.1)
                .len()
                .cmp(&support(b.1).len())
                .then(specificity(attribute, a.1).cmp(&specificity(attribute, b.1)))
                .then(b.0.cmp(a.0))
        })
        .copied();
    let Some((_, best)) = best else {
        return Vec::new();
    };
    let majority_docs = support(best);
    let outliers: Vec<(&str, &Claim)> = reps
        .iter()
        .filter(|(d, _)| !majority_docs.contains(d))
        .copied()
        .collect();
    if outliers.is_empty() {
        return Vec::new();
    }
    // With as many on each side there is no majority: report the
    // disagreement without naming an outlier.
    let has_majority = majority_docs.len() > outliers.len();
    // A disagreement that rests only on guessed parts (a year taken from
    // the publication date) weighs less than one between stated parts.
    let majority_claims: Vec<&Claim> = reps
        .iter()
        .filter(|(d, _)| majority_docs.contains(d))
        .map(|(_, c)| *c)
        .collect();
    let robust = outliers
        .iter()
        .any(|(_, o)| majority_claims.iter().any(|m| stated_disagree(o, m)));
    let severity = if attribute == "date" && !robust {
        params.implied_severity.unwrap_or(rule.spec.severity)
    } else {
        rule.spec.severity
    };
    let outlier_docs: Vec<&str> = outliers.iter().map(|(d, _)| *d).collect();
    let majority_list: Vec<&str> = majority_docs.iter().copied().collect();
    let mut values = BTreeMap::new();
    values.insert("key", group.label.clone());
    values.insert("subject", best.subject.clone());
    values.insert("facet", plural(best.facet.as_deref().unwrap_or("")));
    values.insert("outlier_sources", doc_list(&outlier_docs));
    values.insert(
        "outlier_value",
        describe_all(attribute, outliers.iter().map(|(_, c)| *c)),
    );
    values.insert("majority_sources", doc_list(&majority_list));
    values.insert(
        "majority_value",
        describe_all(
            attribute,
            reps.iter()
                .filter(|(d, _)| majority_docs.contains(d))
                .map(|(_, c)| *c),
        ),
    );
    values.insert("apart", apart(context, &outlier_docs, &majority_list));
    let message = render(&rule.spec.message, &values);
    let outlier_set: BTreeSet<&str> = outlier_docs.iter().copied().collect();
    let claims = reps
        .iter()
        .map(|(d, c)| FindingClaim {
            claim: (*c).clone(),
            outlier: has_majority && outlier_set.contains(d),
        })
        .collect();
    vec![finding(
        rule,
        severity,
        &group.key,
        &group.label,
        message,
        has_majority.then(|| describe(attribute, best)),
        claims,
    )]
}

/// What a date claim states outright: a relative weekday states its
/// weekday; a value with a guessed year states nothing we can hold
/// against a stated date.
fn stated_value(c: &Claim) -> Option<TimeValue> {
    let value = TimeValue::parse(&c.value)?;
    let implied = |part: &str| c.implied.iter().any(|p| p == part);
    if implied("day") || implied("month") {
        let weekday = c
            .weekday
            .as_deref()
            .and_then(crate::check::timevalue::parse_weekday);
        return weekday.map(TimeValue::Weekday).or(match value {
            TimeValue::Weekday(w) => Some(TimeValue::Weekday(w)),
            _ => None,
        });
    }
    if implied("year") {
        return None;
    }
    Some(value)
}

fn stated_disagree(a: &Claim, b: &Claim) -> bool {
    match (stated_value(a), stated_value(b)) {
        (Some(x), Some(y)) => !x.agrees(&y),
        _ => false,
    }
}

fn comparable(attribute: &str, c: &Claim) -> bool {
    match attribute {
        // Only days and weekdays date one event; "in 2014" or "last month"
        // in a news story mostly name other events.
        "date" => matches!(
            TimeValue::parse(&c.value),
            Some(TimeValue::Day(_) | TimeValue::Weekday(_) | TimeValue::Weekend(..))
        ),
        "count" => c.number.is_some() && !counts_the_rest(c.facet.as_deref(), &c.text, &c.sentence),
        _ => true,
    }
}

/// "The six others wounded", "the two other injured victims": others than
/// someone the text has just singled out (the two in critical condition,
/// the victim it names), a remainder of the toll and not the toll.
fn counts_the_rest(facet: Option<&str>, text: &str, sentence: &str) -> bool {
    if !facet.is_some_and(|f| f.starts_with("other")) {
        return false;
    }
    let Some(at) = sentence.find(text) else {
        return false;
    };
    sentence[..at]
        .split_whitespace()
        .next_back()
        .is_some_and(|w| w.eq_ignore_ascii_case("the"))
}

fn specificity(attribute: &str, c: &Claim) -> (u8, u8) {
    match attribute {
        "date" => {
            let s = TimeValue::parse(&c.value).map_or(0, |v| v.specificity());
            // A stated value outranks one resolved from context.
            let stated = u8::from(c.resolved.as_deref() == Some("absolute"));
            (s, stated)
        }
        "count" => (u8::from(c.hedge.as_deref() == Some("exact")), 0),
        "role" => (c.qualifiers.len().min(9) as u8, 0),
        _ => (0, 0),
    }
}

/// The interval a hedged count allows.
fn interval(c: &Claim) -> (f64, f64) {
    let v = c.number.unwrap_or(0.0);
    let max = c.number_max.unwrap_or(v);
    match c.hedge.as_deref().unwrap_or("exact") {
        "about" => (v * 0.9, max * 1.1),
        "at least" => (v, f64::INFINITY),
        "more than" => (v + f64::EPSILON, f64::INFINITY),
        "up to" => (0.0, max),
        "nearly" => (v * 0.9, max),
        "fewer than" => (0.0, v - f64::EPSILON),
        _ => (v, max),
    }
}

fn agrees(attribute: &str, a: &Claim, b: &Claim, tolerance: f64) -> bool {
    match attribute {
        "date" => match (TimeValue::parse(&a.value), TimeValue::parse(&b.value)) {
            (Some(x), Some(y)) => x.agrees(&y),
            _ => true,
        },
        "count" => {
            let (a0, a1) = interval(a);
            let (b0, b1) = interval(b);
            let slack = tolerance * a1.max(b1).min(1e18);
            a0 <= b1 + slack && b0 <= a1 + slack
        }
        _ => a.value.eq_ignore_ascii_case(&b.value),
    }
}

/// Two ages of one person agree when equal, or one year apart when the
/// reports are more than `birthday_after_days` apart or either states no
/// date (a date inferred from the bundle is a guess): a birthday may fall
/// between.
fn ages_agree(a: &Claim, b: &Claim, birthday_after_days: i64) -> bool {
    let (Some(x), Some(y)) = (a.number, b.number) else {
        return true;
    };
    let gap = (x - y).abs().round() as i64;
    if gap == 0 {
        return true;
    }
    match (a.published, b.published) {
        // Reports a year and a half apart may give ages two years apart.
        (Some(da), Some(db)) => {
            let days = (da - db).num_days().abs();
            days > birthday_after_days && gap <= 1 + days * 100 / 36525
        }
        _ => gap <= 1,
    }
}

/// Whether two counts can be counting the same set.
fn same_set(attribute: &str, a: &Claim, b: &Claim, max_ratio: f64) -> bool {
    if attribute != "count" {
        return true;
    }
    let (Some(x), Some(y)) = (a.number, b.number) else {
        return false;
    };
    if x <= 0.0 || y <= 0.0 {
        return false;
    }
    let holders_agree = match (a.subject.split_once(" in "), b.subject.split_once(" in ")) {
        (Some((_, ha)), Some((_, hb))) => ha == hb,
        _ => true,
    };
    holders_agree && x.max(y) / x.min(y) <= max_ratio
}

/// The days a count's sentence names, resolved against the document's
/// publication date ("Sunday" in a report of Monday, May 30, 2016 is
/// May 29). Empty when it names none.
fn days_of(c: &Claim, context: &Context, doc: &str) -> Vec<NaiveDate> {
    let anchor = c.published.or_else(|| context.published.get(doc).copied());
    crate::extract::time::TimeExtractor::global()
        .extract_all(&c.sentence, anchor)
        .iter()
        // A weekday resolved against the report's date names its day; a
        // month and day with a guessed year may not.
        .filter(|t| t.resolved.as_str() == "relative" || !t.implied.contains(&"year"))
        .filter_map(|t| NaiveDate::parse_from_str(t.value.get(..10)?, "%Y-%m-%d").ok())
        .collect()
}

/// Two sentences that both name days, none of them within a day of the
/// other's ("late Saturday" and "early Sunday" are one night).
fn dated_apart(a: &[NaiveDate], b: &[NaiveDate]) -> bool {
    !a.is_empty()
        && !b.is_empty()
        && a.iter()
            .all(|x| b.iter().all(|y| (*x - *y).num_days().abs() > 1))
}

fn describe(attribute: &str, c: &Claim) -> String {
    match attribute {
        "date" => TimeValue::parse(&c.value).map_or(c.value.clone(), |v| v.describe()),
        "count" => {
            let hedge = c.hedge.as_deref().unwrap_or("exact");
            if hedge == "exact" {
                c.value.clone()
            } else {
                format!("{hedge} {}", c.value)
            }
        }
        _ => c.value.clone(),
    }
}

fn describe_all<'a>(attribute: &str, claims: impl Iterator<Item = &'a Claim>) -> String {
    let mut seen = Vec::new();
    for c in claims {
        let d = describe(attribute, c);
        if !seen.contains(&d) {
            seen.push(d);
        }
    }
    seen.join(" / ")
}

fn plural(noun: &str) -> String {
    if let Some((head, rest)) = noun.split_once(' ') {
        return format!("{} {rest}", plural(head));
    }
    match noun {
        "person" => "people".into(),
        "man" => "men".into(),
        "woman" => "women".into(),
        "child" => "children".into(),
        "" => String::new(),
        "country" => "countries".into(),
        n if n.ends_with('y') && !n.ends_with("ay") && !n.ends_with("ey") => {
            format!("{}ies", &n[..n.len() - 1])
        }
        n if n.ends_with('s') => n.to_string(),
        n => format!("{n}s"),
    }
}

/// " (reports about three months apart)" when the two sides were
/// published weeks apart: a count can change between reports.
fn apart(context: &Context, outliers: &[&str], majority: &[&str]) -> String {
    let dates = |docs: &[&str]| -> Vec<chrono::NaiveDate> {
        docs.iter()
            .filter_map(|d| context.published.get(*d).copied())
            .collect()
    };
    let (a, b) = (dates(outliers), dates(majority));
    let (Some(a_mid), Some(b_mid)) = (a.get(a.len() / 2), b.get(b.len() / 2)) else {
        return String::new();
    };
    let days = (*a_mid - *b_mid).num_days().abs();
    let inferred = outliers
        .iter()
        .chain(majority)
        .any(|d| context.inferred.contains(*d));
    let about = if inferred { "about " } else { "" };
    let span = if days >= 45 {
        let months = (days as f64 / 30.4).round() as i64;
        format!("{about}{} months", number_word(months))
    } else if days >= 14 {
        format!("{about}{} weeks", number_word(days / 7))
    } else {
        return String::new();
    };
    format!(" (reports {span} apart)")
}

fn number_word(n: i64) -> String {
    const WORDS: [&str; 13] = [
        "zero", "one", "two", "three", "four", "five", "six", "seven", "eight", "nine", "ten",
        "eleven", "twelve",
    ];
    usize::try_from(n)
        .ok()
        .and_then(|i| WORDS.get(i))
        .map_or_else(|| n.to_string(), |w| w.to_string())
}

#[cfg(test)]
mod tests {
    use super::{ages_agree, counts_the_rest, dated_apart};
    use crate::claims::Claim;

    fn age(value: f64, published: Option<&str>) -> Claim {
        let doc = crate::diff::document("a.txt", "Jane Doe, 24, spoke.");
        let index = crate::model::LineIndex::new(&doc.text);
        let mut c = Claim::at(
            &doc,
            &index,
            10..12,
            "",
            "Jane Doe".into(),
            crate::claims::SubjectKind::Person,
            "age",
            value.to_string(),
        );
        c.number = Some(value);
        c.published = published.map(day);
        c
    }

    #[test]
    fn ages_a_birthday_apart_agree_only_when_the_reports_are_apart() {
        let same_week = (Some("2025-03-02"), Some("2025-03-05"));
        let months = (Some("2025-03-02"), Some("2025-09-15"));
        let years = (Some("2013-08-21"), Some("2015-02-23"));
        let agree = |a: f64, b: f64, (da, db): (Option<&str>, Option<&str>)| {
            ages_agree(&age(a, da), &age(b, db), 30)
        };
        assert!(agree(24.0, 24.0, same_week));
        assert!(!agree(24.0, 25.0, same_week));
        assert!(agree(24.0, 25.0, months));
        assert!(!agree(24.0, 26.0, months));
        assert!(agree(35.0, 37.0, years), "a year and a half apart");
        assert!(agree(24.0, 25.0, (None, Some("2025-03-05"))), "undated");
        assert!(!agree(24.0, 26.0, (None, None)));
    }
    use chrono::NaiveDate;

    fn day(s: &str) -> NaiveDate {
        NaiveDate::parse_from_str(s, "%Y-%m-%d").unwrap()
    }

    #[test]
    fn the_others_are_a_remainder_not_a_toll() {
        let facet = Some("other injured");
        assert!(counts_the_rest(
            facet,
            "six others",
            "The six others wounded received non-life threatening injuries."
        ));
        assert!(!counts_the_rest(
            facet,
            "six others",
            "One man died and six others were wounded."
        ));
        assert!(!counts_the_rest(
            Some("person injured"),
            "six people",
            "The six people were wounded."
        ));
    }

    #[test]
    fn counts_are_dated_apart_only_when_every_named_day_differs() {
        let sat = [day("2016-05-28")];
        let sun = [day("2016-05-29")];
        let later = [day("2018-03-10")];
        assert!(!dated_apart(&sat, &sun), "one night");
        assert!(dated_apart(&sun, &later));
        assert!(!dated_apart(&[], &later), "an undated count may be either");
        assert!(!dated_apart(&[later[0], sun[0]], &sun), "a shared day");
    }
}
