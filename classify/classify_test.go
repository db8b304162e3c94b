package classify

import (
	"strings"
	"testing"
)

type classifyCase struct {
	name string
	in   Input
	want Reason
	hard *bool // nil: the reason's default
}

func runCases(t *testing.T, cases []classifyCase) {
	t.Helper()
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			got := Classify(tc.in)
			if got.Reason != tc.want {
				t.Fatalf("Classify(%+v) = %s (rule %q), want %s", tc.in, got.Reason, got.Rule, tc.want)
			}
			if got.Category != tc.want.Category() {
				t.Errorf("Classify() category = %s, want %s", got.Category, tc.want.Category())
			}
			wantHard := tc.want.Hard()
			if tc.hard != nil {
				wantHard = *tc.hard
			}
			if got.Hard != wantHard {
				t.Errorf("Classify() hard = %v (rule %q), want %v", got.Hard, got.Rule, wantHard)
			}
			if got.Rule == "" {
				t.Errorf("Classify() rule is empty")
			}
		})
	}
}

// sendLog builds a send-log input: status, reply code and text, as an SMTP
// client logs the reply it got.
func sendLog(status, code, text string) Input {
	return Input{Status: status, ReplyCode: code, Diagnostic: text}
}

// dsn builds a recipient of a delivery report (Action: failed) with its
// status, reply code, SMTP command (maybe empty) and text.
func dsn(status, code, command, text string) Input {
	return Input{Status: status, ReplyCode: code, Command: command, Diagnostic: text, Action: "failed"}
}

