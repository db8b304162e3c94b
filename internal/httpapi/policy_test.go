package httpapi

import (
	"context"
	"encoding/json"
	"io"
	"net/http"
	"strings"
	"testing"
	"time"

	"github.com/bounced-dev/bounced/internal/suppress"
	"github.com/bounced-dev/bounced/outcome"
)

// TestAPI_checkAgreesWithStore: the check route, IsSuppressed and
// SISMEMBER on each scope's set give one answer.
func TestAPI_checkAgreesWithStore(t *testing.T) {
	srv, st, _ := newServerWith(t, Options{ReadToken: readTok, WriteToken: writeTok})
	ctx := context.Background()
	if _, err := st.Apply(ctx, complaint("c@example.com")); err != nil {
		t.Fatal(err)
	}
	for _, addr := range []string{"a@example.com", "A@EXAMPLE.com", "c@example.com", "nobody@example.com"} {
		for _, scope := range []string{"all", "transactional", "marketing"} {
			want, err := st.IsSuppressed(ctx, addr, scope)
			if err != nil {
				t.Fatal(err)
			}
			code, body := do(t, "GET", srv.URL+"/api/v1/suppressions/"+addr+"/check?scope="+scope, readTok)
			var got struct {
				Address    string
				Suppressed bool
			}
			json.Unmarshal([]byte(body), &got)
			if code != 200 || got.Suppressed != want || got.Address != strings.ToLower(addr) {
				t.Errorf("check %s %s = %d %s, want suppressed %v", addr, scope, code, body, want)
			}
		}
	}
	if code, _ := do(t, "GET", srv.URL+"/api/v1/suppressions/a@example.com/check?scope=newsletter", readTok); code != 400 {
		t.Errorf("check with an unknown scope = %d, want 400", code)
	}
	if code, _ := do(t, "GET", srv.URL+"/api/v1/suppressions/a@example.com/check", ""); code != 401 {
		t.Errorf("check without a token = %d, want 401", code)
	}
}

func TestAPI_allowlist(t *testing.T) {
	srv, st, removed := newServerWith(t, Options{ReadToken: readTok, WriteToken: writeTok})
	ctx := context.Background()
	if code, _ := do(t, "PUT", srv.URL+"/api/v1/allowlist/a@example.com", readTok); code != 401 {
		t.Errorf("PUT with the read token = %d, want 401", code)
	}
	code, body := do(t, "PUT", srv.URL+"/api/v1/allowlist/A@Example.com?actor=alice&note=vip", writeTok)
	if code != 200 || !strings.Contains(body, `"added": true`) {
		t.Fatalf("PUT = %d %s", code, body)
	}
	if sup, _ := st.IsSuppressed(ctx, "a@example.com", "all"); sup {
		t.Error("a@example.com still suppressed after it was allowlisted")
	}
	if len(*removed) != 1 {
		t.Errorf("OnRemove calls = %v, want one (the lift is published)", *removed)
	}
	if code, _ := do(t, "PUT", srv.URL+"/api/v1/allowlist/@partner.example", writeTok); code != 200 {
		t.Errorf("PUT domain = %d", code)
	}
	if code, _ := do(t, "PUT", srv.URL+"/api/v1/allowlist/not-a-domain", writeTok); code != 400 {
		t.Errorf("PUT invalid = %d, want 400", code)
	}
	code, body = do(t, "GET", srv.URL+"/api/v1/allowlist", readTok)
	if code != 200 || !strings.Contains(body, `"entry": "a@example.com"`) || !strings.Contains(body, `"entry": "partner.example"`) {
		t.Errorf("GET = %d %s", code, body)
	}
	r, err := st.Apply(ctx, hard("x@partner.example"))
	if err != nil || r.Suppressed || !r.Allowlisted {
		t.Errorf("Apply(allowlisted domain) = %+v, %v", r, err)
	}
	if code, _ := do(t, "DELETE", srv.URL+"/api/v1/allowlist/partner.example?actor=bob", writeTok); code != 200 {
		t.Errorf("DELETE = %d", code)
	}
	if code, _ := do(t, "DELETE", srv.URL+"/api/v1/allowlist/partner.example", writeTok); code != 404 {
		t.Errorf("DELETE again = %d, want 404", code)
	}
	audit, _ := st.Audit(ctx, 0)
	var actions []string
	for _, e := range audit {
		actions = append(actions, e.Action+":"+e.Actor)
	}
	if got := strings.Join(actions, ","); got != "allow_remove:bob,allow_add:api,remove:alice,allow_add:alice" {
		t.Errorf("audit = %s", got)
	}
}

func TestAPI_deliveries(t *testing.T) {
	srv, st, _ := newServerWith(t, Options{ReadToken: readTok, WriteToken: writeTok})
	ctx := context.Background()
	now := time.Now()
	for i, d := range []time.Duration{-72 * time.Hour, -48 * time.Hour} {
		e := soft("full@example.com", now.Add(d))
		e.IdempotencyKey += string(rune('a' + i))
		if _, err := st.Apply(ctx, e); err != nil {
			t.Fatal(err)
		}
	}
	post := func(tok, body string) (int, string) {
		req, _ := http.NewRequest("POST", srv.URL+"/api/v1/deliveries", strings.NewReader(body))
		req.Header.Set("Authorization", "Bearer "+tok)
		resp, err := http.DefaultClient.Do(req)
		if err != nil {
			t.Fatal(err)
		}
		defer resp.Body.Close()
		b, _ := io.ReadAll(resp.Body)
		return resp.StatusCode, string(b)
	}
	if code, _ := post(readTok, `{"recipients": ["full@example.com"]}`); code != 401 {
		t.Errorf("POST with the read token = %d, want 401", code)
	}
	for _, bad := range []string{`{}`, `{"recipients": ["nope"]}`, `{"recipient": "a@example.com", "bogus": 1}`, `[`} {
		if code, _ := post(writeTok, bad); code != 400 {
			t.Errorf("POST %s = %d, want 400", bad, code)
		}
	}
	code, body := post(writeTok, `{"recipients": ["Full@Example.com"], "at": "`+now.Add(-time.Hour).UTC().Format(time.RFC3339)+`"}`)
	if code != 200 || !strings.Contains(body, `"cleared": 2`) {
		t.Fatalf("POST = %d %s", code, body)
	}
	r, err := st.Apply(ctx, soft("full@example.com", now))
	if err != nil || r.Suppressed || r.WindowCount != 1 {
		t.Errorf("Apply() after the delivery = %+v, %v; want a fresh count", r, err)
	}
}

func hard(addr string) suppress.Entry {
	return suppress.Entry{IdempotencyKey: "h:" + addr, Recipient: addr, Verdict: outcome.Verdict{Kind: "bounce", Reason: "user_unknown", Category: "user_unknown",
		Hard: true}, At: time.Now()}
}

func soft(addr string, at time.Time) suppress.Entry {
	return suppress.Entry{IdempotencyKey: "s:" + addr + at.String(), Recipient: addr, Verdict: outcome.Verdict{Kind: "bounce", Reason: "mailbox_full", Category: "mailbox_full"}, At: at}
}

func complaint(addr string) suppress.Entry {
	return suppress.Entry{IdempotencyKey: "c:" + addr, Recipient: addr, Verdict: outcome.Verdict{Kind: "complaint", Reason: "complaint", Category: "complaint"}, At: time.Now()}
}
