-- Value helpers shared by the Mesh Audit Fluent Bit filters (mesh_audit.lua loads this file):
-- the suite's rules for text, numbers, timestamps, addresses, service names and identities
-- (src/core/profiles), and the common-schema JSON encoding.
-- Lua 5.1 / LuaJIT (Fluent Bit's Lua) first: all numbers may be doubles, no integer division,
-- no `tostring` on numbers (5.1 prints 3, 5.4 prints 3.0), string.format("%d") only on integral values.

local V = {}

local function fail(message)
  error({ line_error = message }, 0)
end

-- The shortest decimal text that reads back as the same number (integers without ".0").
local function num_text(v)
  if v == math.floor(v) and math.abs(v) < 1e15 then
    return string.format("%d", v)
  end
  for precision = 15, 17 do
    local s = string.format("%." .. precision .. "g", v)
    if tonumber(s) == v then
      return s
    end
  end
  return string.format("%.17g", v)
end

local function text(v, field)
  if v == nil then
    return nil
  end
  if type(v) == "number" then
    return num_text(v)
  end
  if type(v) ~= "string" then
    fail("field " .. field .. ": expected a string")
  end
  if v == "" or v == "-" then
    return nil
  end
  return v
end

-- A number from a JSON number or a decimal string; "-", "" and null are null.
local function number(v, field)
  if v == nil then
    return nil
  end
  if type(v) == "number" then
    if v < 0 or v ~= v or v == math.huge then
      fail("field " .. field .. ": expected a non-negative finite number")
    end
    return v
  end
  if type(v) ~= "string" then
    fail("field " .. field .. ": expected a number")
  end
  if v == "" or v == "-" then
    return nil
  end
  if #v > 20 or not (v:match("^%d+%.?%d*$") or v:match("^%.%d+$")) then
    fail("field " .. field .. ": expected a number, got " .. v)
  end
  return tonumber(v)
end

local function timestamp(v, field)
  local t = text(v, field)
  if t == nil then
    return nil
  end
  local date, clock, frac = t:match("^(%d%d%d%d%-%d%d%-%d%d)[Tt ](%d%d:%d%d:%d%d)(%.?%d*)[Zz]$")
  if not date or frac == "." then
    fail("field " .. field .. ": not an RFC 3339 UTC timestamp: " .. t)
  end
  return date .. "T" .. clock .. frac .. "Z"
end

local function parse_port(s)
  if s == nil or not s:match("^%d%d?%d?%d?%d?$") then
    return nil
  end
  local n = tonumber(s)
  if n > 65535 then
    return nil
  end
  return n
end

local function port_of(address)
  if address == nil then
    return nil
  end
  local head, port = address:match("^(.*):([^:]*)$")
  if head == nil or (head:find(":", 1, true) and head:sub(-1) ~= "]") then
    return nil
  end
  return parse_port(port)
end

-- `<svc>.<ns>.svc[.<domain>]` -> service, namespace; any other host names a service only.
local function service_from_host(host)
  local svc, ns = host:match("^([^%.]+)%.([^%.]+)%.svc$")
  if not svc then
    svc, ns = host:match("^([^%.]+)%.([^%.]+)%.svc%..*$")
  end
  if svc then
    return svc, ns
  end
  return host, nil
end

local function consul_name(name)
  if name == nil or name:sub(-7) ~= ".consul" then
    return nil
  end
  local parts = {}
  for p in (name .. "."):gmatch("([^%.]*)%.") do
    parts[#parts + 1] = p
  end
  if parts[1] == "" then
    return nil
  end
  for i = 3, #parts do
    local p = parts[i]
    if p == "internal" or p == "internal-v1" or p == "external" then
      local ns = parts[2]
      if ns == "" then
        ns = nil
      end
      return parts[1], ns
    end
  end
  return nil
end

local function split_flags(flags)
  local out = {}
  if flags == nil then
    return out
  end
  if not flags:find(",", 1, true) then
    out[1] = flags
    return out
  end
  for f in (flags .. ","):gmatch("([^,]*),") do
    if f ~= "" and f ~= "-" then
      out[#out + 1] = f
    end
  end
  return out
end

local function has(list, value)
  for _, v in ipairs(list) do
    if v == value then
      return true
    end
  end
  return false
end

local function spiffe_field(uri, key)
  if uri == nil or uri:sub(1, 9) ~= "spiffe://" then
    return nil
  end
  local segments = {}
  local path = uri:match("^spiffe://[^/]+/(.*)$")
  if not path then
    return nil
  end
  for s in (path .. "/"):gmatch("([^/]*)/") do
    segments[#segments + 1] = s
  end
  local found
  for i = 1, #segments - 1, 2 do
    if segments[i] == key then
      found = segments[i + 1] ~= "" and segments[i + 1] or nil
    end
  end
  return found
end

local function path_of_uri(uri)
  local scheme = uri:find("://", 1, true)
  if scheme == nil or scheme - 1 > 10 then
    return uri, nil
  end
  local rest = uri:sub(scheme + 3)
  local slash = rest:find("/", 1, true)
  local authority = slash and rest:sub(1, slash - 1) or rest
  if authority == "" then
    authority = nil
  end
  return slash and rest:sub(slash) or "/", authority
end

local function host_of(authority)
  if authority:sub(1, 1) == "[" then
    local close = authority:find("]", 1, true)
    return close and authority:sub(2, close - 1) or authority
  end
  local first = authority:find(":", 1, true)
  if first and not authority:find(":", first + 1, true) then
    return authority:sub(1, first - 1)
  end
  return authority
end

local function is_ip(host)
  if host:find(":", 1, true) then
    return true
  end
  local _, dots = host:gsub("%.", "")
  return dots == 3 and host:match("^[%d%.]*$") ~= nil
end

local function object(v, field)
  if v == nil then
    return nil
  end
  if type(v) ~= "table" then
    fail("field " .. field .. ": expected an object")
  end
  return v
end

-- Kubernetes' ReplicaSet hash and pod suffix alphabet (no vowels, no 0/1/3): `<deployment>-<hash>-<suffix>`.
local POD_SAFE = "[bcdfghjklmnpqrstvwxz2456789]"

-- The Deployment of a `<deployment>-<rs-hash>-<suffix>` pod, else the pod name itself.
local function workload_from_pod(pod)
  local head, hash, suffix = pod:match("^(.+)%-(" .. POD_SAFE:rep(6) .. POD_SAFE .. "*)%-(" .. POD_SAFE:rep(5) .. ")$")
  if head and #hash <= 10 and not hash:find("[^bcdfghjklmnpqrstvwxz2456789]") then
    return head
  end
  return pod
end

local FIELDS = {
  "timestamp", "mesh", "format", "direction", "src_workload", "src_namespace", "src_identity",
  "src_address", "dst_service", "dst_namespace", "dst_workload", "dst_identity", "dst_address",
  "dst_port", "protocol", "method", "path", "status", "response_flags", "duration_ms", "bytes_in",
  "bytes_out", "mtls", "mtls_basis", "authz", "authz_policy", "request_id", "trace_id",
}

local function blank_record(format, mesh)
  return {
    mesh = mesh, format = format, direction = "unknown", response_flags = {},
    mtls = "unknown", mtls_basis = "none", authz = "unknown",
  }
end

local function is_success(status)
  return status ~= nil and status >= 200 and status < 400
end

-- JSON text, in the common schema's key order.
local function json_string(s)
  return '"' .. s:gsub('[%c"\\]', function(c)
    if c == '"' then
      return '\\"'
    elseif c == "\\" then
      return "\\\\"
    elseif c == "\n" then
      return "\\n"
    elseif c == "\r" then
      return "\\r"
    elseif c == "\t" then
      return "\\t"
    end
    return string.format("\\u%04x", c:byte())
  end) .. '"'
end

local function json_value(v)
  if v == nil then
    return "null"
  elseif type(v) == "number" then
    return num_text(v)
  elseif type(v) == "table" then
    local items = {}
    for i, x in ipairs(v) do
      items[i] = json_string(x)
    end
    return "[" .. table.concat(items, ",") .. "]"
  end
  return json_string(v)
end

local function encode_record(r)
  local parts = {}
  for i, k in ipairs(FIELDS) do
    parts[i] = '"' .. k .. '":' .. json_value(r[k])
  end
  return "{" .. table.concat(parts, ",") .. "}"
end

V.fail, V.num_text, V.text, V.number, V.timestamp = fail, num_text, text, number, timestamp
V.parse_port, V.port_of, V.service_from_host, V.consul_name = parse_port, port_of, service_from_host, consul_name
V.split_flags, V.has, V.spiffe_field, V.path_of_uri, V.host_of, V.is_ip = split_flags, has, spiffe_field, path_of_uri, host_of, is_ip
V.object, V.workload_from_pod, V.blank_record, V.is_success = object, workload_from_pod, blank_record, is_success
V.FIELDS, V.json_string, V.json_value, V.encode_record = FIELDS, json_string, json_value, encode_record

return V
