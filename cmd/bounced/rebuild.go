package main

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"log/slog"
	"os"
	"strings"
	"time"

	"github.com/nats-io/nats.go"
	"github.com/nats-io/nats.go/jetstream"
	"github.com/spf13/cobra"

	"github.com/bounced-dev/bounced/internal/app"
	"github.com/bounced-dev/bounced/internal/config"
	"github.com/bounced-dev/bounced/internal/natsembed"
	"github.com/bounced-dev/bounced/internal/pipeline"
	"github.com/bounced-dev/bounced/internal/suppress"
	"github.com/bounced-dev/bounced/publisher"
)

const rebuildLong = `Recreates the suppression list and the audit trail in Redis from the
JetStream stream, the durable log of every event: bounces, delays and
complaints are applied again with their ids and times, lifts
(suppression.removed) replayed in order, expiries honoured; then the
store's epoch is set and a running daemon goes on by itself. Keys under
redis.prefix are deleted first, but for the IMAP checkpoints.

  --accept-empty  do not replay: accept the empty store as it is
  --force         rebuild even though Redis has its epoch (is not wiped)

With an embedded NATS server (nats.url empty), stop the daemon first.
`

// rebuildStats says what a rebuild did.
type rebuildStats struct {
	Events, Applied, Lifted, Skipped int
	FirstSeq, LastSeq                uint64
}

func newRebuildCmd(s *streams) *cobra.Command {
	var path string
	var acceptEmpty, force bool
	c := &cobra.Command{
		Use:   "rebuild [--config FILE] [--accept-empty] [--force]",
		Short: "recreate the suppression list in Redis from the JetStream stream",
		Long:  rebuildLong,
		Args:  cobra.NoArgs,
		RunE: func(c *cobra.Command, _ []string) error {
			return exitCode(cmdRebuild(c.Context(), configPath(path), acceptEmpty, force, s.stdout, s.stderr))
		},
	}
	c.Flags().StringVar(&path, "config", "", "configuration file; redis.*, policy.* and nats.* are used (default $BOUNCED_CONFIG)")
	c.Flags().BoolVar(&acceptEmpty, "accept-empty", false, "accept the empty store without replaying the stream")
	c.Flags().BoolVar(&force, "force", false, "rebuild even when redis has its epoch")
	return c
}

// cmdRebuild rebuilds the suppression store from the stream.
func cmdRebuild(ctx context.Context, path string, acceptEmpty, force bool, stdout, stderr io.Writer) int {
	cfg, err := config.Load(path, os.Environ())
	if err != nil {
		fmt.Fprintf(stderr, "bounced rebuild: %v\n", err)
		return 2
	}
	log := newLogger(cfg.Log, stderr)
	store, client, err := app.OpenStore(cfg, log.With("component", "suppress"))
	if err != nil {
		fmt.Fprintf(stderr, "bounced rebuild: %v\n", err)
		return 1
	}
	defer client.Close()
	pub, closeNATS, err := openStream(ctx, cfg, log)
	if err != nil {
		fmt.Fprintf(stderr, "bounced rebuild: %v\n", err)
		return 1
	}
	defer closeNATS()
	st, err := rebuild(ctx, store, pub, rebuildOptions{AcceptEmpty: acceptEmpty, Force: force, Log: log})
	if err != nil {
		fmt.Fprintf(stderr, "bounced rebuild: %v\n", err)
		return 1
	}
	n, _ := store.Count(ctx)
	if acceptEmpty {
		fmt.Fprintf(stdout, "empty store accepted; %d suppressed addresses\n", n)
		return 0
	}
	fmt.Fprintf(stdout, "rebuilt from stream sequences %d-%d: %d events, %d applied, %d lifts, %d skipped; %d suppressed addresses\n",
		st.FirstSeq, st.LastSeq, st.Events, st.Applied, st.Lifted, st.Skipped, n)
	return 0
}

