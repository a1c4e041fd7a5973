# What udp-client says, in Chinese. Read after lesson.ftl
# (one catalog, see lesson::lang); the other language has the same ids.

## udp-client：状态行和各个调用的细节。

uclient-no-address = { $server } 解析不到任何地址
uclient-sending = 从 { $local } 发送到 { $server }
uclient-over = 对话已结束
uclient-sent = 向 { $server } 发送 { $bytes } 字节
uclient-waiting = 回复——服务器可能停在某一步的暂停处
uclient-recv = 第 { $read } 次：从 { $server } 收到 { $bytes } 字节
uclient-recv-reply = 第 { $read } 次：从 { $server } 收到 { $bytes } 字节（第 { $line } 行的回复，发出 { $ms } 毫秒后收到）
uclient-truncated = 回复被截断：到达了 { $real } 字节，缓冲区只能容纳 { $kept } 字节，其余部分丢失（试试更大的 --buffer）
uclient-truncated-unknown = 回复被截断：到达的超过 { $kept } 字节，缓冲区只能容纳 { $kept } 字节，其余部分丢失（试试更大的 --buffer）

## udp-client：回复对应的是哪一行。

uclient-late = 迟到：这是第 { $line } 行的回复，而那一行已经超时了
uclient-late-resent = 迟到：这是第 { $line } 行的回复，而那一行已经超时了；那一行发送了 { $sends } 次，UDP 无法分辨这是对哪一次发送的回复
uclient-again-once = 重复：第 { $line } 行已经收到过回复，而且只发送过一次：这是一个重复的数据报（UDP 可能把同一个数据报投递两次），或者服务器回复了两次
uclient-again = 重复：第 { $line } 行已经收到过回复；这一个回复的是它的另一次发送
uclient-not-echo = 不是回显：当作第 { $line } 行的回复，但字节并不相同（被截短了或被服务器改动了，也可能根本不是回复：UDP 无法分辨）
uclient-unmatched = 无法匹配：这个数据报不是任何已发送行的回显，也没有哪一行在等待回复

## udp-client：等待回复，以及对话的结束。

uclient-too-long = 未发送：这一行有 { $size } 字节，而一个 UDP 数据报最多只能携带 { $largest } 字节的数据（请发送短一些的行）
uclient-too-long-unix = 未发送：这一行有 { $size } 字节，而这个 Unix 套接字上的一个数据报（受它的发送缓冲区限制）最多只能携带 { $largest } 字节的数据（请发送短一些的行）
uclient-no-reply = 第 { $line } 行在 { $timeout } 内没有收到回复（第 { $attempt } 次尝试，共 { $attempts } 次）：数据报或它的回复可能丢了，也可能那里没有程序应答；重新发送
uclient-no-reply-last = 第 { $line } 行在 { $timeout } 内没有收到回复（第 { $attempt } 次尝试，共 { $attempts } 次）：数据报或它的回复可能丢了，也可能那里没有程序应答；继续往下（迟到的回复仍会显示）
uclient-missing = 过了 { $timeout } 仍有 { $replies } 个回复没有收到：丢了，或者那里没有程序应答
uclient-bye = bye 在 { $timeout } 内没有收到回复：udp-server 收到 bye 就停止，不回复（除非它以 --keep-open 运行）
uclient-report = 发送了 { $datagrams } 个数据报；分 { $reads } 次读取收回 { $replies } 个回复
uclient-end-refused = { $server } 拒绝了一个数据报：那里现在没有程序在监听
uclient-end-closed = 输出已被关闭
uclient-not-whole = 有 { $datagrams } 个数据报没能完整地发送或接收
uclient-see-above = 见上面的消息
uclient-signal = 收到信号，已停止
uclient-no-signals = 无法处理信号

## udp-client：那里没有服务器。

uclient-no-server = { $server } 上没有服务器
uclient-refused = 连接被拒绝
uclient-refused-hint = 那个 UDP 端口上没有程序在监听：那边的内核回了 ICMP 端口不可达（port unreachable）；udp-server 在运行吗？
uclient-no-file = 没有这个文件
uclient-no-file-hint = 那个路径上没有套接字文件：服务器在运行吗？请先启动它，例如 `udp-server { $server }`
uclient-no-folder-hint = 那个路径上没有套接字文件：服务器在运行吗？请先启动它，例如 `udp-server { $server }`；而且它所在的文件夹也不存在
uclient-cannot-connect = 无法连接到 { $server }
uclient-wrong-type = 协议类型与套接字不符
uclient-stream-socket = { $server } 是流式套接字（SOCK_STREAM），比如 tcp-server 的：请用 tcp-client 和它通信
uclient-is-folder = { $server } 是一个文件夹，不是套接字：路径对吗？
uclient-not-socket = { $server } 是一个文件，但不是套接字：路径对吗？
uclient-stale = 没有任何套接字绑定在套接字文件 { $server } 上：服务器在运行吗？如果它是服务器结束时没有删除而留下的残留文件，请用 `rm { $server }` 删除它
uclient-gone = 服务器的套接字已经关闭，它的文件也不在了：服务器在运行吗？

## udp-client 使用路径（AF_UNIX）：我们自己的套接字文件。

uclient-own-path = { $path }（我们自己的路径：没有绑定路径的 AF_UNIX 数据报套接字没有地址，服务器就无法回复它）
uclient-removed = 已删除套接字文件 { $path }：它是 bind() 创建的，close() 不会删除它
uclient-left-alone = 没有动 { $path }：它已经不是我们的 bind() 创建的那个套接字文件了
uclient-cannot-remove = 无法删除我们的套接字文件 { $path }：{ $why }（请用 `rm { $path }` 删除它）
uclient-own-cannot = 无法创建我们自己的套接字文件 { $path }
uclient-folder-missing = 它所在的文件夹 { $folder } 不存在
uclient-folder-missing-bare = 它所在的文件夹不存在
uclient-folder-file = 它所在的 { $folder } 是一个文件，不是文件夹
uclient-folder-file-bare = 它所在的文件夹其实是一个文件
uclient-folder-locked = 我们没有权限写入它所在的文件夹 { $folder }
uclient-folder-locked-bare = 我们没有权限写入它所在的文件夹
uclient-hint-create = 服务器的回复需要一个路径才能回来：请创建这个文件夹，或者用 --bind PATH 另选一个路径
uclient-hint-folder = 服务器的回复需要一个路径才能回来：请用 --bind PATH 选一个位于文件夹中的路径
uclient-hint-yours = 服务器的回复需要一个路径才能回来：请用 --bind PATH 选一个位于你自己的文件夹中的路径
uclient-hint-shorter = Unix 套接字的路径最多 107 字节：请用 --bind PATH 选一个短一些的路径

## udp-client --bind PATH。

uclient-bind-after-unix = unix: 后面应该是一个路径
uclient-bind-empty = 需要给出我们自己套接字的路径
uclient-bind-long = 这个路径长 { $length } 字节，而 Unix 套接字的路径最多只能有 { $max } 字节
uclient-bind-udp = --bind PATH 指定的是我们自己套接字的路径，只用于 ADDRESS 是 Unix 套接字路径的情况
uclient-bind-udp-hint = 在 UDP 上，内核在 bind() 时为我们选定端口；去掉 --bind，或者把 ./echo.sock 这样的路径作为 ADDRESS
