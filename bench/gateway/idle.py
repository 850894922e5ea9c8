#!/usr/bin/env python3
"""Latency after an idle gap: what a trickle of requests pays that a steady stream does not.

Sends the non-streamed chat request of chat.lua on ONE keep-alive connection, pausing each gap of IDLE_GAPS_MS
(default "0 1 2 5 20") before every request, IDLE_REQUESTS (default 300) times per gap after IDLE_WARMUP (default
30) unmeasured ones, to the URL given as the only argument (the key from ODOCK_BENCH_KEY). Prints one line per gap:

    gap_ms=<gap> p50_us=<int> p90_us=<int> own_p50_us=<int or -> errors=<non-200 answers>

p50_us and p90_us time each request from just before it is written until its last byte has arrived. own_p50_us is
the median of the gateway's own x-odock-overhead-ms header (the time the request spent in Odock, leaving out the
provider's), or "-" when the answers do not carry it (the upstream itself, the bare proxy). A gateway whose own time
rises with the gap as fast as coldloop's fixed work does is being slowed by the host, not by anything it does more
after a pause. Standard library only; bounded by IDLE_MAX_SECONDS (default 60).
"""

import math
import os
import sys
import time
import urllib.parse

sys.dont_write_bytecode = True  # importing ttfb.py beside it must not leave a __pycache__ in the tree
from ttfb import Connection, chat_request, percentile  # noqa: E402

BODY = b'{"model":"bench-chat","max_tokens":64,"messages":[{"role":"user","content":"Say hello to the benchmark."}]}'
OWN = "x-odock-overhead-ms"


def main():
    if len(sys.argv) != 2:
        sys.exit("usage: idle.py http://127.0.0.1:PORT/v1/chat/completions")
    url = urllib.parse.urlsplit(sys.argv[1])
    gaps = os.environ.get("IDLE_GAPS_MS", "0 1 2 5 20").split()
    requests = int(os.environ.get("IDLE_REQUESTS", "300"))
    warmup = int(os.environ.get("IDLE_WARMUP", "30"))
    deadline = time.monotonic() + float(os.environ.get("IDLE_MAX_SECONDS", "60"))
    request = chat_request(url, BODY)
    connection = Connection(url.hostname, url.port or 80)
    for gap in gaps:
        pause = float(gap) / 1000
        totals, own, errors = [], [], 0
        for i in range(warmup + requests):
            if time.monotonic() > deadline:
                print(f"idle: stopped at gap {gap} ms at IDLE_MAX_SECONDS", file=sys.stderr)
                break
            if pause > 0:
                time.sleep(pause)
            status, _, headers, total = connection.exchange(request)
            if i < warmup:
                continue
            if status != 200:
                errors += 1
                continue
            totals.append(total)
            if OWN in headers:
                own.append(float(headers[OWN]) * 1000)
        if not totals:
            sys.exit(f"idle: no successful measured requests at gap {gap} ms ({errors} errors)")
        totals.sort()
        own.sort()
        own_p50 = str(math.floor(percentile(own, 0.50))) if own else "-"
        print(f"gap_ms={gap} p50_us={percentile(totals, 0.50) // 1000} p90_us={percentile(totals, 0.90) // 1000}"
              f" own_p50_us={own_p50} errors={errors}", flush=True)


if __name__ == "__main__":
    main()
