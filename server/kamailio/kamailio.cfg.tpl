#!KAMAILIO
#
# Earshot SIP engine: registrar + proxy for extensions, SIP over WebSocket, JSON-RPC on loopback.
# Rendered by server/kamailio/render.ts: every double-brace placeholder is replaced there (validated values only),
# because #!define values are not expanded inside quoted strings.
#
{{DEFINES}}

####### Global parameters #########
debug={{LOG_LEVEL}}
log_stderror=yes
log_prefix="{{NODE_NAME}} "
memdbg=5
memlog=5
children={{CHILDREN}}
tcp_children={{CHILDREN}}
auto_aliases=no
alias="{{REALM}}"
server_header="Server: Earshot ({{NODE_NAME}})"
user_agent_header="User-Agent: Earshot ({{NODE_NAME}})"
server_signature=no
# Browsers keep one WebSocket per agent: it must outlive the registration interval.
tcp_connection_lifetime={{TCP_LIFETIME}}
tcp_accept_no_cl=yes
tcp_rd_buf_size=16384

listen=udp:{{SIP_LISTEN}}:{{SIP_PORT}}
listen=tcp:{{SIP_LISTEN}}:{{SIP_PORT}}
listen=tcp:{{SIP_LISTEN}}:{{WS_PORT}}
# JSON-RPC only: never on a public address.
listen=tcp:127.0.0.1:{{RPC_PORT}}
#!ifdef WITH_WSS
enable_tls=yes
listen=tls:{{SIP_LISTEN}}:{{WSS_PORT}}
#!endif

####### Modules #########
loadmodule "jsonrpcs.so"
loadmodule "kex.so"
loadmodule "corex.so"
loadmodule "tm.so"
loadmodule "tmx.so"
loadmodule "sl.so"
loadmodule "rr.so"
loadmodule "pv.so"
loadmodule "maxfwd.so"
loadmodule "usrloc.so"
loadmodule "registrar.so"
loadmodule "textops.so"
loadmodule "siputils.so"
loadmodule "xlog.so"
loadmodule "sanity.so"
loadmodule "ctl.so"
loadmodule "db_{{DB_ENGINE}}.so"
loadmodule "auth.so"
loadmodule "auth_db.so"
loadmodule "sqlops.so"
loadmodule "htable.so"
loadmodule "pike.so"
loadmodule "nathelper.so"
loadmodule "xhttp.so"
loadmodule "websocket.so"
#!ifdef WITH_WSS
loadmodule "tls.so"
#!endif

# jsonrpcs over HTTP only (no FIFO in /run); ctl's binrpc socket lives in the run dir.
modparam("jsonrpcs", "transport", 1)
modparam("ctl", "binrpc", "unix:{{RUN_DIR}}/kamailio_ctl")

modparam("tm", "failure_reply_mode", 3)
modparam("tm", "fr_timer", 30000)
modparam("tm", "fr_inv_timer", 120000)

modparam("rr", "enable_full_lr", 0)
modparam("rr", "append_fromtag", 0)

# Registrations live in memory only: live status comes from JSON-RPC, not from a table.
modparam("usrloc", "db_mode", 0)
modparam("usrloc", "use_domain", 0)
modparam("usrloc", "timer_interval", 10)
modparam("registrar", "max_expires", {{MAX_EXPIRES}})
modparam("registrar", "default_expires", {{DEFAULT_EXPIRES}})
modparam("registrar", "min_expires", {{MIN_EXPIRES}})
modparam("registrar", "received_avp", "$avp(RECEIVED)")
modparam("nathelper", "received_avp", "$avp(RECEIVED)")

# HA1-only digest: the table holds MD5(user:realm:pw) and MD5(user@realm:realm:pw), never a password.
modparam("auth_db", "db_url", "{{DB_URL}}")
modparam("auth_db", "calculate_ha1", 0)
modparam("auth_db", "password_column", "ha1")
modparam("auth_db", "password_column_2", "ha1b")
modparam("auth_db", "user_column", "number")
modparam("auth_db", "use_domain", 0)
modparam("auth_db", "load_credentials", "$avp(ext_enabled)=enabled;$avp(ext_manual)=manual_dialing;$avp(ext_call_limit)=call_limit;$avp(ext_allowed_ips)=allowed_ips;$avp(ext_dnd)=dnd;$avp(ext_forwarding)=forwarding")
modparam("auth", "nonce_expire", 300)

modparam("sqlops", "sqlcon", "earshot=>{{DB_URL}}")

