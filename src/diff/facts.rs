//! Fact comparison: each copy claim against the original, the aligned
//! sentences first and then the whole original (a rewrite may move a fact
//! anywhere), plus a word-level pass for numbers, dates and names the
//! extractors do not turn into claims.

use super::align::content_words;
use super::rules::{self, DiffRule};
use crate::check::spec::Rule;
use crate::check::timevalue::TimeValue;
use crate::check::{Finding, FindingClaim};
use crate::claims::{Claim, SubjectKind};
use crate::extract::entity::EntityKind;
use crate::model::{Document, LineIndex};
use crate::pipeline::Analysis;
use std::collections::{BTreeMap, BTreeSet, HashMap, HashSet};
use std::ops::Range;

/// One side of the diff: the document, its analysis and sentence texts.
pub struct Side<'a> {
    pub doc: &'a Document,
    pub analysis: Analysis,
    pub index: LineIndex,
}

impl Side<'_> {
    pub fn sentence_text(&self, i: usize) -> &str {
        self.analysis
            .sentences
            .get(i)
            .and_then(|s| self.doc.text.get(s.start..s.end))
            .unwrap_or("")
    }

    /// The sentence holding byte `at`.
    fn sentence_at(&self, at: usize) -> Option<usize> {
        self.analysis
            .sentences
            .iter()
            .position(|s| s.start <= at && at < s.end)
    }

    /// A claim for words the extractors did not claim (a bare number, a
    /// name), so the finding still points at the exact words.
    pub(super) fn span_claim(&self, range: Range<usize>, attribute: &str, value: &str) -> Claim {
        let sentence = self
            .sentence_at(range.start)
            .map(|i| self.sentence_text(i))
            .unwrap_or_default();
        Claim::at(
            self.doc,
            &self.index,
            range,
            sentence,
            value.to_string(),
            SubjectKind::Quantity,
            attribute,
            value.to_string(),
        )
    }
}

/// Collects findings, one per (rule, copy position).
pub struct Collector<'r> {
    pub findings: Vec<Finding>,
    /// The rules that report, by id; a comparison whose rule is not here
    /// (ignored, not selected) still runs, so that what it covers is not
    /// reported again by a weaker comparison, but reports nothing.
    rules: BTreeMap<&'r str, &'r Rule>,
    seen: BTreeSet<(&'static str, usize)>,
    /// Copy byte ranges a comparison already covers.
    covered: Vec<Range<usize>>,
    /// Original claims a comparison already paired, by (rule id, start).
    paired: BTreeSet<(&'static str, usize)>,
}

impl<'r> Collector<'r> {
    pub fn new(rules: &'r [Rule]) -> Collector<'r> {
        Collector {
            findings: Vec::new(),
            rules: rules.iter().map(|r| (r.spec.id.as_str(), r)).collect(),
            seen: BTreeSet::new(),
            covered: Vec::new(),
            paired: BTreeSet::new(),
        }
    }

    pub(super) fn push(
        &mut self,
        rule: &DiffRule,
        subject: &str,
        values: &[(&str, String)],
        original: Option<&Claim>,
        copy: Option<&Claim>,
    ) {
        let at = copy.or(original).map_or(0, |c| c.start);
        if !self.seen.insert((rule.id, at)) {
            return;
        }
        if let Some(c) = copy {
            self.covered.push(c.start..c.end);
        }
        if let Some(o) = original {
            self.paired.insert((rule.id, o.start));
        }
        let Some(spec) = self.rules.get(rule.id).map(|r| &r.spec) else {
            return;
        };
        if let Some(re) = self.rules.get(rule.id).and_then(|r| r.subject.as_ref()) {
            if !re.is_match(subject) {
                return;
            }
        }
        let mut map: BTreeMap<&str, String> = values.iter().cloned().collect();
        map.insert("subject", subject.to_string());
        let message = crate::check::render(&spec.message, &map);
        let mut claims = Vec::new();
        if let Some(c) = original {
            claims.push(FindingClaim {
                claim: c.clone(),
                outlier: false,
            });
        }
        if let Some(c) = copy {
            claims.push(FindingClaim {
                claim: c.clone(),
                outlier: true,
            });
        }
        let value = copy.or(original).map_or("", |c| c.value.as_str());
        self.findings.push(Finding {
            rule: spec.id.clone(),
            code: spec.code.clone(),
            kind: spec.kind,
            severity: spec.severity,
            key: format!("diff|{}|{}|{}", spec.id, subject, value),
            label: subject.to_string(),
            message,
            // One original, not a majority of sources: the message says
            // what it gives.
            majority: None,
            claims,
            story: None,
        });
    }

    /// Whether `rule` already paired the original claim at `start`.
    fn paired(&self, rule: &DiffRule, start: usize) -> bool {
        self.paired.contains(&(rule.id, start))
    }

    pub(super) fn covers(&self, range: &Range<usize>) -> bool {
        self.covered
            .iter()
            .any(|r| r.start < range.end && range.start < r.end)
    }
}

/// Everything the comparison needs about the alignment: for each copy
/// sentence, the original sentences it was aligned with.
pub struct Context<'a> {
    pub original: &'a Side<'a>,
    pub copy: &'a Side<'a>,
    pub aligned: Vec<Vec<usize>>,
    /// Person name -> canonical name across both documents.
    pub people: BTreeMap<String, String>,
    /// The diff rules that report (see [`Collector`]).
    pub rules: &'a [Rule],
    /// The original's words, for runs of words looked up anywhere in it.
    original_words: WordIndex,
    /// Copy sentences whose words all stand, in order, in the original: a
    /// sentence copied word for word changed nothing, whatever original
    /// sentence it was aligned with (template-like sentences align with
    /// their neighbours).
    verbatim: Vec<bool>,
}

impl<'a> Context<'a> {
    pub fn new(
        original: &'a Side<'a>,
        copy: &'a Side<'a>,
        aligned: Vec<Vec<usize>>,
        people: BTreeMap<String, String>,
        rules: &'a [Rule],
    ) -> Context<'a> {
        let original_words = WordIndex::new(&original.doc.text);
        let verbatim = (0..copy.analysis.sentences.len())
            .map(|j| original_words.contains_run(&quote_words(copy.sentence_text(j))))
            .collect();
        Context {
            original,
            copy,
            aligned,
            people,
            rules,
            original_words,
            verbatim,
        }
    }

    /// Whether the copy sentence holding byte `at` is one of the
    /// original's, word for word.
    fn verbatim_at(&self, at: usize) -> bool {
        self.copy
            .sentence_at(at)
            .is_some_and(|j| self.verbatim.get(j).copied().unwrap_or(false))
    }

    /// Whether `words` stand as a run anywhere in the original.
    pub(super) fn original_has_run(&self, words: &[String]) -> bool {
        self.original_words.contains_run(words)
    }

    /// Whether copy sentence `j` is one of the original's, word for word.
    pub(super) fn verbatim(&self, j: usize) -> bool {
        self.verbatim.get(j).copied().unwrap_or(false)
    }
}

