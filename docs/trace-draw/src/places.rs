//! How the drawing shows an address. An IP address is shown whole, as the
//! trace has it. A Unix socket's path is written absolute in a trace; a
//! short one (up to [`WHOLE`] characters, `/tmp/echo.sock`) is shown
//! whole too, but a long one (`/home/ada/projects/sockets/echo.sock`)
//! would crowd the labels: it is shown by its file name after `.../`
//! (`.../echo.sock`), or by as many of its last parts as tell it apart
//! from the other long paths of the trace (`.../a/echo.sock` next to
//! `.../b/echo.sock`). `(unnamed)`, and anything else, is shown as it is.

use crate::event::Event;
use std::collections::{BTreeMap, BTreeSet, HashMap};

/// The longest path shown whole: a little longer than the longest IPv4
/// address and port, `255.255.255.255:65535`.
pub(crate) const WHOLE: usize = 32;

/// The short form of each path of a trace that has one.
#[derive(Debug, Default)]
pub(crate) struct Places {
    short: BTreeMap<String, String>,
}

impl Places {
    pub fn of(events: &[Event]) -> Self {
        let paths: BTreeSet<&str> = events
            .iter()
            .flat_map(|e| [e.local.as_deref(), e.peer.as_deref()])
            .flatten()
            .filter(|p| p.starts_with('/') && p.chars().count() > WHOLE)
            .collect();
        // How many paths end in each tail (`echo.sock`, `x/echo.sock`).
        let mut ending: HashMap<&str, usize> = HashMap::new();
        for path in &paths {
            for tail in tails(path) {
                *ending.entry(tail).or_default() += 1;
            }
        }
        let mut short = BTreeMap::new();
        for path in paths {
            let unique = tails(path).find(|tail| ending[tail] == 1);
            if let Some(tail) = unique.filter(|t| !t.is_empty()) {
                short.insert(path.to_string(), format!(".../{tail}"));
            }
        }
        Self { short }
    }

    /// How the drawing shows `place`.
    pub fn show<'a>(&'a self, place: &'a str) -> &'a str {
        self.short.get(place).map_or(place, String::as_str)
    }

    /// The paths shown shortened, and how: (whole, short), by whole path.
    pub fn shortened(&self) -> impl Iterator<Item = (&str, &str)> {
        self.short.iter().map(|(w, s)| (w.as_str(), s.as_str()))
    }

    /// Forgets the paths that none of `events` names (the short forms of
    /// the others stay as they were).
    pub fn keep_only(&mut self, events: &[Event]) {
        let named: BTreeSet<&str> = events
            .iter()
            .flat_map(|e| [e.local.as_deref(), e.peer.as_deref()])
            .flatten()
            .collect();
        self.short.retain(|whole, _| named.contains(whole.as_str()));
    }
}

/// The tails of an absolute path that leave out at least its first
/// folder, shortest first: `/a/b/c` has `c` and `b/c`.
fn tails(path: &str) -> impl Iterator<Item = &str> {
    let inner = &path[1..];
    inner
        .rmatch_indices('/')
        .map(move |(at, _)| &inner[at + 1..])
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::event::Step;

    fn places(all: &[&str]) -> Places {
        let events: Vec<Event> = all
            .iter()
            .map(|p| Event {
                ts: 0,
                start: None,
                prog: "tcp-server".into(),
                pid: 1,
                thread: "main".into(),
                step: Step::Bind,
                local: Some(p.to_string()),
                peer: None,
                conn: None,
                bytes: None,
                offset: None,
                digest: None,
                error: None,
            })
            .collect();
        Places::of(&events)
    }

    #[test]
    fn a_path_is_shown_by_what_tells_it_apart() {
        let long = "/home/ada/projects/socket-lessons";
        let (a, b) =
            (format!("{long}/a/echo.sock"), format!("{long}/b/echo.sock"));
        let client = format!("{long}/udp-client-7.sock");
        let slash = format!("{long}/");
        let p = places(&[
            &a,
            &b,
            &client,
            &slash,
            "/tmp/udp-client-7.sock",
            "/",
            "@a-linux-abstract-name-longer-than-32",
            "127.0.0.1:80",
            "(unnamed)",
        ]);
        assert_eq!(p.show(&a), ".../a/echo.sock");
        assert_eq!(p.show(&b), ".../b/echo.sock");
        assert_eq!(p.show(&client), ".../udp-client-7.sock");
        // Short, or nothing left: shown whole.
        assert_eq!(p.show("/tmp/udp-client-7.sock"), "/tmp/udp-client-7.sock");
        assert_eq!(p.show(&slash), slash);
        assert_eq!(p.show("/"), "/");
        let abstract_name = "@a-linux-abstract-name-longer-than-32";
        assert_eq!(p.show(abstract_name), abstract_name);
        assert_eq!(p.show("127.0.0.1:80"), "127.0.0.1:80");
        assert_eq!(p.show("(unnamed)"), "(unnamed)");
        assert_eq!(p.shortened().count(), 3);
    }

    /// One path at the end of another: `/a/.../echo.sock` has no tail of
    /// its own that `/x/a/.../echo.sock` lacks, so it is shown whole.
    #[test]
    fn a_path_that_ends_another_is_shown_whole() {
        let inner = "/a/long-folder-name-for-sockets/echo.sock";
        let outer = format!("/x{inner}");
        let p = places(&[inner, &outer]);
        assert_eq!(p.show(inner), inner);
        assert_eq!(
            p.show(&outer),
            ".../a/long-folder-name-for-sockets/echo.sock"
        );
    }
}
