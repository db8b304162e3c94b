package config

import (
	"os"
	"path/filepath"
	"slices"
	"strings"
	"testing"
	"time"

	"gopkg.in/yaml.v3"

	"github.com/bounced-dev/bounced/internal/suppress"
	"github.com/bounced-dev/bounced/outcome"
)

func writeFile(t *testing.T, body string) string {
	t.Helper()
	p := filepath.Join(t.TempDir(), "bounced.yaml")
	if err := os.WriteFile(p, []byte(body), 0o600); err != nil {
		t.Fatal(err)
	}
	return p
}

func TestLoad_example(t *testing.T) {
	c, err := Load("../../docs/bounced.example.yaml", []string{"BOUNCED_API_READ_TOKEN=" + readTok, "BOUNCED_API_WRITE_TOKEN=" + writeTok, "SHOP_IMAP_PASSWORD=pw"})
	if err != nil {
		t.Fatalf("Load(example) error = %v", err)
	}
	if got := c.Mailboxes[0].Password.Value(); got != "pw" {
		t.Errorf("password = %q, want pw", got)
	}
	if c.HTTP.ReadToken.Value() != readTok || c.HTTP.WriteToken.Value() != writeTok {
		t.Errorf("tokens = %q, %q; want %q, %q", c.HTTP.ReadToken.Value(), c.HTTP.WriteToken.Value(), readTok, writeTok)
	}
	if c.HTTP.MaxConnections != 256 || c.HTTP.IdleTimeout.D() != time.Minute || c.HTTP.ReadHeaderTimeout.D() != 5*time.Second {
		t.Errorf("http = %+v", c.HTTP)
	}
	if c.Policy.SoftWindow.D() != 168*time.Hour {
		t.Errorf("soft_window = %v", c.Policy.SoftWindow.D())
	}
	if c.Mailboxes[0].Name != "shop" || c.Mailboxes[0].Mailbox != "INBOX" {
		t.Errorf("mailbox = %+v", c.Mailboxes[0])
	}
}

func TestLoad_defaultsWithoutFile(t *testing.T) {
	c, err := Load("", nil)
	if err != nil {
		t.Fatalf("Load() error = %v", err)
	}
	d := Default()
	if c.Redis.URL != d.Redis.URL || c.NATS.Stream != "BOUNCED" || c.Policy.SoftThreshold != 3 {
		t.Errorf("Load() = %+v, want defaults", c)
	}
}

func TestLoad_envOverrides(t *testing.T) {
	p := writeFile(t, "mailboxes:\n  - addr: imap.example.com:993\n    username: u\n    password: x\n")
	c, err := Load(p, []string{
		"BOUNCED_REDIS_URL=rediss://r.example:6380/2",
		"BOUNCED_MAILBOXES_0_PASSWORD=from-env",
		"BOUNCED_MAILBOXES_0_BATCH_SIZE=7",
		"BOUNCED_MAILBOXES_1_ADDR=other.example:143",
		"BOUNCED_MAILBOXES_1_USERNAME=v",
		"BOUNCED_MAILBOXES_1_TLS=starttls",
		"BOUNCED_MAILBOXES_1_PASSWORD=p2",
		"BOUNCED_POLICY_SOFT_WINDOW=48h",
		"BOUNCED_DECODE_VERP=b+{local}={domain}@s.example,c+{local}={domain}@s.example",
		"BOUNCED_NATS_TLS=true",
	})
	if err != nil {
		t.Fatalf("Load() error = %v", err)
	}
	if c.Redis.URL != "rediss://r.example:6380/2" {
		t.Errorf("redis.url = %q", c.Redis.URL)
	}
	if c.Mailboxes[0].Password.Value() != "from-env" || c.Mailboxes[0].BatchSize != 7 {
		t.Errorf("mailboxes[0] = %+v", c.Mailboxes[0])
	}
	if len(c.Mailboxes) != 2 || c.Mailboxes[1].Addr != "other.example:143" || c.Mailboxes[1].Name != "v" {
		t.Errorf("mailboxes = %+v", c.Mailboxes)
	}
	if c.Policy.SoftWindow.D() != 48*time.Hour || len(c.Decode.VERP) != 2 || !c.NATS.TLS {
		t.Errorf("policy/decode/nats = %+v %+v %v", c.Policy, c.Decode, c.NATS.TLS)
	}
}