func TestClassify_english(t *testing.T) {
	runCases(t, []classifyCase{
		{"postfix local recipient table", sendLog("5.1.1", "550", "550 5.1.1 <kijitora@example.jp>: Recipient address rejected: User unknown in local recipient table"), UserUnknown, nil},
		{"sendmail user unknown", sendLog("5.1.1", "550", "550 5.1.1 <neko@example.org>... User unknown"), UserUnknown, nil},
		{"exim no such user", sendLog("", "550", "550 No such user here"), UserUnknown, nil},
		{"exchange recipient not found", sendLog("5.1.10", "550", "550 5.1.10 RESOLVER.ADR.RecipientNotFound; Recipient not found by SMTP address lookup"), UserUnknown, nil},
		{"gmail no such account", sendLog("5.1.1", "550", "550-5.1.1 The email account that you tried to reach does not exist. Please try 550-5.1.1 double-checking the recipient's email address for typos"), UserUnknown, nil},
		{"yahoo no account", sendLog("5.0.0", "554", "554 delivery error: dd This user doesn't have a yahoo.com account (x@yahoo.com) [0] - mta1.mail.ne1.yahoo.com"), UserUnknown, nil},
		{"mailbox unavailable", sendLog("5.5.0", "550", "550 Requested action not taken: mailbox unavailable"), UserUnknown, nil},
		{"unknown user after data is filtered", Input{Status: "5.0.0", ReplyCode: "550", Command: "DATA", Diagnostic: "550 Unknown user"}, Filtered, nil},
		{"has moved", sendLog("5.1.6", "551", "551 5.1.6 The user has moved, no forwarding address"), HasMoved, nil},
		{"has been replaced", sendLog("", "550", "550 <old@example.org> has been replaced by <new@example.org>"), HasMoved, nil},
		{"host unknown", sendLog("5.1.2", "550", "550 5.1.2 Host unknown (Name server: example.invalid: host not found)"), HostUnknown, nil},
		{"no such domain", sendLog("", "", "No such domain."), HostUnknown, nil},
		{"unrouteable address", sendLog("", "", "Unrouteable address"), HostUnknown, nil},
		{"null mx", sendLog("5.1.10", "556", "556 5.1.10 Recipient address has null MX"), NotAccept, nil},
		{"null mx temporary", sendLog("4.0.0", "", "DNS Error: DNS type 'mx' lookup of example.org responded with code NOERROR The domain example.org doesn't receive email according to the administrator: returned Null MX"), NotAccept, no},
		{"mailbox full", sendLog("5.2.2", "552", "552 5.2.2 <neko@example.jp>: Recipient address rejected: Mailbox full"), MailboxFull, nil},
		{"over quota", sendLog("4.2.2", "452", "452 4.2.2 Over quota"), MailboxFull, nil},
		{"mailfolder is full", sendLog("", "", "The e-mail message could not be delivered because the user's mailfolder is full."), MailboxFull, nil},
		{"message too big", sendLog("5.3.4", "552", "552 5.3.4 Message size exceeds fixed limit"), MessageTooBig, nil},
		{"exceed admin limit", sendLog("5.2.3", "552", "552 5.2.3 Message size exceeds fixed maximum message size (10485760)"), ExceedLimit, nil},
		{"blocked by spamhaus", sendLog("5.7.1", "554", "554 5.7.1 Service unavailable; Client host [192.0.2.1] blocked using zen.spamhaus.org"), Blocked, nil},
		{"outlook block list", sendLog("5.7.1", "550", "550 5.7.1 Unfortunately, messages from [192.0.2.1] weren't sent. Please contact your Internet service provider since part of their network is on our block list (S3150)."), Blocked, nil},
		{"sender rejected", sendLog("5.1.8", "553", "553 5.1.8 <x@example.org>: Sender address rejected: Domain not found"), Rejected, nil},
		{"unroutable sender", sendLog("", "550", "550 Unroutable sender address"), Rejected, nil},
		{"policy reasons", sendLog("5.7.9", "554", "554 5.7.9 Message not accepted for policy reasons. See https://postmaster.yahooinc.com/error-codes"), PolicyViolation, nil},
		{"spam content", sendLog("5.7.1", "550", "550 5.7.1 Message content rejected, UBE, id=12345"), SpamDetected, nil},
		{"spam rejected", sendLog("5.7.1", "554", "554 5.7.1 This message has been flagged as spam"), SpamDetected, nil},
		{"virus", sendLog("5.7.1", "554", "554 5.7.1 The message was rejected because it contains a virus (Eicar-Test-Signature)"), VirusDetected, nil},
		{"content filtered by recipient", sendLog("", "550", "550 Your message was rejected by recipients"), Filtered, nil},
		{"dmarc", sendLog("5.7.1", "550", "550 5.7.1 Email rejected per DMARC policy for example.org"), AuthFailure, nil},
		{"spf", sendLog("5.7.23", "550", "550 5.7.23 SPF validation failed"), AuthFailure, nil},
		{"gmail unauthenticated", sendLog("5.7.26", "550", "550-5.7.26 This mail is unauthenticated, which poses a security risk to the sender and Gmail users, and has been blocked."), AuthFailure, nil},
		{"reputation", sendLog("4.7.650", "451", "451 4.7.650 The mail server [192.0.2.25] has been temporarily rate limited due to IP reputation."), BadReputation, nil},
		{"ptr", sendLog("5.7.1", "550", "550 5.7.1 Client host rejected: cannot find your hostname, [192.0.2.1]"), RequirePTR, nil},
		{"reverse dns", sendLog("", "571", "571 No PTR Record found. Reverse DNS required"), RequirePTR, nil},
		{"rfc 5322", sendLog("5.7.1", "550", "550-5.7.1 This message is not RFC 5322 compliant. There are multiple Subject 550-5.7.1 headers."), NotCompliantRFC, nil},
		{"multiple from split over lines", sendLog("5.7.1", "550", "550-5.7.1 [192.0.2.1 13] Messages with multiple 550-5.7.1 addresses in From: header are not accepted."), NotCompliantRFC, nil},
		{"smtp auth required", sendLog("5.7.0", "530", "530 5.7.0 Authentication required"), SecurityError, nil},
		{"unauthenticated senders", sendLog("", "550", "550 Unauthenticated senders not allowed"), SecurityError, nil},
		{"8 bit header", sendLog("5.6.9", "550", "550 5.6.9 improper use of 8-bit data in message header"), ContentError, nil},
		{"relay denied", sendLog("5.7.1", "554", "554 5.7.1 <x@example.org>: Relay access denied"), NoRelaying, nil},
		{"qmail rcpthosts", sendLog("5.7.1", "553", "553 sorry, that domain isn't in my list of allowed rcpthosts (#5.7.1)"), NoRelaying, nil},
		{"starttls required", sendLog("5.7.10", "530", "530 5.7.10 Must issue a STARTTLS command first"), FailedSTARTTLS, nil},
		{"tls not supported", sendLog("", "500", "500 Remote server does not support TLS"), FailedSTARTTLS, nil},
		{"suppression list", sendLog("", "", "Amazon SES has suppressed sending to this address because it has a recent history of bouncing as an invalid address."), Suppressed, nil},
		{"gmail receiving rate", sendLog("5.2.1", "550", "550-5.2.1 The user you are trying to contact is receiving mail at a rate that 550-5.2.1 prevents additional messages from being delivered."), RateLimited, nil},
		{"rate limit", sendLog("4.7.0", "421", "421 4.7.0 Rate limit exceeded, please try again later"), RateLimited, nil},
		{"too many connections", sendLog("4.7.0", "421", "421 4.7.0 Too many concurrent SMTP connections from this IP address; please try again later"), TooManyConnections, nil},
		{"connection rate", sendLog("4.3.2", "452", "452 4.3.2 Connection rate limit exceeded."), TooManyConnections, nil},
		{"account disabled", sendLog("5.2.1", "550", "550 5.2.1 The email account that you tried to reach is disabled."), Suspended, nil},
		{"disabled or discontinued", sendLog("", "554", "554 delivery error: dd Sorry your message to x@example.com cannot be delivered. This account has been disabled or discontinued [#102]."), Suspended, nil},
		{"queue expired", sendLog("4.4.7", "", "retry timeout exceeded"), Expired, nil},
		{"qmail queue too long", sendLog("4.4.1", "", "Sorry, I wasn't able to establish an SMTP connection. (#4.4.1) I'm not going to try again; this message has been in the queue too long."), Expired, nil},
		{"connection timed out", sendLog("4.4.1", "", "connect to mx.example.jp[192.0.2.79]:25: Connection timed out"), Expired, nil},
		{"no route to host", sendLog("4.4.1", "", "connect to mx.example.com[192.0.2.2]:25: No route to host"), NetworkError, nil},
		{"routing loop", sendLog("5.4.6", "554", "554 5.4.6 Too many hops"), NetworkError, nil},
		{"temporary dns", sendLog("4.0.0", "", "DNS Error: DNS type 'mx' lookup of example.jp responded with code NXDOMAIN Domain name not found: example.jp"), NetworkError, nil},
		{"name service try again", sendLog("", "", "Name service error for domain example.com: Host not found, try again"), NetworkError, nil},
		{"internal error", sendLog("4.3.0", "451", "451 4.3.0 Internal error, try again later"), SystemError, nil},
		{"could not load drd", sendLog("", "451", "451 Could not load DRD for domain (example.com)"), SystemError, nil},
		{"disk space", sendLog("4.3.1", "452", "452 4.3.1 Insufficient system storage"), SystemFull, nil},
		{"procmail", sendLog("", "", "procmail: Couldn't create \"/var/spool/mail/neko\""), MailerError, nil},
		{"pipe command", sendLog("5.3.0", "", "Command died with status 1: \"/usr/local/bin/filter\""), MailerError, nil},
		{"syntax error", sendLog("5.5.2", "500", "500 5.5.2 Syntax error, command unrecognized"), SyntaxError, nil},
		{"bad sequence", sendLog("5.5.1", "503", "503 5.5.1 Bad sequence of commands"), SyntaxError, nil},
		{"not configured to relay", sendLog("5.7.1", "550", "550 5.7.1 This server is not configured to relay mail for example.org"), NoRelaying, nil},
		{"protocol violation", sendLog("", "554", "554 SMTP protocol violation, closing connection"), PolicyViolation, nil},
		{"greeting refused", sendLog("", "421", "host mx.example.com[192.0.2.1] refused to talk to me: 421 Service not available, closing transmission channel"), Blocked, nil},
		{"helo rejected", sendLog("5.0.0", "501", "Connected to 192.0.2.112 but my name was rejected. Remote host said: 501 5.0.0 Invalid domain name"), Blocked, nil},
		{"refused at mail from", Input{Status: "5.1.0", ReplyCode: "553", Command: "MAIL", Diagnostic: "553 5.1.0 neko.example.com does not exist"}, Rejected, nil},
		{"unknown text is on hold", sendLog("4.0.0", "450", "450 4.0.0 Temporary failure"), OnHold, nil},
	})
}

