package mailbox

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"net/http"
	"net/url"
	"strings"
	"sync"
	"time"

	"golang.org/x/oauth2"
)

// DefaultRefreshBefore is how long before its expiry an access token is
// refreshed, by default.
const DefaultRefreshBefore = time.Minute

// The OAuth2 grants.
const (
	// GrantRefreshToken gets access tokens with a refresh token (RFC 6749
	// section 6), the grant a user consented to once. It is the default.
	GrantRefreshToken = "refresh_token"
	// GrantClientCredentials gets access tokens with the client's own
	// credentials (RFC 6749 section 4.4): an application allowed to the
	// mailbox by an administrator, as Microsoft 365 permits for IMAP
	// (scope https://outlook.office365.com/.default).
	GrantClientCredentials = "client_credentials"
)

// OAuth2 configures the grant that gets the access tokens for auth
// xoauth2: the refresh-token grant for Gmail (token URL
// https://oauth2.googleapis.com/token, scope https://mail.google.com/) and
// Microsoft 365 (https://login.microsoftonline.com/TENANT/oauth2/v2.0/token,
// scopes https://outlook.office.com/IMAP.AccessAsUser.All and
// offline_access), or Microsoft 365's client-credentials grant.
type OAuth2 struct {
	// Grant is GrantRefreshToken (default, "") or GrantClientCredentials.
	Grant string
	// TokenURL is the authorization server's token endpoint (required).
	TokenURL string
	// ClientID is the application's client id (required).
	ClientID string
	// ClientSecret is the application's secret; empty for a public
	// client. It is never logged.
	ClientSecret string
	// RefreshToken is the long-lived grant the access tokens are got with
	// (required for GrantRefreshToken, unused otherwise). A server that rotates it (Microsoft does) sends a new
	// one with each access token; the new one is used from then on and
	// handed to SaveRefreshToken. It is never logged.
	RefreshToken string
	// Scopes are sent with each refresh; empty keeps the scopes granted.
	Scopes []string
	// BasicAuth sends the client id and secret as HTTP Basic
	// authentication (RFC 6749 section 2.3.1) instead of in the request
	// body, which is what Google and Microsoft document.
	BasicAuth bool
	// RefreshBefore is how long before its expiry a token is refreshed
	// rather than used (default DefaultRefreshBefore), so that a token
	// does not expire between the refresh and the login.
	RefreshBefore time.Duration
	// HTTPClient makes the token requests (default: a client with a 30
	// second timeout).
	HTTPClient *http.Client
	// SaveRefreshToken, when not nil, is called with a new refresh token
	// the server issued in place of the old one, so that it can be kept
	// for the next start. An error is logged and otherwise ignored.
	SaveRefreshToken func(token string) error
}

// validate reports the first missing setting.
func (o *OAuth2) validate() error {
	switch {
	case o.TokenURL == "":
		return errors.New("mailbox: oauth2 needs a token url")
	case !strings.HasPrefix(o.TokenURL, "https://") && !strings.HasPrefix(o.TokenURL, "http://"):
		return fmt.Errorf("mailbox: oauth2 token url %q: want an http(s) URL", o.TokenURL)
	case o.ClientID == "":
		return errors.New("mailbox: oauth2 needs a client id")
	case o.Grant != "" && o.Grant != GrantRefreshToken && o.Grant != GrantClientCredentials:
		return fmt.Errorf("mailbox: oauth2 grant %q: want %s or %s", o.Grant, GrantRefreshToken, GrantClientCredentials)
	case o.Grant == GrantClientCredentials && o.ClientSecret == "":
		return errors.New("mailbox: oauth2 grant client_credentials needs a client secret")
	case o.Grant != GrantClientCredentials && o.RefreshToken == "":
		return errors.New("mailbox: oauth2 needs a refresh token")
	case o.RefreshBefore < 0:
		return fmt.Errorf("mailbox: oauth2 refresh before %v is negative", o.RefreshBefore)
	}
	return nil
}

