# What tcp-client says, in Chinese. Read after lesson.ftl
# (one catalog, see lesson::lang); the other language has the same ids.

## tcp-client：连接，以及 connect() 为什么慢或为什么失败。

client-connect-failed = connect { $address } 失败：{ $why }
client-still-connecting = 仍在连接 { $address }：还没有收到 SYN-ACK。可能是服务器的全连接队列满了（它正忙于其他客户端），也可能那里根本没有程序应答；内核会继续重试（Ctrl-C 停止）
client-still-connecting-path = 仍在连接 { $address }：服务器的全连接队列满了（它正忙于其他客户端）；内核在等队列中空出位置（Ctrl-C 停止）
client-hint-refused = 端口 { $port } 上没有程序在监听；tcp-server 在那里运行了吗？
client-hint-no-syn-ack = 没有收到 SYN-ACK：服务器的全连接队列一直是满的，或者那个地址上没有程序应答
client-no-address = { $server } 解析不出任何地址

## Unix 域套接字的服务器（ADDRESS 是一个路径）。

client-unix-no-such-file = 没有这个文件
client-unix-hint-no-file = 服务器在运行吗？它启动时会创建 { $server }
client-unix-not-a-directory = 不是目录
client-unix-hint-not-a-folder = { $server } 中最后一个 `/` 之前的某一部分是文件，而不是文件夹
client-unix-hint-permission = 你无权使用 { $server } 或通往它的某个文件夹：它的所有者可以用 chmod 修改权限，你也可以用服务器的用户身份运行客户端
client-unix-hint-queue-full = { $server } 的连接队列一直是满的：服务器没有接受任何连接（它是停在了某个步骤上，还是正忙于其他客户端？）
client-unix-hint-folder = { $server } 是文件夹，不是套接字：请指定其中的套接字文件
client-unix-hint-not-socket = { $server } 是一个文件，但不是套接字：路径对吗？服务器的套接字文件在服务器被要求 bind 的位置
client-unix-hint-stale = { $server } 是残留的套接字文件，没有程序在上面监听：是某个被杀掉的服务器留下的；重新启动服务器，它会告诉你怎样删除这个文件
client-unix-hint-datagram = { $server } 是数据报套接字（SOCK_DGRAM），比如 udp-server 的：请用 udp-client 与它通信

## 对话：回显迟迟不来，以及发送为什么停止。

client-echo-late = 等了 { $timeout } 仍未收到第 { $line } 行的回显：服务器是不是正忙于另一个客户端？
client-echo-late-step = 等了 { $timeout } 仍未收到第 { $line } 行的回显：服务器是不是正忙于另一个客户端，或者停在了某个步骤上？
client-waiting-echo = 回显——服务器可能停在了某个步骤上
client-end-send-failed = 发送失败（见下文）
client-end-over = 对话结束了
client-end-server-closed = 服务器关闭了连接
client-end-output-closed = 输出已被关闭
client-end-failed = 连接出错了
client-end-peer-closed = { $peer } 关闭了连接：它不会再发送任何东西

## 我们发出 FIN 之后：不再等待服务器的 FIN。

client-stopped-waiting = 不再等待 { $peer } 关闭连接：{ $why }（见 --wait-close）
client-gave-up-all-back = 发送了 { $sent } 字节，收到了 { $received } 字节，之后它又让连接保持打开了 { $wait }
client-gave-up-kept-sending = 它持续发送了 { $wait } 却不关闭连接，已发送的 { $sent } 字节中只回来了 { $received } 字节
client-gave-up-quiet = { $wait } 内什么也没有收到，已发送的 { $sent } 字节中只回来了 { $received } 字节
