//! The card's shape, checked: each binary reads as its script, `shared` is
//! the small crate the card names, and ARCHITECTURE.md names only what
//! exists. Every check here lists all its problems at once, with file and
//! line, so one run says everything that drifted.
#![allow(clippy::unwrap_used, clippy::expect_used)]

use std::collections::{BTreeMap, BTreeSet};
use std::fs;
use std::path::{Path, PathBuf};

const BINARIES: [&str; 4] =
    ["tcp-server", "tcp-client", "udp-server", "udp-client"];

fn root() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("../..")
}

/// Every `.rs` file under `dir`, sorted, relative to the repository root.
fn rust_files(dir: &str) -> Vec<String> {
    let mut files = Vec::new();
    let mut stack = vec![root().join(dir)];
    while let Some(folder) = stack.pop() {
        for entry in fs::read_dir(&folder).unwrap() {
            let path = entry.unwrap().path();
            if path.is_dir() {
                stack.push(path);
            } else if path.extension().is_some_and(|e| e == "rs") {
                let relative = path.strip_prefix(root()).unwrap();
                files.push(relative.to_string_lossy().replace('\\', "/"));
            }
        }
    }
    files.sort();
    files
}

fn read(file: &str) -> String {
    fs::read_to_string(root().join(file)).unwrap()
}

/// The code lines of a file before its `#[cfg(test)]` module.
fn without_tests(text: &str) -> Vec<&str> {
    text.lines()
        .take_while(|l| l.trim() != "#[cfg(test)]")
        .collect()
}

fn is_code(line: &str) -> bool {
    let t = line.trim();
    !t.is_empty() && !t.starts_with("//")
}

/// An anchored block: its name, the line of its `ANCHOR:` and its lines.
struct Anchor {
    name: String,
    line: usize,
    lines: Vec<String>,
}

fn anchors(text: &str) -> Vec<Anchor> {
    let mut found = Vec::new();
    let mut open: Vec<Anchor> = Vec::new();
    for (number, line) in text.lines().enumerate() {
        let t = line.trim();
        if let Some(name) = t.strip_prefix("// ANCHOR: ") {
            open.push(Anchor {
                name: name.trim().to_string(),
                line: number + 1,
                lines: Vec::new(),
            });
        } else if let Some(name) = t.strip_prefix("// ANCHOR_END: ") {
            if let Some(k) = open.iter().position(|a| a.name == name.trim()) {
                found.push(open.remove(k));
            }
        } else {
            for a in &mut open {
                a.lines.push(line.to_string());
            }
        }
    }
    found.sort_by_key(|a| a.line);
    found
}

/// The calls that are a step of a socket's life (or a name's resolution).
/// `drop(` is close(): in Rust a socket is closed by dropping it.
/// A thread spawned for a conversation is a step too (the socketserver
/// design's), and so is the throwaway connect that wakes a blocked accept().
const SOCKET_CALLS: [&str; 28] = [
    "to_socket_addrs(",
    "connect_timeout(",
    ".spawn(",
    "spawn_scoped(",
    ".write(",
    "Socket::new(",
    "set_reuse_address(",
    ".bind(",
    "::bind(",
    ".listen(",
    ".accept(",
    ".connect(",
    "::connect(",
    ".send(",
    ".send_to(",
    ".write_all(",
    ".recv(",
    ".recv_from(",
    "recvmsg(",
    ".recv_from_vectored_with_flags(",
    ".recv_vectored_with_flags(",
    // The event loop's steps: epoll_ctl and epoll_wait, through mio.
    ".register(",
    ".poll(",
    ".read(",
    ".shutdown(",
    "drop(",
    ".try_clone(",
    "local_addr(",
];

/// How many socket calls a line of code makes.
fn socket_calls(line: &str) -> usize {
    let code = line.split("//").next().unwrap_or("");
    SOCKET_CALLS
        .iter()
        .map(|call| code.matches(call).count())
        .sum()
}

/// How many narration calls a line makes: a step told at its call
/// (`.told(`) or a message of the narrator's.
fn narration_calls(line: &str) -> usize {
    let code = line.split("//").next().unwrap_or("");
    code.matches(".told(").count()
        + code.matches("narrator.").count()
        + code.matches("console.").count()
}

