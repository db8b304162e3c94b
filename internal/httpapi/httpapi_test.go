package httpapi

import (
	"context"
	"encoding/json"
	"io"
	"net/http"
	"net/http/httptest"
	"strings"
	"testing"
	"time"

	"github.com/bounced-dev/bounced/internal/suppress"
	"github.com/bounced-dev/bounced/internal/testutil"
	"github.com/bounced-dev/bounced/outcome"
	"github.com/redis/go-redis/v9"
)

func newServer(t *testing.T, token string) (*httptest.Server, *suppress.Store, *[]string) {
	t.Helper()
	return newServerWith(t, Options{Token: token})
}

// newServerWith serves o (its Store and OnRemove set here) over a Redis
// holding a@example.com and b@example.org.
func newServerWith(t *testing.T, o Options) (*httptest.Server, *suppress.Store, *[]string) {
	t.Helper()
	rs := testutil.StartRedis(t)
	c := redis.NewClient(&redis.Options{Addr: rs.Addr})
	t.Cleanup(func() { c.Close() })
	st := suppress.New(c, "{t}", suppress.DefaultPolicy(), nil)
	ctx := context.Background()
	at := time.Now().Add(-time.Hour)
	for _, e := range []suppress.Entry{
		{IdempotencyKey: "m1:a", Recipient: "a@example.com", Verdict: outcome.Verdict{Kind: "bounce", Reason: "user_unknown", Category: "user_unknown", Hard: true, Diagnostic: "550 5.1.1 no such user"}, At: at},
		{IdempotencyKey: "m2:b", Recipient: "b@example.org", Verdict: outcome.Verdict{Kind: "bounce", Reason: "host_unknown", Category: "host_unknown", Hard: true}, At: at},
	} {
		if _, err := st.Apply(ctx, e); err != nil {
			t.Fatal(err)
		}
	}
	var removed []string
	o.Store = st
	o.OnRemove = func(addr, actor string) {
		removed = append(removed, addr+"/"+actor)
	}
	h := Handler(o)
	srv := httptest.NewServer(h)
	t.Cleanup(srv.Close)
	return srv, st, &removed
}

func do(t *testing.T, method, url, token string) (int, string) {
	t.Helper()
	req, _ := http.NewRequest(method, url, nil)
	if token != "" {
		req.Header.Set("Authorization", "Bearer "+token)
	}
	resp, err := http.DefaultClient.Do(req)
	if err != nil {
		t.Fatal(err)
	}
	defer resp.Body.Close()
	b, _ := io.ReadAll(resp.Body)
	return resp.StatusCode, string(b)
}

func TestAPI_listAndGet(t *testing.T) {
	srv, _, _ := newServer(t, "tok")
	code, body := do(t, "GET", srv.URL+"/api/v1/suppressions?domain=example.com", "tok")
	if code != 200 {
		t.Fatalf("list = %d %s", code, body)
	}
	var out struct {
		Total        int               `json:"total"`
		Suppressions []suppress.Record `json:"suppressions"`
	}
	json.Unmarshal([]byte(body), &out)
	if out.Total != 1 || len(out.Suppressions) != 1 || out.Suppressions[0].Address != "a@example.com" {
		t.Errorf("list(domain=example.com) = %+v", out)
	}
	if code, body = do(t, "GET", srv.URL+"/api/v1/suppressions/b@example.org", "tok"); code != 200 || !strings.Contains(body, "host_unknown") {
		t.Errorf("get = %d %s", code, body)
	}
	if code, _ = do(t, "GET", srv.URL+"/api/v1/suppressions/nobody@example.net", "tok"); code != 404 {
		t.Errorf("get unknown = %d, want 404", code)
	}
	if code, _ = do(t, "GET", srv.URL+"/api/v1/suppressions?limit=x", "tok"); code != 400 {
		t.Errorf("bad limit = %d, want 400", code)
	}
}

func TestAPI_removeNeedsToken(t *testing.T) {
	srv, st, removed := newServer(t, "tok")
	tests := []struct {
		name, token string
		want        int
	}{
		{"no token", "", 401},
		{"wrong token", "nope", 401},
		{"right token", "tok", 200},
		{"already lifted", "tok", 404},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			if code, body := do(t, "DELETE", srv.URL+"/api/v1/suppressions/a@example.com?actor=alice", tc.token); code != tc.want {
				t.Errorf("DELETE = %d %s, want %d", code, body, tc.want)
			}
		})
	}
	ok, err := st.IsSuppressed(context.Background(), "a@example.com", "all")
	if err != nil || ok {
		t.Errorf("IsSuppressed after lift = %v, %v; want false", ok, err)
	}
	if len(*removed) != 1 || (*removed)[0] != "a@example.com/alice" {
		t.Errorf("OnRemove calls = %v", *removed)
	}
}

func TestAPI_removeDisabledWithoutToken(t *testing.T) {
	srv, _, _ := newServer(t, "")
	if code, _ := do(t, "DELETE", srv.URL+"/api/v1/suppressions/a@example.com", "anything"); code != 403 {
		t.Errorf("DELETE without configured token = %d, want 403", code)
	}
}

func TestAPI_health(t *testing.T) {
	h := Handler(Options{Health: func(context.Context) Status {
		return Status{Ready: false, Components: map[string]Component{"redis": {OK: false, Error: "down"}}}
	}})
	srv := httptest.NewServer(h)
	defer srv.Close()
	if code, _ := do(t, "GET", srv.URL+"/healthz", ""); code != 200 {
		t.Errorf("healthz = %d", code)
	}
	if code, body := do(t, "GET", srv.URL+"/readyz", ""); code != 503 || !strings.Contains(body, "down") {
		t.Errorf("readyz = %d %s, want 503", code, body)
	}
}
