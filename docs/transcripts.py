#!/usr/bin/env python3
"""Regenerates the transcripts the book shows, from real runs of the binaries.

Each scenario starts a server on a free loopback port, runs its clients one
after another with the given input, stops the server, and writes what each
terminal showed to docs/src/transcripts/NAME.txt. Ports are normalized (the
server's to its default, the clients' ephemeral ones to 50001, 50002, ... in
order of appearance) and so are timings, so a run on any machine gives the
same text.

    python3 docs/transcripts.py               rewrite the transcripts
    python3 docs/transcripts.py --check       fail if the book's copies differ
    python3 docs/transcripts.py --lang zh     the same runs in the Chinese locale,
                                              in docs/src/transcripts/zh/ (with
                                              --check too)
    python3 docs/transcripts.py --check-html  after `mdbook build docs`: fail
                                              if the rendered book changed a
                                              command (`--` into a dash)

The binaries are taken from target/debug (CARGO_TARGET_DIR is honoured) and
built first with `cargo build --workspace --bins`.
"""

import difflib
import fcntl
import os
import pty
import re
import signal
import struct
import subprocess
import sys
import termios
import threading
import time
import unicodedata
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
OUT = ROOT / "docs" / "src" / "transcripts"
TARGET = Path(os.environ.get("CARGO_TARGET_DIR", ROOT / "target")) / "debug"
DEFAULT_PORT = {"tcp-server": 10888, "udp-server": 3000, "python3": 8000,
                "tcp-client": 10888, "udp-client": 3000}
PATIENCE = 20  # seconds: a scenario step that takes longer has failed
ENV = dict(os.environ, NO_COLOR="1", RUST_BACKTRACE="0", PYTHONUNBUFFERED="1", LC_ALL="C.UTF-8")
ENV.pop("CLICOLOR_FORCE", None)
# With --lang zh: the runs of the Chinese book, in a Chinese locale (LANG,
# as a student's machine sets it), and what the scenarios wait for is what
# the Chinese programs print.
CHINESE = "--lang" in sys.argv and sys.argv[sys.argv.index("--lang") + 1:][:1] == ["zh"]
if CHINESE:
    OUT = OUT / "zh"
    ENV.pop("LC_ALL")
    ENV.pop("LC_MESSAGES", None)
    ENV["LANG"] = "zh_CN.UTF-8"
SAID_ZH = {
    "listening on": "正在监听",
    "waiting for datagrams on": "等待数据报",
    "connected to": "已连接到",
    "press Enter": "按回车",
    "Press Enter or Ctrl-D": "按回车或 Ctrl-D",
    "still waiting": "仍未收到",
    "closed the connection: it will send nothing more": "关闭了连接：它不会再发送任何东西",
    "no reply to bye": "收到 bye 就停止",
    "not an echo": "不是回显",
    "no reply to line 1": "第 1 行在",
    # What VARIES and PREFERRED look for.
    "sent 4 lines in 4 writes (16 bytes)": "用 4 次写入发送了 4 行（16 字节）",
    "echoed 16 bytes": "回显 16 字节",
    "recv #4: 2 bytes": "recv 第 4 次：从 127.0.0.1:50001 收到 2 字节",
    "(26 bytes received, 26 bytes sent)": "（收到 26 字节，发送了 26 字节）",
    "explain: server thread queues request #2 for the handlers":
        "explain: 服务器线程把第 2 个请求放进队列，交给处理线程",
    "stopped: 2 datagrams from 2 senders, 12 bytes echoed": "已停止：来自 2 个发送者的 2 个数据报，回显 12 字节",
    "explain [handler-1]: takes request #1": "explain [handler-1]: 接手来自 127.0.0.1:50001 的第 1 个请求",
}


def said(english):
    """What a scenario waits for, in the language of the run (text that is
    no program's, such as an echo, is the same in both)."""
    return SAID_ZH.get(english, english) if CHINESE else english


class Server:
    """A server started on a free port (':PORT' first), in a terminal of
    its own; `stop` is 'self' (it stops by itself) or 'ctrl-c'. Not on port 0: a student's server knows its port from
    the start, and so must the one the book shows (--step says which `ss`
    command watches it)."""

    def __init__(self, name, args, stop="ctrl-c", path=None):
        self.name, self.args, self.stop, self.path = name, args, stop, path

    def command(self, port):
        # A Unix domain socket's server takes its path instead of a port,
        # and is shown with it: the path is no default.
        if self.path:
            args = [self.path] + self.args
            return [binary(self.name)] + args, self.name, args
        return [binary(self.name), f":{port}"] + self.args, self.name, self.args

    # A TCP server listens; a UDP server only waits for datagrams.
    port_pattern = r"(?:(?:listening|waiting for datagrams) on |正在监听 |在 )\S+?:(\d+)\b"
    quiet_exit = False

    @property
    def ready(self):
        chinese = CHINESE or "zh" in self.args
        if self.name == "udp-server":
            return "等待数据报" if chinese else "waiting for datagrams on"
        return "正在监听" if chinese else "listening on"


class Peer(Server):
    """A server nobody here wrote, run as `args` with '{port}' → a free port
    (or listening on `path`, with '{path}' in args)."""

    def __init__(self, args, ready, port_pattern, path=None):
        super().__init__(args[0], args[1:], path=path)
        self._ready, self.port_pattern, self.quiet_exit = ready, port_pattern, True

    @property
    def ready(self):
        return self._ready

    def command(self, port):
        args = [a.replace("{port}", str(port)).replace("{path}", self.path or "")
                for a in self.args]
        shown_args = [a.replace("{port}", str(DEFAULT_PORT[self.name])) for a in self.args]
        return [self.name] + args, self.name, shown_args


class Client:
    """A client run to the end; '{addr}' in args becomes the server's
    address: ':PORT' for a client of its own server (the default host, as
    a student's run uses it), else 127.0.0.1:PORT.

    hold=True: keep it connected (stdin open) until a Release step.
    background=True: go on once it is connected; it ends by itself later.
    """

    def __init__(self, name, args, stdin="", hold=False, background=False, wait_for=None):
        self.name, self.args, self.stdin = name, args, stdin
        self.hold, self.background = hold, background
        # The command is shown as `printf '...' | name args` when there is
        # input. wait_for: a background client goes on once it printed this.
        self.wait_for = wait_for


