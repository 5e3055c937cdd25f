//! HTML pages: the article text and the page's metadata.
//!
//! The page is parsed with `scraper` (html5ever), which copes with any input
//! and builds an arena tree. Every walk over that tree here is an iterative
//! `traverse()` with explicit state, never recursion: a page with 100,000
//! nested elements must not overflow the stack.
//!
//! The parser is the other limit on nesting: html5ever scans its stack of
//! open elements on each block start tag, so 100,000 nested `<div>`s took
//! ~14 s (release). [`cap_nesting`] drops block tags nested past
//! [`MAX_NESTING`] before parsing; a million now parse in ~0.1 s.
//!
//! Extraction is two walks over the document: a scan that scores candidate
//! containers (articles by paragraph text, parents by the text of their
//! direct `<p>` children), then a render of the chosen container into
//! blank-line separated blocks.

use std::borrow::Cow;
use std::collections::HashMap;

use ego_tree::iter::Edge;
use ego_tree::{NodeId, NodeRef};
use scraper::{Html, Node};
use serde_json::{Map, Value};

type NodeR<'a> = NodeRef<'a, Node>;

/// What [`extract_article`] read from one page.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct HtmlArticle {
    /// The article text: one paragraph, heading, list item or blockquote
    /// per block, blocks separated by a blank line (`"\n\n"`), whitespace
    /// inside a block collapsed to single spaces, entities decoded. A single
    /// `<br>` is a `'\n'` inside a block. The headline (the `h1` inside the
    /// article, if any) is the first block.
    pub text: String,
    /// `og:title`, else JSON-LD `headline`, else the first `h1`, else
    /// `<title>`; a " - Site" / " | Site" suffix naming the site is cut.
    pub title: Option<String>,
    /// `og:site_name`, else JSON-LD `publisher.name`, else `application-name`.
    pub site_name: Option<String>,
    /// `og:url`, else `<link rel=canonical>`.
    pub url: Option<String>,
    /// The raw date string, unparsed: `article:published_time`, else JSON-LD
    /// `datePublished`, else `<time datetime>` inside the article, else a
    /// `date`/`pubdate`/`DC.date`-style meta tag.
    pub published: Option<String>,
    /// Which field `published` came from, e.g. `"article:published_time"`,
    /// `"json-ld datePublished"`, `"time[datetime]"`, `"meta[name=pubdate]"`.
    pub published_field: Option<&'static str>,
    /// `<meta name=author>`, else JSON-LD `author` (names joined by ", "),
    /// else a non-URL `article:author`.
    pub author: Option<String>,
    /// `<html lang>`.
    pub language: Option<String>,
}

/// Reads the article text and metadata from an HTML page.
///
/// Total: any input gives a result, and a page with nothing article-like
/// (only scripts, say) gives an empty `text`.
pub fn extract_article(html: &str) -> HtmlArticle {
    let doc = Html::parse_document(&cap_nesting(html, MAX_NESTING));
    let meta = collect_meta(&doc);
    let scan = scan(doc.tree.root());
    let root = choose_root(&doc, &scan);
    let text = root.map(|r| render(r, &scan)).unwrap_or_default();
    let ld = JsonLd::parse(&meta.jsonld);

    let site_name = meta
        .get("og:site_name")
        .or_else(|| ld.publisher())
        .or_else(|| meta.get("application-name"));
    let title = meta
        .get("og:title")
        .or_else(|| ld.string("headline"))
        .or_else(|| root.and_then(headline))
        .or_else(|| meta.title.clone())
        .map(|t| strip_site_name(&t, site_name.as_deref()));
    let url = meta.get("og:url").or_else(|| meta.canonical.clone());
    let (published, published_field) = match meta.get("article:published_time") {
        Some(d) => (Some(d), Some("article:published_time")),
        None => match ld.string("datePublished") {
            Some(d) => (Some(d), Some("json-ld datePublished")),
            None => match root.and_then(time_datetime) {
                Some(d) => (Some(d), Some("time[datetime]")),
                None => DATE_META
                    .iter()
                    .find_map(|&(key, field)| meta.get(key).map(|d| (Some(d), Some(field))))
                    .unwrap_or((None, None)),
            },
        },
    };
    let author = meta.get("author").or_else(|| ld.author()).or_else(|| {
        meta.get("article:author")
            .filter(|a| !a.starts_with("http"))
    });

    HtmlArticle {
        text,
        title,
        site_name,
        url,
        published,
        published_field,
        author,
        language: meta.language,
    }
}

/// Nesting past which tags of one [`nesting_group`] are dropped before
/// parsing. Real pages stay in the tens; the cap keeps hostile input linear.
const MAX_NESTING: usize = 2048;

/// Tags that make html5ever slow when piled up, in two groups capped
/// separately (so a page's unclosed `<font>`s cannot cost it its divs):
///
/// 0. Blocks that can nest in themselves: on each start tag html5ever scans
///    its stack of open elements for a `<p>` in button scope. (`p`, `li`,
///    `dd`, `dt`, headings and `form` close their predecessor instead.)
/// 1. Formatting elements: each new one is compared with every open one
///    (the "Noah's Ark" clause); 20,000 `<b id=N>` took 7 s in release.
fn nesting_group(name: &[u8]) -> Option<usize> {
    const BLOCKS: &[&[u8]] = &[
        b"address",
        b"article",
        b"aside",
        b"blockquote",
        b"center",
        b"details",
        b"dialog",
        b"dir",
        b"div",
        b"dl",
        b"fieldset",
        b"figcaption",
        b"figure",
        b"footer",
        b"header",
        b"hgroup",
        b"main",
        b"menu",
        b"nav",
        b"ol",
        b"search",
        b"section",
        b"summary",
        b"ul",
        b"pre",
        b"listing",
    ];
    const FORMATTING: &[&[u8]] = &[
        b"b", b"big", b"code", b"em", b"font", b"i", b"nobr", b"s", b"small", b"strike", b"strong",
        b"tt", b"u",
    ];
    let is = |names: &[&[u8]]| names.iter().any(|n| n.eq_ignore_ascii_case(name));
    if is(BLOCKS) {
        Some(0)
    } else if is(FORMATTING) {
        Some(1)
    } else {
        None
    }
}

