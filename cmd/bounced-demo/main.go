// Command bounced-demo shows the whole data path on one machine: it starts
// a real Redis (REDIS_URL, or redis-server from PATH, installed with
// apt-get when missing and running as root), an in-process IMAP server
// loaded with sample bounces, and the bounced daemon with its embedded
// NATS server; waits until every sample has been handled; and prints the
// resulting suppressions, events and folders. It ends by printing where
// the operator page and the events can be seen and, when its standard
// output is a terminal, keeps serving them until interrupted (Ctrl-C);
// with --exit, or when the output is not a terminal (a pipe, a test), it
// stops at once.
package main

import (
	"context"
	"crypto/rand"
	"embed"
	"encoding/hex"
	"encoding/json"
	"errors"
	"flag"
	"fmt"
	"io/fs"
	"log/slog"
	"net"
	"os"
	"os/exec"
	"os/signal"
	"path/filepath"
	"sort"
	"strings"
	"syscall"
	"text/tabwriter"
	"time"

	"github.com/emersion/go-imap/v2"
	"github.com/emersion/go-imap/v2/imapclient"
	"github.com/emersion/go-imap/v2/imapserver"
	"github.com/emersion/go-imap/v2/imapserver/imapmemserver"
	"github.com/mattn/go-isatty"
	"github.com/nats-io/nats.go"
	"github.com/nats-io/nats.go/jetstream"
	"github.com/redis/go-redis/v9"

	"github.com/bounced-dev/bounced/internal/app"
	"github.com/bounced-dev/bounced/internal/config"
	"github.com/bounced-dev/bounced/internal/suppress"
)

//go:embed samples/*.eml
var samples embed.FS

const (
	imapUser = "bounces@shop.example"
	imapPass = "demo-password"
)

func main() { os.Exit(run(os.Args[1:])) }

