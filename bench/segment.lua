-- wrk script for Tributary's Tracking API: every request carries fresh messageIds (so nothing is
-- deduplicated away) and a Segment-shaped event. BENCH_PATH, BENCH_BATCH (events per request; 0 =
-- single-event /v1/track) and the write keys come from the environment: BENCH_KEYS, a file of
-- Authorization values ("Basic ..."), one per source, which the requests take in turn (each wrk
-- thread from its own offset), or BENCH_AUTH, the one source's "base64(writeKey:)".
local threads = {}

function setup(thread)
  table.insert(threads, thread)
  thread:set("tid", #threads)
end

function init(args)
  counter = 0
  batch = tonumber(os.getenv("BENCH_BATCH") or "0")
  prefix = string.format("%s-%d-", os.getenv("BENCH_RUN") or "run", tid)
  wrk.method = "POST"
  wrk.path = os.getenv("BENCH_PATH") or "/v1/track"
  wrk.headers["Content-Type"] = "application/json"
  auths = {}
  local keys = os.getenv("BENCH_KEYS")
  if keys and keys ~= "" then
    for line in io.lines(keys) do
      if line ~= "" then auths[#auths + 1] = line end
    end
  else
    auths[1] = "Basic " .. os.getenv("BENCH_AUTH")
  end
  next_auth = (tid * 7919) % #auths
end

local function event(kind)
  counter = counter + 1
  local typ = ""
  if kind then typ = '"type":"track",' end
  return string.format(
    '{%s"messageId":"%s%d","userId":"user-%d","event":"Order Completed",' ..
    '"properties":{"orderId":"o-%d","revenue":42.5,"currency":"USD"},' ..
    '"context":{"library":{"name":"wrk","version":"4"}},"timestamp":"2026-01-01T00:00:00Z"}',
    typ, prefix, counter, counter % 1000, counter)
end

function request()
  next_auth = next_auth % #auths + 1
  wrk.headers["Authorization"] = auths[next_auth]
  if batch == 0 then
    return wrk.format(nil, nil, nil, event(false))
  end
  local items = {}
  for i = 1, batch do items[i] = event(true) end
  return wrk.format(nil, nil, nil, '{"batch":[' .. table.concat(items, ",") .. '],"sentAt":"2026-01-01T00:00:01Z"}')
end

function done(summary, latency, requests)
  -- done() runs in the main thread, where init() never ran.
  local per = tonumber(os.getenv("BENCH_BATCH") or "0")
  if per == 0 then per = 1 end
  local seconds = summary.duration / 1e6
  local errors = summary.errors.connect + summary.errors.read + summary.errors.write +
    summary.errors.timeout + summary.errors.status
  local ok = summary.requests - summary.errors.status
  io.write(string.format("RESULT requests=%d ok_requests=%d events_per_s=%.0f p50_ms=%.2f p99_ms=%.2f " ..
    "non2xx=%d socket_errors=%d\n",
    summary.requests, ok, ok * per / seconds, latency:percentile(50) / 1000, latency:percentile(99) / 1000,
    summary.errors.status, errors - summary.errors.status))
end
