//! Unit tests: every pattern's examples, and the non-dates that must not fire.

use super::*;

fn anchor() -> Option<NaiveDate> {
    NaiveDate::from_ymd_opt(2025, 8, 17)
}

fn run(text: &str, anchor: Option<NaiveDate>) -> Vec<TimeMention> {
    TimeExtractor::global().extract_all(text, anchor)
}

/// Rules compile lazily; every shipped one must compile.
#[test]
fn every_rule_compiles() {
    for rule in &TimeExtractor::global().rules {
        assert!(rule.regex().pattern_len() == 1, "{}", rule.name);
    }
}

/// Run each `examples` line of `rules/time/patterns.toml`.
#[test]
fn pattern_examples() {
    let ex = TimeExtractor::global();
    let mut failures = Vec::new();
    for rule in &ex.rules {
        for example in &rule.examples {
            let Some((input, want)) = example.rsplit_once(" => ") else {
                failures.push(format!("{}: malformed example {example:?}", rule.name));
                continue;
            };
            // "[x]" marks the expected extent inside some context.
            let (text, span) = match (input.find('['), input.find(']')) {
                (Some(a), Some(b)) if a < b => {
                    let text = format!("{}{}{}", &input[..a], &input[a + 1..b], &input[b + 1..]);
                    (text, a..b - 1)
                }
                _ => (input.to_string(), 0..input.len()),
            };
            let found = run(&text, anchor());
            if want == "-" {
                let hit = found
                    .iter()
                    .find(|m| m.start < span.end && span.start < m.end);
                if let Some(m) = hit {
                    failures.push(format!(
                        "{}: {input:?} should find nothing, found {m:?}",
                        rule.name
                    ));
                }
                continue;
            }
            match found.iter().find(|m| m.start == span.start) {
                Some(m) if m.end == span.end && m.value == want => {}
                other => failures.push(format!(
                    "{}: {input:?} want {:?}={want}, got {:?}",
                    rule.name,
                    &text[span.clone()],
                    other.map(|m| (&m.text, &m.value, m.rule))
                )),
            }
        }
    }
    assert!(
        failures.is_empty(),
        "{} failures:\n{}",
        failures.len(),
        failures.join("\n")
    );
}

#[test]
fn does_not_fire_on_non_dates() {
    for text in [
        "Some may contribute boots on the ground.",
        "They may march on the capital.",
        "Protesters march through the city.",
        "He read it in the Sun yesterday morning"
            .split(" yesterday")
            .next()
            .unwrap_or(""),
        "Ukraine would limit its military to 600,000 troops.",
        "The post had 3410 views.",
        "The package is worth $67 billion.",
        "They defended the 28-point plan.",
        "Call 202-555-2025 or +1 (212) 555-1999.",
        "A 12-year-old boy was hurt.",
        "The five-year-old girl smiled.",
        "Will Smith and June Carter sang.",
        "Prices fall in the market.",
        "They sent 2000 troops.",
        "It grew 2.5%.",
        "Ratio 3:2.",
    ] {
        let found = run(text, anchor());
        assert!(found.is_empty(), "{text:?} found {found:?}");
    }
}

#[test]
fn weekdays_follow_tense_and_news_convention() {
    // Published Sunday 2025-08-17.
    let t = "Witkoff took part in the talks Friday. It was expected to be a key topic Monday. A U.S. official said Sunday.";
    let v: Vec<_> = run(t, anchor())
        .into_iter()
        .map(|m| (m.text, m.value))
        .collect();
    assert_eq!(
        v,
        [
            ("Friday".to_string(), "2025-08-15".to_string()),
            ("Monday".to_string(), "2025-08-18".to_string()),
            ("Sunday".to_string(), "2025-08-17".to_string()),
        ]
    );
}

#[test]
fn weekday_without_anchor_stays_unresolved() {
    let m = &run("participated in Thursday's call", None)[0];
    assert_eq!(m.text, "Thursday");
    assert_eq!(m.value, "XXXX-WXX-4");
    assert_eq!(m.resolved, Resolution::Unresolved);
    assert_eq!(m.granularity, Granularity::Weekday);
    assert_eq!(m.weekday, Some(Weekday::Thu));
}

#[test]
fn year_from_anchor_is_implied() {
    let m = &run("He visited in May.", NaiveDate::from_ymd_opt(2025, 8, 22))[0];
    assert_eq!(
        (m.value.as_str(), m.resolved),
        ("2025-05", Resolution::Relative)
    );
    assert_eq!(m.implied, ["year"]);
    let m = &run("July 15, 2023", None)[0];
    assert_eq!(
        (m.value.as_str(), m.resolved),
        ("2023-07-15", Resolution::Absolute)
    );
    assert!(m.implied.is_empty());
}

