// Package natsembed runs a NATS server with JetStream inside the bounced
// process, for installations without a NATS server of their own and for
// tests. Its events persist in Options.DataDir across restarts.
package natsembed

import (
	"context"
	"errors"
	"fmt"
	"log/slog"
	"net"
	"strconv"
	"sync"
	"time"

	"github.com/nats-io/nats-server/v2/server"
)

// startTimeout bounds Start when ctx has no earlier deadline.
const startTimeout = 30 * time.Second

// Options configure an embedded server.
type Options struct {
	// DataDir is where JetStream keeps its streams (it makes a jetstream
	// directory inside). Required.
	DataDir string
	// Host is the address to listen on (default 127.0.0.1).
	Host string
	// Port is the client port: -1 picks a free one (see ClientURL), 0 is
	// the NATS default 4222.
	Port int
	// User and Password, when set, are required of every client.
	User     string
	Password string
	// Token, when set, is required of every client instead (it excludes
	// User and Password).
	Token string
	// Logger receives the server's log: its notices and debug lines at
	// debug level, its warnings and errors at their own. Nil discards.
	Logger *slog.Logger
}

// Server is a running embedded NATS server.
type Server struct {
	ns   *server.Server
	host string
	log  *slog.Logger
	once sync.Once
}

// Start starts a NATS server with JetStream as o says and returns once it
// accepts connections. ctx bounds the start only (at most 30 seconds);
// stop the server with Shutdown.
func Start(ctx context.Context, o Options) (*Server, error) {
	if o.DataDir == "" {
		return nil, errors.New("natsembed: data dir is required")
	}
	if err := ctx.Err(); err != nil {
		return nil, fmt.Errorf("natsembed: %w", err)
	}
	if o.Host == "" {
		o.Host = "127.0.0.1"
	}
	if (o.User == "") != (o.Password == "") || (o.Token != "" && o.User != "") {
		return nil, errors.New("natsembed: set a user and a password, or a token, or neither")
	}
	log := o.Logger
	if log == nil {
		log = slog.New(slog.DiscardHandler)
	}
	log = log.With("subsystem", "nats-server")
	ns, err := server.NewServer(&server.Options{
		Host:     o.Host,
		Port:     o.Port,
		Username: o.User,
		Password: o.Password,
		// A token is the server's "authorization" setting.
		Authorization: o.Token,
		JetStream:     true,
		StoreDir:      o.DataDir,
		// Only main handles signals. HTTP monitoring, clustering and leaf
		// nodes stay off: a local server.
		NoSigs:                 true,
		DisableJetStreamBanner: true,
	})
	if err != nil {
		return nil, fmt.Errorf("natsembed: %w", err)
	}
	sl := &slogLogger{log: log}
	ns.SetLoggerV2(sl, log.Enabled(ctx, slog.LevelDebug), false, false)
	s := &Server{ns: ns, host: o.Host, log: log}

	go func() {
		defer func() {
			if r := recover(); r != nil {
				sl.fatal(fmt.Sprintf("panic in start: %v", r))
				log.Error("nats-server start panicked", "panic", r)
			}
		}()
		ns.Start()
	}()

	ctx, cancel := context.WithTimeout(ctx, startTimeout)
	defer cancel()
	for !ns.ReadyForConnections(50 * time.Millisecond) {
		if msg := sl.fatalMsg(); msg != "" {
			s.Shutdown()
			return nil, fmt.Errorf("natsembed: start: %s", msg)
		}
		if err := ctx.Err(); err != nil {
			s.Shutdown()
			return nil, fmt.Errorf("natsembed: not ready: %w", err)
		}
	}
	if !ns.JetStreamEnabled() {
		s.Shutdown()
		return nil, fmt.Errorf("natsembed: jetstream not enabled: %s", sl.fatalMsg())
	}
	log.Info("embedded nats server started", "url", ns.ClientURL(), "data_dir", o.DataDir,
		"auth", o.User != "" || o.Token != "")
	return s, nil
}

// SplitListen splits a listen address host:port into Options' Host and
// Port. As in net.Listen, an empty host is every interface (0.0.0.0) and
// port 0 (or an empty port) a free port: it gives Port -1.
func SplitListen(addr string) (host string, port int, err error) {
	h, p, err := net.SplitHostPort(addr)
	if err != nil {
		return "", 0, fmt.Errorf("natsembed: listen %q: %w", addr, err)
	}
	if h == "" {
		h = "0.0.0.0"
	}
	if p == "" || p == "0" {
		return h, -1, nil
	}
	n, err := strconv.Atoi(p)
	if err != nil || n < 1 || n > 65535 {
		return "", 0, fmt.Errorf("natsembed: listen %q: bad port", addr)
	}
	return h, n, nil
}

// ClientURL returns the URL clients connect to, e.g. nats://127.0.0.1:4222;
// for a server on every interface (0.0.0.0, ::), its loopback address.
func (s *Server) ClientURL() string {
	addr, ok := s.ns.Addr().(*net.TCPAddr)
	if !ok {
		return s.ns.ClientURL()
	}
	ip := addr.IP
	if ip.IsUnspecified() {
		// Go reports 0.0.0.0 as [::] on a dual-stack host: the host
		// configured says which loopback to use.
		ip = net.IPv4(127, 0, 0, 1)
		if h := net.ParseIP(s.host); h != nil && h.To4() == nil {
			ip = net.IPv6loopback
		}
	}
	return "nats://" + net.JoinHostPort(ip.String(), strconv.Itoa(addr.Port))
}

// Shutdown stops the server, closing its client connections, and waits
// until it has stopped and flushed its streams. Calling it again does
// nothing.
func (s *Server) Shutdown() {
	s.once.Do(func() {
		s.ns.Shutdown()
		s.ns.WaitForShutdown()
		s.log.Debug("embedded nats server stopped")
	})
}

// slogLogger is a server.Logger writing to slog. The server's Fatalf is
// logged as an error and remembered, not an exit: Start reports it.
type slogLogger struct {
	log *slog.Logger

	mu       sync.Mutex
	firstErr string
}

var _ server.Logger = (*slogLogger)(nil)

func (l *slogLogger) fatal(msg string) {
	l.mu.Lock()
	defer l.mu.Unlock()
	if l.firstErr == "" {
		l.firstErr = msg
	}
}

func (l *slogLogger) fatalMsg() string {
	l.mu.Lock()
	defer l.mu.Unlock()
	return l.firstErr
}

// Noticef logs the server's notices (start, stop, JetStream state) at debug.
func (l *slogLogger) Noticef(format string, v ...any) { l.log.Debug(fmt.Sprintf(format, v...)) }

// Warnf logs at warn.
func (l *slogLogger) Warnf(format string, v ...any) { l.log.Warn(fmt.Sprintf(format, v...)) }

// Fatalf logs at error and records the message for Start.
func (l *slogLogger) Fatalf(format string, v ...any) {
	msg := fmt.Sprintf(format, v...)
	l.fatal(msg)
	l.log.Error(msg, "fatal", true)
}

// Errorf logs at error.
func (l *slogLogger) Errorf(format string, v ...any) { l.log.Error(fmt.Sprintf(format, v...)) }

// Debugf logs at debug.
func (l *slogLogger) Debugf(format string, v ...any) { l.log.Debug(fmt.Sprintf(format, v...)) }

// Tracef logs at debug (the server only traces when asked to, and Start
// does not ask).
func (l *slogLogger) Tracef(format string, v ...any) { l.log.Debug(fmt.Sprintf(format, v...)) }
