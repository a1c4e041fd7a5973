//! The C10k lab, measured: `tcp-server --poll` (one thread, an event loop)
//! against `--threaded` (a thread per client) and a minimal std
//! thread-per-connection echo, in one run, on loopback.
//!
//! 1. Held connections: N clients connected at once, each echoed once;
//!    the server's peak RSS, RSS per client, threads, and the time to echo
//!    all N. N from `C10K_HELD` (default `100,1000,10000`).
//! 2. 100 clients × 200 round trips of 64 bytes, timed from when each
//!    client has had a first echo.
//! 3. A bulk echo of `C10K_BULK_MB` MiB (default 1024), every byte checked.
//!
//! With `taskset` installed and 2 or more cores, servers run on core 0 and
//! this load on core 1 (unpinned numbers vary a lot run to run). Run with
//! `cargo bench -p tcp-server --bench c10k`; `C10K_REPEAT` (default 5)
//! repetitions (three times as many of the short round trips), the designs
//! taking turns in each. A ratio is given twice: from the best turns, and
//! as the median of each repetition's own ratio (steadier on a busy machine).
#![allow(clippy::unwrap_used, clippy::expect_used)]

mod support;

use support::Load;

use std::io::{BufRead, BufReader, Read, Write};
use std::net::{SocketAddr, TcpStream};
use std::process::{Child, Stdio};
use std::sync::{Arc, Barrier};
use std::thread;
use std::time::{Duration, Instant};

const BIN: &str = env!("CARGO_BIN_EXE_tcp-server");

#[derive(Debug, Clone, Copy, PartialEq)]
enum Design {
    Poll,
    Threaded,
    MinimalStd,
}

impl Design {
    fn name(self) -> &'static str {
        match self {
            Design::Poll => "tcp-server --poll",
            Design::Threaded => "tcp-server --threaded",
            Design::MinimalStd => "minimal std echo",
        }
    }
}

/// One server under test, in a process of its own.
struct Server {
    child: Child,
    addr: SocketAddr,
}

impl Server {
    fn start(design: Design, buffer: usize) -> Server {
        let mut command = match design {
            Design::MinimalStd => support::std_echo_command(buffer),
            Design::Poll | Design::Threaded => {
                let flag = match design {
                    Design::Poll => "--poll",
                    _ => "--threaded",
                };
                let mut command = support::on_server_core(BIN);
                command.args([":0", flag, "--max-clients", "100000"]);
                command.args(["--backlog", "4096"]);
                command.args(["--buffer", &buffer.to_string()]);
                command
            }
        };
        let mut child = command
            .env("NO_COLOR", "1")
            .stdout(Stdio::null())
            .stderr(Stdio::piped())
            .spawn()
            .unwrap();
        let mut stderr = BufReader::new(child.stderr.take().unwrap());
        let mut line = String::new();
        stderr.read_line(&mut line).unwrap();
        let addr = testkit::listening_addr_in(&line)
            .unwrap_or_else(|| panic!("no address in {line:?}"));
        // Keep reading its status lines so the pipe never fills up.
        thread::spawn(move || std::io::copy(&mut stderr, &mut std::io::sink()));
        Server { child, addr }
    }

    /// Its threads and open files now.
    fn load(&self) -> Load {
        Load::of(self.child.id())
    }

    /// Waits (at most `limit`) until `ready` holds for its load.
    fn wait_for(
        &self,
        what: &str,
        limit: Duration,
        ready: impl Fn(Load) -> bool,
    ) {
        support::wait_for(self.child.id(), what, limit, ready);
    }

    /// Waits until the server is back to its load at `rest`.
    fn settle(&self, rest: Load) {
        support::settle(self.child.id(), rest);
    }

    /// A line of /proc/PID/status: `VmRSS`, `VmHWM` (KiB), `Threads`.
    fn status(&self, key: &str) -> u64 {
        support::status(self.child.id(), key)
    }
}

impl Drop for Server {
    fn drop(&mut self) {
        let _ = self.child.kill();
        let _ = self.child.wait();
    }
}

fn connect(addr: SocketAddr) -> TcpStream {
    let mut attempts = 0;
    let stream = loop {
        match TcpStream::connect(addr) {
            Ok(stream) => break stream,
            // A burst of connects can get EAGAIN here: try again, bounded.
            Err(e) if attempts < 1000 => {
                attempts += 1;
                if attempts % 100 == 0 {
                    eprintln!("  connect: {e}, trying again");
                }
                thread::sleep(Duration::from_millis(5));
            }
            Err(e) => panic!("connect {addr}: {e}"),
        }
    };
    stream.set_nodelay(true).unwrap();
    stream
        .set_read_timeout(Some(Duration::from_secs(20)))
        .unwrap();
    stream
}

/// What holding `n` clients cost a server.
struct Held {
    peak_mib: f64,
    per_client_kib: f64,
    threads: u64,
    echo_all: Duration,
}