// TestClassify_stage covers the SMTP stage and the report's evidence:
// what a "user unknown" (or "access denied") means depends on when and
// how it was said.
func TestClassify_stage(t *testing.T) {
	runCases(t, []classifyCase{
		{"gateway unknown user, no stage", dsn("5.0.0", "550", "", "550 Unknown user postmaster-test@example.net"), Filtered, nil},
		{"gateway no such user, no codes", dsn("", "", "", "No such user: kuro@example.org"), Filtered, nil},
		{"gateway japanese, no stage", dsn("", "", "", "宛先のユーザは存在しません"), Filtered, nil},
		{"report at rcpt keeps user unknown", dsn("5.0.0", "550", "RCPT", "550 <kuro@example.org>... No such user"), UserUnknown, nil},
		{"report with 5.1.1 keeps user unknown", dsn("5.1.1", "550", "", "550 5.1.1 <kuro@example.org>... User unknown"), UserUnknown, nil},
		{"report with decoder hint keeps user unknown", Input{Status: "5.0.0", Action: "failed", Diagnostic: "Unknown recipient", Hint: UserUnknown}, UserUnknown, nil},
		{"local delivery program failed (x-unix)", Input{Status: "4.3.0", Action: "failed", DiagnosticType: "x-unix", Diagnostic: "temporary failure"}, MailerError, nil},
		{"smtp diagnostic type keeps the status", Input{Status: "4.3.0", Action: "failed", DiagnosticType: "smtp", Diagnostic: "temporary failure"}, SystemError, nil},
		{"send log takes the reply at face value", sendLog("", "550", "550 Unknown user postmaster-test@example.net"), UserUnknown, nil},
		{"unknown after data", dsn("5.0.0", "550", "DATA", "550 Unknown user"), Filtered, nil},
		{"mailbox status 5.2.1 without command", dsn("5.2.1", "550", "", "550 5.2.1 <kuro@example.org>... User unknown"), Filtered, nil},
		{"unknown at mail from is the sender", dsn("5.1.0", "553", "MAIL", "553 5.1.0 <s@example.com>... User unknown"), Rejected, nil},
		{"access denied at rcpt", dsn("5.7.1", "550", "RCPT", "550 5.7.1 <kuro@example.org>... Access denied"), SecurityError, nil},
		{"access denied at ehlo", dsn("5.7.1", "550", "HELO", "550 5.7.1 Access denied"), SecurityError, nil},
		{"access denied, no stage", dsn("5.7.1", "550", "", "550 5.7.1 <bounce-123@mail.example.com>... Access denied"), SecurityError, nil},
		{"access denied at mail from", dsn("5.7.1", "550", "MAIL", "550 5.7.1 <s@example.com>... Access denied"), Rejected, nil},
		{"generic access denied at connect stays blocked", dsn("5.0.0", "550", "CONN", "550 Access denied - go away"), Blocked, nil},
	})
}

