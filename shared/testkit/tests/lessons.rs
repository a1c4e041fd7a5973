//! The code is the lesson: the anchored blocks the book shows hold a
//! step's comment and its call, never the program's own plumbing.
#![allow(clippy::unwrap_used, clippy::expect_used)]

use std::fs;
use std::path::{Path, PathBuf};

const BINARIES: [&str; 4] =
    ["tcp-server", "tcp-client", "udp-server", "udp-client"];

/// Every `.rs` file under a binary's `src/`.
fn sources(binary: &str) -> Vec<PathBuf> {
    let dir = Path::new(env!("CARGO_MANIFEST_DIR"))
        .join("../..")
        .join(binary)
        .join("src");
    let mut files: Vec<PathBuf> = fs::read_dir(&dir)
        .unwrap()
        .map(|entry| entry.unwrap().path())
        .filter(|path| path.extension().is_some_and(|e| e == "rs"))
        .collect();
    files.sort();
    files
}

/// The anchored blocks of `text`: (anchor name, first line number, lines).
fn anchored_blocks(text: &str) -> Vec<(String, usize, Vec<&str>)> {
    let mut blocks = Vec::new();
    let mut open: Option<(String, usize, Vec<&str>)> = None;
    for (number, line) in text.lines().enumerate() {
        let trimmed = line.trim();
        if let Some(name) = trimmed.strip_prefix("// ANCHOR: ") {
            open = Some((name.to_string(), number + 1, Vec::new()));
        } else if trimmed.starts_with("// ANCHOR_END:") {
            blocks.extend(open.take());
        } else if let Some((_, _, lines)) = open.as_mut() {
            lines.push(line);
        }
    }
    blocks
}

/// No anchored block in the four binaries mentions the narrator or the
/// console: narration is chained on the call (`.told(…)`) or follows the
/// block.
#[test]
fn anchored_blocks_hold_no_narration() {
    let mut problems = Vec::new();
    let mut blocks = 0;
    for binary in BINARIES {
        for file in sources(binary) {
            let text = fs::read_to_string(&file).unwrap();
            for (name, line, lines) in anchored_blocks(&text) {
                blocks += 1;
                for code in lines.iter().filter(|l| !l.trim().starts_with("//"))
                {
                    if code.contains("narrator") || code.contains("console") {
                        problems.push(format!(
                            "{}:{line} anchor `{name}`: {}",
                            file.display(),
                            code.trim()
                        ));
                    }
                }
            }
        }
    }
    assert!(blocks > 20, "found only {blocks} anchored blocks");
    assert!(
        problems.is_empty(),
        "narration inside anchors:\n{}",
        problems.join("\n")
    );
}

/// Each `main.rs` has fewer lines of narration than lines of code in its
/// anchored lifecycle steps.
#[test]
fn main_files_are_mostly_lifecycle() {
    for binary in BINARIES {
        let path = Path::new(env!("CARGO_MANIFEST_DIR"))
            .join("../..")
            .join(binary)
            .join("src/main.rs");
        let text = fs::read_to_string(&path).unwrap();
        let narration = text
            .lines()
            .filter(|l| !l.trim().starts_with("//"))
            .filter(|l| l.contains("narrator") || l.contains("Narrator"))
            .count();
        let steps: usize = anchored_blocks(&text)
            .iter()
            .map(|(_, _, lines)| {
                lines.iter().filter(|l| !l.trim().starts_with("//")).count()
            })
            .sum();
        assert!(
            narration < steps,
            "{binary}: {narration} narration lines, {steps} lines of steps"
        );
    }
}
