// Command subscriber is an example of a shop's system consuming bounced's
// events: it reads the event stream with a durable JetStream consumer and
// marks customers undeliverable in a SQLite table (pure Go, no cgo), and
// marks them deliverable again when an operator lifts the suppression.
//
// It applies each event once, by its id (table processed_events), in the
// same transaction as the change, so a redelivery after a crash, or the
// same event published again after the stream's duplicate window, changes
// nothing. An event older than the last change of a customer is recorded
// but not applied: the newer news wins.
//
//	go run ./examples/subscriber --nats nats://127.0.0.1:4222 --db shop.db
//
// See README.md in this folder and docs/events.md.
package main

import (
	"context"
	"database/sql"
	"encoding/json"
	"errors"
	"flag"
	"fmt"
	"log/slog"
	"os"
	"os/signal"
	"syscall"
	"time"

	"github.com/nats-io/nats.go"
	"github.com/nats-io/nats.go/jetstream"
	_ "modernc.org/sqlite"

	"github.com/bounced-dev/bounced/publisher"
)

// Options say where the events and the database are.
type Options struct {
	// URL of the NATS server: bounced's nats.url, or its nats.listen.
	URL string
	// User and Password, or Token, authenticate (nats.listen_user...).
	User, Password, Token string
	// Stream and Prefix are bounced's nats.stream and nats.subject_prefix.
	Stream, Prefix string
	// Durable names the consumer: JetStream remembers where it is.
	Durable string
	// DB is the SQLite database file.
	DB string
	// Log receives what happens; nil discards.
	Log *slog.Logger
	// OnEvent, if set, is called after each event is committed, with
	// whether it changed anything (false for a duplicate or old news).
	OnEvent func(id string, applied bool)
}

func main() {
	o := Options{Log: slog.New(slog.NewTextHandler(os.Stderr, nil))}
	flag.StringVar(&o.URL, "nats", "nats://127.0.0.1:4222", "NATS server URL")
	flag.StringVar(&o.User, "user", "", "NATS user (bounced's nats.listen_user)")
	flag.StringVar(&o.Token, "token", "", "NATS token (bounced's nats.listen_token)")
	flag.StringVar(&o.Stream, "stream", publisher.DefaultStreamName, "stream name (nats.stream)")
	flag.StringVar(&o.Prefix, "prefix", publisher.DefaultSubjectPrefix, "subject prefix (nats.subject_prefix)")
	flag.StringVar(&o.Durable, "durable", "shop-customers", "durable consumer name")
	flag.StringVar(&o.DB, "db", "shop.db", "SQLite database file")
	flag.Parse()
	o.Password = os.Getenv("NATS_PASSWORD") // not a flag: it would show in ps
	ctx, stop := signal.NotifyContext(context.Background(), os.Interrupt, syscall.SIGTERM)
	defer stop()
	if err := run(ctx, o); err != nil {
		o.Log.Error("subscriber stopped", "error", err)
		os.Exit(1)
	}
}

// schema is the example's tables. customers stands for the shop's own.
const schema = `
CREATE TABLE IF NOT EXISTS customers (
	email         TEXT PRIMARY KEY COLLATE NOCASE,
	name          TEXT,
	undeliverable INTEGER NOT NULL DEFAULT 0,
	reason        TEXT,
	at            TEXT -- time of the event that set undeliverable, UTC, fixed width
);
CREATE TABLE IF NOT EXISTS processed_events (
	id           TEXT PRIMARY KEY,
	type         TEXT NOT NULL,
	processed_at TEXT NOT NULL
);`

// timeFormat sorts as text in time order (fixed width, UTC).
const timeFormat = "2006-01-02T15:04:05.000000000Z"

// run consumes events until ctx ends.
func run(ctx context.Context, o Options) error {
	if o.Log == nil {
		o.Log = slog.New(slog.DiscardHandler)
	}
	db, err := openDB(ctx, o.DB)
	if err != nil {
		return err
	}
	defer db.Close()

	opts := []nats.Option{nats.Name("shop-subscriber"), nats.MaxReconnects(-1)}
	switch {
	case o.Token != "":
		opts = append(opts, nats.Token(o.Token))
	case o.User != "":
		opts = append(opts, nats.UserInfo(o.User, o.Password))
	}
	nc, err := nats.Connect(o.URL, opts...)
	if err != nil {
		return fmt.Errorf("subscriber: connect %s: %w", o.URL, err)
	}
	defer nc.Drain()
	js, err := jetstream.New(nc)
	if err != nil {
		return fmt.Errorf("subscriber: %w", err)
	}
	p := o.Prefix
	cons, err := js.CreateOrUpdateConsumer(ctx, o.Stream, jetstream.ConsumerConfig{
		Durable: o.Durable,
		// Only the types this system acts on; never <prefix>.> , which also
		// holds the webhooks' dead letters.
		FilterSubjects: []string{p + ".bounce.>", p + ".complaint", p + ".suppression.added", p + ".suppression.removed"},
		AckPolicy:      jetstream.AckExplicitPolicy,
		DeliverPolicy:  jetstream.DeliverAllPolicy,
		AckWait:        30 * time.Second,
		MaxDeliver:     -1,
	})
	if err != nil {
		return fmt.Errorf("subscriber: consumer %s: %w", o.Durable, err)
	}
	cc, err := cons.Consume(func(m jetstream.Msg) { handle(ctx, db, o, m) })
	if err != nil {
		return fmt.Errorf("subscriber: consume: %w", err)
	}
	defer cc.Stop()
	o.Log.Info("subscriber running", "stream", o.Stream, "consumer", o.Durable, "db", o.DB)
	<-ctx.Done()
	return nil
}

