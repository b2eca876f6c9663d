-- Cilium Hubble flow records for the Mesh Audit Fluent Bit filters (mesh_audit.lua loads this
-- file), in the three envelopes: {"flow":{...}}, the exporter's {"flow":{...},"node_name":..,
-- "time":..} and the legacy bare flow. Rules of src/core/profiles/hubble-json.ts; Lua 5.1 safe.

return function(V)
local fail, text, number, timestamp, num_text = V.fail, V.text, V.number, V.timestamp, V.num_text
local object, workload_from_pod, blank_record, path_of_uri = V.object, V.workload_from_pod, V.blank_record, V.path_of_uri

local VERDICTS = { [0] = "VERDICT_UNKNOWN", "FORWARDED", "DROPPED", "ERROR", "AUDIT", "REDIRECTED", "TRACED", "TRANSLATED" }
local POLICY_DROP_CODES = { [133] = true, [181] = true, [189] = true }
local POLICY_DROP_NAMES = { POLICY_DENIED = true, POLICY_DENY = true, AUTH_REQUIRED = true }

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

return hubble_record
end
