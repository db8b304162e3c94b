package suppress

import (
	"testing"
	"time"

	"github.com/bounced-dev/bounced/internal/testutil"
)

// TestApply_unverified: an entry that failed the signed-VERP check under
// verp.require_signed is kept as evidence with its verification, and
// suppresses nobody and counts no soft bounce; the same entries verified
// suppress.
func TestApply_unverified(t *testing.T) {
	srv := testutil.StartRedis(t)
	s, _ := newStore(t, newClient(t, srv), "")
	ctx := t.Context()
	forged := []Entry{hardAt("h1", "victim@example.com", 0), complaintAt("c1", "victim2@example.com", 0)}
	for i := range 3 {
		forged = append(forged, softAt("s"+string(rune('0'+i)), "victim3@example.com", time.Duration(i)*time.Hour))
	}
	for _, e := range forged {
		e.Unverified, e.Verification = true, "bad_signature"
		res, err := s.Apply(ctx, e)
		if err != nil {
			t.Fatal(err)
		}
		if res.Suppressed || res.NewlySuppressed || res.WindowCount != 0 {
			t.Errorf("Apply(unverified %s %s) = %+v, want nothing suppressed or counted", e.Kind, e.Recipient, res)
		}
	}
	for _, a := range []string{"victim@example.com", "victim2@example.com", "victim3@example.com"} {
		for _, scope := range []string{ScopeAll, ScopeMarketing} {
			if ok, err := s.IsSuppressed(ctx, a, scope); err != nil || ok {
				t.Errorf("IsSuppressed(%s, %s) = %v, %v; want false", a, scope, ok, err)
			}
		}
		rec, err := s.Get(ctx, a)
		if err != nil || rec.Verification != "bad_signature" || rec.Suppressed {
			t.Errorf("Get(%s) = %+v, %v; want an unsuppressed record with verification bad_signature", a, rec, err)
		}
	}
	// A verified hard bounce for the same address suppresses, and its
	// verification describes the record.
	h := hardAt("h2", "victim@example.com", time.Hour)
	h.Verification = "verified"
	if res, err := s.Apply(ctx, h); err != nil || !res.NewlySuppressed {
		t.Fatalf("Apply(verified) = %+v, %v; want newly suppressed", res, err)
	}
	if rec, err := s.Get(ctx, "victim@example.com"); err != nil || rec.Verification != "verified" || rec.Count != 2 {
		t.Errorf("Get() = %+v, %v; want verified, count 2", rec, err)
	}
}
