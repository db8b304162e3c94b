#!/bin/bash
# make-zoo.sh: regenerate bounce/testdata/zoo/<mta>/*.eml with real MTAs.
#
# Usage (as root, on a Debian 12 machine; see README.md beside this file):
#   scripts/zoo/make-zoo.sh [postfix|exim|...]...
#
# For each MTA: install its Debian package (one at a time: they all provide
# mail-transport-agent and conflict), run it with a config and spool of its
# own under $ZOO_TMP on 127.0.0.1:2525, route example.net and example.com to
# sink.py on 127.0.0.1:2526, submit the cases of send.py, wait for the
# bounces to come back to sender@example.com at the sink, file them with
# collect.py, stop the MTA and purge the package. Nothing listens on
# anything but loopback. CI does not run this: the .eml files are committed,
# and bounce/zoo_test.go checks each against its golden .json.
set -euo pipefail

HERE=$(cd "$(dirname "$0")" && pwd)
REPO=$(cd "$HERE/../.." && pwd)
ZOO_TMP=${ZOO_TMP:-/tmp/zoo}
DEST=$REPO/bounce/testdata/zoo
MTA_PORT=2525
SINK_PORT=2526   # example.net, the recipients: SIZE 20000
SENDER_PORT=2527 # example.com, the sender: where the bounces come back
BLOCKED_PORT=2528 # blocked.example.net: refuses at connection (554 greeting)
# on an address of its own: OpenSMTPD takes a refused greeting for the
# host's, and then sends nothing more to it for a while ("Network error on
# destination MXs"), the bounces to the other sink included
BLOCKED_ADDR=127.0.0.3
# A paraphrase (ours) of a DNS-blocklist refusal at connection.
BLOCKED_GREETING="554 5.7.1 mx.example.net: Service unavailable; Client host [127.0.0.1] blocked using a DNS blocklist"
# ZOO_ONLY="case ...": send only these cases, and replace only their
# files (the others' messages stay as they were made).
ZOO_ONLY=${ZOO_ONLY:-}
# The machine keeps these; an MTA install that would remove one is refused.
KEEP="redis-server dovecot-imapd nats-server"
# How long to wait for the last bounce: the retry window of the greylist
# case (60 s in every config below) plus queue runs.
WAIT=${ZOO_WAIT:-150}

log() { echo "make-zoo: $*" >&2; }

apt_install() {
	local sim
	sim=$(apt-get -s install "$@" 2>&1)
	for k in $KEEP; do
		if grep -q "^Remv $k " <<<"$sim"; then
			log "installing $* would remove $k: refused"
			return 1
		fi
	done
	# what is installed before, so that apt_purge also removes what the
	# install brought in (dependencies, recommended packages), and which
	# of the files that MTA packages' scripts write and their purge
	# leaves (/etc/aliases: postfix, sendmail; /etc/mailname: exim4-config)
	# the machine has
	dpkg-query -W -f '${Package}\n' | sort >"$ZOO_TMP/apt.before"
	HAD_FILES=""
	for f in /etc/aliases /etc/aliases.db /etc/mailname; do
		[ -e "$f" ] && HAD_FILES="$HAD_FILES $f"
	done
	DEBIAN_FRONTEND=noninteractive apt-get install -y "$@" >"$ZOO_TMP/apt.log" 2>&1
}

apt_purge() {
	local extra=""
	if [ -s "$ZOO_TMP/apt.before" ]; then
		extra=$(dpkg-query -W -f '${Package}\n' | sort | comm -13 "$ZOO_TMP/apt.before" -)
	fi
	# shellcheck disable=SC2086
	DEBIAN_FRONTEND=noninteractive apt-get purge -y "$@" $extra >>"$ZOO_TMP/apt.log" 2>&1 || true
	rm -f "$ZOO_TMP/apt.before"
	for f in /etc/aliases /etc/aliases.db /etc/mailname; do
		case " $HAD_FILES " in *" $f "*) ;; *) rm -f "$f" ;; esac
	done
}

# No package may start its daemon on install: we start each with our config.
OWN_POLICY=""
DEVLOG_PID=""
no_autostart() {
	if [ ! -e /usr/sbin/policy-rc.d ]; then
		printf '#!/bin/sh\nexit 101\n' >/usr/sbin/policy-rc.d
		chmod +x /usr/sbin/policy-rc.d
		OWN_POLICY=1
	fi
}

# chasquid resolves the recipient's domain through /etc/hosts (see
# zoo_chasquid): the machine's own copy is put back on exit.
HOSTS_SAVED=""
cleanup() {
	[ -n "$HOSTS_SAVED" ] && cat "$HOSTS_SAVED" >/etc/hosts
	[ -n "$OWN_POLICY" ] && rm -f /usr/sbin/policy-rc.d
	[ -n "$DEVLOG_PID" ] && kill "$DEVLOG_PID" 2>/dev/null
	return 0
}
trap cleanup EXIT

start_sink() { # DIR
	python3 "$HERE/sink.py" "$SINK_PORT" "$1/out" --size 20000 >"$1/sink.log" 2>&1 &
	echo $! >"$1/sink.pid"
	python3 "$HERE/sink.py" "$BLOCKED_ADDR:$BLOCKED_PORT" "$1/out" --greet "$BLOCKED_GREETING" >"$1/blocked.log" 2>&1 &
	echo $! >"$1/blocked.pid"
	python3 "$HERE/sink.py" "$SENDER_PORT" "$1/out" >"$1/sender.log" 2>&1 &
	echo $! >"$1/sender.pid"
	wait_port "$SINK_PORT"
	wait_port "$SENDER_PORT"
	wait_port "$BLOCKED_PORT" "$BLOCKED_ADDR"
}

stop_sink() { # DIR
	kill "$(cat "$1/sink.pid")" "$(cat "$1/sender.pid")" "$(cat "$1/blocked.pid")" 2>/dev/null || true
}

wait_port() { # PORT [ADDR]
	for _ in $(seq 50); do
		if (exec 3<>"/dev/tcp/${2:-127.0.0.1}/$1") 2>/dev/null; then return 0; fi
		sleep 0.2
	done
	log "nothing listens on 127.0.0.1:$1"
	return 1
}

