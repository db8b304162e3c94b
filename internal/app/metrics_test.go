package app

import (
	"bytes"
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"log/slog"
	"math"
	"net/http"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	dto "github.com/prometheus/client_model/go"
	"github.com/prometheus/common/expfmt"
	"github.com/prometheus/common/model"
)

// bounceTo is a Postfix DSN saying that rcpt does not exist (5.1.1).
func bounceTo(rcpt, tag string) []byte {
	return []byte(strings.ReplaceAll(fmt.Sprintf(`Return-Path: <>
Date: Mon, 23 Nov 2026 09:12:01 +0900
From: MAILER-DAEMON@mail.shop.example (Mail Delivery System)
Subject: Undelivered Mail Returned to Sender
To: bounces@shop.example
MIME-Version: 1.0
Content-Type: multipart/report; report-type=delivery-status; boundary="BB"
Message-Id: <%[2]s@mail.shop.example>

--BB
Content-Type: text/plain

<%[1]s>: host mx[192.0.2.1] said: 550 5.1.1 User unknown (in reply to RCPT TO command)

--BB
Content-Type: message/delivery-status

Reporting-MTA: dns; mail.shop.example

Final-Recipient: rfc822; %[1]s
Action: failed
Status: 5.1.1
Diagnostic-Code: smtp; 550 5.1.1 <%[1]s>: User unknown

--BB
Content-Type: text/rfc822-headers

From: orders@shop.example
To: %[1]s
Subject: Order %[2]s
Message-ID: <order-%[2]s@shop.example>

--BB--
`, rcpt, tag), "\n", "\r\n"))
}

// scrape fetches /metrics and parses it with the Prometheus text parser.
func scrape(t *testing.T, a *App) map[string]*dto.MetricFamily {
	t.Helper()
	resp, err := http.Get("http://" + a.HTTPAddr() + "/metrics")
	if err != nil {
		t.Fatal(err)
	}
	defer resp.Body.Close()
	if resp.StatusCode != 200 {
		t.Fatalf("/metrics = %d", resp.StatusCode)
	}
	p := expfmt.NewTextParser(model.UTF8Validation)
	mfs, err := p.TextToMetricFamilies(resp.Body)
	if err != nil {
		t.Fatalf("/metrics does not parse: %v", err)
	}
	return mfs
}

// sample returns the value of the series name{labels} (a counter's,
// gauge's or histogram's count), and whether it exists.
func sample(mfs map[string]*dto.MetricFamily, name string, labels map[string]string) (float64, bool) {
	mf := mfs[name]
	if mf == nil {
		return 0, false
	}
next:
	for _, m := range mf.GetMetric() {
		have := map[string]string{}
		for _, lp := range m.GetLabel() {
			have[lp.GetName()] = lp.GetValue()
		}
		if len(have) != len(labels) {
			continue
		}
		for k, v := range labels {
			if have[k] != v {
				continue next
			}
		}
		switch {
		case m.Counter != nil:
			return m.Counter.GetValue(), true
		case m.Gauge != nil:
			return m.Gauge.GetValue(), true
		case m.Histogram != nil:
			return float64(m.Histogram.GetSampleCount()), true
		}
	}
	return 0, false
}

