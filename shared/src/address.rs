//! Parsing the `ADDRESS` argument every program takes.
//!
//! A user may give any part of an address and leave the rest to the
//! program's defaults:
//!
//! | input            | host        | port    |
//! |------------------|-------------|---------|
//! | `localhost`      | `localhost` | default |
//! | `10.0.0.1:80`    | `10.0.0.1`  | 80      |
//! | `:8080`, `8080`  | default     | 8080    |
//! | `[::1]:80`       | `::1`       | 80      |
//! | `::1`, `[::1]`   | `::1`       | default |
//!
//! An address with a `/` in it, or one that starts with `unix:`, is a path
//! in the file system instead: a Unix domain socket (`./echo.sock`,
//! `/tmp/echo.sock`, `unix:echo.sock`). See [`Address`].
//!
//! Parsing never touches the network: resolving a name such as `localhost`
//! is a lifecycle step of its own, done by the client in plain sight.

use std::fmt;
use std::net::{IpAddr, Ipv4Addr, Ipv6Addr, SocketAddr};
use std::path::PathBuf;
use std::str::FromStr;

/// The longest path a Unix domain socket can be bound to: `sun_path` holds
/// 108 bytes on Linux, the last of them a NUL.
pub const MAX_PATH: usize = 107;

/// What an `ADDRESS` argument names: an Internet host and port, or the path
/// of a Unix domain socket.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Address {
    /// `HOST:PORT` and its shorter forms (the families `AF_INET` and
    /// `AF_INET6`).
    Net(PartialAddress),
    /// `unix:PATH`, or any address with a `/` in it (the family `AF_UNIX`).
    Unix(PathBuf),
}

impl FromStr for Address {
    type Err = AddressError;

    fn from_str(input: &str) -> Result<Self, AddressError> {
        let path = match input.strip_prefix("unix:") {
            Some(path) => path,
            None if input.contains('/') => input,
            None => return PartialAddress::from_str(input).map(Self::Net),
        };
        // `unix:echo.sock` is `./echo.sock`: shown with its slash, a path
        // never reads as a host name.
        let path = match path.contains('/') {
            true => path.to_string(),
            false if path.is_empty() => return Err(AddressError::PathMissing),
            false => format!("./{path}"),
        };
        match path.len() {
            n if n > MAX_PATH => Err(AddressError::PathTooLong(n)),
            _ => Ok(Self::Unix(PathBuf::from(path))),
        }
    }
}

/// The host part of an address: an IP literal or a name to resolve.
#[derive(Debug, Clone, PartialEq, Eq, Hash)]
pub enum Host {
    /// An IPv4 or IPv6 literal such as `127.0.0.1` or `::1`.
    Ip(IpAddr),
    /// A name such as `localhost`, resolved later by the operating system.
    Name(String),
}

/// A complete address: a host and a port.
#[derive(Debug, Clone, PartialEq, Eq, Hash)]
pub struct Endpoint {
    pub host: Host,
    pub port: u16,
}

/// What the user typed: either part may be missing.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct PartialAddress {
    pub host: Option<Host>,
    pub port: Option<u16>,
}

/// Why an address could not be parsed.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum AddressError {
    /// Nothing was given.
    Empty,
    /// The port part is not a number, such as `abc` in `host:abc`.
    PortNotANumber(String),
    /// The port is a number above 65535.
    PortOutOfRange(String),
    /// A colon with nothing after it, as in `localhost:`.
    PortMissing,
    /// An opening `[` without its `]`.
    UnclosedBracket,
    /// Something after `]` that is not `:PORT`.
    JunkAfterBracket(String),
    /// Brackets around something that is not an IPv6 literal.
    NotIpv6(String),
    /// A host name with characters no host name can have.
    InvalidHost(String),
    /// A bare IPv6 address whose last group could be a port: `::1:5000`
    /// (the address ::1 and port 5000?). The two parts.
    AmbiguousIpv6(String, String),
    /// A bare IPv6 address followed by a port that cannot be a group of
    /// the address: `::1:10888`. The two parts.
    Ipv6PortNeedsBrackets(String, String),
    /// `unix:` with no path after it.
    PathMissing,
    /// A socket path longer than [`MAX_PATH`] bytes: its length.
    PathTooLong(usize),
}