class Typed:
    """A client run in a pseudo-terminal, as a student runs it: each line
    of `lines` is typed at the `> ` prompt once the prompt is back, then
    Ctrl-D ends the input. The transcript is the screen as it looked at the
    end: prompts, typed lines and what arrived in between.

    first: text whose arrival means the client's own first message was
    answered (by default its echo: `hello`, or the `--message`); None for
    nothing to wait for. It is looked for in what arrived, rows joined, so
    an echo cut into several reads counts too.
    answers: for a typed line, the text whose arrival on the screen means
    the client is ready for the next one (by default the line itself, as
    an echo server sends it back; None: nothing comes back).
    hold=True: keep it at its prompt until a Release step, then Ctrl-D.
    background=True: go on once `wait_for` is on its screen; at Release,
    Ctrl-D once its first message was answered."""

    def __init__(self, name, args, lines=(), answers=None, first="", hold=False,
                 background=False, wait_for=None):
        self.name, self.args, self.lines = name, args, list(lines)
        self.answers = answers or {}
        if first == "":
            given = args[args.index("--message") + 1] if "--message" in args else "hello"
            first = given or None
        self.first = first
        self.hold, self.background, self.wait_for = hold, background, wait_for


class Probe:
    """A command run while the scenario is under way, such as `ss`."""

    def __init__(self, args):
        self.args = args


class Release:
    """Lets held clients leave and waits for background ones to end."""


class Kill:
    """Kills the server with SIGKILL, as `kill -9` from another terminal
    does: it gets no chance to clean up after itself."""


class Steps:
    """A server run in a pseudo-terminal, pressing Enter `presses` times."""

    def __init__(self, name, args, presses):
        self.name, self.args, self.presses = name, args, presses


# Scenarios whose text honestly changes from run to run: how TCP cuts a
# stream into reads depends on timing. For these, --check only asks that a
# fresh run and the book's copy both contain these lines.
VARIES = {
    "tcp-no-wait": ["sent 4 lines in 4 writes (16 bytes)", "echoed 16 bytes"],
    # The server reads 8 bytes at a time; how the client's reads cut the
    # echo depends on timing.
    "tcp-truncation": ["recv #4: 2 bytes", "(26 bytes received, 26 bytes sent)"],
    # Which handler thread takes a request is up to the scheduler.
    "udp-threaded": ["explain: server thread queues request #2 for the handlers",
                     "127.0.0.1:50002: from B",
                     "stopped: 2 datagrams from 2 senders, 12 bytes echoed"],
}

# For these, a rewrite keeps the run (of up to five) that shows the lesson
# best: the text the chapter's explanation points at.
PREFERRED = {
    "tcp-no-wait": "127.0.0.1:50001: onetwothree",
    "tcp-truncation": "a messag\ne of 26 \ncharacters\n",
    "udp-threaded": "explain [handler-1]: takes request #1",
}

# What the book shows. A client with hold=True keeps its connection open
# until the next client has connected (the backlog lab).
SCENARIOS = {
    "tcp-basic": [
        Server("tcp-server", ["--once"], stop="self"),
        Typed("tcp-client", ["{addr}"], ["你好, socket"]),
    ],
    "tcp-explain": [
        Server("tcp-server", ["--explain", "--once"], stop="self"),
        Typed("tcp-client", ["{addr}", "--explain"], ["hi"]),
    ],
    "tcp-hostile": [
        Server("tcp-server", ["--once"], stop="self"),
        Client("tcp-client", ["{addr}"], "\x1b[2Jcleared?\a\n"),
    ],
    "tcp-refused": [
        Typed("tcp-client", ["{free}"], first=None),
        Typed("udp-client", ["{free}"], first="Press Enter or Ctrl-D"),
    ],
    "tcp-in-use": [
        Server("tcp-server", []),
        Client("tcp-server", ["{addr}"]),
    ],
    "bad-address": [
        Client("tcp-client", [":99999"]),
        Client("tcp-server", ["[::1"]),
    ],
    "tcp-no-wait": [
        Server("tcp-server", ["--explain"]),
        Client("tcp-client", ["{addr}", "--no-wait"], "one\ntwo\nthree\n"),
    ],
    "tcp-hex": [
        Server("tcp-server", ["--hex", "--once"], stop="self"),
        Typed("tcp-client", ["{addr}", "--message", "tab\there, 你好"], first="tab\\there, 你好"),
    ],
    "tcp-backlog": [
        Server("tcp-server", []),
        Typed("tcp-client", ["{addr}", "--message", "first"], hold=True),
        Probe(["ss", "-tn", "state", "listening", "( sport = :{port} )"]),
        Typed("tcp-client", ["{addr}", "--message", "second"], background=True,
              wait_for="still waiting"),
        Probe(["ss", "-tn", "state", "listening", "( sport = :{port} )"]),
        Release(),
    ],
    "tcp-ss": [
        Server("tcp-server", []),
        Probe(["ss", "-tan", "( sport = :{port} or dport = :{port} )"]),
        Typed("tcp-client", ["{addr}"], hold=True),
        Probe(["ss", "-tan", "( sport = :{port} or dport = :{port} )"]),
        Release(),
    ],
    "tcp-threaded": [
        Server("tcp-server", ["--threaded", "--explain"]),
        Typed("tcp-client", ["{addr}", "--message", "from A"], hold=True),
        Typed("tcp-client", ["{addr}", "--message", "from B"]),
        Release(),
    ],
    "tcp-sequential": [
        Server("tcp-server", []),
        Typed("tcp-client", ["{addr}", "--message", "from A"], hold=True),
        Typed("tcp-client", ["{addr}", "--message", "from B"], background=True,
              wait_for="still waiting"),
        Release(),
    ],
    "udp-many": [
        Server("udp-server", ["--keep-open"]),
        Typed("udp-client", ["{addr}", "--message", "from A"]),
        Typed("udp-client", ["{addr}", "--message", "from B"]),
    ],
    "tcp-truncation": [
        Server("tcp-server", ["--buffer", "8", "--explain"]),
        Typed("tcp-client", ["{addr}", "--message", "a message of 26 characters"]),
    ],
    "tcp-step": [
        Steps("tcp-server", [], presses=4),
    ],
    "http-by-hand": [
        Peer(["python3", "-m", "http.server", "{port}", "--bind", "127.0.0.1",
              "--directory", "docs/site"], ready="Serving HTTP", port_pattern=r"port (\d+)"),
        Typed("tcp-client", ["{addr}", "--crlf", "--message", ""], ["GET / HTTP/1.0", ""], first=None,
              answers={"GET / HTTP/1.0": None, "": "closed the connection: it will send nothing more"}),
    ],
    "udp-basic": [
        Server("udp-server", [], stop="self"),
        Typed("udp-client", ["{addr}"], ["你好, udp", "bye"], answers={"bye": "no reply to bye"}),
    ],
    "udp-explain": [
        Server("udp-server", ["--explain"], stop="self"),
        Typed("udp-client", ["{addr}", "--explain"], ["bye"], answers={"bye": "no reply to bye"}),
    ],
    "udp-truncation": [
        Server("udp-server", ["--buffer", "8"]),
        Typed("udp-client", ["{addr}", "--message", "a message of 26 characters"],
              first="not an echo"),
    ],
    "udp-no-wait": [
        Server("udp-server", ["--explain", "--keep-open"]),
        Client("udp-client", ["{addr}", "--no-wait"], "one\ntwo\nthree\n"),
    ],
    "udp-loss": [
        Server("udp-server", ["--keep-open", "--drop", "0.5", "--seed", "7"]),
        Client("udp-client", ["{addr}", "--timeout", "0.3", "--retries", "3"], "a\nb\nc\nd\n"),
    ],
    "udp-silence": [
        Server("udp-server", ["--keep-open", "--drop", "1", "--seed", "1"]),
        Typed("udp-client", ["{addr}", "--timeout", "0.5"], first="no reply to line 1"),
    ],
    # socketserver's UDPServer: the main thread receives, handlers answer.
    "udp-threaded": [
        Server("udp-server", ["--threaded", "--handlers", "2", "--explain"]),
        Typed("udp-client", ["{addr}", "--message", "from A"]),
        Typed("udp-client", ["{addr}", "--message", "from B"]),
    ],
}


