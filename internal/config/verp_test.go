package config

import (
	"errors"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/bounced-dev/bounced/verp"
)

const (
	testVERPPattern = "bounces+{token}+{local}={domain}@shop.example"
	strongSecret    = "9f86d081884c7d659a2feaa0c55ad015"
	oldSecret       = "2c26b46b68ffc68ff99b453c1d304134"
)

func TestLoad_verp(t *testing.T) {
	dir := t.TempDir()
	oldFile := filepath.Join(dir, "old.key")
	if err := os.WriteFile(oldFile, []byte(oldSecret+"\n"), 0o600); err != nil {
		t.Fatal(err)
	}
	p := writeFile(t, "verp:\n  return_path: "+testVERPPattern+"\n  secrets: [env:VERP_KEY, 'file:"+oldFile+"']\n  require_signed: true\n  max_age: 720h\n")
	c, err := Load(p, []string{"VERP_KEY=" + strongSecret})
	if err != nil {
		t.Fatalf("Load() = %v", err)
	}
	if len(c.VERP.Secrets) != 2 || c.VERP.Secrets[0].Value() != strongSecret || c.VERP.Secrets[1].Value() != oldSecret || !c.VERP.RequireSigned {
		t.Fatalf("verp = %+v", c.VERP)
	}
	s, err := c.VERP.Signer()
	if err != nil || s == nil {
		t.Fatalf("Signer() = %v, %v", s, err)
	}
	rp, err := s.Sign("taro@docomo.ne.jp", verp.Options{})
	if err != nil {
		t.Fatal(err)
	}
	if a, err := s.Verify(rp); err != nil || a.Key != 0 {
		t.Errorf("Verify(%q) = %+v, %v; want key 0", rp, a, err)
	}
	if strings.Contains(c.VERP.Secrets[0].String(), strongSecret) {
		t.Error("a VERP secret prints itself")
	}
}

func TestLoad_verpEnv(t *testing.T) {
	c, err := Load("", []string{
		"BOUNCED_VERP_RETURN_PATH=" + testVERPPattern,
		"BOUNCED_VERP_SECRETS=env:K1,env:K2",
		"K1=" + strongSecret, "K2=" + oldSecret,
		"BOUNCED_VERP_REQUIRE_SIGNED=true",
	})
	if err != nil {
		t.Fatalf("Load() = %v", err)
	}
	if len(c.VERP.Secrets) != 2 || c.VERP.Secrets[1].Value() != oldSecret || !c.VERP.RequireSigned {
		t.Errorf("verp from the environment = %+v", c.VERP)
	}
}

func TestLoad_verpOff(t *testing.T) {
	c, err := Load("", nil)
	if err != nil {
		t.Fatal(err)
	}
	if s, err := c.VERP.Signer(); s != nil || err != nil {
		t.Errorf("Signer() without secrets = %v, %v; want nil, nil", s, err)
	}
}

func TestLoad_verpErrors(t *testing.T) {
	for _, tc := range []struct {
		name, yaml string
		env        []string
		want       []string
	}{
		{"require without secret", "verp:\n  return_path: " + testVERPPattern + "\n  require_signed: true\n", nil,
			[]string{"verp.secrets", "require_signed"}},
		{"weak secret", "verp:\n  return_path: " + testVERPPattern + "\n  require_signed: true\n  secrets: [env:K]\n", []string{"K=changeme"},
			[]string{"verp.secrets[0]", "weak secret", "8 bytes"}},
		{"weak old secret", "verp:\n  return_path: " + testVERPPattern + "\n  secrets: [" + strongSecret + ", " + strings.Repeat("ab", 20) + "]\n", nil,
			[]string{"verp.secrets[1]", "different characters"}},
		{"empty env secret", "verp:\n  return_path: " + testVERPPattern + "\n  require_signed: true\n  secrets: [env:K]\n", []string{"K="},
			[]string{"verp.secrets[0]", "0 bytes"}},
		{"unset env secret", "verp:\n  return_path: " + testVERPPattern + "\n  secrets: [env:NOPE_NOT_SET]\n", nil,
			[]string{"verp.secrets[0]", "NOPE_NOT_SET is not set"}},
		{"missing return path", "verp:\n  secrets: [" + strongSecret + "]\n", nil,
			[]string{"verp.return_path is required"}},
		{"return path without token", "verp:\n  return_path: bounces+{local}={domain}@shop.example\n  secrets: [" + strongSecret + "]\n", nil,
			[]string{"verp.return_path", "{token}"}},
		{"negative max age", "verp:\n  return_path: " + testVERPPattern + "\n  secrets: [" + strongSecret + "]\n  max_age: -1h\n", nil,
			[]string{"verp.max_age"}},
	} {
		t.Run(tc.name, func(t *testing.T) {
			_, err := Load(writeFile(t, tc.yaml), tc.env)
			if err == nil {
				t.Fatalf("Load() = nil, want an error naming %v", tc.want)
			}
			for _, w := range tc.want {
				if !strings.Contains(err.Error(), w) {
					t.Errorf("Load() error = %v, want one containing %q", err, w)
				}
			}
		})
	}
	_, err := Load(writeFile(t, "verp:\n  return_path: "+testVERPPattern+"\n  secrets: [short]\n"), nil)
	if !errors.Is(err, verp.ErrWeakSecret) {
		t.Errorf("Load() with a weak secret = %v, want errors.Is verp.ErrWeakSecret", err)
	}
}