impl fmt::Display for AddressError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Self::Empty => write!(f, "the address is empty"),
            Self::PortNotANumber(p) => write!(f, "port `{p}` is not a number"),
            Self::PortOutOfRange(p) => {
                write!(f, "port {p} is out of range (ports go from 0 to 65535)")
            }
            Self::PortMissing => write!(f, "a `:` must be followed by a port"),
            Self::UnclosedBracket => {
                write!(f, "`[` is never closed (write IPv6 as [::1]:PORT)")
            }
            Self::JunkAfterBracket(rest) => {
                write!(f, "`{rest}` after `]` should be `:PORT`")
            }
            Self::NotIpv6(inner) => write!(
                f,
                "`{inner}` is not an IPv6 address (only IPv6 goes in brackets)"
            ),
            Self::InvalidHost(h) => write!(
                f,
                "`{h}` is not a valid host name or IP address \
                 (try localhost or 127.0.0.1)"
            ),
            Self::AmbiguousIpv6(ip, port) => write!(
                f,
                "`{ip}:{port}` could be an IPv6 address or {ip} with port \
                 {port}: write [{ip}]:{port} for the port, [{ip}:{port}] for \
                 the address"
            ),
            Self::Ipv6PortNeedsBrackets(ip, port) => write!(
                f,
                "`{ip}:{port}`: with a port, an IPv6 address goes in \
                 brackets: write [{ip}]:{port}"
            ),
            Self::PathMissing => {
                write!(f, "`unix:` must be followed by a path (unix:echo.sock)")
            }
            Self::PathTooLong(n) => write!(
                f,
                "the socket path is {n} bytes long, and a Unix socket's path \
                 can have at most {MAX_PATH}: use a shorter one, such as \
                 /tmp/echo.sock"
            ),
        }
    }
}

impl std::error::Error for AddressError {}

impl PartialAddress {
    /// Fills the missing parts from `defaults`.
    pub fn or(self, defaults: Endpoint) -> Endpoint {
        Endpoint {
            host: self.host.unwrap_or(defaults.host),
            port: self.port.unwrap_or(defaults.port),
        }
    }
}

impl FromStr for PartialAddress {
    type Err = AddressError;

    fn from_str(input: &str) -> Result<Self, AddressError> {
        let input = input.trim();
        if input.is_empty() {
            return Err(AddressError::Empty);
        }
        // `[IPV6]` or `[IPV6]:PORT`.
        if let Some(rest) = input.strip_prefix('[') {
            let (inner, after) =
                rest.split_once(']').ok_or(AddressError::UnclosedBracket)?;
            let ip = Ipv6Addr::from_str(inner)
                .map_err(|_| AddressError::NotIpv6(inner.to_string()))?;
            let port = match after.strip_prefix(':') {
                _ if after.is_empty() => None,
                Some(port) => Some(parse_port(port)?),
                None => {
                    return Err(AddressError::JunkAfterBracket(after.into()));
                }
            };
            let host = Some(Host::Ip(IpAddr::V6(ip)));
            return Ok(Self { host, port });
        }
        // A bare IPv6 literal has two or more colons: `::1`, `fe80::1`.
        if input.matches(':').count() >= 2 {
            let ip = Ipv6Addr::from_str(input).map_err(|_| {
                match ipv6_and_port(input) {
                    // `::1:10888`: 10888 is no group (five digits), so a
                    // port was meant, and brackets were forgotten.
                    Some((ip, port)) => AddressError::Ipv6PortNeedsBrackets(
                        ip.to_string(),
                        port.to_string(),
                    ),
                    None => AddressError::InvalidHost(input.to_string()),
                }
            })?;
            // `::1:5000` is an address, but more likely ::1 and a port.
            if let Some((head, last)) = ipv6_and_port(input) {
                return Err(AddressError::AmbiguousIpv6(
                    head.to_string(),
                    last.to_string(),
                ));
            }
            let host = Some(Host::Ip(IpAddr::V6(ip)));
            return Ok(Self { host, port: None });
        }
        // `PORT` alone: all digits.
        if input.bytes().all(|b| b.is_ascii_digit()) {
            return Ok(Self {
                host: None,
                port: Some(parse_port(input)?),
            });
        }
        // `HOST`, `HOST:PORT` or `:PORT`.
        let (host, port) = match input.split_once(':') {
            Some((host, port)) => (host, Some(parse_port(port)?)),
            None => (input, None),
        };
        let host = match host {
            "" => None,
            _ => Some(Host::from_str(host)?),
        };
        Ok(Self { host, port })
    }
}