# The book's pictures: scenarios run with every program tracing into one
# file, drawn by trace-draw into docs/src/img/NAME.svg (and as text into
# docs/src/transcripts/NAME.draw.txt). (title, steps)
PICTURES = {
    "tcp-lifecycle": ("TCP: one conversation, as traced", [
        Server("tcp-server", ["--once"], stop="self"),
        Client("tcp-client", ["{addr}"], "hi\n"),
    ]),
    "udp-lifecycle": ("UDP: datagrams, as traced", [
        Server("udp-server", [], stop="self"),
        Client("udp-client", ["{addr}"], "hi\nbye\n"),
    ]),
    "tcp-split": ("One send, two recvs: --buffer 3", [
        Server("tcp-server", ["--once", "--buffer", "3"], stop="self"),
        Client("tcp-client", ["{addr}", "--buffer", "3"]),
    ]),
    "tcp-no-wait": ("Four sends, fewer recvs: --no-wait", [
        Server("tcp-server", ["--once"], stop="self"),
        Client("tcp-client", ["{addr}", "--no-wait"], "one\ntwo\nthree\n"),
    ]),
    "udp-drop": ("Lost datagrams: --drop 0.5 --seed 7", [
        Server("udp-server", ["--keep-open", "--drop", "0.5", "--seed", "7"]),
        Client("udp-client", ["{addr}", "--timeout", "0.3", "--retries", "3"], "a\nb\n"),
    ]),
    "tcp-threaded-two": ("Two clients at once: --threaded", [
        Server("tcp-server", ["--threaded"]),
        Client("tcp-client", ["{addr}", "--message", "from A"], hold=True),
        Client("tcp-client", ["{addr}", "--message", "from B"]),
        Release(),
    ]),
    "tcp-refused": ("A refused connect", [
        Client("tcp-client", ["{free}"]),
    ]),
}

# The Unix family: the same programs on a path, each scenario in a folder
# of its own.
SCENARIOS["unix-stream"] = [
    Server("tcp-server", ["--explain", "--once"], stop="self", path="./echo.sock"),
    Typed("tcp-client", ["{addr}", "--explain"], ["hi"]),
]
SCENARIOS["unix-ss"] = [
    Server("tcp-server", [], path="./echo.sock"),
    Probe(["stat", "-c", "%F %n", "echo.sock"]),
    Typed("tcp-client", ["{addr}"], hold=True),
    Probe(["ss", "-xa", "src", "./echo.sock"]),
    Release(),
]
SCENARIOS["unix-stale"] = [
    Server("tcp-server", [], path="./echo.sock"),
    Kill(),
    Probe(["stat", "-c", "%F %n", "echo.sock"]),
    Client("tcp-server", ["./echo.sock"]),
    Probe(["rm", "echo.sock"]),
]
SCENARIOS["unix-bad-path"] = [
    Client("tcp-server", ["/tmp/" + "a-folder-name-that-goes-on/" * 4 + "echo.sock"]),
]
SCENARIOS["unix-datagram"] = [
    Server("udp-server", ["--explain"], stop="self", path="./echo.sock"),
    Typed("udp-client", ["{addr}", "--explain"], ["bye"], answers={"bye": "no reply to bye"}),
]
PICTURES["unix-threaded-two"] = ("Two unnamed clients on ./echo.sock: --threaded", [
    Server("tcp-server", ["--threaded"], path="./echo.sock"),
    Client("tcp-client", ["{addr}", "--message", "from A"], hold=True),
    Client("tcp-client", ["{addr}", "--message", "from B"]),
    Release(),
])

# The event loop (issue 20): one thread serves two clients, interleaved.
SCENARIOS["tcp-explain-zh"] = [
    Server("tcp-server", ["--explain", "--once", "--lang", "zh"], stop="self"),
    Typed("tcp-client", ["{addr}", "--explain", "--lang", "zh"], ["你好"]),
]
SCENARIOS["tcp-poll"] = [
    Server("tcp-server", ["--poll", "--explain"]),
    Typed("tcp-client", ["{addr}", "--message", "from A"], hold=True),
    Typed("tcp-client", ["{addr}", "--message", "from B"]),
    Release(),
]
PICTURES["tcp-poll-two"] = ("Two clients, one thread: --poll", [
    Server("tcp-server", ["--poll"]),
    Client("tcp-client", ["{addr}", "--message", "from A"], hold=True),
    Client("tcp-client", ["{addr}", "--message", "from B"]),
    Release(),
])

# Pictures whose run honestly differs from run to run (how TCP cuts the
# stream): --check asks only that the programs made the same sends.
PICTURES_VARY = {"tcp-no-wait"}

# The pictures' titles in the Chinese book.
TITLES_ZH = {
    "tcp-lifecycle": "TCP：一次对话的跟踪记录",
    "udp-lifecycle": "UDP：数据报的跟踪记录",
    "tcp-split": "一次 send，两次 recv：--buffer 3",
    "tcp-no-wait": "四次 send，更少的 recv：--no-wait",
    "udp-drop": "丢失的数据报：--drop 0.5 --seed 7",
    "tcp-threaded-two": "同时两个客户端：--threaded",
    "tcp-refused": "被拒绝的 connect",
    "unix-threaded-two": "./echo.sock 上的两个无名客户端：--threaded",
    "tcp-poll-two": "一个线程服务两个客户端：--poll",
}

IMG = ROOT / "docs" / "src" / "img"


