package main

import (
	"context"
	"database/sql"
	"path/filepath"
	"sync"
	"testing"
	"time"

	"github.com/nats-io/nats.go"
	"github.com/nats-io/nats.go/jetstream"

	"github.com/bounced-dev/bounced/internal/testutil"
	"github.com/bounced-dev/bounced/outcome"
	"github.com/bounced-dev/bounced/publisher"
)

type customer struct {
	undeliverable int
	reason        sql.NullString
	at            sql.NullString
}

func readCustomers(t *testing.T, db *sql.DB) map[string]customer {
	t.Helper()
	rows, err := db.Query(`SELECT email, undeliverable, reason, at FROM customers`)
	if err != nil {
		t.Fatal(err)
	}
	defer rows.Close()
	out := map[string]customer{}
	for rows.Next() {
		var email string
		var c customer
		if err := rows.Scan(&email, &c.undeliverable, &c.reason, &c.at); err != nil {
			t.Fatal(err)
		}
		out[email] = c
	}
	return out
}

// TestRun_marksCustomers runs the subscriber against an embedded NATS
// server with events published as bounced publishes them, and reads the
// SQLite table it keeps.
func TestRun_marksCustomers(t *testing.T) {
	srv := testutil.StartNATSEmbedded(t)
	ctx, cancel := context.WithTimeout(context.Background(), 60*time.Second)
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
	pub, err := publisher.New(ctx, js, publisher.StreamConfig{Storage: "memory"}, nil)
	if err != nil {
		t.Fatal(err)
	}

	path := filepath.Join(t.TempDir(), "shop.db")
	db, err := openDB(ctx, path)
	if err != nil {
		t.Fatal(err)
	}
	defer db.Close()
	for _, email := range []string{"alice@example.net", "Bob@Example.org", "carol@example.com", "dave@example.jp"} {
		if _, err := db.Exec(`INSERT INTO customers (email, name) VALUES (?, ?)`, email, "n"); err != nil {
			t.Fatal(err)
		}
	}

	var mu sync.Mutex
	seen := map[string][]bool{}
	runCtx, stop := context.WithCancel(ctx)
	done := make(chan error, 1)
	go func() {
		done <- run(runCtx, Options{URL: srv.URL, Stream: publisher.DefaultStreamName, Prefix: publisher.DefaultSubjectPrefix,
			Durable: "shop", DB: path, OnEvent: func(id string, applied bool) {
				mu.Lock()
				seen[id] = append(seen[id], applied)
				mu.Unlock()
			}})
	}()
	defer func() {
		stop()
		if err := <-done; err != nil {
			t.Errorf("run() = %v", err)
		}
	}()
	count := func() int {
		mu.Lock()
		defer mu.Unlock()
		n := 0
		for _, v := range seen {
			n += len(v)
		}
		return n
	}

	t0 := time.Date(2025, 3, 14, 9, 0, 0, 0, time.UTC)
	events := []publisher.Event{
		{ID: "m1:alice@example.net", Type: publisher.TypeBounce, Time: t0, Recipient: "alice@example.net", Verdict: outcome.Verdict{Reason: "user_unknown", Category: "user_unknown", Hard: true}, Suppressed: true, Scope: "all"},
		{ID: "m1:alice@example.net:added", Type: publisher.TypeSuppressionAdded, Time: t0, Recipient: "alice@example.net", Verdict: outcome.Verdict{Reason: "user_unknown", Category: "user_unknown", Hard: true}, Suppressed: true, Scope: "all"},
		{ID: "m2:bob@example.org", Type: publisher.TypeComplaint, Time: t0, Recipient: "bob@example.org", Verdict: outcome.Verdict{Reason: "complaint", Category: "complaint"}, Suppressed: true, Scope: "marketing"},
		// A soft bounce below the threshold suppresses nobody.
		{ID: "m3:carol@example.com", Type: publisher.TypeBounce, Time: t0, Recipient: "carol@example.com", Verdict: outcome.Verdict{Reason: "mailbox_full", Category: "mailbox_full"}},
		{ID: "m4:dave@example.jp", Type: publisher.TypeBounce, Time: t0, Recipient: "dave@example.jp", Verdict: outcome.Verdict{Reason: "user_unknown", Category: "user_unknown", Hard: true}, Suppressed: true, Scope: "all"},
		// An operator lifts dave's suppression an hour later.
		{ID: "lift-1", Type: publisher.TypeSuppressionRemoved, Time: t0.Add(time.Hour), Recipient: "dave@example.jp", Actor: "api", Note: "typo fixed"},
		// A delay is not for this system (not subscribed).
		{ID: "m5:carol@example.com", Type: publisher.TypeDelay, Time: t0, Recipient: "carol@example.com", Verdict: outcome.Verdict{Reason: "expired", Category: "transient"}},
	}
	for _, ev := range events {
		if _, err := pub.Publish(ctx, ev); err != nil {
			t.Fatalf("Publish(%s) = %v", ev.ID, err)
		}
	}
	testutil.WaitFor(t, 20*time.Second, "six events handled", func() bool { return count() == 6 })

	got := readCustomers(t, db)
	want := map[string]struct {
		undeliverable int
		reason        string
	}{
		"alice@example.net": {1, "user_unknown"},
		"Bob@Example.org":   {1, "complaint"}, // matched without regard to case
		"carol@example.com": {0, ""},
		"dave@example.jp":   {0, ""},
	}
	for email, w := range want {
		c := got[email]
		if c.undeliverable != w.undeliverable || c.reason.String != w.reason {
			t.Errorf("customer %s = undeliverable %d reason %q, want %d %q", email, c.undeliverable, c.reason.String, w.undeliverable, w.reason)
		}
	}
	if at := got["alice@example.net"].at.String; at != "2025-03-14T09:00:00.000000000Z" {
		t.Errorf("alice at = %q, want the bounce's time", at)
	}

	// The same events again, as after the stream's duplicate window (a new
	// Nats-Msg-Id, the same event id), and the old bounce of dave after
	// his lift: nothing changes, and dave stays deliverable.
	for _, ev := range []publisher.Event{events[0], events[4]} {
		ev.Schema = publisher.SchemaVersion // Publish sets it; Marshal does not
		body, err := publisher.Marshal(ev)
		if err != nil {
			t.Fatal(err)
		}
		m := &nats.Msg{Subject: ev.Subject(""), Data: body, Header: nats.Header{}}
		if _, err := js.PublishMsg(ctx, m, jetstream.WithMsgID(ev.ID+":again")); err != nil {
			t.Fatal(err)
		}
	}
	old := events[4]
	old.ID = "m6:dave@example.jp" // a new, older bounce
	old.Time = t0.Add(30 * time.Minute)
	if _, err := pub.Publish(ctx, old); err != nil {
		t.Fatal(err)
	}
	testutil.WaitFor(t, 20*time.Second, "nine events handled", func() bool { return count() == 9 })
	mu.Lock()
	for _, id := range []string{"m1:alice@example.net", "m4:dave@example.jp"} {
		if v := seen[id]; len(v) != 2 || !v[0] || v[1] {
			t.Errorf("event %s applied %v, want applied once then a duplicate", id, v)
		}
	}
	if v := seen["m6:dave@example.jp"]; len(v) != 1 || v[0] {
		t.Errorf("old news m6 applied %v, want recorded, not applied", v)
	}
	mu.Unlock()
	if c := readCustomers(t, db)["dave@example.jp"]; c.undeliverable != 0 {
		t.Errorf("dave = %+v after an older bounce, want still deliverable", c)
	}
	var n int
	if err := db.QueryRow(`SELECT count(*) FROM processed_events`).Scan(&n); err != nil || n != 7 {
		t.Errorf("processed_events has %d rows (%v), want 7 distinct ids", n, err)
	}
}
