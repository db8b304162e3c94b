package httpapi

import (
	"io"
	"log/slog"
	"net"
	"net/http"
	"net/http/httptest"
	"strconv"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/bounced-dev/bounced/internal/testutil"
)

const (
	readTok  = "r3ad-2b7e151628aed2a6abf71588"
	writeTok = "wr1te-09cf4f3c762e7160f38b4da5"
)

// TestAPI_tokens: reads of personal data need the read or the write
// token, changes need the write token, and the deprecated http.token is
// both.
func TestAPI_tokens(t *testing.T) {
	srv, _, _ := newServerWith(t, Options{ReadToken: readTok, WriteToken: writeTok})
	legacy, _, _ := newServerWith(t, Options{Token: "legacy-6bc1bee22e409f96e93d7e11"})
	list := "/api/v1/suppressions"
	one := "/api/v1/suppressions/b@example.org"
	tests := []struct {
		name, base, method, path, token string
		want                            int
	}{
		{"list without a token", srv.URL, "GET", list, "", 401},
		{"one address without a token", srv.URL, "GET", one, "", 401},
		{"page data with a wrong token", srv.URL, "GET", list, "guess", 401},
		{"list with the read token", srv.URL, "GET", list, readTok, 200},
		{"one address with the read token", srv.URL, "GET", one, readTok, 200},
		{"list with the write token", srv.URL, "GET", list, writeTok, 200},
		{"lift with the read token", srv.URL, "DELETE", one, readTok, 401},
		{"lift with the write token", srv.URL, "DELETE", one, writeTok, 200},
		{"legacy token reads", legacy.URL, "GET", list, "legacy-6bc1bee22e409f96e93d7e11", 200},
		{"legacy token lifts", legacy.URL, "DELETE", "/api/v1/suppressions/a@example.com", "legacy-6bc1bee22e409f96e93d7e11", 200},
		{"health needs none", srv.URL, "GET", "/healthz", "", 200},
		{"metrics need none", srv.URL, "GET", "/metrics", "", 200},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			if code, body := do(t, tc.method, tc.base+tc.path, tc.token); code != tc.want {
				t.Errorf("%s %s = %d %s, want %d", tc.method, tc.path, code, body, tc.want)
			}
		})
	}
}

// TestAPI_readsDisabledWithoutToken: with no token configured the list is
// not open to anyone.
func TestAPI_readsDisabledWithoutToken(t *testing.T) {
	srv, _, _ := newServerWith(t, Options{})
	for _, p := range []string{"/api/v1/suppressions", "/api/v1/suppressions/a@example.com"} {
		if code, body := do(t, "GET", srv.URL+p, "anything"); code != 403 {
			t.Errorf("GET %s without configured tokens = %d %s, want 403", p, code, body)
		}
	}
	// A write token alone opens reads too.
	srv, _, _ = newServerWith(t, Options{WriteToken: writeTok})
	if code, body := do(t, "GET", srv.URL+"/api/v1/suppressions", writeTok); code != 200 {
		t.Errorf("GET with the write token only configured = %d %s, want 200", code, body)
	}
}

// fakeClock is a clock tests move by hand.
type fakeClock struct {
	mu sync.Mutex
	t  time.Time
}

func (c *fakeClock) now() time.Time { c.mu.Lock(); defer c.mu.Unlock(); return c.t }
func (c *fakeClock) add(d time.Duration) {
	c.mu.Lock()
	c.t = c.t.Add(d)
	c.mu.Unlock()
}

// clientFrom returns an HTTP client whose connections come from the
// loopback address ip.
func clientFrom(ip string) *http.Client {
	d := &net.Dialer{LocalAddr: &net.TCPAddr{IP: net.ParseIP(ip)}}
	return &http.Client{Transport: &http.Transport{DialContext: d.DialContext}, Timeout: 10 * time.Second}
}

func doFrom(t *testing.T, c *http.Client, method, url, token string) int {
	t.Helper()
	req, _ := http.NewRequest(method, url, nil)
	if token != "" {
		req.Header.Set("Authorization", "Bearer "+token)
	}
	resp, err := c.Do(req)
	if err != nil {
		t.Error(err) // not Fatal: called from goroutines too
		return 0
	}
	io.Copy(io.Discard, resp.Body)
	resp.Body.Close()
	if resp.StatusCode == 429 && resp.Header.Get("Retry-After") == "" {
		t.Errorf("429 without Retry-After")
	}
	return resp.StatusCode
}