#[test]
fn anaphora_resolve_against_previous_date() {
    let t = "They met on March 3, 2024. The next day they left.";
    let v: Vec<_> = run(t, anchor()).into_iter().map(|m| m.value).collect();
    assert_eq!(v, ["2024-03-03", "2024-03-04"]);
}

#[test]
fn stated_weekday_is_kept_with_its_date() {
    let m = &run("Thursday, November 27, 2025", None)[0];
    assert_eq!(m.value, "2025-11-27");
    assert_eq!(m.weekday, Some(Weekday::Thu));
}

#[test]
fn matches_stay_inside_ranges() {
    let text = "It ended July 15, 2023 here.";
    // The range ends inside "2023": the year must not be read.
    let range = 0..20;
    let found = TimeExtractor::global().extract(text, std::slice::from_ref(&range), anchor());
    assert_eq!(found[0].text, "July 15");
    assert!(found.iter().all(|m| m.end <= 20));
}

#[test]
fn odd_ranges_and_text_never_panic() {
    let ex = TimeExtractor::global();
    let text = "é 5 May 2024 ü Thursday… 10:30 p.m. 19.08.25";
    for s in 0..=text.len() {
        for e in s..=text.len() {
            for m in ex.extract(text, &[s..e, e..text.len() + 5], anchor()) {
                assert_eq!(&text[m.start..m.end], m.text);
            }
        }
    }
    let backwards = std::ops::Range { start: 3, end: 1 };
    let _ = ex.extract("", &[0..0, backwards], None);
}

#[test]
fn serde_names() {
    let m = &run("two weeks", None)[0];
    let j = serde_json::to_value(m).unwrap_or_default();
    assert_eq!(j["type"], "DURATION");
    assert_eq!(j["granularity"], "duration");
    assert_eq!(j["resolved"], "absolute");
}

#[test]
fn unicode_spaces_and_noise_never_panic() {
    let ex = TimeExtractor::global();
    let pieces = [
        "the\u{a0}third-quarter",
        "the\u{2009}five-year",
        "Thursday\u{a0}night",
        "é",
        "ü",
        "…",
        "19.08.25",
        "May",
        "may",
        "the",
        "year",
        "2025",
        "10:30",
        "p.m.",
        "ago",
        "last",
        "next",
        "week",
        "$",
        ",",
        "-",
        "\u{1F600}",
        "three",
        "weeks",
        "Q3",
        "1990s",
        "'90s",
        "fiscal",
        "noon",
        "\n",
        " ",
        "\u{a0}",
    ];
    // A fixed pseudo-random walk over the pieces: deterministic, broad.
    let mut next = crate::text::testing::xorshift(0x9e37_79b9_7f4a_7c15);
    for _ in 0..300 {
        let mut text = String::new();
        for _ in 0..12 {
            let seed = next();
            text.push_str(pieces[(seed % pieces.len() as u64) as usize]);
            if seed % 3 == 0 {
                text.push(' ');
            }
        }
        for anchor in [anchor(), None] {
            for m in ex.extract_all(&text, anchor) {
                assert_eq!(&text[m.start..m.end], m.text, "{text:?}");
            }
        }
    }
    let big = "On Thursday, 5 May 2024, prices rose 3% a year. ".repeat(20_000);
    assert!(ex.extract_all(&big, anchor()).len() >= 40_000);
}

#[test]
fn tense_cues_across_non_ascii_text() {
    // Curly quotes and accents between the cue and the weekday must not
    // shift word offsets (they once counted every separator as one byte).
    let t = "L\u{2019}envoy\u{e9} said \u{201c}\u{e9}\u{e9}\u{201d} on Friday.";
    let m = &run(t, anchor())[0];
    assert_eq!(m.value, "2025-08-15");
    let t = "He\u{2019}ll \u{e9}\u{e9}\u{e9} meet Friday.";
    assert_eq!(run(t, anchor())[0].value, "2025-08-22");
}

#[test]
fn extractor_is_shareable_and_output_is_ordered() {
    fn shareable<T: Send + Sync>() {}
    shareable::<TimeExtractor>();
    let text = "On Monday, May 5, 2025, talks began. Two weeks later, on Friday, they ended.";
    let ranges = [0..36, 37..text.len()];
    let found = TimeExtractor::global().extract(text, &ranges, anchor());
    assert!(found.len() >= 3, "{found:?}");
    for pair in found.windows(2) {
        assert!(pair[0].end <= pair[1].start, "{pair:?}");
    }
    // The first range's date keeps its stated weekday.
    assert_eq!(found[0].value, "2025-05-05");
    assert_eq!(found[0].weekday, Some(Weekday::Mon));
}

