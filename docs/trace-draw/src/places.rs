//! How the drawing shows an address. An IP address is shown whole, as the
//! trace has it. A Unix socket's path is written absolute in a trace
//! (`/home/ada/sockets/echo.sock`), which would crowd the labels: it is
//! shown by its file name after `.../` (`.../echo.sock`), or by as many of
//! its last parts as tell it apart from the other paths of the trace
//! (`.../a/echo.sock` next to `.../b/echo.sock`). `(unnamed)`, and
//! anything else, is shown as it is.

use crate::event::Event;
use std::collections::{BTreeMap, BTreeSet, HashMap};

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
            .filter(|p| p.starts_with('/'))
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
        let p = places(&[
            "/tmp/a/echo.sock",
            "/tmp/b/echo.sock",
            "/tmp/udp-client-7.sock",
            "/echo.sock",
            "/x/",
            "127.0.0.1:80",
            "(unnamed)",
        ]);
        assert_eq!(p.show("/tmp/a/echo.sock"), ".../a/echo.sock");
        assert_eq!(p.show("/tmp/b/echo.sock"), ".../b/echo.sock");
        assert_eq!(p.show("/tmp/udp-client-7.sock"), ".../udp-client-7.sock");
        // Nothing to leave out, or nothing left: shown whole.
        assert_eq!(p.show("/echo.sock"), "/echo.sock");
        assert_eq!(p.show("/x/"), "/x/");
        assert_eq!(p.show("127.0.0.1:80"), "127.0.0.1:80");
        assert_eq!(p.show("(unnamed)"), "(unnamed)");
        assert_eq!(p.shortened().count(), 3);
    }

    /// One path at the end of another: `/a/echo.sock` has no tail of its
    /// own that `/x/a/echo.sock` lacks, so it is shown whole.
    #[test]
    fn a_path_that_ends_another_is_shown_whole() {
        let p = places(&["/a/echo.sock", "/x/a/echo.sock"]);
        assert_eq!(p.show("/a/echo.sock"), "/a/echo.sock");
        assert_eq!(p.show("/x/a/echo.sock"), ".../a/echo.sock");
    }
}
