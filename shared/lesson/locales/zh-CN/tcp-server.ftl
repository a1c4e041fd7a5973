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
server-counts = 读取 { $reads } 次，回显 { $bytes } 字节
server-farewell-closed = { $client } 关闭了连接（{ $counts }）
server-farewell-stopping = { $client }：已断开，服务器正在停止（{ $counts }）
server-farewell-cut-off = { $client }：已切断，服务器正在停止，而这个客户端在宽限期内没有取走任何回显（{ $counts }）
server-farewell-idle-send = { $client } 在 { $idle } 内没有取走任何回显（它没有在读）：断开连接（--idle-timeout）（{ $counts }）
server-farewell-idle = { $client } 在 { $idle } 内什么也没有发送：断开连接（--idle-timeout）（{ $counts }）
server-farewell-failed = { $client }：{ $step } 失败：{ $why }（{ $counts }）；服务器继续运行
server-cut-off = 切断了 { $clients } 个仍连着的客户端
server-stopped = 已停止：服务了 { $clients } 个客户端，{ $reads } 次读取共回显 { $bytes } 字节，同时在线最多 { $peak } 个
server-stopped-refused = ，拒绝了 { $refused } 个（没有线程）
server-stopped-refused-poll = ，拒绝了 { $refused } 个（poll() 无法关注它们）
server-stopped-unfinished = ；{ $clients } 个客户端没有结束，未计入
server-accepted = 第 { $turn } 个客户端，来自 { $peer }
