# What udp-client says, in English. Read after lesson.ftl
# (one catalog, see lesson::lang); the other language has the same ids.

## udp-client: its status lines and the details of its calls.

uclient-no-address = { $server } resolves to no address
uclient-sending = sending to { $server } from { $local }
uclient-over = the conversation is over
uclient-sent = { $bytes ->
        [one] 1 byte
       *[other] { $bytes } bytes
    } to { $server }
uclient-waiting = the reply — the server may be paused at a step
uclient-recv = #{ $read }: { $bytes ->
        [one] 1 byte
       *[other] { $bytes } bytes
    } from { $server }
uclient-recv-reply = #{ $read }: { $bytes ->
        [one] 1 byte
       *[other] { $bytes } bytes
    } from { $server } (the reply to line { $line }, { $ms } ms after it was sent)
uclient-truncated = reply truncated: { $real ->
        [one] 1 byte
       *[other] { $real } bytes
    } arrived, buffer holds { $kept }, the rest is lost (try a larger --buffer)
uclient-truncated-unknown = reply truncated: more than { $kept ->
        [one] 1 byte
       *[other] { $kept } bytes
    } arrived, buffer holds { $kept }, the rest is lost (try a larger --buffer)

## udp-client: which line a reply answers.

uclient-late = late: that was the reply to line { $line }, which had already timed out
uclient-late-resent = late: that was the reply to line { $line }, which had already timed out; it was sent { $sends } times, and UDP cannot tell which send this answers
uclient-again-once = again: line { $line } had its reply already, and was sent once: a duplicate (UDP may deliver a datagram twice) or a server that answers twice
uclient-again = again: line { $line } had its reply already; this one answers another send of it
uclient-not-echo = not an echo: taken as the reply to line { $line }, but it is not the same bytes (cut short or changed by the server, or not a reply at all: UDP cannot tell)
uclient-unmatched = unmatched: that datagram echoes no line sent, and no line is waiting for a reply

## udp-client: waiting for replies, and the end of the conversation.

uclient-too-long = not sent: the line is { $size ->
        [one] 1 byte
       *[other] { $size } bytes
    }, but one UDP datagram carries at most { $largest ->
        [one] 1 byte
       *[other] { $largest } bytes
    } of data (send shorter lines)
uclient-too-long-unix = not sent: the line is { $size ->
        [one] 1 byte
       *[other] { $size } bytes
    }, but one datagram on this Unix socket (its send buffer) carries at most { $largest ->
        [one] 1 byte
       *[other] { $largest } bytes
    } of data (send shorter lines)
uclient-no-reply = no reply to line { $line } within { $timeout } (attempt { $attempt } of { $attempts }): the datagram or its reply may be lost, or nothing answers there; sending again
uclient-no-reply-last = no reply to line { $line } within { $timeout } (attempt { $attempt } of { $attempts }): the datagram or its reply may be lost, or nothing answers there; carrying on (a late reply is still shown)
uclient-missing = { $replies ->
        [one] 1 reply
       *[other] { $replies } replies
    } missing after { $timeout }: lost, or nothing answers there
uclient-bye = no reply to bye within { $timeout }: udp-server stops on bye without replying (unless it runs with --keep-open)
uclient-report = sent { $datagrams ->
        [one] 1 datagram
       *[other] { $datagrams } datagrams
    }; { $replies ->
        [one] 1 reply
       *[other] { $replies } replies
    } came back in { $reads ->
        [one] 1 read
       *[other] { $reads } reads
    }
uclient-end-refused = { $server } refused a datagram: nothing listens there now
uclient-end-closed = the output was closed
uclient-not-whole = { $datagrams ->
        [one] 1 datagram
       *[other] { $datagrams } datagrams
    } could not be sent or received whole
uclient-see-above = see the messages above
uclient-signal = stopped by a signal
uclient-no-signals = cannot handle signals

## udp-client: no server there.

uclient-no-server = no server at { $server }
uclient-refused = connection refused
uclient-refused-hint = nothing listens on that UDP port: the kernel there answered with ICMP port unreachable; is udp-server running?
uclient-no-file = no such file
uclient-no-file-hint = no socket file at that path: is the server running? start it first, such as `udp-server { $server }`
uclient-no-folder-hint = no socket file at that path: is the server running? start it first, such as `udp-server { $server }`; its folder does not exist either
uclient-cannot-connect = cannot connect to { $server }
uclient-wrong-type = protocol wrong type for socket
uclient-stream-socket = { $server } is a stream socket (SOCK_STREAM), such as tcp-server's: talk to it with tcp-client
uclient-is-folder = { $server } is a folder, not a socket: is that the right path?
uclient-not-socket = { $server } is a file that is no socket: is that the right path?
uclient-stale = nothing is bound to the socket file { $server }: is the server running? a file left by a server that ended without removing it is stale: remove it with `rm { $server }`
uclient-gone = the server's socket was closed and its file is gone: is the server running?

## udp-client on a path (AF_UNIX): our own socket file.

uclient-own-path = { $path } (our own path: an AF_UNIX datagram socket that binds none has no address, so the server could not reply to it)
uclient-removed = removed the socket file { $path }: bind() created it, close() does not remove it
uclient-left-alone = left { $path } alone: it is no longer the socket file our bind() created
uclient-cannot-remove = cannot remove our socket file { $path }: { $why } (remove it with `rm { $path }`)
uclient-own-cannot = cannot create our own socket file { $path }
uclient-folder-missing = its folder { $folder } does not exist
uclient-folder-missing-bare = its folder does not exist
uclient-folder-file = its folder { $folder } is a file, not a folder
uclient-folder-file-bare = its folder is a file, not a folder
uclient-folder-locked = its folder { $folder } is not writable for us
uclient-folder-locked-bare = its folder is not writable for us
uclient-hint-create = the server's replies need a path to come back to: create the folder, or choose another path with --bind PATH
uclient-hint-folder = the server's replies need a path to come back to: choose a path in a folder with --bind PATH
uclient-hint-yours = the server's replies need a path to come back to: choose a path in a folder of yours with --bind PATH
uclient-hint-shorter = a Unix socket's path holds at most 107 bytes: choose a shorter one with --bind PATH

## udp-client --bind PATH.

uclient-bind-after-unix = expected a path after unix:
uclient-bind-empty = expected the path for our own socket
uclient-bind-long = the path is { $length ->
        [one] 1 byte
       *[other] { $length } bytes
    } long, and a Unix socket's path holds at most { $max }
uclient-bind-udp = --bind PATH names our own socket's path, for an ADDRESS that is a Unix socket's path
uclient-bind-udp-hint = over UDP the kernel picks our port at bind(); drop --bind, or give a path such as ./echo.sock as the ADDRESS