/// `input` split at its last colon when the part before is an IPv6
/// address and the part after is all digits, as in `::1:5000`.
fn ipv6_and_port(input: &str) -> Option<(&str, &str)> {
    let (head, last) = input.rsplit_once(':')?;
    let digits = !last.is_empty() && last.bytes().all(|b| b.is_ascii_digit());
    (digits && Ipv6Addr::from_str(head).is_ok()).then_some((head, last))
}

fn parse_port(text: &str) -> Result<u16, AddressError> {
    if text.is_empty() {
        return Err(AddressError::PortMissing);
    }
    if !text.bytes().all(|b| b.is_ascii_digit()) {
        return Err(AddressError::PortNotANumber(text.to_string()));
    }
    text.parse()
        .map_err(|_| AddressError::PortOutOfRange(text.to_string()))
}

impl FromStr for Host {
    type Err = AddressError;

    /// Parses an IP literal, or else checks that `text` could be a host
    /// name (letters, digits, `-`, `_` and dots, at most 253 characters).
    fn from_str(text: &str) -> Result<Self, AddressError> {
        if let Ok(ip) = IpAddr::from_str(text) {
            return Ok(Host::Ip(ip));
        }
        let allowed =
            |c: char| c.is_ascii_alphanumeric() || matches!(c, '-' | '.' | '_');
        let looks_like_a_name = !text.is_empty()
            && text.len() <= 253
            && text.chars().all(allowed)
            && !text.starts_with(['.', '-'])
            && !text.contains("..");
        if looks_like_a_name {
            Ok(Host::Name(text.to_string()))
        } else {
            Err(AddressError::InvalidHost(text.to_string()))
        }
    }
}

impl Endpoint {
    /// An endpoint from a host literal and a port; used for defaults.
    pub fn new(host: Host, port: u16) -> Self {
        Self { host, port }
    }

    /// The host as text, without brackets: what name resolution takes.
    pub fn host_text(&self) -> String {
        match &self.host {
            Host::Ip(ip) => ip.to_string(),
            Host::Name(name) => name.clone(),
        }
    }
}

impl fmt::Display for Host {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Host::Ip(IpAddr::V6(ip)) => write!(f, "[{ip}]"),
            Host::Ip(IpAddr::V4(ip)) => write!(f, "{ip}"),
            Host::Name(name) => write!(f, "{name}"),
        }
    }
}

impl fmt::Display for Endpoint {
    /// Writes `host:port`, with IPv6 in brackets: `[::1]:3000`.
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{}:{}", self.host, self.port)
    }
}

