-- wrk script for the serving benchmark: POSTs one JSON body and prints the summary as one JSON line.
--   WRK_BODY=body.json wrk -t2 -c32 -d10s -s bench/wrk_post.lua http://127.0.0.1:PORT/graphql
local path = os.getenv("WRK_BODY")
local file = assert(io.open(path, "rb"), "WRK_BODY must name the request body file")
wrk.method = "POST"
wrk.body = file:read("*a")
file:close()
wrk.headers["Content-Type"] = "application/json"
wrk.headers["Accept"] = "application/graphql-response+json, application/json;q=0.9"

function done(summary, latency, requests)
  local e = summary.errors
  io.write(string.format(
    'WRK_JSON {"requests": %d, "duration_us": %d, "p50_us": %d, "p99_us": %d, "max_us": %d, '
      .. '"connect_errors": %d, "read_errors": %d, "write_errors": %d, "status_errors": %d, "timeouts": %d}\n',
    summary.requests, summary.duration, latency:percentile(50), latency:percentile(99), latency.max,
    e.connect, e.read, e.write, e.status, e.timeout))
end
