-- Fluent Bit Lua filters for Mesh Audit: redact the raw access-log line, then turn the fields the
-- regex/JSON parsers extracted into one common-schema JSON record (DESIGN.md "The common schema")
-- plus the five stream labels. The rules mirror the suite's parsers (src/core/profiles) and the
-- Promtail/Alloy pipelines; test/shippers/fluent-bit.test.ts runs this file on real lines.
-- Written for Lua 5.1 / LuaJIT (what Fluent Bit embeds); nothing here needs a newer Lua.

local M = {}

local MASK = "REDACTED"

---------------------------------------------------------------------------------------------
-- Redaction (runs on the raw line, before any parser)
---------------------------------------------------------------------------------------------

local SECRET_PARAMS = {
  api_key = true, ["api-key"] = true, apikey = true, access_token = true, ["access-token"] = true,
  refresh_token = true, ["refresh-token"] = true, id_token = true, ["id-token"] = true, token = true,
  auth = true, password = true, passwd = true, pwd = true, secret = true, client_secret = true,
  ["client-secret"] = true, sig = true, signature = true, ["x-amz-signature"] = true, session = true,
  sessionid = true,
}

local SECRET_JSON_KEYS = {
  authorization = true, ["proxy-authorization"] = true, cookie = true, ["set-cookie"] = true,
  ["x-api-key"] = true, api_key = true, password = true, token = true,
}

