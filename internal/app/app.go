// Package app is the lifecycle of `bounced run`: it connects Redis and NATS
// (starting an embedded NATS server when none is configured), creates the
// stream, starts one mailbox worker per configured mailbox and the HTTP
// server, and stops them all when its context ends.
package app

import (
	"context"
	"errors"
	"fmt"
	"log/slog"
	"net"
	"net/http"
	"os"
	"os/exec"
	"strings"
	"sync"
	"sync/atomic"
	"time"

	"github.com/nats-io/nats.go"
	"github.com/nats-io/nats.go/jetstream"
	"github.com/redis/go-redis/v9"

	"github.com/bounced-dev/bounced/bounce"
	"github.com/bounced-dev/bounced/classify"
	"github.com/bounced-dev/bounced/internal/checkpoint"
	"github.com/bounced-dev/bounced/internal/config"
	"github.com/bounced-dev/bounced/internal/mailbox"
	"github.com/bounced-dev/bounced/internal/natsembed"
	"github.com/bounced-dev/bounced/internal/pipeline"
	"github.com/bounced-dev/bounced/internal/rawstore"
	"github.com/bounced-dev/bounced/internal/suppress"
	"github.com/bounced-dev/bounced/internal/webhook"
	"github.com/bounced-dev/bounced/publisher"
)

// App is a running daemon.
type App struct {
	cfg *config.Config
	log *slog.Logger

	redis    redis.UniversalClient
	store    *suppress.Store
	embedded *natsembed.Server
	httpLn   net.Listener

	// Set while starting, read by the HTTP handlers, which serve from the
	// first moment: guarded by mu.
	mu       sync.RWMutex
	starting string // what start waits for, "" once started
	startErr error  // the last error while waiting
	nc       *nats.Conn
	pub      *publisher.Publisher
	pipe     *pipeline.Pipeline
	workers  []*mailbox.Worker
	webhooks *webhook.Service // nil without webhooks (webhooks.go)

	ready      chan struct{}
	outboxWake chan struct{}
	epoch      epochState      // the suppression store's epoch (epoch.go)
	obs        obsState        // the metrics registry (http.go)
	raw        *rawstore.Store // the kept raw messages, nil when raw.dir is empty (raw.go)
	leaseOwner string          // this process in the leases (lease.go)
	// leaseMembers counts the processes alive sharing the leases.
	leaseMembers atomic.Int64

	deliveries, cleared atomic.Int64 // delivery reports applied, soft bounces they cleared (deliveries.go)
}

// New returns an App for cfg. Nothing is started before Run.
func New(cfg *config.Config, log *slog.Logger) *App {
	if log == nil {
		log = slog.New(slog.DiscardHandler)
	}
	return &App{cfg: cfg, log: log, ready: make(chan struct{}), outboxWake: make(chan struct{}, 1), leaseOwner: leaseOwner()}
}

// Ready is closed once every component is started.
func (a *App) Ready() <-chan struct{} { return a.ready }

// HTTPAddr returns the HTTP server's address once Ready, "" when disabled.
func (a *App) HTTPAddr() string {
	if a.httpLn == nil {
		return ""
	}
	return a.httpLn.Addr().String()
}

// NATSURL returns the URL of the NATS server in use (the embedded one's
// when nats.url is empty), once Ready.
func (a *App) NATSURL() string {
	a.mu.RLock()
	defer a.mu.RUnlock()
	if a.nc == nil {
		return ""
	}
	return a.nc.ConnectedUrl()
}

// waiting records what start waits for, and the last error doing so, for
// the health report.
func (a *App) waiting(what string, err error) {
	a.mu.Lock()
	a.starting, a.startErr = what, err
	a.mu.Unlock()
}