func run(args []string) int {
	fs := flag.NewFlagSet("bounced-demo", flag.ContinueOnError)
	exit := fs.Bool("exit", false, "stop once the samples are shown, even on a terminal")
	if err := fs.Parse(args); err != nil {
		if errors.Is(err, flag.ErrHelp) {
			return 0
		}
		return 2
	}
	if fs.NArg() > 0 {
		fmt.Fprintln(os.Stderr, "demo: no argument expected, only --exit")
		return 2
	}
	serve := !*exit && isatty.IsTerminal(os.Stdout.Fd())
	ctx, stop := signal.NotifyContext(context.Background(), os.Interrupt, syscall.SIGTERM)
	defer stop()
	tmp, err := os.MkdirTemp("", "bounced-demo-")
	if err != nil {
		fmt.Fprintln(os.Stderr, "demo:", err)
		return 1
	}
	defer os.RemoveAll(tmp)

	redisURL, stopRedis, err := startRedis(ctx, tmp)
	if err != nil {
		fmt.Fprintln(os.Stderr, "demo: redis:", err)
		return 1
	}
	defer stopRedis()

	imapAddr, stopIMAP, n, err := startIMAP()
	if err != nil {
		fmt.Fprintln(os.Stderr, "demo: imap:", err)
		return 1
	}
	defer stopIMAP()
	fmt.Printf("== in-process IMAP server %s: %d sample messages in INBOX of %s\n", imapAddr, n, imapUser)

	cfg := config.Default()
	cfg.Redis.URL = redisURL
	cfg.Redis.Prefix = fmt.Sprintf("{bounced-demo-%d}", time.Now().UnixNano())
	cfg.NATS.DataDir = filepath.Join(tmp, "nats")
	cfg.NATS.Listen = "127.0.0.1:0" // a free port: the line below prints it
	cfg.HTTP.Listen = "127.0.0.1:0"
	// Reads of the list are personal data: the demo makes its own tokens.
	readToken, writeToken := randomToken(), randomToken()
	cfg.HTTP.ReadToken, cfg.HTTP.WriteToken = config.Secret(readToken), config.Secret(writeToken)
	cfg.Decode.Headers = []string{"X-Customer-ID"}
	cfg.Decode.VERP = []string{"bounces+{local}={domain}@shop.example"}
	cfg.Mailboxes = []config.Mailbox{{
		Name: "shop", Addr: imapAddr, TLS: "plain", AllowPlain: true, Username: imapUser,
		Password: config.Secret(imapPass), Auth: "login", Mailbox: "INBOX", ProcessedFolder: "Processed",
		IgnoredFolder: "Ignored", QuarantineFolder: "Quarantine", After: "move", BatchSize: 500, MoveBatchSize: 2000, Concurrency: 64,
		MaxMessageSize: 10 << 20, PollInterval: config.Duration(time.Second), IdleRefresh: config.Duration(time.Minute),
	}}
	if err := cfg.Validate(); err != nil {
		fmt.Fprintln(os.Stderr, "demo:", err)
		return 1
	}
	log := slog.New(slog.NewTextHandler(os.Stderr, &slog.HandlerOptions{Level: slog.LevelWarn}))
	a := app.New(&cfg, log)
	runCtx, cancel := context.WithCancel(ctx)
	defer cancel()
	done := make(chan error, 1)
	go func() { done <- a.Run(runCtx) }()
	select {
	case <-a.Ready():
	case err := <-done:
		fmt.Fprintln(os.Stderr, "demo: daemon failed to start:", err)
		return 1
	}
	fmt.Printf("== bounced running: embedded NATS %s, HTTP http://%s/\n", a.NATSURL(), a.HTTPAddr())
	fmt.Printf("   API read token %s, write token %s\n", readToken, writeToken)

	start := time.Now()
	folders, err := waitEmpty(ctx, imapAddr, 30*time.Second)
	if err != nil {
		fmt.Fprintln(os.Stderr, "demo:", err)
	}
	fmt.Printf("== all messages handled in %v\n\n", time.Since(start).Round(time.Millisecond))
	status := 0
	if err := printSuppressions(ctx, redisURL, cfg.Redis.Prefix); err != nil {
		fmt.Fprintln(os.Stderr, "demo:", err)
		status = 1
	}
	if err := printEvents(ctx, a.NATSURL(), cfg.NATS.Stream); err != nil {
		fmt.Fprintln(os.Stderr, "demo:", err)
		status = 1
	}
	fmt.Println("== IMAP folders")
	for _, f := range []string{"INBOX", "Processed", "Ignored", "Quarantine"} {
		fmt.Printf("  %-11s %d\n", f, folders[f])
	}
	printWhere(a.HTTPAddr(), a.NATSURL(), cfg.NATS.SubjectPrefix, readToken, redisURL, cfg.Redis.Prefix)
	if serve {
		fmt.Println("\n== serving until interrupted (Ctrl-C); --exit stops at once")
		select {
		case <-ctx.Done():
		case err := <-done:
			fmt.Fprintln(os.Stderr, "demo: daemon stopped:", err)
			return 1
		}
	}
	cancel()
	<-done
	return status
}

// startRedis returns the URL of a Redis: REDIS_URL, or a redis-server
// started here on a free port.
func startRedis(ctx context.Context, dir string) (string, func(), error) {
	if u := os.Getenv("REDIS_URL"); u != "" {
		fmt.Println("== using Redis at REDIS_URL")
		return u, func() {}, nil
	}
	bin, err := exec.LookPath("redis-server")
	if err != nil {
		if os.Geteuid() != 0 {
			return "", nil, errors.New("redis-server not installed: apt-get install redis-server, or set REDIS_URL")
		}
		fmt.Println("== installing redis-server with apt-get")
		for _, args := range [][]string{{"update", "-qq"}, {"install", "-y", "-qq", "redis-server"}} {
			cmd := exec.CommandContext(ctx, "apt-get", args...)
			cmd.Env = append(os.Environ(), "DEBIAN_FRONTEND=noninteractive")
			if out, err := cmd.CombinedOutput(); err != nil {
				return "", nil, fmt.Errorf("apt-get %s: %v\n%s", args[0], err, out)
			}
		}
		if bin, err = exec.LookPath("redis-server"); err != nil {
			return "", nil, err
		}
	}
	l, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		return "", nil, err
	}
	port := l.Addr().(*net.TCPAddr).Port
	l.Close()
	cmd := exec.Command(bin, "--port", fmt.Sprint(port), "--bind", "127.0.0.1", "--dir", dir, "--save", "", "--appendonly", "no")
	if err := cmd.Start(); err != nil {
		return "", nil, err
	}
	addr := fmt.Sprintf("127.0.0.1:%d", port)
	for i := 0; i < 100; i++ {
		if c, err := net.Dial("tcp", addr); err == nil {
			c.Close()
			break
		}
		time.Sleep(50 * time.Millisecond)
	}
	fmt.Printf("== started redis-server on %s\n", addr)
	return "redis://" + addr + "/0", func() { cmd.Process.Kill(); cmd.Wait() }, nil
}

