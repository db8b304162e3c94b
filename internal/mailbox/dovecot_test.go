package mailbox

import (
	"context"
	"errors"
	"log/slog"
	"strconv"
	"strings"
	"sync/atomic"
	"testing"
	"time"

	"github.com/bounced-dev/bounced/internal/testutil"
)

// dovecotConfig returns a Config for Dovecot d that watches the mailbox
// name with folders name-Processed, name-Ignored and name-Quarantine, so
// that cases can share one server.
func dovecotConfig(d *testutil.Dovecot, name string) Config {
	return Config{
		Name: name, Addr: d.IMAPSAddr, TLSRootCAs: d.CAPool,
		Username: d.User, Password: d.Password,
		Mailbox: name, ProcessedFolder: name + "-Processed", IgnoredFolder: name + "-Ignored", QuarantineFolder: name + "-Quarantine",
		PollInterval: time.Minute, BackoffMin: 50 * time.Millisecond, BackoffMax: 300 * time.Millisecond,
		Concurrency: 1,
	}
}

// startDovecot starts a real Dovecot, except with -short.
func startDovecot(t *testing.T) *testutil.Dovecot {
	t.Helper()
	if testing.Short() {
		t.Skip("integration test: skipped with -short")
	}
	return testutil.StartDovecot(t)
}

func TestDovecot_worker(t *testing.T) {
	d := startDovecot(t)
	var tokenCalls atomic.Int32
	tests := []struct {
		name string
		edit func(c *Config)
	}{
		{"implicitLogin", func(*Config) {}},
		{"starttlsPlain", func(c *Config) {
			c.Addr, c.TLS, c.Auth, c.TLSServerName = d.IMAPAddr, TLSStartTLS, AuthPlain, "localhost"
		}},
		{"implicitXOAUTH2", func(c *Config) {
			c.Auth, c.Password = AuthXOAUTH2, ""
			c.Token = func(context.Context) (string, error) { tokenCalls.Add(1); return d.Token, nil }
		}},
		{"flagMode", func(c *Config) { c.After = AfterFlag }},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			cfg := dovecotConfig(d, tc.name)
			tc.edit(&cfg)
			for _, subj := range []string{"bounce 1", "ignore 2", "quarantine 3"} {
				d.Append(t, cfg.Mailbox, mail(subj))
			}
			rec := &recorder{}
			r := start(t, cfg, rec.handle, newMemCheckpoints(), nil)
			waitFor(t, 10*time.Second, "3 handled", func() bool {
				st := r.w.Status()
				return st.Processed == 1 && st.Ignored == 1 && st.Quarantined == 1
			})
			wantProcessed, wantLeft := 1, 0
			if cfg.After == AfterFlag {
				wantProcessed, wantLeft = 0, 1
			}
			for folder, want := range map[string]int{
				cfg.ProcessedFolder: wantProcessed, cfg.IgnoredFolder: 1, cfg.QuarantineFolder: 1, cfg.Mailbox: wantLeft,
			} {
				if got := d.Count(t, folder); got != want {
					t.Errorf("Count(%s) = %d, want %d", folder, got, want)
				}
			}
			if cfg.After == AfterFlag {
				if m := d.Messages(t, cfg.Mailbox); len(m) != 1 || !m[0].HasFlag(DefaultFlag) {
					t.Errorf("%s = %+v, want the bounce flagged %s", cfg.Mailbox, m, DefaultFlag)
				}
			}
			if src := rec.all()[0].source; !strings.HasPrefix(src, "imap://bounces@127.0.0.1:") || !strings.HasSuffix(src, "/"+tc.name+";UIDVALIDITY="+strconv.FormatUint(uint64(r.w.Status().UIDValidity), 10)+";UID=1") {
				t.Errorf("Source() = %q", src)
			}

			// IDLE: a new message is handled within a second or so.
			waitFor(t, 5*time.Second, "idle", func() bool { return r.w.Status().Idle })
			d.Append(t, cfg.Mailbox, mail("bounce 4"))
			appended := time.Now()
			waitFor(t, 5*time.Second, "new message handled", func() bool { return len(rec.ok()) == 4 })
			if dt := time.Since(appended); dt > 2*time.Second {
				t.Errorf("new message handled %v after APPEND, want IDLE to wake the worker", dt)
			}
			if cfg.Auth == AuthXOAUTH2 && tokenCalls.Load() == 0 {
				t.Errorf("xoauth2 token source never called")
			}
		})
	}
}

