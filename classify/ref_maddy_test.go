package classify

import "testing"

// TestClassify_refMaddy holds maddy's own errors for a recipient's domain,
// as its queue reports them in a DSN (Diagnostic-Code "smtp; CODE X.Y.Z
// TEXT"), each with the reason its source implies (maddy v0.8.1,
// internal/target/remote/connect.go). None may end as on_hold or undefined,
// or with low confidence.
func TestClassify_refMaddy(t *testing.T) {
	tests := []clearCase{
		// lookupMX: a failed MX lookup, 554 when the resolver's error is
		// not temporary (the name does not exist), as in the zoo's
		// unknown-domain case (bounce/testdata/zoo/maddy)
		{"maddy mx lookup error", failedReply("554", "5.0.0", "", "554 5.0.0 MX lookup error"), HostUnknown},
		// a null MX (RFC 7505): the domain accepts no mail
		{"maddy null mx", failedReply("556", "5.1.10", "", "556 5.1.10 Domain does not accept email (null MX)"), NotAccept},
	}
	checkClear(t, tests)
}