/// Drops start tags of a [`nesting_group`] beyond `limit` open at once, and
/// the end tags that match them. A rough tokenizer suffices: it only has to
/// be right on pages nested that deep, and the page is untouched (borrowed)
/// when it never gets there. Comments and script/style bodies are skipped
/// so that markup inside them does not count.
fn cap_nesting(html: &str, limit: usize) -> Cow<'_, str> {
    let bytes = html.as_bytes();
    let mut depth: HashMap<Vec<u8>, (usize, usize)> = HashMap::new(); // name -> (open, dropped)
    let mut total = [0usize; 2];
    let mut cuts: Vec<(usize, usize)> = Vec::new();
    let mut i = 0;
    while let Some(off) = bytes
        .get(i..)
        .and_then(|rest| rest.iter().position(|&b| b == b'<'))
    {
        let start = i + off;
        let rest = bytes.get(start..).unwrap_or_default();
        if rest.starts_with(b"<!--") {
            i = find(bytes, start + 4, b"-->").map_or(bytes.len(), |e| e + 3);
            continue;
        }
        let closing = rest.get(1) == Some(&b'/');
        let name_start = start + 1 + usize::from(closing);
        let name_len = bytes
            .get(name_start..)
            .unwrap_or_default()
            .iter()
            .take_while(|b| b.is_ascii_alphanumeric())
            .count();
        let name = bytes
            .get(name_start..name_start + name_len)
            .unwrap_or_default();
        if name.is_empty() {
            // "a < b" in text: not a tag.
            i = start + 1;
            continue;
        }
        let end = tag_end(bytes, name_start + name_len);
        i = end;
        if !closing && (name.eq_ignore_ascii_case(b"script") || name.eq_ignore_ascii_case(b"style"))
        {
            let mut close = b"</".to_vec();
            close.extend(name.iter().map(u8::to_ascii_lowercase));
            i = find_ci(bytes, i, &close).unwrap_or(bytes.len());
            continue;
        }
        let Some(total) = nesting_group(name).and_then(|g| total.get_mut(g)) else {
            continue;
        };
        let entry = depth.entry(name.to_ascii_lowercase()).or_insert((0, 0));
        if closing {
            if entry.1 > 0 {
                entry.1 -= 1;
                cuts.push((start, end));
            } else if entry.0 > 0 {
                entry.0 -= 1;
                *total = total.saturating_sub(1);
            }
        } else if *total >= limit {
            entry.1 += 1;
            cuts.push((start, end));
        } else {
            entry.0 += 1;
            *total += 1;
        }
    }
    if cuts.is_empty() {
        return Cow::Borrowed(html);
    }
    let mut out = String::with_capacity(html.len());
    let mut from = 0;
    for (start, end) in cuts {
        // Tag boundaries are ASCII '<' and '>', so these are char boundaries;
        // `get` keeps a mistake from panicking all the same.
        out.push_str(html.get(from..start).unwrap_or_default());
        from = end;
    }
    out.push_str(html.get(from..).unwrap_or_default());
    Cow::Owned(out)
}

/// Index just past the `>` closing a tag. A quote opens a value only right
/// after `=`, as in the HTML tokenizer: the apostrophe in an unquoted
/// `title=don't` must not swallow the page up to the next one.
fn tag_end(bytes: &[u8], from: usize) -> usize {
    let mut quote: Option<u8> = None;
    let mut after_eq = false;
    for (k, &b) in bytes.iter().enumerate().skip(from) {
        match (quote, b) {
            (Some(q), _) if b == q => quote = None,
            (Some(_), _) => {}
            (None, b'"' | b'\'') if after_eq => quote = Some(b),
            (None, b'>') => return k + 1,
            _ => {}
        }
        if !b.is_ascii_whitespace() {
            after_eq = quote.is_none() && b == b'=';
        }
    }
    bytes.len()
}

fn find(bytes: &[u8], from: usize, needle: &[u8]) -> Option<usize> {
    bytes
        .get(from..)?
        .windows(needle.len())
        .position(|w| w == needle)
        .map(|p| p + from)
}

fn find_ci(bytes: &[u8], from: usize, needle: &[u8]) -> Option<usize> {
    bytes
        .get(from..)?
        .windows(needle.len())
        .position(|w| w.eq_ignore_ascii_case(needle))
        .map(|p| p + from)
}

/// Date meta tags after the preferred sources, most specific first; keys are
/// lower-cased as [`collect_meta`] stores them.
const DATE_META: &[(&str, &str)] = &[
    ("date", "meta[name=date]"),
    ("pubdate", "meta[name=pubdate]"),
    ("publishdate", "meta[name=publishdate]"),
    ("publish-date", "meta[name=publish-date]"),
    ("dc.date", "meta[name=DC.date]"),
    ("dc.date.issued", "meta[name=DC.date.issued]"),
    ("dcterms.date", "meta[name=dcterms.date]"),
    ("dcterms.issued", "meta[name=dcterms.issued]"),
    ("datepublished", "meta[itemprop=datePublished]"),
];

/// Subtrees that are never article text, whatever their classes say.
/// Figure captions go too: they carry photo credits and the date a photo
/// was taken, which would read as conflicting dates for the story.
fn is_hard_drop(name: &str) -> bool {
    matches!(
        name,
        "script"
            | "style"
            | "noscript"
            | "template"
            | "iframe"
            | "svg"
            | "math"
            | "nav"
            | "header"
            | "footer"
            | "aside"
            | "form"
            | "button"
            | "figcaption"
            | "select"
            | "input"
            | "textarea"
            | "object"
            | "embed"
            | "canvas"
            | "audio"
            | "video"
            | "dialog"
            | "head"
            | "title"
            | "meta"
            | "link"
    )
}

