//! Command-line flags (clap derive) and the commands they run.

use anyhow::{Context, Result};
use chrono::NaiveDate;
use clap::{Args, CommandFactory, Parser, Subcommand, ValueEnum};
use crosscheck::baseline;
use crosscheck::cache::Cache;
use crosscheck::check::spec::{self, Rule};
use crosscheck::config::{self, FailOn};
use crosscheck::exit;
use crosscheck::extract::{self, MentionKind};
use crosscheck::ingest::{self, Bundle, Options};
use crosscheck::pipeline;
use crosscheck::report::{self, Format};
use crosscheck::segment;
use crosscheck::stories;
use std::io::{BufWriter, Write};
use std::path::PathBuf;
use std::sync::Arc;

mod progress_bar;

const EXAMPLES: &str = "\
Examples:
  crosscheck check samples/rubio-ukraine
  crosscheck check story/ --format json > report.json
  crosscheck dump documents samples/rubio-ukraine --format json
  crosscheck dump sentences article.txt
  cat article.txt | crosscheck dump sentences - --published -=2025-08-22
  crosscheck check archive.jsonl --field text=article_body --field published=dct";

/// A linter for news stories: reports where the sources of one story
/// disagree on dates, numbers, titles, quotes and names.
#[derive(Debug, Parser)]
#[command(name = "crosscheck", version, after_help = EXAMPLES)]
struct Cli {
    #[command(subcommand)]
    command: Command,
}

#[derive(Debug, Subcommand)]
enum Command {
    /// Check a bundle of articles about one story for disagreements.
    #[command(after_help = EXAMPLES)]
    Check(CheckArgs),
    /// Print what one pipeline stage read, to see where a finding went wrong.
    #[command(after_help = EXAMPLES)]
    Dump(DumpArgs),
    /// List the rules, or explain one.
    Rules(RulesArgs),
    /// Review a rewrite or syndicated copy: which facts it changed, added
    /// or dropped relative to its original.
    Diff(DiffArgs),
    /// Score an extractor on third-party gold data.
    #[command(subcommand)]
    Eval(EvalCommand),
}

#[derive(Debug, Args)]
struct DiffArgs {
    /// The original article.
    #[arg(value_name = "ORIGINAL")]
    original: PathBuf,
    /// The rewrite or syndicated copy.
    #[arg(value_name = "COPY")]
    copy: PathBuf,
    /// Output format.
    #[arg(long, value_enum, default_value_t = ReportFormat::Table)]
    format: ReportFormat,
    /// Exit 1 when a finding at or above this severity is reported.
    #[arg(long, value_enum)]
    fail_on: Option<FailOn>,
    /// Always exit 0 when the run itself succeeded.
    #[arg(long)]
    exit_zero: bool,
    /// Publication date of a document that lacks one.
    #[arg(long, value_name = "FILE=YYYY-MM-DD", value_parser = parse_published)]
    published: Vec<(String, NaiveDate)>,
    /// Extra rules: every *.toml under DIR (same id replaces a built-in;
    /// the diff reads the `kind = "diff"` rules, C0xx).
    #[arg(long, value_name = "DIR")]
    rules: Vec<PathBuf>,
    /// Config file [default: the nearest crosscheck.toml at or above the
    /// working directory]; its `[check]` table applies to the diff rules.
    #[arg(long, value_name = "FILE")]
    config: Option<PathBuf>,
    /// Run only these rules (codes, prefixes or ids; replaces the config's
    /// `select`).
    #[arg(long, value_name = "CODES", value_delimiter = ',')]
    select: Vec<String>,
    /// Skip these rules (added to the config's `ignore`).
    #[arg(long, value_name = "CODES", value_delimiter = ',')]
    ignore: Vec<String>,
}

#[derive(Debug, Subcommand)]
enum EvalCommand {
    /// Time expressions on TimeML (.tml) files: TempEval-3 measures.
    Timeml {
        /// .tml files or folders of them.
        #[arg(required = true, value_name = "PATH")]
        paths: Vec<PathBuf>,
        /// List misses, false alarms and wrong values with context.
        #[arg(long)]
        errors: bool,
    },
    /// The copy review on SummEdits (article = original, summary = copy).
    Summedits {
        /// summedits_news_eval.json
        #[arg(value_name = "PATH")]
        path: PathBuf,
        /// List the misses and false alarms.
        #[arg(long)]
        errors: bool,
    },
    /// `--group-by auto` story clustering against a gold story field:
    /// pairwise precision and recall.
    Stories {
        /// A JSONL archive whose records name their story.
        #[arg(value_name = "PATH")]
        path: PathBuf,
        /// The record field holding the gold story.
        #[arg(long, value_name = "FIELD", default_value = "incident_id")]
        truth_field: String,
        /// Override a clustering parameter, e.g. `link=0.2` (for tuning).
        #[arg(long, value_name = "NAME=VALUE")]
        param: Vec<String>,
        /// List the clusters that mix gold stories.
        #[arg(long)]
        errors: bool,
    },
    /// Quantities on MEANTIME's MONEY/PERCENT/QUANTITY spans.
    Meantime {
        /// The MEANTIME folder (or its intra-doc_annotation folder).
        #[arg(value_name = "PATH")]
        path: PathBuf,
        /// List misses and false alarms.
        #[arg(long)]
        errors: bool,
    },
}

