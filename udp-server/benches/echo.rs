//! Measures `udp-server --threaded` next to the sequential `udp-server` on
//! loopback, in the same run, with Python's `socketserver.ThreadingUDPServer`
//! (a thread per datagram) as a reference. Prints a table with each time
//! as a ratio to the sequential server's.
//!
//! Every server runs pinned by `taskset` to the cores in
//! `BENCH_SERVER_CPUS` (default `0`), and this process, the load, to
//! `BENCH_LOAD_CPUS` (default `1`), so that the two never compete for a
//! core. `BENCH_REPEAT` sets the repetitions (default 3, the best counts).
//!
//! Run with `cargo bench -p udp-server`.
#![allow(clippy::unwrap_used, clippy::expect_used)]

use std::io::{BufRead, BufReader};
use std::net::{SocketAddr, UdpSocket};
use std::process::{Child, Command, Stdio};
use std::thread;
use std::time::{Duration, Instant};

const BIN: &str = env!("CARGO_BIN_EXE_udp-server");

/// A Python echo in the socketserver style: ThreadingUDPServer starts a
/// thread for each datagram. Prints its port.
const PYTHON_ECHO: &str = r#"
import socketserver
class Echo(socketserver.BaseRequestHandler):
    def handle(self):
        data, sock = self.request
        sock.sendto(data, self.client_address)
class Server(socketserver.ThreadingUDPServer):
    daemon_threads = True
server = Server(("127.0.0.1", 0), Echo)
print(server.server_address[1], flush=True)
server.serve_forever()
"#;

/// One echo server under test, running pinned to the server's cores.
struct Target {
    name: String,
    addr: SocketAddr,
    child: Child,
}

impl Target {
    fn udp_server(name: &str, extra: &[&str], cpus: &str) -> Target {
        let mut child = Command::new("taskset")
            .args(["-c", cpus, BIN, ":0", "--keep-open"])
            .args(extra)
            .env("NO_COLOR", "1")
            .stdout(Stdio::null())
            .stderr(Stdio::piped())
            .spawn()
            .expect("taskset (util-linux) is needed to pin the server");
        let mut stderr = BufReader::new(child.stderr.take().unwrap());
        let mut line = String::new();
        stderr.read_line(&mut line).unwrap();
        let addr = testkit::listening_addr_in(&line)
            .unwrap_or_else(|| panic!("no address in {line:?}"));
        // Keep reading its status lines so that the pipe never fills up.
        thread::spawn(move || std::io::copy(&mut stderr, &mut std::io::sink()));
        Target {
            name: name.to_string(),
            addr,
            child,
        }
    }

    fn python(cpus: &str) -> Target {
        let mut child = Command::new("taskset")
            .args(["-c", cpus, "python3", "-c", PYTHON_ECHO])
            .stdout(Stdio::piped())
            .spawn()
            .expect("taskset and python3 are needed for the reference");
        let mut line = String::new();
        BufReader::new(child.stdout.take().unwrap())
            .read_line(&mut line)
            .unwrap();
        let port: u16 = line.trim().parse().unwrap();
        Target {
            name: "python ThreadingUDPServer".into(),
            addr: SocketAddr::from(([127, 0, 0, 1], port)),
            child,
        }
    }
}

impl Drop for Target {
    fn drop(&mut self) {
        let _ = self.child.kill();
        let _ = self.child.wait();
    }
}

/// Pins this process, and the threads it starts from now on, to `cpus`
/// (a list such as `1` or `1,3`).
#[cfg(target_os = "linux")]
fn pin_load(cpus: &str) {
    #[allow(unsafe_code)]
    // SAFETY: a zeroed cpu_set_t is the empty set; CPU_SET writes inside
    // it, and sched_setaffinity reads it, for this process (pid 0).
    unsafe {
        let mut set: libc::cpu_set_t = std::mem::zeroed();
        for cpu in cpus.split(',') {
            libc::CPU_SET(cpu.trim().parse().unwrap(), &mut set);
        }
        let size = std::mem::size_of::<libc::cpu_set_t>();
        assert_eq!(libc::sched_setaffinity(0, size, &set), 0, "pin the load");
    }
}

/// Elsewhere the load runs where the system puts it (and `taskset`, which
/// pins the servers, is Linux's).
#[cfg(not(target_os = "linux"))]
fn pin_load(_cpus: &str) {
    eprintln!("the load is not pinned: sched_setaffinity is Linux's");
}

