//! Measures `tcp-server --threaded` against two references on loopback, in
//! the same run: Python's `socketserver.ThreadingTCPServer` echo and a
//! minimal std thread-per-connection echo. Prints a table with ratios.
//!
//! Run with `cargo bench -p tcp-server`. `BENCH_BULK_MB` changes the bulk
//! size (default 1024), `BENCH_REPEAT` the repetitions (best one counts).
//! With `taskset` and 2 or more cores, the servers run on core 0 and this
//! load on core 1.
#![allow(clippy::unwrap_used, clippy::expect_used)]

mod support;

use std::io::{BufRead, BufReader, Read, Write};
use std::net::{SocketAddr, TcpStream};
use std::process::{Child, Stdio};
use std::thread;
use std::time::{Duration, Instant};

const BIN: &str = env!("CARGO_BIN_EXE_tcp-server");

/// A Python echo server in the socketserver style, as the tutorial's last
/// script would be with threads. Takes the recv size, prints its port.
const PYTHON_ECHO: &str = r#"
import socketserver, sys
SIZE = int(sys.argv[1])
class Echo(socketserver.BaseRequestHandler):
    def handle(self):
        while True:
            data = self.request.recv(SIZE)
            if not data:
                break
            self.request.sendall(data)
class Server(socketserver.ThreadingTCPServer):
    daemon_threads = True
    allow_reuse_address = True
    request_queue_size = 1024
server = Server(("127.0.0.1", 0), Echo)
print(server.server_address[1], flush=True)
server.serve_forever()
"#;

/// One echo server under test.
struct Target {
    name: &'static str,
    addr: SocketAddr,
    child: Option<Child>,
}

impl Target {
    fn tcp_server(buffer: usize) -> Target {
        let mut child = support::on_server_core(BIN)
            .args([
                ":0",
                "--threaded",
                "--max-clients",
                "2000",
                "--backlog",
                "1024",
            ])
            .args(["--buffer", &buffer.to_string()])
            .env("NO_COLOR", "1")
            .stdout(Stdio::null())
            .stderr(Stdio::piped())
            .spawn()
            .unwrap();
        let mut stderr = BufReader::new(child.stderr.take().unwrap());
        let mut line = String::new();
        stderr.read_line(&mut line).unwrap();
        let addr = testkit::listening_addr_in(&line).unwrap();
        // Keep reading its status lines so the pipe never fills up.
        thread::spawn(move || std::io::copy(&mut stderr, &mut std::io::sink()));
        Target {
            name: "tcp-server --threaded",
            addr,
            child: Some(child),
        }
    }

    fn python(buffer: usize) -> Target {
        let mut child = support::on_server_core("python3")
            .args(["-c", PYTHON_ECHO, &buffer.to_string()])
            .stdout(Stdio::piped())
            .spawn()
            .expect("python3 is needed for the reference server");
        let mut line = String::new();
        BufReader::new(child.stdout.take().unwrap())
            .read_line(&mut line)
            .unwrap();
        let port: u16 = line.trim().parse().unwrap();
        let addr = SocketAddr::from(([127, 0, 0, 1], port));
        Target {
            name: "python socketserver",
            addr,
            child: Some(child),
        }
    }

    /// The smallest correct thread-per-connection echo with std, in a
    /// process of its own (see `support`).
    fn minimal_std(buffer: usize) -> Target {
        let mut child = support::std_echo_command(buffer)
            .stderr(Stdio::piped())
            .spawn()
            .unwrap();
        let mut line = String::new();
        BufReader::new(child.stderr.take().unwrap())
            .read_line(&mut line)
            .unwrap();
        let addr = testkit::listening_addr_in(&line).unwrap();
        Target {
            name: "minimal std echo",
            addr,
            child: Some(child),
        }
    }

    /// Its threads and open files now, and its process id.
    fn load(&self) -> Option<(u32, support::Load)> {
        let pid = self.child.as_ref()?.id();
        Some((pid, support::Load::of(pid)))
    }

    /// Peak resident memory of the server process, in MiB.
    fn peak_rss_mib(&self) -> Option<f64> {
        let pid = self.child.as_ref()?.id();
        Some(support::status(pid, "VmHWM:") as f64 / 1024.0)
    }
}

impl Drop for Target {
    fn drop(&mut self) {
        if let Some(child) = &mut self.child {
            let _ = child.kill();
            let _ = child.wait();
        }
    }
}

fn connect(addr: SocketAddr) -> TcpStream {
    let stream = TcpStream::connect(addr).unwrap();
    stream.set_nodelay(true).unwrap();
    stream
        .set_read_timeout(Some(Duration::from_secs(30)))
        .unwrap();
    stream
}

fn round_trips(stream: &mut TcpStream, count: usize, size: usize) {
    let message: Vec<u8> = (0..size).map(|i| i as u8).collect();
    let mut back = vec![0; size];
    for _ in 0..count {
        stream.write_all(&message).unwrap();
        stream.read_exact(&mut back).unwrap();
        assert_eq!(back, message, "echo differs");
    }
}

