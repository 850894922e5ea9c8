-- One non-streamed chat completion per request, with the key from ODOCK_BENCH_KEY.
wrk.method = "POST"
wrk.headers["Content-Type"] = "application/json"
wrk.headers["Authorization"] = "Bearer " .. (os.getenv("ODOCK_BENCH_KEY") or "")
wrk.body = '{"model":"bench-chat","max_tokens":64,"messages":[{"role":"user","content":"Say hello to the benchmark."}]}'
