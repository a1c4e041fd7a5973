//! The book cannot drift from the code: every `{{#include}}` in docs/src
//! names a file that exists, and every anchor it names is in that file.
//! (mdBook itself only warns about a missing anchor.)
#![allow(clippy::unwrap_used, clippy::expect_used)]

use std::fs;
use std::path::{Path, PathBuf};

fn book_src() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("../../docs/src")
}

fn book_pages(dir: &Path, pages: &mut Vec<PathBuf>) {
    for entry in fs::read_dir(dir).unwrap() {
        let path = entry.unwrap().path();
        if path.is_dir() {
            book_pages(&path, pages);
        } else if path.extension().is_some_and(|e| e == "md") {
            pages.push(path);
        }
    }
}

/// Every `{{#include path:anchor}}` resolves to an existing file and
/// anchor, and every page is reachable from SUMMARY.md.
#[test]
fn every_include_names_an_existing_file_and_anchor() {
    let src = book_src();
    let mut pages = Vec::new();
    book_pages(&src, &mut pages);
    assert!(pages.len() > 10, "the book has its pages");
    let mut includes = 0;
    let mut problems = Vec::new();
    for page in &pages {
        let text = fs::read_to_string(page).unwrap();
        for piece in text.split("{{#").skip(1) {
            let Some(directive) = piece.split("}}").next() else {
                continue;
            };
            let mut words = directive.split_whitespace();
            let kind = words.next().unwrap_or("");
            if !matches!(kind, "include" | "rustdoc_include") {
                continue;
            }
            includes += 1;
            let target = words.next().unwrap_or("");
            let (file, anchor) = match target.split_once(':') {
                Some((file, anchor)) => (file, Some(anchor)),
                None => (target, None),
            };
            let path = page.parent().unwrap().join(file);
            let Ok(source) = fs::read_to_string(&path) else {
                problems.push(format!("{}: no file {file}", page.display()));
                continue;
            };
            // A line range (`:3:5`) is not an anchor.
            let anchor =
                anchor.filter(|a| !a.starts_with(|c: char| c.is_ascii_digit()));
            if let Some(anchor) = anchor {
                let opens = source.contains(&format!("ANCHOR: {anchor}\n"));
                let closes =
                    source.contains(&format!("ANCHOR_END: {anchor}\n"));
                if !(opens && closes) {
                    problems.push(format!(
                        "{}: no anchor {anchor} in {file}",
                        page.display()
                    ));
                }
            }
        }
    }
    assert!(
        problems.is_empty(),
        "broken includes:\n{}",
        problems.join("\n")
    );
    assert!(includes > 40, "only {includes} includes found");

    let summary = fs::read_to_string(src.join("SUMMARY.md")).unwrap();
    for page in &pages {
        let relative = page.strip_prefix(&src).unwrap();
        let relative = relative.to_string_lossy().replace('\\', "/");
        if relative != "SUMMARY.md" {
            assert!(
                summary.contains(&format!("({relative})")),
                "{relative} is not in SUMMARY.md"
            );
        }
    }
}

/// Numbers the book teaches are the right ones.
#[test]
fn numbers_in_the_book_are_right() {
    let src = book_src();
    let udp = fs::read_to_string(src.join("udp.md")).unwrap();
    assert!(udp.contains("65,507") && !udp.contains("65,536"));
    // The program refuses exactly what the book says: 65,508 bytes is one
    // too many for a datagram over IPv4, 65,507 goes out.
    let client = testkit::workspace_bin("udp-client");
    let server = std::net::UdpSocket::bind("127.0.0.1:0").unwrap();
    let addr = server.local_addr().unwrap().to_string();
    for (size, refused) in [(65_508, true), (65_507, false)] {
        let mut line = vec![b'z'; size];
        line.push(b'\n');
        let args = [&addr[..], "--message", "", "--timeout", "0.1"];
        let (_, _, stderr) = testkit::run(&client, &args, &line);
        let says = "one UDP datagram carries at most 65507 bytes";
        assert_eq!(stderr.contains(says), refused, "{size}: {stderr}");
    }
    let listen = fs::read_to_string(src.join("tcp-server/listen.md")).unwrap();
    assert!(listen.contains("not a limit on how many clients"));
}

/// Every listing of the project's code says which file it comes from, in
/// a caption right above it, as the Rust Book does.
#[test]
fn every_listing_names_its_file() {
    let src = book_src();
    let mut pages = Vec::new();
    book_pages(&src, &mut pages);
    let mut listings = 0;
    let mut problems = Vec::new();
    for page in &pages {
        let text = fs::read_to_string(page).unwrap();
        let lines: Vec<&str> = text.lines().collect();
        for (i, line) in lines.iter().enumerate() {
            let Some(include) = line.trim().strip_prefix("{{#include ") else {
                continue;
            };
            let path = include.trim_end_matches("}}");
            let path = path.split(':').next().unwrap();
            if !path.ends_with(".rs") {
                continue;
            }
            listings += 1;
            let file = path.trim_start_matches("../");
            let caption =
                format!("<span class=\"filename\">Filename: {file}</span>");
            let above = &lines[i.saturating_sub(3)..i];
            if !above.contains(&caption.as_str()) {
                problems.push(format!("{}:{}: {file}", page.display(), i + 1));
            }
        }
    }
    assert!(listings > 30, "only {listings} listings found");
    assert!(
        problems.is_empty(),
        "listings without a file name:\n{}",
        problems.join("\n")
    );
}