#[derive(Debug, Args)]
struct InputArgs {
    /// Files, folders (read recursively) or `-` for one document on stdin.
    #[arg(value_name = "PATH")]
    paths: Vec<PathBuf>,

    /// Skip input files larger than this many bytes.
    #[arg(long, value_name = "BYTES", default_value_t = ingest::DEFAULT_MAX_BYTES)]
    max_bytes: u64,

    /// Publication date of a document that lacks one (FILE is its id, path
    /// or file name; `-` for stdin). Overrides every other source.
    #[arg(long, value_name = "FILE=YYYY-MM-DD", value_parser = parse_published)]
    published: Vec<(String, NaiveDate)>,

    /// Read a record property from another JSON field, e.g. `text=body_html`
    /// (properties: id, source, url, title, published, text).
    #[arg(long, value_name = "NAME=KEY", value_parser = parse_field)]
    field: Vec<(String, String)>,

    /// Print no warnings or skip notes on stderr (errors still show).
    #[arg(long, short)]
    quiet: bool,

    /// Treat records sharing this field's value as one story and check
    /// each story on its own (e.g. `incident_id`); `auto` finds the
    /// stories from the articles' content.
    #[arg(long, value_name = "FIELD|auto")]
    group_by: Option<String>,

    /// Worker threads for checking stories (default: all cores).
    #[arg(long, value_name = "N")]
    jobs: Option<usize>,

    /// Keep each article's claims in DIR and reuse them while the article,
    /// its metadata, crosscheck and the rules are unchanged (check and dump
    /// claims).
    #[arg(long, value_name = "DIR")]
    cache: Option<PathBuf>,
}

#[derive(Debug, Args)]
struct CheckArgs {
    #[command(flatten)]
    input: InputArgs,

    /// Output format.
    #[arg(long, value_enum, default_value_t = ReportFormat::Table)]
    format: ReportFormat,

    /// Extra rules: every *.toml under DIR (same id replaces a built-in).
    #[arg(long, value_name = "DIR")]
    rules: Vec<PathBuf>,

    /// Exit 1 when a finding at or above this severity is reported
    /// [default: the config's `fail-on`, else error].
    #[arg(long, value_enum)]
    fail_on: Option<FailOn>,

    /// Always exit 0 when the run itself succeeded.
    #[arg(long)]
    exit_zero: bool,

    /// Config file [default: the nearest crosscheck.toml at or above the
    /// working directory].
    #[arg(long, value_name = "FILE")]
    config: Option<PathBuf>,

    /// Run only these rules (codes, prefixes or ids; replaces the config's
    /// `select`).
    #[arg(long, value_name = "CODES", value_delimiter = ',')]
    select: Vec<String>,

    /// Skip these rules (added to the config's `ignore`).
    #[arg(long, value_name = "CODES", value_delimiter = ',')]
    ignore: Vec<String>,

    /// Report only findings that are not in this baseline file.
    #[arg(long, value_name = "FILE", conflicts_with = "write_baseline")]
    baseline: Option<PathBuf>,

    /// Record the current findings in this baseline file (and exit 0).
    #[arg(long, value_name = "FILE")]
    write_baseline: Option<PathBuf>,

    /// Run the rules on pre-extracted claims (JSON Lines from `dump claims
    /// --format jsonl`, `-` for stdin) instead of reading articles.
    #[arg(long, value_name = "FILE", conflicts_with = "paths")]
    claims: Option<PathBuf>,
}

/// `check` output formats.
#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum)]
enum ReportFormat {
    /// Findings as tables, then every document and the summary.
    Table,
    /// One `crosscheck/report/v1` JSON document.
    Json,
    /// One finding per line, the summary last.
    Jsonl,
    /// SARIF 2.1.0 for code-scanning tools.
    Sarif,
    /// GitHub Actions annotations.
    Github,
    /// A Markdown report for a pull request or a memo.
    Markdown,
}

#[derive(Debug, Args)]
struct RulesArgs {
    /// A rule id or code to explain; without it, every rule is listed.
    id: Option<String>,

    /// Extra rules folders, as for `check --rules`.
    #[arg(long, value_name = "DIR")]
    rules: Vec<PathBuf>,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum)]
