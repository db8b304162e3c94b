package classify

import "testing"

// TestClassify_refR7 holds the wordings that the seventh round of
// bounce/testdata/unseen showed unread (classify/rules/28-r7.tsv), each as
// the page it cites gives it, with the reason the page's explanation
// implies.
func TestClassify_refR7(t *testing.T) {
	checkClear(t, []clearCase{
		// Microsoft KB Q174730 (jeffpar/kbarchive kb/174/Q174730): the
		// Notes server cannot route to the recipient's domain.
		// RFC 3464 section 2.3.6: an x-unix diagnostic is a local
		// delivery program's, after the address was accepted; a
		// "user unknown" of its own is no content filter's guess
		// (60-adjust.tsv, +stage:unknown).
		{"local program user does not exist", Input{Action: "failed", DiagnosticType: "x-unix", Diagnostic: "The e-mail message could not be delivered because the user does not exist."}, UserUnknown},
		{"notes no route to domain", Input{Action: "failed", Diagnostic: "No route found to domain example.org from server MAIL01/Example. Check Server, Connection and Domain documents in Name and Address book."}, HostUnknown},
	})
}
