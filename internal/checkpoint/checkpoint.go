// Package checkpoint keeps the IMAP pollers' checkpoints in Redis: for
// each watched mailbox, its UIDVALIDITY and the last UID handled (RFC 9051
// section 2.3.1.1), so that a restarted worker resumes where it stopped.
//
// With prefix P (the suppression store's, "{bounced}" by default, so that
// `bounced rebuild`, which keeps P:checkpoint:*, and a Redis Cluster see
// one slot):
//
//	P:checkpoint:<key>   HASH  uid_validity, last_uid, updated_at (Unix ms)
package checkpoint

import (
	"context"
	"fmt"
	"strconv"
	"time"

	"github.com/redis/go-redis/v9"

	"github.com/bounced-dev/bounced/internal/suppress"
)

// DefaultPrefix is the key prefix used when New is given "".
const DefaultPrefix = "{bounced}"

// Store keeps checkpoints. It is safe for concurrent use and implements
// the mailbox worker's checkpoint interface.
type Store struct {
	c      redis.UniversalClient
	prefix string
	now    func() time.Time
}

// New returns a checkpoint store on c under prefix (DefaultPrefix when "").
func New(c redis.UniversalClient, prefix string) *Store {
	if prefix == "" {
		prefix = DefaultPrefix
	}
	return &Store{c: c, prefix: prefix, now: time.Now}
}

func (s *Store) key(k string) string { return s.prefix + ":checkpoint:" + k }

// LoadCheckpoint returns the checkpoint saved under key (e.g. account and
// mailbox): the mailbox's UIDVALIDITY and the last UID processed. Both are
// zero when none was saved.
func (s *Store) LoadCheckpoint(ctx context.Context, key string) (uidValidity, lastUID uint32, err error) {
	vs, err := s.c.HMGet(ctx, s.key(key), "uid_validity", "last_uid").Result()
	if err != nil {
		return 0, 0, fmt.Errorf("checkpoint: load %q: %w", key, err)
	}
	parse := func(v any) (uint32, error) {
		str, ok := v.(string)
		if !ok {
			return 0, nil
		}
		n, err := strconv.ParseUint(str, 10, 32)
		if err != nil {
			return 0, fmt.Errorf("checkpoint: load %q: %w", key, err)
		}
		return uint32(n), nil
	}
	if uidValidity, err = parse(vs[0]); err != nil {
		return 0, 0, err
	}
	if lastUID, err = parse(vs[1]); err != nil {
		return 0, 0, err
	}
	return uidValidity, lastUID, nil
}

// SaveCheckpoint saves the checkpoint under key. For the same UIDVALIDITY
// it never moves lastUID backwards (a late, lower save is ignored); a
// different UIDVALIDITY means the mailbox was recreated, and replaces the
// checkpoint. A save under a stale fence (suppress.WithFence: the lease of
// the mailbox passed to another process) fails with suppress.ErrStaleFence
// and changes nothing.
func (s *Store) SaveCheckpoint(ctx context.Context, key string, uidValidity, lastUID uint32) error {
	keys, args := suppress.AppendFence(ctx, []string{s.key(key)},
		[]any{strconv.FormatUint(uint64(uidValidity), 10), strconv.FormatUint(uint64(lastUID), 10), s.now().UnixMilli()},
		s.prefix+":fence:none")
	err := saveScript.Run(ctx, s.c, keys, args...).Err()
	if ferr := suppress.FenceError("checkpoint: save "+strconv.Quote(key), err); ferr != nil {
		return ferr
	}
	if err != nil {
		return fmt.Errorf("checkpoint: save %q: %w", key, err)
	}
	return nil
}

// saveScript saves a checkpoint.
//
// KEYS: 1 checkpoint hash. ARGV: 1 UIDVALIDITY, 2 last UID, 3 now.
// Fenced (suppress.FenceLua).
// It returns 1 when it saved, 0 when it kept a later UID.
var saveScript = redis.NewScript(suppress.FenceLua + `
local f = redis.call('HMGET', KEYS[1], 'uid_validity', 'last_uid')
if f[1] == ARGV[1] and f[2] and tonumber(f[2]) >= tonumber(ARGV[2]) then return 0 end
redis.call('HSET', KEYS[1], 'uid_validity', ARGV[1], 'last_uid', ARGV[2], 'updated_at', ARGV[3])
return 1
`)
