# --help, in English: clap writes it from the code's doc comments, so only
# what Chinese needs in its place is here (lesson::flags). The other
# language has the same ids.

help-tcp-server = A TCP echo server that shows every step of a socket's life
help-tcp-client = An interactive TCP client that shows every step of a socket's life
help-udp-server = A UDP echo server that shows every step of a socket's life
help-udp-client = An interactive UDP client that shows every step of a socket's life
help-usage = Usage:
help-arguments = Arguments
help-options = Options
help-default = default: { $value }
help-help = Print help
help-version = Print version

## Every program's flags.

help-address = Address: HOST, HOST:PORT, :PORT, PORT, [IPV6]:PORT or an IPv6 literal; missing parts take the defaults shown below. A path (./echo.sock, /tmp/echo.sock, unix:echo.sock) is a Unix domain socket
help-explain = Narrate each socket call as it happens: what the operating system does, with the real addresses and byte counts (on stderr)
help-step = Pause after each socket call until you press Enter, with a command to watch it from another terminal (implies --explain)
help-hex = Also show every chunk received as a hex dump (on stdout)
help-trace = Append one JSON line per socket call to FILE, for `trace-draw` to draw (several programs may share one file)
help-lang = The language of the narration: en or zh (简体中文); by default the locale's (LC_ALL, LC_MESSAGES or LANG starting with zh: Chinese)

## The servers'.

help-tcp-server-buffer = Bytes to ask for in each recv() call
help-udp-server-buffer = Bytes to ask for in each recv_from(); longer datagrams are cut off
help-backlog = Finished handshakes the kernel may queue before accept() takes them [default: 1 as in the script, 128 with --threaded or --poll]
help-once = Stop after the first client leaves, as the Python script does
help-tcp-server-threaded = Serve many clients at once, one thread each (socketserver's design)
help-poll = Serve many clients at once from one thread: an event loop over non-blocking sockets
help-max-clients = With --threaded or --poll: clients served at once; more wait in the backlog
help-idle-timeout = Disconnect a client that makes no progress for this many seconds: it sends nothing, and reads none of its echo
help-keep-open = Keep serving when a client sends `bye` (for a room of many clients)
help-drop = Simulate loss: throw away this fraction (0.0 to 1.0) of incoming datagrams, announcing each
help-seed = With --drop: the seed of the loss pattern; the same seed drops the same datagrams every run [default: from the clock, and printed]
help-udp-server-threaded = Answer the datagrams on a pool of handler threads while the main thread receives (socketserver's UDPServer with threads)
help-handlers = With --threaded: handler threads in the pool; while all are busy, new datagrams wait in the socket's receive buffer

## The clients'.

help-buffer = Bytes to ask for in each recv() (UDP: a longer reply is cut off)
help-message = The first message, sent before any typed line ("" sends none)
help-timeout = Seconds to wait for each reply before saying it is late and going on; a reply that comes later is still shown
help-no-wait = Send every line as soon as it is read, without waiting for the reply to the one before: TCP's stream against UDP's datagrams
help-lf = End each line sent with LF (\n), for servers that read lines; an empty line is then sent as just LF, and only Ctrl-D or the end of the input ends the client
help-crlf = End each line sent with CRLF (\r\n), as HTTP, SMTP and most Internet protocols want (like ncat -C)
help-wait-close = After the end of input: stop waiting for the server to close this many seconds after as many bytes as were sent have arrived (an echo is back), or after nothing at all has arrived for this long, and after ten times this long in any case
help-connect-timeout = Give up connecting after this many seconds (default: as long as the kernel retries, about two minutes)
help-retries = Send a message again, up to N more times, when its reply times out
help-bind = With a Unix socket's ADDRESS (a path): the path our own socket binds, so the server's replies can reach it (default: udp-client-PID.sock in the temporary folder); removed at the end. Not for UDP, where the kernel picks our port

## After the flags: the default address and examples.

help-tcp-server-after =
    Defaults: ADDRESS is { $default }; port 0 means any free port.

    Examples:
      tcp-server                     listen on the default address, one at a time
      tcp-server :0 --explain        any free port, narrating every socket call
      tcp-server 0.0.0.0 --threaded  every interface, many clients at once
      tcp-server ./echo.sock         a Unix domain socket at that path
help-tcp-client-after =
    Defaults: ADDRESS is { $default }.

    Examples:
      tcp-client                        connect to the default address and chat
      tcp-client :9000 --explain        another port, narrating every socket call
      printf 'a\nb\n' | tcp-client      send two lines, print the echoes, exit
      tcp-client ./echo.sock            a Unix domain socket's server, by its path
      tcp-client :8000 --crlf --message ''
                                        type an HTTP request by hand
help-udp-server-after =
    Defaults: ADDRESS is { $default }; port 0 means any free port.

    Examples:
      udp-server                      echo on the default address until bye
      udp-server :0 --explain         any free port, narrating every socket call
      udp-server --keep-open --buffer 8  a whole class, and see truncation
      udp-server --threaded --explain    handler threads answer, one request each
      udp-server ./echo.sock          AF_UNIX datagrams on a socket path (the
                                      client binds a path of its own to get
                                      replies; the file is removed at the end)
help-udp-client-after =
    Defaults: ADDRESS is { $default }.

    Examples:
      udp-client                        talk to the default address; type bye to stop both
      udp-client :9000 --explain        another port, narrating every socket call
      printf 'a\nbye\n' | udp-client    send hello, a and bye, and exit
      udp-client /tmp/echo.sock         talk to a Unix datagram server at that path