func TestLoad_secretFromFile(t *testing.T) {
	dir := t.TempDir()
	sec := filepath.Join(dir, "pw")
	os.WriteFile(sec, []byte("s3cret\n"), 0o600)
	p := writeFile(t, "mailboxes:\n  - addr: h:993\n    username: u\n    password: file:"+sec+"\n")
	c, err := Load(p, nil)
	if err != nil {
		t.Fatalf("Load() error = %v", err)
	}
	if c.Mailboxes[0].Password.Value() != "s3cret" {
		t.Errorf("password = %q", c.Mailboxes[0].Password.Value())
	}
	out, _ := yaml.Marshal(c)
	if strings.Contains(string(out), "s3cret") {
		t.Errorf("marshalled config shows the secret:\n%s", out)
	}
}

func TestLoad_errors(t *testing.T) {
	tests := []struct {
		name, yaml string
		env        []string
		want       string
	}{
		{"unknown key", "redis:\n  urll: x\n", nil, "field urll not found"},
		{"bad duration", "policy:\n  soft_window: week\n", nil, "not a duration"},
		{"plain needs allow", "mailboxes:\n  - addr: h:143\n    username: u\n    password: p\n    tls: plain\n", nil, "allow_plain"},
		{"xoauth2 needs token", "mailboxes:\n  - addr: h:993\n    username: u\n    auth: xoauth2\n", nil, "token_file or token_command"},
		{"missing addr", "mailboxes:\n  - username: u\n    password: p\n", nil, "addr is required"},
		{"unset env secret", "mailboxes:\n  - addr: h:993\n    username: u\n    password: env:NOPE_NOT_SET\n", nil, "NOPE_NOT_SET is not set"},
		{"bad scope", "policy:\n  complaint_scope: some\n", nil, "complaint_scope"},
		{"bad verp", "decode:\n  verp: [bounces@shop.example]\n", nil, "{local}"},
		{"bad env int", "", []string{"BOUNCED_POLICY_SOFT_THRESHOLD=many"}, "BOUNCED_POLICY_SOFT_THRESHOLD"},
		{"duplicate names", "mailboxes:\n  - {addr: 'h:993', username: u, password: p}\n  - {addr: 'i:993', username: u, password: p}\n", nil, "used twice"},
		{"negative wait_replicas", "redis:\n  wait_replicas: -1\n", nil, "redis.wait_replicas -1"},
		{"backoff max below min", "mailboxes:\n  - {addr: 'h:993', username: u, password: p, backoff_min: 10s, backoff_max: 5s}\n", nil, "backoff_min 10s and backoff_max 5s"},
		{"negative backoff", "mailboxes:\n  - {addr: 'h:993', username: u, password: p, backoff_min: -1s}\n", nil, "backoff_min -1s"},
		{"move batch out of range", "mailboxes:\n  - {addr: 'h:993', username: u, password: p, move_batch_size: 200000}\n", nil, "move_batch_size 200000"},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			_, err := Load(writeFile(t, tc.yaml), tc.env)
			if err == nil || !strings.Contains(err.Error(), tc.want) {
				t.Errorf("Load() error = %v, want one containing %q", err, tc.want)
			}
		})
	}
}

