package mailbox

import (
	"context"
	"crypto/tls"
	"crypto/x509"
	"errors"
	"fmt"
	"net"
	"strconv"
	"strings"
	"time"
)

// TLSMode says how the connection to the IMAP server is encrypted.
type TLSMode string

// The TLS modes.
const (
	// TLSImplicit is TLS from the first byte, usually on port 993
	// (RFC 8314 section 3.2). It is the default.
	TLSImplicit TLSMode = "implicit"
	// TLSStartTLS upgrades a plain connection, usually on port 143, with
	// the STARTTLS command (RFC 9051 section 6.2.1).
	TLSStartTLS TLSMode = "starttls"
	// TLSPlain is no encryption at all; it needs Config.AllowPlain.
	TLSPlain TLSMode = "plain"
)

// AuthMethod says how the worker authenticates.
type AuthMethod string

// The authentication methods.
const (
	// AuthLogin is the LOGIN command (RFC 9051 section 6.2.3). It is the
	// default.
	AuthLogin AuthMethod = "login"
	// AuthPlain is AUTHENTICATE PLAIN (RFC 4616).
	AuthPlain AuthMethod = "plain"
	// AuthXOAUTH2 is AUTHENTICATE XOAUTH2 with an OAuth2 bearer token from
	// Config.Token, as Gmail and Microsoft 365 want it.
	AuthXOAUTH2 AuthMethod = "xoauth2"
)

// AfterAction says what is done with a message once its handler succeeded.
type AfterAction string

// The after-actions.
const (
	// AfterMove moves every handled message to the folder of its
	// disposition. It is the default.
	AfterMove AfterAction = "move"
	// AfterFlag leaves processed bounces where they are and sets
	// Config.Flag on them; ignored and quarantined messages are still moved.
	AfterFlag AfterAction = "flag"
)

// Defaults of Config.
const (
	DefaultMailbox          = "INBOX"
	DefaultProcessedFolder  = "Processed"
	DefaultIgnoredFolder    = "Ignored"
	DefaultQuarantineFolder = "Quarantine"
	DefaultFlag             = "$BouncedProcessed"
	DefaultBatchSize        = 500
	DefaultMoveBatchSize    = 2000
	DefaultConcurrency      = 64
	DefaultMaxMessageSize   = 10 << 20
	DefaultPollInterval     = 30 * time.Second
	DefaultIdleRefresh      = 25 * time.Minute
	DefaultBackoffMin       = time.Second
	DefaultBackoffMax       = 2 * time.Minute
	DefaultStopGrace        = 10 * time.Second
	DefaultMaxAttempts      = 10
	DefaultStallAfter       = 5 * time.Minute
)