// TokenError is a failure to get an access token from the token
// endpoint. Permanent is true when the server refused the grant or the
// client (RFC 6749 section 5.2: invalid_grant, invalid_client,
// unauthorized_client, unsupported_grant_type, invalid_scope,
// invalid_request): a revoked or expired refresh token, a wrong secret,
// which only an operator can cure. Network errors, 5xx and 429 answers are
// transient. The error never holds a token or the secret.
type TokenError struct {
	// Permanent says that retrying cannot help.
	Permanent bool
	// Code is the server's error code (RFC 6749 section 5.2), "" when it
	// sent none.
	Code string
	// Status is the HTTP status of the answer, 0 when there was none.
	Status int
	// Err is the underlying error.
	Err error
}

func (e *TokenError) Error() string {
	kind := "transient"
	if e.Permanent {
		kind = "permanent"
	}
	return fmt.Sprintf("mailbox: oauth2 token refresh failed (%s): %v", kind, e.Err)
}

func (e *TokenError) Unwrap() error { return e.Err }

// permanentCodes are the RFC 6749 section 5.2 error codes no retry cures.
var permanentCodes = map[string]bool{
	"invalid_grant": true, "invalid_client": true, "unauthorized_client": true,
	"unsupported_grant_type": true, "invalid_scope": true, "invalid_request": true,
}

// refresher is the refresh-token grant (RFC 6749 section 6) as an
// oauth2.TokenSource. (The oauth2 package's own refresher sends no scope,
// which Microsoft's token endpoint documents as required.)
type refresher struct {
	o     *OAuth2
	hc    *http.Client
	token string // the refresh token in use
}

// tokenResponse is the answer of the token endpoint (RFC 6749 sections
// 5.1 and 5.2).
type tokenResponse struct {
	AccessToken      string `json:"access_token"`
	TokenType        string `json:"token_type"`
	RefreshToken     string `json:"refresh_token"`
	ExpiresIn        int64  `json:"expires_in"`
	Error            string `json:"error"`
	ErrorDescription string `json:"error_description"`
}

// Token makes one token request. Its errors are *TokenError.
func (r *refresher) Token() (*oauth2.Token, error) {
	form := url.Values{"grant_type": {GrantRefreshToken}, "refresh_token": {r.token}}
	if r.o.Grant == GrantClientCredentials {
		form = url.Values{"grant_type": {GrantClientCredentials}}
	}
	if len(r.o.Scopes) > 0 {
		form.Set("scope", strings.Join(r.o.Scopes, " "))
	}
	if !r.o.BasicAuth {
		form.Set("client_id", r.o.ClientID)
		if r.o.ClientSecret != "" {
			form.Set("client_secret", r.o.ClientSecret)
		}
	}
	req, err := http.NewRequest(http.MethodPost, r.o.TokenURL, strings.NewReader(form.Encode()))
	if err != nil {
		return nil, &TokenError{Permanent: true, Err: fmt.Errorf("token request: %w", err)}
	}
	req.Header.Set("Content-Type", "application/x-www-form-urlencoded")
	req.Header.Set("Accept", "application/json")
	if r.o.BasicAuth {
		// RFC 6749 section 2.3.1: both form-encoded first.
		req.SetBasicAuth(url.QueryEscape(r.o.ClientID), url.QueryEscape(r.o.ClientSecret))
	}
	resp, err := r.hc.Do(req)
	if err != nil {
		// The url.Error names the URL, which holds no secret.
		return nil, &TokenError{Err: err}
	}
	defer resp.Body.Close()
	body, err := io.ReadAll(io.LimitReader(resp.Body, 1<<20))
	if err != nil {
		return nil, &TokenError{Status: resp.StatusCode, Err: fmt.Errorf("read token response: %w", err)}
	}
	var tr tokenResponse
	jerr := json.Unmarshal(body, &tr)
	if resp.StatusCode != http.StatusOK || tr.Error != "" {
		return nil, refreshError(resp.StatusCode, tr)
	}
	if jerr != nil {
		return nil, &TokenError{Status: resp.StatusCode, Err: fmt.Errorf("token response is not JSON: %w", jerr)}
	}
	if tr.AccessToken == "" {
		return nil, &TokenError{Status: resp.StatusCode, Err: errors.New("token endpoint sent no access token")}
	}
	tok := &oauth2.Token{AccessToken: tr.AccessToken, TokenType: tr.TokenType, RefreshToken: tr.RefreshToken}
	if r.o.Grant == GrantClientCredentials {
		tok.RefreshToken = "" // none is used (RFC 6749 section 4.4.3)
	} else if tok.RefreshToken == "" {
		tok.RefreshToken = r.token
	}
	r.token = tok.RefreshToken
	if tr.ExpiresIn > 0 {
		tok.Expiry = time.Now().Add(time.Duration(tr.ExpiresIn) * time.Second)
	}
	return tok, nil
}