// TestRun_metricsAndLogs runs the daemon over the demo samples and two
// bounces to big providers' domains, then checks the labelled series of
// /metrics against what the messages say, and that every JSON log line
// has each key once (item 7 of issue 9).
func TestRun_metricsAndLogs(t *testing.T) {
	s := newStack(t)
	samples, _ := filepath.Glob("../../cmd/bounced-demo/samples/*.eml")
	if len(samples) != 7 {
		t.Fatalf("want the 7 demo samples, found %d", len(samples))
	}
	for _, f := range samples {
		b, _ := os.ReadFile(f)
		s.dovecot.Append(t, "INBOX", []byte(strings.ReplaceAll(string(b), "\n", "\r\n")))
	}
	s.dovecot.Append(t, "INBOX", bounceTo("keitai@docomo.ne.jp", "docomo"))
	s.dovecot.Append(t, "INBOX", bounceTo("someone@gmail.com", "gmail"))

	// The daemon logs JSON, as `log.format: json` makes it.
	a := New(s.cfg, slog.New(slog.NewJSONHandler(s.logs, &slog.HandlerOptions{Level: slog.LevelDebug})))
	ctx, cancel := context.WithCancel(context.Background())
	ran := make(chan error, 1)
	go func() { ran <- a.Run(ctx) }()
	stopped := false
	stop := func() {
		if !stopped {
			stopped = true
			cancel()
			<-ran
		}
	}
	t.Cleanup(func() {
		stop()
		if t.Failed() {
			t.Logf("daemon log:\n%s", s.logs.Tail(6000))
		}
	})
	waitReady(t, a, ran, 30*time.Second)
	waitFor(t, 30*time.Second, "INBOX to empty", func() bool { return s.dovecot.Count(t, "INBOX") == 0 })
	mfs := scrape(t, a)

	type series struct {
		name   string
		labels map[string]string
		want   float64
	}
	l := func(kv ...string) map[string]string {
		m := map[string]string{}
		for i := 0; i < len(kv); i += 2 {
			m[kv[i]] = kv[i+1]
		}
		return m
	}
	for _, c := range []series{
		{"bounced_messages_processed_total", nil, 7},
		{"bounced_messages_ignored_total", nil, 1},
		{"bounced_messages_quarantined_total", nil, 1},
		{"bounced_messages_fetched_total", l("mailbox", "shop"), 9},
		{"bounced_messages_decoded_total", l("kind", "bounce", "format", "exim"), 1},
		{"bounced_messages_decoded_total", l("kind", "complaint", "format", "arf"), 1},
		{"bounced_messages_decoded_total", l("kind", "auto_reply", "format", "rfc3834"), 1},
		{"bounced_messages_decoded_total", l("kind", "unparseable", "format", "none"), 1},
		// 01 (example.net), 04 (docomo.example.ne.jp: not docomo's) and the
		// gmail.com bounce; the docomo.ne.jp one has its carrier.
		{"bounced_bounces_total", l("kind", "bounce", "category", "user_unknown", "reason", "user_unknown", "hard", "true", "carrier", "other"), 3},
		{"bounced_bounces_total", l("kind", "bounce", "category", "user_unknown", "reason", "user_unknown", "hard", "true", "carrier", "docomo"), 1},
		{"bounced_bounces_total", l("kind", "bounce", "category", "mailbox_full", "reason", "mailbox_full", "hard", "false", "carrier", "other"), 1},
		{"bounced_bounces_total", l("kind", "bounce", "category", "policy_block", "reason", "auth_failure", "hard", "false", "carrier", "other"), 1},
		{"bounced_bounces_total", l("kind", "complaint", "category", "complaint", "reason", "complaint", "hard", "false", "carrier", "other"), 1},
		{"bounced_bounces_by_domain_total", l("kind", "bounce", "category", "user_unknown", "domain", "docomo.ne.jp"), 1},
		{"bounced_bounces_by_domain_total", l("kind", "bounce", "category", "user_unknown", "domain", "gmail.com"), 1},
		{"bounced_bounces_by_domain_total", l("kind", "bounce", "category", "user_unknown", "domain", "other"), 2},
		{"bounced_suppressions_added_total", l("scope", "all"), 4},
		{"bounced_suppressions_added_total", l("scope", "marketing"), 1},
		{"bounced_suppressions_active", l("scope", "all"), 4},
		{"bounced_suppressions_active", l("scope", "marketing"), 1},
		{"bounced_handle_seconds", l("outcome", "processed"), 7},
		{"bounced_handle_seconds", l("outcome", "ignored"), 1},
		{"bounced_handle_seconds", l("outcome", "quarantined"), 1},
		{"bounced_mailbox_connected", l("mailbox", "shop"), 1},
		{"bounced_mailbox_stalled", l("mailbox", "shop"), 0},
		{"bounced_mailbox_reconnects_total", l("mailbox", "shop"), 0},
		{"bounced_store_epoch_ok", nil, 1},
		{"bounced_publish_permanent_failures_total", nil, 0},
	} {
		if got, ok := sample(mfs, c.name, c.labels); !ok || got != c.want {
			t.Errorf("%s%v = %v (present %v), want %v", c.name, c.labels, got, ok, c.want)
		}
	}
	// No recipient domain outside the bounded list is a label value.
	for _, m := range mfs["bounced_bounces_by_domain_total"].GetMetric() {
		for _, lp := range m.GetLabel() {
			if lp.GetName() == "domain" && lp.GetValue() != "docomo.ne.jp" && lp.GetValue() != "gmail.com" && lp.GetValue() != "other" {
				t.Errorf("bounced_bounces_by_domain_total has domain=%q", lp.GetValue())
			}
		}
	}
	// The histogram has its sum, and cumulative buckets up to the count.
	for _, m := range mfs["bounced_handle_seconds"].GetMetric() {
		h := m.GetHistogram()
		if h.GetSampleSum() <= 0 || math.IsNaN(h.GetSampleSum()) {
			t.Errorf("bounced_handle_seconds %v: sum %v, want > 0", m.GetLabel(), h.GetSampleSum())
		}
		prev := uint64(0)
		for _, b := range h.GetBucket() {
			if b.GetCumulativeCount() < prev || b.GetCumulativeCount() > h.GetSampleCount() {
				t.Errorf("bounced_handle_seconds %v: bucket le=%v holds %d after %d (count %d)", m.GetLabel(), b.GetUpperBound(), b.GetCumulativeCount(), prev, h.GetSampleCount())
			}
			prev = b.GetCumulativeCount()
		}
	}
	if v, ok := sample(mfs, "bounced_mailbox_last_poll_age_seconds", l("mailbox", "shop")); !ok || v < 0 || v > 60 {
		t.Errorf("bounced_mailbox_last_poll_age_seconds = %v (present %v), want 0..60", v, ok)
	}

	// A lift by an operator counts once its event is published.
	if ok, err := s.store(t).Remove(ctx, "keitai@docomo.ne.jp", "test", "customer called"); err != nil || !ok {
		t.Fatalf("Remove() = %v, %v", ok, err)
	}
	waitFor(t, 10*time.Second, "the lift counted", func() bool {
		v, _ := sample(scrape(t, a), "bounced_suppressions_lifted_total", l("scope", "all"))
		return v == 1
	})

	stop()
	logs := []byte(s.logs.String())
	checkLogKeys(t, logs)
	for _, want := range []string{`"msg":"recipient"`, `"message_key":`, `"mailbox":"shop"`} {
		if !bytes.Contains(logs, []byte(want)) {
			t.Errorf("the daemon's log has no %s", want)
		}
	}
}

