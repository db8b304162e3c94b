package classify

import "testing"

func toRemote(mta string, in Input) Input {
	in.RemoteMTA = mta
	return in
}

// TestClassify_looFamilies holds, for each reason whose wording the
// leave-one-out test (cmd/bounced/loo_test.go) showed remembered from one
// corpus message, ordinary phrasings of the reason's definition: a
// subject (domain, host; user, mailbox, account; mailbox folder, disk
// space; line; connection; TLS) with a predicate (does not exist, not
// found, not reachable; disabled, locked, suspended; full, not enough;
// too long; not supported). None is a corpus message's text: they are
// the sentences a server that wrote the definition in its own words
// would send. Rules: 28-loo.tsv.
func TestClassify_looFamilies(t *testing.T) {
	tests := []clearCase{
		// host_unknown: RFC 3463 X.1.2 (the destination system does
		// not exist), RFC 1035 NXDOMAIN.
		{"no such mail domain", failedReply("550", "5.1.2", "RCPT", "550 5.1.2 No such mail domain"), HostUnknown},
		{"no such domain name", failedReply("", "5.0.0", "", "No such domain name: example.net"), HostUnknown},
		{"recipient domain does not exist", failedReply("550", "5.1.2", "RCPT", "550 5.1.2 The recipient's domain example.net does not exist"), HostUnknown},
		{"mail domain not exist", failedReply("550", "", "", "550 mail domain example.net not exist"), HostUnknown},
		{"domain unreachable", failedReply("554", "5.4.4", "", "554 5.4.4 Destination domain example.net is unreachable"), HostUnknown},
		{"domain cannot be reached", failedReply("554", "5.0.0", "", "554 The domain example.net cannot be reached"), HostUnknown},
		{"host not found in dns, no status", Input{Action: "failed", Diagnostic: "Lookup of host mx.example.net failed: host mx.example.net not found"}, HostUnknown},
		{"your message, the domain unreachable", failedReply("", "", "", "Your message to jdoe@example.net could not be delivered: the domain example.net is unreachable"), HostUnknown},
		{"check the domain and try again", failedReply("554", "5.0.0", "", "554 Delivery failed because the domain cannot be reached. Please check the domain and try again"), HostUnknown},
		{"domain is unknown", failedReply("550", "", "", "550 Domain example.net is unknown"), HostUnknown},
		{"unknown mail domain", failedReply("550", "", "", "550 unknown mail domain example.net"), HostUnknown},
		{"recipient domain is invalid", failedReply("550", "", "", "550 Recipient domain example.net is invalid"), HostUnknown},
		{"hostname not found", failedReply("", "5.1.2", "", "hostname mail.example.net not found"), HostUnknown},

		// user_unknown: RFC 3463 X.1.1 (the mailbox specified in the
		// address does not exist).
		{"user does not exist, address between", failedReply("550", "5.1.1", "RCPT", "550 5.1.1 User <jdoe@example.net> does not exist"), UserUnknown},
		{"mailbox not exist", failedReply("550", "", "RCPT", "550 Mailbox jdoe@example.net not exist"), UserUnknown},
		{"recipient not found, address between", failedReply("550", "5.1.1", "RCPT", "550 5.1.1 Recipient jdoe@example.net not found"), UserUnknown},
		{"account does not exist here", failedReply("550", "", "RCPT", "550 The account jdoe@example.net does not exist here"), UserUnknown},

		{"mailbox is unknown, address between", failedReply("550", "", "RCPT", "550 Mailbox jdoe@example.net is unknown"), UserUnknown},
		{"recipient mailbox unknown", failedReply("550", "", "RCPT", "550 Recipient mailbox jdoe@example.net unknown"), UserUnknown},
		{"address is invalid", failedReply("550", "", "RCPT", "550 Address jdoe@example.net is invalid"), UserUnknown},

		{"address is not registered", failedReply("550", "", "RCPT", "550 The email address jdoe@example.net is not registered"), UserUnknown},
		{"account not registered here", failedReply("550", "", "RCPT", "550 This account is not registered on this server"), UserUnknown},

		// suspended: RFC 3463 X.2.1 (mailbox disabled, not accepting
		// messages).
		{"user account is disabled", failedReply("550", "5.2.1", "RCPT", "550 5.2.1 The user account jdoe@example.net is disabled"), Suspended},
		{"mailbox temporarily locked", delayedReply("450", "4.2.1", "RCPT", "450 4.2.1 Mailbox jdoe@example.net temporarily locked, try later"), Suspended},
		{"account has been locked", failedReply("550", "5.2.1", "RCPT", "550 Recipient account has been locked"), Suspended},
		{"user is temporarily locked", failedReply("550", "", "RCPT", "550 User jdoe@example.net is temporarily locked"), Suspended},
		{"recipient account has been blocked", failedReply("550", "5.2.1", "RCPT", "550 5.2.1 The recipient account has been blocked"), Suspended},

		{"your message, the account is disabled", failedReply("550", "", "RCPT", "550 Your message was not delivered: the account jdoe@example.net is disabled"), Suspended},

		{"mailbox is inactive", failedReply("550", "", "RCPT", "550 Mailbox jdoe@example.net is inactive"), Suspended},

		{"mailbox has been closed", failedReply("550", "", "RCPT", "550 This mailbox has been closed"), Suspended},
		{"account is expired", failedReply("550", "", "RCPT", "550 User account is expired"), Suspended},

		// mailbox_full: RFC 3463 X.2.2 (mailbox full).
		{"mail folder of the user is full", failedReply("552", "5.2.2", "", "552 The mail folder of jdoe@example.net is full"), MailboxFull},
		{"mailfolder full", delayedReply("452", "4.2.2", "", "452 mailfolder full"), MailboxFull},
		{"not enough storage space", delayedReply("452", "4.2.2", "", "452 4.2.2 Not enough storage space for jdoe@example.net"), MailboxFull},
		{"not enough mailbox space", delayedReply("452", "", "", "452 Not enough mailbox space left"), MailboxFull},

		{"quota of the mailbox exceeded", delayedReply("452", "", "RCPT", "452 Quota of jdoe@example.net exceeded"), MailboxFull},

		{"mailbox has no space left", delayedReply("452", "", "", "452 The mailbox of jdoe@example.net has no space left"), MailboxFull},

		// message_too_big: RFC 5321 section 4.5.3.1.6 (text line limit).
		{"lines too long", failedReply("550", "5.0.0", "DATA", "550 message has lines too long for transport"), MessageTooBig},
		{"line length limit exceeded", failedReply("554", "5.0.0", "DATA", "554 line length limit exceeded"), MessageTooBig},

		// failed_starttls: RFC 3207.
		{"tls not supported by the server", failedReply("", "5.0.0", "", "TLS is not supported by the remote server"), FailedSTARTTLS},
		{"server does not offer tls", failedReply("", "5.0.0", "", "The remote server does not offer TLS"), FailedSTARTTLS},

		// not_accept: RFC 7505 (null MX: the domain accepts no mail).
		{"mx indicated no smtp service", failedReply("", "5.1.10", "", "the MX record of example.net indicates no SMTP service"), NotAccept},
		{"no mx found", failedReply("", "5.0.0", "", "No MX record found for example.net"), NotAccept},

		// too_many_connections: Sendmail's ratecontrol, Postfix's
		// smtpd_client_connection_rate_limit.
		{"connection rate exceeded", delayedReply("421", "4.7.0", "", "421 4.7.0 Connection rate exceeded for 192.0.2.1"), TooManyConnections},
		{"connection rate limit reached", delayedReply("421", "", "", "421 client connection rate limit reached, try later"), TooManyConnections},

		// policy_violation: RFC 3463 X.7.1 (delivery not authorized,
		// message refused).
		{"violation of policy", failedReply("550", "5.7.1", "DATA", "550 5.7.1 Message refused: violation of site policy"), PolicyViolation},
		{"policy violation detected", failedReply("554", "5.7.1", "DATA", "554 5.7.1 Policy violation detected in message"), PolicyViolation},

		// require_ptr: Sendmail FEATURE(require_rdns).
		{"ip name lookup", delayedReply("450", "4.7.1", "", "450 4.7.1 Access denied: IP name lookup of 192.0.2.1 failed"), RequirePTR},

		// network_error (transient): RFC 3463 X.4.4 (unable to route).
		{"could not find a route", delayedReply("", "4.4.4", "", "Routing: could not find any gateway to example.net"), NetworkError},
		{"no gateway", delayedReply("", "", "", "no gateway found for this recipient"), NetworkError},

		// no_relaying: a server that relays only for its own users.
		{"not allowed to relay, address between", failedReply("550", "5.7.1", "RCPT", "550 5.7.1 <jdoe@example.net>: this server is not set up to relay for you"), NoRelaying},
		{"does not allow relaying", failedReply("554", "5.7.1", "RCPT", "554 5.7.1 This server does not allow relaying"), NoRelaying},
		{"ses domain not verified", toRemote("email-smtp.us-east-1.amazonaws.com", failedReply("554", "", "DATA", "554 Message rejected: Sending domain is not verified")), NoRelaying},

		// blocked: a blocklist's lookup address in the reply.
		{"spamhaus lookup url", failedReply("553", "5.1.3", "", "553 Rejected, see https://check.spamhaus.org/listed/?searchterm=192.0.2.1"), Blocked},

		// Facebook Postmaster, SMTP Response Codes,
		// http://postmaster.facebook.com/response_codes
		{"facebook rcp-p2", failedReply("550", "5.1.1", "RCPT", "550 5.1.1 RCP-P2 http://postmaster.facebook.com/response_codes?ip=192.0.2.1#rcp"), Filtered},
		{"facebook rcp-p1", failedReply("550", "5.1.1", "RCPT", "550 5.1.1 RCP-P1 http://postmaster.facebook.com/response_codes?ip=192.0.2.1#rcp"), UserUnknown},
		{"facebook msg-p1", failedReply("552", "5.3.4", "DATA", "552 5.3.4 MSG-P1 http://postmaster.facebook.com/response_codes?ip=192.0.2.1#msg"), MessageTooBig},
		{"facebook dns-p3", failedReply("550", "5.7.1", "MAIL", "550 5.7.1 DNS-P3 http://postmaster.facebook.com/response_codes?ip=192.0.2.1#dns"), RequirePTR},

		{"remote host closed the connection", delayedReply("", "", "", "Remote host closed connection during session"), NetworkError},

		// expired: Exim's retry rules.
		{"hosts failing too long", failedReply("", "", "", "all hosts for example.net have been failing for too long"), Expired},
	}
	checkClear(t, tests)
}