impl Context<'_> {
    /// A rule's `min_similarity`, else `default` (the built-in value, for a
    /// rule that is not selected).
    fn min_similarity(&self, rule: &DiffRule, default: f64) -> f64 {
        self.rules
            .iter()
            .find(|r| r.spec.id == rule.id)
            .and_then(|r| r.spec.params.min_similarity)
            .unwrap_or(default)
    }

    fn person(&self, name: &str) -> String {
        self.people
            .get(name)
            .cloned()
            .unwrap_or_else(|| name.to_string())
    }

    /// The original sentences aligned with the copy sentence holding `at`.
    fn aligned_with(&self, at: usize) -> &[usize] {
        self.copy
            .sentence_at(at)
            .and_then(|i| self.aligned.get(i))
            .map_or(&[], Vec::as_slice)
    }

    /// Whether an original claim stands in one of `sentences`.
    fn in_sentences(&self, claim: &Claim, sentences: &[usize]) -> bool {
        self.original
            .sentence_at(claim.start)
            .is_some_and(|i| sentences.contains(&i))
    }
}

/// Runs every comparison.
pub fn compare(cx: &Context) -> Vec<Finding> {
    let mut out = Collector::new(cx.rules);
    dates(cx, &mut out);
    counts(cx, &mut out);
    roles(cx, &mut out);
    quotes(cx, &mut out);
    spellings(cx, &mut out);
    negations(cx, &mut out);
    let vocabulary = Vocabulary::new(cx.original);
    super::swaps::swaps(cx, &mut out);
    added_words(cx, &vocabulary, &mut out);
    terms(cx, &vocabulary, &mut out);
    dropped(cx, &mut out);
    out.findings
}

fn of<'a>(side: &'a Side, attribute: &'a str) -> impl Iterator<Item = &'a Claim> + 'a {
    side.analysis
        .claims
        .iter()
        .filter(move |c| c.attribute == attribute)
}

/// Dates: a copy date that agrees with no original date of the same
/// event (aligned sentence first, then the same kind of event anywhere).
fn dates(cx: &Context, out: &mut Collector) {
    for c in of(cx.copy, "date").filter(|c| !cx.verbatim_at(c.start)) {
        let Some(tc) = TimeValue::parse(&c.value) else {
            continue;
        };
        let originals: Vec<(&Claim, TimeValue)> = of(cx.original, "date")
            .filter_map(|o| TimeValue::parse(&o.value).map(|t| (o, t)))
            .collect();
        let aligned = cx.aligned_with(c.start);
        let near: Vec<&(&Claim, TimeValue)> = originals
            .iter()
            .filter(|(o, _)| cx.in_sentences(o, aligned))
            .collect();
        let same_event: Vec<&(&Claim, TimeValue)> = originals
            .iter()
            .filter(|(o, _)| o.facet.is_some() && o.facet == c.facet)
            .collect();
        let candidates = if near.is_empty() { &same_event } else { &near };
        if candidates.is_empty() {
            continue;
        }
        if candidates.iter().any(|(_, to)| to.agrees(&tc)) {
            continue;
        }
        let Some((o, to)) = candidates.first() else {
            continue;
        };
        let rule = match (to, tc) {
            (TimeValue::Weekday(_), TimeValue::Weekday(_)) => &rules::CHANGED_WEEKDAY,
            _ => &rules::CHANGED_DATE,
        };
        let subject = c.facet.clone().unwrap_or_else(|| c.subject.clone());
        out.push(
            rule,
            &subject,
            &[
                ("original", format!("“{}” ({})", o.text, to.describe())),
                ("copy", format!("“{}” ({})", c.text, tc.describe())),
            ],
            Some(o),
            Some(c),
        );
    }
}

/// Counts of the same noun: a changed number, or the same number with a
/// different hedge ("at least 30" -> "30").
fn counts(cx: &Context, out: &mut Collector) {
    for c in of(cx.copy, "count").filter(|c| !cx.verbatim_at(c.start)) {
        let same: Vec<&Claim> = of(cx.original, "count")
            .filter(|o| o.facet == c.facet)
            .collect();
        if same.is_empty() {
            continue;
        }
        let aligned = cx.aligned_with(c.start);
        let subject = c.facet.clone().unwrap_or_default();
        if let Some(o) = same
            .iter()
            .find(|o| o.number == c.number && o.number_max == c.number_max)
        {
            if o.hedge != c.hedge && cx.in_sentences(o, aligned) {
                out.push(
                    &rules::CHANGED_HEDGE,
                    &subject,
                    &[
                        ("original", format!("“{}”", o.text)),
                        ("copy", format!("“{}”", c.text)),
                    ],
                    Some(o),
                    Some(c),
                );
            }
            continue;
        }
        let o = same
            .iter()
            .find(|o| cx.in_sentences(o, aligned))
            .or(same.first());
        if let Some(o) = o {
            out.push(
                &rules::CHANGED_NUMBER,
                &subject,
                &[
                    ("original", format!("“{}”", o.text)),
                    ("copy", format!("“{}”", c.text)),
                ],
                Some(o),
                Some(c),
            );
        }
    }
}

/// Nationality words that do not change an office ("US Secretary of
/// State" is "Secretary of State").
const NATIONAL: &[&str] = &[
    "us",
    "u",
    "american",
    "uk",
    "british",
    "britain",
    "ukrainian",
    "russian",
    "french",
    "german",
    "italian",
    "european",
    "eu",
    "nato",
    "chinese",
    "former",
    "then",
];

/// The words of a role mention that name the title, not the person.
fn title_words(claim: &Claim) -> BTreeSet<String> {
    let name: HashSet<String> = content_words(&claim.subject).into_iter().collect();
    content_words(&claim.text)
        .into_iter()
        .filter(|w| !name.contains(w) && !NATIONAL.contains(&w.as_str()))
        .collect()
}

/// Roles of one person and office: a qualifier added or dropped
/// ("acting"), or the office named in other words (equivalent).
fn roles(cx: &Context, out: &mut Collector) {
    for c in of(cx.copy, "role") {
        let person = cx.person(&c.subject);
        let same: Vec<&Claim> = of(cx.original, "role")
            .filter(|o| cx.person(&o.subject) == person && o.facet == c.facet)
            .collect();
        let Some(first) = same.first() else {
            continue;
        };
        let qualifiers = |x: &Claim| x.qualifiers.iter().cloned().collect::<BTreeSet<_>>();
        let office = c.facet.clone().unwrap_or_default();
        match same.iter().find(|o| qualifiers(o) == qualifiers(c)) {
            Some(o) => {
                let (to, tc) = (title_words(o), title_words(c));
                if to != tc && !same.iter().any(|o| title_words(o) == tc) {
                    out.push(
                        &rules::EQUIVALENT_TITLE,
                        &person,
                        &[
                            ("office", office.clone()),
                            ("original", format!("“{}”", o.text)),
                            ("copy", format!("“{}”", c.text)),
                        ],
                        Some(o),
                        Some(c),
                    );
                }
            }
            None => out.push(
                &rules::CHANGED_QUALIFIER,
                &person,
                &[
                    ("office", office),
                    ("original", first.value.clone()),
                    ("copy", c.value.clone()),
                ],
                Some(first),
                Some(c),
            ),
        }
    }
}