// startIMAP starts go-imap's in-memory server and appends the samples.
func startIMAP() (string, func(), int, error) {
	mem := imapmemserver.New()
	user := imapmemserver.NewUser(imapUser, imapPass)
	if err := user.Create("INBOX", nil); err != nil {
		return "", nil, 0, err
	}
	mem.AddUser(user)
	srv := imapserver.New(&imapserver.Options{
		NewSession: func(*imapserver.Conn) (imapserver.Session, *imapserver.GreetingData, error) {
			return mem.NewSession(), nil, nil
		},
		Caps:         imap.CapSet{imap.CapIMAP4rev1: {}, imap.CapIMAP4rev2: {}},
		InsecureAuth: true,
	})
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		return "", nil, 0, err
	}
	go srv.Serve(ln)
	addr := ln.Addr().String()
	c, err := imapclient.DialInsecure(addr, nil)
	if err != nil {
		return "", nil, 0, err
	}
	defer c.Close()
	if err := c.Login(imapUser, imapPass).Wait(); err != nil {
		return "", nil, 0, err
	}
	names, _ := fs.Glob(samples, "samples/*.eml")
	sort.Strings(names)
	for _, name := range names {
		b, _ := samples.ReadFile(name)
		b = []byte(strings.ReplaceAll(string(b), "\n", "\r\n"))
		cmd := c.Append("INBOX", int64(len(b)), nil)
		cmd.Write(b)
		cmd.Close()
		if _, err := cmd.Wait(); err != nil {
			return "", nil, 0, fmt.Errorf("append %s: %w", name, err)
		}
	}
	return addr, func() { srv.Close() }, len(names), nil
}

// waitEmpty waits until INBOX is empty and returns the message count of each folder.
func waitEmpty(ctx context.Context, addr string, timeout time.Duration) (map[string]uint32, error) {
	c, err := imapclient.DialInsecure(addr, nil)
	if err != nil {
		return nil, err
	}
	defer c.Close()
	if err := c.Login(imapUser, imapPass).Wait(); err != nil {
		return nil, err
	}
	counts := map[string]uint32{}
	deadline := time.Now().Add(timeout)
	for {
		for _, f := range []string{"INBOX", "Processed", "Ignored", "Quarantine"} {
			st, err := c.Status(f, &imap.StatusOptions{NumMessages: true}).Wait()
			if err == nil && st.NumMessages != nil {
				counts[f] = *st.NumMessages
			}
		}
		if counts["INBOX"] == 0 {
			return counts, nil
		}
		if time.Now().After(deadline) || ctx.Err() != nil {
			return counts, fmt.Errorf("INBOX still holds %d messages after %v", counts["INBOX"], timeout)
		}
		time.Sleep(100 * time.Millisecond)
	}
}