/// The book's includes of a binary's source, in reading order (SUMMARY.md
/// first to last, each page top to bottom): (file, anchor).
fn book_includes() -> Vec<(String, String)> {
    let src = root().join("docs/src");
    let summary = fs::read_to_string(src.join("SUMMARY.md")).unwrap();
    let mut includes = Vec::new();
    for page in summary
        .split("](")
        .skip(1)
        .filter_map(|p| p.split(')').next())
    {
        let page_path = src.join(page);
        let Ok(text) = fs::read_to_string(&page_path) else {
            continue;
        };
        for piece in text.split("{{#include ").skip(1) {
            let target = piece.split("}}").next().unwrap_or("").trim();
            let Some((file, anchor)) = target.rsplit_once(':') else {
                continue;
            };
            let path = page_path.parent().unwrap().join(file);
            let Ok(path) = path.canonicalize() else {
                continue;
            };
            let Ok(relative) =
                path.strip_prefix(root().canonicalize().unwrap())
            else {
                continue;
            };
            includes.push((
                relative.to_string_lossy().replace('\\', "/"),
                anchor.to_string(),
            ));
        }
    }
    includes
}

/// The anchors of each binary's files appear in the order the book teaches
/// them, so a student reading a file top to bottom beside its chapter meets
/// the same steps in the same order; and every anchor is included by the
/// book, every include names an anchor.
#[test]
fn anchors_are_in_the_books_order_and_all_included() {
    let includes = book_includes();
    let taught: BTreeMap<(String, String), usize> = includes
        .iter()
        .enumerate()
        .map(|(k, i)| (i.clone(), k))
        .rev()
        .collect();
    let mut problems = Vec::new();
    let mut count = 0;
    for binary in BINARIES {
        for file in rust_files(&format!("{binary}/src")) {
            let mut last: Option<(usize, String)> = None;
            for anchor in anchors(&read(&file)) {
                count += 1;
                let Some(&place) =
                    taught.get(&(file.clone(), anchor.name.clone()))
                else {
                    problems.push(format!(
                        "{file}:{} anchor `{}` is included nowhere in the book",
                        anchor.line, anchor.name
                    ));
                    continue;
                };
                if let Some((before, name)) = &last
                    && *before > place
                {
                    problems.push(format!(
                        "{file}:{} anchor `{}` comes after `{name}` here, but the book teaches it before",
                        anchor.line, anchor.name
                    ));
                }
                last = Some((place, anchor.name));
            }
        }
    }
    for (file, anchor) in &includes {
        if BINARIES
            .iter()
            .any(|b| file.starts_with(&format!("{b}/src/")))
            && !anchors(&read(file)).iter().any(|a| &a.name == anchor)
        {
            problems.push(format!(
                "the book includes `{file}:{anchor}`, which is no anchor there"
            ));
        }
    }
    assert!(count >= 28, "found only {count} anchors");
    assert!(problems.is_empty(), "{}", problems.join("\n"));
}

/// Each anchor is one step: its comment, exactly one socket call and at
/// most one narration call; policy (timeouts, counters) follows the block.
#[test]
fn each_anchor_is_one_step() {
    let mut problems = Vec::new();
    for binary in BINARIES {
        for file in rust_files(&format!("{binary}/src")) {
            for anchor in anchors(&read(&file)) {
                let code: Vec<&String> =
                    anchor.lines.iter().filter(|l| is_code(l)).collect();
                let calls: usize = code.iter().map(|l| socket_calls(l)).sum();
                let told: usize = code.iter().map(|l| narration_calls(l)).sum();
                let commented =
                    anchor.lines.iter().any(|l| l.trim().starts_with("//"));
                let at =
                    format!("{file}:{} anchor `{}`", anchor.line, anchor.name);
                // A definition the book shows (the socketserver's handler
                // trait) makes at most one call; a step makes exactly one.
                let first = code.first().map(|l| l.trim()).unwrap_or("");
                let definition = [
                    "pub trait ",
                    "trait ",
                    "pub struct ",
                    "struct ",
                    "impl ",
                    "pub fn ",
                    "fn ",
                ]
                .iter()
                .any(|d| first.starts_with(d));
                if calls > 1 || (calls == 0 && !definition) {
                    problems.push(format!(
                        "{at}: {calls} socket calls (one step is one call)"
                    ));
                }
                if told > 1 {
                    problems.push(format!(
                        "{at}: {told} narration calls (at most one)"
                    ));
                }
                if !commented {
                    problems.push(format!(
                        "{at}: no comment saying what the step does"
                    ));
                }
                if code.len() > 12 {
                    problems.push(format!(
                        "{at}: {} code lines (a step fits in 12)",
                        code.len()
                    ));
                }
            }
        }
    }
    assert!(problems.is_empty(), "{}", problems.join("\n"));
}

/// A lesson's `main.rs` reads in one sitting; no file of a binary is long.
#[test]
fn lessons_are_short() {
    let mut problems = Vec::new();
    for binary in BINARIES {
        for file in rust_files(&format!("{binary}/src")) {
            let lines = read(&file).lines().count();
            let limit = if file.ends_with("/main.rs") { 200 } else { 350 };
            if lines > limit {
                problems
                    .push(format!("{file}: {lines} lines (at most {limit})"));
            }
        }
    }
    assert!(problems.is_empty(), "{}", problems.join("\n"));
}

