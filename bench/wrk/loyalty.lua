-- wrk script: the loyalty member read or a spend (a manual -1 point adjustment) of one member.
-- usage: wrk -t2 -c8 -d10s -s loyalty.lua http://127.0.0.1:PORT -- <apiKey> read|spend <program> <customer>
local key, mode, path
function init(args)
  key, mode = args[1], args[2]
  path = "/v1/loyalty/" .. args[3] .. "/members/" .. args[4]
end

function request()
  local h = {["Authorization"] = "Bearer " .. key, ["Content-Type"] = "application/json"}
  if mode == "spend" then
    return wrk.format("POST", path .. "/transactions", h, '{"points":-1,"reason":"bench"}')
  end
  return wrk.format("GET", path, h)
end

local failures = 0
function response(status, headers, body)
  if status ~= 200 and status ~= 201 then
    failures = failures + 1
    if failures == 1 then io.write("unexpected status " .. status .. ": " .. body .. "\n") end
  end
end

function done(summary, latency, requests)
  io.write(string.format("p50 %.2f ms, p99 %.2f ms, errors %d\n", latency:percentile(50) / 1000,
    latency:percentile(99) / 1000, summary.errors.status))
end
