package app

import (
	"encoding/json"
	"io"
	"net/http"
	"strings"
	"testing"
	"time"

	"github.com/bounced-dev/bounced/internal/config"
	"github.com/bounced-dev/bounced/internal/rawstore"
	"github.com/bounced-dev/bounced/publisher"
)

// TestRun_rawBouncesKept: with raw.dir set, the daemon keeps each message
// before applying it; the record and the events link to it, and the API
// serves it by hash and by address.
func TestRun_rawBouncesKept(t *testing.T) {
	s := newStack(t)
	s.cfg.HTTP.ReadToken = config.Secret("read")
	s.cfg.Raw = config.Raw{Dir: t.TempDir(), RetentionDays: 7}
	a := s.run(t)
	raw, rcpt := genBounce("raw", 1)
	s.dovecot.Append(t, "INBOX", raw)
	waitFor(t, 20*time.Second, "the bounce handled", func() bool { return s.dovecot.Count(t, "Processed") == 1 })

	get := func(path string) (int, []byte) {
		req, _ := http.NewRequest("GET", "http://"+a.HTTPAddr()+path, nil)
		req.Header.Set("Authorization", "Bearer read")
		resp, err := http.DefaultClient.Do(req)
		if err != nil {
			t.Fatal(err)
		}
		defer resp.Body.Close()
		b, _ := io.ReadAll(resp.Body)
		return resp.StatusCode, b
	}
	code, body := get("/api/v1/suppressions/" + rcpt)
	var show struct {
		Raw     string `json:"raw"`
		Bounces []struct {
			Raw string `json:"raw"`
		} `json:"bounces"`
	}
	if err := json.Unmarshal(body, &show); err != nil || code != 200 || len(show.Raw) != 64 || len(show.Bounces) != 1 || show.Bounces[0].Raw != show.Raw {
		t.Fatalf("show = %d %s", code, body)
	}
	code, msg := get("/api/v1/bounces/" + show.Raw + "/raw")
	if code != 200 || rawstore.Hash(msg) != show.Raw || !strings.Contains(string(msg), rcpt) {
		t.Fatalf("raw by hash = %d, %d bytes (hash %s)", code, len(msg), rawstore.Hash(msg))
	}
	if code, msg2 := get("/api/v1/suppressions/" + rcpt + "/raw"); code != 200 || string(msg2) != string(msg) {
		t.Errorf("raw by address = %d, %d bytes", code, len(msg2))
	}
	var linked int
	for _, ev := range s.events(t) {
		if ev.Recipient == rcpt && (ev.Type == publisher.TypeBounce || ev.Type == publisher.TypeSuppressionAdded) {
			if ev.Raw != show.Raw {
				t.Errorf("event %s raw = %q, want %q", ev.Type, ev.Raw, show.Raw)
			}
			linked++
		}
	}
	if linked != 2 {
		t.Errorf("%d bounce and suppression events for %s, want 2", linked, rcpt)
	}
}
