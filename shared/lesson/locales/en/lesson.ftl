# What the programs say, in English. Every message here is in
# ../zh-CN/lesson.ftl too, with the same arguments: a test checks.

## What the operating system does at each step: the sentence after the
## first line of each call in --explain.

meaning-resolve = the resolver turns the name into IP addresses (from the hosts file or DNS); nothing has been sent to the server yet
meaning-socket-stream = the kernel creates a stream socket and hands back a file descriptor; it has no address and no peer yet
meaning-socket-datagram = the kernel creates a datagram socket and hands back a file descriptor; it has no address yet
meaning-setsockopt = SO_REUSEADDR lets a restarted server bind its port again while connections of the old one still wait out TIME_WAIT
meaning-bind = the kernel reserves this local address and port for the socket; packets sent there are now delivered to it
meaning-listen = the socket now listens: the kernel answers handshakes by itself and queues finished ones, up to the backlog, until accept()
meaning-accept = accept() took one finished handshake off the queue and returned a new socket for that client; the listening socket listens on
meaning-connect-stream = the three-way handshake is done: our SYN, the server's SYN-ACK, our ACK; from now on both sides can send
meaning-connect-datagram = nothing was sent: the kernel only noted the peer, so send() needs no address and datagrams from anyone else are dropped
meaning-recv-stream = recv() waited for bytes and copied what had arrived, up to the buffer size; TCP decides how the stream is cut into pieces
meaning-recv-datagram = recv() on a connected UDP socket returns one whole datagram from the peer, cut off if it is larger than the buffer
meaning-send-stream = the bytes were copied into the kernel's send buffer; send() is called again for any rest until every byte is taken, like sendall()
meaning-send-datagram = the kernel sent the bytes as one datagram to the connected peer; nobody confirms that it arrives
meaning-recv-from = recv_from() waited for one whole datagram and reports who sent it; a datagram longer than the buffer loses its end
meaning-send-to = send_to() handed the kernel one datagram for that address; it travels as one piece or not at all, unconfirmed
meaning-shutdown = shutdown(Write) sent FIN: the peer reads end-of-stream, while this side can still receive
meaning-close-stream = the kernel released the socket; if the peer was still connected it was sent FIN and now reads end-of-stream (0 bytes)
meaning-close-datagram = the kernel released the socket and its port; nothing is sent, since UDP has no connection to end

## The same steps in the Unix family (AF_UNIX), where they differ.

meaning-unix-socket-stream = the kernel creates a Unix stream socket (AF_UNIX, SOCK_STREAM) and hands back a file descriptor; no path, no peer yet
meaning-unix-socket-datagram = the kernel creates a Unix datagram socket (AF_UNIX, SOCK_DGRAM) and hands back a file descriptor; no path yet
meaning-unix-bind = the kernel created the socket file at this path (bind fails if any file is there already); peers find the socket by its name
meaning-unix-listen = the socket now listens: the kernel queues each connect() to its path, up to the backlog, until accept(); nothing goes on a wire
meaning-unix-accept = accept() took one queued connection and returned a new socket for that client; the listening socket listens on
meaning-unix-connect-stream = the kernel joined our socket to the listener's queue at once: no handshake on a wire, yet connect and accept pair up as in TCP
meaning-unix-connect-datagram = nothing was sent: the kernel only noted the peer's path, so send() needs no address
meaning-unix-recv-stream = recv() waited for bytes and copied what had arrived, up to the buffer size; a stream keeps no message boundaries here either
meaning-unix-recv-datagram = one whole datagram, with its sender's path (unnamed if it bound none); AF_UNIX loses and reorders none, but a long one is cut
meaning-unix-send-stream = the bytes were copied straight into the peer's receive queue; send() is called again for any rest, like sendall()
meaning-unix-send-datagram = the kernel queued one datagram for that path; if the peer's queue is full the call waits: nothing is dropped on the way
meaning-unix-shutdown = shutdown(Write) ended our direction: the peer reads end-of-stream (0 bytes), while this side can still receive
meaning-unix-close-stream = the kernel released the socket; the peer reads end-of-stream (0 bytes); a socket file stays until someone removes it
meaning-unix-close-datagram = the kernel released the socket; a socket file stays in the file system until someone removes it

## The event loop (tcp-server --poll): what each readiness event and
## each WouldBlock means, the first time.

poll-design = one thread serves every client: the listener and each connection are non-blocking, and poll() tells which are ready; recv() then copies what has arrived and send() takes what fits, neither waits
meaning-poll-events = — a readable listener has handshakes waiting for accept(); a readable connection has bytes or a FIN for recv(); a writable one has room in its send buffer again
meaning-poll-accept-would-block = — no more finished handshakes wait: back to poll()
meaning-poll-recv-would-block = — the kernel has nothing more for us: back to poll()
meaning-poll-send-would-block = — its send buffer is full: the rest waits here, and poll() now watches the socket for writable
meaning-poll-paused = (back-pressure: what it sends waits in the kernel, and its TCP window closes until it reads)
meaning-poll-budget = — fairness: one busy client must not keep the loop from the others; it is read again next turn

## The clients.

client-no-resolve = no resolve step: the path { $path } is the address itself
client-connect = { $server } from { $local }
client-connected = connected to { $peer }
client-sent = { $bytes ->
        [one] 1 byte
       *[other] { $bytes } bytes
    } to { $peer }
client-recv = #{ $read }: { $bytes ->
        [one] 1 byte
       *[other] { $bytes } bytes
    } from { $peer } ({ $note })
client-arrival-back = { $received } of { $sent ->
        [one] 1 byte
       *[other] { $sent } bytes
    } sent are back
client-arrival-more = { $received } received in all, { $sent } sent
client-arrival-line = ; line { $line } came back { $ms } ms after sending
client-closed = { $peer } closed the connection ({ $received ->
        [one] 1 byte
       *[other] { $received } bytes
    } received, { $sent ->
        [one] 1 byte
       *[other] { $sent } bytes
    } sent)
client-summary = sent { $lines ->
        [one] 1 line
       *[other] { $lines } lines
    } in { $writes ->
        [one] 1 write
       *[other] { $writes } writes
    } ({ $bytes ->
        [one] 1 byte
       *[other] { $bytes } bytes
    }); { $received ->
        [one] 1 byte
       *[other] { $received } bytes
    } came back in { $reads ->
        [one] 1 read
       *[other] { $reads } reads
    }

## Both sides of a stream.

peer-closed = 0 bytes: { $peer } has closed its side
close-connection = connection to { $peer }

## --step: the pause after each call.

step-pause = that was { $step } · press Enter for the next step (Ctrl-D: run on)
step-pause-watch = that was { $step } · watch: { $command } · press Enter for the next step (Ctrl-D: run on)
step-typed = `{ $typed }` was typed at a step pause: only Enter counts there, it was not sent; type it again at the prompt
