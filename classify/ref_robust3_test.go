package classify

import "testing"

// TestClassify_refRobust3 holds replies whose meaning the reply code
// carries where the enhanced status is only its class (cmd/bounced's
// TestRobust, transforms generic-status and no-dsn: the 5.1.6 that named
// the cause is gone). The addresses are examples.
func TestClassify_refRobust3(t *testing.T) {
	tests := []clearCase{
		// RFC 5321 section 4.2.2 ("551 User not local; please try
		// <forward-path>") and section 3.4 (the server knows the user is
		// not its own and where to send): "not our user" under 551 is
		// that reply, a moved mailbox, not an unknown one.
		{"551 not our user, generic status", failedReply("551", "5.0.0", "RCPT", "551 not our user"), HasMoved},
		{"551 not our user, no status", failedReply("551", "", "", "551 not our user"), HasMoved},
		{"551 not our customer", failedReply("551", "5.0.0", "DATA", "551 not our customer"), HasMoved},
		// ... while under 550 the same words are an unknown user.
		{"550 not our user", failedReply("550", "5.0.0", "RCPT", "550 not our user"), UserUnknown},
	}
	checkClear(t, tests)
}
