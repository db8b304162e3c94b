package mailbox

import (
	"context"
	"fmt"
	"strings"
	"testing"
	"time"
)

func TestConfig_Validate(t *testing.T) {
	token := func(context.Context) (string, error) { return "t", nil }
	base := func() Config { return Config{Addr: "mail.example:993", Username: "bounces", Password: "pw"} }
	tests := []struct {
		name    string
		edit    func(c *Config)
		wantErr string // "" for success
		check   func(t *testing.T, c Config)
	}{
		{"defaults", func(*Config) {}, "", func(t *testing.T, c Config) {
			want := Config{
				Name: "bounces", Addr: "mail.example:993", TLS: TLSImplicit, Username: "bounces", Password: "pw",
				Auth: AuthLogin, Mailbox: "INBOX", ProcessedFolder: "Processed", IgnoredFolder: "Ignored",
				QuarantineFolder: "Quarantine", After: AfterMove, Flag: "$BouncedProcessed", BatchSize: 500, MoveBatchSize: 2000, Concurrency: DefaultConcurrency,
				MaxMessageSize: 10 << 20, PollInterval: 30 * time.Second, IdleRefresh: 25 * time.Minute,
				BackoffMin: time.Second, BackoffMax: 2 * time.Minute, StopGrace: DefaultStopGrace,
				MaxAttempts: DefaultMaxAttempts, StallAfter: DefaultStallAfter,
			}
			if c.Token != nil || fmt.Sprintf("%+v", c) != fmt.Sprintf("%+v", want) {
				t.Errorf("Validate() filled %+v, want %+v", c, want)
			}
		}},
		{"implicitDefaultPort", func(c *Config) { c.Addr = "mail.example" }, "", func(t *testing.T, c Config) {
			if c.Addr != "mail.example:993" {
				t.Errorf("Addr = %q, want mail.example:993", c.Addr)
			}
		}},
		{"starttlsDefaultPort", func(c *Config) { c.Addr, c.TLS = "mail.example", TLSStartTLS }, "", func(t *testing.T, c Config) {
			if c.Addr != "mail.example:143" {
				t.Errorf("Addr = %q, want mail.example:143", c.Addr)
			}
		}},
		{"ipv6DefaultPort", func(c *Config) { c.Addr = "[::1]" }, "", func(t *testing.T, c Config) {
			if c.Addr != "[::1]:993" {
				t.Errorf("Addr = %q, want [::1]:993", c.Addr)
			}
		}},
		{"xoauth2", func(c *Config) { c.Auth, c.Password, c.Token = AuthXOAUTH2, "", token }, "", nil},
		{"plainAllowed", func(c *Config) { c.TLS, c.AllowPlain = TLSPlain, true }, "", nil},
		{"flagModeProcessedFolderUnused", func(c *Config) { c.After, c.ProcessedFolder = AfterFlag, "INBOX" }, "", nil},
		{"seenAsFlag", func(c *Config) { c.After, c.Flag = AfterFlag, `\Seen` }, "", nil},
		{"noUsername", func(c *Config) { c.Username = "" }, "username is required", nil},
		{"noAddr", func(c *Config) { c.Addr = "" }, "addr is required", nil},
		{"badAddr", func(c *Config) { c.Addr = "imap://mail.example" }, "addr", nil},
		{"plainNotAllowed", func(c *Config) { c.TLS = TLSPlain }, "allow_plain", nil},
		{"unknownTLS", func(c *Config) { c.TLS = "ssl" }, `unknown tls mode "ssl"`, nil},
		{"noPassword", func(c *Config) { c.Password = "" }, "needs a password", nil},
		{"xoauth2NoToken", func(c *Config) { c.Auth = AuthXOAUTH2 }, "token source", nil},
		{"unknownAuth", func(c *Config) { c.Auth = "cram-md5" }, "unknown auth method", nil},
		{"unknownAfter", func(c *Config) { c.After = "delete" }, "unknown after action", nil},
		{"folderIsMailbox", func(c *Config) { c.IgnoredFolder = "inbox" }, "is the watched mailbox", nil},
		{"processedIsMailbox", func(c *Config) { c.Mailbox, c.ProcessedFolder = "Bounces", "Bounces" }, "is the watched mailbox", nil},
		{"flagWithSpace", func(c *Config) { c.Flag = "bounced done" }, "not allowed in a keyword", nil},
		{"flagSystem", func(c *Config) { c.Flag = `\Deleted` }, "system flags", nil},
		{"negativeBatch", func(c *Config) { c.BatchSize = -1 }, "batch size", nil},
		{"negativeMoveBatch", func(c *Config) { c.MoveBatchSize = -1 }, "move batch size", nil},
		{"negativeSize", func(c *Config) { c.MaxMessageSize = -1 }, "max message size", nil},
		{"negativePoll", func(c *Config) { c.PollInterval = -time.Second }, "poll interval", nil},
		{"backoffInverted", func(c *Config) { c.BackoffMin, c.BackoffMax = time.Minute, time.Second }, "backoff max", nil},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			c := base()
			tc.edit(&c)
			err := c.Validate()
			switch {
			case tc.wantErr == "" && err != nil:
				t.Fatalf("Validate() = %v, want nil", err)
			case tc.wantErr != "" && (err == nil || !strings.Contains(err.Error(), tc.wantErr)):
				t.Fatalf("Validate() = %v, want an error containing %q", err, tc.wantErr)
			case err != nil && !strings.HasPrefix(err.Error(), "mailbox: "):
				t.Errorf("Validate() = %q, want the mailbox: prefix", err)
			}
			if tc.check != nil {
				tc.check(t, c)
			}
		})
	}
}

