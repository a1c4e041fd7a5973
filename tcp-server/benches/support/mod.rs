//! What both benches share: the servers on core 0 and the load on core 1
//! (`taskset`; unpinned numbers vary a lot run to run), and the minimal std
//! echo, run as the bench's own child so that it is pinned and measured
//! like the other servers.

use std::ffi::OsStr;
use std::io::{Read, Write};
use std::net::{SocketAddr, TcpListener};
use std::process::{Command, ExitStatus};
use std::thread;

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