local function redact_line(line)
  -- JSON Web Tokens anywhere.
  line = line:gsub("eyJ[%w_%-][%w_%-][%w_%-][%w_%-]+%.[%w_%-][%w_%-][%w_%-][%w_%-]+%.[%w_%-]*", MASK)
  -- Authorization credentials: "Bearer <token>", "Basic <b64>", "Digest <...>".
  line = line:gsub("(%f[%w][Bb][Ee][Aa][Rr][Ee][Rr]%s+)[%w%._~%+/=%-]+", "%1" .. MASK)
  line = line:gsub("(%f[%w][Bb][Aa][Ss][Ii][Cc]%s+)[%w%._~%+/=%-]+", "%1" .. MASK)
  line = line:gsub("(%f[%w][Dd][Ii][Gg][Ee][Ss][Tt]%s+)[%w%._~%+/=%-]+", "%1" .. MASK)
  -- Secret-bearing query or form parameters.
  line = line:gsub("([%?&;])([%w_%-]+)=([^&;#%s\"]+)", function(sep, name, value)
    if SECRET_PARAMS[name:lower()] then
      return sep .. name .. "=" .. MASK
    end
    return sep .. name .. "=" .. value
  end)
  -- Secret-bearing keys in JSON lines from custom formats that log headers.
  line = line:gsub('"([%w_%-]+)"(%s*:%s*)"([^"\\]*)"', function(key, colon, value)
    if SECRET_JSON_KEYS[key:lower()] then
      return '"' .. key .. '"' .. colon .. '"' .. MASK .. '"'
    end
    return '"' .. key .. '"' .. colon .. '"' .. value .. '"'
  end)
  -- Passwords in URL userinfo (scheme://user:password@host).
  line = line:gsub("(://[^/%s:@\"]*:)[^/%s@\"]+@", "%1" .. MASK .. "@")
  -- E-mail addresses, also URL-encoded (%40).
  line = line:gsub("[%w%._%%%+%-]+@[%w%-]+%.[%w%.%-]*%a%a", MASK)
  line = line:gsub("[%w%._%%%+%-]+%%40[%w%-]+%.[%w%.%-]*%a%a", MASK)
  return line
end

M.redact_line = redact_line

-- Filter callback: redacts record.log in place.
function M.redact(tag, timestamp, record)
  if type(record.log) ~= "string" then
    return 0, timestamp, record
  end
  record.log = redact_line(record.log)
  return 1, timestamp, record
end

---------------------------------------------------------------------------------------------
-- Values
---------------------------------------------------------------------------------------------

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

---------------------------------------------------------------------------------------------
-- Records
---------------------------------------------------------------------------------------------

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

local function split_request(method, path, protocol)
  return text(method, "method"), text(path, "path"), text(protocol, "protocol")
end

-- Envoy family: istio-text, istio-json, consul, envoy-text, envoy-json.
local function envoy_record(f, format, mesh)
  local r = blank_record(format, mesh)
  r.timestamp = timestamp(f.start_time, "start_time")
  local cluster = text(f.upstream_cluster, "upstream_cluster")
  local c_dir, c_port, c_service, c_namespace, c_known
  if cluster and (cluster:sub(1, 9) == "outbound|" or cluster:sub(1, 8) == "inbound|") then
    local slots = {}
    for s in (cluster .. "|"):gmatch("([^|]*)|") do
      slots[#slots + 1] = s
    end
    c_dir = slots[1] == "outbound" and "outbound" or "inbound"
    c_port = parse_port(slots[2])
    if slots[4] and slots[4] ~= "" then
      c_service, c_namespace = service_from_host(slots[4])
    end
    c_known = true
  elseif cluster == "PassthroughCluster" or cluster == "BlackHoleCluster" or cluster == "original-destination" then
    c_dir, c_known = "outbound", true
  elseif cluster == "InboundPassthroughCluster" or cluster == "InboundPassthroughClusterIpv4"
    or cluster == "InboundPassthroughClusterIpv6" or cluster == "local_app" then
    c_dir, c_known = "inbound", true
  else
    local svc, ns = consul_name(cluster)
    if svc then
      c_dir, c_service, c_namespace, c_known = "outbound", svc, ns, true
    end
  end
  r.direction = c_dir or "unknown"

  local method, path, protocol = f.method, f.path, f.protocol
  local tcp = method == nil and path == nil and protocol == nil
  r.method, r.path = method, path
  r.protocol = tcp and "TCP" or protocol
  local code = number(f.response_code, "response_code")
  r.status = (not tcp) and code or nil
  r.response_flags = split_flags(text(f.response_flags, "response_flags"))
  r.duration_ms = number(f.duration, "duration")
  r.bytes_in = number(f.bytes_received, "bytes_received")
  r.bytes_out = number(f.bytes_sent, "bytes_sent")
  r.request_id = text(f.request_id, "request_id")
  r.trace_id = text(f.trace_id, "trace_id")
  r.src_address = text(f.downstream_remote_address, "downstream_remote_address")

  local sni = text(f.requested_server_name, "requested_server_name")
  local upstream_host = text(f.upstream_host, "upstream_host")
  if r.direction == "inbound" then
    r.dst_address = text(f.downstream_local_address, "downstream_local_address")
    local sni_port, sni_svc, sni_ns
    if sni and sni:sub(1, 10) == "outbound_." then
      local port, rest = sni:sub(11):match("^(.-)_%.(.*)$")
      local fqdn = rest and rest:match("^.-_%.(.*)$")
      if fqdn and fqdn ~= "" and fqdn:sub(1, 2) ~= "_." then
        sni_port = parse_port(port)
        sni_svc, sni_ns = service_from_host(fqdn)
      end
    end
    if c_service then
      r.dst_service, r.dst_namespace = c_service, c_namespace
    elseif sni_svc then
      r.dst_service, r.dst_namespace = sni_svc, sni_ns
    elseif sni then
      r.dst_service, r.dst_namespace = consul_name(sni)
    end
    r.dst_port = c_port or sni_port or port_of(r.dst_address)
  else
    r.dst_address = upstream_host
    r.dst_service, r.dst_namespace = c_service, c_namespace
    r.dst_port = c_port or port_of(upstream_host)
  end

  local down_san, up_san = text(f.downstream_peer_uri_san, "downstream_peer_uri_san"), text(f.upstream_peer_uri_san, "upstream_peer_uri_san")
  r.src_identity, r.dst_identity = down_san, up_san
  r.src_namespace = spiffe_field(down_san, "ns")
  r.dst_namespace = r.dst_namespace or spiffe_field(up_san, "ns")
  r.dst_service = r.dst_service or spiffe_field(up_san, "svc")

  -- mTLS: the peer certificate is proof; the mesh SNI on an inbound line is inference.
  if r.direction == "inbound" then
    if f.has_downstream_peer_uri_san then
      r.mtls = down_san and "mtls" or "plaintext"
      r.mtls_basis = "peer-identity"
    elseif sni and (sni:sub(1, 10) == "outbound_." or sni:sub(-7) == ".consul") then
      r.mtls, r.mtls_basis = "mtls", "sni"
    elseif sni == nil then
      r.mtls, r.mtls_basis = "plaintext", "sni"
    end
  elseif up_san or (r.direction == "unknown" and down_san) then
    r.mtls, r.mtls_basis = "mtls", "peer-identity"
  end

  -- Authorization: an RBAC denial names its policy (`none` = no ALLOW policy matched).
  local details = text(f.response_code_details, "response_code_details")
  local termination = text(f.connection_termination_details, "connection_termination_details")
  local prefix = "rbac_access_denied_matched_policy["
  local policy
  for _, d in ipairs({ details or "", termination or "" }) do
    if policy == nil and d:sub(1, #prefix) == prefix then
      policy = d:sub(#prefix + 1)
      if policy:sub(-1) == "]" then
        policy = policy:sub(1, -2)
      end
      if policy == "" then
        policy = "none"
      end
    end
  end
  if policy then
    r.authz, r.authz_policy = "deny", policy
  elseif has(r.response_flags, "UAEX") or details == "ext_authz_denied" then
    r.authz = "deny"
  elseif is_success(r.status) and (details == "via_upstream" or (details == nil and upstream_host ~= nil)) then
    r.authz = "allow"
  end
  return r
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

-- Linkerd: the inbound proxy logs; client.id is the caller's TLS-verified identity.
local function linkerd_record(f, format)
  local r = blank_record(format, "linkerd")
  r.direction = "inbound"
  r.timestamp = timestamp(f.timestamp, "timestamp")
  -- JSON keys `client.addr`, `version`, `status`; the Apache regex names them client_addr, protocol, response_code.
  r.src_address = text(f["client.addr"] or f.client_addr, "client.addr")
  r.method, r.protocol = text(f.method, "method"), text(f.version or f.protocol, "version")
  r.status = number(f.status or f.response_code, "status")
  local uri = text(f.uri, "uri")
  local authority
  if uri then
    r.path, authority = path_of_uri(uri)
  end
  if format == "linkerd-json" then
    authority = text(f.host, "host") or authority
    local ns = number(f.total_ns, "total_ns")
    r.duration_ms = ns and ns / 1e6 or nil
    r.bytes_in = number(f.request_bytes, "request_bytes")
    r.bytes_out = number(f.response_bytes, "response_bytes")
    r.trace_id = text(f.trace_id, "trace_id")
  end
  if authority then
    r.dst_port = port_of(authority)
    local host = host_of(authority)
    if is_ip(host) then
      r.dst_address = authority
    elseif not host:find(".", 1, true) or host:find(".svc", 1, true) then
      r.dst_service, r.dst_namespace = service_from_host(host)
    end
  end
  local id = text(f["client.id"] or f.client_id, "client.id")
  if id then
    r.src_identity = id
    local head = id:match("^(.-)%.serviceaccount%.identity%.linkerd%.")
    r.src_namespace = head and head:match("^.+%.([^%.]+)$") or nil
    r.mtls = "mtls"
  else
    r.mtls = "plaintext"
  end
  r.mtls_basis = "peer-identity"
  if is_success(r.status) then
    r.authz = "allow"
  end
  return r
end

-- Kuma: service tags `<name>_<namespace>_svc[_<port>]`; source "unknown" means inbound.
local function kuma_service(tag)
  if tag == nil or tag == "unknown" then
    return nil
  end
  local head, port = tag:match("^(.+)_svc_(%d*)$")
  if not head then
    head = tag:match("^(.+)_svc$")
  end
  if head then
    local name, ns = head:match("^(.+)_([^_]+)$")
    local p = (port and port ~= "") and tonumber(port) or nil
    if name and (p == nil or (p > 0 and p <= 65535)) then
      return name, ns, p
    end
  end
  return tag, nil, nil
end

local function kuma_record(f, format)
  local r = blank_record(format, "kuma")
  r.timestamp = timestamp(f.start_time, "start_time")
  r.response_flags = split_flags(text(f.response_flags, "response_flags"))
  r.src_address = text(f.source_address, "source_address")
  local upstream = text(f.upstream_host, "upstream_host")
  r.dst_address = upstream
  local source = text(f.source_service, "source_service")
  r.direction = source == nil and "unknown" or (source == "unknown" and "inbound" or "outbound")
  r.src_workload, r.src_namespace = kuma_service(source)
  local dst_port
  r.dst_service, r.dst_namespace, dst_port = kuma_service(text(f.destination_service, "destination_service"))
  r.dst_port = dst_port or port_of(upstream)
  r.duration_ms = number(f.duration, "duration")
  r.bytes_in = number(f.bytes_received, "bytes_received")
  r.bytes_out = number(f.bytes_sent, "bytes_sent")
  if format == "kuma-tcp" then
    r.protocol = "TCP"
  else
    r.method, r.path, r.protocol = f.method, f.path, f.protocol
    r.status = number(f.response_code, "response_code")
    r.trace_id = text(f.trace_id, "trace_id")
    r.request_id = text(f.request_id, "request_id")
    if has(r.response_flags, "UAEX") then
      r.authz = "deny"
    elseif upstream ~= nil and is_success(r.status) then
      r.authz = "allow"
    end
  end
  return r
end

-- Cilium Hubble flows, in the three envelopes: {"flow":{...}}, the exporter's
-- {"flow":{...},"node_name":..,"time":..} and the legacy bare flow.
local VERDICTS = { [0] = "VERDICT_UNKNOWN", "FORWARDED", "DROPPED", "ERROR", "AUDIT", "REDIRECTED", "TRACED", "TRANSLATED" }
local POLICY_DROP_CODES = { [133] = true, [181] = true, [189] = true }
local POLICY_DROP_NAMES = { POLICY_DENIED = true, POLICY_DENY = true, AUTH_REQUIRED = true }
local POD_SAFE = "[bcdfghjklmnpqrstvwxz2456789]"

local function object(v, field)
  if v == nil then
    return nil
  end
  if type(v) ~= "table" then
    fail("field " .. field .. ": expected an object")
  end
  return v
end

local function workload_from_pod(pod)
  local head, hash, suffix = pod:match("^(.+)%-(" .. POD_SAFE:rep(6) .. POD_SAFE .. "*)%-(" .. POD_SAFE:rep(5) .. ")$")
  if head and #hash <= 10 and not hash:find("[^bcdfghjklmnpqrstvwxz2456789]") then
    return head
  end
  return pod
end

local function hubble_endpoint(v, field)
  local e = object(v, field)
  if e == nil then
    return {}
  end
  local workload
  if type(e.workloads) == "table" and e.workloads[1] ~= nil then
    workload = text(object(e.workloads[1], field .. ".workloads").name, field .. ".workloads.name")
  end
  local pod = text(e.pod_name, field .. ".pod_name")
  if workload == nil and pod ~= nil then
    workload = workload_from_pod(pod)
  end
  local identity = number(e.identity, field .. ".identity")
  return { workload = workload, namespace = text(e.namespace, field .. ".namespace"), identity = identity and num_text(identity) }
end

local function hubble_address(ip, port)
  if ip == nil then
    return nil
  end
  if port == nil then
    return ip
  end
  if ip:find(":", 1, true) then
    return "[" .. ip .. "]:" .. num_text(port)
  end
  return ip .. ":" .. num_text(port)
end

local function hubble_record(o)
  local flow, envelope = object(o.flow, "flow"), nil
  if flow then
    envelope = o
  elseif o.verdict ~= nil or o.IP ~= nil or o.l4 ~= nil or o.event_type ~= nil then
    flow = o
  else
    fail('not a Hubble flow: no "flow" envelope and no verdict/IP/l4 keys')
  end
  local r = blank_record("hubble-json", "cilium")
  r.timestamp = timestamp(flow.time or (envelope and envelope.time), "time")
  local direction = text(flow.traffic_direction, "traffic_direction")
  r.direction = (direction == "INGRESS" and "inbound") or (direction == "EGRESS" and "outbound") or "unknown"
  local ip = object(flow.IP, "IP") or {}
  local l4 = object(flow.l4, "l4")
  local protocol, src_port, dst_port
  if l4 then
    for _, name in ipairs({ "TCP", "UDP", "SCTP" }) do
      local p = object(l4[name], "l4." .. name)
      if protocol == nil and p ~= nil then
        protocol = name
        src_port = number(p.source_port, "l4." .. name .. ".source_port")
        dst_port = number(p.destination_port, "l4." .. name .. ".destination_port")
      end
    end
    if protocol == nil then
      protocol = (l4.ICMPv4 ~= nil and "ICMPv4") or (l4.ICMPv6 ~= nil and "ICMPv6") or nil
    end
  end
  local src = hubble_endpoint(flow.source, "source")
  src.ip, src.port = text(ip.source, "IP.source"), src_port
  local dst = hubble_endpoint(flow.destination, "destination")
  dst.ip, dst.port = text(ip.destination, "IP.destination"), dst_port
  local src_service = object(flow.source_service, "source_service")
  local dst_service = object(flow.destination_service, "destination_service")
  if flow.is_reply == true or flow.reply == true then
    src, dst = dst, src
    src_service, dst_service = dst_service, src_service
  end
  r.src_workload = src.workload
  r.src_namespace = src.namespace or (src_service and text(src_service.namespace, "source_service.namespace"))
  r.src_identity = src.identity
  r.src_address = hubble_address(src.ip, src.port)
  r.dst_workload = dst.workload
  r.dst_service = dst_service and text(dst_service.name, "destination_service.name")
  r.dst_namespace = dst.namespace or (dst_service and text(dst_service.namespace, "destination_service.namespace"))
  r.dst_identity = dst.identity
  r.dst_address = hubble_address(dst.ip, dst.port)
  r.dst_port = dst.port
  r.protocol = protocol
  local l7 = object(flow.l7, "l7")
  local http = l7 and object(l7.http, "l7.http")
  if l7 then
    local latency = number(l7.latency_ns, "l7.latency_ns")
    r.duration_ms = latency and latency / 1e6 or nil
  end
  if http then
    r.method = text(http.method, "l7.http.method")
    local url = text(http.url, "l7.http.url")
    if url then
      r.path = path_of_uri(url)
    end
    r.protocol = text(http.protocol, "l7.http.protocol") or r.protocol
    local code = number(http.code, "l7.http.code")
    if code ~= 0 then
      r.status = code
    end
  end
  local verdict = flow.verdict
  if type(verdict) == "number" then
    verdict = VERDICTS[verdict]
  else
    verdict = text(verdict, "verdict")
  end
  local event = object(flow.event_type, "event_type")
  local policy_drop = (type(flow.drop_reason_desc) == "string" and POLICY_DROP_NAMES[flow.drop_reason_desc])
    or (type(flow.drop_reason) == "number" and POLICY_DROP_CODES[flow.drop_reason])
    or (event ~= nil and event.type == 1 and type(event.sub_type) == "number" and POLICY_DROP_CODES[event.sub_type])
  if verdict == "DROPPED" and policy_drop then
    r.authz = "deny"
    for _, key in ipairs({ "ingress_denied_by", "egress_denied_by" }) do
      local list = flow[key]
      if r.authz_policy == nil and type(list) == "table" and list[1] ~= nil then
        local policy = object(list[1], key)
        local name = text(policy.name, key .. ".name")
        if name then
          local ns = text(policy.namespace, key .. ".namespace")
          r.authz_policy = ns and (ns .. "/" .. name) or name
        end
      end
    end
  elseif verdict == "FORWARDED" then
    r.authz = "allow"
  end
  return r
end

local MESH_OF = {
  ["istio-text"] = "istio", ["istio-json"] = "istio", ["envoy-text"] = "envoy", ["envoy-json"] = "envoy",
  consul = "consul", ["linkerd-json"] = "linkerd", ["linkerd-apache"] = "linkerd",
  ["kuma-http"] = "kuma", ["kuma-tcp"] = "kuma", ["hubble-json"] = "cilium",
}

-- The fields a format's parser must have produced: without them the line did not fit.
local REQUIRED = {
  ["istio-text"] = "upstream_cluster", ["envoy-text"] = "upstream_host", ["linkerd-apache"] = "client_addr",
  ["kuma-http"] = "destination_service", ["kuma-tcp"] = "destination_service",
}

local function build(format, f)
  for k, v in pairs(f) do
    if v == "" then
      f[k] = nil -- regex groups that did not take part; "" also means "not logged" in Linkerd JSON
    end
  end
  for _, k in ipairs({ "method", "path", "protocol" }) do
    if f[k] == "-" then
      f[k] = nil
    end
  end
  if format == "istio-text" or format == "envoy-text" or format == "istio-json" or format == "consul" or format == "envoy-json" then
    if format:sub(-5) == "-json" or format == "consul" then
      if f.response_code == nil and f.upstream_cluster == nil and not (f.start_time ~= nil and (f.method ~= nil or f.upstream_host ~= nil)) then
        fail("no Envoy access-log keys (response_code, upstream_cluster, start_time) in this object")
      end
      -- Fluent Bit hands JSON null over as an absent key, so only a logged value proves the SAN operator.
      f.has_downstream_peer_uri_san = f.downstream_peer_uri_san ~= nil
      f.path = f.path or f["x-envoy-origin-path"]
      f.request_id = f.request_id or f["x-request-id"]
      f.method, f.path, f.protocol = text(f.method, "method"), text(f.path, "path"), text(f.protocol, "protocol")
    end
    return envoy_record(f, format, MESH_OF[format])
  elseif format == "linkerd-json" or format == "linkerd-apache" then
    if format == "linkerd-json" and f["client.addr"] == nil and f["client.id"] == nil then
      fail("no Linkerd access-log keys (client.addr, client.id) in this object")
    end
    return linkerd_record(f, format)
  elseif format == "kuma-http" or format == "kuma-tcp" then
    return kuma_record(f, format)
  elseif format == "hubble-json" then
    return hubble_record(f)
  end
  fail("unknown format " .. tostring(format))
end

---------------------------------------------------------------------------------------------
-- JSON output
---------------------------------------------------------------------------------------------

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

M.encode_record = encode_record

-- Stream labels by cluster directory; a cluster not listed here keeps platform "unknown".
local PLATFORM_OF_CLUSTER = { ["prod-eu"] = "kubernetes", ["prod-us"] = "kubernetes", ["vm-fleet"] = "vm" }

-- Filter callback: record fields from the parser (+ `filename`, + `log` when the parser did not
-- match) -> { line = <common-schema JSON>, platform, cluster, mesh, namespace, log_type }.
-- The loki output sends `line` as the raw log line (drop_single_key raw) and the rest as labels.
function M.normalize(tag, timestamp_, record)
  local filename = record.filename or ""
  local cluster, format = filename:match("^/var/log/mesh/([^/]+)/[^/]+/([%w%-]+)%.log$")
  if not format then
    format = tag:match("^mesh%.(.+)$")
  end
  local out = {
    platform = PLATFORM_OF_CLUSTER[cluster or ""] or "unknown",
    cluster = cluster or "unknown",
    mesh = MESH_OF[format or ""] or "unknown",
    log_type = "access",
  }
  record.filename = nil
  local raw = record.log
  local ok, result = pcall(function()
    if MESH_OF[format or ""] == nil then
      fail("unknown access-log format " .. tostring(format))
    end
    local required = REQUIRED[format]
    if raw ~= nil or (required and record[required] == nil) then
      fail("line does not fit the " .. format .. " layout")
    end
    return build(format, record)
  end)
  if ok then
    local r = result
    out.line = encode_record(r)
    if r.direction == "inbound" then
      out.namespace = r.dst_namespace
    elseif r.direction == "outbound" then
      out.namespace = r.src_namespace
    end
  else
    local message = type(result) == "table" and result.line_error or ("internal error: " .. tostring(result))
    out.line = "{" .. '"format":' .. json_value(format) .. ',"error":' .. json_string(message) .. ',"raw":' .. json_value(raw) .. "}"
  end
  return 1, timestamp_, out
end

-- Fluent Bit calls global functions by name (filter `call`); the table serves the tests.
mesh_audit_redact = M.redact
mesh_audit_normalize = M.normalize

return M
