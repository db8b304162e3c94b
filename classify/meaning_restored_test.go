package classify

import "testing"

// TestClassify_meaningRestored: wordings whose sources were lost but
// whose meaning is an RFC 3463 class in plain words (a disabled account,
// a recipient that is not valid, a full mailbox in French), kept with
// that class as their source when the unattributed lines went. The
// replies carry no specific code, so only the words decide.
func TestClassify_meaningRestored(t *testing.T) {
	checkClear(t, []clearCase{
		{"account inactive", failedReply("550", "", "RCPT", "550 Account inactive, please try another address"), Suspended},
		{"inactive user", failedReply("550", "", "RCPT", "550 Inactive user"), Suspended},
		{"not a valid recipient", failedReply("550", "", "RCPT", "550 <pat@example.com> is not a valid recipient here"), UserUnknown},
		{"boîte du destinataire pleine", failedReply("552", "", "RCPT", "552 La boîte du destinataire est pleine"), MailboxFull},
		{"boite du destinataire pleine", failedReply("452", "", "RCPT", "452 boite du destinataire pleine"), MailboxFull},
	})
}