// checkLogKeys fails t unless every line of logs is a JSON object whose
// objects (the line, and each slog group) name each key once, with a
// string msg and no "err" key (errors are logged as "error").
func checkLogKeys(t *testing.T, logs []byte) {
	t.Helper()
	lines := bytes.Split(bytes.TrimSpace(logs), []byte("\n"))
	if len(lines) < 10 {
		t.Fatalf("only %d log lines", len(lines))
	}
	for _, line := range lines {
		dec := json.NewDecoder(bytes.NewReader(line))
		keys, err := objectKeys(dec)
		if err != nil {
			t.Errorf("log line %s: %v", line, err)
			continue
		}
		if keys["err"] {
			t.Errorf("log line has an \"err\" key, want \"error\": %s", line)
		}
		var m map[string]any
		if json.Unmarshal(line, &m) == nil {
			if _, ok := m["msg"].(string); !ok {
				t.Errorf("log line without a string msg: %s", line)
			}
		}
	}
}

// errDuplicate is returned by objectKeys for a key seen twice.
var errDuplicate = errors.New("duplicate key")

// objectKeys reads one JSON object from dec and returns its keys, with
// errDuplicate when a key occurs twice in it or in an object inside it
// (a slog group).
func objectKeys(dec *json.Decoder) (map[string]bool, error) {
	tok, err := dec.Token()
	if err != nil {
		return nil, err
	}
	if d, ok := tok.(json.Delim); !ok || d != '{' {
		return nil, fmt.Errorf("not an object: %v", tok)
	}
	return restOfObject(dec)
}

// restOfObject reads the keys and values of an object whose '{' was read.
func restOfObject(dec *json.Decoder) (map[string]bool, error) {
	keys := map[string]bool{}
	for dec.More() {
		tok, err := dec.Token()
		if err != nil {
			return nil, err
		}
		k, _ := tok.(string)
		if keys[k] {
			return nil, fmt.Errorf("%w %q", errDuplicate, k)
		}
		keys[k] = true
		if err := value(dec); err != nil {
			return nil, fmt.Errorf("in %q: %w", k, err)
		}
	}
	_, err := dec.Token() // '}'
	return keys, err
}

// value reads one value, checking the keys of the objects in it.
func value(dec *json.Decoder) error {
	tok, err := dec.Token()
	if err != nil {
		return err
	}
	switch tok {
	case json.Delim('{'):
		_, err := restOfObject(dec)
		return err
	case json.Delim('['):
		for dec.More() {
			if err := value(dec); err != nil {
				return err
			}
		}
		_, err := dec.Token() // ']'
		return err
	}
	return nil
}