/// Lower-case words of a quote, curly apostrophes straightened.
pub(super) fn quote_words(text: &str) -> Vec<String> {
    text.split(|c: char| c.is_whitespace() || matches!(c, '—' | '–' | '-'))
        .map(|w| {
            w.chars()
                .map(|c| if c == '’' { '\'' } else { c })
                .filter(|c| c.is_alphanumeric() || *c == '\'')
                .flat_map(char::to_lowercase)
                .collect::<String>()
                .trim_matches('\'')
                .to_string()
        })
        .filter(|w| !w.is_empty())
        .collect()
}

/// A quoted sentence as written and as lower-case words.
type QuotedSentence = (String, Vec<String>);

/// A quote's sentences of four words or more, as written and as words.
fn quote_sentences(text: &str) -> Vec<QuotedSentence> {
    let mut out = Vec::new();
    let mut current = String::new();
    for ch in text.chars() {
        current.push(ch);
        if matches!(ch, '.' | '?' | '!' | ';') {
            out.push(std::mem::take(&mut current));
        }
    }
    out.push(current);
    out.into_iter()
        .map(|s| s.trim().trim_end_matches(',').to_string())
        .map(|s| {
            let w = quote_words(&s);
            (s, w)
        })
        .filter(|(_, w)| w.len() >= 4)
        .collect()
}

/// A text's quote words with where each word stands, for runs of words
/// looked up without scanning the whole text.
pub(super) struct WordIndex {
    words: Vec<String>,
    at: HashMap<String, Vec<usize>>,
}

impl WordIndex {
    fn new(text: &str) -> WordIndex {
        let words = quote_words(text);
        let mut at: HashMap<String, Vec<usize>> = HashMap::new();
        for (i, w) in words.iter().enumerate() {
            at.entry(w.clone()).or_default().push(i);
        }
        WordIndex { words, at }
    }

    /// Whether `short` stands in the text as a run of words.
    fn contains_run(&self, short: &[String]) -> bool {
        let Some(first) = short.first() else {
            return false;
        };
        self.at.get(first).is_some_and(|starts| {
            starts
                .iter()
                .any(|&p| self.words.get(p..p + short.len()) == Some(short))
        })
    }
}

fn contains_run(long: &[String], short: &[String]) -> bool {
    !short.is_empty() && short.len() <= long.len() && long.windows(short.len()).any(|w| w == short)
}

fn word_similarity(a: &[String], b: &[String]) -> f64 {
    let longest = a.len().max(b.len());
    if longest == 0 {
        return 1.0;
    }
    1.0 - strsim::generic_levenshtein(&a.to_vec(), &b.to_vec()) as f64 / longest as f64
}

/// From this word similarity a copy quote sentence is the original's,
/// reworded (drift's default threshold is 0.6; a rewrite swaps more).
/// `min_similarity` of the rule file replaces it.
const MIN_REWORDED: f64 = 0.5;

/// Quotes: reworded (near an original quote sentence of the same
/// speaker) or added (no run of the original says it).
fn quotes(cx: &Context, out: &mut Collector) {
    let original_words = &cx.original_words;
    let originals: Vec<(&Claim, Vec<QuotedSentence>)> = of(cx.original, "quote")
        .map(|o| (o, quote_sentences(&o.value)))
        .collect();
    let min_reworded = cx.min_similarity(&rules::QUOTE_REWORDED, MIN_REWORDED);
    for c in of(cx.copy, "quote") {
        let speaker = cx.person(&c.subject);
        let sentences = quote_sentences(&c.value);
        if sentences.is_empty() {
            continue;
        }
        let mut supported = 0;
        let mut reworded: Option<(f64, &Claim, &str, &str)> = None;
        for (sc, wc) in &sentences {
            if original_words.contains_run(wc) {
                supported += 1;
                continue;
            }
            for (o, os) in &originals {
                for (so, wo) in os {
                    if contains_run(wo, wc) {
                        supported += 1;
                        continue;
                    }
                    let sim = word_similarity(wo, wc);
                    let same_speaker = cx.person(&o.subject) == speaker;
                    if sim >= min_reworded
                        && (same_speaker || sim >= 0.8)
                        && reworded.is_none_or(|(s, ..)| sim > s)
                    {
                        reworded = Some((sim, o, so.as_str(), sc.as_str()));
                    }
                }
            }
        }
        if let Some((_, o, so, sc)) = reworded {
            out.push(
                &rules::QUOTE_REWORDED,
                &speaker,
                &[("original", format!("“{so}”")), ("copy", format!("“{sc}”"))],
                Some(o),
                Some(c),
            );
        } else if supported == 0 {
            out.push(
                &rules::ADDED_QUOTE,
                &speaker,
                &[("copy", format!("“{}”", c.value.trim_end_matches(',')))],
                None,
                Some(c),
            );
        }
    }
}

/// Spellings of one person's surname that differ: equivalent (info).
fn spellings(cx: &Context, out: &mut Collector) {
    let mut done = BTreeSet::new();
    for c in of(cx.copy, "spelling") {
        let person = cx.person(&c.subject);
        let Some(o) = of(cx.original, "spelling")
            .find(|o| cx.person(&o.subject) == person && o.value != c.value)
        else {
            continue;
        };
        if of(cx.original, "spelling").any(|o| o.value == c.value) {
            continue;
        }
        if !done.insert((o.value.clone(), c.value.clone())) {
            continue;
        }
        out.push(
            &rules::EQUIVALENT_SPELLING,
            &person,
            &[("original", o.value.clone()), ("copy", c.value.clone())],
            Some(o),
            Some(c),
        );
    }
}

const NEGATIONS: &[&str] = &["not", "no", "never", "none", "nobody", "nothing", "without"];

fn negated(text: &str) -> bool {
    text.split(|c: char| !c.is_alphanumeric() && c != '\'' && c != '’')
        .map(|w| w.to_lowercase().replace('’', "'"))
        .any(|w| NEGATIONS.contains(&w.as_str()) || w.ends_with("n't"))
}

/// Words that sit between a negation and what it negates.
const AUXILIARIES: &[&str] = &[
    "do", "does", "did", "be", "been", "being", "is", "are", "was", "were", "have", "has", "had",
    "a", "an", "the", "yet", "ever", "any", "anything", "about", "to", "so", "much",
];

