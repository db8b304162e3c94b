package app

import (
	"context"
	"fmt"
	"io"
	"net/http"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/bounced-dev/bounced/bounce"
	"github.com/bounced-dev/bounced/internal/config"
	"github.com/bounced-dev/bounced/publisher"
)

// readyz returns the status code and body of /readyz.
func readyz(t *testing.T, a *App) (int, string) {
	t.Helper()
	resp, err := http.Get("http://" + a.HTTPAddr() + "/readyz")
	if err != nil {
		return 0, err.Error()
	}
	defer resp.Body.Close()
	b, _ := io.ReadAll(resp.Body)
	return resp.StatusCode, string(b)
}

// metrics returns what /metrics would serve.
func metrics(a *App) string {
	var b strings.Builder
	a.writeMetrics(&b)
	return b.String()
}

// While NATS is down, messages fail again and again, but none counts
// against max_attempts: nothing is quarantined, and all are processed once
// NATS is back.
func TestFaults_natsOutageQuarantinesNothing(t *testing.T) {
	s := newStack(t)
	s.cfg.Mailboxes[0].MaxAttempts = 2
	a := s.run(t)
	w := a.workers[0]
	s.nats.Stop()
	for i := range 3 {
		raw, _ := genBounce("outage", i)
		s.dovecot.Append(t, "INBOX", raw)
	}
	waitFor(t, 60*time.Second, "3×max_attempts failures", func() bool { return w.Status().HandlerErrors >= 6 })
	if st := w.Status(); st.Quarantined != 0 || st.Rejected != 0 {
		t.Errorf("Status() = %+v, want nothing quarantined during the outage", st)
	}
	if n := s.dovecot.Count(t, "Quarantine"); n != 0 {
		t.Errorf("Count(Quarantine) = %d during the NATS outage, want 0", n)
	}
	s.nats.Start()
	waitFor(t, 60*time.Second, "all processed", func() bool { return s.dovecot.Count(t, "Processed") == 3 })
	if n := s.dovecot.Count(t, "Quarantine"); n != 0 {
		t.Errorf("Count(Quarantine) = %d, want 0", n)
	}
	for _, ev := range s.events(t) {
		if ev.Type == publisher.TypeUnparseable {
			t.Errorf("unparseable event %+v after an outage, want none", ev)
		}
	}
}

// A Quarantine folder that refuses every MOVE holds back only the message
// bound for it; its drain stops advancing, which /readyz and the metrics
// report after stall_after, and which ends when the folder takes it.
func TestFaults_stallReported(t *testing.T) {
	if os.Geteuid() != 0 {
		t.Skip("needs root: Dovecot's mail processes must run as another user than the test")
	}
	s := newStack(t)
	s.cfg.Mailboxes[0].StallAfter = config.Duration(time.Second)
	s.dovecot.Create(t, "Quarantine")
	dir := filepath.Join(s.dovecot.Dir, "mail", "bounces", ".Quarantine")
	paths := []string{filepath.Join(dir, "cur"), filepath.Join(dir, "new"), filepath.Join(dir, "tmp"), dir}
	for _, p := range paths {
		if err := os.Chmod(p, 0o500); err != nil {
			t.Fatal(err)
		}
	}
	a := s.run(t)
	s.dovecot.Append(t, "INBOX", []byte("garbage line without any header\r\n"))
	raw, _ := genBounce("stall", 1)
	s.dovecot.Append(t, "INBOX", raw)
	waitFor(t, 20*time.Second, "the bounce processed", func() bool { return s.dovecot.Count(t, "Processed") == 1 })
	waitFor(t, 20*time.Second, "/readyz to report the stall", func() bool {
		code, body := readyz(t, a)
		return code == http.StatusServiceUnavailable && strings.Contains(body, "stalled: 1 messages waiting")
	})
	if m := metrics(a); !strings.Contains(m, `bounced_mailbox_stalled{mailbox="shop"} 1`) || !strings.Contains(m, `bounced_mailbox_waiting{mailbox="shop"} 1`) {
		t.Errorf("metrics during the stall:\n%s", m)
	}
	for _, p := range paths {
		if err := os.Chmod(p, 0o700); err != nil {
			t.Fatal(err)
		}
	}
	waitFor(t, 30*time.Second, "quarantined", func() bool { return s.dovecot.Count(t, "Quarantine") == 1 })
	waitFor(t, 10*time.Second, "/readyz ready again", func() bool { code, _ := readyz(t, a); return code == http.StatusOK })
	if m := metrics(a); !strings.Contains(m, `bounced_mailbox_stalled{mailbox="shop"} 0`) {
		t.Errorf("metrics after the stall:\n%s", m)
	}
}