func TestDovecot_connectErrors(t *testing.T) {
	d := startDovecot(t)
	tests := []struct {
		name    string
		edit    func(c *Config)
		wantErr string
	}{
		{"unknownCA", func(c *Config) { c.TLSRootCAs = nil }, "certificate"},
		{"wrongName", func(c *Config) { c.TLSServerName = "imap.example" }, "certificate"},
		{"wrongPassword", func(c *Config) { c.Password = "not-the-password" }, "AUTHENTICATIONFAILED"},
		{"wrongToken", func(c *Config) {
			c.Auth, c.Token = AuthXOAUTH2, func(context.Context) (string, error) { return "expired-token", nil }
		}, "xoauth2 token rejected"},
		{"tokenSourceFails", func(c *Config) {
			c.Auth, c.Token = AuthXOAUTH2, func(context.Context) (string, error) { return "", errors.New("token file missing") }
		}, "token file missing"},
		{"starttlsOnImaps", func(c *Config) { c.TLS = TLSStartTLS }, "starttls"},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			cfg := dovecotConfig(d, tc.name)
			tc.edit(&cfg)
			d.Append(t, cfg.Mailbox, mail("bounce"))
			rec := &recorder{}
			logs := newLogRecords(t)
			r := start(t, cfg, rec.handle, newMemCheckpoints(), slog.New(logs))
			waitFor(t, 10*time.Second, "an error", func() bool { return r.w.Status().LastError != "" })
			st := r.w.Status()
			if !strings.Contains(st.LastError, tc.wantErr) || !strings.HasPrefix(st.LastError, "mailbox: ") {
				t.Errorf("LastError = %q, want a mailbox: error containing %q", st.LastError, tc.wantErr)
			}
			if st.Connected || len(rec.all()) != 0 {
				t.Errorf("Status() = %+v, handler calls %d; want not connected and no calls", st, len(rec.all()))
			}
			if txt := logs.text(); strings.Contains(txt, d.Password) || strings.Contains(txt, d.Token) || strings.Contains(txt, "expired-token") {
				t.Errorf("a secret leaked into the logs:\n%s", txt)
			}
		})
	}
}

func TestDovecot_outage(t *testing.T) {
	d := startDovecot(t)
	cfg := dovecotConfig(d, "outage")
	d.Append(t, cfg.Mailbox, mail("bounce 1"))
	// The handler of bounce 2 is held until the server is down, so that
	// its move fails: the message must stay and be handled again.
	hold := make(chan struct{})
	var held atomic.Bool
	rec := &recorder{}
	handler := func(ctx context.Context, m *Message) (Disposition, error) {
		if subjectOf(m.Raw) == "bounce 2" && held.CompareAndSwap(false, true) {
			select {
			case <-hold:
			case <-ctx.Done():
				return 0, ctx.Err()
			}
		}
		return rec.handle(ctx, m)
	}
	logs := newLogRecords(t)
	r := start(t, cfg, handler, newMemCheckpoints(), slog.New(logs))
	waitFor(t, 10*time.Second, "bounce 1", func() bool { return r.w.Status().Processed == 1 })

	d.Append(t, cfg.Mailbox, mail("bounce 2"))
	waitFor(t, 5*time.Second, "bounce 2 in the handler", held.Load)
	d.Stop()
	close(hold)
	waitFor(t, 5*time.Second, "disconnected", func() bool { return !r.w.Status().Connected })
	waitFor(t, 5*time.Second, "retries", func() bool { return r.w.Status().Reconnects >= 2 })

	d.Start()
	d.Append(t, cfg.Mailbox, mail("bounce 3"))
	waitFor(t, 10*time.Second, "all in Processed", func() bool { return d.Count(t, cfg.ProcessedFolder) == 3 })
	if got := d.Count(t, cfg.Mailbox); got != 0 {
		t.Errorf("Count(%s) = %d, want 0", cfg.Mailbox, got)
	}
	subjects := map[string]int{}
	for _, c := range rec.all() {
		subjects[c.subject]++
	}
	if subjects["bounce 1"] != 1 || subjects["bounce 2"] < 1 || subjects["bounce 3"] != 1 {
		t.Errorf("handled %v, want every bounce (bounce 2 possibly twice)", subjects)
	}
	if n := logs.count(slog.LevelWarn, "mailbox: connection failed, retrying"); n != 1 {
		t.Errorf("outage warned %d times, want once", n)
	}
	if n := logs.count(slog.LevelInfo, "mailbox: connection restored"); n != 1 {
		t.Errorf("recovery logged %d times, want once", n)
	}
	if st := r.w.Status(); !st.Connected {
		t.Errorf("Status().Connected = false after recovery")
	}
}