/// The modules a module of a binary uses: `crate::NAME` and `super::NAME`.
fn uses(text: &str, modules: &BTreeSet<String>) -> BTreeSet<String> {
    let mut used = BTreeSet::new();
    for line in without_tests(text).iter().filter(|l| is_code(l)) {
        for prefix in ["crate::", "super::"] {
            for piece in line.split(prefix).skip(1) {
                let name: String = piece
                    .chars()
                    .take_while(|c| c.is_alphanumeric() || *c == '_')
                    .collect();
                if modules.contains(&name) {
                    used.insert(name);
                }
            }
        }
        // `use crate::{a, b}`
        if let Some(group) = line.split("crate::{").nth(1) {
            for name in group.split(['}', ','].as_ref()).map(|n| n.trim()) {
                let name: String = name
                    .chars()
                    .take_while(|c| c.is_alphanumeric() || *c == '_')
                    .collect();
                if modules.contains(&name) {
                    used.insert(name);
                }
            }
        }
    }
    used
}

/// The modules of a binary form no circle: each can be read after the ones
/// it uses.
#[test]
fn modules_form_no_circle() {
    let mut problems = Vec::new();
    for binary in BINARIES {
        let files = rust_files(&format!("{binary}/src"));
        let module = |f: &str| {
            Path::new(f)
                .file_stem()
                .unwrap()
                .to_string_lossy()
                .to_string()
        };
        let modules: BTreeSet<String> = files
            .iter()
            .map(|f| module(f))
            .filter(|m| m != "main")
            .collect();
        let graph: BTreeMap<String, BTreeSet<String>> = files
            .iter()
            .filter(|f| module(f) != "main")
            .map(|f| {
                let mut used = uses(&read(f), &modules);
                used.remove(&module(f));
                (module(f), used)
            })
            .collect();
        // Peel off modules that use nothing left; what remains is in a circle.
        let mut left = graph.clone();
        loop {
            let free: Vec<String> = left
                .iter()
                .filter(|(_, used)| used.iter().all(|u| !left.contains_key(u)))
                .map(|(m, _)| m.clone())
                .collect();
            if free.is_empty() {
                break;
            }
            for m in free {
                left.remove(&m);
            }
        }
        if !left.is_empty() {
            let circle: Vec<String> = left
                .iter()
                .map(|(m, used)| {
                    format!(
                        "{m} -> {}",
                        used.iter().cloned().collect::<Vec<_>>().join(", ")
                    )
                })
                .collect();
            problems.push(format!(
                "{binary}: modules in a circle: {}",
                circle.join("; ")
            ));
        }
    }
    assert!(problems.is_empty(), "{}", problems.join("\n"));
}

/// `shared` is the card's small crate: address parsing and UTF-8 message
/// helpers, with no socket call and no dependency but text crates, in at
/// most 880 lines without tests (800 until paths of Unix sockets joined,
/// 860 until the shown line copied each run of visible text in one go).
#[test]
fn shared_is_the_cards_small_crate() {
    let mut problems = Vec::new();
    let mut total = 0;
    for file in rust_files("shared/src") {
        let text = read(&file);
        let code = without_tests(&text);
        total += code.len();
        for (k, line) in code.iter().enumerate().filter(|(_, l)| is_code(l)) {
            let calls = [
                "to_socket_addrs",
                "recvmsg",
                "recv_from",
                "getsockname",
                "local_addr",
                "socket2",
                "libc::",
            ];
            if let Some(call) = calls.iter().find(|c| line.contains(*c)) {
                problems.push(format!(
                    "{file}:{}: `{call}`: socket calls belong in a binary",
                    k + 1
                ));
            }
        }
    }
    if total > 880 {
        problems.push(format!(
            "shared/src: {total} lines without tests (at most 880)"
        ));
    }
    let manifest = read("shared/Cargo.toml");
    let mut section = "";
    for line in manifest.lines() {
        let t = line.trim();
        if t.starts_with('[') {
            section = t;
        } else if section.ends_with("dependencies]")
            && !section.contains("dev-")
            && let Some((name, _)) = t.split_once('=')
        {
            let name = name.trim();
            if !name.starts_with("unicode-") {
                problems.push(format!("shared/Cargo.toml: `{name}` in {section} (only unicode-* text crates)"));
            }
        }
    }
    assert!(problems.is_empty(), "{}", problems.join("\n"));
}

