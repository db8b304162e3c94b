// Package config reads the configuration of `bounced run`: one YAML file,
// decoded strictly (an unknown key is an error), every key with a default,
// every key overridable by an environment variable, secrets taken from the
// environment or from files, and the whole validated at start.
//
// Environment overrides are named after the key path, upper-cased and
// joined by underscores under the prefix BOUNCED_: redis.url is
// BOUNCED_REDIS_URL, mailboxes[0].password is BOUNCED_MAILBOXES_0_PASSWORD.
// A secret value of the form "env:NAME" is read from the environment
// variable NAME, and "file:/path" from the file (trailing newline trimmed).
package config

import (
	"bytes"
	"errors"
	"fmt"
	"io"
	"os"
	"reflect"
	"strconv"
	"strings"
	"time"

	"gopkg.in/yaml.v3"

	"github.com/bounced-dev/bounced/bounce"
	"github.com/bounced-dev/bounced/classify"
	"github.com/bounced-dev/bounced/internal/httpapi"
	"github.com/bounced-dev/bounced/internal/lease"
	"github.com/bounced-dev/bounced/internal/mailbox"
	"github.com/bounced-dev/bounced/internal/pipeline"
	"github.com/bounced-dev/bounced/internal/suppress"
	"github.com/bounced-dev/bounced/publisher"
	"github.com/bounced-dev/bounced/verp"
)

// EnvPrefix starts the name of every environment override.
const EnvPrefix = "BOUNCED_"

// Config is the whole configuration of the daemon.
type Config struct {
	// Log configures logging.
	Log Log `yaml:"log"`
	// HTTP configures the health, metrics and suppression API server.
	HTTP HTTP `yaml:"http"`
	// Redis is the suppression store.
	Redis Redis `yaml:"redis"`
	// Policy decides when a bounce suppresses an address.
	Policy Policy `yaml:"policy"`
	// NATS is where events are published.
	NATS NATS `yaml:"nats"`
	// Decode tunes the bounce decoder.
	Decode Decode `yaml:"decode"`
	// Classify tunes the classifier.
	Classify Classify `yaml:"classify"`
	// Mailboxes are the return-path mailboxes watched, one worker each.
	Mailboxes []Mailbox `yaml:"mailboxes"`
	// VERP configures signed return paths (docs/verp.md).
	VERP VERP `yaml:"verp"`
	// Webhooks are the HTTP endpoints events are POSTed to (docs/webhooks.md).
	Webhooks []Webhook `yaml:"webhooks"`
	// Raw keeps the raw bytes of every handled message (internal/rawstore).
	Raw Raw `yaml:"raw"`
	// Inbound are the ESP webhooks received (docs/webhooks-in.md).
	Inbound Inbound `yaml:"inbound"`
	// Lease configures the lease per mailbox (several processes; lease.go).
	Lease Lease `yaml:"lease"`
}

// Webhook is one endpoint that receives events as signed HTTP POSTs
// (Standard Webhooks), each from its own durable JetStream consumer.
type Webhook struct {
	// Name names the endpoint, its consumer and its dead-letter subject:
	// a-z, 0-9, '_' and '-' (required, unique).
	Name string `yaml:"name"`
	// URL receives the POSTs (https://, or http:// for a local receiver).
	URL string `yaml:"url"`
	// Secret signs every POST: whsec_ followed by 24 to 64 random bytes in
	// base64 (a secret; env:NAME or file:/path). `bounced webhooks secret`
	// makes one.
	Secret Secret `yaml:"secret"`
	// Events lists the event types sent (bounce, delay, complaint,
	// suppression.added, suppression.removed, unparseable); empty sends all.
	Events []string `yaml:"events"`
	// Description says what the endpoint is for, for operators.
	Description string `yaml:"description"`
	// Timeout bounds one POST (default 15s).
	Timeout Duration `yaml:"timeout"`
	// MaxAttempts is how many POSTs of one event fail before it moves to
	// the dead-letter subject (default 10).
	MaxAttempts int `yaml:"max_attempts"`
	// RetryMin is the wait after the first failure (default 5s); each
	// further wait is four times longer, up to RetryMax (default 24h).
	RetryMin Duration `yaml:"retry_min"`
	// RetryMax caps the wait between attempts (default 24h).
	RetryMax Duration `yaml:"retry_max"`
	// TLSCAFile is a PEM file of CAs to trust for the URL instead of the
	// system's (empty). Certificates are always verified.
	TLSCAFile string `yaml:"tls_ca_file"`
}

// Raw configures the content-addressed store of raw messages: each
// message handled is kept, compressed, under the SHA-256 of its bytes,
// which the record and the events carry ("raw"), for the API's
// /api/v1/bounces/{hash}/raw and reprocessing.
type Raw struct {
	// Dir is the store's directory; "" keeps no raw message (default "").
	Dir string `yaml:"dir"`
	// RetentionDays is how many days a message is kept after it was last
	// handled (default 30).
	RetentionDays int `yaml:"retention_days"`
}