// Config configures one Worker: one account and one watched mailbox.
type Config struct {
	// Name names the worker in logs, status and the checkpoint key
	// (default Username).
	Name string
	// Addr is the server's host:port; without a port, 993 is used for
	// implicit TLS and 143 otherwise.
	Addr string

	// TLS is the encryption mode (default implicit).
	TLS TLSMode
	// AllowPlain permits TLS mode plain, which sends the password in clear.
	AllowPlain bool
	// TLSInsecureSkipVerify disables certificate checks (tests only).
	TLSInsecureSkipVerify bool
	// TLSRootCAs are the CAs trusted for the server's certificate; nil
	// means the system's.
	TLSRootCAs *x509.CertPool
	// TLSServerName is the name checked in the certificate (default the
	// host of Addr).
	TLSServerName string

	// Username is the account (required).
	Username string
	// Password is the account's password, for auth login and plain. It is
	// never logged.
	Password string
	// Auth is the authentication method (default login).
	Auth AuthMethod
	// Token returns an OAuth2 access token for auth xoauth2. It is called
	// on every connect so that a refreshed token is used; the token is
	// never logged.
	Token func(ctx context.Context) (string, error)
	// OAuth2, instead of Token, gets the access tokens for auth xoauth2
	// with a refresh token (RFC 6749 section 6), refreshing each before it
	// expires; a token the server refuses is refreshed once and the login
	// tried again.
	OAuth2 *OAuth2

	// Mailbox is the watched mailbox (default INBOX).
	Mailbox string
	// ProcessedFolder receives handled bounces (default Processed).
	ProcessedFolder string
	// IgnoredFolder receives auto-replies and ordinary mail (default
	// Ignored).
	IgnoredFolder string
	// QuarantineFolder receives messages that could not be decoded
	// (default Quarantine).
	QuarantineFolder string
	// NoCreateFolders turns off the creation of missing folders; by
	// default a folder above is created the first time a message is moved
	// to it and the server says it does not exist (TRYCREATE). A folder
	// that cannot be created, or that refuses a MOVE, holds back only the
	// messages bound for it.
	NoCreateFolders bool

	// After is what is done with a handled bounce (default move).
	After AfterAction
	// Flag is the keyword set on processed bounces in flag mode (default
	// $BouncedProcessed).
	Flag string

	// BatchSize is the number of UIDs per UID FETCH of sizes (default
	// 500); bodies are then fetched in chunks of at most 16 MiB.
	BatchSize int
	// MoveBatchSize is the most handled messages moved (or flagged) with
	// one command (default 2000). Handled messages wait for the next
	// flush, which comes when MoveBatchSize of them are waiting or the
	// mailbox has been read to its end; until then a crash means they are
	// handled again (harmlessly: handlers are idempotent). Larger sets cost
	// the server less: Dovecot rescans a Maildir on every MOVE.
	MoveBatchSize int
	// Concurrency is how many messages are handled at once (default 64):
	// handlers mostly wait on Redis and NATS, so many in flight keep both
	// busy.
	Concurrency int
	// MaxMessageSize is the largest message fetched whole (default 10
	// MiB); only the first MaxMessageSize bytes of a larger message are
	// fetched, and the Message is marked Truncated.
	MaxMessageSize int64
	// PollInterval is the wait between polls when the server has no IDLE
	// (default 30s).
	PollInterval time.Duration
	// IdleRefresh is the longest an IDLE runs before it is restarted and
	// the mailbox polled (default 25m, under the 30 minutes of RFC 2177).
	IdleRefresh time.Duration
	// BackoffMin and BackoffMax bound the exponential, fully jittered wait
	// before a reconnect or a retry after a handler error (defaults 1s and
	// 2m).
	BackoffMin, BackoffMax time.Duration
	// StopGrace is how long a stopping worker lets the messages being
	// handled finish and moves the handled ones (default 10s); then it
	// closes the connection, and what is left is handled again at the next
	// start.
	StopGrace time.Duration

	// MaxAttempts is how many transient handler failures of one message,
	// counted as Check says, are allowed before the message is quarantined
	// (default 10).
	MaxAttempts int
	// Check, when not nil, reports whether what the Handler depends on
	// (the store, the event stream) is up. It is called after a transient
	// handler failure: the failure counts against MaxAttempts only when
	// Check returns nil, so that an outage never quarantines a message.
	// With a nil Check every transient failure counts.
	Check func(ctx context.Context) error
	// GiveUp, when not nil, is called before a message is quarantined
	// after MaxAttempts failures, with the last error (to publish an
	// event, say). A non-nil error leaves the message where it is, for the
	// next attempt. It must be idempotent.
	GiveUp func(ctx context.Context, m *Message, last error) error
	// StallAfter is how long messages may wait without one of them being
	// moved before Status reports the mailbox Stalled (default 5m).
	StallAfter time.Duration
}

