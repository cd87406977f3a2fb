-- wrk script of packaging/bench.sh: one request, set from the environment, and one summary line.
--   BENCH_METHOD  GET (default) or POST
--   BENCH_AUTH    the base64 of "uuid:key" for an Authorization: Basic header (none when empty)
--   BENCH_BODY    a JSON request body (none when empty)
-- done() prints "BENCH_RESULT key=value ..." for bench.sh to parse: requests answered below 400
-- (ok), the duration, and latency percentiles in microseconds. No response() callback: running Lua
-- for every response would cost wrk more CPU than the server under test on a 2-core machine.

wrk.method = os.getenv("BENCH_METHOD") or "GET"
local auth = os.getenv("BENCH_AUTH")
if auth ~= nil and auth ~= "" then
  wrk.headers["Authorization"] = "Basic " .. auth
end
local body = os.getenv("BENCH_BODY")
if body ~= nil and body ~= "" then
  wrk.body = body
  wrk.headers["Content-Type"] = "application/json"
end

done = function(summary, latency, requests)
  local e = summary.errors
  local failed = e.status + e.connect + e.read + e.write + e.timeout
  io.write(string.format(
    "BENCH_RESULT requests=%d ok=%d seconds=%.3f p50_us=%d p90_us=%d p99_us=%d max_us=%d status_errors=%d socket_errors=%d\n",
    summary.requests, summary.requests - failed, summary.duration / 1e6,
    latency:percentile(50), latency:percentile(90), latency:percentile(99), latency.max,
    e.status, e.connect + e.read + e.write + e.timeout))
end
