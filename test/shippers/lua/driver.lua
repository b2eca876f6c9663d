-- Test driver for provisioning/shippers/fluent-bit/mesh_audit.lua: reads one JSON request per
-- line ({"fn": "redact"|"normalize", "tag": ..., "record": {...}}), calls the filter as Fluent Bit
-- would (JSON null becomes an absent key at any depth, as msgpack nil does in Fluent Bit's Lua) and prints
-- {"code": ..., "record": {...}} per request.
local cjson = require("cjson")
local M = dofile(arg[1])
for line in io.lines() do
  local req = cjson.decode(line)
  local function strip(t)
    local out = {}
    for k, v in pairs(t) do
      if v ~= cjson.null then
        out[k] = type(v) == "table" and strip(v) or v
      end
    end
    return out
  end
  local record = strip(req.record)
  local fn = req.fn == "redact" and mesh_audit_redact or mesh_audit_normalize
  local code, _, out = fn(req.tag, 0, record)
  io.write(cjson.encode({ code = code, record = out }), "\n")
end
