package mailbox

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"log/slog"
	"net/http"
	"net/http/httptest"
	"net/url"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/bounced-dev/bounced/internal/testutil"
)

// authServer is an OAuth2 authorization server for tests: a token endpoint
// (/token) that issues access tokens for a refresh token (RFC 6749 section
// 6), and a token introspection endpoint (/introspect, RFC 7662) that
// Dovecot's oauth2 passdb asks about each token.
type authServer struct {
	*httptest.Server
	clientID, clientSecret, user string

	mu       sync.Mutex
	refresh  map[string]bool      // refresh tokens accepted
	tokens   map[string]time.Time // access token -> expiry
	revoked  map[string]bool
	life     time.Duration // of the next access tokens
	rotate   bool          // issue a new refresh token with each access token
	fail     int           // HTTP status to answer the next refresh with, 0 for none
	issued   []string
	asked    []string // tokens introspected, in order
	answered []bool   // whether each was active
	scopes   []string // scope parameter of each refresh
}

func newAuthServer(t *testing.T) *authServer {
	t.Helper()
	a := &authServer{
		clientID: "bounced-test", clientSecret: "client-secret-" + t.Name(), user: "bounces",
		refresh: map[string]bool{"refresh-1": true}, tokens: map[string]time.Time{}, revoked: map[string]bool{},
		life: time.Hour,
	}
	mux := http.NewServeMux()
	mux.HandleFunc("POST /token", a.token)
	mux.HandleFunc("POST /introspect", a.introspect)
	a.Server = httptest.NewServer(mux)
	t.Cleanup(a.Close)
	return a
}

func (a *authServer) token(w http.ResponseWriter, r *http.Request) {
	a.mu.Lock()
	defer a.mu.Unlock()
	w.Header().Set("Content-Type", "application/json")
	oauthErr := func(status int, code string) {
		w.WriteHeader(status)
		_ = json.NewEncoder(w).Encode(map[string]string{"error": code, "error_description": "test server says " + code})
	}
	if a.fail != 0 {
		status := a.fail
		a.fail = 0
		oauthErr(status, "temporarily_unavailable")
		return
	}
	grant := r.FormValue("grant_type")
	if grant != "refresh_token" && grant != "client_credentials" {
		oauthErr(http.StatusBadRequest, "unsupported_grant_type")
		return
	}
	id, secret, basic := r.BasicAuth()
	if basic {
		// RFC 6749 section 2.3.1: both are form-encoded first.
		id, _ = url.QueryUnescape(id)
		secret, _ = url.QueryUnescape(secret)
	} else {
		id, secret = r.FormValue("client_id"), r.FormValue("client_secret")
	}
	if id != a.clientID || secret != a.clientSecret {
		oauthErr(http.StatusUnauthorized, "invalid_client")
		return
	}
	if grant == "refresh_token" && !a.refresh[r.FormValue("refresh_token")] {
		oauthErr(http.StatusBadRequest, "invalid_grant")
		return
	}
	a.scopes = append(a.scopes, r.FormValue("scope"))
	tok := fmt.Sprintf("access-%d", len(a.issued)+1)
	a.issued = append(a.issued, tok)
	a.tokens[tok] = time.Now().Add(a.life)
	resp := map[string]any{"access_token": tok, "token_type": "Bearer", "expires_in": int(a.life / time.Second)}
	if a.rotate {
		rt := fmt.Sprintf("refresh-%d", len(a.issued)+1)
		a.refresh[rt] = true
		resp["refresh_token"] = rt
	}
	_ = json.NewEncoder(w).Encode(resp)
}

func (a *authServer) introspect(w http.ResponseWriter, r *http.Request) {
	a.mu.Lock()
	defer a.mu.Unlock()
	tok := r.FormValue("token")
	exp, ok := a.tokens[tok]
	active := ok && time.Now().Before(exp) && !a.revoked[tok]
	a.asked = append(a.asked, tok)
	a.answered = append(a.answered, active)
	w.Header().Set("Content-Type", "application/json")
	if !active {
		_ = json.NewEncoder(w).Encode(map[string]any{"active": false})
		return
	}
	_ = json.NewEncoder(w).Encode(map[string]any{"active": true, "username": a.user, "scope": "mail"})
}