/// `n` clients connect and stay; then each sends one message and reads
/// its echo, all messages out before any echo is read. A design that
/// cannot hold `n` says why instead.
fn hold(design: Design, n: usize) -> Result<Held, String> {
    let server = Server::start(design, 1024);
    let base = server.status("VmRSS:");
    let rest = server.load();
    let mut streams: Vec<TcpStream> =
        (0..n).map(|_| connect(server.addr)).collect();
    // The clock starts once the server has every connection (and, with a
    // thread each, every thread): it times the echo, not accept().
    let threads = match design {
        Design::Poll => 0,
        _ => n,
    };
    server.wait_for("all accepted", Duration::from_secs(20), |now| {
        now.files >= rest.files + n && now.threads >= rest.threads + threads
    });
    let start = Instant::now();
    for (i, stream) in streams.iter_mut().enumerate() {
        let message = format!("client {i:>6}");
        stream
            .write_all(message.as_bytes())
            .map_err(|e| format!("send to client {i}: {e}"))?;
    }
    for (i, stream) in streams.iter_mut().enumerate() {
        let mut back = [0; 13];
        stream
            .read_exact(&mut back)
            .map_err(|e| format!("echo of client {i}: {e}"))?;
        assert_eq!(&back[..], format!("client {i:>6}").as_bytes());
    }
    let echo_all = start.elapsed();
    let peak = server.status("VmHWM:");
    let threads = server.status("Threads:");
    drop(streams);
    Ok(Held {
        peak_mib: peak as f64 / 1024.0,
        per_client_kib: peak.saturating_sub(base) as f64 / n as f64,
        threads,
        echo_all,
    })
}

/// What each client sends: a line a student would type, 64 bytes. (Bytes
/// a server must escape to print cost it more: 64 control bytes, each
/// shown as `\xNN`, make `--threaded` some 20 % slower.)
const LINE: &[u8; 64] =
    "你好! a line a student types; 100 clients send it 200 times!!\n"
        .as_bytes()
        .first_chunk()
        .unwrap();

/// 100 clients at once, 200 round trips of 64 bytes each. The clock
/// starts once every client has had a first echo: it measures messages,
/// not accept() and the start of a handler (the held connections do).
fn hundred_clients(addr: SocketAddr) -> Duration {
    let streams: Vec<TcpStream> = (0..100).map(|_| connect(addr)).collect();
    let ready = Arc::new(Barrier::new(streams.len() + 1));
    let threads: Vec<_> = streams
        .into_iter()
        .map(|mut stream| {
            let ready = Arc::clone(&ready);
            thread::spawn(move || {
                let message = LINE;
                let mut back = [0; 64];
                for turn in 0..=200 {
                    stream.write_all(message).unwrap();
                    stream.read_exact(&mut back).unwrap();
                    assert_eq!(&back, message);
                    if turn == 0 {
                        ready.wait();
                    }
                }
            })
        })
        .collect();
    ready.wait();
    let start = Instant::now();
    for t in threads {
        t.join().unwrap();
    }
    start.elapsed()
}

fn pattern(offset: u64, buf: &mut [u8]) {
    for (i, b) in buf.iter_mut().enumerate() {
        *b = ((offset + i as u64) % 251) as u8;
    }
}

/// `total` bytes through one connection, every byte checked.
fn bulk(addr: SocketAddr, total: u64) -> Duration {
    let reader = connect(addr);
    let mut writer = reader.try_clone().unwrap();
    let mut reader = reader;
    let start = Instant::now();
    let sending = thread::spawn(move || {
        let mut chunk = vec![0; 64 * 1024];
        let mut sent = 0;
        while sent < total {
            let n = chunk.len().min((total - sent) as usize);
            pattern(sent, &mut chunk[..n]);
            writer.write_all(&chunk[..n]).unwrap();
            sent += n as u64;
        }
        writer.shutdown(std::net::Shutdown::Write).unwrap();
    });
    let (mut buf, mut expected) = (vec![0; 64 * 1024], vec![0; 64 * 1024]);
    let mut got = 0;
    loop {
        let n = reader.read(&mut buf).unwrap();
        if n == 0 {
            break;
        }
        pattern(got, &mut expected[..n]);
        assert_eq!(buf[..n], expected[..n], "bulk echo differs at byte {got}");
        got += n as u64;
    }
    sending.join().unwrap();
    assert_eq!(got, total, "bulk echo lost bytes");
    start.elapsed()
}

/// One workload against a server's address.
type Work<'a> = dyn Fn(SocketAddr) -> Duration + 'a;

/// The middle one of `values` (the mean of the middle two).
fn median(values: &[f64]) -> f64 {
    let mut sorted = values.to_vec();
    sorted.sort_by(f64::total_cmp);
    let mid = sorted.len() / 2;
    match sorted.len() % 2 {
        1 => sorted[mid],
        _ => (sorted[mid - 1] + sorted[mid]) / 2.0,
    }
}

/// The median of `reference[i] / design[i]`: each turn's ratio, from turns
/// run one after the other, so that a slow minute of the machine slows
/// both sides of a ratio alike.
fn median_ratio(reference: &[f64], design: &[f64]) -> f64 {
    let ratios: Vec<f64> =
        reference.iter().zip(design).map(|(r, d)| r / d).collect();
    median(&ratios)
}

