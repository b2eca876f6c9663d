-- Fluent Bit Lua filters for Mesh Audit. `mesh_audit_route` runs first, on the raw line: it
-- redacts secrets and PII, works out the format (a VM file names it; a pod's proxy container and
-- the shape of the line tell it on Kubernetes) and drops what is not an access log.
-- `mesh_audit_normalize` runs after the parsers: the fields become one common-schema JSON record
-- (DESIGN.md "The common schema") with the writer's side filled from where the line came from,
-- stamped with the request's own start time, plus the six stream labels.
-- The rules mirror the suite's parsers (src/core/profiles); test/shippers/fluent-bit*.test.ts runs
-- these files on real and loggen lines. Fluent Bit embeds LuaJIT: everything here is Lua 5.1.

local here = debug.getinfo(1, "S").source:match("^@(.*[/\\])") or "./"
local V = dofile(here .. "mesh_audit_values.lua")
local R = dofile(here .. "mesh_audit_records.lua")(V)
local hubble_record = dofile(here .. "mesh_audit_hubble.lua")(V)
local fail, text = V.fail, V.text

local M = {}

local MASK = "REDACTED"

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

---------------------------------------------------------------------------------------------
-- Where a line came from: the log layout on disk
---------------------------------------------------------------------------------------------

local MESH_OF = {
  ["istio-text"] = "istio", ["istio-json"] = "istio", ["envoy-text"] = "envoy", ["envoy-json"] = "envoy",
  consul = "consul", ["linkerd-json"] = "linkerd", ["linkerd-apache"] = "linkerd",
  ["kuma-http"] = "kuma", ["kuma-tcp"] = "kuma", ["hubble-json"] = "cilium",
}

local MESH_OF_CONTAINER = {
  ["istio-proxy"] = "istio", ["linkerd-proxy"] = "linkerd", ["consul-dataplane"] = "consul",
  ["envoy-sidecar"] = "consul", ["kuma-sidecar"] = "kuma", envoy = "envoy",
}

-- A node's own layout names no cluster: the DaemonSet sets CLUSTER_NAME (as for Promtail and Alloy).
local function node_cluster()
  local name = os.getenv("CLUSTER_NAME")
  return (name ~= nil and name ~= "") and name or "unknown"
end

-- Kubernetes: [<root>/<cluster>]/pods/<namespace>_<pod>_<uid>/<container>/<n>.log (CRI-framed);
-- VMs: <root>/<cluster>/vms/<namespace>/<workload>/<format>.log; Hubble's node export file.
-- A pod's workload is its Deployment, from the pod name, as Kubernetes discovery would give it.
local function source_of(filename)
  local cluster, ns, pod, container = filename:match("^.*/([^/]+)/pods/([^/_]+)_([^/_]+)_[^/]+/([^/]+)/[^/]+%.log$")
  if ns then
    if filename:find("^/var/log/pods/") then
      cluster = node_cluster()
    end
    return {
      platform = "kubernetes", cluster = cluster, namespace = ns, pod = pod, container = container,
      service_name = V.workload_from_pod(pod), mesh = MESH_OF_CONTAINER[container],
    }
  end
  local vm_cluster, vm_ns, workload, format = filename:match("^.*/([^/]+)/vms/([^/]+)/([^/]+)/([%w%-]+)%.log$")
  if vm_ns then
    return { platform = "vm", cluster = vm_cluster, namespace = vm_ns, service_name = workload, format = format, mesh = MESH_OF[format] }
  end
  if filename:match("/hubble/events%.log$") then
    return { platform = "kubernetes", cluster = node_cluster(), format = "hubble-json", mesh = "cilium" }
  end
  return { platform = "unknown", cluster = "unknown" }
end

M.source_of = source_of

-- The format of a proxy container's line, by its shape (the same tests as promtail.k8s.yaml);
-- nil: not an access log (the proxy's own info and debug output).
local function pod_format(container, line)
  local json = line:find("^%s*{") ~= nil
  local bracket = line:sub(1, 1) == "["
  if container == "istio-proxy" then
    return (json and "istio-json") or (bracket and "istio-text") or nil
  elseif container == "consul-dataplane" or container == "envoy-sidecar" then
    return json and "consul" or nil
  elseif container == "linkerd-proxy" then
    return (json and "linkerd-json") or (line:find("^%S+ %S+ %S+ %[") and "linkerd-apache") or nil
  elseif container == "kuma-sidecar" then
    if bracket and line:find(")->", 1, true) then
      return line:find(" took ", 1, true) and "kuma-tcp" or nil
    end
    return bracket and "kuma-http" or nil
  elseif container == "envoy" then
    return (json and "envoy-json") or (bracket and "envoy-text") or nil
  end
  return nil
end

-- Filter callback, before the parsers: redacts `log`, records the format, drops non-access lines
-- and the CRI frame's own keys (the CRI time is when the runtime wrote the line, not the request's).
function M.route(tag, timestamp, record)
  if type(record.log) ~= "string" then
    return -1, timestamp, record
  end
  local filename = record.filename or ""
  local src = source_of(filename)
  local line = redact_line(record.log)
  local format = src.format
  if src.container then
    format = pod_format(src.container, record.log)
    if format == nil then
      return -1, timestamp, record
    end
  end
  -- Fluent Bit turns a JSON null into an absent key, yet a peer-SAN key logged as null is
  -- evidence (the format logs peer certificates; this caller had none): seen here, on the raw text.
  local san_logged = line:find('[{,]%s*"downstream_peer_uri_san"%s*:') ~= nil or nil
  return 2, timestamp, { log = line, filename = filename, mesh_audit_format = format, mesh_audit_san_logged = san_logged }
