#!KAMAILIO
#
# Earshot SIP engine: registrar + proxy for extensions, SIP over WebSocket, JSON-RPC on loopback.
# Rendered by server/kamailio/render.ts: every double-brace placeholder is replaced there (validated values only),
# because #!define values are not expanded inside quoted strings.
#
{{DEFINES}}
{{TRUNK_DEFINES}}
# Transaction flags: FLT_DLG makes the dialog module track the call (its profiles count calls per
# extension), FLT_FORWARDED marks a call already forwarded once (never twice: no loops).
#!define FLT_DLG 1
#!define FLT_FORWARDED 2
# FLT_TRUNK marks a call with a leg on the SIP trunk (inbound from it or outbound to it): that leg is
# plain SIP/RTP, never WebRTC, so the media route must anchor it. The dialog keeps the same fact for
# in-dialog requests as $dlg_var(trunk) = "in" or "out". FLT_TRUNK_AUTH: credentials sent once.
#!define FLT_TRUNK 3
#!define FLT_TRUNK_AUTH 4
# Branch flags (route MEDIA_BRANCH): FLB_ANCHORED the branch's media goes through rtpengine,
# FLB_CALLEE_DEVICE its callee is not a browser.
#!define FLB_ANCHORED 1
#!define FLB_CALLEE_DEVICE 2

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
#!ifdef WITH_TLS
enable_tls=yes
#!endif
#!ifdef WITH_WSS
listen=tls:{{SIP_LISTEN}}:{{WSS_PORT}}
#!endif
#!ifdef WITH_SIP_TLS
# SIP over TLS for devices (desk phones, mobile apps); the same certificate as wss (tls.cfg).
listen=tls:{{SIP_LISTEN}}:{{SIP_TLS_PORT}}
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
loadmodule "ipops.so"
loadmodule "dialog.so"
#!ifdef WITH_TLS
loadmodule "tls.so"
#!endif
#!ifdef WITH_TRUNK
loadmodule "uac.so"
#!endif
#!ifdef WITH_RTPENGINE
loadmodule "rtpengine.so"
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
# A contact whose TCP/WebSocket connection is gone (browser closed or killed) is removed at the
# next timer run, every 2 s; an expired contact's connection is closed.
modparam("usrloc", "timer_interval", 2)
modparam("usrloc", "handle_lost_tcp", 1)
modparam("usrloc", "close_expired_tcp", 1)
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

# ipban: pike offenders (kept PIKE_BAN_SECONDS from the ban).
# Brute force (route AUTH): authfail counts failed logins per extension@address ("p:"), per
# extension ("e:") and in all ("all:"), one counter per AUTH_FAIL_WINDOW period (key suffix);
# initval makes $shtinc create a counter atomically, and a counter lives two periods (it is read
# as "the previous period" next). authblock holds blocked extension@address pairs, extblock
# extensions closed to unknown addresses, knownaddr the pairs that logged in (renewed by each).
# regsince: first successful REGISTER per AOR + Call-ID, read by the account service over RPC.
modparam("htable", "htable", "ipban=>size=8;autoexpire={{PIKE_BAN_SECONDS}};")
modparam("htable", "htable", "authfail=>size=12;autoexpire={{AUTH_FAIL_KEEP}};initval=0;updateexpire=0;")
modparam("htable", "htable", "authblock=>size=10;autoexpire={{AUTH_BLOCK_SECONDS}};")
modparam("htable", "htable", "extblock=>size=8;autoexpire={{EXT_BLOCK_SECONDS}};")
modparam("htable", "htable", "knownaddr=>size=12;autoexpire={{KNOWN_ADDRESS_SECONDS}};")
modparam("htable", "htable", "regsince=>size=12;autoexpire={{REGSINCE_EXPIRE}};")

modparam("pike", "sampling_time_unit", {{PIKE_SAMPLING}})
modparam("pike", "reqs_density_per_unit", {{PIKE_DENSITY}})
modparam("pike", "remove_latency", 4)

# Concurrent calls per extension: every call is in profile "calls" once for its caller and once
# for its callee (both ringing and answered calls count; the entry goes when the dialog ends).
modparam("dialog", "dlg_flag", FLT_DLG)
modparam("dialog", "profiles_with_value", "calls")