/// The first content word after each negation ("did not provide" ->
/// "provide", "didn't report anything about" -> "report").
fn negated_words(text: &str) -> Vec<String> {
    let words: Vec<String> = text
        .split(|c: char| !c.is_alphanumeric() && c != '\'' && c != '’')
        .filter(|w| !w.is_empty())
        .map(|w| w.to_lowercase().replace('’', "'"))
        .collect();
    let mut out = Vec::new();
    for (i, w) in words.iter().enumerate() {
        if !(NEGATIONS.contains(&w.as_str()) || w.ends_with("n't")) {
            continue;
        }
        if let Some(next) = words
            .iter()
            .skip(i + 1)
            .find(|n| !AUXILIARIES.contains(&n.as_str()))
        {
            out.push(next.clone());
        }
    }
    out
}

/// From this alignment similarity a sentence pair is close enough that a
/// negation on one side only is a change, not a different statement.
/// `min_similarity` of the rule file replaces it.
const MIN_NEGATION_PAIR: f64 = 0.3;

/// A sentence pair, one side negated, the other not.
/// The words from each negation of `text` to three words after it, or to
/// the end of its clause if sooner, as runs ("has no safe ground,").
fn negation_runs(text: &str) -> Vec<Vec<String>> {
    let tokens: Vec<&str> = text.split_whitespace().collect();
    let mut runs = Vec::new();
    for (i, token) in tokens.iter().enumerate() {
        let word = quote_words(token);
        let is_negation = word
            .first()
            .is_some_and(|w| NEGATIONS.contains(&w.as_str()) || w.ends_with("n't"));
        if !is_negation {
            continue;
        }
        let mut run = word;
        let ends_clause = |t: &str| t.ends_with([',', '.', ';', ':', '!', '?', '"', '”']);
        if !ends_clause(token) {
            for next in tokens.iter().skip(i + 1).take(3) {
                run.extend(quote_words(next));
                if ends_clause(next) {
                    break;
                }
            }
        }
        runs.push(run);
    }
    runs
}

fn negations(cx: &Context, out: &mut Collector) {
    let min_pair = cx.min_similarity(&rules::CHANGED_NEGATION, MIN_NEGATION_PAIR);
    let mut copy_words: Option<WordIndex> = None;
    for (j, originals) in cx.aligned.iter().enumerate() {
        let copy_text = cx.copy.sentence_text(j);
        let Some(&i) = originals.first() else {
            continue;
        };
        if cx.verbatim(j) {
            continue;
        }
        let original_text: String = originals
            .iter()
            .map(|&i| cx.original.sentence_text(i))
            .collect::<Vec<_>>()
            .join(" ");
        let sim = super::align::align(&[original_text.as_str()], &[copy_text])
            .first()
            .map_or(0.0, |p| p.similarity);
        if sim < min_pair || negated(&original_text) == negated(copy_text) {
            continue;
        }
        // The negated words must stand on the other side too: a copy that
        // drops "does not attack" has dropped a clause, not negated it.
        let (negated_text, other) = if negated(&original_text) {
            (original_text.as_str(), copy_text)
        } else {
            (copy_text, original_text.as_str())
        };
        let other_words: Vec<String> = other
            .split(|c: char| !c.is_alphanumeric())
            .map(str::to_lowercase)
            .collect();
        let kept = negated_words(negated_text).iter().any(|w| {
            let stem: String = w.chars().take(5).collect();
            other_words.iter().any(|o| o.starts_with(&stem))
        });
        if !kept {
            continue;
        }
        // The negated clause standing as it is elsewhere on the other
        // side: the sentences were aligned with a look-alike, or a merge
        // moved the clause.
        let negated_is_copy = !negated(&original_text);
        let found_elsewhere = negation_runs(negated_text).iter().any(|run| {
            if negated_is_copy {
                cx.original_has_run(run)
            } else {
                copy_words
                    .get_or_insert_with(|| WordIndex::new(&cx.copy.doc.text))
                    .contains_run(run)
            }
        });
        if found_elsewhere {
            continue;
        }
        let (Some(os), Some(cs)) = (
            cx.original.analysis.sentences.get(i),
            cx.copy.analysis.sentences.get(j),
        ) else {
            continue;
        };
        let o = cx.original.span_claim(os.start..os.end, "negation", "");
        let c = cx.copy.span_claim(cs.start..cs.end, "negation", "");
        let (on, cn) = (negated(&original_text), negated(copy_text));
        out.push(
            &rules::CHANGED_NEGATION,
            "statement",
            &[
                ("original", if on { "negated" } else { "affirmed" }.into()),
                ("copy", if cn { "negated" } else { "affirmed" }.into()),
            ],
            Some(&o),
            Some(&c),
        );
    }
}

const NUMBER_WORDS: &[(&str, &str)] = &[
    ("one", "1"),
    ("two", "2"),
    ("three", "3"),
    ("four", "4"),
    ("five", "5"),
    ("six", "6"),
    ("seven", "7"),
    ("eight", "8"),
    ("nine", "9"),
    ("ten", "10"),
    ("eleven", "11"),
    ("twelve", "12"),
    ("first", "1"),
    ("second", "2"),
    ("third", "3"),
    ("fourth", "4"),
    ("fifth", "5"),
    ("sixth", "6"),
    ("seventh", "7"),
    ("eighth", "8"),
    ("ninth", "9"),
    ("tenth", "10"),
    ("dozen", "12"),
    ("hundred", "100"),
    ("thousand", "1000"),
    ("million", "1000000"),
    ("billion", "1000000000"),
];

/// Names that stand for one another. ("unitedstates" is how [`norm`]
/// reads "US" and "U.S.": the pronoun "us" supports nothing.)
const ALIASES: &[&[&str]] = &[
    // Two-word names as the vocabulary pairs them ("unitedstates"): a
    // lone "states" or "united" is an ordinary word.
    &[
        "unitedstates",
        "america",
        "american",
        "americans",
        "washington",
    ],
    &[
        "uk",
        "unitedkingdom",
        "britain",
        "british",
        "briton",
        "britons",
        "england",
        "english",
        "london",
    ],
];

/// Capitalised abbreviations of months and weekdays, with the names they
/// stand for ("Feb. 23" supports "23 February"). Only capitalised: "sat"
/// and "sun" are words too.
const CALENDAR_ABBREVIATIONS: &[(&str, &str)] = &[
    ("Jan", "january"),
    ("Feb", "february"),
    ("Mar", "march"),
    ("Apr", "april"),
    ("Jun", "june"),
    ("Jul", "july"),
    ("Aug", "august"),
    ("Sep", "september"),
    ("Sept", "september"),
    ("Oct", "october"),
    ("Nov", "november"),
    ("Dec", "december"),
    ("Mon", "monday"),
    ("Tue", "tuesday"),
    ("Tues", "tuesday"),
    ("Wed", "wednesday"),
    ("Thu", "thursday"),
    ("Thur", "thursday"),
    ("Thurs", "thursday"),
    ("Fri", "friday"),
    ("Sat", "saturday"),
    ("Sun", "sunday"),
];

