-- wrk script: POST a 10-line cart with one code to the path in PATH_, a distinct customer per request.
-- usage: wrk -t2 -c32 -d20s -s checkout.lua http://127.0.0.1:PORT -- <apiKey> <path> <prefix> [codes JSON, default ["HOT"]]
local counter = 0
local key, path, prefix, codes
local items = {}
for i = 0, 9 do
  items[#items + 1] = string.format(
    '{"sku":"SKU-%d","product":"p%d","categories":["c%d"],"price":%d,"quantity":%d}', i, i, i % 3, 1000 + i * 100, 1 + i % 3)
end
local order = '{"currency":"USD","items":[' .. table.concat(items, ",") .. '],"shipping":500}'

local threads = 0
function setup(thread)
  threads = threads + 1
  thread:set("tid", threads)
end

function init(args)
  key, path, prefix = args[1], args[2], args[3] .. "-" .. tid .. "-"
  codes = args[4] or '["HOT"]'
  if codes == "none" then codes = nil end
end

function request()
  counter = counter + 1
  local body = '{"customer":"' .. prefix .. counter .. '",' .. (codes and ('"codes":' .. codes .. ',') or '')
    .. '"order":' .. order .. '}'
  return wrk.format("POST", path, {["Authorization"] = "Bearer " .. key, ["Content-Type"] = "application/json"}, body)
end

function done(summary, latency, requests)
  io.write(string.format("p50 %.2f ms, p99 %.2f ms\n", latency:percentile(50) / 1000, latency:percentile(99) / 1000))
end