# ipban: pike offenders. authfail/authblock: per-extension brute-force counter and block list
# (keyed by extension, never by IP, so colleagues behind the same NAT keep working).
# regsince: first successful REGISTER per AOR + Call-ID, read by the account service over RPC.
modparam("htable", "htable", "ipban=>size=8;autoexpire={{PIKE_BAN_SECONDS}};")
modparam("htable", "htable", "authfail=>size=10;autoexpire={{AUTH_FAIL_WINDOW}};")
modparam("htable", "htable", "authblock=>size=10;autoexpire={{AUTH_BLOCK_SECONDS}};")
modparam("htable", "htable", "regsince=>size=12;autoexpire={{REGSINCE_EXPIRE}};")

modparam("pike", "sampling_time_unit", {{PIKE_SAMPLING}})
modparam("pike", "reqs_density_per_unit", {{PIKE_DENSITY}})
modparam("pike", "remove_latency", 4)

modparam("nathelper", "natping_interval", 0)
modparam("websocket", "keepalive_mechanism", 1)
modparam("websocket", "keepalive_timeout", 30)
modparam("websocket", "keepalive_interval", 1)
modparam("websocket", "sub_protocols", 1)

#!ifdef WITH_WSS
modparam("tls", "config", "{{RUN_DIR}}/tls.cfg")
#!endif

####### Routing logic ########

request_route {
	route(REQINIT);
	route(NATDETECT);

	if (is_method("CANCEL")) {
		if (t_check_trans()) route(RELAY);
		exit;
	}
	if (!is_method("ACK")) {
		if (t_precheck_trans()) {
			t_check_trans();
			exit;
		}
		t_check_trans();
	}

	route(WITHINDLG);

	remove_hf("Route");
	if (is_method("INVITE")) record_route();

	if (is_method("REGISTER")) {
		route(REGISTRAR);
		exit;
	}
	if (is_method("OPTIONS") && $rU == $null) {
		sl_send_reply("200", "OK");
		exit;
	}
	if (!is_method("INVITE|MESSAGE")) {
		sl_send_reply("405", "Method Not Allowed");
		exit;
	}
	route(AUTH);
	route(CALLER_POLICY);
	route(CALLEE);
}

# Drops scanners and floods before any work is done.
route[REQINIT] {
	if ($Rp == {{RPC_PORT}}) {
		# SIP on the JSON-RPC listener: not ours to answer.
		drop;
	}
	if ($ua =~ "friendly-scanner|sipvicious|sipcli|vaxsipuseragent|sip-scan|sipsak|sundayddr|iwar|sivus|smap|pplsip") {
		xlog("L_NOTICE", "scanner dropped: src=$si ua=[$ua]\n");
		drop;
	}
	if ($sht(ipban=>$si) != $null) {
		drop;
	}
	if (!is_method("ACK|CANCEL") && !($si == "127.0.0.1" && {{PIKE_TRUST_LOOPBACK}} == 1)) {
		if (!pike_check_req()) {
			xlog("L_ALERT", "pike: flood from $si, banned for {{PIKE_BAN_SECONDS}} s\n");
			$sht(ipban=>$si) = 1;
			drop;
		}
	}
	if (!mf_process_maxfwd_header("10")) {
		sl_send_reply("483", "Too Many Hops");
		exit;
	}
	if (!sanity_check("17895", "7")) {
		xlog("L_WARN", "malformed SIP from $si:$sp\n");
		exit;
	}
}

# WebRTC clients always look NATed (their Contact is a made-up .invalid host).
route[NATDETECT] {
	force_rport();
	if (is_method("REGISTER")) {
		# Store the real source for every device so lookups and RPC show where it is.
		fix_nated_register();
	} else if (nat_uac_test("64") || nat_uac_test("19")) {
		if (!add_contact_alias()) {
			sl_send_reply("400", "Bad Contact");
			exit;
		}
	}
}

route[WITHINDLG] {
	if (!has_totag()) return;
	if (loose_route()) {
		if (!isdsturiset()) handle_ruri_alias();
		route(RELAY);
		exit;
	}
	if (is_method("ACK")) {
		if (t_check_trans()) route(RELAY);
		exit;
	}
	sl_send_reply("404", "Not here");
	exit;
}

# Challenges, verifies, and counts wrong passwords per extension.
route[AUTH] {
	if ($au != $null && $sht(authblock=>$au) != $null) {
		send_reply("403", "Too many failed attempts");
		exit;
	}
	$var(rc) = auth_check("{{REALM}}", "extensions", "1");
	if ($var(rc) == 1) {
		if (is_method("INVITE") && $fU != $au) {
			send_reply("403", "From does not match credentials");
			exit;
		}
		consume_credentials();
		return;
	}
	if ($var(rc) == -2 || $var(rc) == -3 || $var(rc) == -1) route(AUTH_FAILED);
	auth_challenge("{{REALM}}", "1");
	exit;
}