enum Stage {
    /// Documents as read: metadata, provenance of the date, blocks.
    Documents,
    /// Body sentences with their byte spans.
    Sentences,
    /// Mentions found in the sentences (see --kind).
    Mentions,
    /// Claims: what each document states, about whom, with evidence.
    Claims,
}

#[derive(Debug, Args)]
struct DumpArgs {
    /// The stage whose output to print.
    #[arg(value_enum)]
    stage: Stage,

    #[command(flatten)]
    input: InputArgs,

    /// Output format.
    #[arg(long, value_enum, default_value_t = Format::Table)]
    format: Format,

    /// For `mentions`: which extractors to run (default: all).
    #[arg(long, value_enum, value_delimiter = ',')]
    kind: Vec<MentionKind>,
}

fn parse_published(value: &str) -> Result<(String, NaiveDate), String> {
    let (file, date) = value
        .rsplit_once('=')
        .ok_or_else(|| format!("expected FILE=YYYY-MM-DD, got {value:?}"))?;
    let date = NaiveDate::parse_from_str(date.trim(), "%Y-%m-%d")
        .map_err(|e| format!("{date:?} is not a YYYY-MM-DD date: {e}"))?;
    Ok((file.to_string(), date))
}

fn parse_field(value: &str) -> Result<(String, String), String> {
    let (name, key) = value
        .split_once('=')
        .ok_or_else(|| format!("expected NAME=KEY, got {value:?}"))?;
    ingest::FieldMap::default().set(name, key)?;
    Ok((name.to_string(), key.to_string()))
}

/// Parses arguments and runs the command; returns the exit code.
pub fn run() -> Result<u8> {
    let cli = Cli::parse();
    match cli.command {
        Command::Check(args) => check(args),
        Command::Dump(args) => dump(args),
        Command::Rules(args) => rules(args),
        Command::Eval(command) => eval(command),
        Command::Diff(args) => diff(args),
    }
}

fn read_bundle(input: &InputArgs, bars: Option<&progress_bar::Bars>) -> Result<Bundle> {
    let options = input_options(input, bars)?;
    let mut bundle = ingest::read_paths(&input.paths, &options);
    if let Some(bars) = bars {
        bars.done_reading();
    }
    if input.group_by.as_deref() == Some(stories::AUTO) {
        stories::assign(&mut bundle.documents, &stories::Params::default());
    }
    report_input(&bundle, input.quiet)?;
    Ok(bundle)
}

/// How to read the inputs; also sizes the thread pool, before any parallel
/// work.
fn input_options(input: &InputArgs, bars: Option<&progress_bar::Bars>) -> Result<Options> {
    if input.paths.is_empty() {
        // clap cannot say "PATH unless --claims" across a flattened group;
        // the message stays a usage error with the usage exit code.
        Cli::command()
            .error(
                clap::error::ErrorKind::MissingRequiredArgument,
                "no input: give PATH... (or, for check, --claims FILE)",
            )
            .exit();
    }
    if let Some(jobs) = input.jobs {
        // Before any parallel work (clustering runs while reading); a pool
        // that was already built (only in tests) keeps its size.
        let _ = rayon::ThreadPoolBuilder::new()
            .num_threads(jobs.max(1))
            .build_global();
    }
    let auto = input.group_by.as_deref() == Some(stories::AUTO);
    let mut options = Options {
        max_bytes: input.max_bytes,
        published: input.published.clone(),
        group_by: input.group_by.clone().filter(|_| !auto),
        progress: bars.map(progress_bar::Bars::hook),
        ..Options::default()
    };
    for (name, key) in &input.field {
        options.fields.set(name, key).map_err(anyhow::Error::msg)?;
    }
    Ok(options)
}

/// On stderr, when a bundle checked as one story clearly holds several:
/// its findings across stories are comparisons of unrelated reports.
fn mixed_stories_warning(sample: &stories::MixSample, cache: Option<&Cache>) {
    if let Some(n) = sample.separate_stories(cache) {
        eprintln!(
            "crosscheck: warning: this bundle seems to hold {n} or more separate stories \
             (by --group-by auto clustering{}); findings across stories are likely false; \
             consider --group-by auto or a story field",
            if sample.seen() > stories::MIX_SAMPLE {
                " of a sample"
            } else {
                ""
            }
        );
    }
}

/// What reading skipped, warned about or failed on, on stderr.
fn report_input(bundle: &Bundle, quiet: bool) -> Result<()> {
    let mut stderr = std::io::stderr().lock();
    if !quiet {
        for note in &bundle.notes {
            writeln!(stderr, "crosscheck: {note}")?;
        }
        for skipped in &bundle.skipped {
            writeln!(
                stderr,
                "crosscheck: skipped {}: {}",
                skipped.path, skipped.reason
            )?;
        }
        for warning in &bundle.warnings {
            writeln!(
                stderr,
                "crosscheck: warning: {}: {}",
                warning.path, warning.message
            )?;
        }
    }
    for error in &bundle.errors {
        writeln!(stderr, "crosscheck: error: {error}")?;
    }
    Ok(())
}

