package inbound

import (
	"net/http"
	"testing"

	"github.com/bounced-dev/bounced/publisher"
)

const postmarkSecret = "9c1e4a7f0b2d48e6a3f5c7d9e1b3a5c7"

func basic(user, pass string) http.Header {
	r, _ := http.NewRequest("GET", "/", nil)
	r.SetBasicAuth(user, pass)
	return r.Header
}

func TestPostmark_bounceAndComplaint(t *testing.T) {
	s := newStack(t, Options{Postmark: &PostmarkOptions{Username: "postmark", Password: "s3cret-basic-pass", SecretPath: postmarkSecret}})
	path := "/webhooks/postmark/" + postmarkSecret
	h := basic("postmark", "s3cret-basic-pass")
	for _, f := range []string{"postmark-hardbounce.json", "postmark-hardbounce.json", "postmark-softbounce.json", "postmark-spamcomplaint.json"} {
		if code := s.post(t, path, fixture(t, f), h); code != http.StatusOK {
			t.Fatalf("%s: POST = %d, want 200", f, code)
		}
	}
	if r := s.record(t, "john@example.com"); r == nil || !r.Suppressed || r.Reason != "user_unknown" || !r.Hard || r.Status != "5.1.1" {
		t.Errorf("john = %+v, want suppressed hard user_unknown 5.1.1", r)
	}
	if r := s.record(t, "mary@example.com"); r == nil || r.Suppressed || r.Hard || r.Reason != "mailbox_full" {
		t.Errorf("mary = %+v, want counted soft mailbox_full, not suppressed after one", r)
	}
	if ok, scope := s.suppressed(t, "pete@example.com"); !ok || scope != "marketing" {
		t.Errorf("pete = %v %q, want suppressed marketing", ok, scope)
	}
	evs := s.events(t)
	for _, c := range []struct {
		typ  publisher.EventType
		addr string
		want int
	}{
		{publisher.TypeBounce, "john@example.com", 1},
		{publisher.TypeSuppressionAdded, "john@example.com", 1},
		{publisher.TypeBounce, "mary@example.com", 1},
		{publisher.TypeComplaint, "pete@example.com", 1},
	} {
		if n := count(evs, c.typ, c.addr); n != c.want {
			t.Errorf("%s events for %s = %d, want %d", c.typ, c.addr, n, c.want)
		}
	}
}

func TestPostmark_refusedChangesNothing(t *testing.T) {
	s := newStack(t, Options{Postmark: &PostmarkOptions{Username: "postmark", Password: "s3cret-basic-pass", SecretPath: postmarkSecret}})
	good := basic("postmark", "s3cret-basic-pass")
	body := fixture(t, "postmark-hardbounce.json")
	for _, tc := range []struct {
		name, path string
		body       []byte
		h          http.Header
		want       int
	}{
		{"wrong password", "/webhooks/postmark/" + postmarkSecret, body, basic("postmark", "guess"), http.StatusUnauthorized},
		{"no basic auth", "/webhooks/postmark/" + postmarkSecret, body, nil, http.StatusUnauthorized},
		{"wrong secret path", "/webhooks/postmark/" + postmarkSecret[:31] + "0", body, good, http.StatusUnauthorized},
		{"no secret path", "/webhooks/postmark", body, good, http.StatusUnauthorized},
		{"unknown type", "/webhooks/postmark/" + postmarkSecret, []byte(`{"RecordType":"Bounce","Type":"Teleported","ID":1,"Email":"john@example.com"}`), good, http.StatusBadRequest},
		{"malformed", "/webhooks/postmark/" + postmarkSecret, []byte(`[`), good, http.StatusBadRequest},
	} {
		t.Run(tc.name, func(t *testing.T) {
			if code := s.post(t, tc.path, tc.body, tc.h); code != tc.want {
				t.Errorf("POST = %d, want %d", code, tc.want)
			}
		})
	}
	if r := s.record(t, "john@example.com"); r != nil {
		t.Errorf("john = %+v, want none", r)
	}
	if evs := s.events(t); len(evs) != 0 {
		t.Errorf("events = %d, want 0", len(evs))
	}
}