# A wrong password (or an unknown user, so both look alike) counts against the extension named.
route[AUTH_FAILED] {
	if ($au == $null) return;
	# $shtinc only increments an existing item (returns 0 otherwise): create it on the first failure.
	if ($sht(authfail=>$au) == $null) {
		$sht(authfail=>$au) = 1;
		$var(fails) = 1;
	} else {
		$var(fails) = $shtinc(authfail=>$au);
	}
	xlog("L_NOTICE", "auth failed for [$au] from $si ($var(fails) in window)\n");
	if ($var(fails) >= {{AUTH_FAIL_LIMIT}}) {
		$sht(authblock=>$au) = 1;
		$sht(authfail=>$au) = $null;
		xlog("L_WARN", "extension [$au] blocked for {{AUTH_BLOCK_SECONDS}} s after $var(fails) failures\n");
	}
}

# Flags are checked only after a successful auth, so a stranger learns nothing about extensions.
route[CALLER_POLICY] {
	if ($avp(ext_enabled) != 1) {
		send_reply("403", "Extension disabled");
		exit;
	}
	if (is_method("INVITE") && $avp(ext_manual) != 1) {
		send_reply("403", "Manual dialing not allowed");
		exit;
	}
}

route[REGISTRAR] {
	route(AUTH);
	if ($avp(ext_enabled) != 1) {
		send_reply("403", "Extension disabled");
		exit;
	}
	# save() sends its own error reply; replying again would send a second one.
	if (!save("location")) exit;
	route(REGSINCE);
}

# Remembers when a device (AOR + Call-ID) first registered; refreshes keep the first time.
route[REGSINCE] {
	$var(key) = $tU + "::" + $ci;
	if ($hdr(Expires) == "0" || $ct =~ "expires=0" || $ct == "*") {
		$sht(regsince=>$var(key)) = $null;
		return;
	}
	$var(since) = $sht(regsince=>$var(key));
	if ($var(since) == $null || $var(since) == 0) $var(since) = $Ts;
	$sht(regsince=>$var(key)) = $var(since);
}

# Only extensions (4 to 8 digits) are callees for now.
route[CALLEE] {
	if (!($rU =~ "^[0-9]{4,8}$")) {
		send_reply("404", "Not Found");
		exit;
	}
	if (!sql_query("earshot", "select enabled from extensions where number = '$rU'", "callee")) {
		send_reply("500", "Server Error");
		exit;
	}
	$var(rows) = $dbr(callee=>rows);
	$var(enabled) = $dbr(callee=>[0,0]);
	sql_result_free("callee");
	if ($var(rows) == 0) {
		send_reply("404", "Not Found");
		exit;
	}
	if ($var(enabled) != 1) {
		send_reply("480", "Temporarily Unavailable");
		exit;
	}
	if (!lookup("location")) {
		t_newtran();
		t_reply("480", "Temporarily Unavailable");
		exit;
	}
	route(RELAY);
	exit;
}

route[RELAY] {
	if (is_method("INVITE|BYE|UPDATE|CANCEL|ACK")) t_on_reply("REPLY");
	if (!t_relay()) sl_reply_error();
	exit;
}

onreply_route[REPLY] {
	if (nat_uac_test("64") || nat_uac_test("19")) add_contact_alias();
}

# HTTP on the WebSocket ports (handshake) and on the loopback RPC port (JSON-RPC), nothing else.
event_route[xhttp:request] {
	if ($Rp == {{RPC_PORT}}) {
		if ($si == "127.0.0.1" && $hu =~ "^/RPC") {
			jsonrpc_dispatch();
		} else {
			xhttp_reply("403", "Forbidden", "", "");
		}
		exit;
	}
	if ($Rp != {{WS_PORT}} && $Rp != {{WSS_PORT}}) {
		xhttp_reply("404", "Not Found", "", "");
		exit;
	}
	if (!($hdr(Upgrade) =~ "websocket" && $hdr(Connection) =~ "Upgrade" && $rm == "GET")) {
		xhttp_reply("404", "Not Found", "", "");
		exit;
	}
	if (!({{ORIGIN_CHECK}})) {
		xlog("L_NOTICE", "WebSocket refused: origin [$hdr(Origin)] from $si\n");
		xhttp_reply("403", "Forbidden", "", "");
		exit;
	}
	if (!ws_handle_handshake()) {
		exit;
	}
	exit;
}

event_route[websocket:closed] {
	xlog("L_INFO", "WebSocket closed: $si:$sp\n");
}