def draw(name, title, steps):
    """Runs a picture's scenario with tracing; returns the drawings of the
    one trace, in English and in Chinese: (svg, text, svg_zh, text_zh)."""
    global TRACE_FILE
    import tempfile

    with tempfile.TemporaryDirectory() as folder:
        TRACE_FILE = str(Path(folder) / "run.jsonl")
        try:
            blocks, port, free = run_scenario(steps)
        finally:
            trace_file, TRACE_FILE = TRACE_FILE, None
        trace = Path(trace_file).read_text()
        # Process ids in order of appearance, before drawing: the boxes'
        # widths must not depend on how many digits a pid had.
        pids = {}
        trace = re.sub(r'"pid":(\d+)', lambda m: '"pid":' + pids.setdefault(m.group(1), str(101 + len(pids))), trace)
        if LAST_FOLDER and any(getattr(step, "path", None) for step in steps):
            trace = trace.replace(f'"{LAST_FOLDER}/', '"./')
        Path(trace_file).write_text(trace)
        drawn = []
        modes = (["--title", title], ["--text"],
                 ["--title", TITLES_ZH[name], "--lang", "zh"], ["--text", "--lang", "zh"])
        for mode in modes:
            result = subprocess.run([binary("trace-draw")] + mode + [trace_file],
                                    capture_output=True, text=True, timeout=PATIENCE)
            if result.returncode != 0:
                raise SystemExit(f"transcripts: trace-draw failed for {name}: {result.stderr}")
            drawn.append(result.stdout)
    server_name = next((s.name for s in steps if isinstance(s, Server)), None)
    return tuple(normalize_drawing(d, server_name, port, free) for d in drawn)


def normalize_drawing(text, server_name, port, free):
    """Ports as in the transcripts, and process ids in order of appearance."""
    pids = {}
    text = re.sub(r"pid (\d+)", lambda m: "pid " + pids.setdefault(m.group(1), str(101 + len(pids))), text)
    return normalize([("", text)], server_name, port, free).lstrip("\n")


def binary(name):
    return str(TARGET / name)


def shown(name, args, address=None):
    """The command as a student would type it: a server's ':0' and a
    client's address are left out, since the transcript shows the default
    ports (the address each program uses when given none). A client of
    another program's server is shown with that `address`."""
    words = [name] + [address or a if a in ("{addr}", "{free}") else a
                      for a in args if a != ":0" and (address or a not in ("{addr}", "{free}"))]
    return "$ " + " ".join(quote(w) for w in words)


def printf_text(text):
    """`text` as printf's format string, in single quotes: what a student
    types to send exactly these bytes."""
    out = ""
    for c in text:
        if c == "\\":
            out += "\\\\"
        elif c == "%":
            out += "%%"
        elif c == "'":
            out += "'\\''"
        elif c == "\n":
            out += "\\n"
        elif c == "\t":
            out += "\\t"
        elif ord(c) < 0x20 or ord(c) == 0x7f:
            out += "\\%03o" % ord(c)
        else:
            out += c
    return out


def free_port():
    """A loopback port where nothing listens, for TCP and for UDP."""
    import socket

    with socket.socket() as tcp, socket.socket(type=socket.SOCK_DGRAM) as udp:
        tcp.bind(("127.0.0.1", 0))
        port = tcp.getsockname()[1]
        udp.bind(("127.0.0.1", port))
        return port


def quote(word):
    if re.fullmatch(r"[\w@%+=:,./\[\]-]+", word):
        return word
    if "\t" in word or "\n" in word:
        # Bash's $'...' quoting, where \t really is a tab.
        return "$'" + word.replace("\\", "\\\\").replace("'", "\\'").replace("\t", "\\t").replace("\n", "\\n") + "'"
    return "'" + word.replace("'", "'\\''") + "'"


class Collector:
    """Reads a process's merged output on a thread."""

    def __init__(self, stream):
        self.data = b""
        self.lock = threading.Lock()
        self.thread = threading.Thread(target=self._read, args=(stream,), daemon=True)
        self.thread.start()

    def _read(self, stream):
        while True:
            try:
                chunk = os.read(stream.fileno() if hasattr(stream, "fileno") else stream, 4096)
            except OSError:
                break
            if not chunk:
                break
            with self.lock:
                self.data += chunk

    def text(self):
        with self.lock:
            return self.data.decode("utf-8", "replace")

    def wait_for(self, needle, what):
        deadline = time.time() + PATIENCE
        while needle not in self.text():
            if time.time() > deadline:
                raise SystemExit(f"transcripts: never saw {what}; got:\n{self.text()}")
            time.sleep(0.01)


# While a picture's scenario runs: the file every program traces into.
TRACE_FILE = None
# Where the programs run: a fresh folder for a scenario with a Unix
# socket, whose `./echo.sock` then appears there and nowhere else.
CWD = ROOT
# The last such folder: a trace names its socket files by absolute path,
# which a picture shows relative to it, as `./echo.sock`.
LAST_FOLDER = None
PROGRAMS = ("tcp-server", "tcp-client", "udp-server", "udp-client")


def settle():
    """While tracing: waits until each server's recvs with data have their
    sends in the trace. A program records a send right after the call, a
    moment after the other side may already have the bytes; the next
    program must start after that, for the picture to be the same every
    time."""
    if not TRACE_FILE:
        return
    deadline = time.time() + PATIENCE
    while time.time() < deadline:
        text = Path(TRACE_FILE).read_text() if Path(TRACE_FILE).exists() else ""
        events = [line for line in text.splitlines() if '"prog":"tcp-server"' in line]
        recvs = sum('"step":"recv"' in e and '"bytes":0' not in e and '"bytes":null' not in e for e in events)
        sends = sum('"step":"send"' in e for e in events)
        if sends >= recvs:
            return
        time.sleep(0.005)
    raise SystemExit("transcripts: the trace never settled")


def start(name, args, stdin=subprocess.DEVNULL, command=None):
    command = command or [binary(name)] + args
    if TRACE_FILE and name in PROGRAMS:
        command = command + ["--trace", TRACE_FILE]
    return subprocess.Popen(
        command,
        cwd=CWD,
        stdin=stdin,
        stdout=subprocess.PIPE,
        stderr=subprocess.STDOUT,
        env=ENV,
        start_new_session=True,
    )


def run_scenario(steps):
    """Runs one scenario; returns [(command, output)] and the server port.
    With a Unix socket's server, in a fresh folder of its own."""
    global CWD
    if not any(getattr(step, "path", None) for step in steps):
        return run_steps(steps)
    import tempfile

    global LAST_FOLDER
    with tempfile.TemporaryDirectory() as folder:
        CWD = LAST_FOLDER = folder
        try:
            return run_steps(steps)
        finally:
            CWD = ROOT


