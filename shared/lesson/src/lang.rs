//! The language the programs narrate in: English, or Simplified Chinese
//! when `--lang zh` or the locale asks for it (`LC_ALL`, `LC_MESSAGES`,
//! `LANG`, the first one set and not empty, starting with `zh`). The
//! output is UTF-8 whatever the locale's character set.
//!
//! The sentences are not in the code: they are Project Fluent messages in
//! `shared/lesson/locales/en/*.ftl` and `locales/zh-CN/*.ftl` (the
//! lesson's, one per program, the errors), built into the programs, and
//! [`tr`] looks one up by its id. A test checks that both languages hold
//! the same messages with the same arguments.
//! Technical tokens (`recv()`, `SO_REUSEADDR`, `FIN`, flags, addresses)
//! stay as a student types them in either language.

use fluent_bundle::concurrent::FluentBundle;
use fluent_bundle::{FluentArgs, FluentResource, FluentValue};
use std::ffi::OsString;
use std::sync::OnceLock;

/// A language the programs speak.
#[derive(Debug, Clone, Copy, PartialEq, Eq, clap::ValueEnum)]
pub enum Lang {
    /// English.
    En,
    /// Simplified Chinese (简体中文).
    Zh,
}

/// One language's catalog: the lesson's messages, then each program's own
/// and the errors, one file each (one text: ids are unique across them).
macro_rules! catalog {
    ($dir:literal) => {
        concat!(
            include_str!(concat!("../locales/", $dir, "/lesson.ftl")),
            include_str!(concat!("../locales/", $dir, "/tcp-server.ftl")),
            include_str!(concat!("../locales/", $dir, "/tcp-client.ftl")),
            include_str!(concat!("../locales/", $dir, "/udp-server.ftl")),
            include_str!(concat!("../locales/", $dir, "/udp-client.ftl")),
            include_str!(concat!("../locales/", $dir, "/errors.ftl")),
            include_str!(concat!("../locales/", $dir, "/help.ftl")),
            include_str!(concat!("../locales/", $dir, "/trace-draw.ftl")),
        )
    };
}

/// Each language's messages, as the Fluent files hold them.
pub const CATALOGS: [(Lang, &str, &str); 2] = [
    (Lang::En, "en-US", catalog!("en")),
    (Lang::Zh, "zh-CN", catalog!("zh-CN")),
];

static CHOSEN: OnceLock<Lang> = OnceLock::new();

impl Lang {
    /// The language the locale asks for: the first of `LC_ALL`,
    /// `LC_MESSAGES` and `LANG` that is set and not empty decides, as
    /// POSIX has it; `zh`, `zh_CN.UTF-8`, `zh_TW` mean Chinese.
    pub fn from_locale(var: impl Fn(&str) -> Option<OsString>) -> Lang {
        let set = ["LC_ALL", "LC_MESSAGES", "LANG"]
            .into_iter()
            .filter_map(var)
            .find(|value| !value.is_empty());
        match set {
            Some(v) if v.to_string_lossy().starts_with("zh") => Lang::Zh,
            _ => Lang::En,
        }
    }

    /// `--lang zh` or `--lang=zh` among `args`, if it is there and valid
    /// (clap reports an invalid one later, in the chosen language).
    pub fn from_args(args: &[OsString]) -> Option<Lang> {
        let value = args.iter().enumerate().find_map(|(i, arg)| {
            let arg = arg.to_str()?;
            match arg.strip_prefix("--lang") {
                Some("") => args.get(i + 1)?.to_str(),
                Some(rest) => rest.strip_prefix('='),
                None => None,
            }
        })?;
        // Exactly as clap takes it: `--lang ZH` is a usage error there.
        clap::ValueEnum::from_str(value, false).ok()
    }

    /// The program's language: `--lang` if given, else the locale's. Set
    /// once, when the command line is parsed.
    pub fn choose(args: &[OsString]) -> Lang {
        let lang = Lang::from_args(args).unwrap_or_else(|| {
            Lang::from_locale(|name| std::env::var_os(name))
        });
        *CHOSEN.get_or_init(|| lang)
    }

    /// The program's language, English until [`Lang::choose`] has run.
    pub fn current() -> Lang {
        CHOSEN.get().copied().unwrap_or(Lang::En)
    }
}

/// A message written only when it is shown: narration that is off
/// (no `--explain`) then costs a server nothing per message.
pub fn lazy<F: Fn() -> String>(message: F) -> Lazy<F> {
    Lazy(message)
}

/// See [`lazy`].
pub struct Lazy<F>(F);

impl<F> std::fmt::Debug for Lazy<F> {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str("Lazy(…)")
    }
}

impl<F: Fn() -> String> std::fmt::Display for Lazy<F> {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(&(self.0)())
    }
}

/// The details of the recv() that found the peer's FIN, in a client and
/// in a server alike. Written only when narrated.
pub fn peer_closed(peer: &crate::Place) -> impl std::fmt::Display + '_ {
    lazy(move || tr("peer-closed", &[("peer", peer.to_string().into())]))
}