/// A word of text as the support check reads it: lower case, no dots
/// ("U.S." -> "us") except a decimal point ("3.5" is not "35"), no
/// thousands commas, possessive cut, number words as digits, month and
/// weekday abbreviations as the full name. "US" in capitals is the
/// country ("unitedstates"), never the pronoun.
pub(super) fn norm(word: &str) -> String {
    if let Some((_, full)) = CALENDAR_ABBREVIATIONS.iter().find(|(a, _)| *a == word) {
        return (*full).to_string();
    }
    let mut w = String::with_capacity(word.len());
    let mut prev_digit = false;
    let mut chars = word.chars().peekable();
    while let Some(c) = chars.next() {
        if c.is_alphanumeric() {
            w.extend(c.to_lowercase());
        } else if c == '.' && prev_digit && chars.peek().is_some_and(char::is_ascii_digit) {
            w.push('.');
        }
        prev_digit = c.is_ascii_digit();
    }
    if w == "us"
        && word
            .chars()
            .filter(|c| c.is_alphabetic())
            .all(char::is_uppercase)
    {
        return "unitedstates".to_string();
    }
    NUMBER_WORDS
        .iter()
        .find(|(name, _)| *name == w)
        .map_or(w, |(_, digits)| digits.to_string())
}

/// Words with byte spans: split on whitespace and most punctuation, keep
/// dots and commas inside numbers ("1,000", "3.5") and in "U.S.".
pub(super) fn spans(text: &str) -> Vec<(Range<usize>, &str)> {
    let mut out = Vec::new();
    let mut start = None;
    for (i, ch) in text.char_indices() {
        let part = ch.is_alphanumeric() || matches!(ch, '.' | ',' | '\'' | '’' | '%' | '$' | '-');
        match (part, start) {
            (true, None) => start = Some(i),
            (false, Some(s)) => {
                out.push(s..i);
                start = None;
            }
            _ => {}
        }
    }
    if let Some(s) = start {
        out.push(s..text.len());
    }
    out.into_iter()
        .filter_map(|r| {
            let w = text.get(r.clone())?;
            // Trailing punctuation belongs to the sentence, possessives to
            // the name.
            let t = w.trim_end_matches(['.', ',', '\'', '’', '-']);
            let t = t
                .strip_suffix("'s")
                .or_else(|| t.strip_suffix("’s"))
                .unwrap_or(t);
            let t = t.trim_start_matches(['\'', '’', '.', ',', '-']);
            if t.is_empty() {
                return None;
            }
            let offset = w.find(t).unwrap_or(0);
            let s = r.start + offset;
            Some((s..s + t.len(), t))
        })
        .collect()
}

/// Whether a copy word (not a number) is said somewhere in the original.
fn supported(word: &str, vocabulary: &Vocabulary) -> bool {
    if word.contains('-') {
        return word
            .split('-')
            .filter(|p| !p.is_empty())
            .all(|p| supported(p, vocabulary));
    }
    let w = norm(word);
    if vocabulary.words.contains(&w) {
        return true;
    }
    if w.chars().any(|c| c.is_ascii_digit()) {
        return false;
    }
    if ALIASES
        .iter()
        .any(|set| set.contains(&w.as_str()) && set.iter().any(|a| vocabulary.words.contains(*a)))
    {
        return true;
    }
    // A place or organisation the original names in another form.
    if let Some(entry) = crate::extract::lexicon::Lexicon::builtin().gazetteer(word) {
        if vocabulary.places.contains(&entry.canonical.to_lowercase()) {
            return true;
        }
    }
    // Inflections and demonyms: "Ukrainian" for "Ukraine", "British" for
    // "Britain": a shared stem of all but the last three letters.
    let chars: Vec<char> = w.chars().collect();
    let stem_len = chars.len().saturating_sub(3).max(4);
    if chars.len() < stem_len {
        return false;
    }
    let stem: String = chars.iter().take(stem_len).collect();
    // The sorted words starting with the stem begin at its insertion point.
    let at = vocabulary
        .sorted
        .partition_point(|v| v.as_str() < stem.as_str());
    vocabulary
        .sorted
        .get(at)
        .is_some_and(|v| v.starts_with(&stem))
}

/// Whether a capitalised word is part of a two- or three-word name the
/// original gives in another form ("United States" for "U.S.").
fn supported_phrase(words: &[(Range<usize>, &str)], k: usize, vocabulary: &Vocabulary) -> bool {
    let capitalised = |i: usize| {
        words
            .get(i)
            .filter(|(_, w)| w.chars().next().is_some_and(char::is_uppercase))
            .map(|(_, w)| *w)
    };
    for len in 2..=3 {
        for first in k.saturating_sub(len - 1)..=k {
            let parts: Option<Vec<&str>> = (first..first + len).map(capitalised).collect();
            let Some(parts) = parts else {
                continue;
            };
            let joined: String = parts.iter().map(|p| norm(p)).collect();
            let aliased = ALIASES.iter().any(|set| {
                set.contains(&joined.as_str()) && set.iter().any(|a| vocabulary.words.contains(*a))
            });
            let listed = crate::extract::lexicon::Lexicon::builtin()
                .gazetteer(&parts.join(" "))
                .is_some_and(|e| vocabulary.places.contains(&e.canonical.to_lowercase()));
            if aliased || listed {
                return true;
            }
        }
    }
    false
}

/// The original's words as the support check reads them: each word, each
/// part of a hyphenated word, and each pair of neighbours written as one
/// ("one year" supports "one-year").
pub(super) struct Vocabulary {
    words: HashSet<String>,
    /// `words`, sorted, for prefix look-ups.
    sorted: Vec<String>,
    /// The original's words in order, for numbers and what they count.
    sequence: Vec<String>,
    /// Byte ranges of `sequence`'s words.
    ranges: Vec<Range<usize>>,
    /// Where each word with a digit stands in `sequence`.
    numbers: HashMap<String, Vec<usize>>,
    /// Canonical names (lower case) of the places and organisations the
    /// original names in any form ("Dutch" -> "netherlands").
    places: HashSet<String>,
    /// Values of the original's quantities with their units and where
    /// they start, sorted.
    values: Vec<(f64, Option<String>, usize)>,
}

/// How far from a number, in words, the original's words around it are
/// read; the copy's are read in its whole sentence (a rewrite moves words
/// around a number more than it drops them).
const ORIGINAL_CONTEXT: usize = 8;

/// A word as context: not a stop word, plural `s` cut.
fn context_word(word: &str) -> Option<String> {
    if word.chars().count() < 2 || crate::diff::align::is_stop(word) {
        return None;
    }
    let cut = word.len() > 3 && word.ends_with('s') && !word.ends_with("ss");
    Some(if cut { &word[..word.len() - 1] } else { word }.to_string())
}

