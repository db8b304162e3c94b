package classify

import "testing"

// TestClassify_refLeft1 holds the texts that Sendmail's own source writes
// for a mailer's exit status and for a connection's errno
// (sendmail/sysexits.c's SysExMsg, err.c's errstring), and a host's
// refusal of connections with no SMTP code, each with the reason the
// source's meaning implies. The rules are in rules/28-left1.tsv; host
// names are examples.
func TestClassify_refLeft1(t *testing.T) {
	tests := []clearCase{
		// sendmail sysexits.c 8.25: 77 NOPERM ":550 5.0.0 Insufficient
		// permission" (the colon: errno's text follows), SysExitMsg
		// "permission denied": the local system refused the mailer or
		// the file; no verdict on the recipient.
		{"sendmail EX_NOPERM", failedReply("550", "5.0.0", "", "550 5.0.0 <anna@example.com>... Insufficient permission"), SystemError},
		{"sendmail EX_NOPERM with errno", failedReply("550", "5.0.0", "", "550 5.0.0 <anna@example.com>... Insufficient permission: Permission denied"), SystemError},
		// sendmail sysexits.c 8.25: 69 UNAVAILABLE " 554 5.0.0 Service
		// unavailable"; sysexits.h: "A service is unavailable. This can
		// occur if a support program or file does not exist" (a
		// catch-all of the local system), under a generic status only.
		{"sendmail EX_UNAVAILABLE", failedReply("554", "5.0.0", "", "554 5.0.0 <anna@example.com>... Service unavailable"), SystemError},
		// sendmail err.c errstring(EHOSTDOWN) "Host %s is down", under
		// EX_TEMPFAIL's "Deferred: ".
		{"sendmail host is down", delayedReply("", "4.0.0", "", "<anna@example.com>... Deferred: Host mx.example.com is down"), NetworkError},
		// A host that takes no connection, said with no SMTP code (no
		// greeting was read): RFC 3463 X.4.1 "No answer from host".
		{"host not accepting connections", delayedReply("", "", "", "host mx.example.com [192.0.2.1] is not accepting connections"), NetworkError},
		{"server not accepting connections", failedReply("", "", "", "The remote server mx.example.com is not accepting connections"), NetworkError},
	}
	checkClear(t, tests)
}

// TestClassify_refLeft1Kept holds texts of the same sources that were
// already read and must stay so: the 554 greeting that refuses this client
// (RFC 5321 section 3.1) is the client's block, not a network fault, and
// Sendmail's "Connection refused by" keeps the corpus's reading.
func TestClassify_refLeft1Kept(t *testing.T) {
	tests := []clearCase{
		{"greeting 554 not accepting connections", Input{Action: "failed", ReplyCode: "554", Command: "CONN", Diagnostic: "554 mx.example.com ESMTP not accepting connections"}, Blocked},
		{"sendmail EX_NOUSER", failedReply("550", "5.1.1", "", "550 5.1.1 <anna@example.com>... User unknown"), UserUnknown},
		{"sendmail EX_NOHOST", failedReply("550", "5.1.2", "", "550 5.1.2 <anna@example.com>... Host unknown (Name server: example.com: host not found)"), HostUnknown},
		{"sendmail EX_TEMPFAIL prog", delayedReply("", "4.0.0", "", "Deferred: prog mailer (/bin/sh) exited with EX_TEMPFAIL"), MailerError},
		{"sendmail connection reset", delayedReply("", "4.0.0", "", "Deferred: Connection reset by mx.example.com."), NetworkError},
		// A specific status beside the same words is the server's own
		// refusal, not Sendmail's exit status.
		{"service unavailable under 5.7.1", failedReply("554", "5.7.1", "RCPT", "554 5.7.1 Service unavailable"), Rejected},
		{"sendmail EX_CONFIG", failedReply("554", "5.3.5", "", "554 5.3.5 Local configuration error"), SystemError},
	}
	checkClear(t, tests)
}
