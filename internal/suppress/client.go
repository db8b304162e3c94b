package suppress

import (
	"context"
	"crypto/tls"
	"crypto/x509"
	"errors"
	"fmt"
	"io"
	"net"
	"net/url"
	"os"
	"strconv"
	"strings"
	"syscall"
	"time"

	"github.com/redis/go-redis/v9"
)

// ClientOptions says how to reach Redis: one server, a Sentinel-managed
// master, or a Cluster.
type ClientOptions struct {
	// Addrs are host:port addresses: one server, the Sentinels (with
	// MasterName) or Cluster seed nodes (two or more without MasterName).
	Addrs []string `json:"addrs"`
	// Username and Password authenticate to Redis (ACL or requirepass);
	// with Sentinel, to the master and replicas.
	Username string `json:"username"`
	Password string `json:"-"`
	// DB is the database number; it must be 0 on a Cluster.
	DB int `json:"db"`
	// MasterName is the Sentinel master's name; set it to use Sentinel.
	MasterName string `json:"master_name"`
	// TLS turns on TLS to every node.
	TLS bool `json:"tls"`
	// TLSInsecureSkipVerify accepts any server certificate. For tests only.
	TLSInsecureSkipVerify bool `json:"tls_insecure_skip_verify"`
	// TLSCAFile is a PEM file of CAs to trust instead of the system's.
	TLSCAFile string `json:"tls_ca_file"`
	// TLSServerName is the name to verify in server certificates; by
	// default the host of each node's address.
	TLSServerName string `json:"tls_server_name"`
	// RootCAs, when not nil, are CAs to trust in addition to TLSCAFile,
	// for programs and tests that hold them in memory.
	RootCAs *x509.CertPool `json:"-"`
	// PoolSize is the most connections kept per node; 0 means go-redis's
	// default of 10 per CPU. Set it to at least the number of concurrent
	// callers, or they wait for a connection.
	PoolSize int `json:"pool_size"`
}

// Timeouts of the clients NewClient builds.
const (
	dialTimeout  = 5 * time.Second
	readTimeout  = 3 * time.Second
	writeTimeout = 3 * time.Second
	// clusterReloadInterval is how old a Cluster client's map of slots to
	// nodes may grow before it is read again. go-redis rereads the map at
	// once only on MOVED or ASK; a master that died refuses connections
	// instead, so with go-redis's default of 60s the slots of a failed
	// master stay routed to it for up to a minute after its replica has
	// taken over (TestCluster_failoversLoseNothing).
	clusterReloadInterval = time.Second
)

// NewClient builds a go-redis UniversalClient from o: a Sentinel-backed
// failover client when o.MasterName is set, a Cluster client for two or
// more addresses, a single-node client otherwise. It does not connect.
func NewClient(o ClientOptions) (redis.UniversalClient, error) {
	if len(o.Addrs) == 0 {
		return nil, fmt.Errorf("%w: no redis address", ErrInvalid)
	}
	if len(o.Addrs) > 1 && o.MasterName == "" && o.DB != 0 {
		return nil, fmt.Errorf("%w: redis cluster has no database %d", ErrInvalid, o.DB)
	}
	uo := &redis.UniversalOptions{
		Addrs:                 o.Addrs,
		Username:              o.Username,
		Password:              o.Password,
		DB:                    o.DB,
		MasterName:            o.MasterName,
		DialTimeout:           dialTimeout,
		ReadTimeout:           readTimeout,
		WriteTimeout:          writeTimeout,
		ContextTimeoutEnabled: true,
		PoolSize:              o.PoolSize,
	}
	if o.TLS {
		cfg, err := tlsConfig(o)
		if err != nil {
			return nil, err
		}
		uo.TLSConfig = cfg
		uo.Dialer = tlsDialer(cfg)
	}
	if len(o.Addrs) > 1 && o.MasterName == "" {
		co := uo.Cluster()
		co.ClusterStateReloadInterval = clusterReloadInterval
		return redis.NewClusterClient(co), nil
	}
	return redis.NewUniversalClient(uo), nil
}

func tlsConfig(o ClientOptions) (*tls.Config, error) {
	cfg := &tls.Config{
		MinVersion:         tls.VersionTLS12,
		ServerName:         o.TLSServerName,
		InsecureSkipVerify: o.TLSInsecureSkipVerify, //nolint:gosec // opt-in, documented as for tests
	}
	if o.TLSCAFile != "" || o.RootCAs != nil {
		pool := x509.NewCertPool()
		if o.RootCAs != nil {
			pool = o.RootCAs.Clone()
		}
		if o.TLSCAFile != "" {
			b, err := os.ReadFile(o.TLSCAFile)
			if err != nil {
				return nil, fmt.Errorf("suppress: redis tls ca file: %w", err)
			}
			if !pool.AppendCertsFromPEM(b) {
				return nil, fmt.Errorf("%w: no certificate in redis tls ca file %s", ErrInvalid, o.TLSCAFile)
			}
		}
		cfg.RootCAs = pool
	}
	return cfg, nil
}

// tlsDialer dials TLS, verifying each node under its own host name unless
// cfg names one: Cluster and Sentinel clients reach several hosts, which a
// single tls.Config.ServerName cannot cover.
func tlsDialer(cfg *tls.Config) func(ctx context.Context, network, addr string) (net.Conn, error) {
	return func(ctx context.Context, network, addr string) (net.Conn, error) {
		c := cfg.Clone()
		if c.ServerName == "" {
			host, _, err := net.SplitHostPort(addr)
			if err != nil {
				host = addr
			}
			c.ServerName = host
		}
		d := &tls.Dialer{
			NetDialer: &net.Dialer{Timeout: dialTimeout, KeepAlive: 30 * time.Second},
			Config:    c,
		}
		return d.DialContext(ctx, network, addr)
	}
}

