# What udp-server says, in Chinese: its own lines. Read after lesson.ftl
# (one catalog, see lesson::lang); the other language has the same ids.

## udp-server：状态行和各个调用的细节。

udp-waiting = 在 { $address } 等待数据报（{ $kind }：已绑定，不监听；收到内容为 bye 的数据报就停止；Ctrl-C 停止）
udp-waiting-keep-open = 在 { $address } 等待数据报（{ $kind }：已绑定，不监听；--keep-open：bye 和其他内容一样回显；Ctrl-C 停止）
udp-received = 第 { $number } 个：从 { $sender } 收到 { $bytes } 字节
udp-sent = 把 { $bytes } 字节发回 { $peer }
udp-bye = { $sender } 发来了 bye：停止
udp-stopped = 已停止：来自 { $senders } 个发送者的 { $datagrams } 个数据报，回显 { $bytes } 字节
