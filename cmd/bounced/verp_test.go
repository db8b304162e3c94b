package main

import (
	"bytes"
	"encoding/json"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"
)

const (
	cliPattern   = "bounces+{token}+{local}={domain}@shop.example"
	cliSecret    = "9f86d081884c7d659a2feaa0c55ad015"
	cliOldSecret = "2c26b46b68ffc68ff99b453c1d304134"
)

func verpCmd(args ...string) (int, string, string) {
	var out, errb bytes.Buffer
	code := run(append([]string{"verp"}, args...), os.Stdin, &out, &errb)
	return code, out.String(), errb.String()
}

func TestVERPCommand_roundTrip(t *testing.T) {
	t.Setenv("VERP_NEW", cliSecret)
	t.Setenv("VERP_OLD", cliOldSecret)
	today := time.Now().UTC().Format(time.DateOnly)
	code, out, errs := verpCmd("sign", "--secret", "env:VERP_NEW", "--return-path", cliPattern, "--send-id", "Order-7", "Taro@docomo.ne.jp", "hanako@example.com")
	lines := strings.Fields(out)
	if code != 0 || len(lines) != 2 || !strings.HasPrefix(lines[0], "bounces+") || !strings.HasSuffix(lines[0], ".order-7+taro=docomo.ne.jp@shop.example") {
		t.Fatalf("verp sign = %d %q %q; want two return paths", code, out, errs)
	}
	// verify with the new key first and the old one second, from a config file.
	cfg := filepath.Join(t.TempDir(), "bounced.yaml")
	os.WriteFile(cfg, []byte("verp:\n  return_path: "+cliPattern+"\n  secrets: [env:VERP_OLD, env:VERP_NEW]\n  require_signed: true\n"), 0o600)
	code, out, errs = verpCmd("verify", "--config", cfg, "--format", "json", lines[0], strings.ToUpper(lines[1]))
	if code != 0 {
		t.Fatalf("verp verify = %d %q %q; want 0", code, out, errs)
	}
	var got []verpResult
	for _, l := range strings.Split(strings.TrimSpace(out), "\n") {
		var r verpResult
		if err := json.Unmarshal([]byte(l), &r); err != nil {
			t.Fatalf("verify output %q: %v", l, err)
		}
		got = append(got, r)
	}
	if len(got) != 2 || got[0].Verification != "verified" || got[0].Recipient != "taro@docomo.ne.jp" || got[0].SendID != "order-7" ||
		got[0].Day != today || got[0].Key == nil || *got[0].Key != 1 || got[1].Recipient != "hanako@example.com" {
		t.Errorf("verp verify = %+v; want both verified by key 1 (the old list's second)", got)
	}
	if strings.Contains(out+errs, cliSecret) {
		t.Error("verp verify prints the secret")
	}
}

func TestVERPCommand_rejects(t *testing.T) {
	t.Setenv("VERP_NEW", cliSecret)
	t.Setenv("VERP_OLD", cliOldSecret)
	_, out, _ := verpCmd("sign", "--secret", "env:VERP_OLD", "--return-path", cliPattern, "--day", "2026-01-10", "attacker@evil.example")
	signed := strings.TrimSpace(out)
	changed := strings.Replace(signed, "attacker=evil.example", "victim=example.com", 1)
	for _, tc := range []struct {
		name  string
		args  []string
		addr  string
		state string
	}{
		{"changed recipient", []string{"--secret", "env:VERP_OLD"}, changed, "bad_signature"},
		{"old key dropped", []string{"--secret", "env:VERP_NEW"}, signed, "bad_signature"},
		{"expired", []string{"--secret", "env:VERP_OLD", "--max-age", "720h"}, signed, "expired"},
		{"unsigned", []string{"--secret", "env:VERP_OLD"}, "bounces+victim=example.com@shop.example", "unsigned"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			code, out, errs := verpCmd(append(append([]string{"verify", "--return-path", cliPattern}, tc.args...), tc.addr)...)
			if code != 1 || !strings.Contains(out, "\t"+tc.state) {
				t.Errorf("verp verify = %d %q %q; want 1 and %s", code, out, errs, tc.state)
			}
		})
	}
	// With the old key second, the old token still verifies.
	code, out, _ := verpCmd("verify", "--return-path", cliPattern, "--secret", "env:VERP_NEW", "--secret", "env:VERP_OLD", signed)
	if code != 0 || !strings.Contains(out, "\tverified\trecipient=attacker@evil.example") || !strings.Contains(out, "day=2026-01-10\tkey=1") {
		t.Errorf("verp verify with the old key second = %d %q", code, out)
	}
}

func TestVERPCommand_usageErrors(t *testing.T) {
	t.Setenv("VERP_WEAK", "changeme")
	t.Setenv("VERP_NEW", cliSecret)
	for _, tc := range []struct {
		name string
		args []string
		want string
	}{
		{"no subcommand", nil, "usage:"},
		{"secret on the command line", []string{"sign", "--return-path", cliPattern, "--secret", cliSecret, "a@example.com"}, "env:NAME or file:PATH"},
		{"weak secret", []string{"sign", "--return-path", cliPattern, "--secret", "env:VERP_WEAK", "a@example.com"}, "weak secret"},
		{"no secret", []string{"sign", "--return-path", cliPattern, "a@example.com"}, "no secret"},
		{"unset variable", []string{"sign", "--return-path", cliPattern, "--secret", "env:VERP_NOT_SET_ANYWHERE", "a@example.com"}, "not set"},
		{"no pattern", []string{"sign", "--secret", "env:VERP_WEAK", "a@example.com"}, "no return-path pattern"},
		{"missing secret file", []string{"sign", "--return-path", cliPattern, "--secret", "file:/nonexistent", "a@example.com"}, "no such file"},
		{"bad day", []string{"sign", "--return-path", cliPattern, "--secret", "env:VERP_NEW", "--day", "02/12/2026", "a@example.com"}, "YYYY-MM-DD"},
		{"bad format", []string{"verify", "--return-path", cliPattern, "--secret", "env:VERP_NEW", "--format", "xml", "a@example.com"}, "--format"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			code, _, errs := verpCmd(tc.args...)
			if code != 2 || !strings.Contains(errs, tc.want) {
				t.Errorf("verp %v = %d, stderr %q; want 2 and %q", tc.args, code, errs, tc.want)
			}
			if strings.Contains(errs, cliSecret) {
				t.Error("the error shows the secret")
			}
		})
	}
}
