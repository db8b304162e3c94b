package config

import (
	"os"
	"path/filepath"
	"strings"
	"testing"

	"gopkg.in/yaml.v3"
)

func TestLoad_oauth2(t *testing.T) {
	secretFile := filepath.Join(t.TempDir(), "client-secret")
	if err := os.WriteFile(secretFile, []byte("cl1ent-s3cret\n"), 0o600); err != nil {
		t.Fatal(err)
	}
	y := "mailboxes:\n  - addr: outlook.office365.com:993\n    username: bounces@shop.example\n    auth: xoauth2\n" +
		"    oauth2:\n      provider: microsoft\n      tenant: shop.example\n      client_secret: file:" + secretFile + "\n      refresh_token: env:MS_REFRESH\n"
	c, err := Load(writeFile(t, y), []string{"MS_REFRESH=r3fresh-t0ken", "BOUNCED_MAILBOXES_0_OAUTH2_CLIENT_ID=app-id"})
	if err != nil {
		t.Fatalf("Load() error = %v", err)
	}
	o := c.Mailboxes[0].OAuth2
	if o.TokenURL != "https://login.microsoftonline.com/shop.example/oauth2/v2.0/token" {
		t.Errorf("TokenURL = %q", o.TokenURL)
	}
	if strings.Join(o.Scopes, " ") != "https://outlook.office.com/IMAP.AccessAsUser.All offline_access" {
		t.Errorf("Scopes = %q", o.Scopes)
	}
	if o.ClientID != "app-id" || o.ClientSecret.Value() != "cl1ent-s3cret" || o.RefreshToken.Value() != "r3fresh-t0ken" {
		t.Errorf("OAuth2 = %+v (%q, %q), want the environment's client id and the resolved secrets", o, o.ClientSecret.Value(), o.RefreshToken.Value())
	}
	out, _ := yaml.Marshal(c)
	if strings.Contains(string(out), "s3cret") || strings.Contains(string(out), "t0ken") {
		t.Errorf("marshalled config shows a secret:\n%s", out)
	}

	g, err := Load(writeFile(t, "mailboxes:\n  - addr: imap.gmail.com:993\n    username: bounces@shop.example\n    auth: xoauth2\n"+
		"    oauth2: {provider: google, client_id: id, client_secret: s, refresh_token: r}\n"), nil)
	if err != nil {
		t.Fatalf("Load(google) error = %v", err)
	}
	if o := g.Mailboxes[0].OAuth2; o.TokenURL != "https://oauth2.googleapis.com/token" || len(o.Scopes) != 1 || o.Scopes[0] != "https://mail.google.com/" {
		t.Errorf("google OAuth2 = %+v", o)
	}
}

func TestLoad_oauth2ClientCredentials(t *testing.T) {
	c, err := Load(writeFile(t, "mailboxes:\n  - addr: outlook.office365.com:993\n    username: bounces@shop.example\n    auth: xoauth2\n"+
		"    oauth2: {grant: client_credentials, provider: microsoft, tenant: 0f1e2d3c-aaaa-bbbb-cccc-000000000000, client_id: app, client_secret: s}\n"), nil)
	if err != nil {
		t.Fatalf("Load() error = %v", err)
	}
	o := c.Mailboxes[0].OAuth2
	if o.TokenURL != "https://login.microsoftonline.com/0f1e2d3c-aaaa-bbbb-cccc-000000000000/oauth2/v2.0/token" ||
		len(o.Scopes) != 1 || o.Scopes[0] != "https://outlook.office365.com/.default" {
		t.Errorf("OAuth2 = %+v, want the tenant's token URL and the .default scope", o)
	}
}

func TestLoad_oauth2Errors(t *testing.T) {
	box := "mailboxes:\n  - addr: h:993\n    username: u\n    auth: xoauth2\n"
	tests := []struct{ name, yaml, want string }{
		{"two sources", box + "    token_file: /run/token\n    oauth2: {provider: google, client_id: c, refresh_token: r}\n", "one of oauth2, token_file or token_command"},
		{"unknown provider", box + "    oauth2: {provider: yahoo, token_url: 'https://t.example/token', client_id: c, refresh_token: r}\n", "provider \"yahoo\""},
		{"no token url", box + "    oauth2: {client_id: c, refresh_token: r}\n", "token_url is required"},
		{"bad token url", box + "    oauth2: {token_url: 'login.example/token', client_id: c, refresh_token: r}\n", "want an https URL"},
		{"no client id", box + "    oauth2: {provider: google, refresh_token: r}\n", "client_id is required"},
		{"no refresh token", box + "    oauth2: {provider: google, client_id: c}\n", "refresh_token is required"},
		{"client credentials without secret", box + "    oauth2: {grant: client_credentials, provider: microsoft, tenant: t, client_id: c}\n", "client_secret is required"},
		{"client credentials without tenant", box + "    oauth2: {grant: client_credentials, provider: microsoft, client_id: c, client_secret: s}\n", "tenant is required"},
		{"client credentials with refresh token", box + "    oauth2: {grant: client_credentials, provider: microsoft, tenant: t, client_id: c, client_secret: s, refresh_token: r}\n", "uses no refresh token"},
		{"unknown grant", box + "    oauth2: {grant: password, provider: google, client_id: c, refresh_token: r}\n", "grant \"password\""},
		{"tenant without microsoft", box + "    oauth2: {provider: google, tenant: t, client_id: c, refresh_token: r}\n", "tenant is for provider microsoft"},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			_, err := Load(writeFile(t, tc.yaml), nil)
			if err == nil || !strings.Contains(err.Error(), tc.want) {
				t.Errorf("Load() error = %v, want one containing %q", err, tc.want)
			}
		})
	}
}
