//! The command line all four programs share.
//!
//! Every program takes one optional `ADDRESS` and the same flags with the
//! same meaning; each binary `#[command(flatten)]`s [`Common`] into its own
//! arguments and adds what only it needs.

use crate::console::Console;
use crate::failure::Exit;
use crate::lang::{Lang, has, tr};
use clap::builder::Styles;
use clap::{Arg, ArgAction, Command, Parser};
use fluent_bundle::FluentValue;
use shared::address::{Address, AddressError, Endpoint, MAX_PATH};
use std::path::Path;

/// Flags every program has.
#[derive(Debug, Clone, clap::Args)]
pub struct Common {
    /// Address: HOST, HOST:PORT, :PORT, PORT, [IPV6]:PORT or an IPv6
    /// literal; missing parts take the defaults shown below. A path
    /// (./echo.sock, /tmp/echo.sock, unix:echo.sock) is a Unix domain socket
    #[arg(value_name = "ADDRESS", value_parser = parse_address)]
    pub address: Option<Address>,

    /// Narrate each socket call as it happens: what the operating system
    /// does, with the real addresses and byte counts (on stderr)
    #[arg(long)]
    pub explain: bool,

    /// Pause after each socket call until you press Enter, with a command
    /// to watch it from another terminal (implies --explain)
    #[arg(long)]
    pub step: bool,

    /// Also show every chunk received as a hex dump (on stdout)
    #[arg(long)]
    pub hex: bool,

    /// Append one JSON line per socket call to FILE, for `trace-draw` to
    /// draw (several programs may share one file)
    #[arg(long, value_name = "FILE")]
    pub trace: Option<std::path::PathBuf>,

    /// The language of the narration: en or zh (简体中文); by default the
    /// locale's (LC_ALL, LC_MESSAGES or LANG starting with zh: Chinese)
    #[arg(long, value_name = "LANG", value_enum)]
    pub lang: Option<crate::lang::Lang>,
}

/// Flags both clients have.
#[derive(Debug, Clone, clap::Args)]
pub struct ClientFlags {
    /// Bytes to ask for in each recv() (UDP: a longer reply is cut off)
    #[arg(long, value_name = "BYTES", default_value_t = 512, value_parser = parse_buffer)]
    pub buffer: usize,

    /// The first message, sent before any typed line ("" sends none)
    #[arg(long, value_name = "TEXT", default_value = "hello")]
    pub message: String,

    /// Seconds to wait for each reply before saying it is late and going
    /// on; a reply that comes later is still shown
    #[arg(long, value_name = "SECS", default_value = "2", value_parser = parse_seconds)]
    pub timeout: std::time::Duration,

    /// Send every line as soon as it is read, without waiting for the
    /// reply to the one before: TCP's stream against UDP's datagrams
    #[arg(long)]
    pub no_wait: bool,

    /// End each line sent with LF (\n), for servers that read lines; an
    /// empty line is then sent as just LF, and only Ctrl-D or the end of
    /// the input ends the client
    #[arg(long, conflicts_with = "crlf")]
    pub lf: bool,

    /// End each line sent with CRLF (\r\n), as HTTP, SMTP and most
    /// Internet protocols want (like ncat -C)
    #[arg(short = 'C', long)]
    pub crlf: bool,
}

impl ClientFlags {
    /// The bytes that end each line sent: none, as in the Python scripts,
    /// unless `--lf` or `--crlf` asks for them.
    pub fn line_ending(&self) -> &'static [u8] {
        match (self.lf, self.crlf) {
            (_, true) => b"\r\n",
            (true, false) => b"\n",
            (false, false) => b"",
        }
    }
}

impl Common {
    /// The address the user gave, with missing parts taken from `defaults`
    /// (only these, when the address is a Unix socket's path).
    pub fn endpoint(&self, defaults: Endpoint) -> Endpoint {
        match &self.address {
            Some(Address::Net(partial)) => partial.clone().or(defaults),
            _ => defaults,
        }
    }

    /// The Unix domain socket's path, when the address is one.
    pub fn unix_path(&self) -> Option<&Path> {
        match &self.address {
            Some(Address::Unix(path)) => Some(path),
            _ => None,
        }
    }
}

/// An address, and if it is none, why, in the narration's language.
pub fn parse_address(text: &str) -> Result<Address, String> {
    text.parse().map_err(|e| address_error(Lang::current(), &e))
}

