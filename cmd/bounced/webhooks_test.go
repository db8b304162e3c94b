package main

import (
	"bytes"
	"context"
	"os"
	"path/filepath"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/nats-io/nats.go"
	"github.com/nats-io/nats.go/jetstream"

	"github.com/bounced-dev/bounced/internal/testutil"
	"github.com/bounced-dev/bounced/internal/webhook"
	"github.com/bounced-dev/bounced/outcome"
	"github.com/bounced-dev/bounced/publisher"
)

func TestWebhooksCommand(t *testing.T) {
	srv := testutil.StartNATSEmbedded(t)
	cfgPath := filepath.Join(t.TempDir(), "bounced.yaml")
	if err := os.WriteFile(cfgPath, []byte(`
nats:
  url: `+srv.URL+`
webhooks:
  - name: crm
    url: https://crm.example/hook?token=hidden
    secret: whsec_MfKQ9r8GKYqrTwjUPD8ILPZIo2LaLaSw
    events: [bounce]
`), 0o600); err != nil {
		t.Fatal(err)
	}
	wh := func(args ...string) (int, string, string) {
		var out, errb bytes.Buffer
		code := run(append([]string{"webhooks"}, args...), os.Stdin, &out, &errb)
		return code, out.String(), errb.String()
	}

	ctx, cancel := context.WithTimeout(context.Background(), 30*time.Second)
	defer cancel()
	nc, err := nats.Connect(srv.URL)
	if err != nil {
		t.Fatal(err)
	}
	defer nc.Close()
	js, err := jetstream.New(nc)
	if err != nil {
		t.Fatal(err)
	}
	pub, err := publisher.New(ctx, js, publisher.StreamConfig{}, nil)
	if err != nil {
		t.Fatal(err)
	}
	when := time.Date(2025, 3, 14, 9, 0, 0, 0, time.UTC)
	bounce := func(id string) publisher.Event {
		return publisher.Event{ID: id, Type: publisher.TypeBounce, Time: when, Recipient: "a@example.net", Verdict: outcome.Verdict{Reason: "user_unknown", Category: "user_unknown"}}
	}
	if _, err := pub.Publish(ctx, bounce("before")); err != nil {
		t.Fatal(err)
	}
	since := time.Now().Add(time.Millisecond)
	testutil.WaitFor(t, 5*time.Second, "the clock to pass since", func() bool { return time.Now().After(since) })
	for _, id := range []string{"after-1", "after-2"} {
		if _, err := pub.Publish(ctx, bounce(id)); err != nil {
			t.Fatal(err)
		}
	}
	if _, err := pub.Publish(ctx, publisher.Event{ID: "c", Type: publisher.TypeComplaint, Time: when, Recipient: "b@example.net"}); err != nil {
		t.Fatal(err)
	}

	if code, out, errs := wh("--config", cfgPath, "list"); code != 0 || !strings.Contains(out, "(no consumer yet)") || strings.Contains(out, "hidden") {
		t.Errorf("list before replay = %d %q %q, want no consumer and no token", code, out, errs)
	}
	code, out, errs := wh("--config", cfgPath, "replay", "--endpoint", "crm", "--since", since.Format(time.RFC3339Nano))
	if code != 0 || !strings.Contains(out, "crm: 2 event(s)") {
		t.Fatalf("replay = %d %q %q, want 2 events (the bounces after since, not the complaint)", code, out, errs)
	}
	c, err := js.Consumer(ctx, publisher.DefaultStreamName, webhook.ConsumerName("crm"))
	if err != nil {
		t.Fatalf("consumer after replay: %v", err)
	}
	if cfg := c.CachedInfo().Config; cfg.DeliverPolicy != jetstream.DeliverByStartTimePolicy || cfg.OptStartTime == nil || !cfg.OptStartTime.Equal(since.Truncate(time.Second)) && !cfg.OptStartTime.Equal(since) {
		t.Errorf("consumer config = %v %v, want by start time %v", cfg.DeliverPolicy, cfg.OptStartTime, since)
	}
	if code, out, errs := wh("--config", cfgPath, "list", "--json"); code != 0 || !strings.Contains(out, `"pending": 2`) ||
		!strings.Contains(out, `"dead_letter_subject": "bounced.deadletter.crm"`) || !strings.Contains(out, `"dead_lettered": 0`) {
		t.Errorf("list --json = %d %q %q", code, out, errs)
	}
	// A dead letter in the stream is counted.
	if _, err := js.Publish(ctx, webhook.DeadLetterSubject("bounced", "crm"), []byte(`{"id": "dead-1", "type": "bounce"}`)); err != nil {
		t.Fatal(err)
	}
	if code, out, errs := wh("--config", cfgPath, "list", "--json"); code != 0 || !strings.Contains(out, `"dead_lettered": 1`) {
		t.Errorf("list --json with a dead letter = %d %q %q, want dead_lettered 1", code, out, errs)
	}
	if code, out, _ := wh("--config", cfgPath, "list"); code != 0 || !strings.Contains(out, "DEAD LETTERED") {
		t.Errorf("list = %d %q, want the dead-lettered column", code, out)
	}

	for _, tc := range []struct {
		name string
		args []string
		code int
		want string
	}{
		{"unknownEndpoint", []string{"--config", cfgPath, "replay", "--endpoint", "nope", "--since", "1h"}, 2, "not in the configuration"},
		{"noSince", []string{"--config", cfgPath, "replay", "--endpoint", "crm"}, 2, "--since is required"},
		{"badSince", []string{"--config", cfgPath, "replay", "--endpoint", "crm", "--since", "yesterday"}, 2, "RFC 3339"},
		{"unknownSubcommand", []string{"frobnicate"}, 2, "unknown subcommand"},
		{"noSubcommand", nil, 2, "usage:"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			code, _, errs := wh(tc.args...)
			if code != tc.code || !strings.Contains(errs, tc.want) {
				t.Errorf("webhooks %v = %d %q, want %d and %q", tc.args, code, errs, tc.code, tc.want)
			}
		})
	}
	if code, out, _ := wh("--help"); code != 0 || !strings.Contains(out, "replay --endpoint NAME --since TIME") {
		t.Errorf("webhooks --help = %d %q, want the usage and 0", code, out)
	}
	if code, out, _ := wh("--config", cfgPath, "replay", "--help"); code != 0 || !strings.Contains(out, "usage:") {
		t.Errorf("webhooks replay --help = %d %q, want the usage and 0", code, out)
	}
}