// TestClassify_expiry covers giving up by time against the network or
// system error met on the way.
func TestClassify_expiry(t *testing.T) {
	runCases(t, []classifyCase{
		{"connection refused after the queue lifetime", dsn("4.4.7", "", "", "Deferred: Connection refused by mail.example.net."), Expired, nil},
		{"timed out after the queue lifetime", dsn("4.4.7", "", "", "Deferred: Connection timed out with mx.example.org."), Expired, nil},
		{"connection refused, still retrying", dsn("4.4.1", "", "", "connect to mx.example.org[192.0.2.9]:25: Connection refused"), NetworkError, nil},
		{"hint expired over network text", Input{Status: "4.4.1", Action: "failed", Diagnostic: "Sorry, I couldn't establish a connection to the remote host. (#4.4.1)", Hint: Expired}, Expired, nil},
		{"hint expired over system text", Input{Status: "4.3.0", Action: "failed", Diagnostic: "Resources temporarily unavailable, try again later (#4.3.0)", Hint: Expired}, Expired, nil},
		{"hint expired loses to a refusal", Input{Status: "5.7.1", Action: "failed", Command: "MAIL", Diagnostic: "553 5.7.1 Sender address rejected: not permitted", Hint: Expired}, Rejected, nil},
		{"delay notice with a network class", Input{Action: "delayed", Status: "4.4.0"}, Expired, nil},
		{"delay notice with mailbox full", Input{Action: "delayed", Status: "4.2.2", Diagnostic: "452 4.2.2 Mailbox full"}, MailboxFull, nil},
	})
}

func TestClassify_japanese(t *testing.T) {
	runCases(t, []classifyCase{
		{"user name does not exist", sendLog("5.1.1", "550", "550 5.1.1 ユーザ名が存在しません"), UserUnknown, nil},
		{"user does not exist, no codes", sendLog("", "", "宛先のユーザーは存在しません"), UserUnknown, nil},
		{"mailbox full", sendLog("", "552", "552 メールボックスがいっぱいです"), MailboxFull, nil},
		{"capacity exceeded", sendLog("", "", "受信者のメールボックスの容量を超えています"), MailboxFull, nil},
		{"size too big", sendLog("", "552", "552 メールサイズが大きすぎます"), MessageTooBig, nil},
		{"spam", sendLog("", "550", "550 迷惑メールと判定されたため受信を拒否しました"), SpamDetected, nil},
		{"virus", sendLog("", "554", "554 ウイルスが検出されました"), VirusDetected, nil},
		{"recipient refuses", sendLog("", "550", "550 受信拒否設定により配送できません"), Filtered, nil},
		{"suspended", sendLog("", "550", "550 このアカウントは利用停止中です"), Suspended, nil},
		{"domain does not exist", sendLog("", "", "ドメインが存在しません"), HostUnknown, nil},
		{"reverse lookup", sendLog("", "550", "550 逆引きできないホストからの接続は拒否します"), RequirePTR, nil},
		{"relay refused", sendLog("", "554", "554 中継を拒否しました"), NoRelaying, nil},
		{"connection count", sendLog("", "421", "421 接続数が多すぎます"), TooManyConnections, nil},
		{"impersonation", sendLog("", "550", "550 なりすましメールの可能性があるため拒否しました"), AuthFailure, nil},
	})
}