// VERP configures signed VERP return paths: the envelope senders that
// `bounced verp sign` and package verp make, and the check of every
// bounce against them (docs/verp.md).
type VERP struct {
	// ReturnPath is the pattern of the signed return path, with {token},
	// {local} and {domain}, e.g. bounces+{token}+{local}={domain}@shop.example.
	// Required with Secrets; the decoder also reads recipients from it.
	ReturnPath string `yaml:"return_path"`
	// Secrets are the HMAC keys (secrets: env:NAME or file:/path). The
	// first signs, all verify: rotate by adding a new one in front. Each
	// needs at least 32 characters (openssl rand -hex 32) with at least 8
	// different ones.
	Secrets []Secret `yaml:"secrets"`
	// RequireSigned makes a bounce or complaint without a valid token for
	// its recipient unable to suppress: it is recorded and published as
	// unverified. Without it such bounces suppress as before (default false).
	RequireSigned bool `yaml:"require_signed"`
	// MaxAge, when positive, refuses tokens older than this (rounded up to
	// whole days), e.g. 1080h; 0 accepts any age (default 0).
	MaxAge Duration `yaml:"max_age"`
}

// Signer returns the signer the VERP section describes, or nil when it has
// no secret.
func (v VERP) Signer() (*verp.Signer, error) {
	if len(v.Secrets) == 0 {
		return nil, nil
	}
	keys := make([][]byte, len(v.Secrets))
	for i, s := range v.Secrets {
		keys[i] = []byte(s.Value())
	}
	s, err := verp.New(verp.Config{Pattern: v.ReturnPath, Secrets: keys, MaxAge: v.MaxAge.D()})
	if err != nil {
		return nil, fmt.Errorf("config: verp: %w", err)
	}
	return s, nil
}

// Log configures logging.
type Log struct {
	// Level is debug, info, warn or error (default info).
	Level string `yaml:"level"`
	// Format is text or json (default text).
	Format string `yaml:"format"`
}

// HTTP configures the HTTP server.
type HTTP struct {
	// Listen is the address of the HTTP server, "" to disable (default 127.0.0.1:8025).
	Listen string `yaml:"listen"`
	// ReadToken is the bearer token for reads of personal data: the
	// suppression list and one address (the write token reads too).
	// Without it (and without WriteToken) reads are refused.
	ReadToken Secret `yaml:"read_token"`
	// WriteToken is the bearer token for changes (lifting a suppression)
	// and reads. Without it changes are refused.
	WriteToken Secret `yaml:"write_token"`
	// Token is the deprecated single token, meaning both ReadToken and
	// WriteToken; it cannot be combined with them.
	Token Secret `yaml:"token"`
	// MaxConnections is the most connections served at once (default
	// 256); beyond it the connection idle longest is closed.
	MaxConnections int `yaml:"max_connections"`
	// ReadHeaderTimeout is how long a client has to send its request
	// headers (default 5s).
	ReadHeaderTimeout Duration `yaml:"read_header_timeout"`
	// ReadTimeout is how long a client has to send a whole request (default 30s).
	ReadTimeout Duration `yaml:"read_timeout"`
	// WriteTimeout is how long an answer may take (default 60s).
	WriteTimeout Duration `yaml:"write_timeout"`
	// IdleTimeout closes a keep-alive connection idle this long (default 60s).
	IdleTimeout Duration `yaml:"idle_timeout"`
}

// MinTokenLength is the shortest HTTP token accepted.
const MinTokenLength = 16

// exampleTokens are tokens printed in this project's examples (the compose
// file, the documentation) and common placeholders: a daemon configured
// with one would be open to anyone who read them.
var exampleTokens = []string{
	"change-me", "change-me-too", "changeme", "change_me", "changeit", "secret", "token", "password",
	"example", "example-token", "test", "admin", "bounced", "replace-me", "xxxxxxxxxxxxxxxx",
	"0123456789abcdef", "your-token-here", "my-secret-token",
}

// weakToken says what is wrong with an HTTP token, or "" when nothing is.
func weakToken(t string) string {
	lower := strings.ToLower(t)
	for _, e := range exampleTokens {
		if lower == e {
			return "is an example token: make a random one (openssl rand -hex 32)"
		}
	}
	if strings.HasPrefix(lower, "change-me") || strings.HasPrefix(lower, "changeme") {
		return "is an example token: make a random one (openssl rand -hex 32)"
	}
	if len(t) < MinTokenLength {
		return fmt.Sprintf("is shorter than %d characters: make a random one (openssl rand -hex 32)", MinTokenLength)
	}
	distinct := map[rune]bool{}
	for _, r := range t {
		distinct[r] = true
	}
	if len(distinct) < 8 {
		return "has fewer than 8 distinct characters: make a random one (openssl rand -hex 32)"
	}
	return ""
}

