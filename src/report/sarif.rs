//! `--format sarif`: findings as a SARIF 2.1.0 log, for code-scanning
//! dashboards and editors. Every loaded rule is declared (not only those
//! that fired) so a viewer can explain a rule that fired in an earlier run;
//! the outlier's words are the result's location and the other sources'
//! words its related locations.
//!
//! Input: the bundle, its findings and the loaded rules. Output: one
//! pretty-printed JSON document, byte-for-byte the same for the same input.

use crate::check::spec::{Rule, Severity};
use crate::check::{Finding, FindingClaim};
use crate::claims::Claim;
use crate::ingest::Bundle;
use crate::model::{Document, InputFormat};
use serde::Serialize;
use std::collections::{BTreeMap, BTreeSet};
use std::io::{self, Write};

const SCHEMA: &str =
    "https://docs.oasis-open.org/sarif/sarif/v2.1.0/errata01/os/schemas/sarif-schema-2.1.0.json";

/// The `partialFingerprints` key; bump the suffix if the fingerprint's
/// recipe ever changes, so old and new values are never compared.
pub const FINGERPRINT_KEY: &str = "crosscheck/v1";

#[derive(Serialize)]
struct Log {
    #[serde(rename = "$schema")]
    schema: &'static str,
    version: &'static str,
    runs: Vec<Run>,
}

#[derive(Serialize)]
#[serde(rename_all = "camelCase")]
struct Run {
    tool: Tool,
    /// Claims' columns count characters, not UTF-16 units (SARIF's default).
    column_kind: &'static str,
    #[serde(skip_serializing_if = "Vec::is_empty")]
    artifacts: Vec<Artifact>,
    results: Vec<SarifResult>,
}

#[derive(Serialize)]
struct Tool {
    driver: Driver,
}

#[derive(Serialize)]
#[serde(rename_all = "camelCase")]
struct Driver {
    name: &'static str,
    version: &'static str,
    #[serde(skip_serializing_if = "Option::is_none")]
    information_uri: Option<&'static str>,
    rules: Vec<Descriptor>,
}

#[derive(Serialize)]
#[serde(rename_all = "camelCase")]
struct Descriptor {
    id: String,
    name: String,
    short_description: Text,
    full_description: Text,
    help: Help,
    default_configuration: Configuration,
    properties: DescriptorProperties,
}

#[derive(Serialize)]
struct DescriptorProperties {
    kind: String,
    attribute: String,
    tags: Vec<String>,
}

#[derive(Serialize)]
struct Text {
    text: String,
}

#[derive(Serialize)]
struct Help {
    text: String,
    markdown: String,
}

#[derive(Serialize)]
struct Configuration {
    level: &'static str,
}

#[derive(Serialize)]
struct Artifact {
    location: ArtifactLocation,
    roles: [&'static str; 1],
}

#[derive(Serialize)]
#[serde(rename_all = "camelCase")]
struct SarifResult {
    rule_id: String,
    rule_index: usize,
    level: &'static str,
    message: Text,
    locations: Vec<Location>,
    #[serde(skip_serializing_if = "Vec::is_empty")]
    related_locations: Vec<Location>,
    partial_fingerprints: BTreeMap<&'static str, String>,
    properties: ResultProperties,
}

#[derive(Serialize)]
struct ResultProperties {
    key: String,
    label: String,
    kind: String,
    #[serde(skip_serializing_if = "Option::is_none")]
    majority: Option<String>,
    outliers: Vec<String>,
}

#[derive(Serialize)]
#[serde(rename_all = "camelCase")]
struct Location {
    #[serde(skip_serializing_if = "Option::is_none")]
    id: Option<usize>,
    #[serde(skip_serializing_if = "Option::is_none")]
    physical_location: Option<PhysicalLocation>,
    #[serde(skip_serializing_if = "Vec::is_empty")]
    logical_locations: Vec<LogicalLocation>,
    #[serde(skip_serializing_if = "Option::is_none")]
    message: Option<Text>,
}

#[derive(Serialize)]
#[serde(rename_all = "camelCase")]
struct PhysicalLocation {
    artifact_location: ArtifactLocation,
    #[serde(skip_serializing_if = "Option::is_none")]
    region: Option<Region>,
}

#[derive(Serialize)]
struct ArtifactLocation {
    uri: String,
}

#[derive(Serialize)]
#[serde(rename_all = "camelCase")]
struct LogicalLocation {
    fully_qualified_name: String,
    kind: &'static str,
}

#[derive(Serialize)]
#[serde(rename_all = "camelCase")]
struct Region {
    start_line: usize,
    start_column: usize,
    end_line: usize,
    end_column: usize,
    #[serde(skip_serializing_if = "Option::is_none")]
    char_offset: Option<usize>,
    #[serde(skip_serializing_if = "Option::is_none")]
    char_length: Option<usize>,
    snippet: Text,
}

/// SARIF's name for a severity.
pub fn level(severity: Severity) -> &'static str {
    match severity {
        Severity::Error => "error",
        Severity::Warning => "warning",
        Severity::Info => "note",
    }
}