func TestClassify_statusOnly(t *testing.T) {
	runCases(t, []classifyCase{
		{"5.1.1", Input{Status: "5.1.1"}, UserUnknown, nil},
		{"5.1.2", Input{Status: "5.1.2"}, HostUnknown, nil},
		{"5.1.6", Input{Status: "5.1.6"}, HasMoved, nil},
		{"5.1.10", Input{Status: "5.1.10"}, NotAccept, nil},
		{"5.2.1", Input{Status: "5.2.1"}, Suspended, nil},
		{"5.2.2", Input{Status: "5.2.2"}, MailboxFull, nil},
		{"4.2.2", Input{Status: "4.2.2"}, MailboxFull, nil},
		{"5.2.3", Input{Status: "5.2.3"}, ExceedLimit, nil},
		{"5.3.1", Input{Status: "5.3.1"}, SystemFull, nil},
		{"5.3.4", Input{Status: "5.3.4"}, MessageTooBig, nil},
		{"4.4.7", Input{Status: "4.4.7"}, Expired, nil},
		{"5.4.6", Input{Status: "5.4.6"}, NetworkError, nil},
		{"5.5.3", Input{Status: "5.5.3"}, TooManyConnections, nil},
		{"5.6.1", Input{Status: "5.6.1"}, ContentError, nil},
		{"5.7.1", Input{Status: "5.7.1"}, Rejected, nil},
		{"5.7.8", Input{Status: "5.7.8"}, SecurityError, nil},
		{"5.7.10", Input{Status: "5.7.10"}, FailedSTARTTLS, nil},
		{"5.7.13", Input{Status: "5.7.13"}, Suspended, nil},
		{"5.7.25", Input{Status: "5.7.25"}, RequirePTR, nil},
		{"5.7.26", Input{Status: "5.7.26"}, AuthFailure, nil},
		{"5.7.606 microsoft banned ip", Input{Status: "5.7.606"}, Blocked, nil},
		{"4.7.650 microsoft reputation", Input{Status: "4.7.650"}, BadReputation, nil},
		{"status with comment", Input{Status: "5.1.1 (bad destination mailbox address)"}, UserUnknown, nil},
		{"reply code 552 only", Input{ReplyCode: "552"}, MailboxFull, nil},
		{"reply code 556 only", Input{ReplyCode: "556"}, NotAccept, nil},
		{"reply code 530 only", Input{ReplyCode: "530"}, SecurityError, nil},
		{"delayed without text", Input{Action: "delayed", Status: "4.0.0"}, Expired, nil},
		{"nothing at all", Input{}, Undefined, nil},
	})
}

func TestClassify_textOnly(t *testing.T) {
	// Send logs often keep only the server's line: codes are read from it.
	runCases(t, []classifyCase{
		{"codes in the text", Input{Diagnostic: "550 5.1.1 <a@example.com>: Recipient address rejected: User unknown"}, UserUnknown, nil},
		{"status in the text only", Input{Diagnostic: "550 5.2.2 quota"}, MailboxFull, nil},
		{"generic status, specific text status", Input{Status: "5.0.0", Diagnostic: "550 5.7.26 message rejected"}, AuthFailure, nil},
		{"text status beyond a generic one", Input{Status: "5.0.0", Diagnostic: "554 5.7.25 please see our docs"}, RequirePTR, nil},
		{"reply code 521 in text", Input{Diagnostic: "521 example.org does not accept mail"}, NotAccept, nil},
	})
}

