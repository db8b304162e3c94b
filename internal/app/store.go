package app

import (
	"fmt"
	"log/slog"
	"runtime"

	"github.com/redis/go-redis/v9"

	"github.com/bounced-dev/bounced/internal/config"
	"github.com/bounced-dev/bounced/internal/suppress"
)

// OpenStore connects to the Redis of cfg.Redis and returns the suppression
// store with cfg.Policy, and the client to close when done.
func OpenStore(cfg *config.Config, log *slog.Logger) (*suppress.Store, redis.UniversalClient, error) {
	ro := suppress.ClientOptions{Addrs: cfg.Redis.Addrs, MasterName: cfg.Redis.MasterName}
	if len(cfg.Redis.Addrs) == 0 {
		var err error
		if ro, err = suppress.ParseURL(cfg.Redis.URL); err != nil {
			return nil, nil, fmt.Errorf("app: redis.url: %w", err)
		}
	}
	if cfg.Redis.Username != "" {
		ro.Username = cfg.Redis.Username
	}
	if cfg.Redis.Password != "" {
		ro.Password = cfg.Redis.Password.Value()
	}
	if cfg.Redis.DB != 0 {
		ro.DB = cfg.Redis.DB
	}
	ro.TLS = ro.TLS || cfg.Redis.TLS
	if cfg.Redis.TLSCAFile != "" {
		ro.TLSCAFile = cfg.Redis.TLSCAFile
	}
	if cfg.Redis.TLSServerName != "" {
		ro.TLSServerName = cfg.Redis.TLSServerName
	}
	ro.TLSInsecureSkipVerify = ro.TLSInsecureSkipVerify || cfg.Redis.TLSInsecureSkipVerify
	ro.PoolSize = poolSize(cfg)
	c, err := suppress.NewClient(ro)
	if err != nil {
		return nil, nil, fmt.Errorf("app: redis: %w", err)
	}
	st := suppress.New(c, cfg.Redis.Prefix, cfg.Policy.Suppress(), log)
	st.WaitForReplicas(cfg.Redis.WaitReplicas, cfg.Redis.WaitTimeout.D())
	return st, c, nil
}

// poolSize is enough Redis connections for every mailbox's handlers at
// once, plus some for checkpoints, the sweeper and the HTTP API; or 0 (the
// go-redis default, 10 per CPU) when that is more.
func poolSize(cfg *config.Config) int {
	n := 8
	for _, m := range cfg.Mailboxes {
		n += m.Concurrency
	}
	if n <= 10*runtime.GOMAXPROCS(0) {
		return 0
	}
	return n
}