/// The top level holds the card's entries and the files every repository
/// has: nothing else.
#[test]
fn the_top_level_is_the_cards() {
    let allowed = [
        "Cargo.toml",
        "Cargo.lock",
        "tcp-server",
        "tcp-client",
        "udp-server",
        "udp-client",
        "shared",
        "docs",
        "README.md",
        "ARCHITECTURE.md",
        "LICENSE",
        "rustfmt.toml",
        ".ci",
        ".git",
        ".gitignore",
        "target",
    ];
    let mut extra: Vec<String> = fs::read_dir(root())
        .unwrap()
        .map(|e| e.unwrap().file_name().to_string_lossy().to_string())
        .filter(|name| !allowed.contains(&name.as_str()))
        .collect();
    extra.sort();
    assert!(extra.is_empty(), "not the card's top level: {extra:?}");
}

/// Every path ARCHITECTURE.md names in backticks exists, and in its code
/// map every name (`Utf8Stream`, `converse`, `echo.rs`) is found in the
/// folder its paragraph is about (`**\`tcp-server/src/\`**`).
#[test]
fn architecture_names_only_what_exists() {
    let text = read("ARCHITECTURE.md");
    let lines = text.lines().count();
    assert!(
        lines <= 150,
        "ARCHITECTURE.md is {lines} lines (at most 150)"
    );
    let mut problems = Vec::new();
    let (mut paths, mut names) = (0, 0);
    let codemap = text
        .split("## Code map")
        .nth(1)
        .and_then(|rest| rest.split("\n## ").next())
        .unwrap_or("");
    let mut folder = String::new();
    for paragraph in codemap.split("\n\n") {
        if let Some(dir) = paragraph
            .strip_prefix("**`")
            .and_then(|p| p.split('`').next())
        {
            folder = dir.to_string();
        }
        let sources: String = if folder.is_empty() {
            String::new()
        } else {
            rust_files(&folder).iter().map(|f| read(f)).collect()
        };
        for token in paragraph.split('`').skip(1).step_by(2) {
            let is_name =
                token.chars().all(|c| c.is_alphanumeric() || c == '_')
                    && token
                        .chars()
                        .next()
                        .is_some_and(|c| c.is_alphabetic() || c == '_');
            let is_file = token.ends_with(".rs") && !token.contains('/');
            if is_file {
                names += 1;
                if !root().join(&folder).join(token).exists() {
                    problems.push(format!("code map: no {folder}{token}"));
                }
            } else if is_name && !folder.is_empty() {
                names += 1;
                let word = |i: usize| {
                    let before = sources[..i].chars().next_back();
                    let after = sources[i + token.len()..].chars().next();
                    let part = |c: Option<char>| {
                        c.is_some_and(|c| c.is_alphanumeric() || c == '_')
                    };
                    !part(before) && !part(after)
                };
                if !sources.match_indices(token).any(|(i, _)| word(i)) {
                    problems.push(format!(
                        "code map: `{token}` is nowhere in {folder}"
                    ));
                }
            }
        }
    }
    folder.clear();
    for token in text.split('`').skip(1).step_by(2) {
        if token.ends_with('/') && text.contains(&format!("**`{token}`")) {
            folder = token.to_string();
        }
        let token = token.trim_end_matches('/');
        let looks_like_path = token.contains('/')
            && !token.contains(' ')
            && !token.starts_with("--")
            && token
                .chars()
                .all(|c| c.is_alphanumeric() || "/._-".contains(c));
        if looks_like_path {
            paths += 1;
            // From the top, or from the folder (or its crate) of the
            // paragraph it is in.
            let krate = folder.trim_end_matches("src/");
            let found = [
                token.to_string(),
                format!("{folder}{token}"),
                format!("{krate}{token}"),
            ]
            .iter()
            .any(|p| root().join(p).exists());
            if !found {
                problems.push(format!(
                    "ARCHITECTURE.md names `{token}`: no such path"
                ));
            }
        }
    }
    assert!(
        paths >= 10 && names >= 60,
        "a thin code map: {paths} paths, {names} names"
    );
    // Each invariant names the test that backs it: `test: name`.
    for name in text
        .split("test: `")
        .skip(1)
        .filter_map(|p| p.split('`').next())
    {
        let found = [
            "tcp-server",
            "tcp-client",
            "udp-server",
            "udp-client",
            "shared",
            "docs",
        ]
        .iter()
        .flat_map(|d| rust_files(d))
        .any(|f| read(&f).contains(&format!("fn {name}(")));
        if !found {
            problems.push(format!("ARCHITECTURE.md backs an invariant with test `{name}`, which does not exist"));
        }
    }
    assert!(problems.is_empty(), "{}", problems.join("\n"));
}