// ParseURL reads ClientOptions from a redis:// or rediss:// (TLS) URL:
//
//	redis[s]://[[user]:password@]host[:port][,host[:port]...][/db][?query]
//
// The port defaults to 6379. The query may have addr=host:port (repeated,
// more nodes), master_name=NAME (Sentinel), skip_verify=true,
// ca_file=PATH and server_name=NAME; any other parameter is an error.
func ParseURL(raw string) (ClientOptions, error) {
	u, err := url.Parse(raw)
	if err != nil {
		// The url error quotes the URL, password included: do not wrap it.
		return ClientOptions{}, fmt.Errorf("%w: malformed redis URL", ErrInvalid)
	}
	var o ClientOptions
	switch u.Scheme {
	case "redis":
	case "rediss":
		o.TLS = true
	default:
		return ClientOptions{}, fmt.Errorf("%w: redis URL scheme %q: want redis or rediss", ErrInvalid, u.Scheme)
	}
	if u.User != nil {
		o.Username = u.User.Username()
		o.Password, _ = u.User.Password()
	}
	hosts := []string{}
	if u.Host != "" {
		hosts = strings.Split(u.Host, ",")
	}
	q := u.Query()
	for k, vs := range q {
		v := vs[len(vs)-1]
		switch k {
		case "addr":
			hosts = append(hosts, vs...)
		case "master_name":
			o.MasterName = v
		case "skip_verify":
			b, err := strconv.ParseBool(v)
			if err != nil {
				return ClientOptions{}, fmt.Errorf("%w: redis URL skip_verify=%q", ErrInvalid, v)
			}
			o.TLSInsecureSkipVerify = b
		case "ca_file":
			o.TLSCAFile = v
		case "server_name":
			o.TLSServerName = v
		default:
			return ClientOptions{}, fmt.Errorf("%w: redis URL parameter %q", ErrInvalid, k)
		}
	}
	if len(hosts) == 0 {
		hosts = []string{"localhost"}
	}
	for _, h := range hosts {
		h = strings.TrimSpace(h)
		if h == "" {
			return ClientOptions{}, fmt.Errorf("%w: empty host in redis URL", ErrInvalid)
		}
		if _, _, err := net.SplitHostPort(h); err != nil {
			h = net.JoinHostPort(strings.Trim(h, "[]"), "6379")
		}
		o.Addrs = append(o.Addrs, h)
	}
	if p := strings.Trim(u.Path, "/"); p != "" {
		db, err := strconv.Atoi(p)
		if err != nil || db < 0 {
			return ClientOptions{}, fmt.Errorf("%w: redis URL database %q", ErrInvalid, p)
		}
		o.DB = db
	}
	return o, nil
}

// IsTransient reports whether err is a failure that may pass if the call is
// retried later: Redis unreachable, a timeout, a dropped connection, or a
// server that is loading, failing over, read-only, out of memory or busy.
// A store without its epoch (ErrNoEpoch) is transient too: it lasts until
// an operator rebuilds, and no message may be given up for it. Invalid
// input, authentication, certificate and script errors, a closed client
// and a cancelled context are permanent.
func IsTransient(err error) bool {
	if err == nil {
		return false
	}
	if errors.Is(err, ErrStaleFence) {
		return true // the lease's new holder makes the write; see WithFence
	}
	if errors.Is(err, ErrReplicasBehind) {
		return true // the write is made again; see Store.WaitForReplicas
	}
	if errors.Is(err, ErrNoEpoch) {
		return true // until an operator rebuilds the store; see ErrNoEpoch
	}
	var certErr *tls.CertificateVerificationError
	var unknownAuth x509.UnknownAuthorityError
	var hostErr x509.HostnameError
	var recErr tls.RecordHeaderError
	switch {
	case errors.Is(err, ErrInvalid), errors.Is(err, ErrNotFound),
		errors.Is(err, context.Canceled), errors.Is(err, redis.ErrClosed),
		errors.As(err, &certErr), errors.As(err, &unknownAuth), errors.As(err, &hostErr),
		errors.As(err, &recErr),
		redis.IsAuthError(err), redis.IsPermissionError(err):
		return false
	case errors.Is(err, context.DeadlineExceeded),
		errors.Is(err, redis.ErrPoolTimeout), errors.Is(err, redis.ErrPoolExhausted),
		errors.Is(err, io.EOF), errors.Is(err, io.ErrUnexpectedEOF), errors.Is(err, net.ErrClosed),
		errors.Is(err, syscall.ECONNREFUSED), errors.Is(err, syscall.ECONNRESET),
		errors.Is(err, syscall.EPIPE), errors.Is(err, syscall.ETIMEDOUT):
		return true
	case redis.IsLoadingError(err), redis.IsReadOnlyError(err), redis.IsClusterDownError(err),
		redis.IsTryAgainError(err), redis.IsMasterDownError(err), redis.IsMaxClientsError(err),
		redis.IsOOMError(err), redis.IsNoReplicasError(err),
		redis.HasErrorPrefix(err, "BUSY"), redis.HasErrorPrefix(err, "MOVED"), redis.HasErrorPrefix(err, "ASK"):
		return true
	}
	var redisErr redis.Error
	if errors.As(err, &redisErr) {
		return false
	}
	var netErr net.Error
	return errors.As(err, &netErr)
}
