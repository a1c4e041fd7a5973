# What tcp-server says, in English: its own lines. Read after lesson.ftl
# (one catalog, see lesson::lang); the other language has the same ids.

## tcp-server: its status lines and the details of its calls.

server-backlog = { $address } with backlog { $backlog }
server-listening-one = listening on { $address } (backlog { $backlog }, one client at a time; Ctrl-C stops)
server-listening-many = listening on { $address } (backlog { $backlog }, up to { $max ->
        [one] 1 client
       *[other] { $max } clients
    } at once; Ctrl-C stops)
server-everywhere = note: { $ip } means every network interface, so other machines can connect too; { $loopback } keeps the server to this machine
server-connected = { $client } connected
server-recv = #{ $read }: { $bytes ->
        [one] 1 byte
       *[other] { $bytes } bytes
    } from { $peer }
server-recv-held = #{ $read }: { $bytes ->
        [one] 1 byte
       *[other] { $bytes } bytes
    } from { $peer } (ends inside a character: held back for the rest)
server-sent = { $bytes ->
        [one] 1 byte
       *[other] { $bytes } bytes
    } back to { $peer }
server-close-listener = listening socket { $address }
server-goodbye = FIN to { $peer }: the server is stopping; what the client still sends is read and dropped
server-counts = { $reads ->
        [one] 1 read
       *[other] { $reads } reads
    }, { $bytes ->
        [one] 1 byte
       *[other] { $bytes } bytes
    } echoed
server-farewell-closed = { $client } closed the connection ({ $counts })
server-farewell-stopping = { $client }: disconnected, the server is stopping ({ $counts })
server-farewell-cut-off = { $client }: cut off, the server is stopping and the client took none of its echo in the grace period ({ $counts })
server-farewell-idle-send = { $client } took none of its echo for { $idle } (it is not reading): disconnecting (--idle-timeout) ({ $counts })
server-farewell-idle = { $client } sent nothing for { $idle }: disconnecting (--idle-timeout) ({ $counts })
server-farewell-failed = { $client }: { $step } failed: { $why } ({ $counts }); the server goes on
server-farewell-failed-stopping = { $client }: { $step } failed: { $why } ({ $counts }); the server is stopping
server-cut-off = cut off { $clients ->
        [one] 1 client
       *[other] { $clients } clients
    } still connected
server-stopped = stopped: served { $clients ->
        [one] 1 client
       *[other] { $clients } clients
    }, echoed { $bytes ->
        [one] 1 byte
       *[other] { $bytes } bytes
    } from { $reads ->
        [one] 1 read
       *[other] { $reads } reads
    }, at most { $peak } at once
server-stopped-refused = , refused { $refused } (no thread)
server-stopped-refused-poll = , refused { $refused } (poll() could not watch them)
server-stopped-unfinished = ; { $clients ->
        [one] 1 client never finished and is not counted
       *[other] { $clients } clients never finished and are not counted
    }
server-accepted = client #{ $turn } from { $peer }

## tcp-server: accepting, the limit of clients, and the stop.

server-back-in-accept = back in accept(): waiting for the next client
server-hands-over = server thread hands { $peer } to thread { $thread }
server-accept-failed = accept failed: { $why }; still listening (said once, until accept works again)
server-accept-works-again = accept works again, after { $failures ->
        [one] 1 failed call
       *[other] { $failures } failed calls
    } in a row
server-limit = { $max ->
        [one] 1 client
       *[other] { $max } clients
    } connected, the limit: new clients wait in the listen backlog until one leaves
server-no-thread = cannot start a thread for { $peer }: { $why }; closing its connection, still serving the others
server-no-room = not enough memory left for another thread (ulimit -v)
server-no-more-threads = the system would not start another thread (out of threads or memory)
server-no-timeouts = { $client }: cannot set socket timeouts: { $why }
server-no-address = the name resolves to no address
server-no-signals = Ctrl-C will stop without a summary: { $why }
server-wake-target = the stop's wake-up connection
server-wake-failed = cannot wake accept() for the stop: { $why }; it stops at the next connection (a second Ctrl-C stops at once)
server-socket-file-removed = removed the socket file { $path }: bind() created it, close() does not remove it
server-socket-file-left = left { $path } alone: it is no longer the socket file this server created
server-socket-file-stuck = cannot remove the socket file { $path }: { $why }; remove it with `rm { $path }`

## tcp-server --poll: what each poll() returned, each WouldBlock, and
## the event loop's own failures. The meaning that follows the first
## time is in lesson.ftl (meaning-poll-*).

poll-events = poll: { $events ->
        [one] 1 event
       *[other] { $events } events
    }: { $names }{ $more }
poll-list-separator = { ", " }
poll-more = , and { $n } more
poll-waker = the waker (a stop was asked for)
poll-listener-readable = listener { $address } readable
poll-conn-readable = { $peer } readable
poll-conn-writable = { $peer } writable
poll-conn-both = { $peer } readable and writable
poll-conn-closed = { $peer } closed
poll-accept-would-block = accept: WouldBlock
poll-recv-would-block = recv from { $peer }: WouldBlock
poll-send-would-block = send to { $peer }: WouldBlock, { $pending ->
        [one] 1 byte
       *[other] { $pending } bytes
    } pending
poll-paused = { $pending ->
        [one] 1 byte
       *[other] { $pending } bytes
    } of echo wait for { $peer }: not reading from it until it takes some
poll-budget = recv from { $peer }: { $reads } reads this turn
poll-cannot-start = cannot start the event loop
poll-failed = poll() failed
poll-accept-failed = accept failed: { $why }; still listening
poll-cannot-watch = cannot watch the connection from { $peer }: { $why }; closing it, still serving the others