/// Reads the inputs and checks them as they come: see
/// [`pipeline::StreamCheck`]. Reading runs on its own thread, a bounded
/// channel ahead of the analysis. With `--group-by auto` the stories need
/// every article first, so the archive is read whole, then analysed.
fn read_and_check(
    input: &InputArgs,
    bars: Option<&progress_bar::Bars>,
    cache: Option<&Arc<Cache>>,
    mut checker: pipeline::StreamCheck,
) -> Result<(Bundle, Option<pipeline::Checked>)> {
    let mut options = input_options(input, bars)?;
    let grouped = input.group_by.is_some();
    let bundle = if input.group_by.as_deref() == Some(stories::AUTO) {
        let mut bundle = ingest::read_paths(&input.paths, &options);
        stories::assign(&mut bundle.documents, &stories::Params::default());
        for doc in std::mem::take(&mut bundle.documents) {
            checker.push(doc);
        }
        bundle
    } else {
        let (send, receive) = std::sync::mpsc::sync_channel(16);
        let batches = Batches {
            send,
            batch: std::sync::Mutex::new(Vec::new()),
        };
        options.sink = Some(ingest::Sink::streamed_to(move |item| batches.push(item)));
        options.memo = cache.cloned();
        let paths = &input.paths;
        // Documents for the several-stories warning (see `MixSample`).
        let mut sample = (!grouped && !input.quiet).then(stories::MixSample::default);
        let bundle = std::thread::scope(|scope| {
            // The options (and the sender in them) go with the reader, so
            // the channel closes when reading ends.
            let reader = scope.spawn(move || ingest::read_paths(paths, &options));
            for item in receive.into_iter().flatten() {
                if let Some(sample) = &mut sample {
                    match &item {
                        ingest::Streamed::Remembered { doc, source, .. } => {
                            sample.offer_remembered(doc, source)
                        }
                        ingest::Streamed::Read { doc, .. } => sample.offer(doc),
                    }
                }
                checker.push_streamed(item);
            }
            reader.join()
        })
        .map_err(|_| anyhow::anyhow!("reading the inputs failed (the reader thread panicked)"))?;
        if let Some(sample) = &sample {
            mixed_stories_warning(sample, cache.map(|c| &**c));
        }
        bundle
    };
    report_input(&bundle, input.quiet)?;
    if checker.is_empty() {
        if let Some(bars) = bars {
            bars.done_reading();
        }
        return Ok((bundle, None));
    }
    if let Some(bars) = bars {
        bars.done_reading();
        bars.start_checking(checker.stories(grouped));
    }
    let checked = checker.finish(grouped).map_err(anyhow::Error::msg)?;
    Ok((bundle, Some(checked)))
}

/// Documents go from the reading thread to the checking one in batches: a
/// remembered record costs the reader so little that a hand-over per
/// document (two futex calls) would be most of a cached re-run.
struct Batches {
    send: std::sync::mpsc::SyncSender<Vec<ingest::Streamed>>,
    batch: std::sync::Mutex<Vec<ingest::Streamed>>,
}

impl Batches {
    const SIZE: usize = 64;

    fn push(&self, item: ingest::Streamed) {
        let full = {
            let Ok(mut batch) = self.batch.lock() else {
                return;
            };
            batch.push(item);
            if batch.len() < Self::SIZE {
                return;
            }
            std::mem::take(&mut *batch)
        };
        // Fails only once the receiving side is gone, and then the run is
        // ending anyway.
        let _ = self.send.send(full);
    }
}

impl Drop for Batches {
    /// The last, partial batch goes when reading ends.
    fn drop(&mut self) {
        let rest = match self.batch.get_mut() {
            Ok(batch) => std::mem::take(batch),
            Err(poisoned) => std::mem::take(poisoned.into_inner()),
        };
        if !rest.is_empty() {
            let _ = self.send.send(rest);
        }
    }
}

/// The exit code for what ingest found, before any findings: input errors
/// and a run with nothing to read are errors, never a silent pass.
fn input_status(bundle: &Bundle) -> Option<u8> {
    if bundle.documents.is_empty() {
        eprintln!(
            "crosscheck: error: no readable documents ({})",
            report::summary_line(bundle)
        );
        return Some(exit::ERROR);
    }
    (!bundle.errors.is_empty()).then_some(exit::ERROR)
}