modparam("nathelper", "natping_interval", 0)
modparam("websocket", "keepalive_mechanism", 1)
modparam("websocket", "keepalive_timeout", 30)
modparam("websocket", "keepalive_interval", 1)
modparam("websocket", "sub_protocols", 1)

#!ifdef WITH_TLS
modparam("tls", "config", "{{RUN_DIR}}/tls.cfg")
#!endif

#!ifdef WITH_TRUNK
# Calls to the trunk present the caller ID in From; the dialog keeps the original From so every
# later request and reply of the call is restored for the agent's side. Digest towards the trunk:
# credentials from AVPs (the password from Kamailio's environment, never from this file), the realm
# from the carrier's challenge; the CSeq that uac_auth() raises is tracked by the dialog.
modparam("uac", "restore_dlg", 1)
modparam("uac", "auth_username_avp", "$avp(trunk_user)")
modparam("uac", "auth_password_avp", "$avp(trunk_pass)")
modparam("uac", "auth_realm_avp", "$avp(trunk_realm)")
modparam("dialog", "track_cseq_updates", 1)
#!endif

#!ifdef WITH_RTPENGINE
# rtpengine's ng control socket (loopback), one retry after RTPENGINE_TIMEOUT_MS. With a single
# rtpengine, marking it unreachable buys nothing: it is asked again at once (disable_tout), and the
# commands of a call it already holds go to it regardless (allow_op), so calls work again the
# moment a restarted rtpengine answers.
modparam("rtpengine", "rtpengine_sock", "udp:127.0.0.1:{{RTPENGINE_NG_PORT}}")
modparam("rtpengine", "rtpengine_tout_ms", {{RTPENGINE_TIMEOUT_MS}})
modparam("rtpengine", "rtpengine_retr", 1)
modparam("rtpengine", "rtpengine_disable_tout", {{RTPENGINE_DISABLE_SECONDS}})
modparam("rtpengine", "rtpengine_allow_op", 1)
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
	if (is_method("INVITE")) {
		record_route();
		# Only this proxy says a call was forwarded: a Diversion from the caller is not believed.
		remove_hf("Diversion");
	}

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
	route(FROM_TRUNK);
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
	if (!is_method("ACK|CANCEL") && !($si == "127.0.0.1" && {{PIKE_TRUST_LOOPBACK}} == 1) && !({{TRUNK_SOURCE}})) {
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
		route(MEDIA_INDIALOG);
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

# Challenges and verifies credentials, stopping password guessers without locking the extension's
# own agents out: failures are counted per extension + source address (AUTH_FAIL_LIMIT blocks that
# pair) and per extension (EXT_FAIL_LIMIT closes it, but only to addresses that have not logged in
# as it recently). A count covers the current and the previous AUTH_FAIL_WINDOW period, so any
# AUTH_FAIL_WINDOW seconds are covered. Refusals come before any challenge, with the reason phrase
# the softphone explains.
route[AUTH] {
	# Nothing is counted or refused before credentials: the challenge costs a registration nothing.
	if ($au == $null || !($au =~ "^[0-9]{4,8}$")) {
		auth_challenge("{{REALM}}", "1");
		exit;
	}
	$var(ext) = $au;
	$var(pair) = $au + "@" + $si;
	$var(period) = $Ts / {{AUTH_FAIL_WINDOW}};
	$var(before) = $var(period) - 1;
	$var(known) = 0;
	if ($sht(knownaddr=>$var(pair)) != $null) $var(known) = 1;
	route(AUTH_GATE);
	route(AUTH_RESERVE);
	$var(rc) = auth_check("{{REALM}}", "extensions", "1");
	if ($var(rc) == 1) {
		route(AUTH_RELEASE);
		$sht(knownaddr=>$var(pair)) = 1;
		if (is_method("INVITE") && $fU != $au) {
			send_reply("403", "From does not match credentials");
			exit;
		}
		consume_credentials();
		return;
	}
	# A wrong password and an unknown user look alike and both count; a stale nonce (the password
	# was right) or a malformed header does not.
	if ($var(rc) == -2 || $var(rc) == -3 || $var(rc) == -1) {
		route(AUTH_FAILED);
	} else {
		route(AUTH_RELEASE);
	}
	auth_challenge("{{REALM}}", "1");
	exit;
}

# Refuses a blocked pair, and an extension closed (or every extension, past the cap on all
# failures) to an address that has not logged in as it.
route[AUTH_GATE] {
	if ($sht(authblock=>$var(pair)) != $null) route(AUTH_REFUSE);
	if ($var(known) == 1) return;
	if ($sht(extblock=>$var(ext)) != $null) route(AUTH_REFUSE);
	$var(total) = $sht(authfail=>all:$var(period)) + $sht(authfail=>all:$var(before));
	if ($var(total) >= {{AUTH_FAIL_TOTAL_LIMIT}}) route(AUTH_REFUSE);
}

route[AUTH_REFUSE] {
	send_reply("403", "Too many failed attempts");
	exit;
}

# Counts this attempt as a failure before the password is checked (atomic increments), so
# parallel guesses cannot all pass the gate: one beyond a limit is refused unchecked.
# AUTH_RELEASE gives the place back when the attempt turns out not to be a failure.
route[AUTH_RESERVE] {
	$var(pairkey) = "p:" + $var(pair) + ":" + $var(period);
	$var(pairn) = $shtinc(authfail=>$var(pairkey)) + $sht(authfail=>p:$var(pair):$var(before));
	# Only addresses the extension does not know count towards closing it (EXT_FAIL_LIMIT).
	$var(extkey) = "";
	$var(extn) = 0;
	if ($var(known) == 0) {
		$var(extkey) = "e:" + $var(ext) + ":" + $var(period);
		$var(extn) = $shtinc(authfail=>$var(extkey)) + $sht(authfail=>e:$var(ext):$var(before));
	}
	if ($var(pairn) > {{AUTH_FAIL_LIMIT}} || $var(extn) > {{EXT_FAIL_LIMIT}}) {
		route(AUTH_RELEASE);
		route(AUTH_REFUSE);
	}
}

route[AUTH_RELEASE] {
	$var(left) = $shtdec(authfail=>$var(pairkey));
	if ($var(extkey) != "") $var(left) = $shtdec(authfail=>$var(extkey));
}

# The attempt stays counted; reaching a limit blocks the pair or closes the extension.
route[AUTH_FAILED] {
	$var(total) = $shtinc(authfail=>all:$var(period)) + $sht(authfail=>all:$var(before));
	xlog("L_NOTICE", "auth failed for [$var(ext)] from $si ($var(pairn) from there, $var(extn) in all, recently)\n");
	if ($var(pairn) >= {{AUTH_FAIL_LIMIT}} && $sht(authblock=>$var(pair)) == $null) {
		$sht(authblock=>$var(pair)) = 1;
		xlog("L_WARN", "extension [$var(ext)] blocked from $si for {{AUTH_BLOCK_SECONDS}} s after $var(pairn) failures\n");
	}
	if ($var(extn) >= {{EXT_FAIL_LIMIT}} && $sht(extblock=>$var(ext)) == $null) {
		$sht(extblock=>$var(ext)) = 1;
		xlog("L_WARN", "extension [$var(ext)] closed to unknown addresses for {{EXT_BLOCK_SECONDS}} s after $var(extn) failures\n");
	}
	if ($var(total) == {{AUTH_FAIL_TOTAL_LIMIT}}) {
		xlog("L_ALERT", "$var(total) failed logins this period: every extension closed to unknown addresses for now\n");
	}
}

# Flags are checked only after a successful auth, so a stranger learns nothing about extensions.
route[CALLER_POLICY] {
	if ($avp(ext_enabled) != 1) {
		send_reply("403", "Extension disabled");
		exit;
	}
	route(ALLOWED_IPS);
	if (!is_method("INVITE")) return;
	if ($avp(ext_manual) != 1) {
		send_reply("403", "Manual dialing not allowed");
		exit;
	}
	get_profile_size("calls", "$au", "$var(active)");
	if ($var(active) >= $avp(ext_call_limit)) {
		xlog("L_NOTICE", "extension [$au] at its call limit ($var(active) calls)\n");
		send_reply("403", "Call limit reached");
		exit;
	}
}

# allowed_ips (loaded with the credentials): a comma-separated CIDR list, empty = anywhere.
route[ALLOWED_IPS] {
	$var(allowed) = $(avp(ext_allowed_ips){s.rm, });
	if ($var(allowed) == $null || $var(allowed) == "") return;
	if (is_in_subnet("$si", "$var(allowed)")) return;
	xlog("L_NOTICE", "extension [$au] refused from $si: not in its allowed IPs\n");
	send_reply("403", "Address not allowed");
	exit;
}

route[REGISTRAR] {
	route(AUTH);
	if ($avp(ext_enabled) != 1) {
		send_reply("403", "Extension disabled");
		exit;
	}
	route(ALLOWED_IPS);
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

# Extensions (4 to 8 digits) are callees here; any other number goes to the trunk. Also runs from
# failure_route (forwarding on no answer), so it uses only functions allowed there: send_reply,
# not t_newtran/sl.
route[CALLEE] {
	if (!($rU =~ "^[0-9]{4,8}$")) {
		route(TO_TRUNK);
		exit;
	}
	if (!sql_query("earshot", "select enabled, call_limit, dnd, forwarding from extensions where number = '$rU'", "callee")) {
		send_reply("500", "Server Error");
		exit;
	}
	$var(rows) = $dbr(callee=>rows);
	$var(enabled) = $dbr(callee=>[0,0]);
	$var(limit) = $dbr(callee=>[0,1]);
	$var(dnd) = $dbr(callee=>[0,2]);
	$avp(fwd) = $dbr(callee=>[0,3]);
	sql_result_free("callee");
	if ($var(rows) == 0) {
		send_reply("404", "Not Found");
		exit;
	}
	if ($var(enabled) != 1) {
		send_reply("480", "Temporarily Unavailable");
		exit;
	}
	$avp(callee) = $rU;
	if (is_method("INVITE")) route(CALLEE_BUSY);
	if (!lookup("location")) {
		$var(divert) = "unavailable";
		route(FORWARD);
		send_reply("480", "Temporarily Unavailable");
		exit;
	}
	route(CALLEE_RELAY);
}

# Do not disturb, or as many calls as the callee's call limit: forwarded, else busy.
route[CALLEE_BUSY] {
	if ($var(dnd) != 1) {
		get_profile_size("calls", "$avp(callee)", "$var(active)");
		if ($var(active) < $var(limit)) return;
	}
	$var(divert) = "user-busy";
	route(FORWARD);
	send_reply("486", "Busy Here");
	exit;
}

# Sends the call to the callee's forwarding target, once; returns when there is none to use.
route[FORWARD] {
	if (!is_method("INVITE") || isflagset(FLT_FORWARDED)) return;
	if ($avp(fwd) == $null || $avp(fwd) == "" || $avp(fwd) == $avp(callee)) return;
	setflag(FLT_FORWARDED);
	xlog("L_INFO", "call to [$avp(callee)] forwarded to [$avp(fwd)] ($var(divert))\n");
	route(DIVERSION);
	$ru = "sip:" + $avp(fwd) + "@{{REALM}}";
	resetdsturi();
	route(CALLEE);
	exit;
}

# Counts the call for its caller (once) and its current callee, arms the no-answer timer when the
# callee forwards, and relays.
route[CALLEE_RELAY] {
	if (is_method("INVITE")) {
		if (!isflagset(FLT_DLG)) {
			setflag(FLT_DLG);
			set_dlg_profile("calls", "$fU");
		}
		set_dlg_profile("calls", "$avp(callee)");
		if (!isflagset(FLT_FORWARDED) && $avp(fwd) != $null && $avp(fwd) != "") {
			t_set_fr({{NO_ANSWER_MS}}, {{NO_ANSWER_MS}});
			t_on_failure("NO_ANSWER");
		} else {
			t_on_failure("CALL_FAILED");
		}
	}
	if (is_method("INVITE")) route(MEDIA_CALLER);
	t_on_reply("REPLY");
	if (!t_relay()) {
		# Every branch needed rtpengine and it did not answer (route MEDIA_BRANCH).
		if ($var(media_down) == 1) {
			send_reply("503", "Media relay unavailable");
		} else {
			send_reply("500", "Server Error");
		}
	}
	exit;
}

# The callee did not answer in time, was busy, or went away: try its forwarding target.
failure_route[NO_ANSWER] {
	# Every branch so far has failed: their media sessions go (a forwarded branch offers anew).
	route(MEDIA_END);
	if (t_is_canceled()) exit;
	if (t_check_status("486|600")) {
		$var(divert) = "user-busy";
	} else if (t_branch_timeout() || t_check_status("408|480")) {
		$var(divert) = "no-answer";
	} else {
		exit;
	}
	unset_dlg_profile("calls", "$avp(callee)");
	route(FORWARD);
}

####### The SIP trunk: the phone network #########

# Requests from the trunk's addresses are the phone network calling a DID: no digest (the carrier
# is known by its address), the DID names the extension. Anyone else whose From is no extension
# claims to be the phone network and is refused before any challenge.
route[FROM_TRUNK] {
	if ({{TRUNK_SOURCE}}) {
		if (!is_method("INVITE")) {
			send_reply("405", "Method Not Allowed");
			exit;
		}
		route(DID);
		exit;
	}
	if (is_method("INVITE") && !($fU =~ "^[0-9]{4,8}$")) {
		xlog("L_NOTICE", "INVITE from $si with From [$fU]: neither an extension nor the trunk\n");
		send_reply("403", "Forbidden");
		exit;
	}
}

# The number the carrier called (R-URI, else To; as the dial plan reads it, else as E.164 without
# its +) rings the extension it belongs to, as an internal call would: DND, call limit, forwarding.
route[DID] {
	$var(did) = "";
	$var(dial) = $rU;
	route(DID_LOOKUP);
	if ($var(did) == "" && $tU != $rU) {
		$var(dial) = $tU;
		route(DID_LOOKUP);
	}
	if ($var(did) == "") {
		xlog("L_NOTICE", "trunk call to [$rU] (To [$tU]): no extension has that number\n");
		send_reply("404", "Not Found");
		exit;
	}
	# Tracked (and counted for the callee only: the caller is outside) and marked for the media route.
	setflag(FLT_DLG);
	setflag(FLT_TRUNK);
	$dlg_var(trunk) = "in";
	$ru = "sip:" + $var(did) + "@{{REALM}}";
	route(CALLEE);
}

# $var(dial) -> $var(did): the extension whose DID it is, or unchanged.
route[DID_LOOKUP] {
	route(DIAL_PLAN);
	if ($var(e164) == "" && $var(dial) =~ "^[0-9]+$") {
		$var(dial) = "+" + $var(dial);
		route(DIAL_PLAN);
	}
	# Only "+" and digits reach the query.
	if ($var(e164) == "") return;
	if (!sql_query("earshot", "select number from extensions where did = '$var(e164)'", "did")) return;
	if ($dbr(did=>rows) > 0) $var(did) = $dbr(did=>[0,0]);
	sql_result_free("did");
}

# A number that is no extension: the phone network, through the trunk, as E.164 (runs from the
# request route and from failure_route, as CALLEE does). Only INVITEs go out.
route[TO_TRUNK] {
#!ifndef WITH_TRUNK
	if ($rU =~ "^[+]?[0-9]+$") {
		send_reply("503", "Outside calls are not set up on this system");
	} else {
		send_reply("404", "Not Found");
	}
	exit;
#!else
	if (!is_method("INVITE")) {
		send_reply("404", "Not Found");
		exit;
	}
	$var(dial) = $rU;
	route(DIAL_PLAN);
	if ($var(e164) == "") {
		xlog("L_INFO", "[$rU] from [$fU] cannot be dialed: $var(phrase)\n");
		send_reply("$var(status)", "$var(phrase)");
		exit;
	}
	route(CALLER_ID);
	$ru = "sip:" + $var(e164) + "@{{TRUNK_HOSTPORT}};transport={{TRUNK_TRANSPORT}}";
	resetdsturi();
	# A forwarding callee's no-answer timer does not cut the outside call short.
	t_reset_fr();
	setflag(FLT_TRUNK);
	$dlg_var(trunk) = "out";
	if (!isflagset(FLT_DLG)) {
		setflag(FLT_DLG);
		set_dlg_profile("calls", "$fU");
	}
	xlog("L_INFO", "call from [$fU] to [$var(e164)] through the trunk, caller ID [$avp(trunk_cid)]\n");
	# The trunk leg is plain SIP/RTP: anchored (route MEDIA_BRANCH_OFFER runs in TRUNK_BRANCH).
	route(MEDIA_CALLER);
	t_on_branch("TRUNK_BRANCH");
	t_on_failure("TRUNK_FAILURE");
	t_on_reply("REPLY");
	if (!t_relay()) {
		if ($var(media_down) == 1) {
			send_reply("503", "Media relay unavailable");
		} else {
			send_reply("500", "Server Error");
		}
	}
	exit;
#!endif
}

# The caller ID a call from an extension presents: its caller_id, else its DID, else the default.
route[CALLER_ID] {
	$avp(trunk_cid) = "";
	if (!($fU =~ "^[0-9]{4,8}$")) return;
	$var(cidext) = $fU;
	route(CALLER_ID_OF);
	$avp(trunk_cid) = $var(cid);
}

# $var(cidext) (an extension number) -> $var(cid): its caller ID, or "" when it has none.
route[CALLER_ID_OF] {
	$var(cid) = "{{TRUNK_CALLER_ID}}";
	if (!sql_query("earshot", "select coalesce(caller_id, did) from extensions where number = '$var(cidext)'", "cid")) return;
	if ($dbr(cid=>rows) > 0 && $dbr(cid=>[0,0]) != $null) $var(cid) = $dbr(cid=>[0,0]);
	sql_result_free("cid");
}

# The Diversion of a forwarded call names the forwarding extension; towards the trunk by its caller
# ID (carriers accept a forwarded caller's number when the Diversion is one of the account's).
route[DIVERSION] {
	$var(diverter) = "sip:" + $avp(callee) + "@{{REALM}}";
#!ifdef WITH_TRUNK
	if (!($avp(fwd) =~ "^[0-9]{4,8}$")) {
		$var(cidext) = $avp(callee);
		route(CALLER_ID_OF);
		if ($var(cid) != "") $var(diverter) = "sip:" + $var(cid) + "@{{TRUNK_HOST}}";
	}
#!endif
	append_hf("Diversion: <$var(diverter)>;reason=$var(divert);counter=1\r\n");
}

#!ifdef WITH_TRUNK
# Each branch to the trunk: an extension's own P-Asserted-Identity never reaches the carrier; the
# caller ID goes in From and P-Asserted-Identity. An outside caller (forwarded back out) stays as the
# carrier sent it, with the Diversion.
branch_route[TRUNK_BRANCH] {
	route(MEDIA_BRANCH_OFFER);
	if (!($fU =~ "^[0-9]{4,8}$")) return;
	remove_hf("P-Asserted-Identity");
	remove_hf("Remote-Party-ID");
	if ($avp(trunk_cid) == "") return;
	uac_replace_from("", "sip:$avp(trunk_cid)@{{TRUNK_HOST}}");
	append_hf("P-Asserted-Identity: <sip:$avp(trunk_cid)@{{TRUNK_HOST}}>\r\n");
}

# The carrier's digest challenge is answered once with the trunk credentials; the agent never sees
# a challenge that is not ours.
failure_route[TRUNK_FAILURE] {
	if (t_is_canceled() || !t_check_status("401|407")) {
		route(MEDIA_END);
		exit;
	}
#!ifdef WITH_TRUNK_AUTH
	if (!isflagset(FLT_TRUNK_AUTH)) {
		setflag(FLT_TRUNK_AUTH);
		$avp(trunk_user) = "{{TRUNK_USERNAME}}";
		$avp(trunk_pass) = $env(EARSHOT_KAMAILIO_TRUNK_PASSWORD);
		$avp(trunk_realm) = "";
		if (uac_auth()) {
			t_on_branch("TRUNK_BRANCH");
			t_on_failure("TRUNK_FAILURE");
			t_relay();
			exit;
		}
	}
#!endif
	route(MEDIA_END);
	xlog("L_WARN", "the trunk refused the call from [$fU] ($T_reply_code): check the trunk username and password\n");
	t_reply("503", "The phone network refused our trunk login");
}
#!endif

# Dialed number -> E.164 (rendered from server/trunk/dial-plan.ts). In: $var(dial). Out: $var(e164),
# or "" with the refusal in $var(status) and $var(phrase).
route[DIAL_PLAN] {
{{DIAL_PLAN}}
}

# Every branch failed (busy, declined, cancelled, timed out): nothing more to do but the media.
failure_route[CALL_FAILED] {
	route(MEDIA_END);
}

route[RELAY] {
	if (is_method("INVITE|BYE|UPDATE|CANCEL|ACK")) t_on_reply("REPLY");
	if (!t_relay()) sl_reply_error();
	exit;
}

onreply_route[REPLY] {
	if (nat_uac_test("64") || nat_uac_test("19")) add_contact_alias();
	route(MEDIA_REPLY);
}

####### Media: rtpengine anchoring ########
# A call's audio goes through rtpengine when one leg is not WebRTC (a desk phone, softphone or
# trunk over UDP, TCP or TLS, or plain RTP/AVP SDP without ICE); browser-to-browser calls stay
# peer to peer. route MEDIA_ANCHOR is the one place that decides. The routes around it carry the
# decision through the dialog: the offer in each branch of the INVITE (one rtpengine session per
# branch: via-branch), the answer in its 18x/2xx, re-INVITE/UPDATE/ACK from either side (dialog
# variables say which leg is which), the delete on BYE and when every branch failed.
# Towards a browser: ICE, DTLS-SRTP, rtcp-mux. Towards a device: plain RTP/AVP, G.711 and RFC 4733
# DTMF (a browser's Opus-only offer is transcoded), no ICE; a device's own SRTP-SDES offer stays
# SRTP. Without rtpengine (-> WITH_RTPENGINE undefined) nothing is anchored.

# The initial INVITE, before each relay (also from failure_route when forwarding): what the caller
# is, and the branch route that anchors.
route[MEDIA_CALLER] {
	$var(media_down) = 0;
	t_on_branch("MEDIA_BRANCH");
	if ($avp(caller_device) != $null) return;
	$avp(caller_device) = 0;
	if (!($proto =~ "^wss?$")) {
		$avp(caller_device) = 1;
	} else if (has_body("application/sdp") && !search_body("a=ice-ufrag")) {
		$avp(caller_device) = 1;
	}
	$avp(offer_in_request) = 0;
	if (has_body("application/sdp")) $avp(offer_in_request) = 1;
}

# THE decision: does this branch's audio go through rtpengine? In: $avp(caller_device) and
# $var(callee_device) (1: not WebRTC). Out: $var(anchor), 1 or 0. A recorded call will need 1
# too (rtpengine records): that rule belongs here.
route[MEDIA_ANCHOR] {
	$var(anchor) = 0;
#!ifdef WITH_RTPENGINE
	if ($avp(caller_device) == 1 || $var(callee_device) == 1) $var(anchor) = 1;
#!endif
}

# Each branch of an initial INVITE. A branch rtpengine does not answer for is dropped; when none is
# left, the caller hears 503 "Media relay unavailable" (route CALLEE_RELAY).
branch_route[MEDIA_BRANCH] {
	route(MEDIA_BRANCH_OFFER);
}

# The media part of a branch (branch_route MEDIA_BRANCH, and TRUNK_BRANCH for calls to the trunk).
route[MEDIA_BRANCH_OFFER] {
	$var(callee_device) = 1;
	if ($nh(P) =~ "^[wW][sS][sS]?$") $var(callee_device) = 0;
	route(MEDIA_ANCHOR);
	if ($var(anchor) != 1) return;
#!ifdef WITH_RTPENGINE
	setbflag(FLB_ANCHORED);
	$avp(media_anchored) = 1;
	if ($var(callee_device) == 1) setbflag(FLB_CALLEE_DEVICE);
	if (!has_body("application/sdp")) return;
	$var(towards_device) = $var(callee_device);
	$var(branch) = "via-branch=next";
	route(MEDIA_OFFER);
	if ($var(media_ok) != 1) {
		xlog("L_ERR", "rtpengine did not answer: branch to $ru dropped\n");
		$var(media_down) = 1;
		drop;
	}
#!endif
}

#!ifdef WITH_RTPENGINE
# rtpengine commands, each tried twice: a worker that talked to rtpengine while it was down gets
# that error once more from its socket even when rtpengine is back; the second try (the module
# pings first) tells the two apart. In: $var(towards_device) (1 a device, 0 a browser: whom the SDP
# goes to) and $var(branch) ("via-branch=..." or ""). Out: $var(media_ok), 1 or 0.
route[MEDIA_OFFER] {
	if ($var(towards_device) == 1) {
		# Plain RTP with G.711 and RFC 4733 DTMF (a browser's Opus-only offer gets transcoded), no ICE.
		$var(mflags) = $var(branch) + " trust-address replace-origin replace-session-connection rtcp-mux-demux ICE=remove RTP/AVP codec-mask=all codec-transcode=PCMU codec-transcode=PCMA codec-transcode=telephone-event";
	} else {
		$var(mflags) = $var(branch) + " trust-address replace-origin replace-session-connection rtcp-mux-offer ICE=force SDES-off UDP/TLS/RTP/SAVPF codec-transcode=PCMU";
	}
	$var(media_ok) = 1;
	if (rtpengine_offer("$var(mflags)")) return;
	if (rtpengine_offer("$var(mflags)")) return;
	$var(media_ok) = 0;
}

# An answer keeps the transport its offerer chose (a device's own SRTP-SDES offer stays SRTP).
route[MEDIA_ANSWER] {
	if ($var(towards_device) == 1) {
		$var(mflags) = $var(branch) + " trust-address replace-origin replace-session-connection rtcp-mux-demux ICE=remove";
	} else {
		$var(mflags) = $var(branch) + " trust-address replace-origin replace-session-connection rtcp-mux-offer ICE=force SDES-off UDP/TLS/RTP/SAVPF";
	}
	$var(media_ok) = 1;
	if (rtpengine_answer("$var(mflags)")) return;
	if (rtpengine_answer("$var(mflags)")) return;
	$var(media_ok) = 0;
}

route[MEDIA_DELETE] {
	if (rtpengine_delete()) return;
	if (!rtpengine_delete()) xlog("L_WARN", "rtpengine did not delete call $ci: its ports stay taken until the media timeout\n");
}

# SDP in a reply goes back to whoever sent the request: an answer, or the offer when the request
# had no SDP. In: $var(towards_device), that sender.
route[MEDIA_REPLY_SDP] {
	if (!has_body("application/sdp")) return;
	if ($avp(offer_in_request) == 1) {
		route(MEDIA_ANSWER);
	} else {
		route(MEDIA_OFFER);
	}
	if ($var(media_ok) != 1) xlog("L_ERR", "rtpengine did not take the SDP of $rs $rr ($ci): the call has no audio\n");
}
#!endif

route[MEDIA_REPLY] {
#!ifdef WITH_RTPENGINE
	if (!is_method("INVITE|UPDATE")) return;
	if (isbflagset(FLB_ANCHORED)) {
		# A branch of the initial INVITE (a failure is cleaned up in route MEDIA_END).
		if ($rs >= 300) return;
		if ($rs >= 200) {
			$dlg_var(anchored) = "1";
			$dlg_var(caller_tag) = $ft;
			$dlg_var(caller_device) = $avp(caller_device);
			$dlg_var(callee_device) = "0";
			if (isbflagset(FLB_CALLEE_DEVICE)) $dlg_var(callee_device) = "1";
		}
		$var(towards_device) = $avp(caller_device);
		$var(branch) = "via-branch=1";
		route(MEDIA_REPLY_SDP);
	} else if ($avp(media_back) != $null && $rs < 300) {
		$var(towards_device) = $avp(media_back);
		$var(branch) = "";
		route(MEDIA_REPLY_SDP);
	}
#!endif
	return;
}

# The initial INVITE failed on every branch (failure_route): rtpengine forgets the call.
route[MEDIA_END] {
#!ifdef WITH_RTPENGINE
	if ($avp(media_anchored) != 1) return;
	$avp(media_anchored) = $null;
	route(MEDIA_DELETE);
#!endif
	return;
}

# In-dialog requests of an anchored call: which leg sent it (its From tag) sets the flags each way.
route[MEDIA_INDIALOG] {
#!ifdef WITH_RTPENGINE
	if ($dlg_var(anchored) != "1") return;
	if (is_method("BYE")) {
		route(MEDIA_DELETE);
		return;
	}
	if (!is_method("INVITE|UPDATE|ACK")) return;
	if ($ft == $dlg_var(caller_tag)) {
		$var(towards_device) = $(dlg_var(callee_device){s.int});
		$avp(media_back) = $(dlg_var(caller_device){s.int});
	} else {
		$var(towards_device) = $(dlg_var(caller_device){s.int});
		$avp(media_back) = $(dlg_var(callee_device){s.int});
	}
	$avp(offer_in_request) = 0;
	if (!has_body("application/sdp")) return;
	$var(branch) = "";
	if (is_method("ACK")) {
		route(MEDIA_ANSWER);
		return;
	}
	$avp(offer_in_request) = 1;
	route(MEDIA_OFFER);
	if ($var(media_ok) != 1) {
		send_reply("503", "Media relay unavailable");
		exit;
	}
#!endif
	return;
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
