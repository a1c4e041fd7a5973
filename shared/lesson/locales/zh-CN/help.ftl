# --help, in Chinese: what lesson::flags puts in place of clap's English
# text. The other language has the same ids.

help-tcp-server = TCP 回显服务器：展示套接字一生中的每一步
help-tcp-client = 交互式 TCP 客户端：展示套接字一生中的每一步
help-udp-server = UDP 回显服务器：展示套接字一生中的每一步
help-udp-client = 交互式 UDP 客户端：展示套接字一生中的每一步
help-usage = 用法：
help-arguments = 参数
help-options = 选项
help-default = 默认：{ $value }
help-help = 显示帮助
help-version = 显示版本

## 每个程序都有的选项。

help-address = 地址：HOST、HOST:PORT、:PORT、PORT、[IPV6]:PORT 或 IPv6 地址；缺少的部分取下面列出的默认值。路径（./echo.sock、/tmp/echo.sock、unix:echo.sock）表示 Unix 域套接字
help-explain = 每个套接字调用发生时讲解它：操作系统做了什么，附上真实的地址和字节数（输出到 stderr）
help-step = 每个套接字调用之后暂停，按回车继续，并给出一条可以在另一个终端里观察它的命令（包含 --explain）
help-hex = 同时把收到的每一块数据显示为十六进制转储（输出到 stdout）
help-trace = 每个套接字调用向 FILE 追加一行 JSON，供 `trace-draw` 画图（多个程序可以共用一个文件）
help-lang = 讲解所用的语言：en 或 zh（简体中文）；默认跟随 locale（LC_ALL、LC_MESSAGES 或 LANG 以 zh 开头即为中文）

## 服务器的选项。

help-tcp-server-buffer = 每次 recv() 调用最多读取的字节数
help-udp-server-buffer = 每次 recv_from() 最多读取的字节数；更长的数据报会被截断
help-backlog = 在 accept() 取走之前，内核最多可以排队的已完成握手的连接数（默认：与 Python 脚本一样为 1，使用 --threaded 或 --poll 时为 128）
help-once = 第一个客户端离开后就停止，和 Python 脚本一样
help-tcp-server-threaded = 同时服务多个客户端，每个客户端一个线程（socketserver 的设计）
help-poll = 用一个线程同时服务多个客户端：基于非阻塞套接字的事件循环
help-max-clients = 与 --threaded 或 --poll 一起用：同时服务的客户端数；更多的客户端在全连接队列中等待
help-idle-timeout = 客户端在这么多秒内没有任何进展（既不发送，也不读取回显）就断开它
help-keep-open = 客户端发来 `bye` 时继续服务（适合一屋子客户端）
help-drop = 模拟丢包：按这个比例（0.0 到 1.0）丢弃收到的数据报，每丢一个都说明
help-seed = 与 --drop 一起用：丢包模式的种子；同一个种子每次运行丢弃同样的数据报（默认：取自时钟，并打印出来）
help-udp-server-threaded = 主线程接收数据报，由一组处理线程回复（带线程的 socketserver UDPServer）
help-handlers = 与 --threaded 一起用：线程池中的处理线程数；全部忙碌时，新数据报在套接字的接收缓冲区中等待

## 客户端的选项。

help-buffer = 每次 recv() 最多读取的字节数（UDP：更长的回复会被截断）
help-message = 第一条消息，在输入任何一行之前发送（"" 表示不发送）
help-timeout = 每条回复最多等待的秒数，超时就说明它迟到了并继续；之后才到的回复仍会显示
help-no-wait = 每读到一行就立即发送，不等上一行的回复：对比 TCP 的字节流和 UDP 的数据报
help-lf = 每行以 LF（\n）结尾发送，适合按行读取的服务器；空行只发送一个 LF，只有 Ctrl-D 或输入结束才会结束客户端
help-crlf = 每行以 CRLF（\r\n）结尾发送，HTTP、SMTP 和大多数互联网协议都要求这样（类似 ncat -C）
help-wait-close = 输入结束之后等待服务器关闭连接：收到与发送量相同的字节（回显已回来）后再等这么多秒，或者这么长时间什么都没收到，就不再等待；无论如何最多等这个时间的十倍
help-connect-timeout = 连接超过这么多秒就放弃（默认：内核重试多久就等多久，大约两分钟）
help-retries = 某条消息的回复超时后重新发送，最多再发 N 次
help-bind = ADDRESS 是 Unix 套接字（一个路径）时：我们自己的套接字绑定的路径，服务器的回复才能送达（默认：临时目录中的 udp-client-PID.sock）；结束时删除。UDP 不需要它，端口由内核挑选

## 选项之后：默认地址和示例。

help-tcp-server-after =
    默认值：ADDRESS 为 { $default }；端口 0 表示任意空闲端口。

    示例：
      tcp-server                     在默认地址上监听，一次服务一个客户端
      tcp-server :0 --explain        任意空闲端口，讲解每个套接字调用
      tcp-server 0.0.0.0 --threaded  所有网络接口，同时服务多个客户端
      tcp-server ./echo.sock         在这个路径上的 Unix 域套接字
help-tcp-client-after =
    默认值：ADDRESS 为 { $default }。

    示例：
      tcp-client                        连接默认地址并对话
      tcp-client :9000 --explain        换一个端口，讲解每个套接字调用
      printf 'a\nb\n' | tcp-client      发送两行，打印回显，然后退出
      tcp-client ./echo.sock            按路径连接 Unix 域套接字的服务器
      tcp-client :8000 --crlf --message ''
                                        手工输入一个 HTTP 请求
help-udp-server-after =
    默认值：ADDRESS 为 { $default }；端口 0 表示任意空闲端口。

    示例：
      udp-server                      在默认地址上回显，直到收到 bye
      udp-server :0 --explain         任意空闲端口，讲解每个套接字调用
      udp-server --keep-open --buffer 8  服务整个班级，并观察截断
      udp-server --threaded --explain    由处理线程回复，每个请求一个
      udp-server ./echo.sock          在套接字路径上收发 AF_UNIX 数据报（客户端
                                      绑定自己的路径才能收到回复；结束时删除文件）
help-udp-client-after =
    默认值：ADDRESS 为 { $default }。

    示例：
      udp-client                        与默认地址对话；输入 bye 让双方都停止
      udp-client :9000 --explain        换一个端口，讲解每个套接字调用
      printf 'a\nbye\n' | udp-client    发送 hello、a 和 bye，然后退出
      udp-client /tmp/echo.sock         与这个路径上的 Unix 数据报服务器对话