/// Every rule, `check`'s and the diff's: a config or a selection may name
/// either, and each command then keeps its own.
fn load_rules(dirs: &[PathBuf]) -> Result<Vec<Rule>, u8> {
    let dirs: Vec<&std::path::Path> = dirs.iter().map(PathBuf::as_path).collect();
    match spec::load_all(&dirs) {
        Ok(rules) if rules.is_empty() => {
            eprintln!("crosscheck: error: no rules loaded");
            Err(exit::ERROR)
        }
        Ok(rules) => Ok(rules),
        Err(errors) => {
            for e in errors {
                eprintln!("crosscheck: error: {e}");
            }
            Err(exit::ERROR)
        }
    }
}

fn print_errors(e: &str) -> u8 {
    for line in e.lines() {
        eprintln!("crosscheck: error: {line}");
    }
    exit::ERROR
}

/// What `--config`, `--rules`, `--select` and `--ignore` give one command.
struct RuleChoice<'a> {
    config: Option<&'a std::path::Path>,
    rules: &'a [PathBuf],
    select: &'a [String],
    ignore: &'a [String],
    /// `diff` keeps the `kind = "diff"` rules, `check` the others.
    diff: bool,
}

/// The config and the rules one command runs, selected and re-graded.
/// Also the rules as loaded, before the config selects among them, which key
/// the per-document cache (a different `--select` reuses its entries).
fn configured_rules(choice: RuleChoice) -> Result<(config::Config, Vec<Rule>, Vec<Rule>), u8> {
    let cwd = std::env::current_dir().map_err(|e| {
        eprintln!("crosscheck: error: reading the working directory: {e}");
        exit::ERROR
    })?;
    let mut config = config::discover(choice.config, &cwd).map_err(|e| print_errors(&e))?;
    if !choice.select.is_empty() {
        config.select = choice.select.to_vec();
    }
    config.ignore.extend(choice.ignore.iter().cloned());
    // The config's folders first, so that `--rules` overrides them.
    let dirs: Vec<PathBuf> = config
        .rules_dirs
        .iter()
        .chain(choice.rules)
        .cloned()
        .collect();
    let loaded = load_rules(&dirs)?;
    // A config file's `select` written for one command ("D", "N001": check
    // rules) says nothing about the other's rules: `diff` under a config
    // that selects only check rules runs all diff rules, not none. On the
    // command line, `--select` means exactly what it names.
    if choice.select.is_empty() && !config.select.is_empty() {
        let names_ours = loaded
            .iter()
            .filter(|r| r.is_diff() == choice.diff)
            .any(|r| {
                config
                    .select
                    .iter()
                    .any(|n| config::names_rule(n, &r.spec.id, &r.spec.code))
            });
        if !names_ours {
            config.select.clear();
        }
    }
    let rules = config
        .apply_to_rules(loaded.clone())
        .map_err(|e| print_errors(&e))?;
    let (command, rules): (&str, Vec<Rule>) = if choice.diff {
        ("diff", rules.into_iter().filter(Rule::is_diff).collect())
    } else {
        (
            "check",
            rules.into_iter().filter(|r| !r.is_diff()).collect(),
        )
    };
    if rules.is_empty() {
        eprintln!(
            "crosscheck: error: select {:?} and ignore {:?} leave no {command} rule to run",
            config.select, config.ignore
        );
        return Err(exit::ERROR);
    }
    Ok((config, rules, loaded))
}

