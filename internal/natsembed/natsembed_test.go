package natsembed_test

import (
	"context"
	"log/slog"
	"os"
	"path/filepath"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/nats-io/nats.go"
	"github.com/nats-io/nats.go/jetstream"

	"github.com/bounced-dev/bounced/internal/natsembed"
	"github.com/bounced-dev/bounced/internal/testutil"
)

func start(t *testing.T, o natsembed.Options) *natsembed.Server {
	t.Helper()
	ctx, cancel := context.WithTimeout(context.Background(), 20*time.Second)
	defer cancel()
	s, err := natsembed.Start(ctx, o)
	if err != nil {
		t.Fatalf("Start(%+v) = %v", o, err)
	}
	t.Cleanup(s.Shutdown)
	return s
}

func TestStart_jetStreamPersists(t *testing.T) {
	dir := t.TempDir()
	var logs testutil.LogBuffer
	log := slog.New(slog.NewTextHandler(&logs, &slog.HandlerOptions{Level: slog.LevelDebug}))
	ctx, cancel := context.WithTimeout(context.Background(), 30*time.Second)
	defer cancel()

	for i, step := range []string{"first", "restarted"} {
		t.Run(step, func(t *testing.T) {
			s := start(t, natsembed.Options{DataDir: dir, Port: -1, Logger: log})
			url := s.ClientURL()
			if !strings.HasPrefix(url, "nats://127.0.0.1:") || strings.HasSuffix(url, ":-1") {
				t.Errorf("ClientURL() = %q, want nats://127.0.0.1:<port>", url)
			}
			nc, err := nats.Connect(url)
			if err != nil {
				t.Fatalf("nats.Connect(%s) = %v", url, err)
			}
			defer nc.Close()
			js, err := jetstream.New(nc)
			if err != nil {
				t.Fatal(err)
			}
			st, err := js.CreateOrUpdateStream(ctx, jetstream.StreamConfig{Name: "T", Subjects: []string{"t.>"}})
			if err != nil {
				t.Fatalf("CreateOrUpdateStream() = %v", err)
			}
			if _, err := js.Publish(ctx, "t.x", []byte(step)); err != nil {
				t.Fatalf("Publish() = %v", err)
			}
			info, err := st.Info(ctx)
			if err != nil {
				t.Fatal(err)
			}
			if info.State.Msgs != uint64(i+1) {
				t.Errorf("stream has %d messages, want %d (kept across restarts)", info.State.Msgs, i+1)
			}
			s.Shutdown()
			s.Shutdown() // idempotent
		})
	}
	if _, err := os.Stat(filepath.Join(dir, "jetstream")); err != nil {
		t.Errorf("JetStream store not in DataDir: %v", err)
	}
	if !strings.Contains(logs.String(), "level=DEBUG") || !strings.Contains(logs.String(), "subsystem=nats-server") {
		t.Errorf("server log not routed to slog at debug:\n%s", logs.String())
	}
}

func TestStart_errors(t *testing.T) {
	busy := start(t, natsembed.Options{DataDir: t.TempDir(), Port: -1})
	_, port, _ := strings.Cut(strings.TrimPrefix(busy.ClientURL(), "nats://"), ":")
	notDir := filepath.Join(t.TempDir(), "file")
	if err := os.WriteFile(notDir, nil, 0o600); err != nil {
		t.Fatal(err)
	}
	cancelled, cancel := context.WithCancel(context.Background())
	cancel()
	tests := []struct {
		name string
		ctx  context.Context
		o    natsembed.Options
		want string
	}{
		{"noDataDir", context.Background(), natsembed.Options{Port: -1}, "data dir is required"},
		{"dataDirIsFile", context.Background(), natsembed.Options{DataDir: notDir, Port: -1}, "natsembed: "},
		{"portInUse", context.Background(), natsembed.Options{DataDir: t.TempDir(), Port: mustAtoi(t, port)}, "natsembed: "},
		{"cancelled", cancelled, natsembed.Options{DataDir: t.TempDir(), Port: -1}, "natsembed: "},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			s, err := natsembed.Start(tc.ctx, tc.o)
			if err == nil {
				s.Shutdown()
				t.Fatalf("Start() = nil error, want %q", tc.want)
			}
			t.Logf("Start() = %v", err)
			if !strings.Contains(err.Error(), tc.want) {
				t.Errorf("Start() = %v, want an error containing %q", err, tc.want)
			}
		})
	}
}

func mustAtoi(t *testing.T, s string) int {
	t.Helper()
	n, err := strconv.Atoi(s)
	if err != nil {
		t.Fatal(err)
	}
	return n
}
