package main

import (
	"bytes"
	"context"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/redis/go-redis/v9"

	"github.com/bounced-dev/bounced/internal/suppress"
	"github.com/bounced-dev/bounced/internal/testutil"
	"github.com/bounced-dev/bounced/outcome"
)

func TestSuppressionsCommand(t *testing.T) {
	rs := testutil.StartRedis(t)
	t.Setenv("BOUNCED_REDIS_URL", "redis://"+rs.Addr+"/0")
	c := redis.NewClient(&redis.Options{Addr: rs.Addr})
	defer c.Close()
	st := suppress.New(c, "{bounced}", suppress.DefaultPolicy(), nil)
	ctx := context.Background()
	for _, e := range []suppress.Entry{
		{IdempotencyKey: "k1", Recipient: "a@example.com", Verdict: outcome.Verdict{Kind: "bounce", Reason: "user_unknown", Category: "user_unknown", Hard: true}, At: time.Now()},
		{IdempotencyKey: "k2", Recipient: "b@example.org", Verdict: outcome.Verdict{Kind: "bounce", Reason: "host_unknown", Category: "host_unknown", Hard: true}, At: time.Now()},
	} {
		if _, err := st.Apply(ctx, e); err != nil {
			t.Fatal(err)
		}
	}
	sup := func(args ...string) (int, string, string) {
		var out, errb bytes.Buffer
		code := run(append([]string{"suppressions"}, args...), os.Stdin, &out, &errb)
		return code, out.String(), errb.String()
	}
	if code, out, errs := sup("list", "--domain", "example.com"); code != 0 || !strings.Contains(out, "a@example.com") || strings.Contains(out, "b@example.org") {
		t.Errorf("list --domain = %d %q %q", code, out, errs)
	}
	if code, out, _ := sup("show", "b@example.org"); code != 0 || !strings.Contains(out, `"reason": "host_unknown"`) {
		t.Errorf("show = %d %q", code, out)
	}
	if code, _, _ := sup("show", "nobody@example.net"); code != 1 {
		t.Errorf("show unknown = %d, want 1", code)
	}
	if code, out, errs := sup("lift", "--note", "customer fixed the typo", "a@example.com"); code != 0 || !strings.Contains(out, "lifted") {
		t.Errorf("lift = %d %q %q", code, out, errs)
	}
	if ok, _ := st.IsSuppressed(ctx, "a@example.com", "all"); ok {
		t.Error("a@example.com still suppressed after lift")
	}
	if code, _, _ := sup("lift", "a@example.com"); code != 1 {
		t.Errorf("second lift = %d, want 1", code)
	}
	if code, _, _ := sup("frobnicate"); code != 2 {
		t.Errorf("unknown subcommand = %d, want 2", code)
	}
}

