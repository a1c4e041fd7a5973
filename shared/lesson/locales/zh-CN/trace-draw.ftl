# What trace-draw shows, in Chinese: the words of its pictures and text
# drawings, its errors and its --help. Read after help.ftl (one catalog,
# see lesson::lang); the other language has the same ids. The labels sit
# next to arrows and dots: keep them short.

## 每个调用圆点旁边的文字。

draw-bytes = { $n } 字节
draw-listen = listen() 于 { $local }
draw-accept = accept() = { $peer }（连接 { $conn }）
draw-recv-end = recv() = 0：流结束
draw-recv-from = recv_from() = { $size }，来自 { $peer }
draw-close-listener = close() 监听套接字
draw-drop = { $call }：--drop
draw-failed = { $call }：{ $error }

## 生命线：程序名下面的一行。

draw-pid = pid { $pid }
draw-thread-pid = { $thread } 线程，pid { $pid }
draw-main-pid = 主线程，pid { $pid }

## 不带数据包名字的箭头标签。

draw-dropped = 被丢弃（--drop）
draw-lost = 丢失
draw-refused-rst = 被拒绝（RST）
draw-refused = 被拒绝
draw-unix-queued = 全连接队列（无握手）
draw-unix-end = 流结束
draw-unix-reset = 重置

## 图例：橙色条，以及图中出现的每种箭头。

draw-legend-wait = 调用在此等待
draw-legend-handshake = 握手
draw-legend-data = 数据
draw-legend-fin = FIN
draw-legend-rst = RST
draw-legend-datagram = 数据报
draw-legend-lost = 丢失
draw-legend-refused = 被拒绝
draw-legend-queue = 全连接队列
draw-legend-end = 流结束
draw-legend-reset = 重置

## 文本图：生命线列表、图例（网络上是数据包，Unix 套接字之间是消息）、
## 箭头带来了什么。

draw-text-lifeline = { $prog }（{ $detail }）
draw-text-legend-packets = * 调用返回   # 调用等待中   -> <- 数据包   x 途中丢失
draw-text-legend-messages = * 调用返回   # 调用等待中   -> <- 消息   x 途中丢失
draw-from = <- { $label }，来自 { $sender }

## 图的下方。

draw-cut = 图到此为止（第 { $next } 条生命线从这里开始）：还有 { $lifelines } 条生命线、{ $calls } 个调用没有画出（用 --max-lifelines N 可以画出更多）
draw-path = { $short } 即 { $whole }

## 错误：不是追踪记录的文件，不是事件的行。

draw-error-no-events = { $files } 中没有追踪事件
draw-hint-record = 请先用 --trace FILE 记录一次运行
draw-error-unreadable = 无法读取 { $file }
draw-error-not-utf8 = { $file }:{ $line }：不是 UTF-8
draw-hint-json-lines = 追踪文件是 JSON Lines 格式，由 --trace 写出
draw-error-not-event = { $file }:{ $line }：不是追踪事件
draw-hint-format = 每一行都必须是追踪格式版本 { $version } 的一个 JSON 对象，即 --trace 写出的那样
draw-parse-line = 第 { $line } 行：{ $message }
draw-parse-not-json = 不是 JSON：{ $error }（第 { $column } 列）
draw-parse-not-object = 不是 JSON 对象
draw-parse-version = 追踪格式版本为 { $found }，而这个 trace-draw 只能读取版本 { $version }
draw-parse-step = 未知的步骤 { $step }
draw-parse-offset = "offset" 为 { $offset }，从它开始的 { $size }会超出最大偏移量 2^64 - 1
draw-parse-no-key = 缺少键 { $key }
draw-parse-not-number = { $key } 为 { $value }，不是非负整数
draw-parse-not-string = { $key } 为 { $value }，不是字符串

## trace-draw --help。

help-trace-draw = 把套接字程序的 --trace 文件画成时序图（SVG 或文本）
help-trace-draw-svg = 输出 SVG（默认）
help-trace-draw-text = 改为输出纯文本，在终端中查看
help-trace-draw-title = 图顶部的标题（默认：各文件名）
help-trace-draw-max-lifelines = 最多画 N 条生命线：画到下一条生命线开始的地方为止，并说明省略了多少
help-trace-draw-lang = 图和消息所用的语言：en 或 zh（简体中文）；默认跟随 locale（LC_ALL、LC_MESSAGES 或 LANG 以 zh 开头即为中文）
help-trace-draw-files = 追踪文件（JSON Lines，每行一个事件）；`-` 表示读取标准输入
help-trace-draw-after =
    示例：
      trace-draw run.jsonl > run.svg            生成图片，用浏览器查看
      trace-draw --text run.jsonl               在终端中查看同样的图
      trace-draw server.jsonl client.jsonl      分别记录的追踪文件，画成一张图