// TestClassify_looFamiliesNot holds sentences a family must not catch:
// the sender's side, a negation, another cause.
func TestClassify_looFamiliesNot(t *testing.T) {
	for _, tc := range []struct {
		name string
		in   Input
		not  Reason
	}{
		{"sender domain does not exist", failedReply("553", "5.1.8", "MAIL", "553 5.1.8 Sender address rejected: sender domain example.org does not exist"), HostUnknown},
		{"your domain not reachable", failedReply("550", "5.7.1", "", "550 Your domain example.org is not reachable from here, we cannot verify it"), HostUnknown},
		{"the user's domain does not exist", failedReply("550", "5.1.2", "RCPT", "550 5.1.2 The user's domain example.net does not exist"), UserUnknown},
		{"sender user does not exist", failedReply("553", "5.1.7", "MAIL", "553 Sender user jdoe@example.org does not exist"), UserUnknown},
		{"your user is locked", failedReply("535", "5.7.8", "AUTH", "535 5.7.8 Your user jdoe@example.org is locked, contact support"), Suspended},
		{"sender mailbox disabled", failedReply("550", "5.7.1", "", "550 Sender mailbox jdoe@example.org disabled for sending spam"), Suspended},
		{"disk space of the system", delayedReply("452", "4.3.1", "", "452 4.3.1 Insufficient system storage"), MailboxFull},
		{"tls is supported", failedReply("550", "5.7.1", "DATA", "550 5.7.1 Message rejected as spam"), FailedSTARTTLS},
		{"no mx and no a record", failedReply("550", "5.1.2", "RCPT", "550 5.1.2 example.net: no MX or A record found (NXDOMAIN)"), NotAccept},
		{"sender domain unknown", failedReply("553", "5.1.8", "", "553 5.1.8 Sender domain example.org unknown"), HostUnknown},
		{"user's domain is unknown", failedReply("550", "5.1.2", "", "550 The user's domain example.net is unknown"), UserUnknown},
		{"your ip address is invalid", failedReply("554", "", "", "554 Your IP address 192.0.2.1 is invalid for this service"), UserUnknown},
		{"your account is not registered", failedReply("535", "", "", "535 Your account jdoe@example.org is not registered for SMTP AUTH"), UserUnknown},
		{"your account is expired", failedReply("535", "", "", "535 Your account jdoe@example.org is expired, renew it to send"), Suspended},
		{"connection refused", delayedReply("", "4.4.1", "", "Connection refused"), TooManyConnections},
	} {
		t.Run(tc.name, func(t *testing.T) {
			if v := Classify(tc.in); v.Reason == tc.not {
				t.Errorf("Classify(%q) = %s (rule %q), must not be", tc.in.Diagnostic, v.Reason, v.Rule)
			}
		})
	}
}