def run_steps(steps):
    blocks, port, server, server_out, held = [], None, None, None, []
    server_name, path = None, None
    # Free ports a client was aimed at, shown as that client's default.
    free = {}
    for step in steps:
        if isinstance(step, Server):
            server, server_out, port, shown_command = start_server(step)
            server_name, path = step.name, step.path
            if path:
                port = None
            blocks.append([shown_command, None, step])
        elif isinstance(step, Client):
            own = server is None or DEFAULT_PORT.get(server_name) == DEFAULT_PORT[step.name]
            targets = {"{addr}": f":{port}" if own else f"127.0.0.1:{port}"}
            if path:
                targets["{addr}"] = path
            if "{free}" in step.args:
                unused = free_port()
                free[str(unused)] = str(DEFAULT_PORT[step.name])
                targets["{free}"] = f"localhost:{unused}"
            args = [targets.get(a, a) for a in step.args]
            if TRACE_FILE:
                # A picture shows calls, not screens: plain pipes keep its
                # runs' timing as the pictures were made.
                client = start(step.name, args, stdin=subprocess.PIPE)
                out = Collector(client.stdout)
                client.terminal = None
            else:
                # Output to a terminal, as in a student's shell; input piped.
                command = [binary(step.name)] + args
                client, master, out = in_terminal(command, "xterm", piped=True)
                client.terminal = master
            # A client of its own server (or of nothing) goes to its default
            # address; a client of another program's server names it.
            command = shown(step.name, step.args, path or (None if own else f"127.0.0.1:{port}"))
            if step.stdin:
                command = f"$ printf '{printf_text(step.stdin)}' | " + command[2:]
            if step.hold:
                out.wait_for(said("connected to"), "the held client's connection")
                # Wait for the first echo: the line after "connected to".
                deadline = time.time() + PATIENCE
                while out.text().count("\n") < 2 and time.time() < deadline:
                    time.sleep(0.01)
                held.append((client, out, len(blocks)))
                blocks.append([command, None, None])
                settle()
                continue
            client.stdin.write(step.stdin.encode())
            client.stdin.close()
            if step.background:
                out.wait_for(said(step.wait_for or "connected to"), "the background client's progress")
                held.append((client, out, len(blocks)))
                blocks.append([command, None, None])
                continue
            blocks.append([command, finished(client, out), None])
        elif isinstance(step, Typed):
            own = server is None or DEFAULT_PORT.get(server_name) == DEFAULT_PORT[step.name]
            if "{free}" in step.args:
                unused = free_port()
                free[str(unused)] = str(DEFAULT_PORT[step.name])
                address = f"localhost:{unused}"
            else:
                address = path or (f":{port}" if own else f"127.0.0.1:{port}")
            command = [binary(step.name)] + [address if a in ("{addr}", "{free}") else a
                                             for a in step.args]
            if TRACE_FILE:
                command += ["--trace", TRACE_FILE]
            client = AtTheKeyboard(step, command)
            client.begin()
            blocks.append([shown(step.name, step.args, path or (None if own else f"127.0.0.1:{port}")),
                           None, None])
            if step.hold or step.background:
                held.append((client, None, len(blocks) - 1))
            else:
                blocks[-1][1] = client.end()
            settle()
        elif isinstance(step, Probe):
            args = [a.replace("{port}", str(port)).replace("{path}", path or "") for a in step.args]
            result = subprocess.run(args, capture_output=True, text=True, timeout=PATIENCE, cwd=CWD)
            if result.returncode != 0:
                raise SystemExit(f"transcripts: {args} failed: {result.stderr}")
            header, *rows = result.stdout.splitlines() or [""]

            def order(row):
                # By state, then the server's own end first: ss lists
                # sockets in hash order, which changes from run to run.
                if path:
                    return (row.split()[0], row.split()[1], path not in row)
                local = next(f for f in row.split() if ":" in f)
                return (row.split()[0], not local.endswith(f":{port}"))

            body = "".join(line + "\n" for line in [header] + sorted(rows, key=order) if line)
            blocks.append(["$ " + " ".join(quote(a) for a in args), body, None])
        elif isinstance(step, Release):
            release(held, blocks)
        elif isinstance(step, Kill):
            server.kill()
            server.wait(PATIENCE)
            server_out.thread.join(PATIENCE)
            first = next(b for b in blocks if b[2] is not None)
            terminal = getattr(server, "terminal", None)
            if terminal is not None:
                os.close(terminal)
                first[1] = screen_text(server_out.data)
            else:
                first[1] = server_out.text()
            # SIGKILL: the shell would say "Killed"; the screen says nothing.
            first[2] = None
            blocks.append([f"$ kill -9 $(pidof {server_name})", "", None])
            server = None
        elif isinstance(step, Steps):
            # Shown without ":0", like the other servers (port 10888).
            command = "$ " + " ".join([step.name, "--step"] + step.args)
            blocks.append([command, run_in_terminal(step), None])
    release(held, blocks)
    if server is not None:
        first = next(b for b in blocks if b[2] is not None and isinstance(b[2], Server))
        terminal = getattr(server, "terminal", None)
        if first[2].stop == "ctrl-c":
            time.sleep(0.2)  # let the last status lines arrive first
            if terminal is not None:
                os.write(terminal, b"\x03")  # Ctrl-C, typed in its terminal
            else:
                server.send_signal(signal.SIGTERM)
        server.wait(PATIENCE)
        server_out.thread.join(PATIENCE)
        if terminal is not None:
            os.close(terminal)
            output = screen_text(server_out.data)
        else:
            output = server_out.text()
        first[1] = output + ("" if first[2].quiet_exit else exit_note(server))
    return [(command, output) for command, output, _ in blocks], port, free


def start_server(step):
    """Starts a scenario's server on a free port; returns the process, its
    output, the port and the command as shown. A port taken in the moment
    between finding it free and binding it is tried again elsewhere."""
    for _ in range(5):
        port = free_port()
        command, name, shown_args = step.command(port)
        if isinstance(step, Peer):
            process = start(name, [], command=command)
            out = Collector(process.stdout)
        else:
            # In a terminal of its own, as a student runs it: Ctrl-C there
            # is what stops it.
            if TRACE_FILE:
                command = command + ["--trace", TRACE_FILE]
            process, master, out = in_terminal(command, "xterm")
            process.terminal = master
        deadline = time.time() + PATIENCE
        while step.ready not in out.text() and process.poll() is None and time.time() < deadline:
            time.sleep(0.01)
        if step.ready in out.text():
            return process, out, str(port), shown(name, shown_args)
        if getattr(process, "terminal", None) is not None:
            os.close(process.terminal)
        process.kill()
        process.wait(PATIENCE)
        if "in use" not in out.text():
            raise SystemExit(f"transcripts: {name} did not start; it said:\n{out.text()}")
    raise SystemExit(f"transcripts: no free port for {step.name}")


def screen_text(data):
    """The screen after `data`, as text: its rows, without the empty ones
    below the last."""
    rows, _ = screen(data)
    while rows and not rows[-1]:
        rows.pop()
    return "".join(r + "\n" for r in rows)


def finished(process, out):
    """Waits for a program in a terminal to end; returns its screen."""
    process.wait(PATIENCE)
    out.thread.join(PATIENCE)
    if process.terminal is None:
        return out.text() + exit_note(process)
    os.close(process.terminal)
    return screen_text(out.data) + exit_note(process)