end

---------------------------------------------------------------------------------------------
-- Records
---------------------------------------------------------------------------------------------

-- The fields a format's parser must have produced: without them the line did not fit.
local REQUIRED = {
  ["istio-text"] = "upstream_cluster", ["envoy-text"] = "upstream_host", ["linkerd-apache"] = "client_addr",
  ["kuma-http"] = "destination_service", ["kuma-tcp"] = "destination_service",
}

local function build(format, f, san_logged)
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
      f.has_downstream_peer_uri_san = f.downstream_peer_uri_san ~= nil or san_logged == true
      f.path = f.path or f["x-envoy-origin-path"]
      f.request_id = f.request_id or f["x-request-id"]
      f.method, f.path, f.protocol = text(f.method, "method"), text(f.path, "path"), text(f.protocol, "protocol")
    end
    return R.envoy(f, format, MESH_OF[format])
  elseif format == "linkerd-json" or format == "linkerd-apache" then
    if format == "linkerd-json" and f["client.addr"] == nil and f["client.id"] == nil then
      fail("no Linkerd access-log keys (client.addr, client.id) in this object")
    end
    return R.linkerd(f, format)
  elseif format == "kuma-http" or format == "kuma-tcp" then
    return R.kuma(f, format)
  elseif format == "hubble-json" then
    return hubble_record(f)
  end
  fail("unknown format " .. tostring(format))
end

-- The writer's side of a line from its stream (src/core/profiles/record.ts fillFromContext): an
-- inbound line's callee, an outbound line's caller; only what the line did not say.
local function fill_writer(r, namespace, workload)
  if r.direction == "inbound" then
    r.dst_workload = r.dst_workload or workload
    r.dst_service = r.dst_service or workload
    r.dst_namespace = r.dst_namespace or namespace
  elseif r.direction == "outbound" then
    r.src_workload = r.src_workload or workload
    r.src_namespace = r.src_namespace or namespace
  end
end

local function days_from_civil(y, m, d)
  if m <= 2 then
    y = y - 1
  end
  local era = math.floor(y / 400)
  local yoe = y - era * 400
  local doy = math.floor((153 * ((m + 9) % 12) + 2) / 5) + d - 1
  return era * 146097 + yoe * 365 + math.floor(yoe / 4) - math.floor(yoe / 100) + doy - 719468
end

-- RFC 3339 UTC text -> Fluent Bit's time table (time_as_table), exact to the nanosecond: a
-- double of epoch seconds would round the milliseconds.
local function time_table(t)
  local y, mo, d, h, mi, s, frac = t:match("^(%d+)%-(%d+)%-(%d+)T(%d+):(%d+):(%d+)%.?(%d*)Z$")
  local days = days_from_civil(tonumber(y), tonumber(mo), tonumber(d))
  local nsec = tonumber((frac .. "000000000"):sub(1, 9))
  return { sec = days * 86400 + tonumber(h) * 3600 + tonumber(mi) * 60 + tonumber(s), nsec = nsec }
end

M.time_table = time_table

-- Filter callback, after the parsers (time_as_table on): the parsed fields (`log` still there
-- means the parser did not match) -> { line = <JSON>, the six labels }, at the request's time.
-- The loki output sends `line` as the raw log line (drop_single_key raw) and the rest as labels.
function M.normalize(tag, timestamp_, record)
  local src = source_of(record.filename or "")
  local format = record.mesh_audit_format or src.format
  local san_logged = record.mesh_audit_san_logged
  record.filename, record.mesh_audit_format, record.mesh_audit_san_logged = nil, nil, nil
  local out = {
    platform = src.platform, cluster = src.cluster, mesh = MESH_OF[format or ""] or src.mesh or "unknown",
    namespace = src.namespace, service_name = src.service_name, log_type = "access",
  }
  local raw = record.log
  local when = timestamp_
  local ok, result = pcall(function()
    if MESH_OF[format or ""] == nil then
      fail("unknown access-log format " .. tostring(format))
    end
    -- A text format's regex captures `layout` ("["); a proxy's other parser may have taken the
    -- line instead (kuma-http's has a response code, kuma-tcp's none): then it did not fit either.
    local required = REQUIRED[format]
    if raw ~= nil or (required and (record[required] == nil or record.layout ~= "["))
      or (format == "kuma-tcp" and record.response_code ~= nil) then
      fail("line does not fit the " .. format .. " layout")
    end
    local r = build(format, record, san_logged)
    fill_writer(r, src.namespace, src.service_name)
    return r
  end)
  if ok then
    out.line = V.encode_record(result)
    if result.timestamp then
      when = time_table(result.timestamp)
    end
  else
    local message = type(result) == "table" and result.line_error or ("internal error: " .. tostring(result))
    out.line = "{" .. '"format":' .. V.json_value(format) .. ',"error":' .. V.json_string(message) .. ',"raw":' .. V.json_value(raw) .. "}"
  end
  return 1, when, out
end

-- Fluent Bit calls global functions by name (filter `call`); the table serves the tests.
mesh_audit_route = M.route
mesh_audit_normalize = M.normalize

return M