/// Class/id/aria-label words of page furniture. Whole tokens only, so that
/// "headline" or "read" never match "ad".
const FURNITURE: &[&str] = &[
    "cookie",
    "cookies",
    "consent",
    "gdpr",
    "banner",
    "newsletter",
    "subscribe",
    "subscription",
    "share",
    "sharing",
    "social",
    "related",
    "promo",
    "advert",
    "advertisement",
    "ad",
    "ads",
    "sponsor",
    "sponsored",
    "comments",
    "comment",
    "breadcrumb",
    "breadcrumbs",
    "menu",
    "popup",
    "modal",
];

/// Landmark roles that mark page furniture, like the tags of the same
/// meaning in [`is_hard_drop`].
const FURNITURE_ROLES: &[&str] = &[
    "navigation",
    "banner",
    "contentinfo",
    "complementary",
    "search",
    "dialog",
    "alertdialog",
    "menu",
    "menubar",
];

/// Whether an element looks like page furniture by its id, classes,
/// aria-label or role. Structural containers are exempt: `<body
/// class="cookie-banner-open">` must not take the whole page with it.
fn is_furniture(el: &scraper::node::Element) -> bool {
    if matches!(el.name(), "html" | "body" | "main" | "article") {
        return false;
    }
    if el.attr("hidden").is_some() {
        return true;
    }
    if let Some(role) = el.attr("role") {
        let role = role.trim().to_ascii_lowercase();
        if FURNITURE_ROLES.contains(&role.as_str()) {
            return true;
        }
    }
    ["id", "class", "aria-label"]
        .iter()
        .filter_map(|a| el.attr(a))
        .any(has_furniture_token)
}

/// Splits on anything not alphanumeric and on camelCase humps
/// ("cookieBanner" → cookie, banner), then matches whole tokens.
fn has_furniture_token(value: &str) -> bool {
    let mut token = String::new();
    let mut prev_lower = false;
    let mut found = false;
    let mut check = |token: &mut String| {
        if !token.is_empty() {
            found |= FURNITURE.contains(&token.as_str());
            token.clear();
        }
    };
    for ch in value.chars() {
        if !ch.is_alphanumeric() {
            check(&mut token);
            prev_lower = false;
            continue;
        }
        if ch.is_uppercase() && prev_lower {
            check(&mut token);
        }
        prev_lower = ch.is_lowercase();
        token.extend(ch.to_lowercase());
    }
    check(&mut token);
    found
}

fn element_name<'a>(node: &NodeR<'a>) -> Option<&'a str> {
    node.value().as_element().map(|e| e.name())
}

// ---------------------------------------------------------------- metadata

#[derive(Default)]
struct PageMeta {
    /// Meta tags by lower-cased property/name/itemprop; the first one wins.
    tags: HashMap<String, String>,
    title: Option<String>,
    canonical: Option<String>,
    language: Option<String>,
    jsonld: Vec<String>,
}

impl PageMeta {
    fn get(&self, key: &str) -> Option<String> {
        self.tags.get(key).cloned()
    }
}

fn collect_meta(doc: &Html) -> PageMeta {
    let mut meta = PageMeta::default();
    // Arena order is creation order, which for a parsed page is document
    // order: "first" below means first on the page.
    for node in doc.tree.root().descendants() {
        let Some(el) = node.value().as_element() else {
            continue;
        };
        match el.name() {
            "html" if meta.language.is_none() => {
                meta.language = el.attr("lang").and_then(clean);
            }
            // An SVG <title> is a tooltip, not the page's title.
            "title" if meta.title.is_none() && &*el.name.ns == "http://www.w3.org/1999/xhtml" => {
                meta.title = clean(&inner_text(node));
            }
            "meta" => {
                let key = el
                    .attr("property")
                    .or_else(|| el.attr("name"))
                    .or_else(|| el.attr("itemprop"));
                if let (Some(key), Some(content)) = (key, el.attr("content").and_then(clean)) {
                    meta.tags
                        .entry(key.trim().to_ascii_lowercase())
                        .or_insert(content);
                }
            }
            "link" if meta.canonical.is_none() => {
                let canonical = el.attr("rel").is_some_and(|r| {
                    r.split_ascii_whitespace()
                        .any(|t| t.eq_ignore_ascii_case("canonical"))
                });
                if canonical {
                    meta.canonical = el.attr("href").and_then(clean);
                }
            }
            "script" => {
                let ld = el
                    .attr("type")
                    .is_some_and(|t| t.trim().eq_ignore_ascii_case("application/ld+json"));
                if ld {
                    meta.jsonld.push(inner_text(node));
                }
            }
            _ => {}
        }
    }
    meta
}

/// All text under a node, concatenated.
fn inner_text(node: NodeR<'_>) -> String {
    let mut out = String::new();
    for n in node.descendants() {
        if let Some(t) = n.value().as_text() {
            out.push_str(t);
        }
    }
    out
}

/// Whitespace collapsed and trimmed; `None` when nothing is left.
fn clean(s: &str) -> Option<String> {
    let out = s.split_whitespace().collect::<Vec<_>>().join(" ");
    (!out.is_empty()).then_some(out)
}

/// Cuts "Headline - Site" / "Site | Headline" down to the headline when the
/// other part is the site's name.
fn strip_site_name(title: &str, site: Option<&str>) -> String {
    let Some(site) = site.map(str::trim).filter(|s| !s.is_empty()) else {
        return title.to_string();
    };
    for sep in [" - ", " | ", " – ", " — ", " · ", " :: ", " : "] {
        if let Some((head, tail)) = title.rsplit_once(sep) {
            if tail.trim().eq_ignore_ascii_case(site) && !head.trim().is_empty() {
                return head.trim().to_string();
            }
        }
        if let Some((head, tail)) = title.split_once(sep) {
            if head.trim().eq_ignore_ascii_case(site) && !tail.trim().is_empty() {
                return tail.trim().to_string();
            }
        }
    }
    title.to_string()
}