/// Context words of `words` within `radius` of `at`, `at` itself left out.
fn context(words: &[String], at: usize, radius: usize) -> HashSet<String> {
    let from = at.saturating_sub(radius);
    let to = (at + radius + 1).min(words.len());
    (from..to)
        .filter(|&i| i != at)
        .filter_map(|i| words.get(i).and_then(|w| context_word(w)))
        .collect()
}

impl Vocabulary {
    pub(super) fn new(side: &Side) -> Vocabulary {
        let text = side.doc.text.as_str();
        let extraction = &side.analysis.extraction;
        let places = extraction
            .entities
            .iter()
            .filter(|e| matches!(e.kind, EntityKind::Place | EntityKind::Org))
            .map(|e| e.canonical.to_lowercase())
            .collect();
        let mut values: Vec<(f64, Option<String>, usize)> = extraction
            .quantities
            .iter()
            .flat_map(|q| {
                std::iter::once(q.value)
                    .chain(q.value_max)
                    .map(|v| (v, q.unit.clone(), q.start))
            })
            .filter(|(v, ..)| v.is_finite())
            .collect();
        values.sort_by(|a, b| a.0.total_cmp(&b.0));
        let (ranges, sequence): (Vec<Range<usize>>, Vec<String>) =
            spans(text).into_iter().map(|(r, w)| (r, norm(w))).unzip();
        let mut numbers: HashMap<String, Vec<usize>> = HashMap::new();
        for (i, w) in sequence.iter().enumerate() {
            if w.chars().any(|c| c.is_ascii_digit()) {
                numbers.entry(w.clone()).or_default().push(i);
            }
        }
        let mut words: HashSet<String> = sequence.iter().cloned().collect();
        for (_, w) in spans(text) {
            words.extend(w.split('-').map(norm).filter(|p| !p.is_empty()));
        }
        for pair in sequence.windows(2) {
            words.insert(format!("{}{}", pair[0], pair[1]));
        }
        let mut sorted: Vec<String> = words.iter().cloned().collect();
        sorted.sort_unstable();
        Vocabulary {
            words,
            sorted,
            sequence,
            ranges,
            numbers,
            places,
            values,
        }
    }

    /// Where the original states a number: the positions in `sequence` of
    /// the same word, or of a quantity of the same value and unit.
    fn occurrences(&self, key: &str, value: Option<(f64, Option<&str>)>) -> Vec<usize> {
        let mut found: Vec<usize> = self.numbers.get(key).cloned().unwrap_or_default();
        if let Some((value, unit)) = value {
            for start in self.value_starts(value, unit) {
                let i = self.ranges.partition_point(|r| r.end <= start);
                if i < self.ranges.len() {
                    found.push(i);
                }
            }
        }
        found.sort_unstable();
        found.dedup();
        found
    }

    /// Whether the original states the number at one of `occurrences`
    /// with one of the copy's `context` words near it. A copy that names
    /// "$18bn" as 2023 sales, where the original's "$18bn" is a cash
    /// balance, has moved the number to another fact.
    fn in_context(&self, occurrences: &[usize], around: &HashSet<String>) -> bool {
        around.is_empty()
            || occurrences.iter().any(|&i| {
                context(&self.sequence, i, ORIGINAL_CONTEXT)
                    .iter()
                    .any(|w| around.contains(w))
            })
    }

    /// Byte starts of the original's quantities of this value and unit.
    fn value_starts(&self, value: f64, unit: Option<&str>) -> Vec<usize> {
        let low = value - value.abs() * 1e-9;
        let high = value + value.abs() * 1e-9;
        let at = self.values.partition_point(|(v, ..)| *v < low);
        self.values[at..]
            .iter()
            .take_while(|(v, ..)| *v <= high)
            .filter(|(_, u, _)| u.as_deref() == unit)
            .map(|(.., start)| *start)
            .collect()
    }

    /// Whether the original states a quantity of this value in the same
    /// unit, or with no unit on both sides ("35 years" is neither "$35"
    /// nor "35 employees").
    fn states_value(&self, value: f64, unit: Option<&str>) -> bool {
        !self.value_starts(value, unit).is_empty()
    }

    /// Whether the original states `number` with `noun` among the three
    /// words after it ("35 years ago" does not support "30 years ago").
    fn counts(&self, number: &str, noun: &str) -> bool {
        let stem: String = noun.chars().take(4).collect();
        self.sequence.iter().enumerate().any(|(i, w)| {
            w == number
                && self
                    .sequence
                    .iter()
                    .skip(i + 1)
                    .take(3)
                    .any(|n| n.starts_with(&stem))
        })
    }
}

/// Whether a word is, or has a part that is, a number.
pub(super) fn numeric(word: &str) -> bool {
    word.split('-').any(|part| {
        let lower = part.to_lowercase();
        part.chars().any(|c| c.is_ascii_digit()) || NUMBER_WORDS.iter().any(|(n, _)| *n == lower)
    })
}

