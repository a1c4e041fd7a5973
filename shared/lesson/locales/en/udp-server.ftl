# What udp-server says, in English: its own lines. Read after lesson.ftl
# (one catalog, see lesson::lang); the other language has the same ids.

## udp-server: its status lines and the details of its calls.

udp-waiting = waiting for datagrams on { $address } ({ $kind }: bound, nothing listens; a datagram saying bye stops it; Ctrl-C stops)
udp-waiting-keep-open = waiting for datagrams on { $address } ({ $kind }: bound, nothing listens; --keep-open: bye is echoed like anything else; Ctrl-C stops)
udp-received = #{ $number }: { $bytes ->
        [one] 1 byte
       *[other] { $bytes } bytes
    } from { $sender }
udp-sent = { $bytes ->
        [one] 1 byte
       *[other] { $bytes } bytes
    } back to { $peer }
udp-bye = { $sender } sent bye: stopping
udp-stopped = stopped: { $datagrams ->
        [one] 1 datagram
       *[other] { $datagrams } datagrams
    } from { $senders ->
        [one] 1 sender
       *[other] { $senders } senders
    }, { $bytes ->
        [one] 1 byte
       *[other] { $bytes } bytes
    } echoed
udp-kind-udp = UDP
udp-kind-unix = AF_UNIX datagrams
udp-no-summary = Ctrl-C will stop without a summary: { $why }
udp-unresolved = the name resolves to no address
udp-truncated = { $sender }: truncated: { $real ->
        [one] 1 byte
       *[other] { $real } bytes
    } arrived, buffer holds { $kept }, the rest is lost
udp-truncated-unknown = { $sender }: truncated: more than { $kept ->
        [one] 1 byte
       *[other] { $kept } bytes
    } arrived, buffer holds { $kept }, the rest is lost
udp-empty = { $sender }: empty datagram (0 bytes)
udp-unnamed = { $sender }: datagram #{ $number } came from a socket bound to no path: no reply can reach it (such datagrams are counted in the summary); the client must bind a path of its own
udp-queue-full = cannot send to { $peer }: its receive queue stayed full for { $seconds } s (does it read its replies?); not answered, still serving
udp-send-failed = cannot send to { $peer }: { $why }; still serving
udp-stopped-unanswered = ; { $datagrams ->
        [one] 1 datagram
       *[other] { $datagrams } datagrams
    } from a socket bound to no path not answered
udp-after-stop = { $sender }: a datagram ({ $bytes ->
        [one] 1 byte
       *[other] { $bytes } bytes
    }) came after the stop: not answered
udp-dropped = { $sender }: simulated loss: datagram #{ $number } ({ $bytes ->
        [one] 1 byte
       *[other] { $bytes } bytes
    }) dropped

## udp-server --drop: simulated loss.

udp-loss = simulating loss: about { $percent }% of incoming datagrams will be dropped (repeat this pattern with --seed { $seed })
udp-rate = expected a fraction from 0.0 to 1.0, such as 0.3

## udp-server --threaded: the server thread and its handler threads.

udp-threaded = threaded: the main thread receives, a pool of { $handlers ->
        [one] 1 handler thread
       *[other] { $handlers } handler threads
    } answers
udp-no-handler = cannot start handler-{ $number } ({ $why }): serving with { $started }
udp-no-handlers = no handler thread could be started
udp-handlers-ended = every handler thread has ended
udp-queues = server thread queues request #{ $number } for the handlers
udp-takes = takes request #{ $number } from { $sender }

## udp-server: stopping a server blocked in recv_from().

udp-no-waker = no descriptor for the stop's wake-up ({ $why }): recv_from() looks at Ctrl-C every { $ms } ms instead
udp-no-waker-no-timeout = no descriptor for the stop's wake-up ({ $why }): recv_from() looks at Ctrl-C every { $ms } ms instead (or not at all: the timeout failed too)
udp-cannot-wake = cannot wake recv_from() for the stop: { $why }; it stops at the next datagram (a second Ctrl-C stops at once)

## udp-server on a path (AF_UNIX): its socket file.

udp-no-send-timeout = cannot limit how long send_to() waits ({ $why }): a client that reads nothing may hold the server up
udp-remove-it = remove it: `rm { $path }`
udp-removed = removed the socket file { $path }: bind() created it, close() does not remove it
udp-not-ours = { $path } is no longer the socket file this server created: left alone
udp-cannot-remove = cannot remove the socket file { $path }: { $why }; remove it with `rm { $path }`
