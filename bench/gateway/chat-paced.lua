-- The non-streamed chat request of chat.lua, with each connection pausing a random 0 to 2 × PACE_MS (default 5) between
-- its requests (random, so that the connections do not fall into step and arrive in bursts):
-- a steady load below the gateway's capacity, so latency percentiles measure the added work rather than the queue
-- that any closed-loop load at saturation builds (at saturation, p50 is roughly connections / throughput).
wrk.method = "POST"
wrk.headers["Content-Type"] = "application/json"
wrk.headers["Authorization"] = "Bearer " .. (os.getenv("ODOCK_BENCH_KEY") or "")
wrk.body = '{"model":"bench-chat","max_tokens":64,"messages":[{"role":"user","content":"Say hello to the benchmark."}]}'

local pause = tonumber(os.getenv("PACE_MS") or "5")

function delay()
  return math.random(0, 2 * pause)
end