/// close()'s details for a connection, in a client and in a server.
pub fn connection(peer: &crate::Place) -> impl std::fmt::Display + '_ {
    lazy(move || tr("close-connection", &[("peer", peer.to_string().into())]))
}

/// One bundle per language, made the first time a message is wanted.
fn bundles() -> &'static [FluentBundle<FluentResource>] {
    static BUNDLES: OnceLock<Vec<FluentBundle<FluentResource>>> =
        OnceLock::new();
    BUNDLES.get_or_init(|| {
        CATALOGS
            .iter()
            .map(|(_, locale, text)| {
                let locale = locale.parse().unwrap_or_default();
                let mut bundle = FluentBundle::new_concurrent(vec![locale]);
                // No invisible isolation marks around arguments: a
                // terminal shows nothing for them, a pipe gets odd bytes.
                bundle.set_use_isolating(false);
                // A file that does not parse keeps what did: the catalog
                // test fails on any error.
                let resource = FluentResource::try_new(text.to_string())
                    .unwrap_or_else(|(partial, _)| partial);
                let _ = bundle.add_resource(resource);
                bundle
            })
            .collect()
    })
}

/// The message `id` in the program's language, with `args` filled in;
/// the English one if the language lacks it, the id if both do.
/// Whether the catalogs hold a message `id`.
pub fn has(id: &str) -> bool {
    bundles()[Lang::En as usize].has_message(id)
}