/// Numbers, dates and names in the copy that the original never states:
/// the hallucinated insertion.
fn added_words(cx: &Context, vocabulary: &Vocabulary, out: &mut Collector) {
    // Surnames the original gives with no first name (a bare "Putin"):
    // the copy may complete them. A surname the original gives with a
    // first name ("Ozy Media") is not open to another one ("UFO Media").
    let mut lone: HashSet<String> = HashSet::new();
    let mut completed: HashSet<String> = HashSet::new();
    for e in &cx.original.analysis.extraction.entities {
        // A lone capitalised word is typed unknown, but it is still a
        // name the copy may complete.
        if !matches!(e.kind, EntityKind::Person | EntityKind::Unknown) {
            continue;
        }
        let words: Vec<&str> = e.canonical.split_whitespace().collect();
        if let Some(last) = words.last() {
            let set = if words.len() == 1 {
                &mut lone
            } else {
                &mut completed
            };
            set.insert(last.to_lowercase());
        }
    }
    let surnames: HashSet<String> = lone.difference(&completed).cloned().collect();
    let copy = cx.copy;
    let copy_entities = &copy.analysis.extraction.entities;
    let copy_quantities = &copy.analysis.extraction.quantities;
    for s in &copy.analysis.sentences {
        let Some(text) = copy.doc.text.get(s.start..s.end) else {
            continue;
        };
        let words = spans(text);
        let mut k = 0;
        while k < words.len() {
            let (range, word) = &words[k];
            let lower = word.to_lowercase();
            let is_number = numeric(word);
            let is_calendar =
                crate::extract::lexicon::is_month_or_weekday(&lower) && lower != "may";
            let is_name = word.chars().next().is_some_and(char::is_uppercase)
                && !crate::diff::align::content_words(word).is_empty();
            if !(is_number || is_calendar || is_name) {
                k += 1;
                continue;
            }
            let at = s.start + range.start;
            // A number is known by its words, or by its value in any
            // wording ("thirty-five" for "35", "$5 billion" for "$5bn").
            let by_value = is_number
                && copy_quantities
                    .iter()
                    .find(|q| q.start <= at && at < q.end)
                    .is_some_and(|q| vocabulary.states_value(q.value, q.unit.as_deref()));
            let known = by_value || vocabulary.words.contains(&norm(word));
            // A number the original states as a word must count the same
            // thing ("35 years" is not the original's "35 people"); a
            // scale word after it ("5 billion") is part of the number.
            // Only a word right after the number, with nothing but a space
            // between ("2023, down" counts nothing), and not after a year.
            let year = norm(word).len() == 4 && (word.starts_with("19") || word.starts_with("20"));
            let miscounted = is_number
                && known
                && !by_value
                && !year
                && norm(word).chars().all(|c| c.is_ascii_digit())
                && words.get(k + 1).is_some_and(|(r, next)| {
                    text.get(range.end..r.start)
                        .is_some_and(|gap| gap.trim().is_empty())
                        && next.chars().all(|c| c.is_lowercase())
                        && !numeric(next)
                        && !STOP_AFTER_NUMBER.contains(next)
                        && !vocabulary.counts(&norm(word), &norm(next))
                });
            let unsupported = if is_number {
                !known || miscounted
            } else {
                !supported(word, vocabulary) && !supported_phrase(&words, k, vocabulary)
            };
            // A number in digits the original states, but only among
            // other words: the copy has attached it to another fact.
            if is_number && !unsupported && word.chars().any(|c| c.is_ascii_digit()) {
                let keys: Vec<String> = words.iter().map(|(_, w)| norm(w)).collect();
                let around = context(&keys, k, keys.len());
                let quantity = copy_quantities.iter().find(|q| q.start <= at && at < q.end);
                let value = quantity.map(|q| (q.value, q.unit.as_deref()));
                let occurrences = vocabulary.occurrences(&norm(word), value);
                let abs = at..s.start + range.end;
                if !vocabulary.in_context(&occurrences, &around) && !out.covers(&abs) {
                    let value = copy.doc.text.get(abs.clone()).unwrap_or("").to_string();
                    let claim = copy.span_claim(abs, "count", &value);
                    let first = occurrences.first().and_then(|&i| vocabulary.ranges.get(i));
                    let original = first.map(|r| {
                        let text = cx.original.doc.text.get(r.clone()).unwrap_or("");
                        cx.original.span_claim(r.clone(), "count", text)
                    });
                    out.push(
                        &rules::MOVED_NUMBER,
                        &value,
                        &[
                            ("copy", format!("“{value}”")),
                            (
                                "original",
                                original
                                    .as_ref()
                                    .map_or_else(String::new, |o| format!("“{}”", o.text)),
                            ),
                        ],
                        original.as_ref(),
                        Some(&claim),
                    );
                }
                k += 1;
                continue;
            }
            if !unsupported {
                k += 1;
                continue;
            }
            // A sentence's first word is capitalised whatever it is
            // ("Earlier", "Stay"), and an all-capitals kicker ("BREAKING")
            // is a label: neither is a name on its own.
            let next_is_name = words
                .get(k + 1)
                .is_some_and(|(_, w)| w.chars().next().is_some_and(char::is_uppercase));
            let shouting = word.chars().count() > 4 && !word.chars().any(char::is_lowercase);
            // Unless the gazetteer knows it: "Britain said" starts with a
            // name.
            let listed = copy_entities
                .iter()
                .any(|e| e.start <= at && at < e.end && e.how == "gazetteer");
            if is_name
                && !is_number
                && !is_calendar
                && ((k == 0 && !next_is_name && !listed) || shouting)
            {
                k += 1;
                continue;
            }
            // A run of unsupported capitalised words is one name.
            let mut end = range.end;
            let mut next = k + 1;
            while let Some((r, w)) = words.get(next) {
                if is_number
                    || !w.chars().next().is_some_and(char::is_uppercase)
                    || supported(w, vocabulary)
                {
                    break;
                }
                end = r.end;
                next += 1;
            }
            let abs = s.start + range.start..s.start + end;
            k = next;
            // A first name before a surname the original gives ("Vladimir
            // Putin" for "Putin") names the same person.
            // (The surname must be capitalised: a sentence-initial
            // "Activists" in the original is typed as a lone name too.)
            let before_known_name = !is_number
                && words.get(next).is_some_and(|(_, w)| {
                    w.chars().next().is_some_and(char::is_uppercase)
                        && surnames.contains(&w.to_lowercase())
                });
            if out.covers(&abs) || before_known_name {
                continue;
            }
            let (rule, attribute) = if is_number {
                (&rules::ADDED_NUMBER, "count")
            } else if is_calendar {
                (&rules::ADDED_DATE, "date")
            } else {
                (&rules::ADDED_NAME, "spelling")
            };
            let value = copy.doc.text.get(abs.clone()).unwrap_or("").to_string();
            let claim = copy.span_claim(abs, attribute, &value);
            out.push(
                rule,
                &value,
                &[("copy", format!("“{value}”"))],
                None,
                Some(&claim),
            );
        }
    }
}

/// Words after a number that are not what it counts ("2 of", "30 and").
const STOP_AFTER_NUMBER: &[&str] = &[
    "of", "and", "or", "to", "in", "on", "at", "for", "by", "a", "the", "as", "than", "more",
    "percent", "per", "was", "were", "is", "are", "has", "have", "had",
];

/// Closed classes of words that state a fact: a summary that names a
/// colour, a charge, a verdict, an illness the article never uses has
/// changed the fact, not the wording.
const CLASSES: &[&[&str]] = &[
    &[
        "red", "orange", "yellow", "green", "blue", "purple", "violet", "pink", "white", "black",
        "brown", "grey", "gray", "gold", "silver",
    ],
    &[
        "murder",
        "manslaughter",
        "homicide",
        "assault",
        "robbery",
        "theft",
        "fraud",
        "rape",
        "kidnapping",
        "terrorism",
        "bribery",
        "treason",
        "arson",
        "burglary",
    ],
    &[
        "acquitted",
        "convicted",
        "guilty",
        "innocent",
        "sentenced",
        "charged",
        "released",
        "freed",
        "jailed",
        "pardoned",
    ],
    &[
        "flu",
        "influenza",
        "tuberculosis",
        "measles",
        "cancer",
        "malaria",
        "cholera",
        "ebola",
        "hiv",
        "aids",
        "covid",
        "polio",
        "diabetes",
        "dementia",
        "rsv",
    ],
    &[
        "man", "woman", "men", "women", "boy", "girl", "male", "female", "gay", "lesbian",
        "husband", "wife", "son", "daughter", "mother", "father", "brother", "sister",
    ],
    &[
        "north", "south", "east", "west", "northern", "southern", "eastern", "western",
    ],
    &[
        "beach", "cliff", "building", "bridge", "river", "lake", "mountain", "forest", "airport",
        "hospital", "school", "church", "mosque", "prison",
    ],
    &[
        "daily",
        "weekly",
        "monthly",
        "yearly",
        "annual",
        "annually",
        "quarterly",
        "hourly",
    ],
    &[
        "minute", "minutes", "hour", "hours", "day", "days", "week", "weeks", "month", "months",
        "year", "years", "decade", "decades", "century",
    ],
];