func TestClassify_providers(t *testing.T) {
	runCases(t, []classifyCase{
		{"docomo unknown user after data", Input{Status: "5.2.0", ReplyCode: "550", RemoteMTA: "mfsmax.docomo.ne.jp", Diagnostic: "550 Unknown user x@docomo.ne.jp"}, Filtered, nil},
		{"docomo unknown user at rcpt", Input{Status: "5.1.1", ReplyCode: "550", Command: "RCPT", RemoteMTA: "mfsmax.docomo.ne.jp", Diagnostic: "550 Unknown user x@docomo.ne.jp"}, UserUnknown, nil},
		{"docomo too many recipients", Input{Status: "5.0.0", ReplyCode: "552", Recipient: "x@docomo.ne.jp", Diagnostic: "552 Too many recipients"}, TooManyConnections, nil},
		{"au user unknown without address", Input{Status: "5.0.0", ReplyCode: "550", RemoteMTA: "lsean.ezweb.ne.jp", Diagnostic: "550 : User unknown"}, Filtered, nil},
		{"au user unknown with address", Input{Status: "5.1.1", ReplyCode: "550", RemoteMTA: "lsean.ezweb.ne.jp", Diagnostic: "550 <x@ezweb.ne.jp>: User unknown"}, UserUnknown, nil},
		{"tencent ip frequency", Input{ReplyCode: "550", RemoteMTA: "mx3.qq.com", Diagnostic: "550 Ip frequency limited [abc Blocked IP 192.0.2.22]"}, TooManyConnections, nil},
		{"yahoo tss04", Input{Status: "4.7.0", ReplyCode: "421", RemoteMTA: "mta6.am0.yahoodns.net", Diagnostic: "421 4.7.0 [TSS04] Messages from 192.0.2.1 temporarily deferred due to unexpected volume or user complaints"}, BadReputation, nil},
		{"microsoft dmarc", Input{Status: "5.7.509", ReplyCode: "550", RemoteMTA: "example.mail.protection.outlook.com", Diagnostic: "550 5.7.509 Access denied, sending domain [EXAMPLE.JP] does not pass DMARC verification"}, AuthFailure, nil},
		{"microsoft edge block", Input{Status: "5.4.1", ReplyCode: "550", RemoteMTA: "example.mail.protection.outlook.com", Diagnostic: "550 5.4.1 Recipient address rejected: Access denied. AS(201806281)"}, UserUnknown, nil},
		{"google spf", Input{Status: "5.7.26", ReplyCode: "550", RemoteMTA: "gmail-smtp-in.l.google.com", Diagnostic: "550-5.7.26 The MAIL FROM domain [example.com] has an SPF record with a hard fail policy (-all) but it fails to pass SPF checks. To best protect our users from spam, the message has been blocked."}, AuthFailure, nil},
		{"google low reputation", Input{Status: "5.7.1", ReplyCode: "550", RemoteMTA: "aspmx.l.google.com", Diagnostic: "550-5.7.1 Our system has detected that this message is likely suspicious due to the very low reputation of the sending IP address. To best protect our users from spam, the message has been blocked."}, BadReputation, nil},
		{"google unsolicited", Input{Status: "5.7.1", ReplyCode: "550", RemoteMTA: "aspmx.l.google.com", Diagnostic: "550-5.7.1 Our system has detected that this message is likely unsolicited mail."}, SpamDetected, nil},
		{"apple dmarc", Input{Status: "5.7.1", ReplyCode: "554", RemoteMTA: "mx01.mail.icloud.com", Diagnostic: "554 5.7.1 Your message was rejected due to example.org's DMARC policy."}, AuthFailure, nil},
		{"docomo unknown user after data, generic status", Input{Status: "5.0.0", ReplyCode: "550", Command: "DATA", RemoteMTA: "mfsmax.docomo.ne.jp", Diagnostic: "550 Unknown user y@docomo.ne.jp"}, Rejected, nil},
		{"au notice says account disabled", Input{Status: "5.0.0", Action: "failed", Recipient: "x@ezweb.ne.jp", Diagnostic: "The user(s) account is disabled. 550 user unknown"}, Suspended, nil},
		{"microsoft all recipients refused at data", Input{Status: "5.4.1", ReplyCode: "550", Command: "DATA", RemoteMTA: "example-org.mail.protection.outlook.com", Diagnostic: "550 5.4.1 All recipient addresses rejected : Access denied. AS(201806271)"}, Rejected, nil},
		{"google address not found notice", dsn("5.0.0", "", "", "Your message wasn't delivered to x@example.net because the address couldn't be found. Check for typos or unnecessary spaces and try again."), UserUnknown, nil},
		{"orange spam code", Input{Status: "5.2.0", ReplyCode: "550", RemoteMTA: "smtp-in.orange.fr", Diagnostic: "550 5.2.0 Message refuse. Message refused. OFR_506 [506]"}, SpamDetected, nil},
		{"orange ip blocked", Input{ReplyCode: "550", RemoteMTA: "smtp-in.orange.fr", Diagnostic: "550 mwinf5c04 ME Adresse IP source bloquee pour incident de spam. Client host blocked for spamming issues. OFR006_102"}, Blocked, nil},
		{"laposte account blocked", Input{Status: "5.5.0", ReplyCode: "550", RemoteMTA: "smtpz4.laposte.net", Diagnostic: "550 5.5.0 Le compte du destinataire est bloque. The recipient account is blocked. LPN007_426"}, Suspended, nil},
		{"godaddy from invalid", Input{Status: "5.2.0", ReplyCode: "550", RemoteMTA: "smtp.secureserver.net", Diagnostic: "550 5.2.0 <x@example.com> From: Domain is invalid. Please provide a valid From: IB506"}, Rejected, nil},
		{"mimecast host network", Input{ReplyCode: "554", RemoteMTA: "us-smtp-inbound-1.mimecast.com", Diagnostic: "554 Host network not allowed - https://community.mimecast.com/docs/DOC-1369#554"}, PolicyViolation, nil},
		{"iua frozen", Input{ReplyCode: "550", RemoteMTA: "mx3.email.ua", Diagnostic: "550 Mailbox is frozen. See http://mail.i.ua/err/3/"}, Suspended, nil},
		{"cox blocklist", Input{ReplyCode: "554", RemoteMTA: "mx.east.cox.net", Diagnostic: "554 192.0.2.1 rejected - see https://www.cox.com/cxbl CXBL"}, Blocked, nil},
		{"spectrum aup", Input{ReplyCode: "554", Recipient: "x@charter.net", Diagnostic: "554 5.7.1 AUP#I-1000 The IP is on our block list"}, Blocked, nil},
		{"ses not verified", Input{ReplyCode: "554", RemoteMTA: "email-smtp.us-east-1.amazonaws.com", Diagnostic: "554 Message rejected: Email address is not verified."}, NoRelaying, nil},
		{"zoho dmarc", Input{Status: "5.7.1", ReplyCode: "550", RemoteMTA: "smtpin.zoho.com", Diagnostic: "550 5.7.1 Email rejected per DMARC policy for example.org"}, AuthFailure, nil},
	})
}