// set changes the server's state under its lock.
func (a *authServer) set(f func()) {
	a.mu.Lock()
	defer a.mu.Unlock()
	f()
}

// issuedTokens returns the access tokens issued so far.
func (a *authServer) issuedTokens() []string {
	a.mu.Lock()
	defer a.mu.Unlock()
	return append([]string(nil), a.issued...)
}

// introspected returns the tokens Dovecot asked about and the answers.
func (a *authServer) introspected() ([]string, []bool) {
	a.mu.Lock()
	defer a.mu.Unlock()
	return append([]string(nil), a.asked...), append([]bool(nil), a.answered...)
}

func (a *authServer) oauth2() *OAuth2 {
	return &OAuth2{
		TokenURL: a.URL + "/token", ClientID: a.clientID, ClientSecret: a.clientSecret, RefreshToken: "refresh-1",
		Scopes: []string{"https://mail.example/imap", "offline_access"},
	}
}

func TestTokenSource_reuseAndRefresh(t *testing.T) {
	a := newAuthServer(t)
	o := a.oauth2()
	o.RefreshBefore = 2 * time.Second
	ts := newTokenSource(o, nil)
	ctx := context.Background()

	// A token good for an hour is reused.
	t1, err := ts.Token(ctx)
	if err != nil {
		t.Fatalf("Token() error = %v", err)
	}
	if t2, err := ts.Token(ctx); err != nil || t2 != t1 {
		t.Errorf("second Token() = %q, %v; want %q reused", t2, err, t1)
	}
	if n := len(a.issuedTokens()); n != 1 {
		t.Errorf("refreshes = %d, want 1", n)
	}
	a.set(func() {
		if got := a.scopes[0]; got != "https://mail.example/imap offline_access" {
			t.Errorf("scope sent = %q", got)
		}
	})

	// Invalidate makes the next Token refresh.
	a.set(func() { a.life = time.Second }) // expires within RefreshBefore: refreshed at every call
	ts.Invalidate()
	t3, err := ts.Token(ctx)
	if err != nil || t3 == t1 {
		t.Fatalf("Token() after Invalidate = %q, %v; want a new token", t3, err)
	}
	t4, err := ts.Token(ctx)
	if err != nil || t4 == t3 {
		t.Errorf("Token() of a token expiring within RefreshBefore = %q, %v; want a refreshed one", t4, err)
	}
	if n := len(a.issuedTokens()); n != 3 {
		t.Errorf("refreshes = %d, want 3", n)
	}
}

func TestTokenSource_rotation(t *testing.T) {
	a := newAuthServer(t)
	a.set(func() { a.rotate = true })
	var saved []string
	o := a.oauth2()
	o.SaveRefreshToken = func(tok string) error { saved = append(saved, tok); return nil }
	ts := newTokenSource(o, nil)
	if _, err := ts.Token(context.Background()); err != nil {
		t.Fatalf("Token() error = %v", err)
	}
	// The server forgets the first refresh token: only the rotated one
	// works now.
	a.set(func() { delete(a.refresh, "refresh-1") })
	ts.Invalidate()
	if _, err := ts.Token(context.Background()); err != nil {
		t.Fatalf("Token() with the rotated refresh token: %v", err)
	}
	if len(saved) != 2 || saved[0] != "refresh-2" || saved[1] != "refresh-3" {
		t.Errorf("SaveRefreshToken got %q, want [refresh-2 refresh-3]", saved)
	}
}