// TestAPI_tokenGuessingIsLimited: a guessing loop gets 429 after the
// burst, even for the right token while it is limited (so a right guess
// cannot be told apart), the refusals are logged at warn without the
// token and without flooding the log, other clients are not affected, and
// the right token works once the budget refills.
func TestAPI_tokenGuessingIsLimited(t *testing.T) {
	var logs testutil.LogBuffer
	clock := &fakeClock{t: time.Date(2026, 12, 2, 10, 0, 0, 0, time.UTC)}
	srv, _, _ := newServerWith(t, Options{
		ReadToken: readTok, WriteToken: writeTok,
		AuthFailureBurst: 5, AuthFailureInterval: time.Minute,
		Log:   slog.New(slog.NewTextHandler(&logs, &slog.HandlerOptions{Level: slog.LevelWarn})),
		clock: clock.now,
	})
	url := srv.URL + "/api/v1/suppressions"
	guesser := clientFrom("127.0.0.1")
	counts := map[int]int{}
	const guesses = 200
	for i := range guesses {
		code := doFrom(t, guesser, "GET", url, "guess-"+strings.Repeat("x", i%7)+"-secret-guess")
		counts[code]++
		if i < 5 && code != 401 {
			t.Errorf("guess %d = %d, want 401 (within the burst)", i, code)
		}
	}
	if counts[401] != 5 || counts[429] != guesses-5 {
		t.Errorf("guess answers = %v, want 5 x 401 and %d x 429", counts, guesses-5)
	}
	if code := doFrom(t, guesser, "GET", url, readTok); code != 429 {
		t.Errorf("right token while limited = %d, want 429", code)
	}
	// Another client is not limited.
	if code := doFrom(t, clientFrom("127.0.0.2"), "GET", url, readTok); code != 200 {
		t.Errorf("right token from another client = %d, want 200", code)
	}

	log := logs.String()
	lines := strings.Count(log, "bearer token refused")
	if lines == 0 || !strings.Contains(log, "level=WARN") || !strings.Contains(log, "client=127.0.0.1") {
		t.Errorf("no warn line about refused tokens from 127.0.0.1:\n%s", log)
	}
	if lines > 20 {
		t.Errorf("%d log lines for %d refusals: the log is not rate limited", lines, guesses+1)
	}
	if !strings.Contains(log, `route="GET /api/v1/suppressions"`) {
		t.Errorf("the log does not name the route:\n%s", log)
	}
	if strings.Contains(log, "secret-guess") || strings.Contains(log, readTok) {
		t.Errorf("a token value is in the log:\n%s", log)
	}

	// A second later one more line may be written, counting the others.
	clock.add(time.Second)
	doFrom(t, guesser, "GET", url, "guess-again-secret-guess")
	if !strings.Contains(logs.Tail(400), "refusals_not_logged="+strconv.Itoa(guesses+1-lines)) {
		t.Errorf("want refusals_not_logged=%d in the last line:\n%s", guesses+1-lines, logs.Tail(400))
	}

	// After the interval the right token works.
	clock.add(time.Minute)
	if code := doFrom(t, guesser, "GET", url, readTok); code != 200 {
		t.Errorf("right token after the interval = %d, want 200", code)
	}
}

// TestAPI_securityHeaders: every answer, errors included, carries the
// security headers; API answers forbid everything and are not cached, and
// the page loads only its own script and style, with nothing inline.
func TestAPI_securityHeaders(t *testing.T) {
	srv, _, _ := newServerWith(t, Options{ReadToken: readTok, WriteToken: writeTok})
	paths := []struct {
		path, token string
		code        int
	}{
		{"/healthz", "", 200},
		{"/readyz", "", 200},
		{"/metrics", "", 200},
		{"/api/v1/suppressions", readTok, 200},
		{"/api/v1/suppressions", "", 401},
		{"/api/v1/suppressions/a@example.com", readTok, 200},
		{"/api/v1/suppressions/nobody@example.com", readTok, 404},
		{"/no/such/path", "", 404},
		{"/", "", 200},
		{"/ui/app.js", "", 200},
		{"/ui/app.css", "", 200},
		{"/ui/index.html", "", 404},
	}
	for _, p := range paths {
		t.Run(p.path+" "+p.token, func(t *testing.T) {
			req, _ := http.NewRequest("GET", srv.URL+p.path, nil)
			if p.token != "" {
				req.Header.Set("Authorization", "Bearer "+p.token)
			}
			resp, err := http.DefaultClient.Do(req)
			if err != nil {
				t.Fatal(err)
			}
			body, _ := io.ReadAll(resp.Body)
			resp.Body.Close()
			if resp.StatusCode != p.code {
				t.Fatalf("GET %s = %d, want %d", p.path, resp.StatusCode, p.code)
			}
			h := resp.Header
			for k, want := range map[string]string{
				"X-Content-Type-Options": "nosniff",
				"X-Frame-Options":        "DENY",
				"Referrer-Policy":        "no-referrer",
				"Cache-Control":          "no-store",
			} {
				if got := h.Get(k); got != want {
					t.Errorf("%s = %q, want %q", k, got, want)
				}
			}
			csp := h.Get("Content-Security-Policy")
			if !strings.Contains(csp, "default-src 'none'") || !strings.Contains(csp, "frame-ancestors 'none'") {
				t.Errorf("Content-Security-Policy = %q, want default-src 'none' and frame-ancestors 'none'", csp)
			}
			if strings.Contains(csp, "unsafe") || strings.Contains(csp, "*") {
				t.Errorf("Content-Security-Policy = %q allows unsafe sources", csp)
			}
			if p.path != "/" {
				if csp != apiCSP {
					t.Errorf("Content-Security-Policy = %q, want %q", csp, apiCSP)
				}
				return
			}
			for _, want := range []string{"script-src 'self'", "style-src 'self'", "connect-src 'self'"} {
				if !strings.Contains(csp, want) {
					t.Errorf("page Content-Security-Policy = %q, want %s", csp, want)
				}
			}
			page := string(body)
			if strings.Contains(page, "<script>") || strings.Contains(page, "<style") || strings.Contains(page, " style=") ||
				strings.Contains(page, "onclick") || strings.Contains(page, "javascript:") {
				t.Errorf("the page has inline script or style:\n%s", page)
			}
			if !strings.Contains(page, `<script src="/ui/app.js"`) || strings.Contains(page, "a@example.com") {
				t.Errorf("the page does not load /ui/app.js or holds data without a token:\n%s", page)
			}
		})
	}
}