// TestSuppressionsCommand_checkAllowDeliveries: check agrees with the
// store's IsSuppressed and the scope sets; allow add lifts and exempts;
// a send log clears soft counts.
func TestSuppressionsCommand_checkAllowDeliveries(t *testing.T) {
	rs := testutil.StartRedis(t)
	t.Setenv("BOUNCED_REDIS_URL", "redis://"+rs.Addr+"/0")
	c := redis.NewClient(&redis.Options{Addr: rs.Addr})
	defer c.Close()
	st := suppress.New(c, "{bounced}", suppress.DefaultPolicy(), nil)
	ctx := context.Background()
	now := time.Now()
	for _, e := range []suppress.Entry{
		{IdempotencyKey: "k1", Recipient: "Hard@Example.com", Verdict: outcome.Verdict{Kind: "bounce", Reason: "user_unknown", Category: "user_unknown", Hard: true}, At: now},
		{IdempotencyKey: "k2", Recipient: "c@example.com", Verdict: outcome.Verdict{Kind: "complaint", Reason: "complaint", Category: "complaint"}, At: now},
		{IdempotencyKey: "k3", Recipient: "full@example.com", Verdict: outcome.Verdict{Kind: "bounce", Reason: "mailbox_full", Category: "mailbox_full"}, At: now.Add(-48 * time.Hour)},
		{IdempotencyKey: "k4", Recipient: "full@example.com", Verdict: outcome.Verdict{Kind: "bounce", Reason: "mailbox_full", Category: "mailbox_full"}, At: now.Add(-24 * time.Hour)},
	} {
		if _, err := st.Apply(ctx, e); err != nil {
			t.Fatal(err)
		}
	}
	sup := func(args ...string) (int, string, string) {
		var out, errb bytes.Buffer
		code := run(append([]string{"suppressions"}, args...), os.Stdin, &out, &errb)
		return code, out.String(), errb.String()
	}
	for _, addr := range []string{"hard@example.com", "HARD@example.com", "c@example.com", "nobody@example.com"} {
		for _, scope := range []string{"all", "transactional", "marketing"} {
			want, err := st.IsSuppressed(ctx, addr, scope)
			if err != nil {
				t.Fatal(err)
			}
			norm, _ := suppress.NormalizeAddress(addr)
			inSet, _ := c.SIsMember(ctx, st.ScopeKey(scope), norm).Result()
			code, out, errs := sup("check", "--scope", scope, addr)
			if (code == 0) != want || inSet != want || (code != 0 && code != 1) {
				t.Errorf("check --scope %s %s = %d %q %q; IsSuppressed %v, SISMEMBER %v", scope, addr, code, out, errs, want, inSet)
			}
		}
	}
	if code, _, _ := sup("check", "--scope", "newsletter", "hard@example.com"); code != 2 {
		t.Errorf("check with an unknown scope = %d, want 2", code)
	}

	if code, out, errs := sup("allow", "add", "--note", "test inbox", "hard@example.com"); code != 0 || !strings.Contains(out, "allowlisted hard@example.com") {
		t.Errorf("allow add = %d %q %q", code, out, errs)
	}
	if code, _, _ := sup("check", "hard@example.com"); code != 1 {
		t.Errorf("check after allow add = %d, want 1 (lifted)", code)
	}
	// Not on a terminal: JSON lines (the tab-separated lines of old are --format csv's rows now).
	if code, out, _ := sup("allow", "list"); code != 0 || !strings.Contains(out, `{"entry":"hard@example.com","source":"store"}`) {
		t.Errorf("allow list = %d %q", code, out)
	}
	if code, _, _ := sup("allow", "add", "not a domain"); code != 2 {
		t.Errorf("allow add invalid = %d, want 2", code)
	}
	if code, _, _ := sup("allow", "remove", "hard@example.com"); code != 0 {
		t.Errorf("allow remove = %d", code)
	}
	if code, _, _ := sup("allow", "remove", "hard@example.com"); code != 1 {
		t.Errorf("allow remove again = %d, want 1", code)
	}

	// The default policy suppresses what it suppressed: reapply lifts nothing.
	if code, out, errs := sup("reapply", "--dry-run"); code != 0 || !strings.Contains(out, "would lift 0 suppressions") {
		t.Errorf("reapply --dry-run = %d %q %q", code, out, errs)
	}
	// With user_unknown switched off, it lifts the user_unknown suppression.
	t.Setenv("BOUNCED_CONFIG", writeConfig(t, "policy:\n  reasons:\n    user_unknown: {action: notify}\n"))
	if _, err := st.Apply(ctx, suppress.Entry{IdempotencyKey: "k9", Recipient: "gone@example.com", Verdict: outcome.Verdict{Kind: "bounce", Reason: "user_unknown", Category: "user_unknown", Hard: true}, At: now}); err != nil {
		t.Fatal(err)
	}
	if code, out, errs := sup("reapply", "--actor", "ops"); code != 0 || !strings.Contains(out, "gone@example.com") || !strings.Contains(out, "lifted 1 suppressions") {
		t.Errorf("reapply = %d %q %q", code, out, errs)
	}
	t.Setenv("BOUNCED_CONFIG", "")

	log := filepath.Join(t.TempDir(), "send.log")
	os.WriteFile(log, []byte("# bounced send log\n"+
		now.Add(-time.Hour).UTC().Format(time.RFC3339)+" Full@Example.com order-123\n"+
		now.UTC().Format(time.RFC3339)+" host postfix/smtp[1]: AB12: to=<other@example.com>, relay=mx[192.0.2.1]:25, status=deferred (busy)\n"), 0o600)
	if code, out, errs := sup("deliveries", log); code != 0 || !strings.Contains(out, "3 lines, 1 deliveries, 2 soft bounces cleared") {
		t.Errorf("deliveries = %d %q %q", code, out, errs)
	}
	r, err := st.Apply(ctx, suppress.Entry{IdempotencyKey: "k5", Recipient: "full@example.com", Verdict: outcome.Verdict{Kind: "bounce", Reason: "mailbox_full", Category: "mailbox_full"}, At: now})
	if err != nil || r.Suppressed || r.WindowCount != 1 {
		t.Errorf("Apply() after the delivery = %+v, %v; want a fresh count", r, err)
	}
}

func TestParseDeliveryLine(t *testing.T) {
	at := time.Date(2026, 12, 2, 10, 0, 0, 0, time.UTC)
	tests := []struct {
		line string
		addr string
		at   time.Time
		ok   bool
	}{
		{"2026-12-02T10:00:00Z a@example.com order-1", "a@example.com", at, true},
		{"2026-12-02T10:00:00Z <a@example.com>", "a@example.com", at, true},
		{"2026-12-02T10:00:00Z host postfix/smtp[9]: X: to=<b@example.jp>, relay=mx[192.0.2.1]:25, delay=1, status=sent (250 2.0.0 ok)", "b@example.jp", at, true},
		{"Dec  2 10:00:00 host postfix/smtp[9]: X: to=<c@example.jp>, relay=mx, status=sent (250 ok)", "c@example.jp", time.Time{}, true},
		{"Dec  2 10:00:00 host postfix/smtp[9]: X: to=<c@example.jp>, status=bounced (550 no)", "", time.Time{}, false},
		{"# comment", "", time.Time{}, false},
		{"", "", time.Time{}, false},
		{"yesterday a@example.com", "", time.Time{}, false},
	}
	for _, tc := range tests {
		addr, got, ok := ParseDeliveryLine(tc.line)
		if addr != tc.addr || !got.Equal(tc.at) || ok != tc.ok {
			t.Errorf("ParseDeliveryLine(%q) = %q, %v, %v; want %q, %v, %v", tc.line, addr, got, ok, tc.addr, tc.at, tc.ok)
		}
	}
}

func writeConfig(t *testing.T, body string) string {
	t.Helper()
	p := filepath.Join(t.TempDir(), "bounced.yaml")
	if err := os.WriteFile(p, []byte(body), 0o600); err != nil {
		t.Fatal(err)
	}
	return p
}