/// The objects of every JSON-LD block, `@graph` members included; article
/// types first, so their fields win over a WebPage's or WebSite's.
struct JsonLd {
    objects: Vec<Map<String, Value>>,
}

impl JsonLd {
    fn parse(scripts: &[String]) -> JsonLd {
        let mut articles = Vec::new();
        let mut others = Vec::new();
        let mut push = |v: &Value| {
            if let Value::Object(o) = v {
                if is_article_type(o.get("@type")) {
                    articles.push(o.clone());
                } else {
                    others.push(o.clone());
                }
            }
        };
        for script in scripts {
            // serde_json stops at 128 levels of nesting, so hostile JSON-LD
            // is an error here, not a stack overflow.
            let Ok(value) = serde_json::from_str::<Value>(script.trim()) else {
                continue;
            };
            let top: Vec<&Value> = match &value {
                Value::Array(items) => items.iter().collect(),
                v => vec![v],
            };
            for v in top {
                push(v);
                if let Some(Value::Array(graph)) = v.get("@graph") {
                    graph.iter().for_each(&mut push);
                }
            }
        }
        articles.extend(others);
        JsonLd { objects: articles }
    }

    fn string(&self, key: &str) -> Option<String> {
        self.objects.iter().find_map(|o| match o.get(key)? {
            Value::String(s) => clean(s),
            Value::Array(items) => items.iter().find_map(|i| i.as_str().and_then(clean)),
            _ => None,
        })
    }

    fn publisher(&self) -> Option<String> {
        self.objects
            .iter()
            .find_map(|o| o.get("publisher").and_then(|p| names(p).into_iter().next()))
    }

    fn author(&self) -> Option<String> {
        self.objects.iter().find_map(|o| {
            let all = names(o.get("author")?);
            (!all.is_empty()).then(|| all.join(", "))
        })
    }
}

/// Names in a schema.org Person/Organization value: a string, an object with
/// `name`, or an array of those.
fn names(v: &Value) -> Vec<String> {
    let one = |v: &Value| match v {
        Value::String(s) => clean(s),
        Value::Object(o) => o.get("name").and_then(Value::as_str).and_then(clean),
        _ => None,
    };
    match v {
        Value::Array(items) => items.iter().filter_map(one).collect(),
        v => one(v).into_iter().collect(),
    }
}

fn is_article_type(t: Option<&Value>) -> bool {
    let is = |s: &str| {
        s.ends_with("Article") || matches!(s, "BlogPosting" | "LiveBlogPosting" | "Report")
    };
    match t {
        Some(Value::String(s)) => is(s),
        Some(Value::Array(items)) => items.iter().filter_map(Value::as_str).any(is),
        _ => false,
    }
}

/// The first value `pick` finds on an element of the article outside
/// furniture: a related link's `<time>` is another story's date. Headers
/// are searched: that is where the headline and dateline sit.
fn find_in_article<'a>(
    root: NodeR<'a>,
    pick: impl Fn(NodeR<'a>, &scraper::node::Element) -> Option<String>,
) -> Option<String> {
    let mut skip: Option<NodeId> = None;
    for edge in root.traverse() {
        match edge {
            Edge::Open(node) if skip.is_none() => {
                let Some(el) = node.value().as_element() else {
                    continue;
                };
                let name = el.name();
                let furniture = name != "header" && is_hard_drop(name) || is_furniture(el);
                if furniture && node.id() != root.id() {
                    skip = Some(node.id());
                } else if let Some(found) = pick(node, el) {
                    return Some(found);
                }
            }
            Edge::Close(node) if skip == Some(node.id()) => skip = None,
            _ => {}
        }
    }
    None
}

fn time_datetime(root: NodeR<'_>) -> Option<String> {
    find_in_article(root, |_, el| {
        (el.name() == "time")
            .then(|| el.attr("datetime").and_then(clean))
            .flatten()
    })
}

/// The article's `h1`. Not the page's first: sites often wrap their logo in
/// an `h1` in the page header.
fn headline(root: NodeR<'_>) -> Option<String> {
    find_in_article(root, |node, el| {
        (el.name() == "h1")
            .then(|| clean(&inner_text(node)))
            .flatten()
    })
}

// ------------------------------------------------------------------- scan

/// Paragraph-text scores gathered in one walk of the whole page.
#[derive(Default)]
struct Scan {
    /// `<article>` elements in document order with their paragraph text in
    /// bytes, nested articles included in their ancestors' totals.
    articles: Vec<(NodeId, usize)>,
    main: Option<NodeId>,
    role_main: Option<NodeId>,
    body: Option<NodeId>,
    /// Text of direct `<p>` children, by parent, in the order the parents
    /// were first seen (a deterministic tie-break).
    direct_p: Vec<(NodeId, usize)>,
    direct_p_index: HashMap<NodeId, usize>,
    /// Paragraph text under each furniture-looking element, furniture
    /// inside it included: [`render`] keeps one that holds most of the
    /// article, because then its class name misled us.
    furniture_p: HashMap<NodeId, usize>,
}

struct Frame {
    furniture: bool,
    /// Index into `Scan::articles` of the innermost enclosing article.
    article: Option<usize>,
    /// Parent of the innermost enclosing `<p>`.
    p_parent: Option<NodeId>,
    /// Paragraph text seen so far under this element.
    p_text: usize,
    /// This element itself looks like furniture.
    own_furniture: bool,
}

