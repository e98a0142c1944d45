#!/usr/bin/env python3
"""The flood of bench/hostile.sh: unauthenticated multipart POSTs from one process, as fast as they go.

    hostile-flood.py PORT SECONDS BODY_FILE [CONNECTIONS=12] [RATE=0] [PATH=/MAAS/api/2.0/boot-resources/]

CONNECTIONS posts are in flight at any time, each on a new connection (as twelve curl loops run one curl after
another): connect, send the request head and then the body file's bytes (read once, kept in memory and sent from
there without a copy) until the server answers or closes, read the answer's status, close, start the next. One
process and one selector for all of them, so the attacker's CPU goes to the posts' bytes, not to starting a
process and reading the body file for every post (what a curl loop spends most of its CPU on).

Prints one line: "posts N codes 401:a 000:b sent_bytes S cpu C" (000: closed or reset before an answer was read;
sent_bytes: what the kernel accepted from us, over all posts; cpu: this process's user + system seconds).
"""
import os
import selectors
import socket
import sys
import time

port, seconds, body_file = int(sys.argv[1]), float(sys.argv[2]), sys.argv[3]
connections = int(sys.argv[4]) if len(sys.argv) > 4 else 12
rate = float(sys.argv[5]) if len(sys.argv) > 5 else 0.0
path = sys.argv[6] if len(sys.argv) > 6 else "/MAAS/api/2.0/boot-resources/"
with open(body_file, "rb") as f:
    body = f.read()
head = ("POST %s HTTP/1.1\r\nHost: 127.0.0.1:%d\r\nUser-Agent: hostile-flood\r\nAccept: */*\r\n"
        "Content-Type: multipart/form-data; boundary=B\r\nContent-Length: %d\r\n\r\n"
        % (path, port, len(body))).encode("ascii")
payload = memoryview(head + body)

selector = selectors.DefaultSelector()
codes = {}
sent = 0
posts = 0
end = time.monotonic() + seconds
waiting = 0  # posts due to start once the rate allows
next_start = time.monotonic()


def start_when_due():
    """Starts the waiting posts whose time has come; returns the seconds until the next one is due, or None."""
    global waiting, next_start
    while waiting:
        now = time.monotonic()
        if now >= end:
            waiting = 0
            return None
        if rate > 0 and now < next_start:
            return next_start - now
        waiting -= 1
        # a late start (a slow wake-up) is made up for, by up to CONNECTIONS posts at once
        next_start = max(next_start, now - connections / rate if rate > 0 else now) + (1.0 / rate if rate > 0 else 0)
        Post()
    return None


class Post:
    """One request on its own connection."""

    def __init__(self):
        self.sock = socket.socket(socket.AF_INET, socket.SOCK_STREAM)
        self.sock.setblocking(False)
        self.offset = 0
        self.answer = b""
        self.connected = False
        self.sock.connect_ex(("127.0.0.1", port))
        selector.register(self.sock, selectors.EVENT_READ | selectors.EVENT_WRITE, self)

    def ready(self, events):
        global sent
        try:
            if events & selectors.EVENT_READ:
                chunk = self.sock.recv(4096)
                if not chunk:
                    return self.finish()
                self.answer += chunk
                if len(self.answer) >= 12:
                    return self.finish()
            if events & selectors.EVENT_WRITE and self.offset < len(payload):
                n = self.sock.send(payload[self.offset:])
                self.offset += n
                sent += n
                if self.offset >= len(payload):
                    selector.modify(self.sock, selectors.EVENT_READ, self)
        except BlockingIOError:
            pass
        except OSError:
            self.finish()

    def finish(self):
        global posts
        code = self.answer[9:12].decode("ascii", "replace") if self.answer.startswith(b"HTTP/1.") else "000"
        codes[code] = codes.get(code, 0) + 1
        posts += 1
        selector.unregister(self.sock)
        self.sock.close()
        if time.monotonic() < end:
            global waiting
            waiting += 1


waiting = connections
start_when_due()
while selector.get_map() or waiting:
    due = start_when_due()
    for key, events in selector.select(timeout=min(due, 1) if due is not None else 1):
        key.data.ready(events)
    if time.monotonic() > end + 10:  # a post the server never answers: give up on it
        for key in list(selector.get_map().values()):
            key.data.finish()
cpu = os.times()
print("posts %d codes %s sent_bytes %d cpu %.2f" % (posts, " ".join("%s:%d" % kv for kv in sorted(codes.items())),
                                                   sent, cpu.user + cpu.system))
