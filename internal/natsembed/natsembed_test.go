package natsembed_test

import (
	"context"
	"errors"
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

func TestStart_auth(t *testing.T) {
	ctx, cancel := context.WithTimeout(context.Background(), 30*time.Second)
	defer cancel()
	tests := []struct {
		name string
		o    natsembed.Options
		good []nats.Option
		bad  map[string][]nats.Option
	}{
		{"userPassword", natsembed.Options{User: "shop", Password: "s3cret pw"},
			[]nats.Option{nats.UserInfo("shop", "s3cret pw")},
			map[string][]nats.Option{
				"none":          nil,
				"wrongPassword": {nats.UserInfo("shop", "s3cret")},
				"wrongUser":     {nats.UserInfo("other", "s3cret pw")},
				"token":         {nats.Token("s3cret pw")},
			}},
		{"token", natsembed.Options{Token: "tok-123"},
			[]nats.Option{nats.Token("tok-123")},
			map[string][]nats.Option{
				"none":       nil,
				"wrongToken": {nats.Token("tok-124")},
				"userInfo":   {nats.UserInfo("tok-123", "tok-123")},
			}},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			o := tc.o
			o.DataDir, o.Port = t.TempDir(), -1
			s := start(t, o)
			for name, opts := range tc.bad {
				nc, err := nats.Connect(s.ClientURL(), append(opts, nats.NoReconnect())...)
				if err == nil {
					nc.Close()
					t.Errorf("Connect(%s) = nil error, want it refused", name)
					continue
				}
				if !errors.Is(err, nats.ErrAuthorization) && !strings.Contains(strings.ToLower(err.Error()), "authorization") {
					t.Errorf("Connect(%s) = %v, want an authorization error", name, err)
				}
			}
			nc, err := nats.Connect(s.ClientURL(), tc.good...)
			if err != nil {
				t.Fatalf("Connect(right credentials) = %v", err)
			}
			defer nc.Close()
			// JetStream works for the authenticated client.
			js, err := jetstream.New(nc)
			if err != nil {
				t.Fatal(err)
			}
			if _, err := js.CreateStream(ctx, jetstream.StreamConfig{Name: "A", Subjects: []string{"a.>"}}); err != nil {
				t.Fatalf("CreateStream() = %v", err)
			}
			if _, err := js.Publish(ctx, "a.x", []byte("x")); err != nil {
				t.Fatalf("Publish() = %v", err)
			}
		})
	}
	t.Run("userWithoutPassword", func(t *testing.T) {
		s, err := natsembed.Start(ctx, natsembed.Options{DataDir: t.TempDir(), Port: -1, User: "shop"})
		if err == nil {
			s.Shutdown()
			t.Fatal("Start(user, no password) = nil error")
		}
	})
}

func TestStart_fixedListenAddress(t *testing.T) {
	port := testutil.FreePort(t)
	host, p, err := natsembed.SplitListen("127.0.0.1:" + strconv.Itoa(port))
	if err != nil || host != "127.0.0.1" || p != port {
		t.Fatalf("SplitListen() = %q, %d, %v", host, p, err)
	}
	s := start(t, natsembed.Options{DataDir: t.TempDir(), Host: host, Port: p})
	want := "nats://127.0.0.1:" + strconv.Itoa(port)
	if s.ClientURL() != want {
		t.Errorf("ClientURL() = %q, want %q", s.ClientURL(), want)
	}
	nc, err := nats.Connect(want)
	if err != nil {
		t.Fatalf("Connect(%s) = %v", want, err)
	}
	nc.Close()

	// Every interface: clients are told the loopback address.
	all := start(t, natsembed.Options{DataDir: t.TempDir(), Host: "0.0.0.0", Port: -1, Token: "t"})
	if u := all.ClientURL(); !strings.HasPrefix(u, "nats://127.0.0.1:") {
		t.Errorf("ClientURL() on 0.0.0.0 = %q, want the loopback address", u)
	}
}

func TestSplitListen(t *testing.T) {
	tests := []struct {
		in   string
		host string
		port int
		bad  bool
	}{
		{"127.0.0.1:4222", "127.0.0.1", 4222, false},
		{"127.0.0.1:0", "127.0.0.1", -1, false},
		{":4222", "0.0.0.0", 4222, false},
		{"[::1]:4333", "::1", 4333, false},
		{"localhost", "", 0, true},
		{"127.0.0.1:70000", "", 0, true},
		{"127.0.0.1:nats", "", 0, true},
	}
	for _, tc := range tests {
		host, port, err := natsembed.SplitListen(tc.in)
		if (err != nil) != tc.bad || host != tc.host || port != tc.port {
			t.Errorf("SplitListen(%q) = %q, %d, %v; want %q, %d, error %v", tc.in, host, port, err, tc.host, tc.port, tc.bad)
		}
	}
}
