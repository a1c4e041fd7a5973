//! The four programs narrate in Chinese when the locale says so, and in
//! English with `--lang en`; `--lang zh` wins over an English locale.
#![allow(clippy::unwrap_used, clippy::expect_used)]

use testkit::{start_open_in, workspace_bin};

const CHINESE: &[(&str, &str)] = &[("LANG", "zh_CN.UTF-8")];
const ENGLISH: &[(&str, &str)] = &[("LANG", "en_US.UTF-8")];

/// The socket() line of `program --explain`, under `locale`, with `extra`
/// flags: a server is stopped once it has said it; a client's server is
/// a port where nothing listens.
fn socket_line(
    program: &str,
    locale: &[(&str, &str)],
    extra: &[&str],
) -> String {
    let closed = std::net::TcpListener::bind("127.0.0.1:0").unwrap();
    let port = closed.local_addr().unwrap().port().to_string();
    drop(closed);
    let address = match program {
        "tcp-server" | "udp-server" => "127.0.0.1:0".to_string(),
        _ => format!("127.0.0.1:{port}"),
    };
    let mut args = vec![address.as_str(), "--explain"];
    if program == "udp-client" {
        args.extend(["--timeout", "0.1", "--message", "ping"]);
    }
    args.extend(extra);
    let mut run = start_open_in(&workspace_bin(program), &args, locale);
    run.close_input();
    let text = run.stderr.wait_for("the socket() line", |text| {
        let from = text.find("explain: socket")?;
        let line = text[from..].split_once('\n')?.0;
        Some(line.to_string())
    });
    run.kill();
    text
}

#[test]
fn chinese_locale_narrates_in_chinese_and_lang_en_in_english() {
    for program in ["tcp-server", "tcp-client", "udp-server", "udp-client"] {
        let zh = socket_line(program, CHINESE, &[]);
        assert!(zh.contains("— 内核创建一个"), "{program}: {zh}");
        let en = socket_line(program, CHINESE, &["--lang", "en"]);
        assert!(en.contains("— the kernel creates a"), "{program}: {en}");
        let flag = socket_line(program, ENGLISH, &["--lang=zh"]);
        assert!(flag.contains("— 内核创建一个"), "{program}: {flag}");
    }
}

const PROGRAMS: [&str; 4] =
    ["tcp-server", "tcp-client", "udp-server", "udp-client"];

fn is_chinese(c: char) -> bool {
    ('\u{4e00}'..='\u{9fff}').contains(&c)
}

/// The flags `--help` lists, one per line of the options' column.
fn flags_of(help: &str) -> Vec<&str> {
    let column = help
        .lines()
        .map(str::trim_start)
        .filter(|l| l.starts_with('-'));
    let flags = column
        .filter_map(|l| l.split([' ', ',']).find(|w| w.starts_with("--")));
    flags.collect()
}

/// `--help` in Chinese: the description, every argument's help, the
/// headings, the defaults and the examples come from the catalog, with
/// the flags and value names as a student types them.
#[test]
fn help_is_in_chinese_with_the_flags_as_typed() {
    for program in PROGRAMS {
        let (code, out, _) = testkit::run(
            &workspace_bin(program),
            &["--lang", "zh", "--help"],
            b"",
        );
        assert_eq!(code, 0, "{program}");
        assert!(out.contains("用法："), "{program}: {out}");
        assert!(out.contains("示例："), "{program}: {out}");
        for english in
            ["Usage:", "Options:", "Print help", "[default:", "Examples:"]
        {
            assert!(!out.contains(english), "{program}: {english} in\n{out}");
        }
        let flags: Vec<&str> = out
            .lines()
            .filter(|l| l.trim_start().starts_with(['-', '[']))
            .collect();
        assert!(flags.len() >= 10, "{program}: {out}");
        for line in flags {
            assert!(line.chars().any(is_chinese), "{program}: {line}");
        }
        let (_, english, _) =
            testkit::run(&workspace_bin(program), &["--help"], b"");
        assert_eq!(flags_of(&out), flags_of(&english), "{program}");
    }
}

/// The catalog's English help is what the doc comments say (clap shows
/// those in English): a change to one is a change to both.
#[test]
fn the_catalogs_english_help_is_the_doc_comments() {
    let top = concat!(env!("CARGO_MANIFEST_DIR"), "/../..");
    let catalog = std::fs::read_to_string(format!(
        "{top}/shared/lesson/locales/en/help.ftl"
    ))
    .unwrap();
    let message = |id: &str| {
        let start = format!("\n{id} = ");
        let from = catalog.find(&start)? + start.len();
        Some(catalog[from..].lines().next()?.to_string())
    };
    for program in PROGRAMS {
        let (_, help, _) =
            testkit::run(&workspace_bin(program), &["--help"], b"");
        let (_, short, _) = testkit::run(&workspace_bin(program), &["-h"], b"");
        let about = message(&format!("help-{program}")).unwrap();
        assert!(help.starts_with(&about), "{program}: {about}");
        let mut checked = 0;
        let names = flags_of(&help).into_iter().map(|f| f[2..].to_string());
        for name in names.chain(["address".to_string()]) {
            if ["help", "version"].contains(&name.as_str()) {
                continue;
            }
            let text = message(&format!("help-{program}-{name}"))
                .or_else(|| message(&format!("help-{name}")))
                .unwrap_or_else(|| {
                    panic!("{program}: no help-{name} in help.ftl")
                });
            assert!(
                help.contains(&text),
                "{program} --{name}: the catalog says {text:?}"
            );
            checked += 1;
        }
        assert!(checked >= 8, "{program}: {checked}");
        let examples = message(&format!("help-{program}-after")).is_none();
        assert!(examples, "help-{program}-after is multiline");
        assert!(short.contains("Examples:\n  "), "{program}: {short}");
    }
}

/// The common usage errors read in Chinese, one line each with exit code
/// 2, and so does the address parser's reason; in English they are clap's
/// and the parser's own words.
#[test]
fn usage_errors_read_in_chinese() {
    let cases: [(&[&str], &str, &str); 7] = [
        (
            &["--bogus"],
            "没有这个参数：'--bogus'",
            "unexpected argument '--bogus'",
        ),
        (
            &["a", "b"],
            "多余的参数：'b'",
            "unexpected argument 'b' found",
        ),
        (
            &["--trace"],
            "需要一个值，但没有给出",
            "a value is required for '--trace",
        ),
        (
            &["--hex", "--hex"],
            "参数 '--hex' 只能给一次",
            "cannot be used multiple times",
        ),
        (
            &["--lang", "xx"],
            "（可选值：en, zh）",
            "[possible values: en, zh]",
        ),
        (
            &[":99999"],
            "端口 99999 超出范围（端口从 0 到 65535）",
            "port 99999 is out of range",
        ),
        (&["[::1"], "`[` 没有闭合", "`[` is never closed"),
    ];
    for program in PROGRAMS {
        for (args, chinese, english) in cases {
            for (locale, says) in [(CHINESE, chinese), (ENGLISH, english)] {
                let out = std::process::Command::new(workspace_bin(program))
                    .args(args)
                    .env_remove("LC_ALL")
                    .env_remove("LC_MESSAGES")
                    .env("LANG", locale[0].1)
                    .output()
                    .unwrap();
                let stderr = String::from_utf8(out.stderr).unwrap();
                let at = format!("{program} {args:?} {locale:?}: {stderr}");
                assert_eq!(out.status.code(), Some(2), "{at}");
                assert_eq!(stderr.lines().count(), 1, "{at}");
                assert!(stderr.contains(says), "{at}");
            }
        }
    }
}
