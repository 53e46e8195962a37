-- wrk script for the serving benchmark: a conditional GET (If-None-Match) of one URL path and query,
-- printing the summary as one JSON line like wrk_post.lua.
--   WRK_PATH='/graphql?query=...' WRK_ETAG='"..."' wrk -t2 -c32 -d10s -s bench/wrk_get.lua http://127.0.0.1:PORT
wrk.method = "GET"
wrk.path = assert(os.getenv("WRK_PATH"), "WRK_PATH must name the path and query to GET")
wrk.headers["Accept"] = "application/graphql-response+json, application/json;q=0.9"
local etag = os.getenv("WRK_ETAG")
if etag and etag ~= "" then
  wrk.headers["If-None-Match"] = etag
end

function done(summary, latency, requests)
  local e = summary.errors
  io.write(string.format(
    'WRK_JSON {"requests": %d, "duration_us": %d, "p50_us": %d, "p99_us": %d, "max_us": %d, '
      .. '"connect_errors": %d, "read_errors": %d, "write_errors": %d, "status_errors": %d, "timeouts": %d}\n',
    summary.requests, summary.duration, latency:percentile(50), latency:percentile(99), latency.max,
    e.connect, e.read, e.write, e.status, e.timeout))
end