// openStream connects to the NATS of cfg (an embedded server on
// nats.data_dir when nats.url is empty) and returns a publisher of the
// configured stream, and a function that closes it all.
func openStream(ctx context.Context, cfg *config.Config, log *slog.Logger) (*publisher.Publisher, func(), error) {
	url := cfg.NATS.URL
	var embedded *natsembed.Server
	if url == "" {
		var err error
		embedded, err = natsembed.Start(ctx, natsembed.Options{DataDir: cfg.NATS.DataDir, Host: "127.0.0.1", Port: -1, Logger: log.With("component", "nats")})
		if err != nil {
			return nil, nil, fmt.Errorf("embedded nats: %w", err)
		}
		url = embedded.ClientURL()
	}
	cctx, cancel := context.WithTimeout(ctx, 30*time.Second)
	defer cancel()
	nc, err := publisher.Connect(cctx, publisher.ConnOptions{
		URL: url, Name: "bounced-rebuild", Token: cfg.NATS.Token.Value(), User: cfg.NATS.User, Password: cfg.NATS.Password.Value(),
		CredsFile: cfg.NATS.CredsFile, NKeyFile: cfg.NATS.NKeyFile, TLS: cfg.NATS.TLS, TLSCAFile: cfg.NATS.TLSCAFile,
		TLSCertFile: cfg.NATS.TLSCertFile, TLSKeyFile: cfg.NATS.TLSKeyFile, TLSInsecureSkipVerify: cfg.NATS.TLSInsecureSkipVerify,
	}, log.With("component", "nats"))
	closeAll := func() {
		if nc != nil {
			nc.Close()
		}
		if embedded != nil {
			embedded.Shutdown()
		}
	}
	if err != nil {
		closeAll()
		return nil, nil, err
	}
	js, err := jetstream.New(nc)
	if err != nil {
		closeAll()
		return nil, nil, fmt.Errorf("jetstream: %w", err)
	}
	pub, err := publisher.New(cctx, js, publisher.StreamConfig{
		Name: cfg.NATS.Stream, SubjectPrefix: cfg.NATS.SubjectPrefix, Replicas: cfg.NATS.Replicas,
		MaxAge: cfg.NATS.MaxAge.D(), DuplicateWindow: cfg.NATS.DuplicateWindow.D(),
	}, log.With("component", "publisher"))
	if err != nil {
		closeAll()
		return nil, nil, err
	}
	return pub, closeAll, nil
}

type rebuildOptions struct {
	AcceptEmpty, Force bool
	Log                *slog.Logger
}

// rebuild empties the store (but for checkpoints), replays the stream into
// it unless o.AcceptEmpty, lifts what has expired since, and sets the
// epoch, in the store and in the stream. Without o.Force it refuses a
// store that has its epoch. Until the epoch is set at the end, a running
// daemon applies nothing (its Apply refuses), so replay and live bounces
// do not mix; a rebuild that fails part way can be run again.
func rebuild(ctx context.Context, store *suppress.Store, pub *publisher.Publisher, o rebuildOptions) (rebuildStats, error) {
	var st rebuildStats
	ss, err := pub.StreamState(ctx)
	if err != nil {
		return st, err
	}
	durable := ss.Metadata[app.EpochMetadataKey]
	have, ok, err := store.ReadEpoch(ctx)
	if err != nil {
		return st, err
	}
	if ok && !o.Force {
		return st, fmt.Errorf("redis has its epoch %s (the stream records %q): the store was not wiped; use --force to rebuild it anyway", have.ID, durable)
	}
	epoch := suppress.NewEpoch(time.Now())
	if durable != "" {
		epoch.ID = durable // Redis is again the index of the same log
	} else if err := pub.SetStreamMetadata(ctx, app.EpochMetadataKey, epoch.ID); err != nil && !errors.Is(err, publisher.ErrNoMetadata) {
		// First, so that a running daemon sees a wiped store, not one to
		// adopt, while the replay fills it. A server without stream
		// metadata (nats-server < 2.10) tells a wipe by its events alone.
		return st, err
	}
	if _, err := store.Reset(ctx); err != nil {
		return st, err
	}
	st.FirstSeq, st.LastSeq = ss.FirstSeq, ss.LastSeq
	if !o.AcceptEmpty && ss.Msgs > 0 {
		if ss.FirstSeq > 1 {
			o.Log.Warn("the stream no longer holds its oldest events (nats.max_age or limits): what only they recorded cannot be rebuilt",
				"first_seq", ss.FirstSeq)
		}
		if err := replay(ctx, store, pub, ss.LastSeq, &st, o.Log); err != nil {
			return st, err
		}
		if _, err := store.Sweep(ctx); err != nil {
			return st, err
		}
	}
	if err := store.SetEpoch(ctx, epoch); err != nil {
		return st, err
	}
	if err := pub.SetStreamMetadata(ctx, app.EpochMetadataKey, epoch.ID); err != nil && !errors.Is(err, publisher.ErrNoMetadata) {
		return st, err
	}
	o.Log.Info("suppression store rebuilt", "events", st.Events, "applied", st.Applied, "lifted", st.Lifted,
		"skipped", st.Skipped, "epoch", epoch.ID, "accept_empty", o.AcceptEmpty)
	return st, nil
}