// multiDSN returns an RFC 3464 report failing rcpts.
func multiDSN(tag string, rcpts ...string) []byte {
	var b strings.Builder
	fmt.Fprintf(&b, "From: MAILER-DAEMON@mx.example.net\r\nTo: bounces@shop.example\r\nSubject: Undelivered Mail\r\n"+
		"Message-ID: <dsn-%s@mx.example.net>\r\nMIME-Version: 1.0\r\n"+
		"Content-Type: multipart/report; report-type=delivery-status; boundary=\"b\"\r\n\r\n--b\r\n"+
		"Content-Type: text/plain\r\n\r\nNot delivered.\r\n\r\n--b\r\nContent-Type: message/delivery-status\r\n\r\n"+
		"Reporting-MTA: dns; mx.example.net\r\n", tag)
	for _, r := range rcpts {
		fmt.Fprintf(&b, "\r\nFinal-Recipient: rfc822; %s\r\nAction: failed\r\nStatus: 5.1.1\r\n", r)
	}
	fmt.Fprintf(&b, "\r\n--b\r\nContent-Type: text/rfc822-headers\r\n\r\nFrom: orders@shop.example\r\nSubject: Order\r\n"+
		"Message-ID: <order-%s@shop.example>\r\n\r\n--b--\r\n", tag)
	return []byte(b.String())
}

// A report naming 5,000 recipients goes to Quarantine unapplied, with a
// rejected event; a report naming an address no store could key (600
// bytes) costs only that address, since decoder and store share one
// normaliser; and the bounce after them is processed.
func TestFaults_badMessagesCostOnlyThemselves(t *testing.T) {
	s := newStack(t)
	a := s.run(t)
	rcpts := make([]string, 5000)
	for i := range rcpts {
		rcpts[i] = fmt.Sprintf("flood%05d@example.net", i)
	}
	s.dovecot.Append(t, "INBOX", multiDSN("flood", rcpts...))
	s.dovecot.Append(t, "INBOX", multiDSN("long", strings.Repeat("x", 600)+"@example.net", "fine@example.net"))
	raw, rcpt := genBounce("after", 1)
	s.dovecot.Append(t, "INBOX", raw)
	waitFor(t, 60*time.Second, "1 quarantined, 2 processed", func() bool {
		return s.dovecot.Count(t, "Quarantine") == 1 && s.dovecot.Count(t, "Processed") == 2
	})
	ctx := context.Background()
	if n, err := s.store(t).Count(ctx); err != nil || n != 2 {
		t.Errorf("store Count() = %d, %v; want 2 (fine@example.net and the good bounce)", n, err)
	}
	for _, addr := range []string{rcpt, "fine@example.net"} {
		if ok, _ := s.store(t).IsSuppressed(ctx, addr, "all"); !ok {
			t.Errorf("%s not suppressed", addr)
		}
	}
	var rejected []string
	for _, ev := range s.events(t) {
		if ev.Type == publisher.TypeUnparseable && strings.HasPrefix(ev.Error, "rejected: ") {
			rejected = append(rejected, ev.Error)
		}
	}
	if len(rejected) != 1 || !strings.Contains(rejected[0], "too many recipients") {
		t.Errorf("rejected events = %q, want one for too many recipients", rejected)
	}
	if m := metrics(a); !strings.Contains(m, "bounced_messages_over_recipient_cap_total 1") || !strings.Contains(m, "bounced_messages_rejected_total 1") {
		t.Errorf("metrics:\n%s", m)
	}
	if st := a.workers[0].Status(); st.Rejected != 1 {
		t.Errorf("worker Status().Rejected = %d, want 1", st.Rejected)
	}
}

// The decoder reads one recipient more than the largest mailbox cap, and
// at least bounce.DefaultMaxRecipients: a report over a cap is always
// refused by the cap, however high the cap is set.
func TestDecodeMaxRecipients(t *testing.T) {
	tests := []struct {
		caps []int
		want int
	}{
		{nil, bounce.DefaultMaxRecipients},
		{[]int{200, -1}, bounce.DefaultMaxRecipients},
		{[]int{200, bounce.DefaultMaxRecipients}, bounce.DefaultMaxRecipients + 1},
		{[]int{50000, 200}, 50001},
	}
	for _, tc := range tests {
		var mbs []config.Mailbox
		for _, c := range tc.caps {
			mbs = append(mbs, config.Mailbox{MaxRecipients: c})
		}
		if got := decodeMaxRecipients(mbs); got != tc.want {
			t.Errorf("decodeMaxRecipients(caps %v) = %d, want %d", tc.caps, got, tc.want)
		}
	}
}