def release(held, blocks):
    """Closes held clients' input and waits for every client still running."""
    for client, out, index in held:
        if isinstance(client, AtTheKeyboard):
            blocks[index][1] = client.end()
            continue
        if client.stdin and not client.stdin.closed:
            client.stdin.close()
        blocks[index][1] = finished(client, out)
    held.clear()


# The pseudo-terminal's width: wide enough that no line of a transcript wraps.
COLUMNS = 1000


def in_terminal(command, term, piped=False):
    """Starts `command` in a new pseudo-terminal, as its controlling
    terminal; returns the process, the terminal's master end and a
    Collector of everything the program wrote to it. piped=True: stdin is
    a pipe (`printf … | program`), the output still goes to the terminal."""
    master, slave = pty.openpty()
    fcntl.ioctl(slave, termios.TIOCSWINSZ, struct.pack("HHHH", 50, COLUMNS, 0, 0))

    def controlling_terminal():
        fcntl.ioctl(1, termios.TIOCSCTTY, 0)

    process = subprocess.Popen(
        command,
        cwd=CWD,
        stdin=subprocess.PIPE if piped else slave,
        stdout=slave,
        stderr=slave,
        env=dict(ENV, TERM=term),
        start_new_session=True,
        preexec_fn=controlling_terminal,
    )
    os.close(slave)
    return process, master, Collector(master)


def screen(raw):
    """What a terminal shows after receiving `raw`: (rows, cursor row).

    Applies the few controls a line editor uses (carriage return, line
    feed, erase to the end of the line, cursor moves) to rows of cells; a
    wide character such as 你 takes two cells. Modes (bracketed paste,
    synchronized output) and colours change nothing on the screen. Any
    other control is an error: the transcript would not be what a
    terminal shows."""
    rows, row, col = [[]], 0, 0
    for token in re.finditer(r"\x1b\[([?\d;]*)([A-Za-z])|\x1b.?|.", raw.decode("utf-8", "replace"), re.S):
        text, params, final = token.group(), token.group(1), token.group(2)
        if final:
            n = int(params) if params.isdigit() else 1
            if params.startswith("?") or final == "m":
                continue
            if final == "K" and params in ("", "0"):
                del rows[row][col:]
            elif final == "C":
                col += n
            elif final == "D":
                col = max(0, col - n)
            elif final == "A":
                row = max(0, row - n)
            elif final == "B":
                row += n
            elif final == "G":
                col = n - 1
            elif final == "J" and params in ("", "0"):
                del rows[row][col:]
                del rows[row + 1:]
            else:
                raise SystemExit(f"transcripts: the screen model lacks {text!r}")
        elif text == "\r":
            col = 0
        elif text == "\n":
            row += 1
        elif text == "\b":
            col = max(0, col - 1)
        elif text == "\a":
            pass
        elif text < " " or text.startswith("\x1b"):
            raise SystemExit(f"transcripts: the screen model lacks {text!r}")
        else:
            width = 2 if unicodedata.east_asian_width(text) in "WF" else 1
            if col + width > COLUMNS:
                row, col = row + 1, 0
            while len(rows) <= row:
                rows.append([])
            cells = rows[row]
            cells.extend([" "] * (col + width - len(cells)))
            cells[col:col + width] = [text] + [""] * (width - 1)
            col += width
        while len(rows) <= row:
            rows.append([])
    return ["".join(cells) for cells in rows], row


class AtTheKeyboard:
    """A Typed client running in its pseudo-terminal."""

    def __init__(self, step, command):
        self.step = step
        self.process, self.master, self.out = in_terminal(command, "xterm")

    def wait_until(self, ready, what):
        deadline = time.time() + PATIENCE
        while not ready(*screen(self.out.data)):
            if self.process.poll() is not None and not self.out.thread.is_alive():
                return
            if time.time() > deadline:
                raise SystemExit(f"transcripts: never saw {what}; the screen:\n"
                                 + "\n".join(screen(self.out.data)[0]))
            time.sleep(0.01)

    def arrived(self, text):
        """Waits until `text` is in what arrived (rows other than prompts,
        joined: an echo cut into pieces is whole again)."""
        self.wait_until(lambda rows, _: text in "".join(r for r in rows if not r.startswith("> ")),
                        f"{text!r} on the screen")

    def answered(self, line):
        # Rows that came from the other side, not a prompt with a typed
        # line: starting with the line (its echo), or holding the answer.
        answer = said(self.step.answers.get(line))
        found = (lambda r: answer in r) if answer else (lambda r: r.startswith(line))
        return lambda rows, _: sum(found(r) and not r.startswith("> ") for r in rows)

    def begin(self):
        """Up to where the scenario goes on: the first prompt, the answer
        to the first message and every line typed (or, in the background,
        `wait_for`)."""
        step = self.step
        self.wait_until(lambda rows, row: rows[row] == "> ", "the first prompt")
        if step.background:
            self.arrived(said(step.wait_for))
            return
        if step.first:
            self.arrived(said(step.first))
        # The next line is typed only at a new prompt, below the last one:
        # a key pressed while the editor is between two lines would be
        # echoed by the terminal itself.
        for line in step.lines:
            expect = step.answers.get(line, line) is not None
            rows, last_prompt = screen(self.out.data)
            before = self.answered(line)(rows, last_prompt)
            os.write(self.master, line.encode() + b"\r")
            if expect:
                self.wait_until(lambda rows, row: self.answered(line)(rows, row) > before,
                                f"the answer to {line!r}")
            self.wait_until(lambda rows, row: row > last_prompt and rows[row] == "> ",
                            f"the prompt after {line!r}")

    def end(self):
        """Ctrl-D, once the first message was answered; returns the screen
        as it was when the program ended."""
        if self.step.background and self.step.first:
            self.arrived(said(self.step.first))
        if self.process.poll() is None:
            os.write(self.master, b"\x04")  # Ctrl-D: the end of the input
        self.process.wait(PATIENCE)
        self.out.thread.join(PATIENCE)
        os.close(self.master)
        return screen_text(self.out.data) + exit_note(self.process)


def run_in_terminal(step):
    """Runs a server in a pseudo-terminal and presses Enter a few times."""
    process, master, out = in_terminal([binary(step.name), f":{free_port()}", "--step"] + step.args, "dumb")
    for press in range(1, step.presses + 1):
        deadline = time.time() + PATIENCE
        while out.text().count(said("press Enter")) < press:
            if time.time() > deadline:
                raise SystemExit(f"transcripts: no pause {press}:\n{out.text()}")
            time.sleep(0.01)
        os.write(master, b"\r")
    out.wait_for(said("listening on"), "the listening line after the last step")
    process.send_signal(signal.SIGKILL)
    process.wait(PATIENCE)
    text = out.text().replace("\r\n", "\n").replace("\r", "")
    # Keep what the screen showed up to the listening line: then the server
    # waits in accept() for a client.
    end = text.index("\n", text.index(said("listening on")))
    return text[: end + 1]