fn scan(doc_root: NodeR<'_>) -> Scan {
    let mut s = Scan::default();
    let mut article_parent: Vec<Option<usize>> = Vec::new();
    let mut own: Vec<usize> = Vec::new();
    let mut stack = vec![Frame {
        furniture: false,
        article: None,
        p_parent: None,
        p_text: 0,
        own_furniture: false,
    }];
    let mut skip: Option<NodeId> = None;
    for edge in doc_root.traverse() {
        match edge {
            Edge::Open(_) if skip.is_some() => {}
            Edge::Close(node) if skip.is_some() => {
                if skip == Some(node.id()) {
                    skip = None;
                }
            }
            Edge::Open(node) => match node.value() {
                Node::Element(el) => {
                    let name = el.name();
                    if is_hard_drop(name) {
                        skip = Some(node.id());
                        continue;
                    }
                    let Some(parent) = stack.last() else { continue };
                    let own_furniture = is_furniture(el);
                    let mut frame = Frame {
                        // Related-story cards are <article>s too, but the
                        // story itself is not furniture because its wrapper is.
                        furniture: (parent.furniture || own_furniture)
                            && !matches!(name, "article" | "main"),
                        article: parent.article,
                        p_parent: parent.p_parent,
                        p_text: 0,
                        own_furniture,
                    };
                    match name {
                        "article" => {
                            frame.article = Some(s.articles.len());
                            s.articles.push((node.id(), 0));
                            article_parent.push(parent.article);
                            own.push(0);
                        }
                        "main" if s.main.is_none() => s.main = Some(node.id()),
                        "body" if s.body.is_none() => s.body = Some(node.id()),
                        "p" => frame.p_parent = node.parent().map(|p| p.id()),
                        _ => {}
                    }
                    if s.role_main.is_none()
                        && el
                            .attr("role")
                            .is_some_and(|r| r.trim().eq_ignore_ascii_case("main"))
                    {
                        s.role_main = Some(node.id());
                    }
                    stack.push(frame);
                }
                Node::Text(t) => {
                    let Some(top) = stack.last_mut() else {
                        continue;
                    };
                    let Some(p_parent) = top.p_parent else {
                        continue;
                    };
                    let len = t.trim().len();
                    top.p_text += len;
                    if !top.furniture {
                        if let Some(slot) = top.article.and_then(|a| own.get_mut(a)) {
                            *slot += len;
                        }
                        let next = s.direct_p.len();
                        let i = *s.direct_p_index.entry(p_parent).or_insert(next);
                        if i == next {
                            s.direct_p.push((p_parent, 0));
                        }
                        if let Some(slot) = s.direct_p.get_mut(i) {
                            slot.1 += len;
                        }
                    }
                }
                _ => {}
            },
            Edge::Close(node) => {
                if node.value().is_element() && stack.len() > 1 {
                    if let Some(frame) = stack.pop() {
                        if frame.own_furniture {
                            s.furniture_p.insert(node.id(), frame.p_text);
                        }
                        if let Some(top) = stack.last_mut() {
                            top.p_text += frame.p_text;
                        }
                    }
                }
            }
        }
    }
    // Children come after their parents in document order, so one backward
    // pass adds every nested article's text into its ancestors.
    for i in (0..own.len()).rev() {
        if let Some(Some(parent)) = article_parent.get(i) {
            let v = own[i];
            if let Some(slot) = own.get_mut(*parent) {
                *slot += v;
            }
        }
    }
    for (slot, total) in s.articles.iter_mut().zip(own) {
        slot.1 = total;
    }
    s
}

fn choose_root<'a>(doc: &'a Html, s: &Scan) -> Option<NodeR<'a>> {
    let get = |id: NodeId| doc.tree.get(id);
    let best_article = first_max(&s.articles);
    if let Some((id, n)) = best_article {
        if n > 0 {
            return get(id);
        }
    }
    if let Some(id) = s.main.or(s.role_main) {
        return get(id);
    }
    if let Some((id, n)) = first_max(&s.direct_p) {
        if n > 0 {
            return get(id);
        }
    }
    best_article.map(|(id, _)| id).or(s.body).and_then(get)
}

/// The highest score, the first of equals winning (`max_by_key` would take
/// the last).
fn first_max(scores: &[(NodeId, usize)]) -> Option<(NodeId, usize)> {
    scores.iter().fold(None, |best, &(id, n)| match best {
        Some((_, m)) if m >= n => best,
        _ => Some((id, n)),
    })
}

// ----------------------------------------------------------------- render

fn is_block(name: &str) -> bool {
    matches!(
        name,
        "p" | "div"
            | "h1"
            | "h2"
            | "h3"
            | "h4"
            | "h5"
            | "h6"
            | "li"
            | "blockquote"
            | "pre"
            | "tr"
            | "table"
            | "thead"
            | "tbody"
            | "tfoot"
            | "caption"
            | "ul"
            | "ol"
            | "dl"
            | "dt"
            | "dd"
            | "section"
            | "article"
            | "main"
            | "header"
            | "figure"
            | "address"
            | "hr"
            | "center"
            | "details"
            | "summary"
            | "fieldset"
            | "legend"
            | "hgroup"
            | "menu"
            | "body"
            | "html"
    )
}

/// Builds blank-line separated blocks, collapsing whitespace as a browser
/// does: a run of whitespace anywhere, across inline tags too, is one space.
#[derive(Default)]
struct Blocks {
    done: Vec<String>,
    cur: String,
    space: bool,
}

impl Blocks {
    fn text(&mut self, s: &str, pre: bool) {
        for ch in s.chars() {
            if pre && ch == '\n' {
                self.line_break();
            } else if ch.is_whitespace() {
                // U+00A0 is whitespace too: a no-break space reads as a space.
                self.space = true;
            } else if ch.is_control() || matches!(ch, '\u{200b}' | '\u{feff}' | '\u{ad}') {
                // Invisible: neither a character nor a word break. A soft
                // hyphen (&shy;) only marks where a browser may break
                // "coali&shy;tion"; the word is "coalition".
            } else {
                if self.space && !self.cur.is_empty() && !self.cur.ends_with('\n') {
                    self.cur.push(' ');
                }
                self.space = false;
                self.cur.push(ch);
            }
        }
    }