/// A path as a URI reference: forward slashes, `./` dropped, absolute paths
/// as `file://` URIs, and every byte outside the unreserved set
/// percent-encoded so spaces, `#`, `?` and `:` cannot change its meaning.
pub fn path_uri(path: &str) -> String {
    let slashed = path.replace('\\', "/");
    let mut rest = slashed.as_str();
    while let Some(stripped) = rest.strip_prefix("./") {
        rest = stripped;
    }
    let bytes = rest.as_bytes();
    let drive =
        bytes.len() >= 3 && bytes[0].is_ascii_alphabetic() && bytes[1] == b':' && bytes[2] == b'/';
    let (prefix, body) = if drive {
        // `C:` stays readable; the colon is safe after `file:///`.
        ("file:///", rest)
    } else if rest.starts_with('/') {
        ("file://", rest)
    } else {
        ("", rest)
    };
    let mut uri = String::with_capacity(prefix.len() + body.len());
    uri.push_str(prefix);
    for (i, byte) in body.bytes().enumerate() {
        let keep = byte.is_ascii_alphanumeric()
            || matches!(byte, b'-' | b'.' | b'_' | b'~' | b'/')
            || (drive && i == 1 && byte == b':');
        if keep {
            uri.push(char::from(byte));
        } else {
            uri.push_str(&format!("%{byte:02X}"));
        }
    }
    uri
}

/// Where a claim's words end, counted like its start: the line and the
/// column just past the last character.
fn end_of(claim: &Claim) -> (usize, usize) {
    match claim.text.rfind('\n') {
        Some(last) => (
            claim.line + claim.text.matches('\n').count(),
            claim.text[last + 1..].chars().count() + 1,
        ),
        None => (claim.line, claim.column + claim.text.chars().count()),
    }
}

/// The claim's region, when its line and column point into the file the
/// URI names. HTML and JSON records are read into extracted text, so their
/// positions belong to that text, not to the file.
fn region(claim: &Claim, doc: Option<&Document>) -> Option<Region> {
    let maps_to_file =
        doc.is_none_or(|d| matches!(d.format, InputFormat::Text | InputFormat::Markdown));
    if !maps_to_file || claim.line == 0 || claim.column == 0 {
        return None;
    }
    let (end_line, end_column) = end_of(claim);
    // Offsets are in characters like the columns; without the text the
    // byte offsets cannot be converted, so they are left out.
    let chars = doc.and_then(|d| {
        let before = d.text.get(..claim.start)?;
        let words = d.text.get(claim.start..claim.end)?;
        Some((before.chars().count(), words.chars().count()))
    });
    Some(Region {
        start_line: claim.line,
        start_column: claim.column,
        end_line,
        end_column,
        char_offset: chars.map(|c| c.0),
        char_length: chars.map(|c| c.1),
        snippet: Text {
            text: claim.text.clone(),
        },
    })
}

fn who(claim: &Claim) -> String {
    match &claim.source {
        Some(source) => format!("{} ({source})", claim.doc),
        None => claim.doc.to_string(),
    }
}