func openDB(ctx context.Context, path string) (*sql.DB, error) {
	db, err := sql.Open("sqlite", "file:"+path+"?_pragma=busy_timeout(5000)&_pragma=journal_mode(WAL)")
	if err != nil {
		return nil, fmt.Errorf("subscriber: open %s: %w", path, err)
	}
	db.SetMaxOpenConns(1) // SQLite has one writer
	if _, err := db.ExecContext(ctx, schema); err != nil {
		db.Close()
		return nil, fmt.Errorf("subscriber: schema: %w", err)
	}
	return db, nil
}

// handle applies one event and acks it; a database failure naks it for a
// retry in a while.
func handle(ctx context.Context, db *sql.DB, o Options, m jetstream.Msg) {
	defer func() {
		if r := recover(); r != nil {
			o.Log.Error("panic handling an event", "panic", r)
			_ = m.NakWithDelay(time.Minute)
		}
	}()
	var ev publisher.Event
	if err := json.Unmarshal(m.Data(), &ev); err != nil || ev.Schema != publisher.SchemaVersion || ev.ID == "" {
		o.Log.Warn("unreadable event or unknown schema: skipped", "subject", m.Subject(), "error", err)
		_ = m.Term() // never redeliver it
		return
	}
	applied, err := apply(ctx, db, ev)
	if err != nil {
		o.Log.Warn("event not applied; retrying in a minute", "id", ev.ID, "error", err)
		_ = m.NakWithDelay(time.Minute)
		return
	}
	if err := m.Ack(); err != nil {
		// Applied and recorded: the redelivery will be a duplicate.
		o.Log.Warn("ack failed", "id", ev.ID, "error", err)
	}
	o.Log.Info("event", "id", ev.ID, "type", ev.Type, "recipient", ev.Recipient, "applied", applied)
	if o.OnEvent != nil {
		o.OnEvent(ev.ID, applied)
	}
}

// apply records ev's id and makes its change in one transaction. It
// reports false for an event seen before, or one that changes nothing.
func apply(ctx context.Context, db *sql.DB, ev publisher.Event) (bool, error) {
	tx, err := db.BeginTx(ctx, nil)
	if err != nil {
		return false, err
	}
	defer tx.Rollback()
	res, err := tx.ExecContext(ctx, `INSERT INTO processed_events (id, type, processed_at) VALUES (?, ?, ?) ON CONFLICT (id) DO NOTHING`,
		ev.ID, string(ev.Type), time.Now().UTC().Format(timeFormat))
	if err != nil {
		return false, err
	}
	if n, _ := res.RowsAffected(); n == 0 {
		return false, tx.Commit() // a duplicate
	}
	at := ev.Time.UTC().Format(timeFormat)
	var q string
	var args []any
	switch {
	case ev.Type == publisher.TypeSuppressionRemoved:
		q, args = `UPDATE customers SET undeliverable = 0, reason = NULL, at = ? WHERE email = ? AND (at IS NULL OR at <= ?)`, []any{at, ev.Recipient, at}
	case ev.Suppressed && (ev.Type == publisher.TypeBounce || ev.Type == publisher.TypeComplaint || ev.Type == publisher.TypeSuppressionAdded):
		q, args = `UPDATE customers SET undeliverable = 1, reason = ?, at = ? WHERE email = ? AND (at IS NULL OR at <= ?)`, []any{ev.Reason, at, ev.Recipient, at}
	default:
		// A soft bounce below the threshold, a delay: nothing to change.
		return false, tx.Commit()
	}
	res, err = tx.ExecContext(ctx, q, args...)
	if err != nil {
		return false, err
	}
	n, _ := res.RowsAffected()
	if err := tx.Commit(); err != nil {
		return false, errors.Join(errors.New("subscriber: commit"), err)
	}
	return n > 0, nil
}