// Redis configures the suppression store.
type Redis struct {
	// URL is redis://[user:pass@]host:port/db or rediss:// for TLS
	// (default redis://127.0.0.1:6379/0). Addrs, when set, wins.
	URL string `yaml:"url"`
	// Addrs lists servers for Sentinel or Cluster (with MasterName for Sentinel).
	Addrs []string `yaml:"addrs"`
	// MasterName selects Redis Sentinel.
	MasterName string `yaml:"master_name"`
	// Username and Password authenticate (Password is a secret).
	Username string `yaml:"username"`
	Password Secret `yaml:"password"`
	// DB is the database number (default 0).
	DB int `yaml:"db"`
	// TLS turns on TLS (also implied by a rediss:// URL).
	TLS bool `yaml:"tls"`
	// TLSCAFile is a PEM file of CAs to trust; empty means the system's.
	TLSCAFile string `yaml:"tls_ca_file"`
	// TLSServerName overrides the name checked in the server's certificate.
	TLSServerName string `yaml:"tls_server_name"`
	// TLSInsecureSkipVerify disables certificate checks (tests only).
	TLSInsecureSkipVerify bool `yaml:"tls_insecure_skip_verify"`
	// Prefix starts every key (default "{bounced}": the braces keep all keys
	// in one Redis Cluster hash slot).
	Prefix string `yaml:"prefix"`
	// WaitReplicas is how many replicas must acknowledge each write (Redis
	// WAIT) before it counts as done (default 0: none). With a replica
	// set, 1 keeps a failover from losing a write the master had
	// answered; see docs/clusters.md.
	WaitReplicas int `yaml:"wait_replicas"`
	// WaitTimeout is how long a write waits for them (default 1s); a write
	// too few acknowledged in time is retried.
	WaitTimeout Duration `yaml:"wait_timeout"`
}

// Policy decides when a bounce suppresses an address.
type Policy struct {
	// SoftThreshold soft bounces within SoftWindow suppress (default 3).
	SoftThreshold int `yaml:"soft_threshold"`
	// SoftWindow is the window soft bounces are counted in (default 168h).
	SoftWindow Duration `yaml:"soft_window"`
	// SoftExpiry is how long a soft suppression lasts (default 720h).
	SoftExpiry Duration `yaml:"soft_expiry"`
	// ComplaintScope is the scope complaints suppress: all, transactional,
	// marketing or a stream of Streams (default marketing).
	ComplaintScope string `yaml:"complaint_scope"`
	// Reasons is the policy per reason or category (a reason's beats its
	// category's), merged into the defaults; see Reason and the README.
	Reasons map[string]Reason `yaml:"reasons"`
	// Streams are the shop's own scopes (message streams) besides all,
	// transactional and marketing.
	Streams []string `yaml:"streams"`
	// Allow are addresses and domains never suppressed.
	Allow []string `yaml:"allow"`
	// Outage configures the sender-side outage detector.
	Outage Outage `yaml:"outage"`
}

// NATS configures the event stream.
type NATS struct {
	// URL of the NATS server (nats:// or tls://). Empty starts an embedded
	// NATS server with JetStream on DataDir.
	URL string `yaml:"url"`
	// DataDir is the embedded server's JetStream directory (default ./data/nats).
	DataDir string `yaml:"data_dir"`
	// Listen is host:port the embedded server accepts clients on, so
	// that other systems can subscribe (default 127.0.0.1:4222; port 0
	// picks a free one). A non-loopback address needs ListenUser and
	// ListenPassword, or ListenToken.
	Listen string `yaml:"listen"`
	// ListenUser and ListenPassword, when set, are required of every
	// client of the embedded server (bounced uses them too).
	ListenUser     string `yaml:"listen_user"`
	ListenPassword Secret `yaml:"listen_password"`
	// ListenToken, when set, is required of every client of the embedded
	// server instead of a user and password.
	ListenToken Secret `yaml:"listen_token"`
	// Stream is the JetStream stream name (default BOUNCED).
	Stream string `yaml:"stream"`
	// SubjectPrefix starts every subject (default bounced).
	SubjectPrefix string `yaml:"subject_prefix"`
	// Replicas of the stream (default 1).
	Replicas int `yaml:"replicas"`
	// MaxAge of events in the stream (default 720h).
	MaxAge Duration `yaml:"max_age"`
	// DuplicateWindow is how long Nats-Msg-Id deduplicates (default 24h).
	DuplicateWindow Duration `yaml:"duplicate_window"`
	// Token, User, Password, CredsFile and NKeyFile authenticate.
	Token     Secret `yaml:"token"`
	User      string `yaml:"user"`
	Password  Secret `yaml:"password"`
	CredsFile string `yaml:"creds_file"`
	NKeyFile  string `yaml:"nkey_file"`
	// TLS turns on TLS (also implied by a tls:// URL).
	TLS bool `yaml:"tls"`
	// TLSCAFile, TLSCertFile and TLSKeyFile are PEM files for TLS.
	TLSCAFile   string `yaml:"tls_ca_file"`
	TLSCertFile string `yaml:"tls_cert_file"`
	TLSKeyFile  string `yaml:"tls_key_file"`
	// TLSInsecureSkipVerify disables certificate checks (tests only).
	TLSInsecureSkipVerify bool `yaml:"tls_insecure_skip_verify"`
}

// Decode tunes the bounce decoder.
type Decode struct {
	// MaxSize is the largest message decoded, in bytes (default 32 MiB).
	MaxSize int64 `yaml:"max_size"`
	// MaxDepth is the deepest MIME nesting followed (default 20).
	MaxDepth int `yaml:"max_depth"`
	// VERP lists return-path patterns like bounces+{local}={domain}@shop.example.
	VERP []string `yaml:"verp"`
	// Headers lists headers of the original message copied into events
	// (for example X-Customer-ID).
	Headers []string `yaml:"headers"`
}

