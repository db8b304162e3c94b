package publisher

import (
	"context"
	"crypto/tls"
	"crypto/x509"
	"errors"
	"fmt"
	"log/slog"
	"net"
	"net/url"
	"os"
	"strings"
	"time"

	"github.com/nats-io/nats.go"
)

// ConnOptions says how Connect reaches NATS. Only URL is usually needed.
type ConnOptions struct {
	// URL of the server, or a comma-separated list of a cluster's servers:
	// nats://host:4222 or tls://host:4222 (default nats://127.0.0.1:4222).
	URL string
	// Name is the client name the server shows (default "bounced").
	Name string
	// Token authenticates with a token.
	Token string
	// User and Password authenticate with a user name and password.
	User, Password string
	// CredsFile is a user JWT and NKey seed file (.creds).
	CredsFile string
	// NKeyFile is a file holding an NKey seed.
	NKeyFile string
	// TLS requires TLS; a tls:// URL requires it too. Without either, the
	// TLS files below are still used if the server asks for TLS.
	TLS bool
	// TLSCAFile is a PEM file of the CAs that sign the server's
	// certificate (default: the system's CAs).
	TLSCAFile string
	// TLSCertFile and TLSKeyFile are a PEM client certificate and its key,
	// for servers that verify clients; both or neither.
	TLSCertFile, TLSKeyFile string
	// TLSInsecureSkipVerify accepts any server certificate. For tests only.
	TLSInsecureSkipVerify bool
}

// connectRetryMax caps the wait between two first-connection attempts.
const connectRetryMax = 5 * time.Second

// Connect connects to NATS as o says, retrying until it connects or ctx
// ends: give ctx a deadline to fail fast when NATS is unreachable. An
// error that retrying cannot fix, such as refused credentials or an
// unreadable file, is returned at once.
//
// Once connected, the connection reconnects forever after an outage, and
// logs disconnections and reconnections to log (a nil log discards); no
// secret is ever logged. While it is disconnected, publishing fails at
// once, with an error IsTransient reports true, instead of being buffered:
// the caller keeps the event and publishes it again, and its ID makes
// that safe.
func Connect(ctx context.Context, o ConnOptions, log *slog.Logger) (*nats.Conn, error) {
	if log == nil {
		log = slog.New(slog.DiscardHandler)
	}
	if o.URL == "" {
		o.URL = nats.DefaultURL
	}
	if o.Name == "" {
		o.Name = "bounced"
	}
	opts, useTLS, err := connOptions(o, log)
	if err != nil {
		return nil, err
	}
	redacted := redactURLs(o.URL)
	wait := 250 * time.Millisecond
	for attempt := 1; ; attempt++ {
		nc, err := nats.Connect(o.URL, opts...)
		if err == nil {
			log.Info("nats connected", "url", nc.ConnectedUrlRedacted(), "server", nc.ConnectedServerName(),
				"server_version", nc.ConnectedServerVersion(), "tls", useTLS)
			return nc, nil
		}
		if !IsTransient(err) {
			return nil, fmt.Errorf("publisher: connect to %s: %w", redacted, err)
		}
		log.Warn("nats connect failed, retrying", "url", redacted, "attempt", attempt, "retry_in", wait, "error", err)
		t := time.NewTimer(wait)
		select {
		case <-ctx.Done():
			t.Stop()
			return nil, fmt.Errorf("publisher: connect to %s: %w (last error: %w)", redacted, ctx.Err(), err)
		case <-t.C:
		}
		wait = min(2*wait, connectRetryMax)
	}
}

