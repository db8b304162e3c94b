package classify

import "testing"

// TestClassify_refX400 holds X.400 non-delivery diagnostics as gateways
// quote them in a Diagnostic-Code (RFC 3464's x400 type), each with the
// reason the page's explanation implies; the status is the generic 5.0.0
// a relay may leave, so the words must decide.
func TestClassify_refX400(t *testing.T) {
	tests := []clearCase{
		// TRANSFER Reference Manual, Status Packages, package 27,
		// https://www.manualshelf.com/manual/hp/hp-nonstop-g-series/transfer-reference-manual/page-658.html
		// ("O/R name could not be recognized": the recipients "either do
		// not exist or are ambiguous")
		{"x400 o/r name could not be recognized", failedReply("", "5.0.0", "", "x400; 1 unable to transfer, O/R name could not be recognized"), UserUnknown},
		{"x400 unrecognised o/r name", failedReply("", "5.0.0", "", "1 unable to transfer, unrecognised O/R name"), UserUnknown},
		// XFOR: Messages Not Being Delivered to X.400 Recipients,
		// https://www.infania.net/misc/kbarchive/kb/162/Q162017/index.html
		// ("diagnostic: 0 (OR name (Email address) unrecognized)")
		{"x400 or name unrecognized", failedReply("", "5.0.0", "", "Reason: 1 (transfer impossible) diagnostic: 0 (OR name (Email address) unrecognized)."), UserUnknown},
	}
	checkClear(t, tests)
}
