//! The lesson harness is linked by every program and by the trace drawer:
//! it names no line editor, no signal handling and no socket crate.
#![allow(clippy::unwrap_used, clippy::expect_used)]

/// The crates named in the `[dependencies]` table of this crate's manifest.
fn dependencies() -> Vec<String> {
    let manifest = include_str!("../Cargo.toml");
    let mut names = Vec::new();
    let mut inside = false;
    for line in manifest.lines().map(str::trim) {
        if line.starts_with('[') {
            inside =
                line == "[dependencies]" || line.ends_with(".dependencies]");
            continue;
        }
        if inside && let Some((name, _)) = line.split_once(['=', '.']) {
            names.push(name.trim().to_string());
        }
    }
    names
}

#[test]
fn lesson_links_no_editor_signals_or_sockets() {
    let names = dependencies();
    assert!(names.contains(&"clap".to_string()), "parsed: {names:?}");
    for banned in ["rustyline", "ctrlc", "nix", "socket2", "libc"] {
        assert!(
            !names.iter().any(|n| n == banned),
            "shared/lesson depends on {banned}: {names:?}"
        );
    }
}
