package classify

import "testing"

// TestClassify_refR10 holds the replies that the tenth round of
// bounce/testdata/unseen (early-2000s and ISP-era servers and webmail
// providers, see its README) quotes from the sources it read, each as the
// source gives it (addresses and hosts replaced by examples), with the
// reason the source's explanation implies (classify/rules/28-r10.tsv).
func TestClassify_refR10(t *testing.T) {
	checkClear(t, []clearCase{
		// Verizon's InterMail vM.5 notice quoted on linux-kernel ("Fwd:
		// Mail System Error - Returned Mail", 13 Jul 2004,
		// github.com/ammarfaizi2/lore-inbox); its DSN part says 5.1.2. A
		// text notice without that part gives no code.
		{"intermail destination computer not found", failedReply("", "", "",
			"Your message was not delivered because the destination computer was not found. Carefully check that it was spelled correctly and try sending it again if there were any mistakes. Host nosuchplace.example not found"), HostUnknown},
		// Earthlink's and Worldnet's replies inside a qmail notice,
		// https://pastebin.com/MMGUFmXp.
		{"earthlink overquota", failedReply("550", "", "", "550 ed.fowler@earthlink.net...User account is overquota"), MailboxFull},
		{"worldnet addressee unknown", failedReply("553", "5.3.0", "", "553 5.3.0 <faye.wong@worldnet.att.net>... 550 worldnet addressee unknown, relay=[192.0.2.15]"), UserUnknown},
		// cyrus-imapd imap/imap_err.et, the texts its LMTP server replies
		// with.
		{"cyrus delivery disabled", failedReply("550", "5.2.1", "", "550 5.2.1 Delivery to mailbox is disabled"), Suspended},
		{"cyrus over quota", delayedReply("452", "4.2.2", "DATA", "452 4.2.2 Over quota"), MailboxFull},
		// Cyrus' deliver program through Sendmail's prog mailer: a text
		// notice, no Action and no SMTP command.
		{"cyrus mailbox does not exist", Input{ReplyCode: "554", Diagnostic: "+user.marta: Mailbox does not exist"}, UserUnknown},
		{"cyrus storage exceeded", delayedReply("452", "", "", "452 mail system storage has been exceeded"), SystemFull},
		// DBMail 2.0's bounce.c ("*** E-mail address %s is not known
		// here. ***", "*** Mailbox of user %s is FULL ***"), a text
		// notice from its delivery program.
		{"dbmail not known here", Input{Diagnostic: "*** E-mail address bram.visser@example.nl is not known here. ***"}, UserUnknown},
		{"dbmail mailbox full", Input{Diagnostic: "*** Mailbox of user carla.dekker@example.nl is FULL ***"}, MailboxFull},
		// MDaemon's local failure, from memory (no page read gives it):
		// rule 400's "no such mailbox" with "local" between.
		// A text notice: no Action, no SMTP command.
		{"mdaemon no such local mailbox", Input{Diagnostic: "Failed address: tkoch No such local mailbox."}, UserUnknown},
	})
}