// Classify tunes the classifier.
type Classify struct {
	// RulesFile is an operator's rules file added to the built-in rules
	// (the format of classify/rules/*.tsv, see classify/doc.go): its
	// wordings are tried first and replace the same built-in wordings.
	// A bad file is refused at start with its line number. "" for none.
	RulesFile string `yaml:"rules_file"`
}

// Mailbox is one watched IMAP mailbox.
type Mailbox struct {
	// Name names the worker in logs and checkpoints (default the username).
	Name string `yaml:"name"`
	// Addr is host:port of the IMAP server (required).
	Addr string `yaml:"addr"`
	// TLS is implicit (default), starttls, or plain (needs AllowPlain).
	TLS string `yaml:"tls"`
	// AllowPlain permits an unencrypted connection.
	AllowPlain bool `yaml:"allow_plain"`
	// TLSCAFile is a PEM file of CAs to trust; empty means the system's.
	TLSCAFile string `yaml:"tls_ca_file"`
	// TLSServerName overrides the name checked in the certificate.
	TLSServerName string `yaml:"tls_server_name"`
	// TLSInsecureSkipVerify disables certificate checks (tests only).
	TLSInsecureSkipVerify bool `yaml:"tls_insecure_skip_verify"`
	// Username logs in (required).
	Username string `yaml:"username"`
	// Password is the password (a secret), for login and plain.
	Password Secret `yaml:"password"`
	// Auth is login (default), plain, or xoauth2.
	Auth string `yaml:"auth"`
	// TokenFile holds an OAuth2 access token, read at every connect (xoauth2).
	TokenFile string `yaml:"token_file"`
	// TokenCommand prints an OAuth2 access token, run at every connect (xoauth2).
	TokenCommand string `yaml:"token_command"`
	// OAuth2 gets the access tokens for xoauth2 with a refresh token,
	// refreshed before they expire (instead of TokenFile or TokenCommand).
	OAuth2 OAuth2 `yaml:"oauth2"`
	// Mailbox is the folder watched (default INBOX).
	Mailbox string `yaml:"mailbox"`
	// ProcessedFolder receives handled bounces (default Processed).
	ProcessedFolder string `yaml:"processed_folder"`
	// IgnoredFolder receives auto-replies and ordinary mail (default Ignored).
	IgnoredFolder string `yaml:"ignored_folder"`
	// QuarantineFolder receives messages that could not be decoded (default Quarantine).
	QuarantineFolder string `yaml:"quarantine_folder"`
	// After is move (default) or flag: what is done with a handled bounce.
	After string `yaml:"after"`
	// BatchSize is the number of messages whose sizes are fetched at once (default 500).
	BatchSize int `yaml:"batch_size"`
	// MoveBatchSize is the most handled messages moved or flagged with one
	// command (default 2000): the server's cost per MOVE grows with the
	// mailbox, so large sets drain a backlog faster.
	MoveBatchSize int `yaml:"move_batch_size"`
	// Concurrency is how many messages are handled at once (default 64).
	Concurrency int `yaml:"concurrency"`
	// MaxMessageSize is the largest message fetched whole (default 10 MiB).
	MaxMessageSize int64 `yaml:"max_message_size"`
	// PollInterval is the wait between polls without IDLE (default 30s).
	PollInterval Duration `yaml:"poll_interval"`
	// IdleRefresh restarts IDLE this often (default 25m).
	IdleRefresh Duration `yaml:"idle_refresh"`
	// StopGrace is how long a stopping daemon lets the messages being
	// handled finish and moves the handled ones (default 10s).
	StopGrace Duration `yaml:"stop_grace"`
	// BackoffMin and BackoffMax bound the jittered, doubling wait before
	// a reconnect or a retry after a failure (defaults 1s and 2m): a
	// shorter cap comes back sooner after an outage, a longer one spares a
	// server that is down.
	BackoffMin Duration `yaml:"backoff_min"`
	BackoffMax Duration `yaml:"backoff_max"`
	// MaxAttempts is how many times a message may fail, with Redis and
	// NATS up, before it is quarantined (default 10). Failures during an
	// outage do not count.
	MaxAttempts int `yaml:"max_attempts"`
	// StallAfter is how long messages may wait with none moved before
	// /readyz reports the mailbox stalled (default 5m).
	StallAfter Duration `yaml:"stall_after"`
	// MaxRecipients is the most recipients one message may name (default
	// 200, negative for no cap); a report naming more is quarantined
	// unapplied. Without a cap, the decoder still reads at most 10,000
	// recipients of one report (bounce.DefaultMaxRecipients): a report
	// naming more is quarantined as unparseable.
	MaxRecipients int `yaml:"max_recipients"`
	// MaxNewSuppressionsPerMinute is the most new suppressions this
	// mailbox may cause in a minute (default 500, negative for no limit);
	// past it, messages that could suppress more are quarantined
	// unapplied and one alert event is published.
	MaxNewSuppressionsPerMinute int `yaml:"max_new_suppressions_per_minute"`
}

