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
