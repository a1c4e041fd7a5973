//! What both benches share: the servers on core 0 and the load on core 1
//! (`taskset`; unpinned numbers vary a lot run to run), and the minimal std
//! echo, run as the bench's own child so that it is pinned and measured
//! like the other servers.

use std::ffi::OsStr;
use std::io::{Read, Write};
use std::net::{SocketAddr, TcpListener};
use std::process::{Command, ExitStatus};
use std::thread;
use std::time::{Duration, Instant};

/// Set in the child that runs the minimal std echo (the bench again).
const ROLE: &str = "BENCH_ROLE";
/// Set once the bench runs pinned to the load's core.
const PINNED: &str = "BENCH_PINNED";

/// Runs the bench again under `taskset -c 1`, if it can, and returns how
/// that ended; `None` when this run is the one to do the work.
pub fn pin_myself() -> Option<ExitStatus> {
    let cores = thread::available_parallelism().map_or(1, |n| n.get());
    if pinned() || cores < 2 {
        return None;
    }
    let exe = std::env::current_exe().ok()?;
    Command::new("taskset")
        .args(["-c", "1"])
        .arg(exe)
        .args(std::env::args().skip(1))
        .env(PINNED, "1")
        .status()
        .ok()
}

/// True when the load runs on core 1 and the servers on core 0.
pub fn pinned() -> bool {
    std::env::var_os(PINNED).is_some()
}

/// A command that runs `program` on the servers' core when pinned.
pub fn on_server_core(program: impl AsRef<OsStr>) -> Command {
    if !pinned() {
        return Command::new(program);
    }
    let mut command = Command::new("taskset");
    command.args(["-c", "0"]).arg(program);
    command
}

/// The command that starts the minimal std echo with `buffer`-byte reads;
/// it prints `listening on ADDR` on stderr.
pub fn std_echo_command(buffer: usize) -> Command {
    let mut command = on_server_core(std::env::current_exe().unwrap());
    command.env(ROLE, "std-echo");
    command.args(["--buffer", &buffer.to_string()]);
    command
}

/// In the child [`std_echo_command`] starts: serves as the minimal std
/// echo, the smallest correct thread-per-connection echo, and returns
/// true (it runs until killed). False in the bench itself.
pub fn serve_std_echo() -> bool {
    if std::env::var_os(ROLE).is_none() {
        return false;
    }
    let buffer: usize = std::env::args()
        .skip_while(|a| a != "--buffer")
        .nth(1)
        .and_then(|b| b.parse().ok())
        .unwrap_or(1024);
    let socket = socket2::Socket::new(
        socket2::Domain::IPV4,
        socket2::Type::STREAM,
        None,
    )
    .unwrap();
    socket
        .bind(&SocketAddr::from(([127, 0, 0, 1], 0)).into())
        .unwrap();
    // The same backlog as the others (std's bind() would give it 128).
    socket.listen(4096).unwrap();
    let listener = TcpListener::from(socket);
    eprintln!("listening on {}", listener.local_addr().unwrap());
    for stream in listener.incoming().flatten() {
        thread::spawn(move || {
            let mut stream = stream;
            let mut buf = vec![0; buffer];
            while let Ok(n) = stream.read(&mut buf) {
                if n == 0 || stream.write_all(&buf[..n]).is_err() {
                    break;
                }
            }
        });
    }
    true
}

/// A server's threads and open files (its sockets among them).
#[derive(Debug, Clone, Copy)]
pub struct Load {
    pub threads: usize,
    pub files: usize,
}

impl Load {
    /// The load of process `pid` now, from /proc.
    pub fn of(pid: u32) -> Load {
        let files = std::fs::read_dir(format!("/proc/{pid}/fd"))
            .map_or(0, |dir| dir.count());
        let threads = status(pid, "Threads:") as usize;
        Load { threads, files }
    }
}

/// A number of /proc/PID/status: `VmRSS:`, `VmHWM:` (KiB), `Threads:`;
/// 0 when there is none.
pub fn status(pid: u32, key: &str) -> u64 {
    let status = std::fs::read_to_string(format!("/proc/{pid}/status"))
        .unwrap_or_default();
    status
        .lines()
        .find(|l| l.starts_with(key))
        .and_then(|l| l.split_whitespace().nth(1)?.parse().ok())
        .unwrap_or(0)
}

/// Waits (at most `limit`) until `ready` holds for the load of `pid`; says
/// so when it gives up.
pub fn wait_for(
    pid: u32,
    what: &str,
    limit: Duration,
    ready: impl Fn(Load) -> bool,
) {
    let deadline = Instant::now() + limit;
    while !ready(Load::of(pid)) {
        if Instant::now() > deadline {
            return eprintln!("  {what}: not after {limit:?}, going on");
        }
        thread::sleep(Duration::from_millis(2));
    }
}

/// Waits until `pid` is back to its load at `rest`: the last turn's
/// connections are closed and their handlers gone, so that their
/// farewells do not run in the next turn on the servers' core.
pub fn settle(pid: u32, rest: Load) {
    wait_for(pid, "at rest", Duration::from_secs(2), |now| {
        now.threads <= rest.threads && now.files <= rest.files
    });
}