// TestLoad_complaintScopeStream: complaints may suppress one of the
// shop's own streams, as the policy's rules may (one check, the policy's).
func TestLoad_complaintScopeStream(t *testing.T) {
	for _, tc := range []struct{ yaml, want string }{
		{"policy:\n  complaint_scope: newsletter\n  streams: [newsletter]\n", "newsletter"},
		{"policy:\n  complaint_scope: all\n", "all"},
		// With reasons configured the default rules are copied in: the
		// knob must still hold.
		{"policy:\n  complaint_scope: all\n  reasons:\n    mailbox_full: {action: notify}\n", "all"},
		// A complaint rule of the operator's own wins over the knob.
		{"policy:\n  complaint_scope: all\n  reasons:\n    complaint: {scope: transactional}\n", "transactional"},
	} {
		c, err := Load(writeFile(t, tc.yaml), nil)
		if err != nil {
			t.Fatalf("Load(%q) = %v", tc.yaml, err)
		}
		if got := suppress.New(nil, "", c.Policy.Suppress(), nil).Policy().Decide(suppress.Entry{Verdict: outcome.Verdict{Kind: "complaint"}}).Scope; got != tc.want {
			t.Errorf("%q: complaint scope = %q, want %s", tc.yaml, got, tc.want)
		}
	}
}

func TestSecret_String(t *testing.T) {
	if got := Secret("pw").String(); got != "***" {
		t.Errorf("String() = %q, want ***", got)
	}
}

func TestLoad_dockerCompose(t *testing.T) {
	c, err := Load("../../docker/bounced/bounced.yaml", []string{"BOUNCED_MAILBOXES_0_PASSWORD=pw", "BOUNCED_HTTP_READ_TOKEN=" + readTok, "BOUNCED_HTTP_WRITE_TOKEN=" + writeTok})
	if err != nil {
		t.Fatalf("Load(docker config) error = %v", err)
	}
	if c.Mailboxes[0].Password.Value() != "pw" || c.HTTP.WriteToken.Value() != writeTok || c.NATS.URL != "nats://nats:4222" {
		t.Errorf("docker config = %+v", c)
	}
}

const (
	readTok  = "3f1c9a7be24d4e0a9c51"
	writeTok = "b82e6d0f47a9c1e35d7f"
)

// TestLoad_httpTokens: the deprecated http.token means both tokens, it
// cannot be mixed with them, and example or weak tokens are refused with an
// error naming the key.
func TestLoad_httpTokens(t *testing.T) {
	t.Run("deprecated token is both", func(t *testing.T) {
		c, err := Load("", []string{"BOUNCED_HTTP_TOKEN=" + writeTok})
		if err != nil {
			t.Fatal(err)
		}
		if c.HTTP.ReadToken.Value() != writeTok || c.HTTP.WriteToken.Value() != writeTok {
			t.Errorf("tokens = %q, %q; want both %q", c.HTTP.ReadToken, c.HTTP.WriteToken, writeTok)
		}
	})
	t.Run("separate tokens", func(t *testing.T) {
		c, err := Load("", []string{"BOUNCED_HTTP_READ_TOKEN=" + readTok})
		if err != nil {
			t.Fatal(err)
		}
		if c.HTTP.ReadToken.Value() != readTok || c.HTTP.WriteToken != "" {
			t.Errorf("tokens = %q, %q; want read only", c.HTTP.ReadToken.Value(), c.HTTP.WriteToken.Value())
		}
	})
	tests := []struct {
		name string
		env  []string
		want string
	}{
		{"compose's old default", []string{"BOUNCED_HTTP_TOKEN=change-me-too"}, "http.token is an example token"},
		{"placeholder write token", []string{"BOUNCED_HTTP_WRITE_TOKEN=Change-Me-Please-123"}, "http.write_token is an example token"},
		{"short read token", []string{"BOUNCED_HTTP_READ_TOKEN=tok"}, "http.read_token is shorter than 16 characters"},
		{"repetitive token", []string{"BOUNCED_HTTP_WRITE_TOKEN=abababababababababab"}, "http.write_token has fewer than 8 distinct characters"},
		{"both forms", []string{"BOUNCED_HTTP_TOKEN=" + writeTok, "BOUNCED_HTTP_READ_TOKEN=" + readTok}, "http.token is the deprecated form"},
		{"no connections", []string{"BOUNCED_HTTP_MAX_CONNECTIONS=0"}, "http.max_connections 0"},
		{"zero idle timeout", []string{"BOUNCED_HTTP_IDLE_TIMEOUT=0s"}, "http.idle_timeout must be positive"},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			_, err := Load("", tc.env)
			if err == nil || !strings.Contains(err.Error(), tc.want) {
				t.Errorf("Load(%v) error = %v, want %q", tc.env, err, tc.want)
			}
			if v := strings.SplitN(tc.env[0], "=", 2)[1]; err != nil && len(v) >= 8 && strings.Contains(err.Error(), v) {
				t.Errorf("the error repeats the token: %v", err)
			}
		})
	}
}

