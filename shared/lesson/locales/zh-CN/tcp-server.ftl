# What tcp-server says, in Chinese: its own lines. Read after lesson.ftl
# (one catalog, see lesson::lang); the other language has the same ids.

## tcp-server：状态行和各个调用的细节。

server-backlog = { $address }，backlog 为 { $backlog }
server-listening-one = 正在监听 { $address }（backlog { $backlog }，一次服务一个客户端；Ctrl-C 停止）
server-listening-many = 正在监听 { $address }（backlog { $backlog }，最多同时服务 { $max } 个客户端；Ctrl-C 停止）
server-everywhere = 注意：{ $ip } 表示所有网络接口，其他机器也能连进来；用 { $loopback } 则只有本机能连接
server-connected = { $client } 已连接
server-recv = 第 { $read } 次：从 { $peer } 收到 { $bytes } 字节
server-recv-held = 第 { $read } 次：从 { $peer } 收到 { $bytes } 字节（结尾是不完整的 UTF-8 字符：先留着，等其余字节到达）
server-sent = 把 { $bytes } 字节发回 { $peer }
server-close-listener = 监听套接字 { $address }
server-goodbye = 向 { $peer } 发送 FIN：服务器正在停止；客户端之后再发来的数据会被读取并丢弃
server-counts = 读取 { $reads } 次，回显 { $bytes } 字节
server-farewell-closed = { $client } 关闭了连接（{ $counts }）
server-farewell-stopping = { $client }：已断开，服务器正在停止（{ $counts }）
server-farewell-cut-off = { $client }：已切断，服务器正在停止，而这个客户端在宽限期内没有取走任何回显（{ $counts }）
server-farewell-idle-send = { $client } 在 { $idle } 内没有取走任何回显（它没有在读）：断开连接（--idle-timeout）（{ $counts }）
server-farewell-idle = { $client } 在 { $idle } 内什么也没有发送：断开连接（--idle-timeout）（{ $counts }）
server-farewell-failed = { $client }：{ $step } 失败：{ $why }（{ $counts }）；服务器继续运行
server-farewell-failed-stopping = { $client }：{ $step } 失败：{ $why }（{ $counts }）；服务器正在停止
server-cut-off = 切断了 { $clients } 个仍连着的客户端
server-stopped = 已停止：服务了 { $clients } 个客户端，{ $reads } 次读取共回显 { $bytes } 字节，同时在线最多 { $peak } 个
server-stopped-refused = ，拒绝了 { $refused } 个（没有线程）
server-stopped-refused-poll = ，拒绝了 { $refused } 个（poll() 无法关注它们）
server-stopped-unfinished = ；{ $clients } 个客户端没有结束，未计入
server-accepted = 第 { $turn } 个客户端，来自 { $peer }

## tcp-server：接受连接、客户端数量上限，以及停止。

server-back-in-accept = 回到 accept()：等待下一个客户端
server-hands-over = 服务器线程把 { $peer } 交给线程 { $thread }
server-accept-failed = accept 失败：{ $why }；仍在监听（在 accept 恢复正常之前只提示这一次）
server-accept-works-again = 连续 { $failures } 次调用失败之后，accept 恢复正常
server-limit = 已连接 { $max } 个客户端，达到上限：新客户端在全连接队列中等待，直到有客户端离开
server-no-thread = 无法为 { $peer } 启动线程：{ $why }；关闭它的连接，继续服务其他客户端
server-no-room = 剩余内存不够再启动一个线程（ulimit -v）
server-no-more-threads = 系统不肯再启动一个线程（线程数或内存已用尽）
server-no-timeouts = { $client }：无法设置套接字超时：{ $why }
server-no-address = 这个名字解析不出任何地址
server-no-signals = 按 Ctrl-C 停止时将不会打印汇总：{ $why }
server-wake-target = 停止时用来唤醒 accept() 的连接
server-wake-failed = 无法为停止唤醒 accept()：{ $why }；服务器会在下一个连接到来时停止（再按一次 Ctrl-C 立即停止）
server-socket-file-removed = 已删除套接字文件 { $path }：它由 bind() 创建，close() 不会删除它
server-socket-file-left = 没有动 { $path }：它已不是这个服务器创建的套接字文件
server-socket-file-stuck = 无法删除套接字文件 { $path }：{ $why }；请用 `rm { $path }` 删除

## tcp-server --poll：每次 poll() 返回了什么、每次 WouldBlock，以及事件循环
## 自身的失败。第一次出现时后面附带的含义在 lesson.ftl 中（meaning-poll-*）。

poll-events = poll: { $events } 个事件：{ $names }{ $more }
poll-list-separator = 、
poll-more = ，另有 { $n } 个
poll-waker = 唤醒器（有人要求停止）
poll-listener-readable = 监听套接字 { $address } 可读
poll-conn-readable = { $peer } 可读
poll-conn-writable = { $peer } 可写
poll-conn-both = { $peer } 可读且可写
poll-conn-closed = { $peer } 已关闭
poll-accept-would-block = accept: WouldBlock
poll-recv-would-block = 从 { $peer } recv：WouldBlock
poll-send-would-block = 向 { $peer } send：WouldBlock，还有 { $pending } 字节待发送
poll-paused = { $pending } 字节回显在等 { $peer } 取走：在它取走一部分之前，不再从它那里读取
poll-budget = 从 { $peer } recv：本轮已读取 { $reads } 次
poll-cannot-start = 无法启动事件循环
poll-failed = poll() 失败
poll-accept-failed = accept 失败：{ $why }；仍在监听
poll-cannot-watch = 无法关注来自 { $peer } 的连接：{ $why }；关闭它，继续服务其他客户端
