# What udp-server says, in Chinese: its own lines. Read after lesson.ftl
# (one catalog, see lesson::lang); the other language has the same ids.

## udp-server：状态行和各个调用的细节。

udp-waiting = 在 { $address } 等待数据报（{ $kind }：已绑定，不监听；收到内容为 bye 的数据报就停止；Ctrl-C 停止）
udp-waiting-keep-open = 在 { $address } 等待数据报（{ $kind }：已绑定，不监听；--keep-open：bye 和其他内容一样回显；Ctrl-C 停止）
udp-received = 第 { $number } 个：从 { $sender } 收到 { $bytes } 字节
udp-sent = 把 { $bytes } 字节发回 { $peer }
udp-bye = { $sender } 发来了 bye：停止
udp-stopped = 已停止：来自 { $senders } 个发送者的 { $datagrams } 个数据报，回显 { $bytes } 字节
udp-kind-udp = UDP
udp-kind-unix = AF_UNIX 数据报
udp-no-summary = Ctrl-C 将直接停止，不打印汇总：{ $why }
udp-unresolved = 这个名字解析不到任何地址
udp-truncated = { $sender }：被截断：到达了 { $real } 字节，缓冲区只能容纳 { $kept } 字节，其余部分丢失
udp-truncated-unknown = { $sender }：被截断：到达的超过 { $kept } 字节，缓冲区只能容纳 { $kept } 字节，其余部分丢失
udp-empty = { $sender }：空数据报（0 字节）
udp-unnamed = { $sender }：第 { $number } 个数据报来自一个没有绑定路径的套接字：任何回复都到不了它（这类数据报计入汇总）；客户端必须绑定自己的路径
udp-queue-full = 无法发送给 { $peer }：它的接收队列持续满了 { $seconds } 秒（它在读取回复吗？）；不回复，继续服务
udp-send-failed = 无法发送给 { $peer }：{ $why }；继续服务
udp-stopped-unanswered = ；来自未绑定路径的套接字的 { $datagrams } 个数据报没有回复
udp-after-stop = { $sender }：停止之后又来了一个数据报（{ $bytes } 字节）：不回复
udp-dropped = { $sender }：模拟丢包：第 { $number } 个数据报（{ $bytes } 字节）被丢弃

## udp-server --drop：模拟丢包。

udp-loss = 模拟丢包：到达的数据报中约有 { $percent }% 会被丢弃（用 --seed { $seed } 可以重现同样的丢包模式）
udp-rate = 应为 0.0 到 1.0 之间的小数，例如 0.3

## udp-server --threaded：服务器线程和处理线程。

udp-threaded = threaded：主线程负责接收，由 { $handlers } 个处理线程组成的线程池负责应答
udp-no-handler = 无法启动 handler-{ $number }（{ $why }）：用已启动的 { $started } 个处理线程继续服务
udp-no-handlers = 一个处理线程也无法启动
udp-handlers-ended = 所有处理线程都已结束
udp-queues = 服务器线程把第 { $number } 个请求放进队列，交给处理线程
udp-takes = 接手来自 { $sender } 的第 { $number } 个请求

## udp-server：停止一个阻塞在 recv_from() 中的服务器。

udp-no-waker = 没有可用于停止时唤醒的文件描述符（{ $why }）：recv_from() 改为每 { $ms } 毫秒检查一次 Ctrl-C
udp-no-waker-no-timeout = 没有可用于停止时唤醒的文件描述符（{ $why }）：recv_from() 改为每 { $ms } 毫秒检查一次 Ctrl-C（也可能根本不检查：超时也设置失败了）
udp-cannot-wake = 停止时无法唤醒 recv_from()：{ $why }；它会在下一个数据报到达时停止（再按一次 Ctrl-C 立即停止）

## udp-server 使用路径（AF_UNIX）：它的套接字文件。

udp-no-send-timeout = 无法限制 send_to() 的等待时间（{ $why }）：一个什么都不读的客户端可能让服务器一直等下去
udp-remove-it = 删除它：`rm { $path }`
udp-removed = 已删除套接字文件 { $path }：它是 bind() 创建的，close() 不会删除它
udp-not-ours = { $path } 已经不是本服务器创建的那个套接字文件了：不去动它
udp-cannot-remove = 无法删除套接字文件 { $path }：{ $why }；请用 `rm { $path }` 删除它