/// Pairs of opposites: the copy says one where the original says the
/// other (and never the first).
const ANTONYMS: &[(&str, &str)] = &[
    ("increase", "decrease"),
    ("increase", "decline"),
    ("increase", "drop"),
    ("increase", "fall"),
    ("rise", "fall"),
    ("rise", "decline"),
    ("rise", "drop"),
    ("gain", "loss"),
    ("growth", "decline"),
    ("win", "lose"),
    ("won", "lost"),
    ("victory", "defeat"),
    ("thriving", "struggling"),
    ("success", "failure"),
    ("arrested", "released"),
    ("acquitted", "convicted"),
    ("support", "oppose"),
    ("supported", "opposed"),
    ("accept", "reject"),
    ("accepted", "rejected"),
    ("approve", "reject"),
    ("approved", "rejected"),
    ("allowed", "banned"),
    ("legal", "illegal"),
    ("peaceful", "violent"),
    ("ally", "enemy"),
    ("higher", "lower"),
    ("more", "fewer"),
    ("most", "least"),
    ("largest", "smallest"),
    ("biggest", "smallest"),
    ("best", "worst"),
    ("first", "last"),
    ("before", "after"),
    ("ahead", "behind"),
    ("forward", "back"),
    ("ahead", "backwards"),
    ("ahead", "back"),
    ("open", "closed"),
    ("opened", "closed"),
    ("start", "end"),
    ("began", "ended"),
    ("hire", "fire"),
    ("hired", "fired"),
    ("expand", "shrink"),
    ("profit", "loss"),
    ("strong", "weak"),
    ("stronger", "weaker"),
    ("positive", "negative"),
    ("sell", "buy"),
    ("sold", "bought"),
    ("import", "export"),
    ("invasion", "withdrawal"),
    ("condemn", "praise"),
    ("condemned", "praised"),
    ("dead", "alive"),
    ("survived", "died"),
    ("guilty", "innocent"),
    ("cheap", "expensive"),
    ("early", "late"),
    ("earlier", "later"),
    ("minority", "majority"),
    ("public", "private"),
    ("inside", "outside"),
];

/// Closed-class words and opposites (see [`CLASSES`], [`ANTONYMS`]).
fn terms(cx: &Context, vocabulary: &Vocabulary, out: &mut Collector) {
    let said = |w: &str| vocabulary.words.contains(w);
    let copy = cx.copy;
    for (j, s) in copy.analysis.sentences.iter().enumerate() {
        let Some(text) = copy.doc.text.get(s.start..s.end) else {
            continue;
        };
        // Opposites are read in the aligned original sentences only: a
        // long article says "back" and "forward" somewhere. Built when a
        // word with an opposite first turns up.
        let mut aligned: Option<HashSet<String>> = None;
        for (range, word) in spans(text) {
            let parts: Vec<String> = word.split('-').map(norm).collect();
            for part in &parts {
                let classed = CLASSES.iter().any(|class| class.contains(&part.as_str()));
                let paired = ANTONYMS.iter().any(|(a, b)| a == part || b == part);
                if part.is_empty() || !(classed || paired) || supported(part, vocabulary) {
                    continue;
                }
                let aligned = aligned.get_or_insert_with(|| {
                    cx.aligned
                        .get(j)
                        .map(|is| {
                            is.iter()
                                .flat_map(|&i| spans(cx.original.sentence_text(i)))
                                .map(|(_, w)| norm(w))
                                .collect()
                        })
                        .unwrap_or_default()
                });
                let in_class = CLASSES.iter().any(|class| {
                    class.contains(&part.as_str()) && class.iter().any(|w| *w != part && said(w))
                });
                let opposite = ANTONYMS
                    .iter()
                    .filter_map(|(a, b)| {
                        if a == part {
                            Some(*b)
                        } else if b == part {
                            Some(*a)
                        } else {
                            None
                        }
                    })
                    .find(|o| aligned.contains(*o));
                if !in_class && opposite.is_none() {
                    continue;
                }
                let abs = s.start + range.start..s.start + range.end;
                if out.covers(&abs) {
                    continue;
                }
                let value = part.clone();
                let claim = copy.span_claim(abs, "term", &value);
                let original = opposite.map_or_else(
                    || "other words of its kind".to_string(),
                    |o| format!("“{o}”"),
                );
                out.push(
                    &rules::CHANGED_TERM,
                    &value,
                    &[("copy", format!("“{value}”")), ("original", original)],
                    None,
                    Some(&claim),
                );
            }
        }
    }
}

/// Quotes and counts of the original the copy never states (info:
/// rewrites shorten).
fn dropped(cx: &Context, out: &mut Collector) {
    let copy_words = WordIndex::new(&cx.copy.doc.text);
    for o in of(cx.original, "quote") {
        let kept = quote_sentences(&o.value)
            .iter()
            .any(|(_, w)| copy_words.contains_run(w));
        let reworded = out.paired(&rules::QUOTE_REWORDED, o.start);
        if !kept && !reworded {
            let speaker = cx.person(&o.subject);
            out.push(
                &rules::DROPPED,
                &speaker,
                &[("original", format!("quote “{}”", o.value))],
                Some(o),
                None,
            );
        }
    }
    for o in of(cx.original, "count") {
        if of(cx.copy, "count").any(|c| c.facet == o.facet) {
            continue;
        }
        let subject = o.facet.clone().unwrap_or_default();
        out.push(
            &rules::DROPPED,
            &subject,
            &[("original", format!("count “{}”", o.text))],
            Some(o),
            None,
        );
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn words_keep_numbers_and_drop_possessives() {
        let text = "Trump's 1,000 U.S. troops.";
        let w: Vec<&str> = spans(text).into_iter().map(|(_, w)| w).collect();
        assert_eq!(w, vec!["Trump", "1,000", "U.S", "troops"]);
        assert_eq!(norm("U.S"), "unitedstates");
        assert_eq!(norm("US"), "unitedstates");
        assert_eq!(norm("us"), "us");
        assert_eq!(norm("3.5"), "3.5");
        assert_eq!(norm("35"), "35");
        assert_eq!(norm("1,000"), "1000");
        assert_eq!(norm("$5.1bn"), "5.1bn");
        assert_eq!(norm("Feb"), "february");
        assert_eq!(norm("sat"), "sat");
        assert_eq!(norm("Five"), "5");
    }

    #[test]
    fn negation_reads_contractions() {
        assert!(negated("He didn’t provide it."));
        assert!(!negated("He provided it."));
    }
}
