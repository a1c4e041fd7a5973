# What every program says, in English: errors and hints. Read after lesson.ftl
# (one catalog, see lesson::lang); the other language has the same ids.

## What could not be done: `cannot <verb> <target>`, one per step.

error-resolve = cannot resolve { $target }
error-socket = cannot create a socket for { $target }
error-setsockopt = cannot set an option on the socket for { $target }
error-bind = cannot bind { $target }
error-listen = cannot listen on { $target }
error-accept = cannot accept a connection on { $target }
error-connect = cannot connect to { $target }
error-recv = cannot receive from { $target }
error-send = cannot send to { $target }
error-recv-from = cannot receive on { $target }
error-shutdown = cannot shut down the connection to { $target }
error-close = cannot close { $target }

## Why: the operating system's answer, in words.

error-addr-in-use = address already in use
error-addr-not-available = address not available on this machine
error-refused = connection refused
error-reset = connection reset by peer
error-aborted = connection aborted
error-broken-pipe = broken pipe (the peer has closed the connection)
error-permission = permission denied
error-timed-out = timed out
error-host-unreachable = host unreachable
error-network-unreachable = network unreachable
error-eof = the peer closed the connection
error-not-found = no such file or directory
error-not-a-directory = not a directory
error-too-many-files = { $said }; raise the limit with `ulimit -n`

## What to try next: the hint in parentheses.

error-hint-in-use = is another server running on that port? pick another port, or 0 for any free one
error-hint-low-port = ports below 1024 need administrator rights; use a port above 1024
error-hint-not-ours = that IP address is not one of this machine's; try 127.0.0.1
error-hint-resolve = check the spelling, or use an IP address such as 127.0.0.1
error-hint-no-answer = no answer at all; is the address right, or is a firewall dropping packets?
error-hint-reset = the peer closed the connection abruptly
error-hint-unix-path = a Unix socket's path needs ./ or unix: in front: ./{ $host }

## A Unix socket's path that bind() cannot take.

error-path-not-yours = that folder is not yours to write in: pick a path in one that is, such as /tmp/echo.sock
error-path-no-folder = its folder does not exist: create it first, or pick a path in an existing folder
error-path-taken-now = something else took the path just now
error-path-folder = { $path } is a folder: name a file inside it, such as { $inside }
error-path-symlink = { $path } is a symbolic link: bind() never follows one; pick another path (this program deletes no file it did not create)
error-path-file = { $path } is a file that is no socket: pick another path (this program deletes no file it did not create)
error-path-bound = another program is bound to { $path }: stop it, or pick another path
error-path-stale = { $path } is a stale socket file, left by a program that ended without removing it (killed?): remove it with `rm { $path }`

## The command line and the terminal.

error-see-help = { $message }; see --help
error-buffer = expected a number of bytes from 1 to { $max }
error-seconds = expected a number of seconds from 0.000001 to 86400 (such as 2 or 0.5)
error-trace-file = cannot open the trace file { $path }
error-trace-file-hint = check that its folder exists and can be written
error-step-terminal = --step needs a terminal to read Enter from
error-step-terminal-hint = run it in a terminal, or use --explain alone
error-stdout-thread = cannot start the thread that writes stdout
error-line-editing = cannot set up line editing
error-start-reading = cannot start reading
error-keep-terminal = cannot keep the terminal for signals
error-stopped-by-signal = stopped by a signal
error-signals = cannot handle signals
error-read-terminal = cannot read from the terminal
error-read-stdin = cannot read standard input
error-second-signal = second signal: stopping at once

## What is left of the input when the conversation is over.

input-finish = { $why }. Press Enter or Ctrl-D to finish
input-typed-unsent = { $lines ->
        [one] 1 line
       *[other] { $lines } lines
    } typed but not sent: { $why }
input-rest-unsent = { $lines ->
        [one] 1 line
       *[other] { $lines } lines
    } of input not sent: { $why }
input-rest-unsent-at-least = at least { $lines ->
        [one] 1 line
       *[other] { $lines } lines
    } of input not sent: { $why }

## --step: a wait worth a word.

step-waiting = waiting for { $what }

## clap's usage errors, as the Chinese catalog words them (in English, clap's
## own words are shown: these are for the catalog's completeness).

error-clap-unknown = unexpected argument '{ $arg }' found
error-clap-extra = unexpected argument '{ $arg }' found
error-clap-empty = a value is required for '{ $arg }' but none was supplied
error-clap-choices = invalid value '{ $second }' for '{ $arg }' [possible values: { $third }]
error-clap-invalid = invalid value '{ $second }' for '{ $arg }': { $third }
error-clap-conflict = the argument '{ $arg }' cannot be used with '{ $second }'
error-clap-twice = the argument '{ $arg }' cannot be used multiple times
error-clap-missing = the following required arguments were not provided: { $arg }
error-clap-tip = { $said } (tip: a similar argument exists: '{ $tip }')
input-enters-dropped = { $enters ->
        [one] 1 Enter
       *[other] { $enters } Enters
    } pressed while the program waited: not taken as an empty line

## Why an address could not be parsed (shared::address::AddressError).

address-empty = the address is empty
address-port-not-a-number = port `{ $port }` is not a number
address-port-out-of-range = port { $port } is out of range (ports go from 0 to 65535)
address-port-missing = a `:` must be followed by a port
address-unclosed-bracket = `[` is never closed (write IPv6 as [::1]:PORT)
address-junk-after-bracket = `{ $rest }` after `]` should be `:PORT`
address-not-ipv6 = `{ $inner }` is not an IPv6 address (only IPv6 goes in brackets)
address-invalid-host = `{ $host }` is not a valid host name or IP address (try localhost or 127.0.0.1)
address-ambiguous-ipv6 = `{ $ip }:{ $port }` could be an IPv6 address or { $ip } with port { $port }: write [{ $ip }]:{ $port } for the port, [{ $ip }:{ $port }] for the address
address-ipv6-port-needs-brackets = `{ $ip }:{ $port }`: with a port, an IPv6 address goes in brackets: write [{ $ip }]:{ $port }
address-path-missing = `unix:` must be followed by a path (unix:echo.sock)
address-path-too-long = the socket path is { $length } bytes long, and a Unix socket's path can have at most { $max }: use a shorter one, such as /tmp/echo.sock
