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