def exit_note(process):
    code = process.returncode
    return "" if code == 0 else f"[exit code {code}]\n"


def normalize(blocks, server_name, port, free):
    """Fixed ports and timings, so every machine gets the same text."""
    text = "".join(f"{command}\n{output}\n" for command, output in blocks)
    names = dict(free)
    if port is not None:
        names[port] = str(DEFAULT_PORT.get(server_name, port))

    def rename(match):
        number = match.group(2)
        if number not in names:
            names[number] = str(50001 + sum(1 for v in names.values() if v.startswith("500")))
        return match.group(1) + names[number]

    text = re.sub(r"(\d:|\]:|= :|localhost:)(\d{4,5})\b", rename, text)
    # "port 49677" in words (a hint, a web server's banner) too.
    text = re.sub(r"\b(port|端口) (\d{4,5})\b",
                  lambda m: f"{m.group(1)} " + names.get(m.group(2), m.group(2)), text)
    text = re.sub(r"\b\d+\.\d+ ms\b", "0.10 ms", text)
    text = re.sub(r"\b\d+\.\d+ 毫秒", "0.10 毫秒", text)
    # A datagram client's own socket file is named after its process id;
    # `ss -x` numbers sockets by inode. Both in order of appearance.
    pids = {}
    text = re.sub(r"udp-client-(\d+)\.sock", lambda m: "udp-client-" + pids.setdefault(m.group(1), str(4001 + len(pids))) + ".sock", text)
    inodes = {}

    def inode(match):
        row = re.sub(r"(?<=\s)(\d{3,})(?=\s|$)", lambda m: inodes.setdefault(m.group(1), str(10001 + len(inodes))), match.group(0))
        return row

    text = re.sub(r"(?m)^u_(str|dgr) .*$", inode, text)
    text = re.sub(r"(?m)^Netid .*\n(?:u_(?:str|dgr) .*\n?)+", ss_x_table, text)
    # What a web server says about the day and itself.
    text = re.sub(r"\[\d\d/\w+/\d{4} [\d:]+\]", "[25/Nov/2026 10:00:00]", text)
    text = re.sub(r"(Date|Last-Modified): \w+, .* GMT", r"\1: Wed, 25 Nov 2026 10:00:00 GMT", text)
    text = re.sub(r"Python/[\d.]+", "Python/3.x", text)
    return text.rstrip("\n") + "\n"


# Scenarios whose --explain lines the chapters quote step by step: each
# program's lines for one step go to NAME.PROGRAM.STEP.txt as well.
SPLIT = ["tcp-explain", "udp-explain"]


def split_by_step(name, text):
    """The --explain lines of each program in `text`, by step."""
    pieces = {}
    program = None
    for line in text.splitlines():
        if line.startswith("$ "):
            program = line[2:].split("| ")[-1].split()[0]
        elif re.match(r"explain( \[[\w-]+\])?: ", line) and program:
            step = line.split(": ", 1)[1].split()[0]
            key = f"{name}.{program}.{step}"
            pieces[key] = pieces.get(key, "") + line + "\n"
    return pieces


def generate_pictures():
    """Every picture: (svg, text, trace) by name."""
    return {name: draw(name, title, steps) for name, (title, steps) in PICTURES.items()}


def generate(check=False):
    results = {}
    for name, steps in SCENARIOS.items():
        server_name = next((s.name for s in steps if isinstance(s, (Server, Steps))), None)
        runs = 1 if check or name not in PREFERRED else 5
        for _ in range(runs):
            blocks, port, free = run_scenario(steps)
            if any(isinstance(s, Steps) for s in steps):
                found = re.search(Server.port_pattern, blocks[0][1])
                port = found.group(1) if found else None
            results[name] = normalize(blocks, server_name, port, free)
            if said(PREFERRED.get(name, "")) in results[name]:
                break
        if name in SPLIT:
            results.update(split_by_step(name, results[name]))
    return results


def ss_x_table(match):
    """Lays out an `ss -x` table anew. ss sizes its columns to what they
    hold, and the inode numbers it shows are renumbered above, so the real
    spacing would differ from run to run: same columns, same order, each as
    wide as its widest cell."""
    lines = match.group(0).rstrip("\n").split("\n")
    header = ["Netid", "State", "Recv-Q", "Send-Q", "Local Address:Port", "Peer Address:Port", "Process"]
    rows = [header]
    for line in lines[1:]:
        f = line.split()
        rows.append(f[:4] + [f[4] + " " + f[5], f[6] + " " + f[7], " ".join(f[8:])])
    widths = [max(len(row[i]) for row in rows) for i in range(len(header))]
    out = ["  ".join(cell.ljust(widths[i]) for i, cell in enumerate(row)).rstrip() for row in rows]
    return "\n".join(out) + ("\n" if match.group(0).endswith("\n") else "")


def lab_commands(results):
    """Every command a lab's table tells the student to run, checked
    against the commands of the transcripts that lab shows: the table and
    the transcript must be the same run. Returns the disagreements."""
    text = (ROOT / "docs" / "src" / "labs.md").read_text()
    problems = []
    for section in re.split(r"\n(?=## )", text):
        title = section.splitlines()[0]
        shown_here = set()
        for name in re.findall(r"\{\{#include transcripts/([\w.-]+)\.txt\}\}", section):
            shown_here.update(line[2:] for line in results.get(name, "").splitlines()
                              if line.startswith("$ "))
        for row in re.findall(r"^\|.*$", section, re.M):
            for cell in re.findall(r"`([^`]+)`", row):
                command = cell.replace("\\|", "|")
                command = re.sub(r"cargo run -p ([\w-]+)(?: -- )?", r"\1 ", command).strip()
                if not re.match(r"(printf |ss |[\w-]+-(server|client)\b)", command):
                    continue
                if command not in shown_here:
                    problems.append(f"{title}: `{cell}` is not a command its transcripts ran")
    return problems


def check_html():
    """The rendered book shows commands as written: every `--flag` of the
    sources is still two hyphens in the HTML, and no en dash crept in."""
    book = ROOT / "docs" / "book"
    # Drawings are left out: their arrows are dashes, not flags.
    sources = list((ROOT / "docs" / "src").rglob("*.md")) + [
        p for p in OUT.glob("*.txt") if not p.name.endswith(".draw.txt")]
    flags = set()
    for path in sources:
        flags.update(re.findall(r"(?<![-\w])--[a-z][a-z-]*", path.read_text()))
    pages = [p for p in book.rglob("*.html") if p.name != "print.html"]
    if not pages:
        raise SystemExit("check-html: no rendered book; run `mdbook build docs` first")
    html = "".join(p.read_text() for p in pages)
    problems = [f"{flag} is not in the rendered book" for flag in sorted(flags) if flag not in html]
    problems += [f"{p.name}: en dash" for p in pages if "\u2013" in p.read_text()]
    if problems:
        print("\n".join(problems))
        sys.exit(1)
    print(f"rendered book: all {len(flags)} flags shown as typed, no en dash")