    /// A `<br>`: a line break, and two in a row end the block, as pages
    /// that separate paragraphs with `<br><br>` mean.
    fn line_break(&mut self) {
        if self.cur.is_empty() {
            return;
        }
        if self.cur.ends_with('\n') {
            self.end_block();
        } else {
            self.cur.push('\n');
            self.space = false;
        }
    }

    fn end_block(&mut self) {
        let block = self.cur.trim_end();
        if !block.is_empty() {
            self.done.push(block.to_string());
        }
        self.cur.clear();
        self.space = false;
    }

    fn finish(mut self) -> String {
        self.end_block();
        self.done.join("\n\n")
    }
}

fn render(root: NodeR<'_>, s: &Scan) -> String {
    let root_p = paragraph_text(root);
    let mut out = Blocks::default();
    let mut skip: Option<NodeId> = None;
    let mut pre_depth = 0usize;
    // Index of the first h1's block, and where the open h1 started.
    let mut headline_at: Option<usize> = None;
    let mut h1_start: Option<usize> = None;
    for edge in root.traverse() {
        match edge {
            Edge::Open(_) if skip.is_some() => {}
            Edge::Close(node) if skip.is_some() => {
                if skip == Some(node.id()) {
                    skip = None;
                }
            }
            Edge::Open(node) => match node.value() {
                Node::Element(el) => {
                    let name = el.name();
                    let is_root = node.id() == root.id();
                    if name == "header" && !is_root {
                        // The article's own header: keep its headline, not
                        // the byline, date and share links around it.
                        if let Some(h1) = node.descendants().find(|n| element_name(n) == Some("h1"))
                        {
                            out.end_block();
                            let at = out.done.len();
                            out.text(&inner_text(h1), false);
                            out.end_block();
                            if headline_at.is_none() && out.done.len() > at {
                                headline_at = Some(at);
                            }
                        }
                        skip = Some(node.id());
                        continue;
                    }
                    let furniture = is_furniture(el) && {
                        let held = s.furniture_p.get(&node.id()).copied().unwrap_or(0);
                        held == 0 || held * 2 <= root_p
                    };
                    if !is_root && (is_hard_drop(name) || furniture) {
                        skip = Some(node.id());
                        continue;
                    }
                    match name {
                        "br" => out.line_break(),
                        "td" | "th" | "img" => out.space = true,
                        "pre" => pre_depth += 1,
                        _ => {}
                    }
                    if is_block(name) {
                        out.end_block();
                    }
                    if name == "h1" && h1_start.is_none() {
                        h1_start = Some(out.done.len());
                    }
                }
                Node::Text(t) => out.text(t, pre_depth > 0),
                _ => {}
            },
            Edge::Close(node) => {
                if let Some(name) = element_name(&node) {
                    if is_block(name) {
                        out.end_block();
                    }
                    if name == "h1" {
                        if let Some(at) = h1_start.take() {
                            if headline_at.is_none() && out.done.len() > at {
                                headline_at = Some(at);
                            }
                        }
                    }
                    match name {
                        "td" | "th" => out.space = true,
                        "pre" => pre_depth = pre_depth.saturating_sub(1),
                        _ => {}
                    }
                }
            }
        }
    }
    // A kicker or section label above the headline ("Analysis", "World")
    // must not read as the title when the text is read as plain text.
    if element_name(&root) == Some("article") {
        if let Some(at) = headline_at.filter(|&at| at > 0 && at < out.done.len()) {
            let headline = out.done.remove(at);
            out.done.insert(0, headline);
        }
    }
    out.finish()
}

/// Bytes of paragraph text under a node, outside hard-dropped subtrees.
fn paragraph_text(root: NodeR<'_>) -> usize {
    let mut total = 0;
    let mut skip: Option<NodeId> = None;
    let mut p_depth = 0usize;
    for edge in root.traverse() {
        match edge {
            Edge::Open(_) if skip.is_some() => {}
            Edge::Close(node) if skip.is_some() => {
                if skip == Some(node.id()) {
                    skip = None;
                }
            }
            Edge::Open(node) => match node.value() {
                Node::Element(el) if is_hard_drop(el.name()) && node.id() != root.id() => {
                    skip = Some(node.id());
                }
                Node::Element(el) if el.name() == "p" => p_depth += 1,
                Node::Text(t) if p_depth > 0 => total += t.trim().len(),
                _ => {}
            },
            Edge::Close(node) => {
                if element_name(&node) == Some("p") {
                    p_depth = p_depth.saturating_sub(1);
                }
            }
        }
    }
    total
}

#[cfg(test)]
mod tests {
    use super::*;

    fn nested(depth: usize, tag: &str) -> String {
        let mut s = String::with_capacity(depth * (2 * tag.len() + 5) + 64);
        s.push_str("<html><body>");
        for _ in 0..depth {
            s.push_str(&format!("<{tag}>"));
        }
        s.push_str("<p>Deep text.</p>");
        for _ in 0..depth {
            s.push_str(&format!("</{tag}>"));
        }
        s.push_str("</body></html>");
        s
    }

    fn fixture(name: &str) -> String {
        let path = format!("{}/tests/fixtures/html/{name}", env!("CARGO_MANIFEST_DIR"));
        match std::fs::read_to_string(&path) {
            Ok(s) => s,
            Err(e) => panic!("reading {path}: {e}"),
        }
    }