func TestClassify_negatives(t *testing.T) {
	// Words inside addresses, host names and URLs decide nothing.
	runCases(t, []classifyCase{
		{"spam in the address", sendLog("5.1.1", "550", "550 5.1.1 <spam@example.com>: Recipient address rejected: User unknown"), UserUnknown, nil},
		{"full in the address", sendLog("5.1.1", "550", "550 5.1.1 <full.name@example.com>... User unknown"), UserUnknown, nil},
		{"full in the domain", sendLog("", "550", "550 <a@mailbox-full.example> no such user"), UserUnknown, nil},
		{"spam host name", sendLog("5.2.2", "552", "552 5.2.2 host spam.example.net said: mailbox quota exceeded"), MailboxFull, nil},
		{"virus in the address only", sendLog("5.1.1", "550", "550 5.1.1 <virus-reports@example.org>: unknown recipient"), UserUnknown, nil},
		{"relay in host name", sendLog("5.1.1", "550", "550 5.1.1 relay.example.com: <x@example.org> user unknown"), UserUnknown, nil},
		{"spamhaus-like local part", sendLog("5.2.2", "552", "552 5.2.2 <spamhaus@example.org>: mailbox is full"), MailboxFull, nil},
		{"spf in url", sendLog("5.1.1", "550", "550 5.1.1 no such user, see http://www.openspf.example/why"), UserUnknown, nil},
		{"anti-spam appliance name, unknown user", sendLog("5.1.1", "550", "550 5.1.1 anti-spam gateway: unknown user"), UserUnknown, nil},
		{"spamcop listing is a block, not spam", sendLog("5.7.1", "554", "554 5.7.1 Your IP is spamcop listed"), Blocked, nil},
		{"certificate has expired is not expiry", sendLog("", "", "TLS handshake failed: certificate has expired"), FailedSTARTTLS, nil},
		{"too many messages in mailbox", sendLog("", "552", "552 user has too many messages on the server"), MailboxFull, nil},
		{"unknown error is not user unknown", sendLog("", "554", "554 Unknown error"), OnHold, nil},
	})
}

func TestClassify_hard(t *testing.T) {
	runCases(t, []classifyCase{
		{"user unknown is hard", sendLog("5.1.1", "550", "550 5.1.1 User unknown"), UserUnknown, yes},
		{"temporary user unknown stays hard", sendLog("4.1.1", "450", "450 4.1.1 <x@example.org>: Recipient address rejected: User unknown in virtual alias table"), UserUnknown, yes},
		{"host unknown is hard", sendLog("5.1.2", "550", "550 5.1.2 Host unknown"), HostUnknown, yes},
		{"temporary host unknown is soft", sendLog("4.4.4", "450", "450 4.4.4 <x@example.org>: Recipient address rejected: unknown domain"), HostUnknown, no},
		{"mailbox full is soft", sendLog("5.2.2", "552", "552 5.2.2 Mailbox full"), MailboxFull, no},
		{"blocked is soft", sendLog("5.7.1", "554", "554 5.7.1 blocked using zen.spamhaus.org"), Blocked, no},
		{"complaint", Input{FeedbackType: "abuse"}, Complaint, no},
		{"delivered", Input{Action: "delivered", Status: "2.0.0"}, Delivered, no},
		{"auto reply hint", Input{Hint: AutoReply}, AutoReply, no},
	})
}

