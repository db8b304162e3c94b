package suppress

import (
	"context"
	"errors"
	"fmt"
	"sync"
	"time"

	"github.com/redis/go-redis/v9"
)

// ErrReplicasBehind says a write reached the master but fewer replicas
// than the store waits for (Store.WaitForReplicas) acknowledged it within
// the timeout. It is transient (IsTransient): the write is idempotent, and
// the caller makes it again, so the message that caused it is handled
// again rather than leaving the mailbox with a result a failover could
// lose.
var ErrReplicasBehind = errors.New("suppress: too few replicas acknowledged the write")

// DefaultReplicaTimeout is how long a write waits for its replicas when
// WaitForReplicas is given no timeout.
const DefaultReplicaTimeout = time.Second

// WaitForReplicas makes every write of the store wait until n replicas
// of the master that took it have acknowledged it (Redis WAIT), for at
// most timeout (DefaultReplicaTimeout when 0); a write fewer replicas
// acknowledged fails with ErrReplicasBehind. Redis replicates
// asynchronously: without it, a master that dies right after answering
// takes the write with it, and the replica that takes over never had it.
// WAIT counts the writes of its own connection, so the script and the WAIT
// go down one connection as a pipeline, to the master of the store's hash
// slot. A master with fewer replicas connected (ROLE, read again every
// second) waits for those it has: a replica promoted after a failover has
// none until the old master rejoins, and refusing writes then is the job
// of Redis's min-replicas-to-write, not of a timeout on each write. n = 0
// (the default) does not wait. Call it before the store is used.
func (s *Store) WaitForReplicas(n int, timeout time.Duration) {
	if timeout <= 0 {
		timeout = DefaultReplicaTimeout
	}
	s.waitReplicas, s.waitTimeout = max(n, 0), timeout
}

// runWrite runs a script that writes, and when the store waits for
// replicas, WAITs for them on the script's connection.
func (s *Store) runWrite(ctx context.Context, sc *redis.Script, keys []string, args ...any) *redis.Cmd {
	if s.waitReplicas == 0 {
		return sc.Run(ctx, s.c, keys, args...)
	}
	c, addr, err := s.masterOf(ctx, keys)
	if err != nil {
		return errCmd(ctx, err)
	}
	need, err := s.replicas.connected(ctx, c, addr)
	if err != nil {
		return errCmd(ctx, fmt.Errorf("suppress: replicas of the master: %w", err))
	}
	need = min(need, s.waitReplicas)
	if need == 0 {
		return sc.Run(ctx, c, keys, args...)
	}
	cmd, acked, err := s.evalWait(ctx, c, sc, keys, args, need)
	if redis.HasErrorPrefix(cmd.Err(), "NOSCRIPT") {
		if err := sc.Load(ctx, c).Err(); err != nil {
			return errCmd(ctx, err)
		}
		cmd, acked, err = s.evalWait(ctx, c, sc, keys, args, need)
	}
	if cmd.Err() != nil {
		return cmd
	}
	if err != nil {
		return errCmd(ctx, fmt.Errorf("suppress: wait for replicas: %w", err))
	}
	if acked < need {
		s.replicas.forget(addr) // a replica may have gone: read ROLE again
		return errCmd(ctx, fmt.Errorf("%w: %d of %d within %s", ErrReplicasBehind, acked, need, s.waitTimeout))
	}
	return cmd
}

// evalWait sends EVALSHA and WAIT as one pipeline on c: one connection.
func (s *Store) evalWait(ctx context.Context, c redis.Cmdable, sc *redis.Script, keys []string, args []any, need int) (*redis.Cmd, int, error) {
	pipe := c.Pipeline()
	cmd := sc.EvalSha(ctx, pipe, keys, args...)
	wait := pipe.Do(ctx, "WAIT", need, s.waitTimeout.Milliseconds())
	_, _ = pipe.Exec(ctx)
	n, err := wait.Int()
	return cmd, n, err
}

// masterOf is the client of the node that takes the writes of keys: on a
// Cluster the master of their hash slot (all the store's keys share one),
// else the store's client (a single server, or Sentinel's master).
// The second result names the node for the cache of its replicas ("" for
// the store's client).
func (s *Store) masterOf(ctx context.Context, keys []string) (redis.UniversalClient, string, error) {
	cc, ok := s.c.(*redis.ClusterClient)
	if !ok {
		return s.c, "", nil
	}
	key := s.prefix
	if len(keys) > 0 {
		key = keys[0]
	}
	c, err := cc.MasterForKey(ctx, key)
	if err != nil {
		return nil, "", err
	}
	return c, c.Options().Addr, nil
}

// replicaCounts caches, per master, how many replicas ROLE says are
// connected to it, for a second.
type replicaCounts struct {
	mu sync.Mutex
	m  map[string]replicaCount
}

type replicaCount struct {
	n  int
	at time.Time
}

// replicaCountTTL is how long a count of a master's replicas is used.
const replicaCountTTL = time.Second

func (r *replicaCounts) connected(ctx context.Context, c redis.UniversalClient, addr string) (int, error) {
	r.mu.Lock()
	rc, ok := r.m[addr]
	r.mu.Unlock()
	if ok && time.Since(rc.at) < replicaCountTTL {
		return rc.n, nil
	}
	n, err := roleReplicas(ctx, c)
	if err != nil {
		return 0, err
	}
	r.mu.Lock()
	if r.m == nil {
		r.m = map[string]replicaCount{}
	}
	r.m[addr] = replicaCount{n, time.Now()}
	r.mu.Unlock()
	return n, nil
}

// roleReplicas is how many replicas ROLE on c lists (0 unless c is a
// master).
func roleReplicas(ctx context.Context, c redis.UniversalClient) (int, error) {
	role, err := c.Do(ctx, "ROLE").Slice()
	if err != nil {
		return 0, err
	}
	if len(role) >= 3 && role[0] == "master" {
		if list, ok := role[2].([]any); ok {
			return len(list), nil
		}
	}
	return 0, nil
}

func (r *replicaCounts) forget(addr string) {
	r.mu.Lock()
	delete(r.m, addr)
	r.mu.Unlock()
}

// ConnectedReplicas is how many replicas the master of the store's hash
// slot says are connected to it (ROLE), read now. The daemon warns at
// start when there are some and the store does not wait for them.
func (s *Store) ConnectedReplicas(ctx context.Context) (int, error) {
	c, _, err := s.masterOf(ctx, []string{s.key("epoch")})
	if err != nil {
		return 0, err
	}
	return roleReplicas(ctx, c)
}

// WaitsForReplicas is how many replicas each write waits for (0: none).
func (s *Store) WaitsForReplicas() int { return s.waitReplicas }

func errCmd(ctx context.Context, err error) *redis.Cmd {
	c := redis.NewCmd(ctx)
	c.SetErr(err)
	return c
}