// Default returns the configuration with every default filled in and no
// mailbox. It is the one place the daemon's defaults are put together:
// each value is the default of the package that implements the setting
// (httpapi, suppress, publisher, bounce, lease; mailbox and pipeline for
// a mailbox's, see mailboxDefaults), so that the daemon and a program
// using the package with zero options agree.
func Default() Config {
	rules := suppress.DefaultRules()
	soft := rules[suppress.RuleDefault]
	return Config{
		Log: Log{Level: "info", Format: "text"},
		HTTP: HTTP{Listen: "127.0.0.1:8025", MaxConnections: httpapi.DefaultMaxConns,
			ReadHeaderTimeout: Duration(httpapi.DefaultReadHeaderTimeout), ReadTimeout: Duration(httpapi.DefaultReadTimeout),
			WriteTimeout: Duration(httpapi.DefaultWriteTimeout), IdleTimeout: Duration(httpapi.DefaultIdleTimeout)},
		Redis: Redis{URL: "redis://127.0.0.1:6379/0", Prefix: suppress.DefaultPrefix},
		Policy: Policy{SoftThreshold: soft.Threshold, SoftWindow: Duration(soft.Window), SoftExpiry: Duration(soft.Expiry),
			ComplaintScope: rules[string(classify.CatComplaint)].Scope},
		NATS: NATS{DataDir: "data/nats", Listen: "127.0.0.1:4222", Stream: publisher.DefaultStreamName,
			SubjectPrefix: publisher.DefaultSubjectPrefix, Replicas: 1,
			MaxAge: Duration(publisher.DefaultMaxAge), DuplicateWindow: Duration(publisher.DefaultDuplicateWindow)},
		Decode: Decode{MaxSize: bounce.DefaultMaxSize, MaxDepth: bounce.DefaultMaxDepth},
		// The lease package retries every TTL/6.
		Lease: Lease{Enabled: true, TTL: Duration(lease.DefaultTTL), RetryInterval: Duration(lease.DefaultTTL / 6)},
	}
}

func mailboxDefaults(m *Mailbox) {
	def := func(p *string, v string) {
		if *p == "" {
			*p = v
		}
	}
	def(&m.TLS, "implicit")
	def(&m.Auth, "login")
	def(&m.Mailbox, mailbox.DefaultMailbox)
	def(&m.ProcessedFolder, mailbox.DefaultProcessedFolder)
	def(&m.IgnoredFolder, mailbox.DefaultIgnoredFolder)
	def(&m.QuarantineFolder, mailbox.DefaultQuarantineFolder)
	def(&m.After, "move")
	def(&m.Name, m.Username)
	oauth2Defaults(&m.OAuth2)
	if m.BatchSize == 0 {
		m.BatchSize = mailbox.DefaultBatchSize
	}
	if m.MoveBatchSize == 0 {
		m.MoveBatchSize = mailbox.DefaultMoveBatchSize
	}
	if m.Concurrency == 0 {
		m.Concurrency = mailbox.DefaultConcurrency
	}
	if m.MaxMessageSize == 0 {
		m.MaxMessageSize = mailbox.DefaultMaxMessageSize
	}
	if m.PollInterval == 0 {
		m.PollInterval = Duration(mailbox.DefaultPollInterval)
	}
	if m.IdleRefresh == 0 {
		m.IdleRefresh = Duration(mailbox.DefaultIdleRefresh)
	}
	if m.StopGrace == 0 {
		m.StopGrace = Duration(mailbox.DefaultStopGrace)
	}
	if m.BackoffMin == 0 {
		m.BackoffMin = Duration(mailbox.DefaultBackoffMin)
	}
	if m.BackoffMax == 0 {
		m.BackoffMax = Duration(mailbox.DefaultBackoffMax)
	}
	if m.MaxAttempts == 0 {
		m.MaxAttempts = mailbox.DefaultMaxAttempts
	}
	if m.StallAfter == 0 {
		m.StallAfter = Duration(mailbox.DefaultStallAfter)
	}
	if m.MaxRecipients == 0 {
		m.MaxRecipients = pipeline.DefaultMaxRecipients
	}
	if m.MaxNewSuppressionsPerMinute == 0 {
		m.MaxNewSuppressionsPerMinute = pipeline.DefaultMaxNewSuppressionsPerMin
	}
}

// Load reads the file at path (none when path is ""), applies the
// environment overrides of environ (os.Environ() form), resolves secrets,
// fills defaults and validates.
func Load(path string, environ []string) (*Config, error) {
	c := Default()
	if path != "" {
		b, err := os.ReadFile(path)
		if err != nil {
			return nil, fmt.Errorf("config: %w", err)
		}
		if err := Parse(b, &c); err != nil {
			return nil, fmt.Errorf("config: %s: %w", path, err)
		}
	}
	env := map[string]string{}
	for _, kv := range environ {
		if k, v, ok := strings.Cut(kv, "="); ok {
			env[k] = v
		}
	}
	if err := applyEnv(&c, env); err != nil {
		return nil, err
	}
	if err := resolveSecrets(&c, env); err != nil {
		return nil, err
	}
	for i := range c.Mailboxes {
		mailboxDefaults(&c.Mailboxes[i])
	}
	for i := range c.Webhooks {
		webhookDefaults(&c.Webhooks[i])
	}
	if err := c.Validate(); err != nil {
		return nil, err
	}
	// The deprecated http.token is both tokens.
	if c.HTTP.Token != "" {
		c.HTTP.ReadToken, c.HTTP.WriteToken = c.HTTP.Token, c.HTTP.Token
	}
	return &c, nil
}