func TestClassify_hint(t *testing.T) {
	runCases(t, []classifyCase{
		{"hint alone", Input{Hint: MailboxFull}, MailboxFull, nil},
		{"hint over status", Input{Status: "5.0.0", Hint: Expired}, Expired, nil},
		{"text beats a contradicting hint", Input{Diagnostic: "550 mailbox full", Hint: UserUnknown}, MailboxFull, nil},
		{"hint refines user unknown", Input{Diagnostic: "550 User unknown", Hint: Filtered}, Filtered, nil},
		{"complaint hint", Input{Hint: Complaint}, Complaint, nil},
		{"invalid hint ignored", Input{Status: "5.1.1", Hint: "nonsense"}, UserUnknown, nil},
	})
}

// TestClassify_everyReason checks that the case tables above cover every
// reason of the contract.
func TestClassify_everyReason(t *testing.T) {
	seen := map[Reason]bool{}
	for _, r := range []Reason{Complaint, AutoReply, Delivered, Undefined, OnHold} {
		seen[r] = true
	}
	for _, c := range allTestInputs() {
		seen[Classify(c).Reason] = true
	}
	for _, r := range Reasons() {
		if !seen[r] {
			t.Errorf("no test input classifies as %s", r)
		}
	}
}

// allTestInputs returns a realistic input for every reason, used by the
// coverage test and as the fuzz seed corpus.
func allTestInputs() []Input {
	return []Input{
		sendLog("5.1.1", "550", "550 5.1.1 User unknown"),
		sendLog("5.1.6", "551", "551 5.1.6 has moved"),
		sendLog("5.1.2", "550", "550 5.1.2 Host unknown"),
		sendLog("5.1.10", "556", "556 5.1.10 null MX"),
		sendLog("5.2.2", "552", "552 5.2.2 Mailbox full"),
		sendLog("5.3.4", "552", "552 5.3.4 Message too big"),
		sendLog("5.2.3", "552", "552 5.2.3 message length exceeds administrative limit"),
		sendLog("5.7.1", "554", "554 5.7.1 blocked using bl.spamcop.net"),
		sendLog("5.7.1", "550", "550 5.7.1 Sender address rejected"),
		sendLog("5.7.1", "550", "550 5.7.1 Denied by policy"),
		sendLog("5.7.1", "550", "550 5.7.1 spam detected"),
		sendLog("5.7.1", "550", "550 5.7.1 virus detected"),
		{Status: "5.0.0", ReplyCode: "550", Command: "DATA", Diagnostic: "550 Unknown user"},
		sendLog("5.7.26", "550", "550 5.7.26 DMARC"),
		sendLog("4.7.650", "451", "451 4.7.650 IP reputation"),
		sendLog("5.7.25", "550", "550 5.7.25 no PTR record"),
		sendLog("5.7.1", "550", "550 5.7.1 not RFC 5322 compliant"),
		sendLog("5.7.0", "530", "530 5.7.0 Authentication required"),
		sendLog("5.6.0", "550", "550 5.6.0 invalid MIME headers"),
		sendLog("5.7.1", "554", "554 5.7.1 Relay access denied"),
		sendLog("5.7.10", "530", "530 5.7.10 STARTTLS required"),
		sendLog("", "", "address is on the suppression list"),
		sendLog("4.7.0", "421", "421 4.7.0 rate limit exceeded"),
		sendLog("4.7.0", "421", "421 4.7.0 too many connections"),
		sendLog("5.2.1", "550", "550 5.2.1 account disabled"),
		sendLog("4.4.7", "", "retry timeout exceeded"),
		sendLog("4.4.1", "", "No route to host"),
		sendLog("4.3.0", "451", "451 4.3.0 internal error"),
		sendLog("4.3.1", "452", "452 4.3.1 insufficient system storage"),
		sendLog("5.3.0", "", "command died with status 1"),
		sendLog("5.5.2", "500", "500 5.5.2 syntax error"),
		sendLog("4.0.0", "450", "450 4.0.0 something odd"),
		{},
		{FeedbackType: "abuse"},
		{Hint: AutoReply},
		{Action: "delivered"},
		{Diagnostic: strings.Repeat("x", 10)},
	}
}

var (
	yes = func() *bool { b := true; return &b }()
	no  = func() *bool { b := false; return &b }()
)