fn env_or<T: std::str::FromStr>(key: &str, default: T) -> T {
    std::env::var(key)
        .ok()
        .and_then(|v| v.parse().ok())
        .unwrap_or(default)
}

fn main() {
    if support::serve_std_echo() {
        return;
    }
    // `cargo test --benches` runs this with --list or without --bench.
    if !std::env::args().any(|a| a == "--bench") {
        return;
    }
    if let Some(status) = support::pin_myself() {
        std::process::exit(status.code().unwrap_or(1));
    }
    let pinned = support::pinned();
    let sizes: Vec<usize> = env_or("C10K_HELD", "100,1000,10000".to_string())
        .split(',')
        .filter_map(|n| n.trim().parse().ok())
        .collect();
    let repeat: usize = env_or("C10K_REPEAT", 5).max(1);
    let bulk_mb: u64 = env_or("C10K_BULK_MB", 1024);
    println!(
        "servers {}; load {}",
        if pinned { "on core 0" } else { "unpinned" },
        if pinned { "on core 1" } else { "unpinned" }
    );

    println!(
        "\n| design | clients held | peak RSS | RSS per client | threads | echo all |"
    );
    println!("|---|---:|---:|---:|---:|---:|");
    for &n in &sizes {
        for design in [Design::Poll, Design::Threaded, Design::MinimalStd] {
            match hold(design, n) {
                Ok(held) => println!(
                    "| {} | {n} | {:.1} MiB | {:.1} KiB | {} | {:.0} ms |",
                    design.name(),
                    held.peak_mib,
                    held.per_client_kib,
                    held.threads,
                    held.echo_all.as_secs_f64() * 1000.0
                ),
                Err(why) => println!(
                    "| {} | {n} | failed: {why} | | | |",
                    design.name()
                ),
            }
        }
    }

    let total = bulk_mb * 1024 * 1024;
    println!(
        "\n| workload | --poll | --threaded | minimal std | poll vs std | threaded vs std | poll vs std, best turns | threaded vs std, best turns |"
    );
    println!("|---|---:|---:|---:|---:|---:|---:|---:|");
    let rr = |a| hundred_clients(a);
    let big = |a| bulk(a, total);
    // The round trips take a quarter of a second, and one turn may take
    // twice as long as the next on this machine: six times as many turns
    // cost half a minute and make their median steady.
    let rows: [(&str, usize, usize, &Work<'_>); 2] = [
        ("100 clients x 200 round trips (a 64 B line)", 1024, 6, &rr),
        ("bulk echo, verified", 64 * 1024, 1, &big),
    ];
    let designs = [Design::Poll, Design::Threaded, Design::MinimalStd];
    let mut spreads = Vec::new();
    for (label, buffer, turns, work) in rows {
        // The three servers run side by side, idle but one, and take turns:
        // a slower minute of this shared machine then slows all three
        // alike. A turn starts once the last one's server is at rest again.
        let servers = designs.map(|d| Server::start(d, buffer));
        let resting = servers.each_ref().map(Server::load);
        // Each turn's seconds, per design.
        let mut times: [Vec<f64>; 3] = Default::default();
        for turn in 0..repeat * turns {
            // Forward, then backward: no design always goes first.
            let order = match turn % 2 {
                0 => [0, 1, 2],
                _ => [2, 1, 0],
            };
            for d in order {
                times[d].push(work(servers[d].addr).as_secs_f64());
                servers[d].settle(resting[d]);
            }
        }
        let best = times
            .each_ref()
            .map(|t| t.iter().copied().fold(f64::MAX, f64::min));
        let worst = times
            .each_ref()
            .map(|t| t.iter().copied().fold(0.0, f64::max));
        let ms = |d: usize| {
            format!("{:.0} to {:.0} ms", best[d] * 1e3, worst[d] * 1e3)
        };
        spreads.push(format!(
            "{label}: --poll {}, --threaded {}, minimal std {}",
            ms(0),
            ms(1),
            ms(2)
        ));
        let [poll, threaded, std] = times.each_ref().map(|t| median(t));
        let label = match buffer {
            1024 => label.to_string(),
            _ => format!("{bulk_mb} MiB {label}"),
        };
        println!(
            "| {label} | {poll:.3} s | {threaded:.3} s | {std:.3} s | {:.2}× | {:.2}× | {:.2}× | {:.2}× |",
            median_ratio(&times[2], &times[0]),
            median_ratio(&times[2], &times[1]),
            best[2] / best[0],
            best[2] / best[1],
        );
    }
    println!(
        "\n(seconds: each server's median turn; × is speed relative to the\n\
         minimal std echo, above 1 is faster: the median of the ratios of\n\
         turns run one after the other, and the ratio of the best turns)"
    );
    println!("\nturns, fastest to slowest:");
    for spread in spreads {
        println!("- {spread}");
    }
}
