package main

import (
	"context"
	"fmt"
	"os"

	"github.com/redis/go-redis/v9"
	"github.com/spf13/pflag"

	"github.com/bounced-dev/bounced/internal/app"
	"github.com/bounced-dev/bounced/internal/config"
	"github.com/bounced-dev/bounced/internal/suppress"
)

// storeFlags are the flags of the commands that use the suppression store
// alone (suppressions, stats): they read only the redis, policy and log
// sections of the configuration (config.LoadStore), so they run where the
// IMAP password and the API tokens are not set.
type storeFlags struct {
	config   string
	redisURL string
	prefix   string
}

func (o *storeFlags) register(fs *pflag.FlagSet) {
	fs.StringVar(&o.config, "config", "", "configuration file; only redis.*, policy.* and log.* are read (default $BOUNCED_CONFIG)")
	fs.StringVar(&o.redisURL, "redis-url", "", "Redis URL, e.g. redis://127.0.0.1:6379/0, over redis.url and redis.addrs (a password is better in $BOUNCED_REDIS_URL or the configuration: ps shows a command line)")
	fs.StringVar(&o.prefix, "redis-prefix", "", "key prefix, over redis.prefix (default {bounced})")
}

// connect loads the store's settings and connects; on failure it prints
// why and returns the exit status: 2 for the configuration, 1 for Redis.
// The caller closes the client.
func (o *storeFlags) connect(s *streams, name string) (*suppress.Store, redis.UniversalClient, int) {
	cfg, err := o.load()
	if err != nil {
		fmt.Fprintf(s.stderr, "%s: %v\n", name, err)
		return nil, nil, 2
	}
	// go-redis logs every failed dial itself; the command says what failed
	// once, with its own error.
	redis.SetLogger(quietRedis{})
	store, client, err := app.OpenStore(cfg, nil)
	if err != nil {
		fmt.Fprintf(s.stderr, "%s: %v\n", name, err)
		return nil, nil, 1
	}
	return store, client, 0
}

// quietRedis is a go-redis logger that logs nothing.
type quietRedis struct{}

func (quietRedis) Printf(context.Context, string, ...any) {}

func (o *storeFlags) load() (*config.Config, error) {
	cfg, err := config.LoadStore(configPath(o.config), os.Environ())
	if err != nil {
		return nil, err
	}
	if o.redisURL != "" {
		cfg.Redis.URL, cfg.Redis.Addrs, cfg.Redis.MasterName = o.redisURL, nil, ""
	}
	if o.prefix != "" {
		cfg.Redis.Prefix = o.prefix
	}
	return cfg, nil
}
