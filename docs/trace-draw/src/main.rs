//! trace-draw: a sequence diagram of what the socket programs really did.
//!
//! Record a run, then draw it:
//!
//! ```text
//! tcp-server --trace run.jsonl
//! tcp-client --trace run.jsonl          # in another terminal
//! trace-draw run.jsonl > run.svg
//! trace-draw --text run.jsonl
//! ```
//!
//! You see one lifeline per program (and per connection thread of
//! `tcp-server --threaded`), each call where it happened, orange bars
//! where a call waited, and arrows for the handshake, the data, FIN and
//! RST, and each datagram, with a cross where one got nowhere.

use clap::Parser;
use lesson::lang::tr;
use lesson::{Console, Failure};
use std::io::{Read, Write};
use std::path::PathBuf;
use std::process::ExitCode;
use trace_draw::{Diagram, Event};

/// Draws one or more --trace files as a sequence diagram.
#[derive(Debug, Parser)]
#[command(version, about, after_help = examples())]
struct Args {
    /// Write SVG (the default)
    #[arg(long, conflicts_with = "text")]
    svg: bool,

    /// Write plain text for a terminal instead
    #[arg(long)]
    text: bool,

    /// The title on top of the picture [default: the files' names]
    #[arg(long, value_name = "TEXT")]
    title: Option<String>,

    /// Draw at most N lifelines: the drawing stops where one more would
    /// begin, and says how much it left out
    #[arg(long, value_name = "N", default_value_t = 100,
          value_parser = clap::value_parser!(u32).range(1..))]
    max_lifelines: u32,

    /// The language of the drawing and the messages: en or zh (简体中文);
    /// by default the locale's (LC_ALL, LC_MESSAGES or LANG starting with
    /// zh: Chinese)
    #[arg(long, value_name = "LANG", value_enum)]
    lang: Option<lesson::lang::Lang>,

    /// Trace files (JSON Lines, one event per line); `-` reads stdin
    #[arg(value_name = "FILE", required = true)]
    files: Vec<PathBuf>,
}

/// The examples after the options in `--help`, from the catalog's
/// `help-trace-draw-after` (trace-draw has no default address).
fn examples() -> String {
    lesson::flags::after_help("trace-draw", "")
}

fn main() -> ExitCode {
    let args: Args = lesson::flags::parse();
    let console = Console::detect();
    let result = run(&args);
    lesson::failure::finish(result, &console)
}

fn run(args: &Args) -> Result<(), Failure> {
    let mut events: Vec<Event> = Vec::new();
    for file in &args.files {
        events.extend(read(file)?);
    }
    if events.is_empty() {
        let names = names(&args.files);
        let said = tr("draw-error-no-events", &[("files", names.into())]);
        return Err(Failure::usage(said).hint(tr("draw-hint-record", &[])));
    }
    let max = usize::try_from(args.max_lifelines).unwrap_or(usize::MAX);
    let diagram = Diagram::new(events).first_lifelines(max);
    let drawing = match args.text {
        true => match &args.title {
            Some(title) => {
                let title = shared::text::render(title.as_bytes());
                format!("{title}\n\n{}", diagram.text())
            }
            None => diagram.text(),
        },
        false => {
            let title =
                args.title.clone().unwrap_or_else(|| names(&args.files));
            diagram.svg(&title)
        }
    };
    let mut stdout = std::io::stdout().lock();
    // A closed pipe (`trace-draw … | head`) is not worth an error.
    let _ = stdout
        .write_all(drawing.as_bytes())
        .and_then(|()| stdout.flush());
    Ok(())
}

/// The events of one file, or a one-line error naming it.
fn read(file: &PathBuf) -> Result<Vec<Event>, Failure> {
    let name = shared::text::render(file.as_os_str().as_encoded_bytes());
    let mut bytes = Vec::new();
    let read = match file.as_os_str() == "-" {
        true => std::io::stdin().lock().read_to_end(&mut bytes),
        false => std::fs::File::open(file)
            .and_then(|mut f| f.read_to_end(&mut bytes)),
    };
    if let Err(e) = read {
        let said = tr("draw-error-unreadable", &[("file", name.into())]);
        return Err(Failure::usage(said).because(lesson::failure::describe(&e)));
    }
    let text = String::from_utf8(bytes).map_err(|e| {
        let line = 1 + e.as_bytes()[..e.utf8_error().valid_up_to()]
            .iter()
            .filter(|&&b| b == b'\n')
            .count();
        Failure::usage(at_line("draw-error-not-utf8", &name, line))
            .hint(tr("draw-hint-json-lines", &[]))
    })?;
    trace_draw::parse(&text).map_err(|e| {
        Failure::usage(at_line("draw-error-not-event", &name, e.line))
            .because(shared::text::render(e.message.as_bytes()))
            .hint(e.hint())
    })
}

/// `file:3: not UTF-8`: the message `id` about line `line` of `file`.
fn at_line(id: &str, file: &str, line: usize) -> String {
    tr(id, &[("file", file.into()), ("line", line.into())])
}

/// `a.jsonl, b.jsonl`.
fn names(files: &[PathBuf]) -> String {
    files
        .iter()
        .map(|f| shared::text::render(f.as_os_str().as_encoded_bytes()))
        .collect::<Vec<_>>()
        .join(", ")
}
