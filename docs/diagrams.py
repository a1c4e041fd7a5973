#!/usr/bin/env python3
"""Draws the book's lifecycle diagrams as SVG files (docs/src/img/).

SVG renders the same in the built book and on the repository host. Each
diagram is a list of rows, top to bottom; run this script after changing
one and commit the SVG files with it.
"""

from pathlib import Path
from xml.sax.saxutils import escape

OUT = Path(__file__).resolve().parent / "src" / "img"
LEFT, RIGHT = 260, 600  # x of the client and server lifelines
ROW = 34

# A row is one of:
#   ("call", side, text)             a call on one side
#   ("block", side, text, rows)      a call that waits for `rows` rows
#   ("arrow", direction, text)       a packet: "->" client to server
#   ("lost", direction, text)        a packet that never arrives
#   ("note", text)                   a line of text across both
TCP = [
    ("call", "server", "socket()"),
    ("call", "server", "setsockopt(SO_REUSEADDR)"),
    ("call", "server", "bind(127.0.0.1:10888)"),
    ("call", "server", "listen(backlog)"),
    ("block", "server", "accept() waits", 5),
    ("call", "client", "socket()"),
    ("block", "client", "connect() waits", 3),
    ("arrow", "->", "SYN"),
    ("arrow", "<-", "SYN-ACK"),
    ("arrow", "->", "ACK   (handshake done: connect() and accept() return)"),
    ("call", "client", "send(b\"hello\")"),
    ("block", "server", "recv() waits", 2),
    ("arrow", "->", "data: hello"),
    ("call", "server", "recv() returns 5 bytes"),
    ("call", "server", "send(5 bytes)"),
    ("arrow", "<-", "data: hello"),
    ("call", "client", "recv() returns 5 bytes"),
    ("call", "client", "shutdown(Write)"),
    ("arrow", "->", "FIN"),
    ("call", "server", "recv() returns 0: client is done"),
    ("call", "server", "close()"),
    ("arrow", "<-", "FIN"),
    ("call", "client", "recv() returns 0; close()"),
    ("note", "the server goes back to accept() for the next client"),
]

UDP = [
    ("call", "server", "socket(SOCK_DGRAM)"),
    ("call", "server", "bind(127.0.0.1:3000)"),
    ("block", "server", "recv_from() waits", 5),
    ("call", "client", "socket(SOCK_DGRAM)"),
    ("call", "client", "bind(port 0)"),
    ("call", "client", "connect(): no packet, only a default peer"),
    ("call", "client", "send(b\"hello\")"),
    ("arrow", "->", "datagram: hello"),
    ("call", "server", "recv_from() returns (hello, client address)"),
    ("call", "server", "send_to(hello, client address)"),
    ("arrow", "<-", "datagram: hello"),
    ("call", "client", "recv() returns one whole datagram"),
    ("call", "client", "send(b\"again\")"),
    ("lost", "->", "datagram: again (lost: nobody is told)"),
    ("call", "client", "recv() times out after --timeout"),
    ("call", "client", "send(b\"bye\"); close()"),
    ("arrow", "->", "datagram: bye"),
    ("call", "server", "recv_from() returns bye; close()"),
    ("note", "no listen(), no accept(), no handshake, no FIN"),
]


def text(x, y, words, anchor="middle", size=13, weight="normal", fill="#222"):
    return (
        f'<text x="{x}" y="{y}" text-anchor="{anchor}" font-size="{size}" '
        f'font-weight="{weight}" fill="{fill}">{escape(words)}</text>'
    )


def draw(title, rows, left_name, right_name):
    height = 90 + ROW * len(rows) + 30
    width = 920
    parts = [
        f'<svg xmlns="http://www.w3.org/2000/svg" width="{width}" height="{height}" '
        f'viewBox="0 0 {width} {height}" font-family="Helvetica, Arial, sans-serif">',
        f'<rect width="{width}" height="{height}" fill="white"/>',
        '<defs><marker id="head" markerWidth="10" markerHeight="8" refX="9" refY="4" '
        'orient="auto"><path d="M0,0 L10,4 L0,8 z" fill="#333"/></marker></defs>',
        text(width / 2, 24, title, size=16, weight="bold"),
    ]
    for x, name in ((LEFT, left_name), (RIGHT, right_name)):
        parts.append(f'<rect x="{x - 70}" y="36" width="140" height="28" rx="4" fill="#e8eef7" stroke="#456"/>')
        parts.append(text(x, 55, name, weight="bold"))
        parts.append(f'<line x1="{x}" y1="64" x2="{x}" y2="{height - 20}" stroke="#999" stroke-dasharray="4 3"/>')
    for i, row in enumerate(rows):
        y = 90 + ROW * i
        kind = row[0]
        if kind in ("call", "block"):
            side = row[1]
            x = LEFT if side == "client" else RIGHT
            if kind == "block":
                span = row[3] * ROW
                parts.append(f'<rect x="{x - 5}" y="{y - 6}" width="10" height="{span}" fill="#f0a030" opacity="0.8"/>')
            parts.append(f'<circle cx="{x}" cy="{y}" r="4" fill="#456"/>')
            if side == "client":
                parts.append(text(x - 12, y + 4, row[2], anchor="end"))
            else:
                parts.append(text(x + 12, y + 4, row[2], anchor="start"))
        elif kind in ("arrow", "lost"):
            direction, label = row[1], row[2]
            x1, x2 = (LEFT, RIGHT) if direction == "->" else (RIGHT, LEFT)
            if kind == "lost":
                x2 = (LEFT + RIGHT) / 2 + (60 if direction == "->" else -60)
                parts.append(text(x2 + 8, y + 5, "✕", anchor="start", size=16, fill="#c00"))
            dash = ' stroke-dasharray="6 4"' if kind == "lost" else ""
            parts.append(
                f'<line x1="{x1}" y1="{y}" x2="{x2}" y2="{y}" stroke="#333" stroke-width="1.5"'
                f'{dash} marker-end="url(#head)"/>'
            )
            parts.append(text((LEFT + RIGHT) / 2, y - 5, label, size=12, fill="#333"))
        elif kind == "note":
            parts.append(text(width / 2, y + 4, row[1], size=12, fill="#555"))
    legend_y = height - 8
    parts.append(f'<rect x="20" y="{legend_y - 10}" width="10" height="10" fill="#f0a030"/>')
    parts.append(text(36, legend_y, "the call blocks here: the program waits", anchor="start", size=11))
    parts.append("</svg>")
    return "\n".join(parts) + "\n"


def main():
    OUT.mkdir(parents=True, exist_ok=True)
    (OUT / "tcp-lifecycle.svg").write_text(
        draw("TCP: one conversation, step by step", TCP, "tcp-client", "tcp-server"))
    (OUT / "udp-lifecycle.svg").write_text(
        draw("UDP: datagrams, no connection", UDP, "udp-client", "udp-server"))
    print("wrote", ", ".join(p.name for p in sorted(OUT.glob("*.svg"))))


if __name__ == "__main__":
    main()
