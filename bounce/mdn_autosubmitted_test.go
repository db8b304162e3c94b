package bounce_test

import (
	"strings"
	"testing"

	"github.com/bounced-dev/bounced/bounce"
	"github.com/bounced-dev/bounced/internal/record"
)

// TestDecode_mdnAutoSubmitted checks that an automatic disposition
// notification (RFC 8098) marked Auto-Submitted: auto-replied is no
// auto-reply: "processed" and "dispatched" say nothing failed.
func TestDecode_mdnAutoSubmitted(t *testing.T) {
	const msg = "From: Robot <orders@partner.example>\nTo: sender@shop.example\nSubject: Processed: x\n" +
		"Auto-Submitted: auto-replied\nMIME-Version: 1.0\n" +
		"Content-Type: multipart/report; report-type=disposition-notification; boundary=b\n\n" +
		"--b\nContent-Type: text/plain\n\nTEXT\n\n" +
		"--b\nContent-Type: message/disposition-notification\n\n" +
		"Reporting-UA: partner.example; Robot\nFinal-Recipient: rfc822;orders@partner.example\n" +
		"Disposition: automatic-action/MDN-sent-automatically; DISP\n\n--b--\n"
	for _, tc := range []struct{ disp, text, kind string }{
		{"processed", "Your message was processed.", "not_bounce"},
		{"dispatched", "Your message was forwarded.", "not_bounce"},
	} {
		raw := strings.ReplaceAll(strings.ReplaceAll(msg, "DISP", tc.disp), "TEXT", tc.text)
		rep, err := bounce.DecodeBytes([]byte(raw), nil)
		recs := record.FromReport("mdn", rep, err)
		if len(recs) != 1 || recs[0].Kind != tc.kind {
			t.Errorf("Decode(MDN %s) = %+v, want one record of kind %s", tc.disp, recs, tc.kind)
		}
	}
}