fn location(claim: &FindingClaim, id: Option<usize>, docs: &BTreeMap<&str, &Document>) -> Location {
    let c = &claim.claim;
    let doc = docs.get(&*c.doc).copied();
    let region = region(c, doc);
    let mut text = format!("{}: {} in “{}”", who(c), c.value, c.text);
    if claim.outlier {
        text.push_str(" (outlier)");
    }
    if region.is_none() {
        // The words' position is in the extracted text; say so, since the
        // location cannot point there.
        text.push_str(&format!(
            " at line {}, column {} of the extracted text",
            c.line, c.column
        ));
    }
    let stdin = &*c.path == "-" || doc.is_some_and(|d| d.format == InputFormat::Stdin);
    let (physical_location, logical_locations) = if stdin {
        (
            None,
            vec![LogicalLocation {
                fully_qualified_name: c.doc.to_string(),
                kind: "document",
            }],
        )
    } else {
        (
            Some(PhysicalLocation {
                artifact_location: ArtifactLocation {
                    uri: path_uri(&c.path),
                },
                region,
            }),
            Vec::new(),
        )
    };
    Location {
        id,
        physical_location,
        logical_locations,
        message: Some(Text { text }),
    }
}

fn help(rule: &Rule) -> Help {
    let d = &rule.spec.docs;
    Help {
        text: format!(
            "{}\n\nWhy it matters: {}\n\nExample that fires: {}\n\nNear miss that does not: {}",
            d.what, d.why, d.example, d.near_miss
        ),
        markdown: format!(
            "{}\n\n**Why it matters.** {}\n\n**Example that fires.** {}\n\n**Near miss that does not.** {}",
            d.what, d.why, d.example, d.near_miss
        ),
    }
}

fn descriptor(rule: &Rule) -> Descriptor {
    let s = &rule.spec;
    Descriptor {
        id: s.code.clone(),
        name: s.id.clone(),
        short_description: Text {
            text: s.summary.clone(),
        },
        full_description: Text {
            text: s.docs.what.clone(),
        },
        help: help(rule),
        default_configuration: Configuration {
            level: level(s.severity),
        },
        properties: DescriptorProperties {
            kind: s.kind.as_str().to_string(),
            attribute: s.attribute.clone(),
            tags: vec!["news".to_string(), s.kind.as_str().to_string()],
        },
    }
}

/// A descriptor for a finding whose rule was not passed in, so that every
/// `ruleId` is still declared.
fn descriptor_of_finding(finding: &Finding) -> Descriptor {
    Descriptor {
        id: finding.code.clone(),
        name: finding.rule.clone(),
        short_description: Text {
            text: finding.rule.clone(),
        },
        full_description: Text {
            text: finding.rule.clone(),
        },
        help: Help {
            text: format!("See `crosscheck rules {}`.", finding.code),
            markdown: format!("See `crosscheck rules {}`.", finding.code),
        },
        default_configuration: Configuration {
            level: level(finding.severity),
        },
        properties: DescriptorProperties {
            kind: finding.kind.as_str().to_string(),
            attribute: String::new(),
            tags: vec!["news".to_string(), finding.kind.as_str().to_string()],
        },
    }
}

fn result(finding: &Finding, rule_index: usize, docs: &BTreeMap<&str, &Document>) -> SarifResult {
    let primary = finding
        .claims
        .iter()
        .position(|c| c.outlier)
        .or_else(|| (!finding.claims.is_empty()).then_some(0));
    let locations = primary
        .and_then(|i| finding.claims.get(i))
        .map(|c| location(c, None, docs))
        .into_iter()
        .collect();
    let related_locations = finding
        .claims
        .iter()
        .enumerate()
        .filter(|(i, _)| Some(*i) != primary)
        .enumerate()
        .map(|(n, (_, c))| location(c, Some(n + 1), docs))
        .collect();
    let outliers: BTreeSet<String> = finding
        .claims
        .iter()
        .filter(|c| c.outlier)
        .map(|c| c.claim.doc.to_string())
        .collect();
    SarifResult {
        rule_id: finding.code.clone(),
        rule_index,
        level: level(finding.severity),
        message: Text {
            text: finding.message.clone(),
        },
        locations,
        related_locations,
        partial_fingerprints: BTreeMap::from([(FINGERPRINT_KEY, finding.fingerprint())]),
        properties: ResultProperties {
            key: finding.key.clone(),
            label: finding.label.clone(),
            kind: finding.kind.as_str().to_string(),
            majority: finding.majority.clone(),
            outliers: outliers.into_iter().collect(),
        },
    }
}