// connOptions turns o into nats options, and says whether TLS is required.
func connOptions(o ConnOptions, log *slog.Logger) ([]nats.Option, bool, error) {
	opts := []nats.Option{
		nats.Name(o.Name),
		nats.MaxReconnects(-1),
		nats.ReconnectWait(time.Second),
		// No reconnect buffer: publishes fail while disconnected rather than
		// wait in memory for a server that may not come back in time.
		nats.ReconnectBufSize(-1),
		// Notice a silently dead server within about a minute.
		nats.PingInterval(20 * time.Second),
		nats.MaxPingsOutstanding(3),
		nats.DisconnectErrHandler(func(nc *nats.Conn, err error) {
			if err != nil {
				log.Warn("nats disconnected", "error", err)
			}
		}),
		nats.ReconnectErrHandler(func(nc *nats.Conn, err error) {
			log.Debug("nats reconnect attempt failed", "error", err)
		}),
		nats.ReconnectHandler(func(nc *nats.Conn) {
			log.Info("nats reconnected", "url", nc.ConnectedUrlRedacted(), "reconnects", nc.Stats().Reconnects)
		}),
		nats.ClosedHandler(func(nc *nats.Conn) {
			log.Info("nats connection closed")
		}),
		nats.ErrorHandler(func(nc *nats.Conn, sub *nats.Subscription, err error) {
			if sub != nil {
				log.Error("nats async error", "subject", sub.Subject, "error", err)
				return
			}
			log.Error("nats async error", "error", err)
		}),
	}
	if o.Token != "" {
		opts = append(opts, nats.Token(o.Token))
	}
	if o.User != "" || o.Password != "" {
		opts = append(opts, nats.UserInfo(o.User, o.Password))
	}
	if o.CredsFile != "" {
		if _, err := os.Stat(o.CredsFile); err != nil {
			return nil, false, fmt.Errorf("publisher: creds file: %w", err)
		}
		opts = append(opts, nats.UserCredentials(o.CredsFile))
	}
	if o.NKeyFile != "" {
		opt, err := nats.NkeyOptionFromSeed(o.NKeyFile)
		if err != nil {
			return nil, false, fmt.Errorf("publisher: nkey file %s: %w", o.NKeyFile, err)
		}
		opts = append(opts, opt)
	}
	useTLS := o.TLS || hasScheme(o.URL, "tls")
	if useTLS || o.TLSCAFile != "" || o.TLSCertFile != "" || o.TLSKeyFile != "" || o.TLSInsecureSkipVerify {
		cfg, err := tlsConfig(o)
		if err != nil {
			return nil, false, err
		}
		if o.TLSInsecureSkipVerify {
			log.Warn("nats TLS certificate verification is off (tls_insecure_skip_verify)")
		}
		if useTLS {
			opts = append(opts, nats.Secure(cfg))
		} else {
			// Used only if the server requires TLS.
			opts = append(opts, func(no *nats.Options) error { no.TLSConfig = cfg; return nil })
		}
	}
	return opts, useTLS, nil
}

// tlsConfig builds the client TLS configuration of o.
func tlsConfig(o ConnOptions) (*tls.Config, error) {
	cfg := &tls.Config{MinVersion: tls.VersionTLS12, InsecureSkipVerify: o.TLSInsecureSkipVerify}
	if o.TLSCAFile != "" {
		pem, err := os.ReadFile(o.TLSCAFile)
		if err != nil {
			return nil, fmt.Errorf("publisher: tls ca file: %w", err)
		}
		pool := x509.NewCertPool()
		if !pool.AppendCertsFromPEM(pem) {
			return nil, fmt.Errorf("publisher: tls ca file %s: no PEM certificate", o.TLSCAFile)
		}
		cfg.RootCAs = pool
	}
	if (o.TLSCertFile == "") != (o.TLSKeyFile == "") {
		return nil, errors.New("publisher: tls cert file and tls key file go together")
	}
	if o.TLSCertFile != "" {
		cert, err := tls.LoadX509KeyPair(o.TLSCertFile, o.TLSKeyFile)
		if err != nil {
			return nil, fmt.Errorf("publisher: tls client certificate: %w", err)
		}
		cfg.Certificates = []tls.Certificate{cert}
	}
	return cfg, nil
}

// hasScheme reports whether any URL of the comma-separated list urls has
// the scheme.
func hasScheme(urls, scheme string) bool {
	for _, u := range strings.Split(urls, ",") {
		if strings.HasPrefix(strings.ToLower(strings.TrimSpace(u)), scheme+"://") {
			return true
		}
	}
	return false
}

// RedactURL returns the comma-separated list of URLs urls with every user
// information (a user and password, or a token) replaced by "redacted":
// the form to log or put in an error.
func RedactURL(urls string) string { return redactURLs(urls) }

// redactURLs returns the comma-separated list urls with every user
// information (a user and password, or a token) replaced by "redacted",
// for logs and errors.
func redactURLs(urls string) string {
	parts := strings.Split(urls, ",")
	for i, s := range parts {
		s = strings.TrimSpace(s)
		if !strings.Contains(s, "@") {
			parts[i] = s
			continue
		}
		u, err := url.Parse(s)
		if err != nil || u.Host == "" {
			parts[i] = "redacted"
			continue
		}
		u.User = url.User("redacted")
		parts[i] = u.String()
	}
	return strings.Join(parts, ",")
}

// isNetError reports whether err comes from the network (a refused or
// reset connection, an unreachable host), which retrying may fix.
func isNetError(err error) bool {
	var opErr *net.OpError
	if errors.As(err, &opErr) {
		return true
	}
	var dnsErr *net.DNSError
	return errors.As(err, &dnsErr) && (dnsErr.IsTemporary || dnsErr.IsTimeout || dnsErr.IsNotFound)
}
