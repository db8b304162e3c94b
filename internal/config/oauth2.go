package config

import (
	"fmt"
	"net/url"
	"strings"
)

// OAuth2 is a mailbox's refresh-token grant for auth xoauth2: bounced gets
// each access token itself and refreshes it before it expires.
type OAuth2 struct {
	// Grant is refresh_token (default: a user consented once and the
	// refresh token stands for that) or client_credentials (Microsoft 365:
	// the application itself is allowed to the mailbox by an
	// administrator; needs ClientSecret and a Tenant, no refresh token).
	Grant string `yaml:"grant"`
	// Provider fills in TokenURL and Scopes: google (Gmail, Google
	// Workspace) or microsoft (Microsoft 365, Outlook.com); "" sets them
	// by hand.
	Provider string `yaml:"provider"`
	// Tenant is the Microsoft Entra tenant (id or domain) in the token
	// URL of provider microsoft (default organizations).
	Tenant string `yaml:"tenant"`
	// TokenURL is the token endpoint (required without a provider).
	TokenURL string `yaml:"token_url"`
	// ClientID is the registered application's client id (required).
	ClientID string `yaml:"client_id"`
	// ClientSecret is the application's secret (a secret; empty for a
	// public client).
	ClientSecret Secret `yaml:"client_secret"`
	// RefreshToken is the grant (a secret), got once by consenting in a
	// browser (see docs/deploy.md). Required unless RefreshTokenFile holds
	// one.
	RefreshToken Secret `yaml:"refresh_token"`
	// RefreshTokenFile, when set, keeps the refresh token a server issues
	// in place of the old one (Microsoft rotates them): it is written
	// (mode 0600) at each rotation, and read at start in preference to
	// RefreshToken when it exists.
	RefreshTokenFile string `yaml:"refresh_token_file"`
	// Scopes are sent with each refresh (default: the provider's).
	Scopes []string `yaml:"scopes"`
	// BasicAuth sends the client id and secret as HTTP Basic
	// authentication instead of in the request body.
	BasicAuth bool `yaml:"basic_auth"`
	// RefreshBefore is how long before its expiry a token is refreshed
	// (default 1m).
	RefreshBefore Duration `yaml:"refresh_before"`
}

// Set reports whether any oauth2 setting is given.
func (o OAuth2) Set() bool {
	return o.Grant != "" || o.Provider != "" || o.TokenURL != "" || o.ClientID != "" || o.RefreshToken != "" || o.RefreshTokenFile != ""
}

// The providers' endpoints and IMAP scopes:
// developers.google.com/identity/protocols/oauth2/web-server and
// developers.google.com/gmail/imap/xoauth2-protocol;
// learn.microsoft.com/exchange/client-developer/legacy-protocols/how-to-authenticate-an-imap-pop-smtp-application-by-using-oauth.
var oauth2Providers = map[string]struct {
	tokenURL string
	scopes   []string
}{
	"google":    {"https://oauth2.googleapis.com/token", []string{"https://mail.google.com/"}},
	"microsoft": {"https://login.microsoftonline.com/{tenant}/oauth2/v2.0/token", []string{"https://outlook.office.com/IMAP.AccessAsUser.All", "offline_access"}},
}

// microsoftAppScopes are the scopes of Microsoft's client-credentials
// grant for IMAP: the application permissions granted to it.
var microsoftAppScopes = []string{"https://outlook.office365.com/.default"}

// oauth2Defaults fills in the provider's token URL and scopes.
func oauth2Defaults(o *OAuth2) {
	p, ok := oauth2Providers[o.Provider]
	if !ok {
		return
	}
	if o.TokenURL == "" {
		tenant := o.Tenant
		if tenant == "" {
			tenant = "organizations"
		}
		o.TokenURL = strings.ReplaceAll(p.tokenURL, "{tenant}", url.PathEscape(tenant))
	}
	if len(o.Scopes) == 0 {
		o.Scopes = append([]string(nil), p.scopes...)
		if o.Provider == "microsoft" && o.Grant == "client_credentials" {
			o.Scopes = append([]string(nil), microsoftAppScopes...)
		}
	}
}

// validate checks a mailbox's oauth2 section; at names the mailbox.
func (o OAuth2) validate(at string) []error {
	var errs []error
	bad := func(format string, a ...any) { errs = append(errs, fmt.Errorf("config: "+format, a...)) }
	if _, ok := oauth2Providers[o.Provider]; o.Provider != "" && !ok {
		bad("%s.oauth2.provider %q: want google, microsoft or none", at, o.Provider)
	}
	if o.Tenant != "" && o.Provider != "microsoft" {
		bad("%s.oauth2.tenant is for provider microsoft", at)
	}
	if o.TokenURL == "" {
		bad("%s.oauth2.token_url is required (or a provider)", at)
	} else if u, err := url.Parse(o.TokenURL); err != nil || (u.Scheme != "https" && u.Scheme != "http") || u.Host == "" {
		bad("%s.oauth2.token_url %q: want an https URL", at, o.TokenURL)
	}
	if o.ClientID == "" {
		bad("%s.oauth2.client_id is required", at)
	}
	switch o.Grant {
	case "", "refresh_token":
		if o.RefreshToken == "" && o.RefreshTokenFile == "" {
			bad("%s.oauth2.refresh_token is required (or refresh_token_file)", at)
		}
	case "client_credentials":
		if o.ClientSecret == "" {
			bad("%s.oauth2.client_secret is required with grant client_credentials", at)
		}
		if o.RefreshToken != "" || o.RefreshTokenFile != "" {
			bad("%s.oauth2: grant client_credentials uses no refresh token", at)
		}
		if o.Provider == "microsoft" && o.Tenant == "" {
			bad("%s.oauth2.tenant is required with grant client_credentials (the tenant id or domain)", at)
		}
		if o.Provider == "google" {
			bad("%s.oauth2: provider google has no client_credentials grant for IMAP; use refresh_token", at)
		}
	default:
		bad("%s.oauth2.grant %q: want refresh_token or client_credentials", at, o.Grant)
	}
	if o.RefreshBefore < 0 {
		bad("%s.oauth2.refresh_before %v: must not be negative", at, o.RefreshBefore.D())
	}
	return errs
}
