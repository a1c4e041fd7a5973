# What every program says, in Chinese: errors and hints. Read after lesson.ftl
# (one catalog, see lesson::lang); the other language has the same ids.

## 做不到的事：每一步一条。

error-resolve = 无法解析 { $target }
error-socket = 无法为 { $target } 创建套接字
error-setsockopt = 无法为 { $target } 的套接字设置选项
error-bind = 无法绑定 { $target }
error-listen = 无法在 { $target } 上监听
error-accept = 无法在 { $target } 上接受连接
error-connect = 无法连接到 { $target }
error-recv = 无法从 { $target } 接收
error-send = 无法发送到 { $target }
error-recv-from = 无法在 { $target } 上接收
error-shutdown = 无法关闭到 { $target } 的连接的一个方向（shutdown）
error-close = 无法关闭 { $target }

## 原因：操作系统的回答。

error-addr-in-use = 地址已被占用
error-addr-not-available = 这台机器上没有这个地址
error-refused = 连接被拒绝
error-reset = 连接被对端重置
error-aborted = 连接被中止
error-broken-pipe = 管道已断开（对端已关闭连接）
error-permission = 权限不足
error-timed-out = 超时
error-host-unreachable = 主机不可达
error-network-unreachable = 网络不可达
error-eof = 对端关闭了连接
error-not-found = 没有这个文件或目录
error-not-a-directory = 不是目录
error-too-many-files = { $said }；用 `ulimit -n` 提高上限

## 接下来可以试什么：括号里的提示。

error-hint-in-use = 是不是另一个服务器正在用这个端口？换一个端口，或者用 0 让系统挑一个空闲端口
error-hint-low-port = 1024 以下的端口需要管理员权限；请用 1024 以上的端口
error-hint-not-ours = 这个 IP 地址不属于这台机器；试试 127.0.0.1
error-hint-resolve = 检查拼写，或者直接用 IP 地址，例如 127.0.0.1
error-hint-no-answer = 完全没有回应；地址对吗？是不是防火墙丢弃了数据包？
error-hint-reset = 对端突然关闭了连接
error-hint-unix-path = Unix 套接字的路径前面要加 ./ 或 unix:：./{ $host }

## bind() 用不了的 Unix 套接字路径。

error-path-not-yours = 你不能在这个目录里写文件：换一个你能写的目录里的路径，例如 /tmp/echo.sock
error-path-no-folder = 它所在的目录不存在：先创建目录，或者换一个已有目录里的路径
error-path-taken-now = 刚才有别的东西占用了这个路径
error-path-folder = { $path } 是一个目录：请指定目录里的一个文件，例如 { $inside }
error-path-symlink = { $path } 是一个符号链接：bind() 从不跟随符号链接；请换一个路径（本程序不删除不是它创建的文件）
error-path-file = { $path } 是一个普通文件，不是套接字：请换一个路径（本程序不删除不是它创建的文件）
error-path-bound = 另一个程序已绑定 { $path }：先停止它，或者换一个路径
error-path-stale = { $path } 是一个残留的套接字文件，由一个没来得及删除它就结束的程序留下（被强行终止了？）：用 `rm { $path }` 删除它

## 命令行和终端。

error-see-help = { $message }；参见 --help
error-buffer = 需要一个 1 到 { $max } 之间的字节数
error-seconds = 需要一个 0.000001 到 86400 之间的秒数（例如 2 或 0.5）
error-trace-file = 无法打开跟踪文件 { $path }
error-trace-file-hint = 检查它所在的目录是否存在、是否可写
error-step-terminal = --step 需要一个终端来读取回车
error-step-terminal-hint = 请在终端里运行，或者只用 --explain
error-stdout-thread = 无法启动写标准输出的线程
error-line-editing = 无法启用行编辑
error-start-reading = 无法开始读取输入
error-keep-terminal = 无法为处理信号保留终端
error-stopped-by-signal = 被信号停止
error-signals = 无法处理信号
error-read-terminal = 无法从终端读取
error-read-stdin = 无法读取标准输入
error-second-signal = 第二个信号：立即停止

## 对话结束时输入中剩下的内容。

input-finish = { $why }。按回车或 Ctrl-D 结束
input-typed-unsent = 已输入但未发送 { $lines } 行：{ $why }
input-rest-unsent = 输入中有 { $lines } 行未发送：{ $why }
input-rest-unsent-at-least = 输入中至少有 { $lines } 行未发送：{ $why }

## --step：值得说一句的等待。

step-waiting = 正在等待{ $what }

## clap 的用法错误。

error-clap-unknown = 没有这个参数：'{ $arg }'
error-clap-extra = 多余的参数：'{ $arg }'（只能给一个地址）
error-clap-empty = '{ $arg }' 需要一个值，但没有给出
error-clap-choices = '{ $arg }' 的值 '{ $second }' 无效（可选值：{ $third }）
error-clap-invalid = '{ $arg }' 的值 '{ $second }' 无效：{ $third }
error-clap-conflict = 参数 '{ $arg }' 不能与 '{ $second }' 一起使用
error-clap-twice = 参数 '{ $arg }' 只能给一次
error-clap-missing = 缺少必需的参数：{ $arg }
error-clap-tip = { $said }（提示：有一个相近的参数 '{ $tip }'）
input-enters-dropped = 程序等待期间按下的 { $enters } 次回车：不当作空行

## 地址无法解析的原因（shared::address::AddressError）。

address-empty = 地址是空的
address-port-not-a-number = 端口 `{ $port }` 不是数字
address-port-out-of-range = 端口 { $port } 超出范围（端口从 0 到 65535）
address-port-missing = `:` 后面必须跟一个端口
address-unclosed-bracket = `[` 没有闭合（IPv6 地址写成 [::1]:PORT）
address-junk-after-bracket = `]` 后面的 `{ $rest }` 应该是 `:PORT`
address-not-ipv6 = `{ $inner }` 不是 IPv6 地址（只有 IPv6 地址才放在方括号里）
address-invalid-host = `{ $host }` 不是有效的主机名或 IP 地址（试试 localhost 或 127.0.0.1）
address-ambiguous-ipv6 = `{ $ip }:{ $port }` 既可能是一个 IPv6 地址，也可能是 { $ip } 加端口 { $port }：表示端口请写 [{ $ip }]:{ $port }，表示地址请写 [{ $ip }:{ $port }]
address-ipv6-port-needs-brackets = `{ $ip }:{ $port }`：带端口时，IPv6 地址要放在方括号里：写成 [{ $ip }]:{ $port }
address-path-missing = `unix:` 后面必须跟一个路径（unix:echo.sock）
address-path-too-long = 这个套接字路径长 { $length } 字节，而 Unix 套接字的路径最多 { $max } 字节：换一个短一些的，例如 /tmp/echo.sock