#[test]
fn a_bare_clock_time_takes_the_day_just_named() {
    // Published Wednesday 2014-07-09.
    let published = NaiveDate::from_ymd_opt(2014, 7, 9);
    let text = "Police are investigating a shooting late Tuesday night. \
                It happened at about 11:30 p.m. near the park.";
    let found = run(text, published);
    let clock = found
        .iter()
        .find(|m| m.text == "11:30 p.m.")
        .expect("clock");
    assert_eq!(clock.value, "2014-07-08T23:30");
    // A day named paragraphs earlier is not the time's day: publication is.
    let far = format!(
        "He was first arrested on Tuesday. {} The shooting happened at 11:30 p.m.",
        "Neighbours described a quiet street with young families. ".repeat(6)
    );
    let found = run(&far, published);
    let clock = found
        .iter()
        .find(|m| m.text == "11:30 p.m.")
        .expect("clock");
    assert_eq!(clock.value, "2014-07-09T23:30");
}

/// The early rejection only skips what the normalisers would reject: a bare
/// unit and an age go, the same words with a relative word or a noun stay.
#[test]
fn early_rejection_matches_the_normalisers() {
    let ex = TimeExtractor::global();
    let rule = |name: &str| {
        ex.rules
            .iter()
            .find(|r| r.name == name)
            .unwrap_or_else(|| panic!("no rule {name}"))
    };
    let early = |name: &str, text: &str, span: &str| {
        let start = text.find(span).expect("span in text");
        normalize::rejected_early(rule(name), text, start, start + span.len(), text.len())
    };
    assert!(early("relative-unit", "It took a year.", "year"));
    assert!(!early("relative-unit", "It took the year.", "the year"));
    assert!(!early("relative-unit", "It rose last year.", "last year"));
    assert!(early("duration", "a 16-year-old boy", "16-year"));
    assert!(early("duration", "a five year old boy", "five year"));
    assert!(!early("duration", "a 16-year plan", "16-year"));
    // The extractor agrees: nothing from the rejected spans, a value from the rest.
    assert!(run("A 16-year-old boy and a five year old girl.", anchor()).is_empty());
    let kept = run("It rose last year after a 16-year plan.", anchor());
    let values: Vec<&str> = kept.iter().map(|m| m.value.as_str()).collect();
    assert_eq!(values, ["2024", "P16Y"]);
}

/// Texts for comparing fast paths with slow ones: GVA articles (when the
/// eval data is there), the rubio-ukraine samples, and random soup of time
/// words, digits and punctuation.
fn oracle_texts() -> Vec<String> {
    let mut texts: Vec<String> = crate::text::testing::news_documents(true)
        .into_iter()
        .take(400)
        .map(|d| d.text)
        .collect();
    let pieces = [
        "Monday",
        "monday",
        " ",
        " ",
        "  ",
        "\n",
        ",",
        ".",
        "-",
        "'s",
        "\u{2019}s",
        "last ",
        "next ",
        "the ",
        "a ",
        "two ",
        "2",
        "19",
        "2025",
        "12:30",
        "p.m.",
        "am",
        "Aug.",
        "August",
        "May",
        "week",
        "weeks",
        "year",
        "years",
        "ago",
        "early ",
        "mid-",
        "x",
        "Tuesday",
        "morning",
        "now",
        "today",
        "\u{212A}",
        "\u{17F}",
        "é",
        "_",
        "1/2",
        "½",
        "Q3",
        "fiscal ",
        "of ",
        "this past ",
        "every ",
        "day",
        "s",
        "th",
        "2nd",
        "quarter",
        "Christmas",
        "decade",
        "'90s",
        "1990s",
        "EST",
        " on ",
        "3/4/25",
        "2025-08-21",
    ];
    let mut next = crate::text::testing::xorshift(0x7135_eb1d_93c4_a2f1);
    for _ in 0..3000 {
        texts.push(crate::text::testing::soup(&mut next, &pieces, 24));
    }
    texts
}

/// The capture memo gives what a search of every candidate gives: the
/// same mentions for every text, with the memo shared across all of them
/// (as a thread's is across documents).
#[test]
fn capture_memo_reads_what_the_search_reads() {
    let ex = TimeExtractor::new();
    assert!(
        ex.rules.iter().filter(|r| r.memo_ok).count() == ex.rules.len(),
        "a rule with another look-around than \\b is searched every time"
    );
    let texts = oracle_texts();
    let (mut compared, mut found) = (0, 0);
    for anchor in [anchor(), None] {
        for text in &texts {
            MEMO_OFF.with(|o| o.set(true));
            let searched = ex.extract_all(text, anchor);
            MEMO_OFF.with(|o| o.set(false));
            let remembered = ex.extract_all(text, anchor);
            assert_eq!(searched, remembered, "{text:?}");
            compared += 1;
            found += searched.len();
        }
    }
    assert!(compared > 1000 && found > 5000, "{compared} {found}");
}
