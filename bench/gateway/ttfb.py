#!/usr/bin/env python3
"""Time to first streamed byte: what wrk cannot measure.

Sends TTFB_REQUESTS (default 2000) streamed chat completions, one after another on ONE persistent keep-alive
connection, to the URL given as the only argument, with the same body and Authorization header as chat-stream.lua
(the key from ODOCK_BENCH_KEY). For each request it measures the time from just before the request is written to
the arrival of the first byte of the response BODY (the first SSE chunk's data after the headers; with chunked
transfer encoding, the first chunk's data, not its size line), then reads the rest of the response before the next
request. The first TTFB_WARMUP (default 200) are discarded. Prints one line:

    p50_us=<int> p99_us=<int> n=<measured> errors=<non-200 answers>

Bounded in time: gives up after TTFB_MAX_SECONDS (default 60) and reports what it measured, and a single read waits
at most 10 s. Standard library only; raw sockets so that nothing buffers between the socket and the clock.
"""

import math
import os
import socket
import sys
import time
import urllib.parse

BODY = b'{"model":"bench-chat","max_tokens":64,"stream":true,"messages":[{"role":"user","content":"Say hello to the benchmark."}]}'


class Connection:
    def __init__(self, host, port):
        self.sock = socket.create_connection((host, port), timeout=10)
        self.sock.setsockopt(socket.IPPROTO_TCP, socket.TCP_NODELAY, 1)
        self.buf = bytearray()
        self.at = 0  # perf_counter_ns of the read that delivered the newest bytes in buf

    def fill(self):
        data = self.sock.recv(65536)
        self.at = time.perf_counter_ns()
        if not data:
            raise ConnectionError("the server closed the connection")
        self.buf += data

    def exchange(self, request):
        """Sends one request and reads its whole response; returns (status, ns from send to the first body byte or None
        for an empty body, the headers with lower-case names, ns from send to the last byte)."""
        self.buf.clear()
        start = time.perf_counter_ns()
        self.sock.sendall(request)
        while (end := self.buf.find(b"\r\n\r\n")) < 0:
            self.fill()
        head = bytes(self.buf[:end]).decode("latin-1").split("\r\n")
        status = int(head[0].split(" ", 2)[1])
        headers = {}
        for line in head[1:]:
            name, _, value = line.partition(":")
            headers[name.strip().lower()] = value.strip()
        pos = end + 4
        first = None
        if "chunked" in headers.get("transfer-encoding", "").lower():
            while True:
                while (eol := self.buf.find(b"\r\n", pos)) < 0:
                    self.fill()
                size = int(bytes(self.buf[pos:eol]).split(b";", 1)[0], 16)
                data = eol + 2
                if size == 0:  # last chunk; no trailers expected, so an empty line ends the message
                    while len(self.buf) < data + 2:
                        self.fill()
                    break
                while len(self.buf) <= data:
                    self.fill()
                if first is None:
                    first = self.at - start
                while len(self.buf) < data + size + 2:
                    self.fill()
                pos = data + size + 2
        elif "content-length" in headers:
            length = int(headers["content-length"])
            if length > 0:
                while len(self.buf) <= pos:
                    self.fill()
                first = self.at - start
                while len(self.buf) < pos + length:
                    self.fill()
        else:
            raise ValueError("a response with neither chunked encoding nor a length cannot be kept alive")
        if headers.get("connection", "").lower() == "close":
            raise ConnectionError("the server asked to close the connection")
        return status, first, headers, self.at - start


def percentile(sorted_values, q):
    return sorted_values[max(0, math.ceil(q * len(sorted_values)) - 1)]


def chat_request(url, body):
    """The raw bytes of one chat request to url (a urlsplit result), with the key from ODOCK_BENCH_KEY."""
    key = os.environ.get("ODOCK_BENCH_KEY", "")
    return (
        f"POST {url.path or '/'} HTTP/1.1\r\n"
        f"Host: {url.netloc}\r\n"
        "Content-Type: application/json\r\n"
        f"Authorization: Bearer {key}\r\n"
        f"Content-Length: {len(body)}\r\n"
        "\r\n"
    ).encode("latin-1") + body


def main():
    if len(sys.argv) != 2:
        sys.exit("usage: ttfb.py http://127.0.0.1:PORT/v1/chat/completions")
    url = urllib.parse.urlsplit(sys.argv[1])
    requests = int(os.environ.get("TTFB_REQUESTS", "2000"))
    warmup = int(os.environ.get("TTFB_WARMUP", "200"))
    deadline = time.monotonic() + float(os.environ.get("TTFB_MAX_SECONDS", "60"))
    request = chat_request(url, BODY)

    connection = Connection(url.hostname, url.port or 80)
    samples = []
    errors = 0
    for i in range(requests):
        if time.monotonic() > deadline:
            print(f"ttfb: stopped after {i} requests at TTFB_MAX_SECONDS", file=sys.stderr)
            break
        status, first, _, _ = connection.exchange(request)
        if i < warmup:
            continue
        if status != 200 or first is None:
            errors += 1
        else:
            samples.append(first)
    if not samples:
        sys.exit(f"ttfb: no successful measured requests ({errors} errors)")
    samples.sort()
    print(f"p50_us={percentile(samples, 0.50) // 1000} p99_us={percentile(samples, 0.99) // 1000} n={len(samples)} errors={errors}")


if __name__ == "__main__":
    main()