func TestTokenSource_clientCredentials(t *testing.T) {
	for _, basic := range []bool{false, true} {
		t.Run(fmt.Sprintf("basicAuth=%v", basic), func(t *testing.T) {
			a := newAuthServer(t)
			o := a.oauth2()
			o.Grant, o.RefreshToken, o.BasicAuth = GrantClientCredentials, "", basic
			o.Scopes = []string{"https://outlook.office365.com/.default"}
			if err := (&Config{Addr: "h:993", Username: "u", Auth: AuthXOAUTH2, OAuth2: o}).Validate(); err != nil {
				t.Fatalf("Validate() = %v", err)
			}
			tok, err := newTokenSource(o, nil).Token(context.Background())
			if err != nil || tok != "access-1" {
				t.Fatalf("Token() = %q, %v; want access-1", tok, err)
			}
			a.set(func() {
				if len(a.scopes) != 1 || a.scopes[0] != "https://outlook.office365.com/.default" {
					t.Errorf("scope sent = %q", a.scopes)
				}
			})
			o.ClientSecret = ""
			if err := (&Config{Addr: "h:993", Username: "u", Auth: AuthXOAUTH2, OAuth2: o}).Validate(); err == nil {
				t.Errorf("Validate() of client_credentials without a secret = nil, want an error")
			}
		})
	}
}

func TestTokenSource_errors(t *testing.T) {
	tests := []struct {
		name      string
		edit      func(a *authServer, o *OAuth2)
		permanent bool
		code      string
	}{
		{"revokedGrant", func(_ *authServer, o *OAuth2) { o.RefreshToken = "revoked-refresh-token" }, true, "invalid_grant"},
		{"wrongSecret", func(_ *authServer, o *OAuth2) { o.ClientSecret = "wrong-client-secret" }, true, "invalid_client"},
		{"unavailable", func(a *authServer, _ *OAuth2) { a.set(func() { a.fail = http.StatusServiceUnavailable }) }, false, "temporarily_unavailable"},
		{"unreachable", func(a *authServer, _ *OAuth2) { a.Close() }, false, ""},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			a := newAuthServer(t)
			o := a.oauth2()
			tc.edit(a, o)
			_, err := newTokenSource(o, nil).Token(context.Background())
			var te *TokenError
			if !errors.As(err, &te) {
				t.Fatalf("Token() error = %v, want a *TokenError", err)
			}
			if te.Permanent != tc.permanent || te.Code != tc.code {
				t.Errorf("TokenError = %+v, want permanent %v, code %q", te, tc.permanent, tc.code)
			}
			if got := credentialsRefused(fmt.Errorf("wrapped: %w", err)); got != tc.permanent {
				t.Errorf("credentialsRefused = %v, want %v", got, tc.permanent)
			}
			msg := err.Error()
			if !strings.HasPrefix(msg, "mailbox: ") {
				t.Errorf("error %q lacks the package prefix", msg)
			}
			for _, secret := range []string{o.ClientSecret, o.RefreshToken} {
				if strings.Contains(msg, secret) {
					t.Errorf("error %q holds a secret", msg)
				}
			}
		})
	}
}

func TestTokenSource_contextEndsWait(t *testing.T) {
	release := make(chan struct{})
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) { <-release }))
	defer srv.Close()
	defer close(release)
	ts := newTokenSource(&OAuth2{TokenURL: srv.URL, ClientID: "c", RefreshToken: "r"}, nil)
	ctx, cancel := context.WithCancel(context.Background())
	cancel()
	_, err := ts.Token(ctx)
	if !errors.Is(err, context.Canceled) {
		t.Errorf("Token() with a cancelled context = %v, want context.Canceled", err)
	}
}

