//! Where a socket is, as narration, errors and traces show it: an IP
//! address and port, or a Unix domain socket's path.

use std::fmt;
use std::net::SocketAddr;
use std::path::{Path, PathBuf};

/// A socket's address in either family.
#[derive(Debug, Clone, PartialEq, Eq, Hash)]
pub enum Place {
    /// `AF_INET` or `AF_INET6`: an IP address and a port.
    Inet(SocketAddr),
    /// `AF_UNIX`: the path the socket is bound to.
    Path(PathBuf),
    /// `AF_UNIX` with no path: a socket nobody bound (a stream client's,
    /// as a rule). Nothing can be sent *to* it but over its connection.
    Unnamed,
}

/// How an unnamed Unix socket is shown.
pub const UNNAMED: &str = "(unnamed)";

impl Place {
    /// The path of a Unix socket, `None` for an unnamed one.
    pub fn unix(path: Option<&Path>) -> Self {
        path.map_or(Place::Unnamed, |p| Place::Path(p.to_path_buf()))
    }

    /// The IP address and port, for the Internet families.
    pub fn inet(&self) -> Option<SocketAddr> {
        match self {
            Place::Inet(address) => Some(*address),
            _ => None,
        }
    }

    /// Reads back what [`Place`]'s `Display` wrote (a trace's field).
    pub fn parse(text: &str) -> Option<Self> {
        if let Ok(address) = text.parse::<SocketAddr>() {
            return Some(Place::Inet(address));
        }
        match text {
            UNNAMED => Some(Place::Unnamed),
            _ if text.contains('/') => Some(Place::Path(text.into())),
            _ => None,
        }
    }
}

impl From<SocketAddr> for Place {
    fn from(address: SocketAddr) -> Self {
        Place::Inet(address)
    }
}

impl fmt::Display for Place {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Place::Inet(address) => write!(f, "{address}"),
            // A path is shown the way the user typed it; a relative path
            // keeps its `./`, so that it still reads as a path.
            Place::Path(path) => {
                let text = path.to_string_lossy();
                f.write_str(&shared::text::render(text.as_bytes()))
            }
            Place::Unnamed => f.write_str(UNNAMED),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_place_reads_back_from_its_text() {
        let places = [
            Place::Inet(([127, 0, 0, 1], 10888).into()),
            Place::Inet((std::net::Ipv6Addr::LOCALHOST, 3000).into()),
            Place::Path("./echo.sock".into()),
            Place::Path("/tmp/echo.sock".into()),
            Place::Unnamed,
        ];
        for place in places {
            assert_eq!(Place::parse(&place.to_string()), Some(place.clone()));
        }
        assert_eq!(Place::parse("localhost"), None);
    }
}
