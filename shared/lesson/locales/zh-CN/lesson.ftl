# 程序所说的话，简体中文。这里的每条消息在 ../en/lesson.ftl 中也有，
# 参数相同：有测试检查。

## 每一步操作系统做了什么：--explain 中每个调用第一次出现时的说明。

meaning-resolve = 解析器把名字转换成 IP 地址（查 hosts 文件或 DNS）；此时还没有向服务器发送任何东西
meaning-socket-stream = 内核创建一个流式套接字，返回一个文件描述符；它还没有地址，也没有对端
meaning-socket-datagram = 内核创建一个数据报套接字，返回一个文件描述符；它还没有地址
meaning-setsockopt = SO_REUSEADDR 让重启的服务器能再次绑定同一端口，即使旧连接仍在 TIME_WAIT 中等待
meaning-bind = 内核为这个套接字保留这个本地地址和端口；发往这里的数据包从此交给它
meaning-listen = 套接字开始监听：内核自己完成握手，把完成握手的连接排进全连接队列（最多 backlog 个），等待 accept()
meaning-accept = accept() 从队列中取出一个完成握手的连接，为这个客户端返回一个新套接字；监听套接字继续监听
meaning-connect-stream = 三次握手完成：我们的 SYN、服务器的 SYN-ACK、我们的 ACK；从现在起双方都可以发送
meaning-connect-datagram = 没有发送任何东西：内核只是记下了对端，所以 send() 不需要地址，来自其他地址的数据报会被丢弃
meaning-recv-stream = recv() 等到有字节到达，复制已到达的部分，最多复制一个缓冲区的大小；字节流怎样切分由 TCP 决定
meaning-recv-datagram = 在已连接的 UDP 套接字上，recv() 返回对端的一个完整数据报，比缓冲区长的部分被截断
meaning-send-stream = 字节已复制到内核的发送缓冲区；如有剩余，再次调用 send()，直到所有字节都交给了内核，就像 sendall()
meaning-send-datagram = 内核把这些字节作为一个数据报发给已连接的对端；没有人确认它是否到达
meaning-recv-from = recv_from() 等到一个完整的数据报，并告诉我们是谁发来的；比缓冲区长的数据报会被截断
meaning-send-to = send_to() 把一个数据报交给内核发往那个地址；它要么整个到达，要么根本不到，没有确认
meaning-shutdown = shutdown(Write) 发出了 FIN（半关闭）：对端读到流的结束，而这一端仍然可以接收
meaning-close-stream = 内核释放了套接字；如果对端仍然连着，对端会收到 FIN，随后读到流的结束（0 字节）
meaning-close-datagram = 内核释放了套接字和它的端口；不发送任何东西，因为 UDP 没有要结束的连接

## Unix 域（AF_UNIX）中含义不同的步骤。

meaning-unix-socket-stream = 内核创建一个 Unix 流式套接字（AF_UNIX, SOCK_STREAM），返回一个文件描述符；还没有路径，也没有对端
meaning-unix-socket-datagram = 内核创建一个 Unix 数据报套接字（AF_UNIX, SOCK_DGRAM），返回一个文件描述符；还没有路径
meaning-unix-bind = 内核在这个路径上创建了套接字文件（如果那里已有任何文件，bind 就会失败）；对端凭这个名字找到套接字
meaning-unix-listen = 套接字开始监听：内核把每个连到这个路径的 connect() 排进队列（最多 backlog 个），等待 accept()；不经过网络
meaning-unix-accept = accept() 从队列中取出一个连接，为这个客户端返回一个新套接字；监听套接字继续监听
meaning-unix-connect-stream = 内核立刻把我们的套接字接入监听者的队列：没有网络上的握手，但 connect 和 accept 像 TCP 一样配对
meaning-unix-connect-datagram = 没有发送任何东西：内核只是记下了对端的路径，所以 send() 不需要地址
meaning-unix-recv-stream = recv() 等到有字节到达，复制已到达的部分，最多复制一个缓冲区的大小；这里的字节流同样不保留消息边界
meaning-unix-recv-datagram = 收到一个完整的数据报和发送者的路径（发送者未绑定路径时显示为 unnamed）；AF_UNIX 不丢失也不乱序，但过长的会被截断
meaning-unix-send-stream = 字节直接复制进了对端的接收队列；如有剩余，再次调用 send()，就像 sendall()
meaning-unix-send-datagram = 内核把一个数据报放进那个路径上套接字的接收队列；对端队列满时调用会等待：途中什么也不会丢
meaning-unix-shutdown = shutdown(Write) 结束了我们这个方向：对端读到流的结束（0 字节），而这一端仍然可以接收
meaning-unix-close-stream = 内核释放了套接字；对端读到流的结束（0 字节）；套接字文件会一直留着，直到有人删除它
meaning-unix-close-datagram = 内核释放了套接字；套接字文件会留在文件系统中，直到有人删除它

## 事件循环（tcp-server --poll）：每种就绪事件和每次 WouldBlock 第一次出现时的含义。

poll-design = 一个线程服务所有客户端：监听套接字和每个连接都是非阻塞的，由 poll() 告诉我们哪些已就绪；之后 recv() 复制已到达的数据，send() 交出放得下的部分，两者都不等待
meaning-poll-events = — 可读的监听套接字有等待 accept() 的已完成握手；可读的连接有等待 recv() 的字节或 FIN；可写的连接的发送缓冲区又有空间了
meaning-poll-accept-would-block = — 没有更多已完成的握手在等待：回到 poll()
meaning-poll-recv-would-block = — 内核暂时没有更多数据给我们：回到 poll()
meaning-poll-send-would-block = — 它的发送缓冲区满了：剩下的在这里等着，poll() 现在关注这个套接字何时可写
meaning-poll-paused = （背压：它发来的数据留在内核里，它的 TCP 窗口会关闭，直到它读走回显为止）
meaning-poll-budget = — 公平：一个忙碌的客户端不能让循环顾不上其他客户端；下一轮再读它

## 客户端。

client-no-resolve = 没有 resolve 这一步：路径 { $path } 本身就是地址
client-connect = { $server }，从 { $local } 发起
client-connected = 已连接到 { $peer }
client-sent = 向 { $peer } 发送 { $bytes } 字节
client-recv = 第 { $read } 次：从 { $peer } 收到 { $bytes } 字节（{ $note }）
client-arrival-back = 已发送的 { $sent } 字节中已收到 { $received } 字节回显
client-arrival-more = 共收到 { $received } 字节，发送了 { $sent } 字节
client-arrival-line = ；第 { $line } 行发出 { $ms } 毫秒后收到回显
client-closed = { $peer } 关闭了连接（收到 { $received } 字节，发送了 { $sent } 字节）
client-summary = 用 { $writes } 次写入发送了 { $lines } 行（{ $bytes } 字节）；{ $received } 字节分 { $reads } 次读取回来

## 流的两端。

peer-closed = 0 字节：{ $peer } 已关闭它那一端
close-connection = 到 { $peer } 的连接

## --step：每个调用之后的暂停。

step-pause = 刚才是 { $step } · 按回车进入下一步（Ctrl-D：不再暂停）
step-pause-watch = 刚才是 { $step } · 观察：{ $command } · 按回车进入下一步（Ctrl-D：不再暂停）
step-typed = 在步骤暂停处输入了 `{ $typed }`：这里只有回车有效，这一行没有被发送；请在 > 提示符处重新输入