// Run starts everything and blocks until ctx ends, then stops in order:
// workers and every loop first (no message is left half handled: an
// interrupted one is simply handled again at the next start), then HTTP,
// NATS and Redis. Every goroutine Run starts is in one of its two
// WaitGroups, so none outlives it; the wait for the workers and loops is
// bounded (stopBound), so a stuck one cannot keep the process from
// closing its connections and returning.
//
// The HTTP server (health, metrics, the suppression API) answers from the
// start, while Run still waits for NATS or the stream: /readyz then says
// what it waits for.
func (a *App) Run(ctx context.Context) error {
	if err := a.open(); err != nil {
		a.close()
		return err
	}
	// loops holds the workers and every loop; they end with runCtx, which
	// ends with ctx or when the start fails.
	runCtx, cancel := context.WithCancel(ctx)
	defer cancel()
	var loops, serving sync.WaitGroup
	srv := a.httpServer()
	stopHTTP := func() {
		shutdown, cancel := context.WithTimeout(context.Background(), 5*time.Second)
		defer cancel()
		srv.Shutdown(shutdown)
		serving.Wait()
	}
	if a.httpLn != nil {
		serving.Add(1)
		go func() {
			defer serving.Done()
			defer a.recoverPanic("http")
			if err := srv.Serve(a.httpLn); err != nil && !errors.Is(err, http.ErrServerClosed) {
				a.log.Error("http server", "error", err)
			}
		}()
	}
	// stop ends the workers and loops together (they share runCtx) and
	// waits for them, then stops HTTP, then closes the connections they
	// used: the lease heartbeat leaves its set before Redis closes.
	stop := func() {
		cancel()
		if !waitWithin(&loops, a.stopBound()) {
			a.log.Error("stopping: loops still running, closing anyway", "waited", a.stopBound())
		}
		stopHTTP()
		a.close()
	}
	a.goLoop(runCtx, &loops, "lease members", a.leaseMembersLoop) // lease.go
	if err := a.start(runCtx); err != nil {
		stop()
		return err
	}
	close(a.ready)
	for _, w := range a.workers {
		a.goLoop(runCtx, &loops, "worker", func(ctx context.Context) {
			if err := a.runWorker(ctx, w); err != nil {
				a.log.Error("mailbox worker stopped", "error", err)
			}
		})
	}
	a.startWebhooks(runCtx, &loops)
	a.registerPolicyMetrics()
	// Every loop runs in the WaitGroup: Run returns after all of them.
	for _, loop := range []func(context.Context){
		a.policyLoop,
		a.rawSweepLoop, // raw.go
		func(ctx context.Context) { a.store.RunSweeper(ctx, time.Minute, a.countExpired) },
		func(ctx context.Context) { a.epochLoop(ctx, a.pub) },
		func(ctx context.Context) { a.outboxLoop(ctx, a.pub) },
	} {
		a.goLoop(runCtx, &loops, "loop", loop)
	}
	a.log.Info("bounced running", "mailboxes", len(a.workers), "http", a.HTTPAddr(), "nats", publisher.RedactURL(a.NATSURL()))
	<-ctx.Done()
	a.log.Info("stopping")
	stop()
	return nil
}

// goLoop runs loop(ctx) in a goroutine of wg that recovers a panic,
// naming the loop what.
func (a *App) goLoop(ctx context.Context, wg *sync.WaitGroup, what string, loop func(context.Context)) {
	wg.Add(1)
	go func() {
		defer wg.Done()
		defer a.recoverPanic(what)
		loop(ctx)
	}()
}

// stopBound is how long a stop waits for the workers and loops: the
// longest mailbox stop_grace (the time a worker lets the messages in hand
// finish), plus time for their last Redis and NATS calls.
func (a *App) stopBound() time.Duration {
	d := 10 * time.Second
	for _, mc := range a.cfg.Mailboxes {
		d = max(d, mc.StopGrace.D())
	}
	return d + 10*time.Second
}

// waitWithin waits for wg at most d, and reports whether it was done.
// When it was not, the goroutine waiting for wg stays until wg is done.
func waitWithin(wg *sync.WaitGroup, d time.Duration) bool {
	done := make(chan struct{})
	go func() {
		wg.Wait()
		close(done)
	}()
	t := time.NewTimer(d)
	defer t.Stop()
	select {
	case <-done:
		return true
	case <-t.C:
		return false
	}
}