    #[test]
    fn news_page_text_is_the_article_only() {
        let a = extract_article(&fixture("news-page.html"));
        let expected = "\
Rubio Takes On Drafting Security Guarantees for Ukraine

WASHINGTON \u{2014} Secretary of State Marco Rubio is leading the effort to draft security guarantees for Ukraine, officials said on Thursday, after the White House meeting with European leaders.

The guarantees would be modeled on Article 5 of the NATO treaty, the officials said, though the details remain under discussion among roughly 30 countries.

\u{201c}Some may provide forces on the ground,\u{201d} Mr. Rubio told reporters during the call on Thursday, adding that the talks were \u{201c}productive\u{201d} & ongoing.

European officials said a coalition of 33 nations had signed on, a figure the State Department did not confirm.

We are not there yet, but we are closer than we have ever been.

What comes next

Negotiators are expected to meet again in Geneva next week.
A final text could follow within weeks.";
        assert_eq!(a.text, expected);
        // Belt and braces against a future expected-text edit that lets
        // furniture back in.
        for furniture in [
            "cookies",
            "Politics",
            "dataLayer",
            "Related articles",
            "Zelensky",
            "Advertisement",
            "morning briefing",
            "comments",
            "All rights reserved",
            "Another story",
            "Photo: Agency",
            "Dana Whitfield",
            "Share on X",
            "\u{a0}",
        ] {
            assert!(
                !a.text.contains(furniture),
                "{furniture:?} leaked into the text"
            );
        }
    }

    #[test]
    fn news_page_metadata() {
        let a = extract_article(&fixture("news-page.html"));
        assert_eq!(
            a.title.as_deref(),
            Some("Rubio Takes On Drafting Security Guarantees for Ukraine & Europe")
        );
        assert_eq!(a.site_name.as_deref(), Some("The Meridian Post"));
        assert_eq!(
            a.url.as_deref(),
            Some("https://www.meridianpost.example/world/2025/08/22/rubio-security-guarantees")
        );
        assert_eq!(a.published.as_deref(), Some("2025-08-22T09:15:00-04:00"));
        assert_eq!(a.published_field, Some("article:published_time"));
        assert_eq!(a.author.as_deref(), Some("Dana Whitfield"));
        assert_eq!(a.language.as_deref(), Some("en-US"));
    }

    #[test]
    fn no_article_falls_back_to_densest_paragraphs() {
        let a = extract_article(&fixture("no-article.html"));
        let expected = "\
Council Approves Budget

The city council approved a $67 million budget on Tuesday night after a four-hour debate.

Council member Ana Ortiz called the vote \u{201c}a compromise nobody loves\u{201d} but said the schools would get what they asked for.

The budget takes effect on July 1.";
        assert_eq!(a.text, expected);
        assert_eq!(a.title.as_deref(), Some("Council Approves Budget"));
        assert_eq!(a.site_name.as_deref(), Some("Riverside Gazette"));
        assert_eq!(a.published.as_deref(), Some("20250819"));
        assert_eq!(a.published_field, Some("meta[name=pubdate]"));
        assert_eq!(a.url, None);
        assert_eq!(a.language, None);
    }

    #[test]
    fn only_scripts_gives_empty_text() {
        let a = extract_article(&fixture("only-scripts.html"));
        assert_eq!(a, HtmlArticle::default());
    }

    #[test]
    fn json_ld_fills_in_when_meta_tags_are_missing() {
        let page = r#"<html><head><title>Ignored - Daily Planet</title>
            <script type="application/ld+json">{"@context":"https://schema.org","@graph":[
              {"@type":"WebSite","name":"Daily Planet site","datePublished":"1999-01-01"},
              {"@type":["NewsArticle"],"headline":"Strike  Ends","datePublished":"2025-11-27",
               "publisher":{"name":"Daily Planet"},"author":[{"name":"A. One"},"B. Two"]}]}</script>
            </head><body><article><p>Text.</p></article></body></html>"#;
        let a = extract_article(page);
        assert_eq!(a.title.as_deref(), Some("Strike Ends"));
        assert_eq!(a.site_name.as_deref(), Some("Daily Planet"));
        assert_eq!(a.published.as_deref(), Some("2025-11-27"));
        assert_eq!(a.published_field, Some("json-ld datePublished"));
        assert_eq!(a.author.as_deref(), Some("A. One, B. Two"));
    }

    #[test]
    fn time_element_inside_the_article_dates_it_not_one_in_related_links() {
        let page = r#"<body><article>
            <div class="related"><time datetime="2023-07-15">old</time></div>
            <p>Text <time datetime="2025-08-21">Thursday</time>.</p></article>
            <time datetime="2020-01-01">outside</time></body>"#;
        let a = extract_article(page);
        assert_eq!(a.published.as_deref(), Some("2025-08-21"));
        assert_eq!(a.published_field, Some("time[datetime]"));
        assert_eq!(a.text, "Text Thursday.");
    }

    #[test]
    fn title_suffix_is_cut_only_when_it_names_the_site() {
        let page = r#"<head><title>Budget Passes | Riverside Gazette</title>
            <meta property="og:site_name" content="Riverside Gazette"></head>"#;
        assert_eq!(
            extract_article(page).title.as_deref(),
            Some("Budget Passes")
        );
        let page = "<head><title>Gazette | Budget - Passes</title></head>";
        assert_eq!(
            extract_article(page).title.as_deref(),
            Some("Gazette | Budget - Passes")
        );
        assert_eq!(
            strip_site_name(
                "Riverside Gazette - Budget Passes",
                Some("riverside gazette")
            ),
            "Budget Passes"
        );
    }

    #[test]
    fn inline_tags_neither_lose_nor_add_spaces() {
        let a = extract_article(
            "<main><p>the <a href=x>call</a> on <em>Thurs</em>day, <b> bold </b>end&nbsp;&amp;\n  more</p></main>",
        );
        assert_eq!(a.text, "the call on Thursday, bold end & more");
    }

    #[test]
    fn blocks_and_line_breaks() {
        let a = extract_article(
            "<main><div>Lead text<p>Para</p>tail</div><ul><li>one</li><li>two</li></ul>\
             <table><tr><td>a</td><td>b</td></tr><tr><td>c</td></tr></table>\
             <div>x<br>y<br><br>z</div><pre>l1\n  l2</pre></main>",
        );
        assert_eq!(
            a.text,
            "Lead text\n\nPara\n\ntail\n\none\n\ntwo\n\na b\n\nc\n\nx\ny\n\nz\n\nl1\nl2"
        );
    }