func printSuppressions(ctx context.Context, redisURL, prefix string) error {
	opts, err := redis.ParseURL(redisURL)
	if err != nil {
		return err
	}
	c := redis.NewClient(opts)
	defer c.Close()
	st := suppress.New(c, prefix, suppress.DefaultPolicy(), nil)
	recs, total, err := st.List(ctx, suppress.ListOptions{Limit: 100})
	if err != nil {
		return fmt.Errorf("list suppressions: %w", err)
	}
	fmt.Printf("== Redis suppressions (%d)\n", total)
	tw := tabwriter.NewWriter(os.Stdout, 2, 4, 2, ' ', 0)
	fmt.Fprintln(tw, "  ADDRESS\tREASON\tSCOPE\tHARD\tCOUNT\tEXPIRES\tSERVER SAID")
	for _, r := range recs {
		exp := "never"
		if !r.ExpiresAt.IsZero() {
			exp = r.ExpiresAt.Format("2006-01-02")
		}
		fmt.Fprintf(tw, "  %s\t%s\t%s\t%v\t%d\t%s\t%s\n", r.Address, r.Reason, r.Scope, r.Hard, r.Count, exp, clip(r.Diagnostic, 60))
	}
	tw.Flush()
	// Addresses seen but not (yet) suppressed: soft bounces under the threshold.
	keys, _ := c.Keys(ctx, prefix+":addr:*").Result()
	sort.Strings(keys)
	for _, k := range keys {
		addr := strings.TrimPrefix(k, prefix+":addr:")
		if ok, _ := st.IsSuppressed(ctx, addr, "all"); ok {
			continue
		}
		if ok, _ := st.IsSuppressed(ctx, addr, "marketing"); ok {
			continue
		}
		if rec, err := st.Get(ctx, addr); err == nil {
			fmt.Printf("  (not suppressed yet: %s, %s, %d soft bounce(s) in the window)\n", rec.Address, rec.Reason, rec.Count)
		}
	}
	fmt.Println()
	return nil
}

func printEvents(ctx context.Context, url, stream string) error {
	nc, err := nats.Connect(url)
	if err != nil {
		return err
	}
	defer nc.Close()
	js, err := jetstream.New(nc)
	if err != nil {
		return err
	}
	cons, err := js.OrderedConsumer(ctx, stream, jetstream.OrderedConsumerConfig{})
	if err != nil {
		return fmt.Errorf("consumer: %w", err)
	}
	s, err := js.Stream(ctx, stream)
	if err != nil {
		return err
	}
	info, err := s.Info(ctx)
	if err != nil {
		return err
	}
	fmt.Printf("== JetStream events in stream %s (%d)\n", stream, info.State.Msgs)
	for i := uint64(0); i < info.State.Msgs; i++ {
		msg, err := cons.Next(jetstream.FetchMaxWait(2 * time.Second))
		if err != nil {
			return fmt.Errorf("read event: %w", err)
		}
		var ev map[string]any
		json.Unmarshal(msg.Data(), &ev)
		extra := ""
		if h, ok := ev["headers"].(map[string]any); ok {
			for k, v := range h {
				extra += fmt.Sprintf(" %s=%v", k, v)
			}
		}
		fmt.Printf("  %-44s %-28v %v%s\n", msg.Subject(), ev["recipient"], ev["reason"], extra)
		if ev["error"] != nil {
			fmt.Printf("  %-44s error: %v\n", "", ev["error"])
		}
	}
	fmt.Println()
	return nil
}

// printWhere says where the operator page, the API and the events can be
// seen while the demo runs.
func printWhere(httpAddr, natsURL, subjectPrefix, readToken, redisURL, prefix string) {
	fmt.Println("\n== where to look")
	fmt.Printf("  operator page  http://%s/  (read token %s)\n", httpAddr, readToken)
	fmt.Printf("  API            curl -H 'Authorization: Bearer %s' http://%s/api/v1/suppressions\n", readToken, httpAddr)
	fmt.Printf("  events         nats --server %s sub '%s.>'\n", natsURL, subjectPrefix)
	fmt.Printf("  CLI            bounced suppressions list --redis-url %s --redis-prefix '%s'\n", redisURL, prefix)
}

func clip(s string, n int) string {
	if r := []rune(s); len(r) > n {
		return string(r[:n-1]) + "…"
	}
	return s
}

// randomToken returns 32 random hex digits.
func randomToken() string {
	b := make([]byte, 16)
	if _, err := rand.Read(b); err != nil {
		panic(err)
	}
	return hex.EncodeToString(b)
}