/// 1: one client, 20,000 round trips of 64 bytes.
fn one_client(addr: SocketAddr) -> Duration {
    let mut stream = connect(addr);
    let start = Instant::now();
    round_trips(&mut stream, 20_000, 64);
    start.elapsed()
}

/// 2: 100 clients at once, 200 round trips of 64 bytes each.
fn hundred_clients(addr: SocketAddr) -> Duration {
    let streams: Vec<TcpStream> = (0..100).map(|_| connect(addr)).collect();
    let start = Instant::now();
    let threads: Vec<_> = streams
        .into_iter()
        .map(|mut s| thread::spawn(move || round_trips(&mut s, 200, 64)))
        .collect();
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

/// 3: `total` bytes through one connection, every byte checked.
fn bulk(addr: SocketAddr, total: u64) -> Duration {
    let stream = connect(addr);
    let mut writer = stream.try_clone().unwrap();
    let mut reader = stream;
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
    let mut buf = vec![0; 64 * 1024];
    let mut expected = vec![0; 64 * 1024];
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

/// 4: 1,000 connections held open at once, each echoing one message.
fn thousand_connections(addr: SocketAddr) -> Duration {
    let start = Instant::now();
    let mut streams: Vec<TcpStream> =
        (0..1000).map(|_| connect(addr)).collect();
    for (i, stream) in streams.iter_mut().enumerate() {
        let message = format!("connection {i}");
        round_trips_with(stream, message.as_bytes());
    }
    let elapsed = start.elapsed();
    drop(streams);
    elapsed
}

fn round_trips_with(stream: &mut TcpStream, message: &[u8]) {
    stream.write_all(message).unwrap();
    let mut back = vec![0; message.len()];
    stream.read_exact(&mut back).unwrap();
    assert_eq!(back, message);
}

fn best_of(repeat: usize, mut run: impl FnMut() -> Duration) -> Duration {
    (0..repeat).map(|_| run()).min().unwrap()
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
    match support::pinned() {
        true => eprintln!("servers on core 0; load on core 1"),
        false => eprintln!("unpinned: fewer than 2 cores, or no taskset"),
    }
    let bulk_mb: u64 = std::env::var("BENCH_BULK_MB")
        .ok()
        .and_then(|v| v.parse().ok())
        .unwrap_or(1024);
    let repeat: usize = std::env::var("BENCH_REPEAT")
        .ok()
        .and_then(|v| v.parse().ok())
        .unwrap_or(3)
        .max(1);
    let total = bulk_mb * 1024 * 1024;

    type Make = fn(usize) -> Target;
    let makers: [Make; 3] =
        [Target::tcp_server, Target::python, Target::minimal_std];
    let mut rows: Vec<(String, [f64; 3])> = Vec::new();
    let mut rss = [None, None, None];

    let mut measure = |label: String,
                       buffer: usize,
                       work: &dyn Fn(SocketAddr) -> Duration,
                       rss: &mut [Option<f64>; 3]| {
        let mut seconds = [0.0; 3];
        for (i, make) in makers.iter().enumerate() {
            let target = make(buffer);
            // Each repetition starts once the last one's connections are
            // closed and their handlers gone.
            let rest = target.load();
            let turn = || {
                let took = work(target.addr);
                if let Some((pid, rest)) = rest {
                    support::settle(pid, rest);
                }
                took
            };
            seconds[i] = best_of(repeat, turn).as_secs_f64();
            if label.starts_with('4') {
                rss[i] = target.peak_rss_mib();
            }
            eprintln!("  {label}: {} {:.3}s", target.name, seconds[i]);
        }
        rows.push((label, seconds));
    };
    measure(
        "1. 1 client x 20,000 round trips (64 B)".into(),
        1024,
        &one_client,
        &mut rss,
    );
    measure(
        "2. 100 clients x 200 round trips (64 B)".into(),
        1024,
        &hundred_clients,
        &mut rss,
    );
    measure(
        format!("3. {bulk_mb} MiB bulk echo, verified"),
        64 * 1024,
        &|a| bulk(a, total),
        &mut rss,
    );
    measure(
        "4. 1,000 connections held, 1 echo each".into(),
        1024,
        &thousand_connections,
        &mut rss,
    );

    println!();
    println!(
        "| workload | tcp-server --threaded | python socketserver | minimal std | speed vs python | time vs std |"
    );
    println!("|---|---:|---:|---:|---:|---:|");
    for (label, [ours, python, std]) in &rows {
        println!(
            "| {label} | {ours:.3} s | {python:.3} s | {std:.3} s | {:.2}× | {:+.1}% |",
            python / ours,
            (ours / std - 1.0) * 100.0
        );
    }
    let show =
        |v: Option<f64>| v.map_or("-".to_string(), |m| format!("{m:.1} MiB"));
    println!();
    println!(
        "peak RSS during workload 4: tcp-server {}, python {}, minimal std {}",
        show(rss[0]),
        show(rss[1]),
        show(rss[2])
    );
    println!(
        "bulk throughput: tcp-server {:.0} MiB/s",
        bulk_mb as f64 / rows[2].1[0]
    );
}