count_bounces() { # DIR
	{ grep -l '^X-Zoo-Envelope-From: <>' "$1"/out/*.eml 2>/dev/null || true; } | wc -l
}

# wait_bounces DIR N: until the sink holds N bounces (null sender) or WAIT s.
wait_bounces() {
	local end=$((SECONDS + WAIT))
	while [ $SECONDS -lt $end ]; do
		[ "$(count_bounces "$1")" -ge "$2" ] && return 0
		sleep 2
	done
	log "$(basename "$1"): only $(count_bounces "$1") of $2 bounces after ${WAIT}s"
}

collect() { # DIR MTA [collect.py options] (the .json goldens stay: TestZoo compares the new messages with them)
	local d=$1 mta=$2 c
	shift 2
	if [ -n "$ZOO_ONLY" ]; then
		for c in $ZOO_ONLY; do
			rm -f "${DEST:?}/$mta/$c.eml" "$DEST/$mta/$c"-delayed*.eml "$DEST/$mta/$c"-[0-9].eml
		done
	else
		rm -f "${DEST:?}/$mta"/*.eml
	fi
	python3 "$HERE/collect.py" "$d/out" "$mta" "$DEST/$mta" "$@"
}

# The recipient's own software, for the MTAs with local domains: Debian's
# vacation(1) and Dovecot's LDA with the Pigeonhole Sieve plugin. Neither
# is installed: `apt-get download` fetches the two packages, whose files
# are unpacked under $ZOO_TMP/pkg, so the machine's Dovecot (dovecot-core is
# installed and used by the tests) and its /etc/dovecot are not touched.
# dovecot-lda runs with a config of its own ($ZOO_TMP/dovecot/dovecot.conf)
# as nobody, one home per recipient under $ZOO_TMP/dovecot/home (HOME and
# USER from the MTA's pipe: no auth service); the Sieve plugin is loaded
# from the unpacked package (mail_plugin_dir; its library through
# LD_LIBRARY_PATH, passed on by import_environment). Its replies
# (vacation) and rejections (reject: an MDN, "Your message to <...> was
# automatically rejected") are submitted by SMTP to the MTA under test
# (submission_host), which routes example.com to the sink.
recipient_software() {
	local p=$ZOO_TMP/pkg v=$ZOO_TMP/dovecot
	# (a new vacation database each run: vacation(1) answers a sender once a week)
	rm -rf "$p" "$v" "$ZOO_TMP/vacation" && mkdir -p "$p" "$v/home/sv" "$v/home/sr" "$ZOO_TMP/vacation"
	(cd "$p" && apt-get download vacation dovecot-sieve >"$p/download.log" 2>&1)
	for deb in "$p"/*.deb; do dpkg-deb -x "$deb" "$p/root"; done
	cat >"$v/dovecot.conf" <<CONF
import_environment = TZ LD_LIBRARY_PATH=$p/root/usr/lib/dovecot
base_dir = $v/run
log_path = $v/lda.log
mail_location = maildir:~/Maildir
mail_plugin_dir = $p/root/usr/lib/dovecot/modules
postmaster_address = postmaster@mta.example.com
hostname = mta.example.com
submission_host = 127.0.0.1:$MTA_PORT
protocol lda {
  mail_plugins = sieve
}
plugin {
  sieve = file:~/sieve;active=~/.dovecot.sieve
}
CONF
	cat >"$v/home/sv/.dovecot.sieve" <<'SIEVE'
require "vacation";
vacation :days 1 :subject "Out of office" "I am away until Monday.";
SIEVE
	cat >"$v/home/sr/.dovecot.sieve" <<'SIEVE'
require "reject";
reject "I do not accept messages from this sender.";
SIEVE
	# vacation(1): the reply is the message file, here the one its own
	# setup (vacation run without arguments) writes, $SUBJECT being the
	# subject it answers, with a From: line as in its manual's example
	# (else the MTA would write the login's, nobody@); -z sends it from
	# <>, -a names the address it answers for (the login is never in To:)
	printf 'From: vacation@local.example.com\nSubject: away from my mail\n\nI will not be reading my mail for a while.\nYour mail concerning "$SUBJECT"\nwill be read when I return.\n' >"$ZOO_TMP/vacation/msg"
	chown -R nobody:nogroup "$v" "$ZOO_TMP/vacation"
	chmod 755 "$ZOO_TMP" "$p"
	VACATION_CMD="$p/root/usr/bin/vacation -a vacation -z -f $ZOO_TMP/vacation/db -m $ZOO_TMP/vacation/msg nobody"
	# what the MTA's pipe runs for RCPT (a home under $v/home), with the
	# options it is given (dovecot-lda -f SENDER -a RECIPIENT)
	LDA_CMD="/usr/bin/env HOME=$v/home/RCPT USER=RCPT /usr/lib/dovecot/dovecot-lda -c $v/dovecot.conf"
}
# Programs an alias pipes to: one exits EX_NOUSER (67) after saying so on
# its output, one EX_TEMPFAIL (75) silently (sysexits.h).
prog_scripts() {
	local p=$ZOO_TMP/prog
	rm -rf "$p" && mkdir -p "$p"
	printf '#!/bin/sh\necho "no such user here"\nexit 67\n' >"$p/nouser"
	printf '#!/bin/sh\nexit 75\n' >"$p/tempfail"
	chmod 755 "$p" "$p/nouser" "$p/tempfail"
	PROG_NOUSER=$p/nouser
	PROG_TEMPFAIL=$p/tempfail
}

# The cases of the recipient's own software (send.py): vacation's alias,
# the Sieve users sv (vacation) and sr (reject).
RCPT_CASES="vacation sieve-vacation sieve-reject"


# Expected bounces per MTA: one per case, plus a delay warning for each
# of the expiry cases where the MTA sends one (the counts of the full
# runs below are those of the 3 December 2026 runs: the new cases' 15 to
# 19 reports added to the earlier ones; a case the MTA refuses in the
# session sends none).
# send_cmdline MTA PROGRAM CASE...: the cases (of ZOO_ONLY) handed to the
# MTA's sendmail program, not by SMTP (where its server would refuse them
# itself, in the session: no report)
send_cmdline() {
	local mta=$1 prog=$2 cases
	shift 2
	cases=$(only "$@")
	[ -n "$cases" ] || return 0
	# shellcheck disable=SC2086
	python3 "$HERE/send.py" --sendmail "$prog" "$mta" $cases
}

run_cases() { # DIR MTA EXPECTED [CASE...] (default: all but the local ones)
	local d=$1 mta=$2 n=$3
	shift 3
	local cases
	cases=$(only "$@")
	[ -n "$ZOO_ONLY" ] && n=999 # wait the whole WAIT
	[ -n "$cases" ] || return 0
	# shellcheck disable=SC2086
	python3 "$HERE/send.py" 127.0.0.1 "$MTA_PORT" "$mta" $cases
	wait_bounces "$d" "$n"
}

# only CASE...: those of ZOO_ONLY, if set
only() {
	local c
	if [ -z "$ZOO_ONLY" ]; then
		echo "$@"
		return
	fi
	for c in "$@"; do
		case " $ZOO_ONLY " in *" $c "*) printf '%s ' "$c" ;; esac
	done
}

# The cases of send.py that every MTA gets, and those that need a local
# domain (virt.example.com) the MTA delivers to itself.
CASES="unknown-user unknown-domain mailbox-full size-limit policy-ja greylist-expired multi success quota-expired"
# The refusals at other stages and for other causes (sink.py), and the
# DSN options (RET=FULL, NOTIFY=DELAY only); conn-blocked needs a route
# for blocked.example.net to the greeting sink, hop-loop and own-size the
# MTA's own limits (make-zoo.sh names the MTAs that have them).
REMOTE_CASES="disabled relay-denied bad-syntax rate-expired delay-only spam-data content-data sender-refused tls-required ret-full notify-delay"
# The MTA's own local delivery to programs and aliases (prog_scripts).
PROG_CASES="prog-nouser prog-tempfail alias-unknown"
LOCAL_CASES="local-unknown local-full"
# Success reports of the MTA's own delivery: a mailbox of the local
# domain, and an alias that expands to two of them.
SUCCESS_CASES="success-local success-expanded"

# ---------------------------------------------------------------- postfix
zoo_postfix() {
	local d=$ZOO_TMP/postfix
	rm -rf "$d" && mkdir -p "$d/etc" "$d/out" "$d/spool" "$d/data"
	echo "postfix postfix/main_mailer_type select No configuration" | debconf-set-selections
	apt_install postfix
	recipient_software
	prog_scripts
	chown postfix "$d/data"
	cat >"$d/etc/main.cf" <<CONF
compatibility_level = 3.6
queue_directory = $d/spool
data_directory = $d/data
maillog_file = $d/maillog
maillog_file_prefixes = $ZOO_TMP
myhostname = mta.example.com
mydomain = example.com
myorigin = example.com
inet_interfaces = 127.0.0.1
inet_protocols = ipv4
mynetworks = 127.0.0.0/8
smtpd_relay_restrictions = permit_mynetworks, reject
transport_maps = inline:{ example.net=smtp:[127.0.0.1]:$SINK_PORT, example.com=smtp:[127.0.0.1]:$SENDER_PORT, blocked.example.net=smtp:[$BLOCKED_ADDR]:$BLOCKED_PORT, sieve.example.com=dovecot: }
maximal_queue_lifetime = 60s
bounce_queue_lifetime = 60s
minimal_backoff_time = 5s
maximal_backoff_time = 10s
queue_run_delay = 5s
delay_warning_time = 15s
# a local domain: nobody@ is not a mailbox (accepted, then bounced by
# virtual(8)); full@ is an mbox already at virtual_mailbox_limit
virtual_mailbox_domains = virt.example.com
virtual_mailbox_base = $d/vmail
# ok@, ann@ and bob@ are mailboxes too (the success reports)
virtual_mailbox_maps = inline:{ full@virt.example.com=full, ok@virt.example.com=ok, ann@virt.example.com=ann, bob@virt.example.com=bob }
virtual_uid_maps = static:65534
virtual_gid_maps = static:65534
virtual_mailbox_limit = 102400
message_size_limit = 102400
smtpd_reject_unlisted_recipient = no
# local(8)'s domain: aliases only (team@ expands to two mailboxes,
# vacation@ pipes to vacation(1) with default_privs, nobody); never the
# machine's own mailboxes (a user not aliased is refused)
mydestination = local.example.com
alias_maps = texthash:$d/etc/aliases
alias_database =
local_recipient_maps = \$alias_maps
mailbox_transport = error:5.1.1 no mailboxes here
# sieve.example.com: dovecot-lda through pipe(8), as nobody
dovecot_destination_recipient_limit = 1
CONF
	# texthash: postmap's format, "key value" (no colon)
	cat >"$d/etc/aliases" <<ALIASES
team ann@virt.example.com, bob@virt.example.com
vacation "|$VACATION_CMD"
nouser "|$PROG_NOUSER"
tempfail "|$PROG_TEMPFAIL"
ghost nosuchuser@local.example.com
ALIASES
	# vacation(1) runs Postfix's sendmail, which finds this config through
	# MAIL_CONFIG (local(8) passes it on); postdrop, set-gid, takes it only
	# if the default main.cf lists it (removed by the purge)
	echo "alternate_config_directories = $d/etc" >>/etc/postfix/main.cf
	mkdir -p "$d/vmail"
	head -c 102400 /dev/zero | tr '\0' 'x' >"$d/vmail/full"
	chown -R 65534:65534 "$d/vmail"
	# the stock master.cf, smtpd on 127.0.0.1:2525, no chroot
	sed "s/^smtp      inet/127.0.0.1:$MTA_PORT inet/" /usr/share/postfix/master.cf.dist |
		awk '/^[^ #]/ && NF>=8 {$5="n"} {print}' >"$d/etc/master.cf"
	local lda=${LDA_CMD//RCPT/'${user}'}
	cat >>"$d/etc/master.cf" <<MASTER
dovecot   unix  -       n       n       -       -       pipe
  flags=DRhu user=nobody argv=$lda -f \${sender} -a \${original_recipient}
MASTER
	start_sink "$d"
	postfix -c "$d/etc" start
	wait_port "$MTA_PORT"
	# hop-loop and own-size by Postfix's sendmail (smtpd would refuse
	# them in the session): cleanup(8) finds them over the limits
	# (hopcount_limit 50, message_size_limit), and the queue bounces them
	MAIL_CONFIG=$d/etc send_cmdline postfix /usr/sbin/sendmail hop-loop own-size
	run_cases "$d" postfix 37 $CASES $LOCAL_CASES $SUCCESS_CASES $RCPT_CASES $REMOTE_CASES conn-blocked $PROG_CASES
	postfix -c "$d/etc" stop || true
	stop_sink "$d"
	collect "$d" postfix --scrub "@$(hostname)>=@mta.example.com>"
	apt_purge postfix
}

# ---------------------------------------------------------------- exim
zoo_exim() {
	local d=$ZOO_TMP/exim
	rm -rf "$d" && mkdir -p "$d/spool" "$d/log" "$d/out"
	apt_install exim4-daemon-light
	recipient_software
	prog_scripts
	mkdir -p "$d/vmail"
	head -c 2048 /dev/zero | tr '\0' 'x' >"$d/vmail/full" # over the 1k quota
	chown -R Debian-exim "$d/spool" "$d/log" "$d/vmail"
	# \$local_part_data, \$domain_data: the recipient as the router
	# matched it (\$local_part, \$domain and \$sender_address come from
	# the message, are tainted, and Exim refuses them in a command); no
	# -f: dovecot-lda takes the sender from the Return-Path the
	# transport adds
	local lda=${LDA_CMD//RCPT/\$local_part_data}
	cat >"$d/exim.conf" <<CONF
primary_hostname = mta.example.com
qualify_domain = example.com
daemon_smtp_ports = $MTA_PORT
local_interfaces = 127.0.0.1
spool_directory = $d/spool
log_file_path = $d/log/%slog
exim_user = Debian-exim
exim_group = Debian-exim
never_users = root
host_lookup =
rfc1413_hosts =
tls_advertise_hosts =
acl_smtp_rcpt = acl_check_rcpt
dsn_advertise_hosts = *
delay_warning = 15s:1h
message_size_limit = 100k
delay_warning_condition = true
keep_environment =

begin acl
acl_check_rcpt:
  accept hosts = 127.0.0.1
  deny

begin routers
# team@local.example.com expands to two mailboxes, vacation@ pipes to
# vacation(1) (as nobody)
local_aliases:
  driver = redirect
  domains = local.example.com
  data = \${lookup{\$local_part}lsearch{$d/aliases}}
  pipe_transport = address_pipe
# autoreply@local.example.com: Exim's own autoreply transport
local_autoreply:
  driver = accept
  domains = local.example.com
  local_parts = autoreply
  transport = zoo_autoreply
# sieve.example.com: dovecot-lda (as nobody), one home per recipient
sieve_lda:
  driver = accept
  domains = sieve.example.com
  local_parts = sv : sr
  transport = dovecot_lda
virt_box:
  driver = accept
  domains = virt.example.com
  local_parts = ok : ann : bob
  transport = virt_box
virt_full:
  driver = accept
  domains = virt.example.com
  local_parts = full
  transport = virt_file
zoo_blocked:
  driver = manualroute
  domains = blocked.example.net
  transport = blocked_smtp
  route_list = * $BLOCKED_ADDR byname
  self = send
zoo_sink:
  driver = manualroute
  domains = example.net
  transport = remote_smtp
  route_list = * 127.0.0.1 byname
  self = send
zoo_sender:
  driver = manualroute
  domains = example.com
  transport = sender_smtp
  route_list = * 127.0.0.1 byname
  self = send
dnslookup:
  driver = dnslookup
  transport = remote_smtp
  no_more

begin transports
remote_smtp:
  driver = smtp
  port = $SINK_PORT
  allow_localhost
sender_smtp:
  driver = smtp
  port = $SENDER_PORT
  allow_localhost
blocked_smtp:
  driver = smtp
  port = $BLOCKED_PORT
  allow_localhost
address_pipe:
  driver = pipe
  user = nobody
  return_output
zoo_autoreply:
  driver = autoreply
  from = Autoreply <autoreply@local.example.com>
  to = \$sender_address
  subject = Away: \$h_subject:
  text = I am away until Monday.
  user = Debian-exim
dovecot_lda:
  driver = pipe
  command = $lda -a \$local_part_data@\$domain_data
  user = nobody
  delivery_date_add
  envelope_to_add
  return_path_add
  log_output
  temp_errors = 64 : 69 : 70 : 71 : 72 : 73 : 74 : 75 : 78
virt_box:
  driver = appendfile
  file = $d/vmail/\$local_part_data
  user = Debian-exim
virt_file:
  driver = appendfile
  file = $d/vmail/full
  user = Debian-exim
  quota = 1k

begin retry
*  *  F,1m,10s
CONF
	printf 'team: ann@virt.example.com, bob@virt.example.com\nvacation: "|%s"\nnouser: "|%s"\ntempfail: "|%s"\nghost: nosuchuser@local.example.com\n' \
		"$VACATION_CMD" "$PROG_NOUSER" "$PROG_TEMPFAIL" >"$d/aliases"
	# The config is the compiled-in /etc/exim4/exim4.conf, read before
	# Debian's generated one (removed after the purge), not -C: Exim
	# started with -C gives up root ("exim user lost privilege for using
	# -C option"), and then cannot run the pipes as nobody; vacation(1)
	# runs /usr/sbin/sendmail (Exim's), which reads it too.
	cp "$d/exim.conf" /etc/exim4/exim4.conf
	start_sink "$d"
	exim4 -bd -q10s -oP "$d/exim.pid"
	wait_port "$MTA_PORT"
	# local-unknown: no router takes nobody@virt.example.com, so the
	# dnslookup router finds no such domain (Exim's "Unrouteable address");
	# local-full: the appendfile quota is a temporary error, so a delay
	# warning ("mailbox is full"), then the bounce at the retry timeout
	# hop-loop by Exim's own command line (its server would refuse it in
	# the session: received_headers_max 30, message_size_limit); -oem:
	# errors by mail
	send_cmdline exim "/usr/sbin/exim4 -oem" hop-loop own-size
	run_cases "$d" exim 38 $CASES $LOCAL_CASES $SUCCESS_CASES $RCPT_CASES autoreply $REMOTE_CASES conn-blocked $PROG_CASES
	kill "$(cat "$d/exim.pid")" || true
	stop_sink "$d"
	collect "$d" exim --scrub "@$(hostname)>=@mta.example.com>"
	apt_purge exim4-daemon-light exim4-base exim4-config
	rm -f /etc/exim4/exim4.conf
	rmdir /etc/exim4 2>/dev/null || true
}

# ---------------------------------------------------------------- opensmtpd
# OpenSMTPD keeps its queue in the compiled-in /var/spool/smtpd (the
# package's), emptied by the purge.
zoo_opensmtpd() {
	local d=$ZOO_TMP/opensmtpd v=$ZOO_TMP/dovecot
	rm -rf "$d" && mkdir -p "$d/out" "$d/vmail"
	apt_install opensmtpd
	recipient_software
	prog_scripts
	chown nobody:nogroup "$d/vmail"
	# The local domains' users, all uid 65534 (nobody), in a userbase
	# table of their own (table(5): "user uid:gid:home"), not the
	# machine's passwd: ok@, ann@ and bob@ virt.example.com are maildirs;
	# team@local.example.com expands to ann@ and bob@, vacation@ pipes
	# to vacation(1) (aliases(5), the colon format); sv@ and sr@
	# sieve.example.com go to dovecot-lda as an mda, their homes the
	# Sieve ones. vacation(1) runs /usr/sbin/sendmail, smtpctl, which
	# enqueues through this smtpd's socket.
	printf 'team: ann@virt.example.com, bob@virt.example.com\nvacation: "|%s"\nnouser: "|%s"\ntempfail: "|%s"\nghost: nosuchuser@local.example.com\n' \
		"$VACATION_CMD" "$PROG_NOUSER" "$PROG_TEMPFAIL" >"$d/aliases"
	{
		# an alias's pipe runs as the user "opensmtpd", which needs an
		# entry too ("Permanent failure in user lookup" without it)
		for u in ok ann bob team vacation nouser tempfail ghost opensmtpd; do echo "$u 65534:65534:$d/vmail"; done
		for u in sv sr; do echo "$u 65534:65534:$v/home/$u"; done
	} >"$d/users"
	local lda=${LDA_CMD//RCPT/%\{user.username\}}
	cat >"$d/smtpd.conf" <<CONF
queue ttl 60s
bounce warn-interval 15s
smtp max-message-size 100k
table aliases file:$d/aliases
table users file:$d/users
listen on 127.0.0.1 port $MTA_PORT hostname mta.example.com
action "sink" relay host smtp://127.0.0.1:$SINK_PORT helo mta.example.com
action "sender" relay host smtp://127.0.0.1:$SENDER_PORT helo mta.example.com
action "dns" relay helo mta.example.com
action "blocked" relay host smtp://$BLOCKED_ADDR:$BLOCKED_PORT helo mta.example.com
action "virt" maildir "$d/vmail/%{user.username}" userbase <users>
action "local" maildir "$d/vmail/%{user.username}" alias <aliases> userbase <users>
action "sieve" mda "$lda -f %{sender} -a %{rcpt}" userbase <users>
match from any for domain "blocked.example.net" action "blocked"
match from any for domain "example.net" action "sink"
match from any for domain "example.com" action "sender"
match from any for domain "virt.example.com" action "virt"
match from any for domain "local.example.com" action "local"
match from any for domain "sieve.example.com" action "sieve"
match from any for any action "dns"
CONF
	start_sink "$d"
	smtpd -d -f "$d/smtpd.conf" >"$d/log" 2>&1 &
	echo $! >"$d/smtpd.pid"
	wait_port "$MTA_PORT"
	# hop-loop and own-size by its sendmail (smtpctl), which enqueues
	# through the socket (the server's checks, MAX_HOPS_COUNT 100 and
	# max-message-size, apply there too: refused in the session, or not)
	send_cmdline opensmtpd /usr/sbin/sendmail hop-loop own-size
	run_cases "$d" opensmtpd 35 $CASES $SUCCESS_CASES $RCPT_CASES $REMOTE_CASES conn-blocked $PROG_CASES
	kill "$(cat "$d/smtpd.pid")" || true
	stop_sink "$d"
	collect "$d" opensmtpd --scrub "@$(hostname)>=@mta.example.com>"
	apt_purge opensmtpd opensmtpd-extras
}

# ---------------------------------------------------------------- sendmail
zoo_sendmail() {
	local d=$ZOO_TMP/sendmail v=$ZOO_TMP/dovecot
	rm -rf "$d" && mkdir -p "$d/mqueue" "$d/out" "$d/vmail"
	chmod 700 "$d/mqueue"
	apt_install sendmail-bin sendmail-cf m4
	recipient_software
	prog_scripts
	cat >"$d/zoo.mc" <<CONF
divert(-1)
include(\`/usr/share/sendmail/cf/m4/cf.m4')
divert(0)dnl
VERSIONID(\`bounced zoo')dnl
OSTYPE(\`linux')dnl
define(\`confDOMAIN_NAME', \`mta.example.com')dnl
define(\`QUEUE_DIR', \`$d/mqueue')dnl
define(\`STATUS_FILE', \`$d/statistics')dnl
define(\`confCW_FILE', \`-o $d/local-host-names')dnl
define(\`confPID_FILE', \`$d/sendmail.pid')dnl
define(\`confTO_QUEUERETURN', \`1m')dnl
define(\`confTO_QUEUEWARN', \`15s')dnl
define(\`confMIN_QUEUE_AGE', \`0')dnl
define(\`confDONT_PROBE_INTERFACES', \`True')dnl
define(\`confPRIVACY_FLAGS', \`authwarnings')dnl
define(\`RELAY_MAILER_ARGS', \`TCP \$h $SINK_PORT')dnl
define(\`ESMTP_MAILER_ARGS', \`TCP \$h $SENDER_PORT')dnl
define(\`SMTP_MAILER_ARGS', \`TCP \$h $SENDER_PORT')dnl
define(\`SMTP8_MAILER_ARGS', \`TCP \$h $BLOCKED_PORT')dnl
define(\`confMAX_MESSAGE_SIZE', \`102400')dnl
define(\`confSERVICE_SWITCH_FILE', \`$d/service.switch')dnl
define(\`confHOSTS_FILE', \`$d/hosts')dnl
define(\`confDONT_BLAME_SENDMAIL', \`MapInUnsafeDirPath,ClassFileInUnsafeDirPath,RunProgramInUnsafeDirPath,FileDeliveryToHardLink')dnl
define(\`ALIAS_FILE', \`$d/aliases')dnl
define(\`confDEF_USER_ID', \`65534:65534')dnl
define(\`PROG_MAILER_FLAGS', \`P')dnl
FEATURE(\`accept_unresolvable_domains')dnl
FEATURE(\`use_cw_file')dnl
FEATURE(\`mailertable', \`hash -o $d/mailertable')dnl
FEATURE(\`access_db', \`hash -T<TMPF> -o $d/access')dnl
DAEMON_OPTIONS(\`Port=$MTA_PORT, Addr=127.0.0.1, Name=MTA')dnl
DAEMON_OPTIONS(\`Port=25, Addr=127.0.0.1, Name=MTA-MSP')dnl
MAILER(\`smtp')dnl
CONF
	# example.net through the "relay" mailer to the sink, example.com
	# (the sender) through "esmtp" to the other one; the rest by DNS.
	# blocked.example.net through "smtp8" to the sink that refuses at connection
	printf 'blocked.example.net\tsmtp8:[$BLOCKED_ADDR]\nexample.net\trelay:[127.0.0.1]\nexample.com\tesmtp:[127.0.0.1]\n' >"$d/mailertable"
	printf 'Connect:127.0.0.1\tRELAY\n' >"$d/access"
	makemap hash "$d/mailertable" <"$d/mailertable"
	makemap hash "$d/access" <"$d/access"
	printf 'hosts files dns\naliases files\n' >"$d/service.switch"
	printf '127.0.0.1 mta.example.com %s localhost\n' "$(hostname)" >"$d/hosts"
	# The local domains (local-host-names, which sendmail reads only with
	# ClassFileInUnsafeDirPath: the path is under /tmp, world-writable;
	# RunProgramInUnsafeDirPath for the programs unpacked there): aliases
	# only, as the default user (nobody):
	# ok@ a file (the *file* mailer's mailbox), team@ two addresses of
	# the sink, vacation@ vacation(1), sv@ and sr@ dovecot-lda through
	# the prog mailer (its P flag adds the Return-Path that dovecot-lda
	# takes the sender from). vacation(1) runs /usr/sbin/sendmail as
	# nobody, which is the package's MSP (/etc/mail/submit.cf): it relays
	# to 127.0.0.1 port 25, where this daemon listens too.
	printf 'local.example.com\nvirt.example.com\nsieve.example.com\n' >"$d/local-host-names"
	: >"$d/vmail/ok"
	chown nobody:nogroup "$d/vmail/ok"
	{
		echo "team: ann@example.net, bob@example.net"
		echo "ok: $d/vmail/ok"
		echo "vacation: \"|$VACATION_CMD\""
		echo "nouser: \"|$PROG_NOUSER\""
		echo "tempfail: \"|$PROG_TEMPFAIL\""
		echo "ghost: nosuchuser@local.example.com"
		for u in sv sr; do echo "$u: \"|${LDA_CMD//RCPT/$u} -a $u@sieve.example.com\""; done
	} >"$d/aliases"
	m4 "$d/zoo.mc" >"$d/sendmail.cf"
	sendmail -C "$d/sendmail.cf" -bi >"$d/newaliases.log" 2>&1
	start_sink "$d"
	sendmail -C "$d/sendmail.cf" -bd -q10s -L zoo-sendmail
	wait_port "$MTA_PORT"
	# success-expanded: sendmail 8.17 writes no report for the alias
	# (nor for the two addresses it expands to), so 15
	# own-size by its command line (the daemon refuses it at MAIL, SIZE
	# over confMAX_MESSAGE_SIZE); -oem: errors by mail
	send_cmdline sendmail "sendmail -C $d/sendmail.cf -oem" own-size
	run_cases "$d" sendmail 34 $CASES $SUCCESS_CASES $RCPT_CASES $REMOTE_CASES conn-blocked hop-loop $PROG_CASES
	kill "$(head -1 "$d/sendmail.pid")" || true
	stop_sink "$d"
	collect "$d" sendmail --scrub "@$(hostname)>=@mta.example.com>"
	apt_purge sendmail-bin sendmail-cf sendmail-base
	# what the package's scripts leave after the purge: the line of
	# /etc/hosts.allow its postinst adds, its certificates' hash links
	sed -i '/^sendmail: all$/d' /etc/hosts.allow 2>/dev/null || true
	find /etc/ssl/certs -xtype l -lname '/etc/mail/*' -delete 2>/dev/null || true
}

# ---------------------------------------------------------------- courier
# Courier's paths are compiled in (/etc/courier, /var/lib/courier): this
# edits the package's files, which the purge removes. The local domains
# (virt., local. and sieve.example.com) are in locals, whose addresses
# are accounts of authlib (only its userdb module here, with no user: the
# machine's own accounts are never mailboxes) or else aliases or else
# delivery instructions in aliasdir (dot-courier(5): "searched as the last
# resort"). ok@, ann@, bob@ and full@ are maildirs named in aliasdir
# (full@'s made with a quota by maildirmake -q, already over it); team@
# is an alias of two of them (makealiases(8): "treated like a private
# mailing list", Courier reports the alias itself); autoreply@
# (Courier's mailbot, from the maildrop package, unpacked as vacation is),
# sv@ and sr@ are programs in aliasdir, which Courier runs as its own
# user, courier, not as nobody: the recipient software's files are given
# to that user. nobody@virt.example.com (local-unknown) is refused at RCPT
# ("550 User <nobody> unknown"): no report, so no such case.
zoo_courier() {
	local d=$ZOO_TMP/courier e=/etc/courier p=$ZOO_TMP/pkg v=$ZOO_TMP/dovecot u
	rm -rf "$d" && mkdir -p "$d/out" "$d/vmail"
	echo "courier-base courier-base/webadmin-configmode boolean false" | debconf-set-selections
	apt_install courier-mta
	recipient_software
	prog_scripts
	(cd "$p" && apt-get download maildrop >>"$p/download.log" 2>&1)
	dpkg-deb -x "$p"/maildrop_*.deb "$p/root"
	echo mta.example.com >"$e/me"
	echo example.com >"$e/defaultdomain"
	echo mailer-daemon@mta.example.com >"$e/dsnfrom" # not the machine's name
	printf 'blocked.example.net: [$BLOCKED_ADDR],%s\nexample.net: [127.0.0.1],%s\nexample.com: [127.0.0.1],%s\n' "$BLOCKED_PORT" "$SINK_PORT" "$SENDER_PORT" >"$e/esmtproutes"
	sed -i "s/^PORT=smtp/PORT=$MTA_PORT/; s/^BOFHCHECKDNS=1/BOFHCHECKDNS=0/; s/^TARPIT=1/TARPIT=0/; s/^ESMTPDSTART=.*/ESMTPDSTART=YES/" "$e/esmtpd"
	echo ADDRESS=127.0.0.1 >>"$e/esmtpd"
	echo 1m >"$e/queuetime"
	echo 15s >"$e/warntime"
	echo 10 >"$e/retryalpha"
	echo 3 >"$e/retrybeta"
	echo 15 >"$e/retrygamma"
	echo 1 >"$e/retrymaxdelta"
	makesmtpaccess # the package's smtpaccess/default lets 127.0.0.1 relay
	printf 'virt.example.com\nlocal.example.com\nsieve.example.com\n' >>"$e/locals"
	sed -i 's/^authmodulelist=.*/authmodulelist="authuserdb"/' "$e/authdaemonrc"
	for u in ok ann bob full; do
		maildirmake.courier "$d/vmail/$u"
		echo "$d/vmail/$u/" >"$e/aliasdir/.courier-$u"
	done
	# full@: a quota of 1000 bytes (maildirquota(7)), and a message of
	# 2000 already counted in its maildirsize ("bytes count" lines)
	maildirmake.courier -q 1000S "$d/vmail/full"
	head -c 2000 /dev/zero | tr '\0' 'x' >"$d/vmail/full/cur/1.zoo,S=2000:2,S"
	echo "2000 1" >>"$d/vmail/full/maildirsize"
	mkdir -p "$d/mailbot"
	printf 'I am away until Monday.\n' >"$d/mailbot/reply.txt"
	# the programs: a .courier file each in aliasdir (makealiases' own
	# program aliases are addresses of defaultdomain, here example.com,
	# the sender's domain, not a local one); the shell runs each line;
	# SENDER is the envelope sender (dot-courier(5)); mailbot's -d
	# database (one reply per sender) is in a directory of its own. No
	# vacation case: vacation(1) -z runs `sendmail -f "<>"`, which
	# Courier's sendmail refuses ("517 Syntax error.", exit 67; its null
	# sender is -f ''), and vacation exits 0 all the same, so the reply
	# is lost (tried through preline(1), which adds the "From " line
	# vacation wants first)
	echo "| $p/root/usr/bin/mailbot -t $d/mailbot/reply.txt -d $d/mailbot/db -A 'From: autoreply@local.example.com' /usr/sbin/sendmail -f ''" >"$e/aliasdir/.courier-autoreply"
	for u in sv sr; do echo "| ${LDA_CMD//RCPT/$u} -f \"\$SENDER\" -a $u@sieve.example.com" >"$e/aliasdir/.courier-$u"; done
	echo "| $PROG_NOUSER" >"$e/aliasdir/.courier-nouser"
	echo "| $PROG_TEMPFAIL" >"$e/aliasdir/.courier-tempfail"
	printf 'team: ann@virt.example.com, bob@virt.example.com\nghost: nosuchuser@local.example.com\n' >"$e/aliases/zoo"
	makealiases
	chown -R courier:courier "$d/vmail" "$d/mailbot" "$v" "$ZOO_TMP/vacation"
	chmod 755 "$d"
	start_sink "$d"
	setsid authdaemond start </dev/null >"$d/start.log" 2>&1
	setsid courier start </dev/null >>"$d/start.log" 2>&1
	setsid esmtpd start </dev/null >>"$d/start.log" 2>&1
	wait_port "$MTA_PORT"
	run_cases "$d" courier 34 $CASES local-full $SUCCESS_CASES sieve-vacation sieve-reject autoreply $REMOTE_CASES conn-blocked hop-loop $PROG_CASES
	esmtpd stop || true
	courier stop || true
	authdaemond stop || true
	stop_sink "$d"
	collect "$d" courier
	apt_purge courier-mta courier-base courier-authdaemon courier-authlib courier-authlib-userdb
	# what the purge leaves: the control files written here, the queue
	# and state directories
	rm -rf "$e" /var/lib/courier /run/courier
}

# ---------------------------------------------------------------- dma
# The DragonFly Mail Agent takes mail on the command line only and sends
# everything to one smarthost, the sink (bounces to sender@example.com
# included); it retries temporary failures on a compiled-in schedule of
# days and writes no DSN, so only the permanent cases are made, and it
# cannot reach DNS for the unknown domain through a smarthost. It reads
# the package's /etc/dma/dma.conf, which the purge removes.
zoo_dma() {
	local d=$ZOO_TMP/dma
	rm -rf "$d" && mkdir -p "$d/spool" "$d/out"
	apt_install dma
	chown root:mail "$d/spool"
	chmod 770 "$d/spool"
	printf 'SMARTHOST 127.0.0.1\nPORT %s\nSPOOLDIR %s\nMAILNAME mta.example.com\n' "$SINK_PORT" "$d/spool" >/etc/dma/dma.conf
	start_sink "$d"
	python3 "$HERE/send.py" --sendmail /usr/sbin/dma dma unknown-user mailbox-full size-limit policy-ja multi
	wait_bounces "$d" 7 # one bounce per recipient: multi makes three
	stop_sink "$d"
	collect "$d" dma
	apt_purge dma
}

# ---------------------------------------------------------------- haraka
# Haraka from npm, an instance of its own under $ZOO_TMP; haraka/zoo_route.js
# (beside this script) routes its outbound delivery to the sinks. Haraka
# offers no DSN extension, so the success case gets no report.
zoo_haraka() {
	local d=$ZOO_TMP/haraka i=$ZOO_TMP/haraka/inst
	rm -rf "$d" && mkdir -p "$d/out"
	(cd "$d" && npm install --no-audit --no-fund Haraka@3 >"$d/npm.log" 2>&1)
	"$d/node_modules/.bin/haraka" -i "$i" >"$d/init.log"
	printf 'listen=127.0.0.1:%s\nnodes=0\n' "$MTA_PORT" >"$i/config/smtp.ini"
	echo mta.example.com >"$i/config/me"
	printf 'relay\nzoo_route\n' >"$i/config/plugins"
	printf '[relay]\nacl=true\n' >"$i/config/relay.ini"
	echo 127.0.0.1/32 >"$i/config/relay_acl_allow"
	printf '[main]\ntemp_fail_intervals=10s*5\nlocal_mx_ok=true\nenable_tls=false\n' >"$i/config/outbound.ini"
	sed "s/2526/$SINK_PORT/; s/2527/$SENDER_PORT/" "$HERE/haraka/zoo_route.js" >"$i/plugins/zoo_route.js"
	# haraka -i does not copy the bounce templates; without them the
	# bounce has no From, To, Subject or text
	cp "$d"/node_modules/Haraka/config/outbound.bounce_message* "$i/config/"
	start_sink "$d"
	"$d/node_modules/.bin/haraka" -c "$i" >"$d/haraka.log" 2>&1 &
	echo $! >"$d/haraka.pid"
	wait_port "$MTA_PORT"
	run_cases "$d" haraka 8 $CASES
	kill "$(cat "$d/haraka.pid")" || true
	stop_sink "$d"
	collect "$d" haraka
}

# ---------------------------------------------------------------- chasquid
# chasquid has no smarthost, transport map or port setting: it delivers to
# port 25 of the domain's MX, and where the MX lookup finds no such name it
# falls back to the domain itself (internal/courier/smtp.go, lookupMXs),
# which Go's resolver looks up in /etc/hosts first. So for the run
# /etc/hosts names example.net 127.0.0.2, where the refusing sink listens
# on port 25 (nothing else on the machine does: 127.0.0.2 is not
# 127.0.0.1); the machine's /etc/hosts is put back after. chasquid relays
# only for a user who authenticated, over TLS, on its submission port
# (127.0.0.1:2525 here, with a throwaway self-signed certificate), and only
# sends a DSN to a sender of one of its own domains: example.com is one,
# with the user sender, and its mail goes to the MDA, chasquid's mda-lmtp,
# to the other sink on 127.0.0.1:2527. Its queue gives up after 20 hours
# (compiled in; no setting in 1.11) and a host it cannot resolve is a
# temporary error, so only the permanent cases are made; it offers no DSN
# extension, so no success report either.
zoo_chasquid() {
	local d=$ZOO_TMP/chasquid e=$ZOO_TMP/chasquid/etc
	rm -rf "$d" && mkdir -p "$e/domains/example.com" "$e/certs/mta.example.com" "$d/data" "$d/out"
	apt_install chasquid
	cat >"$e/chasquid.conf" <<CONF
hostname: "mta.example.com"
smtp_address: "127.0.0.1:2524"
submission_address: "127.0.0.1:$MTA_PORT"
submission_over_tls_address: "127.0.0.1:2523"
data_dir: "$d/data"
mail_log_path: "$d/mail.log"
mail_delivery_agent_bin: "/usr/bin/mda-lmtp"
mail_delivery_agent_args: "--addr=127.0.0.1:$SENDER_PORT"
mail_delivery_agent_args: "-f"
mail_delivery_agent_args: "%from%"
mail_delivery_agent_args: "-d"
mail_delivery_agent_args: "%to%"
CONF
	openssl req -x509 -newkey rsa:2048 -nodes -days 2 -subj /CN=mta.example.com \
		-keyout "$e/certs/mta.example.com/privkey.pem" -out "$e/certs/mta.example.com/fullchain.pem" 2>/dev/null
	chasquid-util --configdir="$e" user-add sender@example.com --password=zoo-password >/dev/null
	HOSTS_SAVED=$d/hosts.orig
	cp /etc/hosts "$HOSTS_SAVED"
	echo "127.0.0.2 example.net" >>/etc/hosts
	python3 "$HERE/sink.py" 127.0.0.2:25 "$d/out" --size 20000 >"$d/sink.log" 2>&1 &
	echo $! >"$d/sink.pid"
	python3 "$HERE/sink.py" "$SENDER_PORT" "$d/out" >"$d/sender.log" 2>&1 &
	echo $! >"$d/sender.pid"
	wait_port "$SENDER_PORT"
	chasquid -config_dir "$e" -logfile "$d/chasquid.log" &
	echo $! >"$d/chasquid.pid"
	wait_port "$MTA_PORT"
	python3 "$HERE/send.py" --auth sender@example.com:zoo-password 127.0.0.1 "$MTA_PORT" chasquid \
		unknown-user mailbox-full size-limit policy-ja multi
	wait_bounces "$d" 5
	kill "$(cat "$d/chasquid.pid")" || true
	stop_sink "$d"
	cat "$HOSTS_SAVED" >/etc/hosts
	HOSTS_SAVED=""
	collect "$d" chasquid
	apt_purge chasquid
}

# ---------------------------------------------------------------- maddy
# maddy is no Debian package: it is built from its Go module (v0.8.1, from
# the module proxy) in a directory of its own under $ZOO_TMP, with the
# module's own go.mod, whose replace directives (maddy's forks of go-imap,
# go-smtp and libdns-gandi) a build as a dependency would not apply; the
# repository's go.mod is not touched. It runs with a config and state of
# its own, an smtp endpoint on 127.0.0.1:2525 whose mail goes to a queue
# (target.queue) that hands it to a msgpipeline: example.net to a
# target.smtp on the sink, example.com to one on the other sink, the rest
# to target.remote (DNS, the unknown domain). The queue writes the DSNs
# (its bounce block sends those for example.com to the second sink). Its
# retry delay is compiled in (15 minutes, then 1.25 times longer each
# try), so for the two temporary cases max_tries is 1: the queue gives up
# after the first try and reports the last (4xx) reply. maddy writes only
# failure DSNs (no delay warning, no success report), and has no local
# domain here.
zoo_maddy() {
	local d=$ZOO_TMP/maddy src
	rm -rf "$d" && mkdir -p "$d/state" "$d/run" "$d/out"
	src=$(cd "$ZOO_TMP" && go mod download -json github.com/foxcpp/maddy@v0.8.1 | python3 -c 'import json,sys; print(json.load(sys.stdin)["Dir"])')
	cp -r "$src" "$d/src" && chmod -R u+w "$d/src"
	(cd "$d/src" && GOFLAGS=-buildvcs=false go build -o "$d/maddy" ./cmd/maddy) >"$d/build.log" 2>&1
	cat >"$d/maddy.conf" <<CONF
state_dir $d/state
runtime_dir $d/run
hostname mta.example.com
autogenerated_msg_domain mta.example.com
tls off
log $d/maddy.log

target.smtp zoo_sink {
    targets tcp://127.0.0.1:$SINK_PORT
    attempt_starttls no
}
target.smtp zoo_sender {
    targets tcp://127.0.0.1:$SENDER_PORT
    attempt_starttls no
}
target.remote zoo_dns {
}
msgpipeline zoo_routing {
    destination example.net {
        deliver_to &zoo_sink
    }
    destination example.com {
        deliver_to &zoo_sender
    }
    default_destination {
        deliver_to &zoo_dns
    }
}
target.queue zoo_queue {
    target &zoo_routing
    max_tries 1
    autogenerated_msg_domain mta.example.com
    bounce {
        destination example.com {
            deliver_to &zoo_sender
        }
        default_destination {
            reject 550 5.0.0 "no DSN but to example.com"
        }
    }
}
smtp tcp://127.0.0.1:$MTA_PORT {
    default_source {
        default_destination {
            deliver_to &zoo_queue
        }
    }
}
CONF
	start_sink "$d"
	"$d/maddy" --config "$d/maddy.conf" run >"$d/stderr.log" 2>&1 &
	echo $! >"$d/maddy.pid"
	wait_port "$MTA_PORT"
	run_cases "$d" maddy 8 unknown-user unknown-domain mailbox-full size-limit policy-ja greylist-expired multi quota-expired
	kill "$(cat "$d/maddy.pid")" || true
	stop_sink "$d"
	collect "$d" maddy
}