/// Writes the SARIF log: every rule in `rules` declared, sorted by code (a
/// later rule with the same code replaces an earlier one, as `--rules`
/// overrides do), one result per finding in the findings' order.
pub fn write(
    out: &mut dyn Write,
    bundle: &Bundle,
    findings: &[Finding],
    rules: &[Rule],
) -> io::Result<()> {
    let mut by_code: BTreeMap<&str, Descriptor> = BTreeMap::new();
    for rule in rules {
        by_code.insert(rule.spec.code.as_str(), descriptor(rule));
    }
    for finding in findings {
        by_code
            .entry(finding.code.as_str())
            .or_insert_with(|| descriptor_of_finding(finding));
    }
    let index: BTreeMap<&str, usize> = by_code
        .keys()
        .enumerate()
        .map(|(i, code)| (*code, i))
        .collect();
    let docs: BTreeMap<&str, &Document> = bundle
        .documents
        .iter()
        .map(|d| (d.id.as_str(), d))
        .collect();
    // Every finding's code was declared above, so the lookup cannot miss.
    let results = findings
        .iter()
        .map(|f| result(f, index.get(f.code.as_str()).copied().unwrap_or(0), &docs))
        .collect();
    let paths: BTreeSet<&str> = bundle
        .documents
        .iter()
        .filter(|d| d.format != InputFormat::Stdin && d.path != "-")
        .map(|d| d.path.as_str())
        .collect();
    let artifacts = paths
        .into_iter()
        .map(|p| Artifact {
            location: ArtifactLocation { uri: path_uri(p) },
            roles: ["analysisTarget"],
        })
        .collect();
    let repository = env!("CARGO_PKG_REPOSITORY");
    let log = Log {
        schema: SCHEMA,
        version: "2.1.0",
        runs: vec![Run {
            tool: Tool {
                driver: Driver {
                    name: "crosscheck",
                    version: env!("CARGO_PKG_VERSION"),
                    information_uri: (!repository.is_empty()).then_some(repository),
                    rules: by_code.into_values().collect(),
                },
            },
            column_kind: "unicodeCodePoints",
            artifacts,
            results,
        }],
    };
    serde_json::to_writer_pretty(&mut *out, &log)?;
    out.write_all(b"\n")
}

/// Hand-built bundles and findings for the emitters' unit tests.
#[cfg(test)]
pub(crate) mod fixture {
    use crate::check::spec::{Kind, Severity};
    use crate::check::{Finding, FindingClaim};
    use crate::claims::{Claim, SubjectKind};
    use crate::ingest::{Bundle, Skipped};
    use crate::model::{Document, InputFormat, LineIndex, Provenance};

    pub fn document(id: &str, source: Option<&str>, text: &str) -> Document {
        Document {
            id: id.to_string(),
            path: format!("bundle/{id}"),
            format: InputFormat::Text,
            source: source.map(str::to_string),
            title: None,
            url: None,
            published: None,
            published_from: Provenance::None,
            published_text: None,
            text: text.to_string(),
            blocks: Vec::new(),
            warnings: Vec::new(),
            group: None,
        }
    }

    /// A claim on the first occurrence of `words` in `doc`.
    pub fn claim(doc: &Document, words: &str, value: &str) -> Claim {
        let start = doc.text.find(words).unwrap();
        let end = start + words.len();
        let (line, column) = LineIndex::new(&doc.text).line_col(&doc.text, start);
        Claim {
            doc: doc.id.as_str().into(),
            path: doc.path.as_str().into(),
            story: None,
            source: doc.source.as_deref().map(Into::into),
            published: doc.published,
            subject: "call".to_string(),
            subject_kind: SubjectKind::Event,
            attribute: "date".to_string(),
            facet: None,
            value: value.to_string(),
            number: None,
            number_max: None,
            hedge: None,
            qualifiers: Vec::new(),
            event_class: None,
            participants: Vec::new(),
            weekday: None,
            implied: Vec::new(),
            resolved: None,
            start,
            end,
            line,
            column,
            text: words.to_string(),
            sentence: doc.text.lines().nth(line - 1).unwrap().into(),
        }
    }

