package inbound

import (
	"bytes"
	"net/http"
	"testing"
	"time"
)

func TestHandler_bodyLimitAndBadAddress(t *testing.T) {
	s := newStack(t, Options{MaxBody: 4096, Mailgun: &MailgunOptions{SigningKey: mailgunKey}})
	now := time.Now()
	huge := mailgunPost(t, mailgunKey, now, "t-huge", []byte(`{"event":"complained","id":"h1","recipient":"dave@example.com","pad":"`+string(bytes.Repeat([]byte("x"), 8000))+`"}`))
	if code := s.post(t, "/webhooks/mailgun", huge, nil); code != http.StatusRequestEntityTooLarge {
		t.Errorf("POST of %d bytes = %d, want 413", len(huge), code)
	}
	bad := mailgunPost(t, mailgunKey, now, "t-bad", []byte(`{"event":"complained","id":"b1","recipient":"not an address"}`))
	if code := s.post(t, "/webhooks/mailgun", bad, nil); code != http.StatusBadRequest {
		t.Errorf("POST with a bad address = %d, want 400", code)
	}
	if r := s.record(t, "dave@example.com"); r != nil {
		t.Errorf("dave = %+v, want none", r)
	}
	if evs := s.events(t); len(evs) != 0 {
		t.Errorf("events = %d, want 0", len(evs))
	}
	// The refused request's token was forgotten: the corrected post is accepted.
	good := mailgunPost(t, mailgunKey, now, "t-bad", []byte(`{"event":"complained","id":"b1","recipient":"dave@example.com"}`))
	if code := s.post(t, "/webhooks/mailgun", good, nil); code != http.StatusOK {
		t.Errorf("POST = %d, want 200", code)
	}
}

func TestDiagnostic(t *testing.T) {
	for _, tc := range []struct{ in, reply, status, text string }{
		{"smtp; 550 5.1.1 user unknown", "550", "5.1.1", "550 5.1.1 user unknown"},
		{"550-5.7.1 blocked", "550", "5.7.1", "550-5.7.1 blocked"},
		{"5.1.1 The email account does not exist.", "", "5.1.1", "5.1.1 The email account does not exist."},
		{"452 try later", "452", "", "452 try later"},
		{"Bounced Address", "", "", "Bounced Address"},
		{"", "", "", ""},
	} {
		reply, status, text := diagnostic(tc.in)
		if reply != tc.reply || status != tc.status || text != tc.text {
			t.Errorf("diagnostic(%q) = %q, %q, %q; want %q, %q, %q", tc.in, reply, status, text, tc.reply, tc.status, tc.text)
		}
	}
}