/// The parser's reason in `lang`; in English, its own words.
fn address_error(lang: Lang, error: &AddressError) -> String {
    use AddressError as E;
    let text = |s: &String| FluentValue::from(s.clone());
    let (id, args): (&str, Vec<(&str, FluentValue)>) = match error {
        E::Empty => ("address-empty", vec![]),
        E::PortNotANumber(p) => {
            ("address-port-not-a-number", vec![("port", text(p))])
        }
        E::PortOutOfRange(p) => {
            ("address-port-out-of-range", vec![("port", text(p))])
        }
        E::PortMissing => ("address-port-missing", vec![]),
        E::UnclosedBracket => ("address-unclosed-bracket", vec![]),
        E::JunkAfterBracket(r) => {
            ("address-junk-after-bracket", vec![("rest", text(r))])
        }
        E::NotIpv6(i) => ("address-not-ipv6", vec![("inner", text(i))]),
        E::InvalidHost(h) => ("address-invalid-host", vec![("host", text(h))]),
        E::AmbiguousIpv6(ip, port) => (
            "address-ambiguous-ipv6",
            vec![("ip", text(ip)), ("port", text(port))],
        ),
        E::Ipv6PortNeedsBrackets(ip, port) => (
            "address-ipv6-port-needs-brackets",
            vec![("ip", text(ip)), ("port", text(port))],
        ),
        E::PathMissing => ("address-path-missing", vec![]),
        E::PathTooLong(n) => (
            "address-path-too-long",
            vec![("length", (*n).into()), ("max", MAX_PATH.into())],
        ),
    };
    crate::lang::tr_in(lang, id, &args)
}

/// Bytes per read: `--buffer` accepts 1 to 1 MiB.
pub fn parse_buffer(text: &str) -> Result<usize, String> {
    const MAX: usize = 1 << 20;
    match text.parse::<usize>() {
        Ok(n) if (1..=MAX).contains(&n) => Ok(n),
        _ => Err(crate::lang::tr("error-buffer", &[("max", MAX.into())])),
    }
}

/// Seconds, as a decimal number from one microsecond to a day: `2`, `0.5`.
/// Socket timeouts count whole microseconds, and a timeout of zero means
/// "wait forever": a shorter value would silently mean no timeout at all.
pub fn parse_seconds(text: &str) -> Result<std::time::Duration, String> {
    match text.parse::<f64>().map(|s| s * 1e6) {
        // `1e-6 * 1e6` may land a hair below 1.0: allow for that.
        Ok(us) if (1.0 - 1e-9..=86_400e6).contains(&us) => {
            Ok(std::time::Duration::from_micros(us.round() as u64))
        }
        _ => Err(crate::lang::tr("error-seconds", &[])),
    }
}

/// The text after the flags in `--help`: the default address, then
/// examples, from the catalog's `help-PROGRAM-after`.
pub fn after_help(program: &str, default: impl std::fmt::Display) -> String {
    let default = [("default", default.to_string().into())];
    tr(&format!("help-{program}-after"), &default)
}

/// In Chinese, `--help` from the catalog: the program's description, each
/// argument's help (`help-PROGRAM-ARG`, else `help-ARG`), the headings and
/// the defaults. In English, clap's text from the doc comments stands (a
/// test holds the catalog's English to them).
fn in_chinese(command: Command) -> Command {
    if Lang::current() != Lang::Zh {
        return command;
    }
    let name = command.get_name().to_string();
    let template = format!(
        "{{about-with-newline}}\n{}{{usage}}\n\n{{all-args}}{{after-help}}",
        tr("help-usage", &[])
    );
    let flag = |id: &'static str, short: char, action: ArgAction| {
        let help = tr(&format!("help-{id}"), &[]);
        let heading = tr("help-options", &[]);
        Arg::new(id)
            .short(short)
            .long(id)
            .action(action)
            .help(help)
            .help_heading(heading)
    };
    let mut command = command
        .about(tr(&format!("help-{name}"), &[]))
        .help_template(template)
        .disable_help_flag(true)
        .disable_version_flag(true);
    let ids: Vec<String> = command
        .get_arguments()
        .map(|a| a.get_id().to_string())
        .collect();
    for id in ids {
        let own = format!("help-{name}-{}", id.replace('_', "-"));
        let shared = format!("help-{}", id.replace('_', "-"));
        let message = if has(&own) { own } else { shared };
        command = command.mut_arg(&id, |arg| {
            let mut help = tr(&message, &[]);
            let defaults: Vec<String> = arg
                .get_default_values()
                .iter()
                .map(|v| v.to_string_lossy().into_owned())
                .collect();
            if !defaults.is_empty() && !arg.is_hide_default_value_set() {
                let value = [("value", defaults.join(", ").into())];
                help = format!("{help}（{}）", tr("help-default", &value));
            }
            let heading = match arg.is_positional() {
                true => tr("help-arguments", &[]),
                false => tr("help-options", &[]),
            };
            let takes_values = arg.get_action().takes_values();
            arg.help(help)
                .long_help(None)
                .hide_default_value(takes_values)
                .hide_possible_values(takes_values)
                .help_heading(heading)
        });
    }
    command.arg(flag("help", 'h', ArgAction::Help)).arg(flag(
        "version",
        'V',
        ArgAction::Version,
    ))
}