/// `count` round trips of 64-byte datagrams, each different, each reply
/// checked. A reply that does not come within a second is a lost
/// datagram: it is sent again, and counted.
fn round_trips(addr: SocketAddr, client: usize, count: usize) -> u64 {
    let socket = UdpSocket::bind("127.0.0.1:0").unwrap();
    socket.connect(addr).unwrap();
    socket
        .set_read_timeout(Some(Duration::from_secs(1)))
        .unwrap();
    let mut reply = [0; 128];
    let mut resent = 0;
    for i in 0..count {
        let message = format!("{client:05} {i:07} {}", "x".repeat(50));
        for attempt in 0.. {
            assert!(attempt < 5, "no reply to datagram {i} after 5 tries");
            socket.send(message.as_bytes()).unwrap();
            match socket.recv(&mut reply) {
                Ok(n) => {
                    assert_eq!(&reply[..n], message.as_bytes(), "echo differs");
                    break;
                }
                Err(_) => resent += 1,
            }
        }
    }
    resent
}

/// `clients` at once, each making `count` round trips.
fn clients(addr: SocketAddr, clients: usize, count: usize) -> (Duration, u64) {
    let start = Instant::now();
    let threads: Vec<_> = (0..clients)
        .map(|c| thread::spawn(move || round_trips(addr, c, count)))
        .collect();
    let resent = threads.into_iter().map(|t| t.join().unwrap()).sum();
    (start.elapsed(), resent)
}

fn main() {
    // `cargo test --benches` runs this with --bench absent: do nothing then.
    if !std::env::args().any(|a| a == "--bench") {
        return;
    }
    let setting = |name: &str, default: &str| {
        std::env::var(name).unwrap_or_else(|_| default.to_string())
    };
    let repeat: usize = setting("BENCH_REPEAT", "3").parse().unwrap();
    let (server_cpus, load_cpus) = (
        setting("BENCH_SERVER_CPUS", "0"),
        setting("BENCH_LOAD_CPUS", "1"),
    );
    pin_load(&load_cpus);
    eprintln!("servers on cpu {server_cpus}, load on cpu {load_cpus}");

    type Make = Box<dyn Fn() -> Target>;
    let cpus = server_cpus.clone();
    let targets: Vec<Make> = vec![
        Box::new(move || Target::udp_server("udp-server", &[], &cpus)),
        Box::new({
            let cpus = server_cpus.clone();
            move || Target::udp_server("--threaded", &["--threaded"], &cpus)
        }),
        Box::new({
            let cpus = server_cpus.clone();
            move || {
                let args = ["--threaded", "--handlers", "1"];
                Target::udp_server("--threaded --handlers 1", &args, &cpus)
            }
        }),
        Box::new(move || Target::python(&server_cpus)),
    ];
    let workloads: [(&str, usize, usize); 3] = [
        ("1 client x 20,000 round trips (64 B)", 1, 20_000),
        ("100 clients x 200 round trips (64 B)", 100, 200),
        ("10 clients x 2,000 round trips (64 B)", 10, 2_000),
    ];
    let mut names = Vec::new();
    let mut rows = Vec::new();
    for (label, count_clients, count) in workloads {
        let mut seconds = Vec::new();
        for make in &targets {
            let target = make();
            eprintln!("  {label}: {} ...", target.name);
            let mut best = f64::MAX;
            for _ in 0..repeat {
                let (time, resent) = clients(target.addr, count_clients, count);
                if resent > 0 {
                    eprintln!(
                        "  {}: {resent} datagrams sent again",
                        target.name
                    );
                }
                best = best.min(time.as_secs_f64());
            }
            eprintln!("  {label}: {} {best:.3} s", target.name);
            if names.len() < targets.len() {
                names.push(target.name.clone());
            }
            seconds.push(best);
        }
        rows.push((label, seconds));
    }

    println!();
    println!("| workload | {} |", names.join(" | "));
    println!("|---|{}", "---:|".repeat(names.len()));
    for (label, seconds) in &rows {
        let cells: Vec<String> = seconds
            .iter()
            .map(|s| format!("{s:.3} s ({:.2}×)", s / seconds[0]))
            .collect();
        println!("| {label} | {} |", cells.join(" | "));
    }
    println!();
    println!(
        "(×: time as a ratio to the sequential udp-server's in this run; \
         below 1 is faster)"
    );
}
