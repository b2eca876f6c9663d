-- Envoy-family, Linkerd and Kuma records for the Mesh Audit Fluent Bit filters (mesh_audit.lua
-- loads this file): the fields a parser extracted -> one common-schema record, with the rules of
-- the suite's parsers (src/core/profiles). Lua 5.1 / LuaJIT safe (see mesh_audit_values.lua).

return function(V)
local fail, text, number, timestamp = V.fail, V.text, V.number, V.timestamp
local parse_port, port_of, service_from_host, consul_name = V.parse_port, V.port_of, V.service_from_host, V.consul_name
local split_flags, has, spiffe_field, blank_record, is_success = V.split_flags, V.has, V.spiffe_field, V.blank_record, V.is_success
local path_of_uri, host_of, is_ip = V.path_of_uri, V.host_of, V.is_ip

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
  -- The caller's SPIFFE id names it: Consul's service, else an account (one per workload, as the
  -- meshes advise; the shared `default` names nobody).
  local caller_svc, caller_sa = spiffe_field(down_san, "svc"), spiffe_field(down_san, "sa")
  r.src_workload = caller_svc or (caller_sa ~= "default" and caller_sa or nil)
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
    if host == "" then
      -- An authority like ":7000" names nothing.
    elseif is_ip(host) then
      r.dst_address = authority
    elseif not host:find(".", 1, true) or host:find(".svc", 1, true) then
      r.dst_service, r.dst_namespace = service_from_host(host)
    end
  end
  local id = text(f["client.id"] or f.client_id, "client.id")
  if id then
    r.src_identity = id
    local head = id:match("^(.-)%.serviceaccount%.identity%.linkerd%.")
    local account, ns
    if head then
      account, ns = head:match("^(.+)%.([^%.]+)$")
    end
    r.src_namespace = ns
    -- One service account per workload (Linkerd's guidance) names the caller; `default` names nobody.
    if account ~= "default" then
      r.src_workload = account
    end
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

return { envoy = envoy_record, linkerd = linkerd_record, kuma = kuma_record }
end