    pub fn finding(code: &str, severity: Severity, claims: Vec<(Claim, bool)>) -> Finding {
        Finding {
            rule: "event-date-conflict".to_string(),
            code: code.to_string(),
            kind: Kind::Conflict,
            severity,
            key: "event:call|date".to_string(),
            label: "the date of the call".to_string(),
            message: "c.txt dates the call 2023-07-15; a.txt, b.txt say 2025-08-21".to_string(),
            majority: Some("2025-08-21".to_string()),
            claims: claims
                .into_iter()
                .map(|(claim, outlier)| FindingClaim { claim, outlier })
                .collect(),
            story: None,
        }
    }

    /// Three sources on one call; c.txt is the outlier, with a non-ASCII
    /// character before its words.
    pub fn bundle() -> (Bundle, Vec<Finding>) {
        let a = document(
            "a.txt",
            Some("Outlet A"),
            "Title\n\nThe call on Thursday, Aug. 21.\n",
        );
        let b = document("b.txt", None, "The call came on Thursday.\n");
        let c = document(
            "c.txt",
            Some("Outlet | C"),
            "Intro\n“Quoted” call on July 15,\n2023 was held.\n",
        );
        let claims = vec![
            (claim(&a, "Thursday, Aug. 21", "2025-08-21"), false),
            (claim(&b, "Thursday", "2025-08-21"), false),
            (claim(&c, "July 15,\n2023", "2023-07-15"), true),
        ];
        let finding = finding("D001", Severity::Error, claims);
        let bundle = Bundle {
            documents: vec![a, b, c],
            skipped: vec![Skipped {
                path: "bundle/d.bin".to_string(),
                reason: "binary file".to_string(),
            }],
            warnings: Vec::new(),
            errors: Vec::new(),
            notes: Vec::new(),
        };
        (bundle, vec![finding])
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::Value;

    fn render(bundle: &Bundle, findings: &[Finding], rules: &[Rule]) -> Value {
        let mut out = Vec::new();
        write(&mut out, bundle, findings, rules).unwrap();
        assert!(out.ends_with(b"}\n"));
        serde_json::from_slice(&out).unwrap()
    }

    #[test]
    fn path_uri_is_a_relative_reference_with_forward_slashes() {
        assert_eq!(path_uri("./samples\\a b#1.txt"), "samples/a%20b%231.txt");
        assert_eq!(path_uri("a:b.txt"), "a%3Ab.txt");
        assert_eq!(path_uri("/tmp/x.txt"), "file:///tmp/x.txt");
        assert_eq!(path_uri("C:\\x\\y.txt"), "file:///C:/x/y.txt");
        assert_eq!(path_uri("é.txt"), "%C3%A9.txt");
    }

    #[test]
    fn write_declares_every_rule_sorted_by_code() {
        let rules = crate::check::spec::load(&[]).unwrap();
        let (bundle, _) = fixture::bundle();
        let log = render(&bundle, &[], &rules);
        let declared = log["runs"][0]["tool"]["driver"]["rules"]
            .as_array()
            .unwrap();
        assert_eq!(declared.len(), rules.len());
        let codes: Vec<&str> = declared.iter().map(|r| r["id"].as_str().unwrap()).collect();
        let mut sorted = codes.clone();
        sorted.sort();
        assert_eq!(codes, sorted);
        let first = &declared[0];
        assert!(first["name"].as_str().unwrap().contains('-'));
        assert!(first["help"]["text"]
            .as_str()
            .unwrap()
            .contains("Near miss"));
        assert!(first["help"]["markdown"]
            .as_str()
            .unwrap()
            .contains("**Why"));
        assert_eq!(log["runs"][0]["results"].as_array().unwrap().len(), 0);
    }

    #[test]
    fn write_puts_the_outlier_first_and_others_related() {
        let rules = crate::check::spec::load(&[]).unwrap();
        let (bundle, findings) = fixture::bundle();
        let log = render(&bundle, &findings, &rules);
        let result = &log["runs"][0]["results"][0];
        let declared = &log["runs"][0]["tool"]["driver"]["rules"];
        let index = result["ruleIndex"].as_u64().unwrap() as usize;
        assert_eq!(declared[index]["id"], "D001");
        assert_eq!(result["level"], "error");
        let location = &result["locations"][0]["physicalLocation"];
        assert_eq!(location["artifactLocation"]["uri"], "bundle/c.txt");
        let region = &location["region"];
        // “Quoted” call on July 15,\n2023: line 2, column 18; ends on line 3.
        assert_eq!(region["startLine"], 2);
        assert_eq!(region["startColumn"], 18);
        assert_eq!(region["endLine"], 3);
        assert_eq!(region["endColumn"], 5);
        // Characters, not bytes: the curly quotes are 3 bytes each.
        assert_eq!(region["charOffset"], 23);
        assert_eq!(region["charLength"], 13);
        assert_eq!(region["snippet"]["text"], "July 15,\n2023");
        let related = result["relatedLocations"].as_array().unwrap();
        assert_eq!(related.len(), 2);
        assert_eq!(related[0]["id"], 1);
        assert_eq!(
            related[0]["message"]["text"],
            "a.txt (Outlet A): 2025-08-21 in “Thursday, Aug. 21”"
        );
        assert_eq!(related[1]["physicalLocation"]["region"]["endColumn"], 26);
        assert_eq!(
            result["partialFingerprints"][FINGERPRINT_KEY],
            findings[0].fingerprint()
        );
        assert_eq!(result["properties"]["majority"], "2025-08-21");
        assert_eq!(result["properties"]["outliers"][0], "c.txt");
    }

    #[test]
    fn write_without_outlier_uses_the_first_claim() {
        let (bundle, mut findings) = fixture::bundle();
        for c in &mut findings[0].claims {
            c.outlier = false;
        }
        let log = render(&bundle, &findings, &[]);
        let result = &log["runs"][0]["results"][0];
        assert_eq!(
            result["locations"][0]["physicalLocation"]["artifactLocation"]["uri"],
            "bundle/a.txt"
        );
        // The rule was not passed in, yet its code is declared.
        assert_eq!(log["runs"][0]["tool"]["driver"]["rules"][0]["id"], "D001");
        assert_eq!(result["ruleIndex"], 0);
    }

    #[test]
    fn write_leaves_out_regions_of_extracted_text() {
        let (mut bundle, findings) = fixture::bundle();
        bundle.documents[2].format = InputFormat::Html;
        let log = render(&bundle, &findings, &[]);
        let location = &log["runs"][0]["results"][0]["locations"][0];
        assert!(location["physicalLocation"].get("region").is_none());
        assert!(location["message"]["text"]
            .as_str()
            .unwrap()
            .contains("line 2, column 18 of the extracted text"));
    }

    #[test]
    fn write_names_stdin_documents_by_logical_location() {
        let (mut bundle, mut findings) = fixture::bundle();
        bundle.documents[2].format = InputFormat::Stdin;
        findings[0].claims[2].claim.path = "-".into();
        let log = render(&bundle, &findings, &[]);
        let location = &log["runs"][0]["results"][0]["locations"][0];
        assert!(location.get("physicalLocation").is_none());
        assert_eq!(
            location["logicalLocations"][0]["fullyQualifiedName"],
            "c.txt"
        );
        let artifacts = log["runs"][0]["artifacts"].as_array().unwrap();
        assert_eq!(artifacts.len(), 2);
    }

    #[test]
    fn level_maps_info_to_note() {
        assert_eq!(level(Severity::Info), "note");
        assert_eq!(level(Severity::Warning), "warning");
        assert_eq!(level(Severity::Error), "error");
    }
}