// replay reads the stream in order up to sequence last and applies each
// event to the store.
func replay(ctx context.Context, store *suppress.Store, pub *publisher.Publisher, last uint64, st *rebuildStats, log *slog.Logger) error {
	js := pub.JetStream()
	cons, err := js.OrderedConsumer(ctx, pub.Stream(), jetstream.OrderedConsumerConfig{DeliverPolicy: jetstream.DeliverAllPolicy})
	if err != nil {
		return fmt.Errorf("read stream %s: %w", pub.Stream(), err)
	}
	for {
		batch, err := cons.Fetch(500, jetstream.FetchMaxWait(5*time.Second))
		if err != nil {
			return fmt.Errorf("read stream %s: %w", pub.Stream(), err)
		}
		got := 0
		for m := range batch.Messages() {
			got++
			md, err := m.Metadata()
			if err != nil {
				return fmt.Errorf("read stream %s: %w", pub.Stream(), err)
			}
			if md.Sequence.Stream > last {
				return nil // published after the rebuild began
			}
			if err := replayOne(ctx, store, m, md.Timestamp, st, log); err != nil {
				return fmt.Errorf("event at sequence %d: %w", md.Sequence.Stream, err)
			}
			if md.Sequence.Stream == last {
				return nil
			}
		}
		if err := batch.Error(); err != nil && !errors.Is(err, nats.ErrTimeout) {
			return fmt.Errorf("read stream %s: %w", pub.Stream(), err)
		}
		if got == 0 {
			return fmt.Errorf("read stream %s: no event after %d of %d", pub.Stream(), st.Events, last)
		}
		if err := ctx.Err(); err != nil {
			return err
		}
	}
}

// replayOne applies one event of the stream, stored at stored: a bounce
// as of that time (it was applied just before it was published), a lift
// as of its own time.
func replayOne(ctx context.Context, store *suppress.Store, m jetstream.Msg, stored time.Time, st *rebuildStats, log *slog.Logger) error {
	st.Events++
	if strings.HasSuffix(m.Subject(), "."+app.DeliverySubjectSuffix) {
		n, err := app.ApplyDeliveryReport(ctx, store, m.Data())
		if errors.Is(err, suppress.ErrInvalid) || errors.Is(err, app.ErrBadDeliveryReport) {
			st.Skipped++
			log.Warn("delivery report skipped", "error", err)
			return nil
		}
		if err != nil {
			return err
		}
		st.Applied += n
		return nil
	}
	var ev publisher.Event
	if err := json.Unmarshal(m.Data(), &ev); err != nil || ev.Schema != publisher.SchemaVersion {
		st.Skipped++
		log.Warn("event skipped: unreadable or of another schema", "subject", m.Subject(), "error", err)
		return nil
	}
	switch ev.Type {
	case publisher.TypeBounce, publisher.TypeComplaint, publisher.TypeDelay:
		_, err := store.ReplayApply(ctx, pipeline.EntryOfEvent(ev), stored)
		if errors.Is(err, suppress.ErrInvalid) {
			st.Skipped++
			log.Warn("event skipped: the store refuses it", "id", ev.ID, "error", err)
			return nil
		}
		if err != nil {
			return err
		}
		st.Applied++
	case publisher.TypeSuppressionRemoved:
		if _, err := store.ReplayLift(ctx, ev.Recipient, ev.Actor, ev.Note, ev.Time); err != nil {
			if errors.Is(err, suppress.ErrInvalid) {
				st.Skipped++
				return nil
			}
			return err
		}
		st.Lifted++
	default:
		// suppression.added follows from its bounce; unparseable changes
		// nothing in the store.
	}
	return nil
}