// Parse decodes YAML strictly into c: unknown keys are errors.
func Parse(b []byte, c *Config) error {
	dec := yaml.NewDecoder(bytes.NewReader(b))
	dec.KnownFields(true)
	if err := dec.Decode(c); err != nil && !errors.Is(err, io.EOF) {
		return err
	}
	return nil
}

// Validate checks the configuration and says what is wrong, every problem
// at once.
func (c *Config) Validate() error {
	var errs []error
	bad := func(format string, a ...any) { errs = append(errs, fmt.Errorf("config: "+format, a...)) }
	switch c.Log.Level {
	case "debug", "info", "warn", "error":
	default:
		bad("log.level %q: want debug, info, warn or error", c.Log.Level)
	}
	if c.Log.Format != "text" && c.Log.Format != "json" {
		bad("log.format %q: want text or json", c.Log.Format)
	}
	if c.HTTP.Token != "" && (c.HTTP.ReadToken != "" || c.HTTP.WriteToken != "") {
		bad("http.token is the deprecated form of http.read_token and http.write_token: set either it or them")
	}
	for _, tok := range []struct {
		key string
		val Secret
	}{{"http.token", c.HTTP.Token}, {"http.read_token", c.HTTP.ReadToken}, {"http.write_token", c.HTTP.WriteToken}} {
		if tok.val == "" {
			continue
		}
		if why := weakToken(tok.val.Value()); why != "" {
			bad("%s %s", tok.key, why)
		}
	}
	if c.HTTP.MaxConnections < 1 || c.HTTP.MaxConnections > 100000 {
		bad("http.max_connections %d: want 1 to 100000", c.HTTP.MaxConnections)
	}
	if c.HTTP.ReadHeaderTimeout <= 0 || c.HTTP.ReadTimeout <= 0 || c.HTTP.WriteTimeout <= 0 || c.HTTP.IdleTimeout <= 0 {
		bad("http.read_header_timeout, http.read_timeout, http.write_timeout and http.idle_timeout must be positive")
	}
	if c.Redis.URL == "" && len(c.Redis.Addrs) == 0 {
		bad("redis.url or redis.addrs is required")
	}
	errs = append(errs, c.Redis.validateCluster()...)
	if c.Redis.WaitReplicas < 0 || c.Redis.WaitTimeout < 0 {
		bad("redis.wait_replicas %d and redis.wait_timeout %s: must not be negative", c.Redis.WaitReplicas, c.Redis.WaitTimeout.D())
	}
	errs = append(errs, c.Lease.validate()...)
	if c.Policy.SoftThreshold < 1 {
		bad("policy.soft_threshold %d: must be at least 1", c.Policy.SoftThreshold)
	}
	if c.Policy.SoftWindow <= 0 || c.Policy.SoftExpiry <= 0 {
		bad("policy.soft_window and policy.soft_expiry must be positive")
	} else if c.Policy.SoftWindow.D() < 24*time.Hour {
		bad("policy.soft_window %s: must be at least 24h (soft bounces are counted on distinct days)", c.Policy.SoftWindow.D())
	}
	// The scopes (complaint_scope among them) are the policy's to check:
	// all, transactional, marketing or a stream of policy.streams.
	if err := c.Policy.Suppress().Validate(); err != nil {
		errs = append(errs, fmt.Errorf("config: %w", err))
	}
	if c.NATS.URL == "" && c.NATS.DataDir == "" {
		bad("nats.data_dir is required for the embedded NATS server (nats.url is empty)")
	}
	if c.NATS.Stream == "" || strings.ContainsAny(c.NATS.Stream, ". *>") {
		bad("nats.stream %q: a stream name without dots, spaces or wildcards is required", c.NATS.Stream)
	}
	if c.NATS.SubjectPrefix == "" || strings.ContainsAny(c.NATS.SubjectPrefix, " *>") {
		bad("nats.subject_prefix %q: a subject without spaces or wildcards is required", c.NATS.SubjectPrefix)
	}
	if c.Decode.MaxSize <= 0 || c.Decode.MaxDepth <= 0 {
		bad("decode.max_size and decode.max_depth must be positive")
	}
	for _, p := range c.Decode.VERP {
		if !strings.Contains(p, "{local}") || !strings.Contains(p, "{domain}") || !strings.Contains(p, "@") {
			bad("decode.verp %q: a pattern needs {local}, {domain} and an @", p)
		}
	}
	errs = append(errs, c.VERP.validate()...)
	if c.Raw.RetentionDays < 0 {
		bad("raw.retention_days must not be negative")
	}
	if c.Classify.RulesFile != "" {
		if _, err := classify.LoadRulesFile(c.Classify.RulesFile); err != nil {
			bad("classify.rules_file: %w", err)
		}
	}
	errs = append(errs, c.NATS.validateListen()...)
	errs = append(errs, validateWebhooks(c.Webhooks)...)
	errs = append(errs, validateInbound(c.Inbound)...)
	names := map[string]bool{}
	for i, m := range c.Mailboxes {
		at := fmt.Sprintf("mailboxes[%d]", i)
		if m.Addr == "" {
			bad("%s.addr is required (host:port)", at)
		} else if !strings.Contains(m.Addr, ":") {
			bad("%s.addr %q: want host:port", at, m.Addr)
		}
		if m.Username == "" {
			bad("%s.username is required", at)
		}
		if names[m.Name] {
			bad("%s.name %q is used twice", at, m.Name)
		}
		names[m.Name] = true
		switch m.TLS {
		case "implicit", "starttls":
		case "plain":
			if !m.AllowPlain {
				bad("%s.tls is plain but allow_plain is not set: the password would cross the network in clear", at)
			}
		default:
			bad("%s.tls %q: want implicit, starttls or plain", at, m.TLS)
		}
		switch m.Auth {
		case "login", "plain":
			if m.Password == "" {
				bad("%s.password is required for auth %s", at, m.Auth)
			}
		case "xoauth2":
			n := 0
			for _, set := range []bool{m.TokenFile != "", m.TokenCommand != "", m.OAuth2.Set()} {
				if set {
					n++
				}
			}
			if n != 1 {
				bad("%s: auth xoauth2 needs one of oauth2, token_file or token_command", at)
			}
			if m.OAuth2.Set() {
				errs = append(errs, m.OAuth2.validate(at)...)
			}
		default:
			bad("%s.auth %q: want login, plain or xoauth2", at, m.Auth)
		}
		if m.After != "move" && m.After != "flag" {
			bad("%s.after %q: want move or flag", at, m.After)
		}
		if m.Concurrency < 1 || m.Concurrency > 256 {
			bad("%s.concurrency %d: want 1 to 256", at, m.Concurrency)
		}
		if m.BatchSize < 1 || m.BatchSize > 10000 {
			bad("%s.batch_size %d: want 1 to 10000", at, m.BatchSize)
		}
		if m.MoveBatchSize < 1 || m.MoveBatchSize > 100000 {
			bad("%s.move_batch_size %d: want 1 to 100000", at, m.MoveBatchSize)
		}
		if m.BackoffMin < 0 || m.BackoffMax < m.BackoffMin {
			bad("%s.backoff_min %s and backoff_max %s: want 0 < backoff_min <= backoff_max", at, m.BackoffMin.D(), m.BackoffMax.D())
		}
		for _, f := range []string{m.ProcessedFolder, m.IgnoredFolder, m.QuarantineFolder} {
			if strings.EqualFold(f, m.Mailbox) {
				bad("%s: folder %q is the watched mailbox itself", at, f)
			}
		}
	}
	return errors.Join(errs...)
}