# ---------------------------------------------------------------- mox
# mox is no Debian package: it is built from its Go module (v0.0.15, from
# the module proxy) in a directory of its own under $ZOO_TMP, as maddy is
# (`go install mox@v0.0.15` fails here: it asks the proxy for the module's
# version list, which it refuses). Its config needs no real DNS: the
# example.net cases go through a Transport (mox.conf; config/config.go:
# "Transports are typically only configured when using smarthosts") of
# type SMTP to the sink, picked by a Route for example.net (domains.conf),
# and the unknown domain is left to its own DNS path. A transport's Host
# is a name, never an IP ("IP addresses are not valid DNS names",
# dns/dns.go ParseDomain), which mox looks up with a trailing dot
# (smtpclient/gather.go: name := host.Domain.ASCII + "."); its resolver
# (github.com/mjl-/adns) finds "sink.example.net." in /etc/hosts only if
# the line has that dot too, so for the run /etc/hosts has one (the
# machine's own is put back after). mox relays only for an authenticated
# account over TLS on its submission listener (127.0.0.1:2525, a throwaway
# certificate): sender@example.com is its account. It writes its DSNs into
# that account's Inbox, never by SMTP (queue/dsn.go, deliverDSN), so they
# are taken from `mox export maildir` (collect.py --mailbox). Its queue
# retries on a compiled-in schedule (7.5 minutes, doubling; a delay DSN at
# the 5th attempt, the failure at the 8th, queue/dsn.go): each next attempt
# is made at once with `mox queue schedule -now 0` (its help: "Schedule
# immediate delivery"). It treats a 552 at RCPT, an unresolvable domain and
# a transaction whose every recipient was refused (multi) as temporary, so
# those cases end that way too. It offers no DSN extension (no success
# report) and has no local delivery to a program here.
zoo_mox() {
	local d=$ZOO_TMP/mox src mox i
	rm -rf "$d" && mkdir -p "$d/config" "$d/data" "$d/out"
	src=$(cd "$ZOO_TMP" && go mod download -json github.com/mjl-/mox@v0.0.15 | python3 -c 'import json,sys; print(json.load(sys.stdin)["Dir"])')
	cp -r "$src" "$d/src" && chmod -R u+w "$d/src"
	(cd "$d/src" && GOFLAGS=-mod=mod go build -buildvcs=false -o "$d/mox" .) >"$d/build.log" 2>&1
	mox="$d/mox -config $d/config/mox.conf"
	openssl req -x509 -newkey rsa:2048 -nodes -days 2 -subj /CN=mta.example.com \
		-keyout "$d/config/key.pem" -out "$d/config/cert.pem" 2>/dev/null
	cat >"$d/config/mox.conf" <<CONF
DataDir: $d/data
LogLevel: debug
User: nobody
Hostname: mta.example.com
Postmaster:
	Account: sender
	Mailbox: Postmaster
Listeners:
	zoo:
		IPs:
			- 127.0.0.1
		Hostname: mta.example.com
		TLS:
			KeyCerts:
				-
					CertFile: $d/config/cert.pem
					KeyFile: $d/config/key.pem
		Submission:
			Enabled: true
			Port: $MTA_PORT
Transports:
	sink:
		SMTP:
			Host: sink.example.net
			Port: $SINK_PORT
			NoSTARTTLS: true
CONF
	cat >"$d/config/domains.conf" <<CONF
Domains:
	example.com: nil
Accounts:
	sender:
		Domain: example.com
		Destinations:
			sender@example.com: nil
Routes:
	-
		ToDomain:
			- example.net
		Transport: sink
CONF
	chown -R nobody:nogroup "$d/data"
	HOSTS_SAVED=$d/hosts.orig
	cp /etc/hosts "$HOSTS_SAVED"
	echo "127.0.0.1 sink.example.net." >>/etc/hosts
	start_sink "$d"
	$mox serve >"$d/mox.log" 2>&1 &
	echo $! >"$d/mox.pid"
	wait_port "$MTA_PORT"
	echo zoo-password-mox | $mox setaccountpassword sender >/dev/null
	python3 "$HERE/send.py" --auth sender@example.com:zoo-password-mox 127.0.0.1 "$MTA_PORT" mox \
		unknown-user unknown-domain mailbox-full size-limit policy-ja greylist-expired multi quota-expired
	# the 7 more attempts of its schedule, one after another
	for i in $(seq 7); do
		sleep 5
		$mox queue schedule -now 0 >/dev/null
	done
	sleep 10
	kill "$(cat "$d/mox.pid")" || true
	stop_sink "$d"
	cat "$HOSTS_SAVED" >/etc/hosts
	HOSTS_SAVED=""
	sleep 2
	$mox export maildir "$d/out" "$d/data/accounts/sender" Inbox
	collect "$d" mox --mailbox
}