def png_ink(path):
    """The share of pixels of a PNG that are not white (8-bit RGB or RGBA,
    as Chromium writes its screenshots)."""
    import struct
    import zlib

    data = Path(path).read_bytes()
    assert data[:8] == b"\x89PNG\r\n\x1a\n", "not a PNG"
    pos, idat, width, height, channels = 8, b"", 0, 0, 0
    while pos < len(data):
        length, kind = struct.unpack(">I4s", data[pos:pos + 8])
        body = data[pos + 8:pos + 8 + length]
        if kind == b"IHDR":
            width, height, depth, color = struct.unpack(">IIBB", body[:10])
            assert depth == 8 and color in (2, 6), "unexpected PNG format"
            channels = 3 if color == 2 else 4
        elif kind == b"IDAT":
            idat += body
        pos += 12 + length
    raw, stride = zlib.decompress(idat), width * channels
    previous, ink = bytearray(stride), 0
    for y in range(height):
        row = raw[y * (stride + 1):(y + 1) * (stride + 1)]
        kind, line = row[0], bytearray(row[1:])
        for i in range(stride):
            a = line[i - channels] if i >= channels else 0
            b, c = previous[i], previous[i - channels] if i >= channels else 0
            if kind == 1:
                line[i] = (line[i] + a) & 255
            elif kind == 2:
                line[i] = (line[i] + b) & 255
            elif kind == 3:
                line[i] = (line[i] + (a + b) // 2) & 255
            elif kind == 4:
                p = a + b - c
                pa, pb, pc = abs(p - a), abs(p - b), abs(p - c)
                line[i] = (line[i] + (a if pa <= pb and pa <= pc else b if pb <= pc else c)) & 255
        ink += sum(1 for x in range(0, stride, channels) if min(line[x:x + 3]) < 200)
        previous = line
    return ink / (width * height)


def check_svg_render():
    """Renders one of the book's pictures in headless Chromium and checks
    that it is not blank."""
    import shutil
    import tempfile

    browser = shutil.which("chromium") or shutil.which("chromium-browser")
    if not browser:
        raise SystemExit("check-svg-render: no chromium (apt-get install chromium)")
    svg = IMG / "tcp-lifecycle.svg"
    with tempfile.TemporaryDirectory() as folder:
        png = Path(folder) / "shot.png"
        subprocess.run([browser, "--headless", "--no-sandbox", "--disable-gpu", "--disable-quic",
                        "--no-first-run", "--disable-background-networking",
                        "--disable-component-update", "--disable-sync",
                        f"--user-data-dir={folder}/profile", f"--screenshot={png}",
                        "--window-size=1000,800", svg.as_uri()],
                       capture_output=True, timeout=60, check=True)
        ink = png_ink(png)
    if ink < 0.005:
        raise SystemExit(f"check-svg-render: {svg.name} rendered blank ({ink:.2%} ink)")
    print(f"rendered {svg.name} in Chromium: {ink:.1%} of the pixels are ink")


def main():
    if "--check-html" in sys.argv[1:]:
        return check_html()
    if "--check-svg-render" in sys.argv[1:]:
        return check_svg_render()
    check = "--check" in sys.argv[1:]
    subprocess.run(["cargo", "build", "--quiet", "--workspace", "--bins"], cwd=ROOT, check=True)
    results = generate(check)
    OUT.mkdir(parents=True, exist_ok=True)
    stale = []
    for name, text in results.items():
        path = OUT / f"{name}.txt"
        old = path.read_text() if path.exists() else ""
        if check and name in VARIES:
            missing = [said(line) for line in VARIES[name]
                       if said(line) not in old or said(line) not in text]
            if missing:
                print(f"{name}: missing {missing!r} in the book's copy or a fresh run")
                stale.append(name)
            # What does not depend on timing must still agree: the
            # commands, and what --explain says the first time of each step.
            fixed = lambda t: sorted({line for line in t.splitlines() if line.startswith("$ ")}
                                     | {line.split(" — ", 1)[1] for line in t.splitlines() if " — " in line})
            if fixed(old) != fixed(text):
                print(f"{name}: commands or --explain sentences differ from a fresh run")
                sys.stdout.writelines(difflib.unified_diff(
                    [l + "\n" for l in fixed(old)], [l + "\n" for l in fixed(text)], f"book/{name}", f"run/{name}"))
                stale.append(name)
            continue
        if old != text:
            stale.append(name)
            if check:
                sys.stdout.writelines(
                    difflib.unified_diff(
                        old.splitlines(True), text.splitlines(True), f"book/{name}", f"run/{name}"
                    )
                )
            else:
                path.write_text(text)
    # Each picture is one traced run, drawn in both languages; the Chinese
    # run of the transcripts has nothing more to draw.
    pictures = {} if CHINESE else generate_pictures()
    for name, (svg, text, svg_zh, text_zh) in pictures.items():
        files = [(IMG / f"{name}.svg", svg), (OUT / f"{name}.draw.txt", text),
                 (IMG / "zh" / f"{name}.svg", svg_zh), (OUT / "zh" / f"{name}.draw.txt", text_zh)]
        if name in PICTURES_VARY:
            book_text = files[1][0].read_text() if files[1][0].exists() else ""
            # The client is lane A: its sends, not the server's echoes.
            made = lambda drawing: re.findall(r"A  send\(\d+ bytes?\)", drawing)
            same = all(path.exists() for path, _ in files) and made(book_text) == made(text)
            if same:
                continue  # the book keeps its run: the chapter describes it
            if check:
                print(f"{name}: the sends differ from the book's picture")
                stale.append(name)
                continue
        for path, fresh in files:
            old = path.read_text() if path.exists() else ""
            if old != fresh:
                stale.append(str(path.relative_to(path.parent.parent)))
                path.parent.mkdir(exist_ok=True)
                if check:
                    sys.stdout.writelines(difflib.unified_diff(
                        old.splitlines(True), fresh.splitlines(True), f"book/{path.name}", f"run/{path.name}"))
                else:
                    path.write_text(fresh)
    for problem in [] if CHINESE else lab_commands(results):
        print(problem)
        stale.append("labs.md")
    known = {f"{name}.txt" for name in results} | {f"{name}.draw.txt" for name in PICTURES}
    extra = sorted(p.name for p in OUT.glob("*.txt") if p.name not in known)
    if check and (stale or extra):
        print(f"transcripts differ from a fresh run: {', '.join(stale + extra)}")
        print("regenerate them with: python3 docs/transcripts.py" + (" --lang zh" if CHINESE else ""))
        sys.exit(1)
    print(f"transcripts: {len(results)} scenarios, {len(stale)} updated" if not check
          else f"transcripts: all {len(results)} match a fresh run")


if __name__ == "__main__":
    main()
