package config

import (
	"os"
	"path/filepath"
	"strings"
	"testing"
)

func TestLoadStore(t *testing.T) {
	dir := t.TempDir()
	write := func(name, body string) string {
		p := filepath.Join(dir, name)
		if err := os.WriteFile(p, []byte(body), 0o600); err != nil {
			t.Fatal(err)
		}
		return p
	}
	full := write("full.yaml", `redis:
  url: redis://127.0.0.1:6390/0
  password: env:TEST_REDIS_PASSWORD
  prefix: "{shop}"
policy:
  reasons:
    user_unknown: {action: notify}
http:
  read_token: env:TEST_UNSET_TOKEN
mailboxes:
  - name: shop
    addr: imap.shop.example:993
    username: bounces@shop.example
    password: env:TEST_UNSET_IMAP_PASSWORD
`)
	env := []string{"TEST_REDIS_PASSWORD=s3cret", "BOUNCED_HTTP_MAX_CONNECTIONS=not-a-number", "BOUNCED_MAILBOXES_1_ADDR=x"}
	if _, err := Load(full, env[:1]); err == nil || !strings.Contains(err.Error(), "TEST_UNSET_IMAP_PASSWORD") {
		t.Fatalf("Load() = %v, want the unset IMAP password", err)
	}
	c, err := LoadStore(full, env)
	if err != nil {
		t.Fatalf("LoadStore() = %v", err)
	}
	if c.Redis.URL != "redis://127.0.0.1:6390/0" || c.Redis.Password.Value() != "s3cret" || c.Redis.Prefix != "{shop}" ||
		c.Policy.Reasons["user_unknown"].Action != "notify" || len(c.Mailboxes) != 0 || c.HTTP.ReadToken != "" {
		t.Errorf("LoadStore() = redis %+v, policy %+v, %d mailboxes, token %q", c.Redis, c.Policy.Reasons, len(c.Mailboxes), c.HTTP.ReadToken)
	}
	c, err = LoadStore(full, append(env, "BOUNCED_REDIS_URL=redis://10.0.0.1:6379/2"))
	if err != nil || c.Redis.URL != "redis://10.0.0.1:6379/2" {
		t.Errorf("LoadStore() with BOUNCED_REDIS_URL = %+v, %v", c, err)
	}
	for _, tc := range []struct {
		name, body string
		env        []string
		want       string
	}{
		{"unknown key", "redis:\n  urll: redis://x\n", nil, "urll"},
		{"unset redis password", "redis:\n  password: env:TEST_UNSET_REDIS\n", nil, "TEST_UNSET_REDIS"},
		{"bad policy", "policy:\n  soft_threshold: 0\n", nil, "policy.soft_threshold"},
		{"bad env", "", []string{"BOUNCED_POLICY_SOFT_THRESHOLD=many"}, "BOUNCED_POLICY_SOFT_THRESHOLD"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			if _, err := LoadStore(write(tc.name+".yaml", tc.body), tc.env); err == nil || !strings.Contains(err.Error(), tc.want) {
				t.Errorf("LoadStore() = %v, want an error naming %s", err, tc.want)
			}
		})
	}
}
