package main

import (
	"bytes"
	"context"
	"os"
	"strings"
	"testing"
	"time"

	"github.com/redis/go-redis/v9"

	"github.com/bounced-dev/bounced/internal/suppress"
	"github.com/bounced-dev/bounced/internal/testutil"
)

func TestSuppressionsCommand(t *testing.T) {
	rs := testutil.StartRedis(t)
	t.Setenv("BOUNCED_REDIS_URL", "redis://"+rs.Addr+"/0")
	c := redis.NewClient(&redis.Options{Addr: rs.Addr})
	defer c.Close()
	st := suppress.New(c, "{bounced}", suppress.DefaultPolicy(), nil)
	ctx := context.Background()
	for _, e := range []suppress.Entry{
		{IdempotencyKey: "k1", Recipient: "a@example.com", Kind: "bounce", Reason: "user_unknown", Category: "user_unknown", Hard: true, At: time.Now()},
		{IdempotencyKey: "k2", Recipient: "b@example.org", Kind: "bounce", Reason: "host_unknown", Category: "host_unknown", Hard: true, At: time.Now()},
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