fn check(args: CheckArgs) -> Result<u8> {
    let fail = |e: &str| Ok(print_errors(e));
    let (config, rules, loaded) = match configured_rules(RuleChoice {
        config: args.config.as_deref(),
        rules: &args.rules,
        select: &args.select,
        ignore: &args.ignore,
        diff: false,
    }) {
        Ok(found) => found,
        Err(code) => return Ok(code),
    };
    let cache = match open_cache(&args.input, &loaded) {
        Ok(cache) => cache,
        Err(e) => return fail(&e),
    };
    // Read before the run: a bad baseline must not cost a whole check.
    let base = match &args.baseline {
        Some(path) => match baseline::read(path) {
            Ok(b) => Some(b),
            Err(e) => return fail(&e),
        },
        None => None,
    };
    let bars = match &args.claims {
        Some(_) => None,
        None => progress_bar::Bars::new(args.input.quiet),
    };
    let progress = bars.as_ref().map(progress_bar::Bars::hook);
    let hooks = pipeline::Hooks {
        cache: cache.as_deref(),
        progress: progress.as_ref(),
    };
    let (bundle, findings) = match &args.claims {
        Some(path) => {
            let (bundle, claims) = read_claims(path)?;
            if bundle.documents.is_empty() {
                return Ok(input_status(&bundle).unwrap_or(exit::ERROR));
            }
            if let Some(jobs) = args.input.jobs {
                // A pool that was already built (only in tests) keeps its size.
                let _ = rayon::ThreadPoolBuilder::new()
                    .num_threads(jobs.max(1))
                    .build_global();
            }
            let findings = pipeline::check_claim_stories(claims, &bundle.documents, &rules);
            (bundle, findings)
        }
        None => {
            let checker = pipeline::StreamCheck::new(&rules, hooks)
                .keep_file_text(args.format == ReportFormat::Sarif);
            let (mut bundle, checked) =
                read_and_check(&args.input, bars.as_ref(), cache.as_ref(), checker)?;
            let Some(checked) = checked else {
                return Ok(input_status(&bundle).unwrap_or(exit::ERROR));
            };
            bundle.documents = checked.documents;
            (bundle, checked.findings)
        }
    };
    if let Some(bars) = &bars {
        bars.finish();
    }
    if args.claims.is_none() {
        cache_note(cache.as_deref(), args.input.quiet);
    }
    let (findings, ignored) = config.filter_findings(findings);
    if ignored > 0 && !args.input.quiet {
        eprintln!("crosscheck: {ignored} finding(s) ignored by per-path-ignores");
    }
    if let Some(path) = &args.write_baseline {
        if let Err(e) = baseline::write(path, &findings) {
            return fail(&e);
        }
        eprintln!(
            "crosscheck: wrote {} finding(s) to {}",
            findings.len(),
            path.display()
        );
    }
    let findings = match &base {
        Some(base) => {
            let outcome = base.filter(findings);
            if !args.input.quiet {
                eprintln!("crosscheck: {}", outcome.note());
            }
            outcome.kept
        }
        None => findings,
    };
    let mut out = BufWriter::new(std::io::stdout().lock());
    match args.format {
        ReportFormat::Table => report::check(&mut out, &bundle, &findings, Format::Table),
        ReportFormat::Json => report::check(&mut out, &bundle, &findings, Format::Json),
        ReportFormat::Jsonl => report::check(&mut out, &bundle, &findings, Format::Jsonl),
        ReportFormat::Sarif => report::sarif::write(&mut out, &bundle, &findings, &rules),
        ReportFormat::Github => report::github::write(&mut out, &bundle, &findings),
        ReportFormat::Markdown => report::markdown::write(&mut out, &bundle, &findings),
    }
    .context("writing the report")?;
    out.flush().context("writing the report")?;
    if let Some(code) = input_status(&bundle) {
        return Ok(code);
    }
    let threshold = args
        .fail_on
        .or(config.fail_on)
        .unwrap_or(FailOn::Error)
        .threshold();
    let failing = threshold.is_some_and(|t| findings.iter().any(|f| f.severity >= t));
    Ok(
        if failing && !args.exit_zero && args.write_baseline.is_none() {
            exit::FINDINGS
        } else {
            exit::SUCCESS
        },
    )
}

fn rules(args: RulesArgs) -> Result<u8> {
    let rules = match load_rules(&args.rules) {
        Ok(rules) => rules,
        Err(code) => return Ok(code),
    };
    let mut out = BufWriter::new(std::io::stdout().lock());
    match &args.id {
        None => report::rules_list(&mut out, &rules)?,
        Some(id) => match rules
            .iter()
            .find(|r| &r.spec.id == id || r.spec.code.eq_ignore_ascii_case(id))
        {
            Some(rule) => report::rule_docs(&mut out, rule)?,
            None => {
                let known: Vec<&str> = rules.iter().map(|r| r.spec.id.as_str()).collect();
                eprintln!(
                    "crosscheck: error: no rule {id:?}; rules are: {}",
                    known.join(", ")
                );
                return Ok(exit::ERROR);
            }
        },
    }
    out.flush()?;
    Ok(exit::SUCCESS)
}

/// Opens `--cache DIR` for these rules.
fn open_cache(input: &InputArgs, rules: &[Rule]) -> Result<Option<Arc<Cache>>, String> {
    input
        .cache
        .as_deref()
        .map(|dir| Cache::open(dir, rules).map(Arc::new))
        .transpose()
}

/// How the cache served the run, on stderr.
fn cache_note(cache: Option<&Cache>, quiet: bool) {
    let Some(cache) = cache else { return };
    let stats = cache.stats();
    if !quiet {
        let mut note = format!(
            "crosscheck: cache {}: {} of {} documents from the cache, {} analysed",
            cache.dir().display(),
            stats.documents_cached,
            stats.documents,
            stats.documents - stats.documents_cached
        );
        if stats.stories > 0 {
            note.push_str(&format!(
                "; findings of {} of {} stories from the cache",
                stats.stories_cached, stats.stories
            ));
        }
        if stats.rebuilt > 0 {
            note.push_str(&format!(" ({} unusable entries rebuilt)", stats.rebuilt));
        }
        eprintln!("{note}");
    }
    if stats.write_failures > 0 {
        eprintln!(
            "crosscheck: warning: cache: {} entries not written (first: {})",
            stats.write_failures,
            cache.first_write_error().unwrap_or_default()
        );
    }
}

