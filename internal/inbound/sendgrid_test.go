package inbound

import (
	"crypto/ecdsa"
	"crypto/elliptic"
	"crypto/rand"
	"crypto/sha256"
	"crypto/x509"
	"encoding/base64"
	"net/http"
	"testing"

	"github.com/bounced-dev/bounced/publisher"
)

func newSendGridStack(t *testing.T) (*stack, *ecdsa.PrivateKey) {
	t.Helper()
	key, err := ecdsa.GenerateKey(elliptic.P256(), rand.Reader)
	if err != nil {
		t.Fatal(err)
	}
	der, err := x509.MarshalPKIXPublicKey(&key.PublicKey)
	if err != nil {
		t.Fatal(err)
	}
	return newStack(t, Options{SendGrid: &SendGridOptions{PublicKey: base64.StdEncoding.EncodeToString(der)}}), key
}

func sendGridHeaders(t *testing.T, key *ecdsa.PrivateKey, ts string, body []byte) http.Header {
	t.Helper()
	d := sha256.Sum256(append([]byte(ts), body...))
	sig, err := ecdsa.SignASN1(rand.Reader, key, d[:])
	if err != nil {
		t.Fatal(err)
	}
	return http.Header{sendGridSignature: {base64.StdEncoding.EncodeToString(sig)}, sendGridTimestamp: {ts}}
}

func TestSendGrid_eventsAppliedOnce(t *testing.T) {
	s, key := newSendGridStack(t)
	body := fixture(t, "sendgrid-events.json")
	h := sendGridHeaders(t, key, "1513299569", body)
	for range 2 { // SendGrid's retry of the same post
		if code := s.post(t, "/webhooks/sendgrid", body, h); code != http.StatusOK {
			t.Fatalf("POST = %d, want 200", code)
		}
	}
	if r := s.record(t, "bounce@example.com"); r == nil || !r.Suppressed || r.Reason != "user_unknown" || !r.Hard {
		t.Errorf("bounce record = %+v, want suppressed hard user_unknown", r)
	}
	if ok, scope := s.suppressed(t, "spam@example.com"); !ok || scope != "marketing" {
		t.Errorf("spamreport suppressed = %v %q, want true marketing", ok, scope)
	}
	if ok, _ := s.suppressed(t, "deferred@example.com"); ok {
		t.Error("deferred suppressed, want not")
	}
	if r := s.record(t, "delivered@example.com"); r == nil || r.Kind != "delivered" || r.Suppressed {
		t.Errorf("delivered record = %+v, want delivered evidence", r)
	}
	if r := s.record(t, "open@example.com"); r != nil {
		t.Errorf("open recorded: %+v", r)
	}
	evs := s.events(t)
	for _, c := range []struct {
		typ  publisher.EventType
		addr string
		want int
	}{
		{publisher.TypeBounce, "bounce@example.com", 1},
		{publisher.TypeSuppressionAdded, "bounce@example.com", 1},
		{publisher.TypeComplaint, "spam@example.com", 1},
		{publisher.TypeDelay, "deferred@example.com", 1},
	} {
		if n := count(evs, c.typ, c.addr); n != c.want {
			t.Errorf("%s events for %s = %d, want %d", c.typ, c.addr, n, c.want)
		}
	}
	if len(evs) != 5 { // bounce, added, complaint, added, delay
		t.Errorf("events = %d, want 5", len(evs))
	}
}

func TestSendGrid_refusedChangesNothing(t *testing.T) {
	s, key := newSendGridStack(t)
	body := fixture(t, "sendgrid-events.json")
	other, _ := ecdsa.GenerateKey(elliptic.P256(), rand.Reader)
	unknown := []byte(`[{"email":"x@example.com","event":"teleported","sg_event_id":"a"}]`)
	for _, tc := range []struct {
		name string
		body []byte
		h    http.Header
		want int
	}{
		{"other key", body, sendGridHeaders(t, other, "1513299569", body), http.StatusUnauthorized},
		{"timestamp changed", body, func() http.Header {
			h := sendGridHeaders(t, key, "1513299569", body)
			h.Set(sendGridTimestamp, "1513299570")
			return h
		}(), http.StatusUnauthorized},
		{"no signature", body, nil, http.StatusUnauthorized},
		{"unknown event", unknown, sendGridHeaders(t, key, "1", unknown), http.StatusBadRequest},
		{"malformed", []byte(`{`), sendGridHeaders(t, key, "1", []byte(`{`)), http.StatusBadRequest},
	} {
		t.Run(tc.name, func(t *testing.T) {
			if code := s.post(t, "/webhooks/sendgrid", tc.body, tc.h); code != tc.want {
				t.Errorf("POST = %d, want %d", code, tc.want)
			}
		})
	}
	if r := s.record(t, "bounce@example.com"); r != nil {
		t.Errorf("record = %+v, want none", r)
	}
	if evs := s.events(t); len(evs) != 0 {
		t.Errorf("events = %d, want 0", len(evs))
	}
}