/// Where this machine reaches a socket bound to `local`: the same address,
/// but loopback instead of "every interface" (0.0.0.0 or ::).
pub fn reachable(local: SocketAddr) -> SocketAddr {
    let ip = match local.ip() {
        IpAddr::V4(ip) if ip.is_unspecified() => Ipv4Addr::LOCALHOST.into(),
        IpAddr::V6(ip) if ip.is_unspecified() => Ipv6Addr::LOCALHOST.into(),
        ip => ip,
    };
    SocketAddr::new(ip, local.port())
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::net::Ipv4Addr;

    #[test]
    fn a_slash_or_unix_prefix_makes_a_socket_path() {
        let unix = |p: &str| Ok(Address::Unix(PathBuf::from(p)));
        assert_eq!("./echo.sock".parse(), unix("./echo.sock"));
        assert_eq!("/tmp/echo.sock".parse(), unix("/tmp/echo.sock"));
        assert_eq!("unix:echo.sock".parse(), unix("./echo.sock"));
        assert_eq!("unix:".parse::<Address>(), Err(AddressError::PathMissing));
        let net = "localhost:80".parse::<Address>();
        assert!(matches!(net, Ok(Address::Net(_))), "{net:?}");
        // A host name has no slash: `echo.sock` alone is a name.
        assert!(matches!("echo.sock".parse(), Ok(Address::Net(_))));
    }

    #[test]
    fn a_path_must_fit_sun_path() {
        let longest = format!("/{}", "a".repeat(MAX_PATH - 1));
        assert!(longest.parse::<Address>().is_ok());
        let too_long = format!("{longest}b");
        let error = too_long.parse::<Address>();
        assert_eq!(error, Err(AddressError::PathTooLong(108)));
        let message = error.map_or_else(|e| e.to_string(), |_| String::new());
        assert!(message.contains("at most 107"), "{message}");
    }

    fn defaults() -> Endpoint {
        Endpoint::new(Host::Ip(IpAddr::V4(Ipv4Addr::LOCALHOST)), 10888)
    }

    fn full(input: &str) -> Endpoint {
        match input.parse::<PartialAddress>() {
            Ok(partial) => partial.or(defaults()),
            Err(e) => panic!("{input:?} should parse: {e}"),
        }
    }

    /// Every accepted form fills in the parts it leaves out.
    #[test]
    fn accepted_forms() {
        let v4 = |a, b, c, d| Host::Ip(IpAddr::V4(Ipv4Addr::new(a, b, c, d)));
        let v6_loop = Host::Ip(IpAddr::V6(Ipv6Addr::LOCALHOST));
        // a::b:c
        let v6 = |a, b, c| {
            Host::Ip(IpAddr::V6(Ipv6Addr::new(a, 0, 0, 0, 0, 0, b, c)))
        };
        let name = |n: &str| Host::Name(n.to_string());
        let cases = [
            ("localhost", name("localhost"), 10888),
            ("localhost:80", name("localhost"), 80),
            ("10.1.2.3", v4(10, 1, 2, 3), 10888),
            ("0.0.0.0:0", v4(0, 0, 0, 0), 0),
            (":8080", v4(127, 0, 0, 1), 8080),
            ("8080", v4(127, 0, 0, 1), 8080),
            ("[::1]:3000", v6_loop.clone(), 3000),
            ("[::1]", v6_loop.clone(), 10888),
            ("::1", v6_loop, 10888),
            // Not ambiguous: `fe80:` is no address, `beef` no port.
            ("fe80::1", v6(0xfe80, 0, 1), 10888),
            ("::1:beef", v6(0, 1, 0xbeef), 10888),
            ("[::1:5000]", v6(0, 1, 0x5000), 10888),
            ("my-host.example_1", name("my-host.example_1"), 10888),
        ];
        for (input, host, port) in cases {
            assert_eq!(full(input), Endpoint { host, port }, "input {input:?}");
        }
    }

    /// Each malformed input gets its own error.
    #[test]
    fn rejected_forms() {
        use AddressError::*;
        let cases = [
            ("", Empty),
            ("   ", Empty),
            (":99999", PortOutOfRange("99999".into())),
            ("65536", PortOutOfRange("65536".into())),
            ("host:abc", PortNotANumber("abc".into())),
            ("host:", PortMissing),
            ("[::1", UnclosedBracket),
            ("[::1]x", JunkAfterBracket("x".into())),
            ("[127.0.0.1]:80", NotIpv6("127.0.0.1".into())),
            ("a:b:c", InvalidHost("a:b:c".into())),
            ("bad host", InvalidHost("bad host".into())),
            ("-x", InvalidHost("-x".into())),
            ("::1:5000", AmbiguousIpv6("::1".into(), "5000".into())),
            ("fe80::1:80", AmbiguousIpv6("fe80::1".into(), "80".into())),
            (
                "::1:10888",
                Ipv6PortNeedsBrackets("::1".into(), "10888".into()),
            ),
            (
                "fe80::1:99999",
                Ipv6PortNeedsBrackets("fe80::1".into(), "99999".into()),
            ),
            ("::1:x", InvalidHost("::1:x".into())),
        ];
        for (input, expected) in cases {
            assert_eq!(
                input.parse::<PartialAddress>(),
                Err(expected),
                "input {input:?}"
            );
        }
    }

    /// An IPv6 address with a port but no brackets is told the form that
    /// was meant, as the README promises.
    #[test]
    fn ipv6_with_a_port_gets_the_bracket_hint() {
        let error_of = |input: &str| match input.parse::<PartialAddress>() {
            Ok(parsed) => panic!("{input:?} parsed as {parsed:?}"),
            Err(e) => e.to_string(),
        };
        assert_eq!(
            error_of("::1:10888"),
            "`::1:10888`: with a port, an IPv6 address goes in brackets: \
             write [::1]:10888"
        );
        let error = error_of("::1:5000");
        assert!(error.contains("write [::1]:5000"), "{error}");
    }

    /// IPv6 endpoints print in brackets so that they parse back.
    #[test]
    fn display_brackets_ipv6() {
        assert_eq!(full("[::1]:5").to_string(), "[::1]:5");
        assert_eq!(full("localhost:5").to_string(), "localhost:5");
        assert_eq!(full("[::1]:5").host_text(), "::1");
    }
}