    #[test]
    fn furniture_tokens_match_whole_words_only() {
        assert!(has_furniture_token("cookie-banner"));
        assert!(has_furniture_token("ad-slot"));
        assert!(has_furniture_token("js_social share"));
        assert!(has_furniture_token("cookieConsent"));
        assert!(!has_furniture_token("headline"));
        assert!(!has_furniture_token("read-more lead"));
        assert!(!has_furniture_token("shareable-quote"));
        assert!(!has_furniture_token("story-body"));
    }

    #[test]
    fn furniture_class_on_the_article_wrapper_does_not_drop_the_story() {
        // A class like "has-share-bar" on the wrapper of every paragraph:
        // dropping it would leave nothing.
        let a = extract_article(
            "<main><div class=\"body has-share-bar\"><p>First.</p><p>Second.</p></div>\
             <div class=share><p>Share this</p></div></main>",
        );
        assert_eq!(a.text, "First.\n\nSecond.");
    }

    #[test]
    fn longest_article_wins() {
        let a = extract_article(
            "<article><p>Short teaser.</p></article>\
             <article><p>The real story, which is much longer than the teaser.</p></article>",
        );
        assert_eq!(
            a.text,
            "The real story, which is much longer than the teaser."
        );
    }

    #[test]
    fn article_h1_is_the_first_block_and_the_title_fallback() {
        // The logo h1 in the page header is neither the title nor text.
        let page = r#"<head><title>Storm Hits Coast - Gazette</title></head>
            <body><header><h1 class="logo">Gazette</h1></header>
            <article><div class="kicker">Weather</div><h1>Storm <em>Hits</em> Coast</h1>
            <p>Rain fell.</p></article></body>"#;
        let a = extract_article(page);
        assert_eq!(a.text, "Storm Hits Coast\n\nWeather\n\nRain fell.");
        assert_eq!(a.title.as_deref(), Some("Storm Hits Coast"));
        let page = r#"<article><header><span>Weather</span><h1>Storm</h1><p>By Ann</p></header>
            <p>Rain.</p></article>"#;
        assert_eq!(extract_article(page).text, "Storm\n\nRain.");
    }

    #[test]
    fn bad_inputs_do_not_panic() {
        for input in [
            "",
            "   ",
            "<",
            "</p></div></html>",
            "<html><body><p>unclosed <b><i>tags",
            "<script>never closed",
            "\u{0}\u{1}\u{fffd}<p>\u{0}x</p>",
            "<svg><title>t</title></svg><table><p>foster</p><tr><td>cell",
            "<script type=\"application/ld+json\">[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[</script>",
            "<div a='",
            "<!--",
            "<div><<<</div></",
        ] {
            let _ = extract_article(input);
        }
        let deep_json = format!(
            "<script type=\"application/ld+json\">{}{}</script>",
            "[".repeat(100_000),
            "]".repeat(100_000)
        );
        assert_eq!(extract_article(&deep_json).title, None);
    }

    #[test]
    fn ten_megabyte_single_line() {
        let mut page = String::from("<html><body><article>");
        while page.len() < 10 * 1024 * 1024 {
            page.push_str("<p>Word &amp; <a href=\"x\">link</a>.</p>");
        }
        let a = extract_article(&page);
        assert!(a.text.starts_with("Word & link.\n\nWord & link."));
        let plain = "word ".repeat(2 * 1024 * 1024);
        assert_eq!(extract_article(&plain).text.len(), plain.len() - 1);
    }

    #[test]
    fn deep_nesting_10k() {
        let a = extract_article(&nested(10_000, "div"));
        assert_eq!(a.text, "Deep text.");
    }

    /// 100,000 levels of our own traversal. Spans, because html5ever
    /// inserts them without scanning its stack of open elements: with divs it
    /// does, which is quadratic (see the ignored test below).
    #[test]
    fn deep_nesting_100k() {
        let a = extract_article(&nested(100_000, "span"));
        assert_eq!(a.text, "Deep text.");
    }

    /// Without `cap_nesting` this takes ~14 s in release and ~10 min in a
    /// debug build: html5ever scans its stack of open elements on each div.
    #[test]
    fn deep_nesting_100k_divs() {
        let a = extract_article(&nested(100_000, "div"));
        assert_eq!(a.text, "Deep text.");
    }

    #[test]
    fn piled_up_formatting_elements() {
        let mut page = String::from("<body><p>");
        for i in 0..20_000 {
            page.push_str(&format!("<b id={i}>"));
        }
        page.push_str("bold");
        assert_eq!(extract_article(&page).text, "bold");
    }

    #[test]
    fn nesting_cap_drops_only_the_excess_tags() {
        let page = "<div><section><div>a</div></section></div><div>b</div>";
        assert!(matches!(cap_nesting(page, 3), Cow::Borrowed(_)));
        assert_eq!(
            cap_nesting(page, 2),
            "<div><section>a</section></div><div>b</div>"
        );
        // Markup in comments and scripts does not count.
        let page = "<!-- <div><div> --><script>'<div><div>'</script><div>x</div>";
        assert!(matches!(cap_nesting(page, 1), Cow::Borrowed(_)));
        // A '>' inside a quoted attribute does not end the tag.
        assert_eq!(
            cap_nesting(r#"<div><div title="a>b">x</div></div>"#, 1),
            "<div>x</div>"
        );
        assert_eq!(
            cap_nesting("<div><div title=don't>x</div></div>'", 1),
            "<div>x</div>'"
        );
    }
}

#[cfg(test)]
mod soft_hyphen_tests {
    use super::*;

    #[test]
    fn extract_article_drops_soft_hyphens_inside_words() {
        let page =
            "<main><p>The 33-nation coali&shy;tion met in Gene\u{ad}va on Thursday.</p></main>";
        let article = extract_article(page);
        assert!(
            article.text.contains("coalition met in Geneva"),
            "{}",
            article.text
        );
    }
}
