# What trace-draw shows: the words of its pictures and text drawings, its
# errors and its --help. Read after help.ftl (one catalog, see
# lesson::lang); the other language has the same ids. Call names
# (`recv()`), SYN, FIN, RST, flags and addresses stay as they are.
# A number that a trace holds beyond 2^53 comes as its digits (text),
# which the plural rules read as "other".

## The text beside each call's dot.

draw-bytes = { $n ->
    [one] { $n } byte
   *[other] { $n } bytes
}
draw-listen = listen() on { $local }
draw-accept = accept() = { $peer } (conn { $conn })
draw-recv-end = recv() = 0: end of stream
draw-recv-from = recv_from() = { $size } from { $peer }
draw-close-listener = close() listener
draw-drop = { $call }: --drop
draw-failed = { $call }: { $error }

## The lifelines: the line under the program's name.

draw-pid = pid { $pid }
draw-thread-pid = { $thread }, pid { $pid }
draw-main-pid = main, pid { $pid }

## The labels of arrows that carry no packet's name.

draw-dropped = dropped (--drop)
draw-lost = lost
draw-refused-rst = refused (RST)
draw-refused = refused
draw-unix-queued = accept queue (no handshake)
draw-unix-end = end of stream
draw-unix-reset = reset

## The picture's legend: the orange bar, then each kind of arrow drawn.

draw-legend-wait = the call waits here
draw-legend-handshake = handshake
draw-legend-data = data
draw-legend-fin = fin
draw-legend-rst = rst
draw-legend-datagram = datagram
draw-legend-lost = lost
draw-legend-refused = refused
draw-legend-queue = accept queue
draw-legend-end = end of stream
draw-legend-reset = reset

## The text drawing: its list of lifelines, its legend (packets on a
## network, messages between Unix sockets), what an arrow brought.

draw-text-lifeline = { $prog } ({ $detail })
draw-text-legend-packets = * a call returns   # a call waits   -> <- packets   x lost on the way
draw-text-legend-messages = * a call returns   # a call waits   -> <- messages   x lost on the way
draw-from = <- { $label } from { $sender }

## Under the drawing.

draw-cut = the drawing stops here, where lifeline { $next } would begin: { $lifelines } more lifelines, { $calls } more calls (--max-lifelines N draws more)
draw-path = { $short } is { $whole }

## Errors: files that are no trace, and lines that are no event.

draw-error-no-events = no trace events in { $files }
draw-hint-record = record a run with --trace FILE first
draw-error-unreadable = cannot read { $file }
draw-error-not-utf8 = { $file }:{ $line }: not UTF-8
draw-hint-json-lines = a trace file is JSON Lines, written by --trace
draw-error-not-event = { $file }:{ $line }: not a trace event
draw-hint-format = each line must be one JSON object of trace format version { $version }, as written by --trace
draw-parse-line = line { $line }: { $message }
draw-parse-not-json = not JSON: { $error } (column { $column })
draw-parse-not-object = not a JSON object
draw-parse-version = trace format version { $found }; this trace-draw reads version { $version }
draw-parse-step = unknown step { $step }
draw-parse-offset = "offset" is { $offset }, and { $size } from there run past the largest offset, 2^64 - 1
draw-parse-no-key = no key { $key }
draw-parse-not-number = { $key } is { $value }, not a whole number from 0
draw-parse-not-string = { $key } is { $value }, not a string

## trace-draw --help (the English is clap's, from the doc comments).

help-trace-draw = Draws --trace files of the socket programs as a sequence diagram (SVG or text)
help-trace-draw-svg = Write SVG (the default)
help-trace-draw-text = Write plain text for a terminal instead
help-trace-draw-title = The title on top of the picture [default: the files' names]
help-trace-draw-max-lifelines = Draw at most N lifelines: the drawing stops where one more would begin, and says how much it left out
help-trace-draw-lang = The language of the drawing and the messages: en or zh (简体中文); by default the locale's (LC_ALL, LC_MESSAGES or LANG starting with zh: Chinese)
help-trace-draw-files = Trace files (JSON Lines, one event per line); `-` reads stdin
help-trace-draw-after =
    Examples:
      trace-draw run.jsonl > run.svg            the picture, for a browser
      trace-draw --text run.jsonl               the same in the terminal
      trace-draw server.jsonl client.jsonl      traces recorded apart