fn dump(args: DumpArgs) -> Result<u8> {
    if args.input.cache.is_some() && args.stage != Stage::Claims {
        Cli::command()
            .error(
                clap::error::ErrorKind::ArgumentConflict,
                "--cache applies to check and dump claims only",
            )
            .exit();
    }
    let bundle = read_bundle(&args.input, None)?;
    if bundle.documents.is_empty() {
        if args.stage == Stage::Claims && args.format == Format::Jsonl {
            // One part of a distributed run may hold only skipped records;
            // the reduce side still has to count them.
            let mut out = BufWriter::new(std::io::stdout().lock());
            crosscheck::interchange::write_notes(&mut out, &bundle)
                .and_then(|()| out.flush())
                .context("writing the dump")?;
        }
        return Ok(input_status(&bundle).unwrap_or(exit::ERROR));
    }
    // Claims entries are keyed by the built-in rules, as for a plain `check`.
    let cache = match args.stage {
        Stage::Claims => {
            let rules = match load_rules(&[]) {
                Ok(rules) => rules,
                Err(code) => return Ok(code),
            };
            match open_cache(&args.input, &rules) {
                Ok(cache) => cache,
                Err(e) => {
                    eprintln!("crosscheck: error: {e}");
                    return Ok(exit::ERROR);
                }
            }
        }
        _ => None,
    };
    let hooks = pipeline::Hooks {
        cache: cache.as_deref(),
        progress: None,
    };
    let mut out = BufWriter::new(std::io::stdout().lock());
    let written = match args.stage {
        Stage::Documents => report::documents(&mut out, &bundle, args.format),
        Stage::Sentences => {
            let docs: Vec<_> = bundle
                .documents
                .iter()
                .map(|doc| (doc, segment::sentences(doc)))
                .collect();
            report::sentences(&mut out, &docs, args.format)
        }
        Stage::Mentions => {
            let kinds = if args.kind.is_empty() {
                MentionKind::value_variants().to_vec()
            } else {
                args.kind.clone()
            };
            let docs: Vec<_> = bundle
                .documents
                .iter()
                .map(|doc| {
                    let sentences = segment::sentences(doc);
                    (doc, extract::mentions(doc, &sentences, &kinds))
                })
                .collect();
            report::mentions(&mut out, &docs, args.format)
        }
        // JSON Lines is the interchange `check --claims` reads: each
        // document before its claims, streamed, then what was skipped.
        // Windows of documents analysed in parallel, written in order as
        // each window is done, so claims never pile up for a whole archive.
        Stage::Claims if args.format == Format::Jsonl => {
            let docs: Vec<&crosscheck::Document> = bundle.documents.iter().collect();
            docs.chunks(2048)
                .try_for_each(|window| {
                    let claims = pipeline::documents_claims(window, hooks);
                    window.iter().zip(claims).try_for_each(|(doc, claims)| {
                        crosscheck::interchange::write_document(&mut out, doc, &claims)
                    })
                })
                .and_then(|()| crosscheck::interchange::write_notes(&mut out, &bundle))
        }
        Stage::Claims => {
            let docs: Vec<&crosscheck::Document> = bundle.documents.iter().collect();
            let claims: Vec<_> = pipeline::documents_claims(&docs, hooks)
                .into_iter()
                .flatten()
                .collect();
            report::claims(&mut out, &claims, args.format)
        }
    };
    written.context("writing the dump")?;
    out.flush().context("writing the dump")?;
    cache_note(cache.as_deref(), args.input.quiet);
    if !args.input.quiet {
        eprintln!("crosscheck: {}", report::summary_line(&bundle));
    }
    Ok(input_status(&bundle).unwrap_or(exit::SUCCESS))
}

fn eval(command: EvalCommand) -> Result<u8> {
    let mut out = BufWriter::new(std::io::stdout().lock());
    match command {
        EvalCommand::Timeml { paths, errors } => {
            let report = crosscheck::eval::timeml::evaluate(&paths, errors)?;
            write!(out, "{}", report.render_table())?;
            if errors {
                write!(out, "{}", report.render_errors())?;
            }
        }
        EvalCommand::Summedits { path, errors } => {
            let report = crosscheck::eval::summedits::evaluate(&path)?;
            write!(out, "{}", report.render())?;
            if errors {
                write!(out, "{}", report.render_misses())?;
            }
        }
        EvalCommand::Stories {
            path,
            truth_field,
            param,
            errors,
        } => {
            let mut params = stories::Params::default();
            for p in &param {
                let (name, value) = p
                    .split_once('=')
                    .with_context(|| format!("--param {p:?}: expected NAME=VALUE"))?;
                params.set(name, value).map_err(anyhow::Error::msg)?;
            }
            let report = crosscheck::eval::stories::evaluate(&path, &truth_field, &params)?;
            write!(out, "{}", report.render())?;
            if errors {
                write!(out, "{}", report.render_mixed())?;
            }
        }
        EvalCommand::Meantime { path, errors } => {
            let report = crosscheck::eval::meantime::evaluate(&path)?;
            write!(out, "{}", report.render())?;
            if errors {
                write!(out, "{}", report.render_misses())?;
            }
        }
    }
    out.flush()?;
    Ok(exit::SUCCESS)
}