func TestConfig_oauth2(t *testing.T) {
	base := func() Config {
		return Config{Addr: "imap.example:993", Username: "u", Auth: AuthXOAUTH2,
			OAuth2: &OAuth2{TokenURL: "https://login.example/token", ClientID: "c", RefreshToken: "r"}}
	}
	if c := base(); c.Validate() != nil {
		t.Errorf("Validate() = %v, want nil", c.Validate())
	}
	for name, tc := range map[string]struct {
		edit func(c *Config)
		want string
	}{
		"both":      {func(c *Config) { c.Token = func(context.Context) (string, error) { return "", nil } }, "not both"},
		"noURL":     {func(c *Config) { c.OAuth2.TokenURL = "" }, "token url"},
		"badURL":    {func(c *Config) { c.OAuth2.TokenURL = "login.example/token" }, "http(s)"},
		"noClient":  {func(c *Config) { c.OAuth2.ClientID = "" }, "client id"},
		"noRefresh": {func(c *Config) { c.OAuth2.RefreshToken = "" }, "refresh token"},
	} {
		t.Run(name, func(t *testing.T) {
			c := base()
			tc.edit(&c)
			if err := c.Validate(); err == nil || !strings.Contains(err.Error(), tc.want) {
				t.Errorf("Validate() = %v, want an error about %q", err, tc.want)
			}
		})
	}
}

// TestDovecot_xoauth2Refresh runs a worker against Dovecot's oauth2 passdb,
// which introspects every token at the test's authorization server: the
// worker logs in with an access token got from the refresh token; the
// token expires, and at the next connect the worker refreshes it and logs
// in again; a token revoked before its expiry is refused by Dovecot, and
// the worker refreshes once and logs in on the same connection.
func TestDovecot_xoauth2Refresh(t *testing.T) {
	if testing.Short() {
		t.Skip("integration test: skipped with -short")
	}
	a := newAuthServer(t)
	d := testutil.StartDovecotWith(t, testutil.DovecotOptions{OAuth2IntrospectionURL: a.URL + "/introspect"})
	cfg := dovecotConfig(d, "oauth")
	cfg.Auth, cfg.Password = AuthXOAUTH2, ""
	cfg.OAuth2 = a.oauth2()
	cfg.OAuth2.RefreshBefore = 200 * time.Millisecond
	a.set(func() { a.life = 2 * time.Second })

	d.Append(t, cfg.Mailbox, mail("bounce 1"))
	rec := &recorder{}
	logs := newLogRecords(t)
	r := start(t, cfg, rec.handle, newMemCheckpoints(), slog.New(logs))
	waitFor(t, 10*time.Second, "bounce 1", func() bool { return r.w.Status().Processed == 1 })
	if got := a.issuedTokens(); len(got) != 1 {
		t.Fatalf("access tokens issued = %q, want 1", got)
	}

	// The first token expires; the next connect must refresh it.
	first := a.issuedTokens()[0]
	waitFor(t, 10*time.Second, "first token expired", func() bool {
		a.mu.Lock()
		defer a.mu.Unlock()
		return time.Now().After(a.tokens[first])
	})
	a.set(func() { a.life = time.Hour })
	d.Stop()
	waitFor(t, 5*time.Second, "disconnected", func() bool { return !r.w.Status().Connected })
	d.Start()
	d.Append(t, cfg.Mailbox, mail("bounce 2"))
	waitFor(t, 15*time.Second, "bounce 2", func() bool { return r.w.Status().Processed == 2 })
	issued := a.issuedTokens()
	if len(issued) != 2 {
		t.Fatalf("access tokens issued = %q, want 2 (one refresh after the expiry)", issued)
	}
	asked, _ := a.introspected()
	if len(asked) == 0 || asked[len(asked)-1] != issued[1] {
		t.Errorf("Dovecot introspected %q, want the refreshed token %q last", asked, issued[1])
	}

	// The second token, good for an hour, is revoked: Dovecot refuses it,
	// the worker refreshes once and gets in.
	a.set(func() { a.revoked[issued[1]] = true })
	d.Stop()
	waitFor(t, 5*time.Second, "disconnected", func() bool { return !r.w.Status().Connected })
	d.Start()
	d.Append(t, cfg.Mailbox, mail("bounce 3"))
	waitFor(t, 15*time.Second, "bounce 3", func() bool { return r.w.Status().Processed == 3 })
	issued = a.issuedTokens()
	if len(issued) != 3 {
		t.Fatalf("access tokens issued = %q, want 3 (one refresh after the refusal)", issued)
	}
	asked, answered := a.introspected()
	n := len(asked)
	if n < 2 || asked[n-2] != issued[1] || answered[n-2] || asked[n-1] != issued[2] || !answered[n-1] {
		t.Errorf("Dovecot introspected %q (%v), want the revoked %q refused, then %q", asked, answered, issued[1], issued[2])
	}
	if c := logs.count(slog.LevelInfo, "mailbox: xoauth2 token refused, getting a fresh one"); c != 1 {
		t.Errorf("refusals logged %d times, want 1", c)
	}
	if got := d.Count(t, cfg.ProcessedFolder); got != 3 {
		t.Errorf("Count(%s) = %d, want 3", cfg.ProcessedFolder, got)
	}
	txt := logs.text()
	for _, secret := range append(issued, a.clientSecret, "refresh-1") {
		if strings.Contains(txt, secret) {
			t.Errorf("the logs hold secret %q:\n%s", secret, txt)
		}
	}
}

