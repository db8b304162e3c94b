package inbound

import (
	"encoding/json"
	"net/http/httptest"
	"testing"
)

// The readers never panic and never return a recipient without an
// address or an event id.
func FuzzSESRecipients(f *testing.F) {
	for _, name := range []string{"ses-bounce.json", "ses-bounce-noemail.json", "ses-complaint.json", "ses-delivery.json"} {
		f.Add(fixture(f, name))
	}
	f.Fuzz(func(t *testing.T, b []byte) {
		xs, err := sesRecipients("id", b)
		for _, x := range xs {
			if err != nil || x.Recipient == "" || x.EventID == "" {
				t.Fatalf("sesRecipients() = %+v, %v", x, err)
			}
		}
	})
}

func FuzzMailgunRecipients(f *testing.F) {
	for _, name := range []string{"mailgun-failed-permanent.json", "mailgun-failed-temporary.json", "mailgun-complained.json"} {
		f.Add(fixture(f, name))
	}
	f.Fuzz(func(t *testing.T, b []byte) {
		var body mailgunBody
		if json.Unmarshal([]byte(`{"event-data":`+string(b)+`}`), &body) != nil {
			return
		}
		xs, err := mailgunRecipients(&body)
		for _, x := range xs {
			if err != nil || x.Recipient == "" || x.EventID == "" {
				t.Fatalf("mailgunRecipients() = %+v, %v", x, err)
			}
		}
	})
}

func FuzzPostmark(f *testing.F) {
	for _, name := range []string{"postmark-hardbounce.json", "postmark-softbounce.json", "postmark-spamcomplaint.json"} {
		f.Add(fixture(f, name))
	}
	p, err := newPostmark(PostmarkOptions{SecretPath: "0123456789abcdef"})
	if err != nil {
		f.Fatal(err)
	}
	f.Fuzz(func(t *testing.T, b []byte) {
		r := httptest.NewRequest("POST", "/webhooks/postmark/0123456789abcdef", nil)
		r.SetPathValue("secret", "0123456789abcdef")
		xs, _, err := p.parse(r, b)
		for _, x := range xs {
			if err != nil || x.Recipient == "" || x.EventID == "" {
				t.Fatalf("parse() = %+v, %v", x, err)
			}
		}
	})
}