/// Reads claims written by `dump claims --format jsonl`. A bad line is
/// reported with its number and skipped.
fn read_claims(path: &std::path::Path) -> Result<(ingest::Bundle, Vec<crosscheck::claims::Claim>)> {
    let name = path.display().to_string();
    let read = if path.as_os_str() == "-" {
        crosscheck::interchange::read(std::io::stdin().lock(), &name)
    } else {
        let file =
            std::fs::File::open(path).with_context(|| format!("{name}: cannot read claims"))?;
        crosscheck::interchange::read(std::io::BufReader::new(file), &name)
    }
    .with_context(|| format!("{name}: cannot read claims"))?;
    for s in &read.bundle.skipped {
        eprintln!("crosscheck: skipped {}: {}", s.path, s.reason);
    }
    Ok((read.bundle, read.claims))
}

fn diff(args: DiffArgs) -> Result<u8> {
    let (config, rules, _) = match configured_rules(RuleChoice {
        config: args.config.as_deref(),
        rules: &args.rules,
        select: &args.select,
        ignore: &args.ignore,
        diff: true,
    }) {
        Ok(found) => found,
        Err(code) => return Ok(code),
    };
    let options = Options {
        published: args.published.clone(),
        ..Options::default()
    };
    // Read each side on its own: a bundle sorts its documents, and here
    // which one is the original matters.
    let read_one = |path: &PathBuf| -> Result<(Bundle, Option<crosscheck::Document>), u8> {
        let mut bundle = ingest::read_paths(std::slice::from_ref(path), &options);
        for e in &bundle.errors {
            eprintln!("crosscheck: error: {e}");
        }
        for s in &bundle.skipped {
            eprintln!("crosscheck: skipped {}: {}", s.path, s.reason);
        }
        if bundle.documents.len() != 1 {
            eprintln!(
                "crosscheck: error: {} must hold exactly one readable document ({})",
                path.display(),
                report::summary_line(&bundle)
            );
            return Err(exit::ERROR);
        }
        let doc = bundle.documents.pop();
        Ok((bundle, doc))
    };
    let (mut bundle, original) = match read_one(&args.original) {
        Ok(found) => found,
        Err(code) => return Ok(code),
    };
    let (copy_bundle, copy) = match read_one(&args.copy) {
        Ok(found) => found,
        Err(code) => return Ok(code),
    };
    let (Some(original), Some(copy)) = (original, copy) else {
        return Ok(exit::ERROR);
    };
    let mut report = crosscheck::diff::diff_with(&original, &copy, &rules);
    let (findings, ignored) = config.filter_findings(std::mem::take(&mut report.findings));
    if ignored > 0 {
        eprintln!("crosscheck: {ignored} finding(s) ignored by per-path-ignores");
    }
    bundle.documents = vec![original, copy];
    bundle.skipped.extend(copy_bundle.skipped);
    bundle.warnings.extend(copy_bundle.warnings);
    let mut out = BufWriter::new(std::io::stdout().lock());
    match args.format {
        ReportFormat::Table => match bundle.documents.as_slice() {
            [original, copy] => {
                report::diff::table(&mut out, &bundle, &findings, &report, original, copy)
            }
            _ => report::check(&mut out, &bundle, &findings, Format::Table),
        },
        ReportFormat::Json => report::check(&mut out, &bundle, &findings, Format::Json),
        ReportFormat::Jsonl => report::check(&mut out, &bundle, &findings, Format::Jsonl),
        ReportFormat::Sarif => report::sarif::write(&mut out, &bundle, &findings, &rules),
        ReportFormat::Github => report::github::write(&mut out, &bundle, &findings),
        ReportFormat::Markdown => report::markdown::write(&mut out, &bundle, &findings),
    }
    .context("writing the report")?;
    out.flush().context("writing the report")?;
    let threshold = args
        .fail_on
        .or(config.fail_on)
        .unwrap_or(FailOn::Error)
        .threshold();
    let failing = threshold.is_some_and(|t| findings.iter().any(|f| f.severity >= t));
    Ok(if failing && !args.exit_zero {
        exit::FINDINGS
    } else {
        exit::SUCCESS
    })
}