/// In Chinese, clap's usage errors in the catalog's words (the common
/// ones; any other stays in clap's English).
fn in_chinese_words(e: &clap::Error) -> Option<String> {
    use clap::error::{ContextKind, ContextValue, ErrorKind};
    if Lang::current() != Lang::Zh {
        return None;
    }
    let text = |kind| match e.get(kind)? {
        ContextValue::String(s) => Some(s.clone()),
        ContextValue::Strings(list) => Some(list.join(", ")),
        _ => None,
    };
    let arg = || text(ContextKind::InvalidArg);
    let value = || text(ContextKind::InvalidValue);
    let (id, words) = match e.kind() {
        ErrorKind::UnknownArgument => match arg()? {
            extra if !extra.starts_with('-') => {
                ("error-clap-extra", vec![extra])
            }
            flag => ("error-clap-unknown", vec![flag]),
        },
        ErrorKind::InvalidValue if value().is_none_or(|v| v.is_empty()) => {
            ("error-clap-empty", vec![arg()?])
        }
        ErrorKind::InvalidValue => {
            let valid = text(ContextKind::ValidValue)?;
            ("error-clap-choices", vec![arg()?, value()?, valid])
        }
        ErrorKind::ValueValidation => {
            let reason = std::error::Error::source(e)?.to_string();
            ("error-clap-invalid", vec![arg()?, value()?, reason])
        }
        ErrorKind::ArgumentConflict => {
            match (arg()?, text(ContextKind::PriorArg)?) {
                (arg, prior) if arg == prior => ("error-clap-twice", vec![arg]),
                (arg, prior) => ("error-clap-conflict", vec![arg, prior]),
            }
        }
        ErrorKind::MissingRequiredArgument => {
            ("error-clap-missing", vec![arg()?])
        }
        _ => return None,
    };
    let names = ["arg", "second", "third"];
    let args: Vec<_> = names
        .into_iter()
        .zip(words)
        .map(|(n, w)| (n, w.into()))
        .collect();
    let said = tr(id, &args);
    Some(match text(ContextKind::SuggestedArg) {
        Some(tip) => tr(
            "error-clap-tip",
            &[("said", said.into()), ("tip", tip.into())],
        ),
        None => said,
    })
}

/// Parses the command line; on a usage error prints one line and exits
/// with code 2. `--help` and `--version` print as usual and exit 0.
pub fn parse<T: Parser>() -> T {
    // Plain styles, so that the message holds no escape codes of clap's
    // own: what the user typed then reaches the renderer untouched (clap's
    // plain text would strip an ESC, and let C1 controls and bidi overrides
    // through) and is shown the way network data is.
    let args: Vec<std::ffi::OsString> = std::env::args_os().collect();
    crate::lang::Lang::choose(&args);
    let mut command = in_chinese(T::command().styles(Styles::plain()));
    let parsed = command
        .try_get_matches_from_mut(args.clone())
        .and_then(|mut matches| T::from_arg_matches_mut(&mut matches));
    match parsed {
        Ok(args) => args,
        Err(e) if e.use_stderr() => {
            let e = e.format(&mut command);
            // clap's message may go on over a few lines (a list of missing
            // arguments) before a blank line and the usage: join them.
            let rendered = e.render().ansi().to_string();
            let message: Vec<&str> = rendered
                .lines()
                .map(str::trim)
                .take_while(|l| !l.is_empty())
                .collect();
            let message = message.join(" ");
            let first = message.strip_prefix("error: ").unwrap_or(&message);
            let first = in_chinese_words(&e).unwrap_or_else(|| first.into());
            let first = shared::text::render(first.as_bytes());
            let message = [("message", first.into())];
            let line = crate::lang::tr("error-see-help", &message);
            Console::detect().error(format_args!("{line}"));
            std::process::exit(Exit::Usage as i32)
        }
        // --help and --version: clap prints them, in its usual styles.
        Err(_) => {
            let matches = in_chinese(T::command()).get_matches_from(args);
            T::from_arg_matches(&matches).unwrap_or_else(|e| e.exit())
        }
    }
}

#[cfg(test)]
#[allow(clippy::unwrap_used)] // A panic is a failed test.
mod tests {
    use super::*;

    /// Every reason the address parser gives reads in English exactly as
    /// the parser words it, and in Chinese as a Chinese sentence that
    /// quotes the same things.
    #[test]
    fn address_errors_read_in_both_languages() {
        let long = format!("/{}", "a".repeat(MAX_PATH));
        let inputs = [
            " ",
            "host:abc",
            "host:99999",
            "localhost:",
            "[::1",
            "[::1]x",
            "[localhost]",
            "a b",
            "::1:5000",
            "::1:10888",
            "unix:",
            &long,
        ];
        let mut seen = std::collections::HashSet::new();
        for input in inputs {
            let error = input.parse::<Address>().err().unwrap();
            let kind = format!("{error:?}");
            seen.insert(kind.split('(').next().unwrap().to_string());
            assert_eq!(address_error(Lang::En, &error), error.to_string());
            let chinese = address_error(Lang::Zh, &error);
            assert!(chinese.chars().any(|c| c > '\u{2e80}'), "{chinese}");
            let english = error.to_string();
            for quoted in english.split('`').skip(1).step_by(2) {
                assert!(chinese.contains(quoted), "{input:?}: {chinese}");
            }
        }
        assert_eq!(seen.len(), 12, "one input per kind of error: {seen:?}");
    }
}
