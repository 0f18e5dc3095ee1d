-- wrk script: POST /v1/events, each request a new event (no id) for a distinct new customer or for one hot customer.
-- usage: wrk -t2 -c8 -d10s -s events.lua http://127.0.0.1:PORT -- <apiKey> distinct|hot <run label>
local threads = 0
function setup(thread)
  threads = threads + 1
  thread:set("tid", threads)
end

local key, mode, label
local counter = 0
function init(args)
  key, mode, label = args[1], args[2], args[3]
end

function request()
  counter = counter + 1
  local customer = "hot-customer"
  if mode == "distinct" then customer = "c-" .. label .. "-" .. tid .. "-" .. counter end
  local body = '{"customer":"' .. customer .. '","type":"product_viewed","properties":{"sku":"SKU-'
    .. (counter % 50) .. '","page":"category/arabica"}}'
  return wrk.format("POST", "/v1/events", {["Authorization"] = "Bearer " .. key,
    ["Content-Type"] = "application/json"}, body)
end

local failures = 0
function response(status, headers, body)
  if status ~= 202 then
    failures = failures + 1
    if failures == 1 then io.write("unexpected status " .. status .. ": " .. body .. "\n") end
  end
end

function done(summary, latency, requests)
  io.write(string.format("p50 %.2f ms, p99 %.2f ms, errors %d\n", latency:percentile(50) / 1000,
    latency:percentile(99) / 1000, summary.errors.status))
end