pub fn tr(id: &str, args: &[(&str, FluentValue<'_>)]) -> String {
    tr_in(Lang::current(), id, args)
}

/// [`tr`] in the language `lang`.
pub fn tr_in(lang: Lang, id: &str, args: &[(&str, FluentValue<'_>)]) -> String {
    let mut fluent_args = FluentArgs::new();
    for (name, value) in args {
        fluent_args.set(*name, value.clone());
    }
    let bundles = bundles();
    let order = [lang as usize, Lang::En as usize];
    for bundle in order.iter().filter_map(|&i| bundles.get(i)) {
        let Some(pattern) = bundle.get_message(id).and_then(|m| m.value())
        else {
            continue;
        };
        let mut errors = Vec::new();
        let text =
            bundle.format_pattern(pattern, Some(&fluent_args), &mut errors);
        return text.into_owned();
    }
    id.to_string()
}

#[cfg(test)]
#[allow(clippy::unwrap_used)]
mod tests {
    use super::*;
    use crate::step::{Step, Transport};
    use std::collections::BTreeMap;

    /// Each message of a catalog with the arguments it uses: an `id =`
    /// line and the indented lines after it, `{ $name }` placeables.
    fn messages(text: &str) -> BTreeMap<&str, Vec<&str>> {
        let mut found: BTreeMap<&str, Vec<&str>> = BTreeMap::new();
        let mut current = None;
        for line in text.lines().filter(|l| !l.starts_with('#')) {
            let value = match line.split_once(" = ") {
                Some((id, value)) if !line.starts_with(' ') => {
                    current = Some(id);
                    value
                }
                _ if line.starts_with(' ') => line,
                _ => {
                    current = None;
                    continue;
                }
            };
            let Some(id) = current else { continue };
            let names = found.entry(id).or_default();
            names.extend(
                value
                    .split("{ $")
                    .skip(1)
                    .filter_map(|rest| rest.split_once(' ').map(|(n, _)| n)),
            );
            names.sort_unstable();
            names.dedup();
        }
        found
    }

    /// Both languages hold the same messages, each with the same
    /// arguments; every file parses, and every message formats with its
    /// arguments and no error.
    #[test]
    fn both_catalogs_are_complete() {
        let [(_, _, english), (_, _, chinese)] = CATALOGS;
        let (en, zh) = (messages(english), messages(chinese));
        assert!(en.len() >= 35, "{} messages", en.len());
        for (id, names) in &en {
            assert_eq!(zh.get(id), Some(names), "zh-CN: {id}");
        }
        for id in zh.keys() {
            assert!(en.contains_key(id), "en: {id} is missing");
        }
        for (lang, locale, text) in CATALOGS {
            let parsed = FluentResource::try_new(text.to_string());
            let errors = parsed.err().map(|(_, errors)| errors);
            assert!(errors.is_none(), "{locale}: {errors:?}");
            let bundle = &bundles()[lang as usize];
            for (id, names) in &en {
                let mut args = FluentArgs::new();
                for name in names {
                    args.set(*name, "x");
                }
                let message = bundle.get_message(id);
                let pattern = message.and_then(|m| m.value());
                let pattern =
                    pattern.unwrap_or_else(|| panic!("{locale}: {id}"));
                let mut errors = Vec::new();
                bundle.format_pattern(pattern, Some(&args), &mut errors);
                assert!(errors.is_empty(), "{locale}: {id}: {errors:?}");
            }
        }
    }

    /// Every message the code asks for is in the catalogs: each step's
    /// meaning in each family, and each id written in the lesson's and
    /// the programs' files.
    #[test]
    fn every_message_asked_for_exists() {
        let en = messages(CATALOGS[0].2);
        let steps = [
            Step::Resolve,
            Step::Socket,
            Step::SetSockOpt,
            Step::Bind,
            Step::Listen,
            Step::Accept,
            Step::Connect,
            Step::Recv,
            Step::Send,
            Step::RecvFrom,
            Step::SendTo,
            Step::Shutdown,
            Step::Close,
        ];
        let transports = [
            Transport::Tcp,
            Transport::Udp,
            Transport::UnixStream,
            Transport::UnixDatagram,
        ];
        for step in steps {
            for transport in transports {
                let id = step.meaning_id(transport);
                assert!(en.contains_key(id), "{step:?} {transport:?}: {id}");
            }
        }
        // The lesson's files and the four programs', subfolders too.
        let top = concat!(env!("CARGO_MANIFEST_DIR"), "/../..");
        let mut folders: Vec<std::path::PathBuf> = [
            "shared/lesson",
            "tcp-server",
            "tcp-client",
            "udp-server",
            "udp-client",
            "docs/trace-draw",
        ]
        .iter()
        .map(|member| std::path::Path::new(top).join(member).join("src"))
        .collect();
        let mut files = Vec::new();
        while let Some(folder) = folders.pop() {
            for entry in std::fs::read_dir(&folder).unwrap().flatten() {
                match entry.path() {
                    path if path.is_dir() => folders.push(path),
                    path => files.push(path),
                }
            }
        }
        assert!(files.len() > 40, "{} files", files.len());
        let families: Vec<String> = en
            .keys()
            .filter_map(|id| id.split_once('-'))
            .map(|(family, _)| format!("{family}-"))
            .collect();
        let mut asked = 0;
        for path in files {
            // This file's own calls are its tests', with made-up ids.
            if path.ends_with("lang.rs") {
                continue;
            }
            let source = std::fs::read_to_string(&path).unwrap_or_default();
            // Every literal that looks like an id of ours: lowercase words
            // joined by `-`, the first one a family of the catalog's.
            for literal in source.split('"').skip(1).step_by(2) {
                let looks_like_id = literal.contains('-')
                    && literal
                        .chars()
                        .all(|c| c.is_ascii_lowercase() || c == '-')
                    && families.iter().any(|f| literal.starts_with(f));
                if looks_like_id {
                    asked += 1;
                    assert!(
                        en.contains_key(literal),
                        "{}: {literal}",
                        path.display()
                    );
                }
            }
        }
        assert!(asked >= 40, "{asked} message ids found");
    }

    /// The locale's variables decide in POSIX order; `--lang` overrides.
    #[test]
    fn the_locale_and_the_flag_choose() {
        let locale = |pairs: &'static [(&str, &str)]| {
            Lang::from_locale(|name| {
                pairs
                    .iter()
                    .find(|(n, _)| *n == name)
                    .map(|(_, v)| v.into())
            })
        };
        assert_eq!(locale(&[("LANG", "zh_CN.UTF-8")]), Lang::Zh);
        assert_eq!(locale(&[("LANG", "zh_TW.UTF-8")]), Lang::Zh);
        assert_eq!(locale(&[("LANG", "en_US.UTF-8")]), Lang::En);
        assert_eq!(locale(&[]), Lang::En);
        let both = &[("LC_ALL", "C.UTF-8"), ("LANG", "zh_CN.UTF-8")];
        assert_eq!(locale(both), Lang::En);
        let empty_all = &[("LC_ALL", ""), ("LC_MESSAGES", "zh_CN")];
        assert_eq!(locale(empty_all), Lang::Zh);
        let args = |list: &[&str]| -> Vec<OsString> {
            list.iter().map(OsString::from).collect()
        };
        assert_eq!(
            Lang::from_args(&args(&["x", "--lang", "zh"])),
            Some(Lang::Zh)
        );
        assert_eq!(Lang::from_args(&args(&["x", "--lang=en"])), Some(Lang::En));
        assert_eq!(Lang::from_args(&args(&["x", "--lang", "fr"])), None);
        assert_eq!(Lang::from_args(&args(&["x", "--language"])), None);
    }

    /// A message reads in each language, and an unknown id shows itself.
    #[test]
    fn messages_read_in_each_language() {
        let id = Step::Bind.meaning_id(Transport::Tcp);
        assert!(tr_in(Lang::En, id, &[]).starts_with("the kernel reserves"));
        assert!(tr_in(Lang::Zh, id, &[]).starts_with("内核为这个套接字"));
        let pause = tr_in(Lang::Zh, "step-pause", &[("step", "bind".into())]);
        assert_eq!(pause, "刚才是 bind · 按回车进入下一步（Ctrl-D：不再暂停）");
        assert_eq!(tr_in(Lang::Zh, "no-such-message", &[]), "no-such-message");
    }
}
