package classify

import "testing"

// TestClassify_refR8 holds the wordings that the eighth round of
// bounce/testdata/unseen showed unread (classify/rules/28-r8.tsv), each
// with the reason its source's explanation implies.
func TestClassify_refR8(t *testing.T) {
	checkClear(t, []clearCase{
		// https://mail-archive.com/server-dev@james.apache.org/msg00985.html
		// (RFC 2821 section 5: the A record is the implicit MX; with
		// neither, the domain has no mail host).
		{"no mx or a records", failedReply("", "", "", "No MX or A records for nosuchdomain.example"), HostUnknown},
		{"no mx or a records, 5xx", failedReply("554", "5.1.2", "RCPT", "554 No MX or A records for nosuchdomain.example"), HostUnknown},
		// https://github.com/Exim/exim/blob/master/src/src/routers/dnslookup.c
		{"mx to non-existent hosts", failedReply("", "", "", "all relevant MX records point to non-existent hosts"), HostUnknown},
		{"mx to non-existent hosts, generic 5.0.0", failedReply("", "5.0.0", "", "all relevant MX records point to non-existent hosts"), HostUnknown},
	})
}
