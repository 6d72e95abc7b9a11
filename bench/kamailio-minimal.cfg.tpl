#!KAMAILIO
#
# Baseline for bench/sipp-register.ts: the least a Kamailio needs to register extensions with
# digest auth against Earshot's `extensions` table (HA1 only) and keep them in memory.
# No pike, sanity, NAT handling, brute-force counters, credential AVPs or WebSocket.
# Every double-brace placeholder is filled by bench/sipp-register.ts.
#

debug={{LOG_LEVEL}}
log_stderror=yes
children={{CHILDREN}}
auto_aliases=no
listen=udp:127.0.0.1:{{SIP_PORT}}

loadmodule "sl.so"
loadmodule "db_sqlite.so"
loadmodule "auth.so"
loadmodule "auth_db.so"
loadmodule "usrloc.so"
loadmodule "registrar.so"

modparam("auth", "nonce_expire", 300)
modparam("auth_db", "db_url", "{{DB_URL}}")
modparam("auth_db", "calculate_ha1", 0)
modparam("auth_db", "user_column", "number")
modparam("auth_db", "password_column", "ha1")
modparam("auth_db", "use_domain", 0)
modparam("usrloc", "db_mode", 0)
modparam("usrloc", "use_domain", 0)

request_route {
	if (method != "REGISTER") {
		sl_send_reply("405", "Method Not Allowed");
		exit;
	}
	# Same challenge as Earshot (qop=auth), so the digest work is the same on both sides.
	if (!www_authorize("{{REALM}}", "extensions")) {
		www_challenge("{{REALM}}", "1");
		exit;
	}
	save("location");
}