// validate checks the verp section: every secret strong enough, a pattern
// verp accepts, and secrets when require_signed is set.
func (v VERP) validate() []error {
	var errs []error
	bad := func(format string, a ...any) { errs = append(errs, fmt.Errorf("config: "+format, a...)) }
	if v.RequireSigned && len(v.Secrets) == 0 {
		bad("verp.secrets: verp.require_signed is set but there is no secret to verify with")
	}
	for i, s := range v.Secrets {
		if err := verp.CheckSecret([]byte(s.Value())); err != nil {
			bad("verp.secrets[%d]: %w", i, err)
		}
	}
	if v.ReturnPath == "" {
		if len(v.Secrets) > 0 {
			bad("verp.return_path is required with verp.secrets (e.g. bounces+{token}+{local}={domain}@shop.example)")
		}
	} else if _, err := verp.ParsePattern(v.ReturnPath); err != nil {
		bad("verp.return_path: %w", err)
	}
	if v.MaxAge < 0 {
		bad("verp.max_age %v: must not be negative", v.MaxAge.D())
	}
	return errs
}

// Secret is a configuration value never printed: String and MarshalYAML
// hide it.
type Secret string

// String hides the secret.
func (s Secret) String() string {
	if s == "" {
		return ""
	}
	return "***"
}

// Value returns the secret itself.
func (s Secret) Value() string { return string(s) }

// MarshalYAML hides the secret when a configuration is printed.
func (s Secret) MarshalYAML() (any, error) { return s.String(), nil }

// Duration is a time.Duration written as "30s", "168h".
type Duration time.Duration

// D returns the time.Duration.
func (d Duration) D() time.Duration { return time.Duration(d) }

// UnmarshalYAML reads a Go duration string.
func (d *Duration) UnmarshalYAML(n *yaml.Node) error {
	v, err := time.ParseDuration(n.Value)
	if err != nil {
		return fmt.Errorf("line %d: %q is not a duration (like 30s or 168h): %w", n.Line, n.Value, err)
	}
	*d = Duration(v)
	return nil
}

// MarshalYAML writes a Go duration string.
func (d Duration) MarshalYAML() (any, error) { return time.Duration(d).String(), nil }