// refreshError classifies a refused refresh. The body is left out: only
// the error code and description are shown.
func refreshError(status int, tr tokenResponse) error {
	te := &TokenError{Code: tr.Error, Status: status}
	what := fmt.Sprintf("token endpoint answered HTTP %d", status)
	if tr.Error != "" {
		what += " " + tr.Error
	}
	if d := tr.ErrorDescription; d != "" {
		if len(d) > 300 {
			d = d[:300]
		}
		what += ": " + d
	}
	te.Err = errors.New(what)
	switch {
	case permanentCodes[tr.Error]:
		te.Permanent = true
	case tr.Error == "" && (status == http.StatusUnauthorized || status == http.StatusForbidden || status == http.StatusNotFound):
		te.Permanent = true
	}
	return te
}

// tokenSource hands out access tokens got with a refresh token, reusing
// one until RefreshBefore ahead of its expiry (oauth2.ReuseTokenSource).
// Invalidate drops the current token, so that the next Token refreshes.
type tokenSource struct {
	r      *refresher
	early  time.Duration
	save   func(string) error
	onSave func(err error)

	mu      sync.Mutex
	src     oauth2.TokenSource
	refresh string // the refresh token last saved or configured
}

// newTokenSource returns the token source of o; onSaveErr is told of a
// failed SaveRefreshToken.
func newTokenSource(o *OAuth2, onSaveErr func(error)) *tokenSource {
	hc := o.HTTPClient
	if hc == nil {
		hc = &http.Client{Timeout: 30 * time.Second}
	}
	early := o.RefreshBefore
	if early == 0 {
		early = DefaultRefreshBefore
	}
	s := &tokenSource{
		r:       &refresher{o: o, hc: hc, token: o.RefreshToken},
		early:   early,
		save:    o.SaveRefreshToken,
		onSave:  onSaveErr,
		refresh: o.RefreshToken,
	}
	s.src = oauth2.ReuseTokenSourceWithExpiry(nil, s.r, s.early)
	return s
}

// Invalidate drops the current access token (the server refused it).
func (s *tokenSource) Invalidate() {
	s.mu.Lock()
	defer s.mu.Unlock()
	s.src = oauth2.ReuseTokenSourceWithExpiry(nil, s.r, s.early)
}

// Token returns a valid access token, refreshing it when it expires
// within RefreshBefore. Errors are *TokenError.
func (s *tokenSource) Token(ctx context.Context) (string, error) {
	type result struct {
		tok string
		err error
	}
	// oauth2.TokenSource takes no context: the request runs in its own
	// goroutine (bounded by the HTTP client's timeout) so that ctx can
	// end the wait.
	ch := make(chan result, 1)
	go func() {
		defer func() {
			if v := recover(); v != nil {
				ch <- result{err: &TokenError{Err: fmt.Errorf("panic in oauth2 refresh: %v", v)}}
			}
		}()
		s.mu.Lock()
		defer s.mu.Unlock()
		tok, err := s.src.Token()
		if err != nil {
			ch <- result{err: err}
			return
		}
		if tok.RefreshToken != "" && tok.RefreshToken != s.refresh {
			s.refresh = tok.RefreshToken
			if s.save != nil {
				if serr := s.save(tok.RefreshToken); serr != nil && s.onSave != nil {
					s.onSave(serr)
				}
			}
		}
		ch <- result{tok: tok.AccessToken}
	}()
	select {
	case <-ctx.Done():
		return "", &TokenError{Err: ctx.Err()}
	case r := <-ch:
		if r.err != nil {
			var te *TokenError
			if !errors.As(r.err, &te) {
				r.err = &TokenError{Err: r.err}
			}
			return "", r.err
		}
		return r.tok, nil
	}
}