// TestAPI_pageScriptUsesTheToken: the page's script sends the token with
// every API call and puts server text into the page as text only.
func TestAPI_pageScriptUsesTheToken(t *testing.T) {
	b, err := ui.ReadFile("ui/app.js")
	if err != nil {
		t.Fatal(err)
	}
	js := string(b)
	if strings.Count(js, "headers: auth()") < 2 {
		t.Errorf("app.js does not send the token with the list and the lift")
	}
	for _, bad := range []string{"innerHTML", "outerHTML", "insertAdjacentHTML", "document.write", "eval(", "localStorage"} {
		if strings.Contains(js, bad) {
			t.Errorf("app.js uses %s", bad)
		}
	}
}

// TestAPI_healthHasHeaders: a handler with no store still answers health
// with the headers.
func TestAPI_healthHasHeaders(t *testing.T) {
	srv := httptest.NewServer(Handler(Options{}))
	defer srv.Close()
	resp, err := http.Get(srv.URL + "/healthz")
	if err != nil {
		t.Fatal(err)
	}
	resp.Body.Close()
	if resp.Header.Get("X-Content-Type-Options") != "nosniff" {
		t.Errorf("healthz headers = %v", resp.Header)
	}
}

// TestAPI_refusalLogHoldsNoAddress: the log line of a refused token names
// the route, not the address asked for (personal data).
func TestAPI_refusalLogHoldsNoAddress(t *testing.T) {
	var logs testutil.LogBuffer
	srv, _, _ := newServerWith(t, Options{ReadToken: readTok, Log: slog.New(slog.NewTextHandler(&logs, nil))})
	if code := doFrom(t, http.DefaultClient, "GET", srv.URL+"/api/v1/suppressions/victim@example.com", "guess-secret-guess"); code != 401 {
		t.Fatalf("wrong token = %d, want 401", code)
	}
	log := logs.String()
	if !strings.Contains(log, "bearer token refused") || !strings.Contains(log, "{address}") {
		t.Errorf("no refusal line naming the route:\n%s", log)
	}
	if strings.Contains(log, "victim") || strings.Contains(log, "secret-guess") {
		t.Errorf("the log holds the address or the token:\n%s", log)
	}
}

// TestAPI_concurrentGuessesCannotOverrunTheBudget: guesses sent all at
// once get no more 401s (tokens compared) than the burst.
func TestAPI_concurrentGuessesCannotOverrunTheBudget(t *testing.T) {
	clock := &fakeClock{t: time.Date(2026, 12, 2, 10, 0, 0, 0, time.UTC)}
	srv, _, _ := newServerWith(t, Options{ReadToken: readTok, AuthFailureBurst: 5, AuthFailureInterval: time.Minute, clock: clock.now})
	c := &http.Client{Transport: &http.Transport{MaxConnsPerHost: 0, MaxIdleConnsPerHost: 100}, Timeout: 20 * time.Second}
	const n = 100
	codes := make(chan int, n)
	var wg sync.WaitGroup
	for i := range n {
		wg.Add(1)
		go func() {
			defer wg.Done()
			codes <- doFrom(t, c, "GET", srv.URL+"/api/v1/suppressions", "guess-"+strconv.Itoa(i))
		}()
	}
	wg.Wait()
	close(codes)
	counts := map[int]int{}
	for code := range codes {
		counts[code]++
	}
	if counts[401] != 5 || counts[429] != n-5 {
		t.Errorf("answers to %d concurrent guesses = %v, want 5 x 401 and %d x 429", n, counts, n-5)
	}
}
