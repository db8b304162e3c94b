package classify

import "testing"

// TestClassify_refStage holds replies whose own words tell the SMTP stage
// that refused them, quoted with no SMTP command and a status of a class
// only (a relay's report that kept the server's words but not the command,
// as maddy's does: bounce/testdata/zoo/maddy). The adjust table makes such
// a "user unknown" filtered (+stage:unknown) unless its wording names the
// stage (classify/rules/61-stage.tsv).
//
// Postfix smtpd_check.c writes every refusal of its restrictions as
// "<%s>: %s rejected: %s" with the class of what it checked: "Sender
// address", "Recipient address", "Data command", "End-of-data"
// (SMTPD_NAME_*), and its recipient table check as "User unknown in local
// recipient table" (in virtual mailbox, relay recipient table; a virtual
// alias table's through the error transport's text). The addresses are
// examples.
func TestClassify_refStage(t *testing.T) {
	tests := []clearCase{
		// RCPT: a recipient restriction refused the address itself.
		{"postfix local recipient table, no command", failedReply("550", "5.0.0", "", "550 5.0.0 <user@example.net>: Recipient address rejected: User unknown in local recipient table"), UserUnknown},
		{"postfix virtual mailbox table, no status", failedReply("550", "", "", "550 <user@example.net>: Recipient address rejected: User unknown in virtual mailbox table"), UserUnknown},
		{"postfix relay recipient table, no command", failedReply("550", "5.0.0", "", "550 5.0.0 <user@example.net>: Recipient address rejected: User unknown in relay recipient table"), UserUnknown},
		{"postfix virtual alias table, no command", failedReply("550", "5.0.0", "", "550 5.0.0 <user@example.net>: Recipient address rejected: User unknown in virtual alias table"), UserUnknown},
		{"postfix without the table's name, no command", failedReply("550", "5.0.0", "", "550 5.0.0 <user@example.net>: Recipient address rejected: User unknown"), UserUnknown},
		// Sendmail's recipient() writes "550 5.1.1 User unknown" for a
		// local user finduser() does not know, after the address
		// ("<addr>... "): the address itself, under a status that lost
		// its detail.
		{"sendmail user unknown under a class only", failedReply("550", "5.0.0", "", "550 5.0.0 <user@example.net>... User unknown"), UserUnknown},
		{"sendmail user unknown, no status", failedReply("550", "", "", "550 <user@example.net>... User unknown"), UserUnknown},
		// DATA, end of data: the recipients were accepted; what refused
		// the message is a filter of its content, whatever it says.
		// A status beyond its class (5.7.1, Postfix's for a REJECT) or a
		// send log's line (no action) is outside +stage:unknown.
		{"postfix data restriction, no command", failedReply("554", "5.7.1", "", "554 5.7.1 <DATA>: Data command rejected: User unknown"), Filtered},
		{"postfix end-of-data restriction, send log", Input{ReplyCode: "550", Diagnostic: "550 <END-OF-MESSAGE>: End-of-data rejected: Unknown user"}, Filtered},
		{"postfix data restriction under a class only", failedReply("550", "5.0.0", "", "550 5.0.0 <DATA>: Data command rejected: User unknown"), Filtered},
		// Stays filtered: a gateway's bare "unknown user" under a class
		// only tells no stage (60-adjust.tsv, +stage:unknown).
		{"bare unknown user, no command", failedReply("550", "5.0.0", "", "550 Unknown user"), Filtered},
		// Stays filtered: the same words under X.2.1 are not Sendmail's
		// own (its recipient() says 5.1.1): 60-adjust.tsv, +status:5.2.1.
		{"sendmail-like user unknown under 5.2.1", failedReply("550", "5.2.1", "", "550 5.2.1 <user@example.net>... User Unknown"), Filtered},
		// Stays the sender's: the same table check made on the sender
		// (reject_unlisted_sender) says "Sender address rejected".
		{"postfix sender in local recipient table, no command", failedReply("550", "5.1.0", "", "550 5.1.0 <sender@example.org>: Sender address rejected: User unknown in local recipient table"), Rejected},
	}
	checkClear(t, tests)
	for _, tc := range tests {
		if v := Classify(tc.in); v.Reason == tc.want && v.Hard != tc.want.Hard() {
			t.Errorf("%s: Classify(%q) hard = %v, want %v (rule %q)", tc.name, tc.in.Diagnostic, v.Hard, tc.want.Hard(), v.Rule)
		}
	}
}
