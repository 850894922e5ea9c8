-- One streamed chat completion per request (the whole stream is read), with the key from ODOCK_BENCH_KEY.
wrk.method = "POST"
wrk.headers["Content-Type"] = "application/json"
wrk.headers["Authorization"] = "Bearer " .. (os.getenv("ODOCK_BENCH_KEY") or "")
wrk.body = '{"model":"bench-chat","max_tokens":64,"stream":true,"messages":[{"role":"user","content":"Say hello to the benchmark."}]}'
