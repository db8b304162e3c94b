package decoders

import (
	"testing"
	"time"
)

// decodeGenericOnly decodes raw with the generic readers only (the
// stages TestFormatLeaveOneOut's "generic" figures use), failing t when
// decoding takes more than a few seconds.
func decodeGenericOnly(t *testing.T, raw string) *Report {
	t.Helper()
	var rep *Report
	withRegistry(genericStage, func() {
		done := make(chan struct{})
		go func() {
			defer close(done)
			rep, _ = Decode([]byte(raw), testOptions())
		}()
		select {
		case <-done:
		case <-time.After(10 * time.Second):
			t.Fatal("Decode still running after 10s")
		}
	})
	return rep
}

// TestLaterMention_emptyAddress: a delivery-status part whose
// Final-Recipient names a pipe holds no address; looking for its "later
// mention" must not search for the empty string for ever.
func TestLaterMention_emptyAddress(t *testing.T) {
	if got := laterMention("550 5.1.1 user unknown\nagain 550 user unknown\n", "d", "", nil); got != "d" {
		t.Errorf("laterMention with no address = %q, want d", got)
	}
	raw := "From: Mail Delivery System <mailer-daemon@mx.example.org>\nTo: s@example.com\nSubject: failed\n" +
		"MIME-Version: 1.0\nContent-Type: multipart/report; report-type=delivery-status; boundary=B\n\n" +
		"--B\nContent-Type: text/plain\n\nThe following address failed:\n\n  pipe to |/usr/bin/prog\n\n" +
		"--B\nContent-Type: message/delivery-status\n\nReporting-MTA: dns; mx.example.org\n\n" +
		"Action: failed\nFinal-Recipient: rfc822;|/usr/bin/prog\nStatus: 5.0.0\n\n--B--\n"
	decodeGenericOnly(t, raw)
}