// TestDovecot_xoauth2Refused: a token Dovecot refuses even after a refresh
// gives an *AuthError with the server's report, logged once as refused
// credentials.
func TestDovecot_xoauth2Refused(t *testing.T) {
	if testing.Short() {
		t.Skip("integration test: skipped with -short")
	}
	a := newAuthServer(t)
	a.set(func() { a.user = "someone-else" }) // every token introspects as another account
	d := testutil.StartDovecotWith(t, testutil.DovecotOptions{OAuth2IntrospectionURL: a.URL + "/introspect"})
	cfg := dovecotConfig(d, "refused")
	cfg.Auth, cfg.Password = AuthXOAUTH2, ""
	cfg.OAuth2 = a.oauth2()
	logs := newLogRecords(t)
	r := start(t, cfg, (&recorder{}).handle, newMemCheckpoints(), slog.New(logs))
	waitFor(t, 10*time.Second, "an error", func() bool { return r.w.Status().LastError != "" })
	st := r.w.Status()
	if !strings.Contains(st.LastError, "xoauth2 token rejected") || st.Connected {
		t.Errorf("Status() = %+v, want a refused xoauth2 login", st)
	}
	if n := len(a.issuedTokens()); n < 2 {
		t.Errorf("access tokens issued = %d, want at least 2 (a refresh after the first refusal)", n)
	}
	waitFor(t, 5*time.Second, "refusal logged", func() bool {
		return logs.count(slog.LevelError, "mailbox: credentials refused, retrying") == 1
	})
}

// TestWorker_oauth2GrantRefused: a refresh token the authorization server
// refuses is a permanent *TokenError: the worker does not log in, says why
// in its status, and logs it once at error level without the secrets.
func TestWorker_oauth2GrantRefused(t *testing.T) {
	s := testutil.StartIMAPMem(t)
	a := newAuthServer(t)
	cfg := memConfig(s)
	cfg.Auth, cfg.Password = AuthXOAUTH2, ""
	cfg.OAuth2 = a.oauth2()
	cfg.OAuth2.RefreshToken = "revoked-refresh-token"
	logs := newLogRecords(t)
	r := start(t, cfg, (&recorder{}).handle, newMemCheckpoints(), slog.New(logs))
	waitFor(t, 5*time.Second, "several attempts", func() bool { return r.w.Status().Reconnects >= 2 })
	st := r.w.Status()
	if st.Connected || !strings.Contains(st.LastError, "invalid_grant") || !strings.Contains(st.LastError, "permanent") {
		t.Errorf("Status() = %+v, want a permanent invalid_grant error", st)
	}
	if n := logs.count(slog.LevelError, "mailbox: credentials refused, retrying"); n != 1 {
		t.Errorf("refusal logged %d times at error, want once", n)
	}
	txt := logs.text()
	if strings.Contains(txt, "revoked-refresh-token") || strings.Contains(txt, a.clientSecret) {
		t.Errorf("the logs hold a secret:\n%s", txt)
	}
}