// Validate fills in the defaults and reports the first invalid setting.
func (c *Config) Validate() error {
	if c.Username == "" {
		return errors.New("mailbox: username is required")
	}
	if c.Name == "" {
		c.Name = c.Username
	}

	if c.TLS == "" {
		c.TLS = TLSImplicit
	}
	switch c.TLS {
	case TLSImplicit, TLSStartTLS:
	case TLSPlain:
		if !c.AllowPlain {
			return errors.New("mailbox: tls plain sends the password in clear and needs allow_plain")
		}
	default:
		return fmt.Errorf("mailbox: unknown tls mode %q (want implicit, starttls or plain)", c.TLS)
	}

	if c.Addr == "" {
		return errors.New("mailbox: addr is required")
	}
	if _, _, err := net.SplitHostPort(c.Addr); err != nil && !strings.Contains(c.Addr, "://") {
		port := "143"
		if c.TLS == TLSImplicit {
			port = "993"
		}
		c.Addr = net.JoinHostPort(strings.TrimSuffix(strings.TrimPrefix(c.Addr, "["), "]"), port)
	}
	if err := checkAddr(c.Addr); err != nil {
		return err
	}

	if c.Auth == "" {
		c.Auth = AuthLogin
	}
	switch c.Auth {
	case AuthLogin, AuthPlain:
		if c.Password == "" {
			return fmt.Errorf("mailbox: auth %s needs a password", c.Auth)
		}
	case AuthXOAUTH2:
		if c.Token == nil && c.OAuth2 == nil {
			return errors.New("mailbox: auth xoauth2 needs a token source")
		}
		if c.Token != nil && c.OAuth2 != nil {
			return errors.New("mailbox: auth xoauth2 takes a token source or oauth2 settings, not both")
		}
		if c.OAuth2 != nil {
			if err := c.OAuth2.validate(); err != nil {
				return err
			}
		}
	default:
		return fmt.Errorf("mailbox: unknown auth method %q (want login, plain or xoauth2)", c.Auth)
	}

	def := func(p *string, v string) {
		if *p == "" {
			*p = v
		}
	}
	def(&c.Mailbox, DefaultMailbox)
	def(&c.ProcessedFolder, DefaultProcessedFolder)
	def(&c.IgnoredFolder, DefaultIgnoredFolder)
	def(&c.QuarantineFolder, DefaultQuarantineFolder)
	def(&c.Flag, DefaultFlag)

	if c.After == "" {
		c.After = AfterMove
	}
	if c.After != AfterMove && c.After != AfterFlag {
		return fmt.Errorf("mailbox: unknown after action %q (want move or flag)", c.After)
	}
	// Moving a message into the mailbox it came from would hand it to the
	// handler again and again.
	for _, f := range []struct{ name, v string }{
		{"processed folder", c.ProcessedFolder},
		{"ignored folder", c.IgnoredFolder},
		{"quarantine folder", c.QuarantineFolder},
	} {
		if f.name == "processed folder" && c.After == AfterFlag {
			continue
		}
		if sameMailbox(f.v, c.Mailbox) {
			return fmt.Errorf("mailbox: %s %q is the watched mailbox", f.name, f.v)
		}
	}
	if err := checkKeyword(c.Flag); err != nil {
		return err
	}

	if c.BatchSize == 0 {
		c.BatchSize = DefaultBatchSize
	}
	if c.Concurrency == 0 {
		c.Concurrency = DefaultConcurrency
	}
	if c.MoveBatchSize == 0 {
		c.MoveBatchSize = DefaultMoveBatchSize
	}
	if c.MoveBatchSize < 0 {
		return fmt.Errorf("mailbox: move batch size %d is negative", c.MoveBatchSize)
	}
	if c.Concurrency < 0 {
		return fmt.Errorf("mailbox: concurrency %d is negative", c.Concurrency)
	}
	if c.BatchSize < 0 {
		return fmt.Errorf("mailbox: batch size %d is negative", c.BatchSize)
	}
	if c.MaxAttempts == 0 {
		c.MaxAttempts = DefaultMaxAttempts
	}
	if c.MaxAttempts < 0 {
		return fmt.Errorf("mailbox: max attempts %d is negative", c.MaxAttempts)
	}
	if c.MaxMessageSize == 0 {
		c.MaxMessageSize = DefaultMaxMessageSize
	}
	if c.MaxMessageSize < 0 || c.MaxMessageSize > 1<<32-1 {
		return fmt.Errorf("mailbox: max message size %d out of range", c.MaxMessageSize)
	}
	for _, d := range []struct {
		name string
		p    *time.Duration
		def  time.Duration
	}{
		{"poll interval", &c.PollInterval, DefaultPollInterval},
		{"idle refresh", &c.IdleRefresh, DefaultIdleRefresh},
		{"backoff min", &c.BackoffMin, DefaultBackoffMin},
		{"backoff max", &c.BackoffMax, DefaultBackoffMax},
		{"stop grace", &c.StopGrace, DefaultStopGrace},
		{"stall after", &c.StallAfter, DefaultStallAfter},
	} {
		if *d.p == 0 {
			*d.p = d.def
		}
		if *d.p < 0 {
			return fmt.Errorf("mailbox: %s %v is negative", d.name, *d.p)
		}
	}
	if c.BackoffMax < c.BackoffMin {
		return fmt.Errorf("mailbox: backoff max %v is below backoff min %v", c.BackoffMax, c.BackoffMin)
	}
	return nil
}

// checkAddr reports whether addr is host:port with a numeric port.
func checkAddr(addr string) error {
	host, port, err := net.SplitHostPort(addr)
	if err != nil {
		return fmt.Errorf("mailbox: addr %q: %w", addr, err)
	}
	if n, err := strconv.Atoi(port); err != nil || n < 1 || n > 65535 {
		return fmt.Errorf("mailbox: addr %q: want host:port with a port number", addr)
	}
	if host == "" || strings.ContainsAny(host, "/ ") {
		return fmt.Errorf("mailbox: addr %q: want host:port", addr)
	}
	return nil
}

// sameMailbox reports whether a and b name the same mailbox; INBOX is
// case-insensitive (RFC 9051 section 5.1).
func sameMailbox(a, b string) bool {
	if strings.EqualFold(a, "INBOX") && strings.EqualFold(b, "INBOX") {
		return true
	}
	return a == b
}

// checkKeyword reports whether flag can be sent as a flag-keyword atom, or
// is one of the system flags a user may want instead (RFC 9051 section 9,
// flag-keyword and atom-specials).
func checkKeyword(flag string) error {
	if strings.HasPrefix(flag, `\`) {
		switch strings.ToLower(flag) {
		case `\seen`, `\flagged`, `\answered`:
			return nil
		}
		return fmt.Errorf(`mailbox: flag %q: only \Seen, \Flagged and \Answered system flags may be used`, flag)
	}
	for _, r := range flag {
		if r <= ' ' || r >= 0x7f || strings.ContainsRune(`(){%*"\]`, r) {
			return fmt.Errorf("mailbox: flag %q: %q is not allowed in a keyword", flag, r)
		}
	}
	return nil
}

// tlsConfig returns the TLS settings for the connection.
func (c *Config) tlsConfig() *tls.Config {
	name := c.TLSServerName
	if name == "" {
		name, _, _ = net.SplitHostPort(c.Addr)
	}
	return &tls.Config{
		ServerName:         name,
		RootCAs:            c.TLSRootCAs,
		InsecureSkipVerify: c.TLSInsecureSkipVerify, //nolint:gosec // opt-in, tests only
		MinVersion:         tls.VersionTLS12,
	}
}
