# What tcp-client says, in English. Read after lesson.ftl
# (one catalog, see lesson::lang); the other language has the same ids.

## tcp-client: connecting, and why a connect() takes long or fails.

client-connect-failed = connect { $address } failed: { $why }
client-still-connecting = still connecting to { $address }: no SYN-ACK yet. The server's backlog may be full (it is busy with other clients), or nothing answers there; the kernel keeps trying (Ctrl-C to stop)
client-still-connecting-path = still connecting to { $address }: the server's backlog is full (it is busy with other clients); the kernel waits for room in its queue (Ctrl-C to stop)
client-hint-refused = nothing listens on port { $port }; is tcp-server running there?
client-hint-no-syn-ack = no SYN-ACK came back: the server's backlog stayed full, or nothing answers at that address
client-no-address = { $server } resolves to no address

## A Unix domain socket's server (an ADDRESS that is a path).

client-unix-no-such-file = no such file
client-unix-hint-no-file = is the server running? it creates { $server } when it starts
client-unix-not-a-directory = not a directory
client-unix-hint-not-a-folder = a part of { $server } before the last `/` is a file, not a folder
client-unix-hint-permission = { $server } or a folder on its way is not yours to use: its owner can change that with chmod, or run the client as the server's user
client-unix-hint-queue-full = { $server }'s queue of connections stayed full: the server accepts no one (is it paused at a step, or busy with other clients?)
client-unix-hint-folder = { $server } is a folder, not a socket: name the socket file in it
client-unix-hint-not-socket = { $server } is a file that is no socket: is the path right? the server's socket file is where the server was told to bind
client-unix-hint-stale = { $server } is a stale socket file that nobody listens on: a server that was killed left it behind; start the server again, and it will say how to remove it
client-unix-hint-datagram = { $server } is a datagram socket (SOCK_DGRAM), such as udp-server's: talk to it with udp-client

## The conversation: a slow echo, and why sending stopped.

client-echo-late = still waiting for the echo of line { $line } after { $timeout }: is the server busy with another client?
client-echo-late-step = still waiting for the echo of line { $line } after { $timeout }: is the server busy with another client, or paused at a step?
client-waiting-echo = the echo — the server may be paused at a step
client-end-send-failed = sending failed (see below)
client-end-over = the conversation is over
client-end-server-closed = the server closed the connection
client-end-output-closed = the output was closed
client-end-failed = the connection failed
client-end-peer-closed = { $peer } closed the connection: it will send nothing more

## After our FIN: the wait for the server's, given up.

client-stopped-waiting = stopped waiting for { $peer } to close: { $why } (see --wait-close)
client-gave-up-all-back = { $received ->
        [one] 1 byte
       *[other] { $received } bytes
    } had arrived for { $sent ->
        [one] 1 byte
       *[other] { $sent } bytes
    } sent, and it kept the connection open { $wait } more
client-gave-up-kept-sending = it kept sending for { $wait } without closing, and { $received } of { $sent } bytes sent came back
client-gave-up-quiet = nothing arrived for { $wait }, and { $received } of { $sent } bytes sent came back