func TestConfig_tlsConfig(t *testing.T) {
	c := Config{Addr: "mail.example:993", Username: "u", Password: "p"}
	if err := c.Validate(); err != nil {
		t.Fatal(err)
	}
	if got := c.tlsConfig().ServerName; got != "mail.example" {
		t.Errorf("ServerName = %q, want mail.example", got)
	}
	c.TLSServerName = "imap.example"
	if got := c.tlsConfig().ServerName; got != "imap.example" {
		t.Errorf("ServerName = %q, want imap.example", got)
	}
}

func TestMessage_Source(t *testing.T) {
	tests := []struct {
		name string
		m    Message
		want string
	}{
		{"plain", Message{User: "bounces", Addr: "mail.example:993", Mailbox: "INBOX", UIDValidity: 1, UID: 5},
			"imap://bounces@mail.example:993/INBOX;UIDVALIDITY=1;UID=5"},
		{"userWithAt", Message{User: "bounces@shop.example", Addr: "imap.gmail.com:993", Mailbox: "INBOX", UIDValidity: 7, UID: 118},
			"imap://bounces%40shop.example@imap.gmail.com:993/INBOX;UIDVALIDITY=7;UID=118"},
		{"hierarchy", Message{User: "u", Addr: "h:143", Mailbox: "Bounces/Mail Delivery", UIDValidity: 3, UID: 9},
			"imap://u@h:143/Bounces/Mail%20Delivery;UIDVALIDITY=3;UID=9"},
		{"noUser", Message{Addr: "h:993", Mailbox: "INBOX", UIDValidity: 1, UID: 1},
			"imap://h:993/INBOX;UIDVALIDITY=1;UID=1"},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			if got := tc.m.Source(); got != tc.want {
				t.Errorf("Source() = %q, want %q", got, tc.want)
			}
		})
	}
}

func TestXOAUTH2Client(t *testing.T) {
	c := &xoauth2Client{user: "bounces@shop.example", token: "ya29.token"}
	mech, ir, err := c.Start()
	if err != nil {
		t.Fatalf("Start() error = %v", err)
	}
	if mech != "XOAUTH2" {
		t.Errorf("Start() mech = %q, want XOAUTH2", mech)
	}
	if want := "user=bounces@shop.example\x01auth=Bearer ya29.token\x01\x01"; string(ir) != want {
		t.Errorf("Start() ir = %q, want %q", ir, want)
	}
	challenge := `{"status":"401","schemes":"bearer","scope":"https://mail.google.com/"}`
	resp, err := c.Next([]byte(challenge))
	if err != nil || resp == nil || len(resp) != 0 || c.report != challenge {
		t.Errorf("Next() = %q, %v, report %q; want the empty response and the report kept", resp, err, c.report)
	}
	// A second challenge is not part of the protocol.
	if _, err := c.Next([]byte(challenge)); err == nil || strings.Contains(err.Error(), "ya29") {
		t.Errorf("second Next() error = %v, want an error without the token", err)
	}
}

func TestBackoff(t *testing.T) {
	tests := []struct {
		attempt int
		max     time.Duration
	}{
		{1, time.Second}, {2, 2 * time.Second}, {3, 4 * time.Second}, {8, 100 * time.Second}, {50, 100 * time.Second},
	}
	for _, tc := range tests {
		for range 50 {
			if d := backoff(time.Second, 100*time.Second, tc.attempt); d < 0 || d > tc.max {
				t.Fatalf("backoff(attempt %d) = %v, want in [0, %v]", tc.attempt, d, tc.max)
			}
		}
	}
	if d := backoff(0, 0, 3); d != 0 {
		t.Errorf("backoff(0, 0) = %v, want 0", d)
	}
}

func TestDisposition_String(t *testing.T) {
	for d, want := range map[Disposition]string{Processed: "processed", Ignored: "ignored", Quarantined: "quarantined", 7: "Disposition(7)"} {
		if got := d.String(); got != want {
			t.Errorf("%d.String() = %q, want %q", int(d), got, want)
		}
	}
}