# ---------------------------------------------------------------- nullmailer
# nullmailer takes mail on the command line only (its sendmail) and relays
# everything to its one smarthost, the sink (bounces to sender@example.com
# included); when the smarthost refuses for good, or a message outlives
# queuelifetime (60 s here), nullmailer-send moves it to the failed queue
# and writes a bounce with nullmailer-dsn. It sends no delay warnings and
# offers no DSN options, and a smarthost leaves no DNS path, so: all the
# cases but unknown-domain, success and the local ones. Its control files
# are the package's /etc/nullmailer (compiled in), removed after the purge.
# Its expiry bounce says "Action: delayed" (nullmailer-dsn's template for
# any 4.x.x status) but is the final one: collect.py names it so.
zoo_nullmailer() {
	local d=$ZOO_TMP/nullmailer e=/etc/nullmailer had_mailname=""
	rm -rf "$d" && mkdir -p "$d/out"
	[ -e /etc/mailname ] && had_mailname=1
	echo "nullmailer shared/mailname string mta.example.com" | debconf-set-selections
	echo "nullmailer nullmailer/relayhost string 127.0.0.1" | debconf-set-selections
	apt_install nullmailer
	# Debian's nullmailer takes its name from /etc/mailname (debconf's
	# shared/mailname above), not from me
	echo example.com >"$e/defaultdomain"
	: >"$e/adminaddr"
	echo "127.0.0.1 smtp --port=$SINK_PORT" >"$e/remotes"
	echo 60 >"$e/queuelifetime"
	echo 5 >"$e/pausetime"
	echo 10 >"$e/maxpause"
	start_sink "$d"
	runuser -u mail -- /usr/sbin/nullmailer-send >"$d/send.log" 2>&1 &
	echo $! >"$d/send.pid"
	python3 "$HERE/send.py" --sendmail /usr/sbin/sendmail nullmailer \
		unknown-user mailbox-full size-limit policy-ja greylist-expired multi quota-expired
	wait_bounces "$d" 7
	kill "$(cat "$d/send.pid")" || true
	stop_sink "$d"
	collect "$d" nullmailer
	apt_purge nullmailer
	# the control files written here and the spool (with the failed
	# messages), which the purge leaves
	rm -rf "$e" /var/spool/nullmailer
	# the package's postinst writes /etc/mailname, which the purge leaves
}

# ---------------------------------------------------------------- main
mkdir -p "$ZOO_TMP"
no_autostart
# Some MTAs (postfix, sendmail) log only to syslog: give them a /dev/log.
if [ ! -S /dev/log ]; then
	python3 "$HERE/devlog.py" "$ZOO_TMP/syslog" &
	DEVLOG_PID=$!
fi
for mta in "${@:-postfix exim opensmtpd sendmail courier dma haraka chasquid maddy mox nullmailer}"; do
	for m in $mta; do
		log "$m"
		"zoo_$m"
	done
done
log "done: review git diff bounce/testdata/zoo, then go test ./bounce -run TestZoo -zoo-update and check each .json by hand"