// open makes what the HTTP server needs: the Redis store and the
// listener. Neither waits for a server: Redis is connected on first use.
func (a *App) open() error {
	var err error
	if a.store, a.redis, err = OpenStore(a.cfg, a.log.With("component", "suppress")); err != nil {
		return err
	}
	if err := a.openRaw(); err != nil { // raw.go
		return err
	}
	if a.cfg.HTTP.Listen != "" {
		if a.httpLn, err = net.Listen("tcp", a.cfg.HTTP.Listen); err != nil {
			return fmt.Errorf("app: http.listen: %w", err)
		}
	}
	return nil
}

// start connects NATS (starting the embedded server when no URL is
// configured), creates or updates the stream, waiting as long as ctx
// allows for both, and makes the pipeline and the workers.
func (a *App) start(ctx context.Context) error {
	cfg := a.cfg
	var err error
	if err := a.store.Ping(ctx); err != nil {
		a.log.Warn("redis not reachable yet; workers will retry", "error", err)
	}

	// NATS, embedded when no URL is configured.
	a.waiting("connecting to NATS", nil)
	url, natsCfg := cfg.NATS.URL, cfg.NATS
	if url == "" {
		if err := os.MkdirAll(cfg.NATS.DataDir, 0o750); err != nil {
			return fmt.Errorf("app: nats.data_dir: %w", err)
		}
		host, port, err := natsembed.SplitListen(cfg.NATS.Listen)
		if err != nil {
			return fmt.Errorf("app: nats.listen: %w", err)
		}
		a.embedded, err = natsembed.Start(ctx, natsembed.Options{DataDir: cfg.NATS.DataDir, Host: host, Port: port, Logger: a.log.With("component", "nats"),
			User: cfg.NATS.ListenUser, Password: cfg.NATS.ListenPassword.Value(), Token: cfg.NATS.ListenToken.Value()})
		if err != nil {
			return fmt.Errorf("app: embedded nats: %w", err)
		}
		url = a.embedded.ClientURL()
		// bounced is a client of its own server like any other.
		natsCfg.User, natsCfg.Password, natsCfg.Token = cfg.NATS.ListenUser, cfg.NATS.ListenPassword, cfg.NATS.ListenToken
		a.log.Info("embedded NATS server started", "url", publisher.RedactURL(url), "data_dir", cfg.NATS.DataDir)
	}
	nc, err := publisher.Connect(ctx, publisher.ConnOptions{
		URL: url, Name: "bounced", Token: natsCfg.Token.Value(), User: natsCfg.User, Password: natsCfg.Password.Value(),
		CredsFile: cfg.NATS.CredsFile, NKeyFile: cfg.NATS.NKeyFile, TLS: cfg.NATS.TLS, TLSCAFile: cfg.NATS.TLSCAFile,
		TLSCertFile: cfg.NATS.TLSCertFile, TLSKeyFile: cfg.NATS.TLSKeyFile, TLSInsecureSkipVerify: cfg.NATS.TLSInsecureSkipVerify,
	}, a.log.With("component", "nats"))
	if err != nil {
		return fmt.Errorf("app: nats: %w", err)
	}
	a.mu.Lock()
	a.nc = nc
	a.mu.Unlock()
	// Acks of PublishAll that never come (an outage) are forgotten after
	// a while instead of filling JetStream's table of pending publishes.
	js, err := jetstream.New(nc, jetstream.WithPublishAsyncTimeout(30*time.Second))
	if err != nil {
		return fmt.Errorf("app: jetstream: %w", err)
	}
	sc := publisher.StreamConfig{
		Name: cfg.NATS.Stream, SubjectPrefix: cfg.NATS.SubjectPrefix, Replicas: cfg.NATS.Replicas,
		MaxAge: cfg.NATS.MaxAge.D(), DuplicateWindow: cfg.NATS.DuplicateWindow.D(),
	}
	a.waiting("creating stream "+sc.Name, nil)
	var pub *publisher.Publisher
	for attempt := 0; ; attempt++ {
		pub, err = publisher.New(ctx, js, sc, a.log.With("component", "publisher"))
		if err == nil {
			break
		}
		if ctx.Err() != nil {
			return fmt.Errorf("app: stream %s: %w", sc.Name, err)
		}
		a.waiting("creating stream "+sc.Name, err)
		a.log.Warn("cannot create the stream yet; retrying", "stream", sc.Name, "error", err)
		select {
		case <-ctx.Done():
			return ctx.Err()
		case <-time.After(backoff(attempt)):
		}
	}

	signer, err := cfg.VERP.Signer()
	if err != nil {
		return err
	}
	var cls *classify.Classifier
	if cfg.Classify.RulesFile != "" {
		rules, err := classify.LoadRulesFile(cfg.Classify.RulesFile)
		if err != nil {
			return fmt.Errorf("app: classify.rules_file: %w", err)
		}
		cls = classify.New(rules)
	}
	a.checkEpoch(ctx, pub) // before any Apply: from now on Apply refuses without an epoch
	a.warnUnwaitedReplicas(ctx)
	limits := map[string]pipeline.Limits{}
	for _, mc := range cfg.Mailboxes {
		limits[mc.Name] = pipeline.Limits{MaxRecipients: mc.MaxRecipients, MaxNewSuppressionsPerMinute: mc.MaxNewSuppressionsPerMinute}
	}
	pipe := pipeline.New(a.store, pub, pipeline.Options{
		VERP:          pipeline.VERP{Signer: signer, Require: cfg.VERP.RequireSigned},
		Classifier:    cls,
		Decode:        bounce.Options{MaxSize: cfg.Decode.MaxSize, MaxDepth: cfg.Decode.MaxDepth, MaxRecipients: decodeMaxRecipients(cfg.Mailboxes), VERP: cfg.Decode.VERP},
		Headers:       cfg.Decode.Headers,
		Log:           a.log.With("component", "pipeline"),
		MailboxLimits: limits,
		Raw:           a.rawKeeper(), // raw.go
	})
	// deps says whether Redis, NATS and the stream answer: a message's
	// failure counts against max_attempts only when they do (see
	// mailbox.Config.Check), so that an outage never quarantines.
	deps := func(ctx context.Context) error {
		if err := a.store.Ping(ctx); err != nil {
			return fmt.Errorf("app: redis: %w", err)
		}
		if !nc.IsConnected() {
			return errors.New("app: nats not connected")
		}
		if _, err := js.Stream(ctx, sc.Name); err != nil {
			return fmt.Errorf("app: stream %s: %w", sc.Name, err)
		}
		return nil
	}
	var workers []*mailbox.Worker
	for _, mc := range cfg.Mailboxes {
		wc, err := mailboxConfig(mc)
		if err != nil {
			return err
		}
		wc.Check, wc.GiveUp = deps, pipe.GiveUp
		w, err := mailbox.New(wc, pipe.Handle, checkpoint.New(a.redis, cfg.Redis.Prefix), a.log.With("component", "mailbox"))
		if err != nil {
			return fmt.Errorf("app: mailbox %s: %w", mc.Name, err)
		}
		workers = append(workers, w)
	}
	if err := a.makeWebhooks(js); err != nil {
		return err
	}
	a.mu.Lock()
	a.pub, a.pipe, a.workers = pub, pipe, workers
	a.starting, a.startErr = "", nil
	a.mu.Unlock()
	return nil
}