func TestLoad_policy(t *testing.T) {
	p := writeFile(t, `policy:
  streams: [news]
  allow: ["@Partner.Example", vip@shop.example]
  outage: {domains: 8, window: 15m}
  reasons:
    mailbox_full: {threshold: 4}
    blocked: {action: notify}
    message_too_big: {action: count, scope: news, expiry: 24h}
    user_unknown: {action: notify}
`)
	c, err := Load(p, nil)
	if err != nil {
		t.Fatalf("Load() error = %v", err)
	}
	sp := c.Policy.Suppress()
	mf := sp.Rules["mailbox_full"]
	if mf.Action != suppress.ActionCount || mf.Threshold != 4 || mf.Window != 30*24*time.Hour || mf.Expiry != 30*24*time.Hour {
		t.Errorf("mailbox_full = %+v, want the default with threshold 4", mf)
	}
	if b := sp.Rules["blocked"]; b.Action != suppress.ActionNotify || b.Hint != suppress.HintAllowSender {
		t.Errorf("blocked = %+v, want notify with its category's hint", b)
	}
	if m := sp.Rules["message_too_big"]; m.Action != suppress.ActionCount || m.Scope != "news" || m.Threshold != 3 || m.Expiry != 24*time.Hour {
		t.Errorf("message_too_big = %+v", m)
	}
	if u := sp.Rules["user_unknown"]; u.Action != suppress.ActionNotify {
		t.Errorf("user_unknown = %+v, want switched off (notify)", u)
	}
	if sp.Burst.Domains != 8 || sp.Burst.Window != 15*time.Minute || !slices.Equal(sp.Streams, []string{"news"}) {
		t.Errorf("policy = %+v", sp)
	}
	if d := sp.Decide(suppress.Entry{Verdict: outcome.Verdict{Kind: "bounce", Reason: "has_moved", Category: "user_unknown", Hard: true}}); d.Rule != "user_unknown" || d.Action != "notify" {
		t.Errorf("has_moved falls back to its category's rule (user_unknown, switched off): %+v", d)
	}
}

func TestLoad_policyErrors(t *testing.T) {
	tests := []struct {
		name, yaml, want string
	}{
		{"unknown reason", "policy:\n  reasons:\n    mailbox_ful: {action: notify}\n", "policy.reasons.mailbox_ful"},
		{"invalid action", "policy:\n  reasons:\n    blocked: {action: block}\n", "policy.reasons.blocked.action"},
		{"invalid scope", "policy:\n  reasons:\n    blocked: {scope: newsletter}\n", "policy.reasons.blocked.scope"},
		{"threshold below 1", "policy:\n  reasons:\n    mailbox_full: {threshold: 0}\n", "policy.reasons.mailbox_full.threshold"},
		{"window below a day", "policy:\n  reasons:\n    mailbox_full: {window: 2h}\n", "policy.reasons.mailbox_full.window"},
		{"unknown field", "policy:\n  reasons:\n    mailbox_full: {treshold: 2}\n", "treshold"},
		{"bad stream", "policy:\n  streams: [My News]\n", "policy.streams"},
		{"bad allow entry", "policy:\n  allow: [example.com, nope]\n", "policy.allow[1]"},
		{"soft window below a day", "policy:\n  soft_window: 1h\n", "policy.soft_window"},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			_, err := Load(writeFile(t, tc.yaml), nil)
			if err == nil || !strings.Contains(err.Error(), tc.want) {
				t.Errorf("Load() error = %v, want one naming %q", err, tc.want)
			}
		})
	}
}
