-- Test driver for provisioning/shippers/fluent-bit/mesh_audit.lua: reads one JSON request per line
-- ({"call": <global filter function>, "tag": ..., "ts": <number or {sec, nsec}>, "record": {...}}),
-- calls the filter as Fluent Bit would (JSON null becomes an absent key at any depth, as msgpack
-- nil does in Fluent Bit's Lua) and prints {"code": ..., "ts": ..., "record": {...}} per request.
local cjson = require("cjson")
dofile(arg[1])
local function strip(t)
  local out = {}
  for k, v in pairs(t) do
    if v ~= cjson.null then
      out[k] = type(v) == "table" and strip(v) or v
    end
  end
  return out
end
for line in io.lines() do
  local req = cjson.decode(line)
  local ts = type(req.ts) == "table" and strip(req.ts) or req.ts
  local code, out_ts, out = _G[req.call](req.tag, ts, strip(req.record))
  io.write(cjson.encode({ code = code, ts = out_ts, record = out }), "\n")
end