func mailboxConfig(mc config.Mailbox) (mailbox.Config, error) {
	wc := mailbox.Config{
		Name: mc.Name, Addr: mc.Addr, TLS: mailbox.TLSMode(mc.TLS), AllowPlain: mc.AllowPlain,
		TLSInsecureSkipVerify: mc.TLSInsecureSkipVerify, TLSServerName: mc.TLSServerName,
		Username: mc.Username, Password: mc.Password.Value(), Auth: mailbox.AuthMethod(mc.Auth),
		Mailbox: mc.Mailbox, ProcessedFolder: mc.ProcessedFolder, IgnoredFolder: mc.IgnoredFolder,
		QuarantineFolder: mc.QuarantineFolder, After: mailbox.AfterAction(mc.After),
		BatchSize: mc.BatchSize, MoveBatchSize: mc.MoveBatchSize, Concurrency: mc.Concurrency, MaxMessageSize: mc.MaxMessageSize, PollInterval: mc.PollInterval.D(),
		IdleRefresh: mc.IdleRefresh.D(), StopGrace: mc.StopGrace.D(),
		BackoffMin: mc.BackoffMin.D(), BackoffMax: mc.BackoffMax.D(),
		MaxAttempts: mc.MaxAttempts, StallAfter: mc.StallAfter.D(),
	}
	if mc.TLSCAFile != "" {
		pool, err := loadCAs(mc.TLSCAFile)
		if err != nil {
			return wc, fmt.Errorf("app: mailbox %s: %w", mc.Name, err)
		}
		wc.TLSRootCAs = pool
	}
	switch {
	case mc.OAuth2.Set():
		o, err := mailboxOAuth2(mc.OAuth2)
		if err != nil {
			return wc, fmt.Errorf("app: mailbox %s: %w", mc.Name, err)
		}
		wc.OAuth2 = o
	case mc.TokenFile != "":
		path := mc.TokenFile
		wc.Token = func(ctx context.Context) (string, error) {
			b, err := os.ReadFile(path)
			if err != nil {
				return "", fmt.Errorf("app: read token file: %w", err)
			}
			return strings.TrimSpace(string(b)), nil
		}
	case mc.TokenCommand != "":
		command := mc.TokenCommand
		wc.Token = func(ctx context.Context) (string, error) {
			ctx, cancel := context.WithTimeout(ctx, 30*time.Second)
			defer cancel()
			out, err := exec.CommandContext(ctx, "/bin/sh", "-c", command).Output()
			if err != nil {
				return "", fmt.Errorf("app: token command: %w", err)
			}
			return strings.TrimSpace(string(out)), nil
		}
	}
	return wc, nil
}