func TestWebhooksCommand_secret(t *testing.T) {
	var out, errb bytes.Buffer
	if code := run([]string{"webhooks", "secret"}, os.Stdin, &out, &errb); code != 0 {
		t.Fatalf("webhooks secret = %d %q", code, errb.String())
	}
	s := strings.TrimSpace(out.String())
	if k, err := webhook.ParseSecret(s); err != nil || len(k) != 32 {
		t.Errorf("webhooks secret printed %q: ParseSecret = %d bytes, %v", s, len(k), err)
	}
}

func TestWebhooksCommand_embeddedNotRunning(t *testing.T) {
	cfgPath := filepath.Join(t.TempDir(), "bounced.yaml")
	port := testutil.FreePort(t) // nothing listens there
	if err := os.WriteFile(cfgPath, []byte("nats:\n  listen: 127.0.0.1:"+strconv.Itoa(port)+"\nwebhooks:\n  - name: crm\n    url: https://crm.example/\n    secret: whsec_MfKQ9r8GKYqrTwjUPD8ILPZIo2LaLaSw\n"), 0o600); err != nil {
		t.Fatal(err)
	}
	var out, errb bytes.Buffer
	code := run([]string{"webhooks", "--config", cfgPath, "list"}, os.Stdin, &out, &errb)
	if code != 1 || !strings.Contains(errb.String(), "bounced run") {
		t.Errorf("webhooks list without a daemon = %d %q, want 1 and a hint to start bounced run", code, errb.String())
	}
}