// applyEnv sets every field named by an environment variable
// BOUNCED_<PATH>. Mailboxes are addressed by index; an override for an
// index past the end adds mailboxes.
func applyEnv(c *Config, env map[string]string) error {
	// Mailboxes named in the environment beyond the file's list.
	for k := range env {
		rest, ok := strings.CutPrefix(k, EnvPrefix+"MAILBOXES_")
		if !ok {
			continue
		}
		idx, _, _ := strings.Cut(rest, "_")
		if n, err := strconv.Atoi(idx); err == nil && n >= len(c.Mailboxes) && n < 64 {
			c.Mailboxes = append(c.Mailboxes, make([]Mailbox, n+1-len(c.Mailboxes))...)
		}
	}
	return setFromEnv(reflect.ValueOf(c).Elem(), strings.TrimSuffix(EnvPrefix, "_"), env)
}

func setFromEnv(v reflect.Value, name string, env map[string]string) error {
	switch v.Kind() {
	case reflect.Struct:
		t := v.Type()
		for i := 0; i < t.NumField(); i++ {
			tag := strings.Split(t.Field(i).Tag.Get("yaml"), ",")[0]
			if tag == "" || tag == "-" {
				continue
			}
			if err := setFromEnv(v.Field(i), name+"_"+strings.ToUpper(tag), env); err != nil {
				return err
			}
		}
		return nil
	case reflect.Slice:
		if v.Type().Elem().Kind() == reflect.Struct {
			for i := 0; i < v.Len(); i++ {
				if err := setFromEnv(v.Index(i), fmt.Sprintf("%s_%d", name, i), env); err != nil {
					return err
				}
			}
			return nil
		}
	}
	s, ok := env[name]
	if !ok {
		return nil
	}
	if err := setScalar(v, s); err != nil {
		return fmt.Errorf("config: environment %s: %w", name, err)
	}
	return nil
}

func setScalar(v reflect.Value, s string) error {
	if v.Type() == reflect.TypeOf(Duration(0)) {
		d, err := time.ParseDuration(s)
		if err != nil {
			return err
		}
		v.SetInt(int64(d))
		return nil
	}
	switch v.Kind() {
	case reflect.String:
		v.SetString(s)
	case reflect.Bool:
		b, err := strconv.ParseBool(s)
		if err != nil {
			return err
		}
		v.SetBool(b)
	case reflect.Int, reflect.Int64:
		n, err := strconv.ParseInt(s, 10, 64)
		if err != nil {
			return err
		}
		v.SetInt(n)
	case reflect.Slice:
		var parts []string
		for _, p := range strings.Split(s, ",") {
			if p = strings.TrimSpace(p); p != "" {
				parts = append(parts, p)
			}
		}
		sl := reflect.MakeSlice(v.Type(), len(parts), len(parts)) // []string or []Secret
		for i, p := range parts {
			sl.Index(i).SetString(p)
		}
		v.Set(sl)
	default:
		return fmt.Errorf("unsupported type %s", v.Type())
	}
	return nil
}

// resolveSecrets replaces "env:NAME" and "file:/path" secret values by
// what they point at.
func resolveSecrets(c *Config, env map[string]string) error {
	var errs []error
	resolve := func(where string, s *Secret) {
		v := string(*s)
		switch {
		case strings.HasPrefix(v, "env:"):
			name := v[4:]
			val, ok := env[name]
			if !ok {
				errs = append(errs, fmt.Errorf("config: %s: environment variable %s is not set", where, name))
			}
			*s = Secret(val)
		case strings.HasPrefix(v, "file:"):
			b, err := os.ReadFile(v[5:])
			if err != nil {
				errs = append(errs, fmt.Errorf("config: %s: %w", where, err))
			}
			*s = Secret(strings.TrimRight(string(b), "\r\n"))
		}
	}
	resolve("http.token", &c.HTTP.Token)
	resolve("http.read_token", &c.HTTP.ReadToken)
	resolve("http.write_token", &c.HTTP.WriteToken)
	resolve("redis.password", &c.Redis.Password)
	resolve("nats.token", &c.NATS.Token)
	resolve("nats.password", &c.NATS.Password)
	resolve("nats.listen_password", &c.NATS.ListenPassword)
	resolve("nats.listen_token", &c.NATS.ListenToken)
	for i := range c.Webhooks {
		resolve(fmt.Sprintf("webhooks[%d].secret", i), &c.Webhooks[i].Secret)
	}
	resolve("inbound.postmark.password", &c.Inbound.Postmark.Password)
	resolve("inbound.postmark.secret_path", &c.Inbound.Postmark.SecretPath)
	resolve("inbound.mailgun.signing_key", &c.Inbound.Mailgun.SigningKey)
	for i := range c.Mailboxes {
		resolve(fmt.Sprintf("mailboxes[%d].password", i), &c.Mailboxes[i].Password)
		resolve(fmt.Sprintf("mailboxes[%d].oauth2.client_secret", i), &c.Mailboxes[i].OAuth2.ClientSecret)
		resolve(fmt.Sprintf("mailboxes[%d].oauth2.refresh_token", i), &c.Mailboxes[i].OAuth2.RefreshToken)
	}
	for i := range c.VERP.Secrets {
		resolve(fmt.Sprintf("verp.secrets[%d]", i), &c.VERP.Secrets[i])
	}
	return errors.Join(errs...)
}