func (a *App) close() {
	a.mu.RLock()
	nc := a.nc
	a.mu.RUnlock()
	if nc != nil {
		nc.Drain()
		nc.Close()
	}
	if a.embedded != nil {
		a.embedded.Shutdown()
	}
	if a.redis != nil {
		a.redis.Close()
	}
	if a.httpLn != nil {
		a.httpLn.Close()
	}
}

func (a *App) recoverPanic(what string) {
	if r := recover(); r != nil {
		a.log.Error("panic recovered", "in", what, "panic", r)
	}
}

// backoff returns a wait that grows with attempt, capped at 30s.
func backoff(attempt int) time.Duration {
	d := 500 * time.Millisecond << min(attempt, 6)
	return min(d, 30*time.Second)
}

// decodeMaxRecipients is the most recipients the decoder reads of one
// report: bounce.DefaultMaxRecipients, or one more than the largest cap of
// a mailbox when that is higher, so that a report over a mailbox's cap is
// refused by the cap ("too many recipients") and not as unparseable.
func decodeMaxRecipients(mailboxes []config.Mailbox) int {
	n := bounce.DefaultMaxRecipients
	for _, mc := range mailboxes {
		if mc.MaxRecipients >= n {
			n = mc.MaxRecipients + 1
		}
	}
	return n
}

// warnUnwaitedReplicas warns once at start when the store's master has
// replicas and redis.wait_replicas is 0: a failover can then lose a
// suppression the master had answered (docs/clusters.md).
func (a *App) warnUnwaitedReplicas(ctx context.Context) {
	if a.store.WaitsForReplicas() > 0 {
		return
	}
	ctx, cancel := context.WithTimeout(ctx, 5*time.Second)
	defer cancel()
	if n, err := a.store.ConnectedReplicas(ctx); err == nil && n > 0 {
		a.log.Warn("redis has replicas but redis.wait_replicas is 0: a failover can lose a suppression the master had answered; set redis.wait_replicas: 1",
			"replicas", n)
	}
}
