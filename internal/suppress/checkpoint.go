package suppress

import (
	"context"
	"fmt"
	"strconv"
)

// LoadCheckpoint returns the IMAP checkpoint saved under key (e.g. account
// and mailbox): the mailbox's UIDVALIDITY and the last UID processed (RFC
// 9051 section 2.3.1.1). Both are zero when none was saved.
func (s *Store) LoadCheckpoint(ctx context.Context, key string) (uidValidity, lastUID uint32, err error) {
	vs, err := s.c.HMGet(ctx, s.key("checkpoint", key), "uid_validity", "last_uid").Result()
	if err != nil {
		return 0, 0, fmt.Errorf("suppress: load checkpoint %q: %w", key, err)
	}
	parse := func(v any) (uint32, error) {
		str, ok := v.(string)
		if !ok {
			return 0, nil
		}
		n, err := strconv.ParseUint(str, 10, 32)
		if err != nil {
			return 0, fmt.Errorf("suppress: load checkpoint %q: %w", key, err)
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

// SaveCheckpoint saves the IMAP checkpoint under key. For the same
// UIDVALIDITY it never moves lastUID backwards (a late, lower save is
// ignored); a different UIDVALIDITY means the mailbox was recreated, and
// replaces the checkpoint. A save under a stale fence (see WithFence)
// fails with ErrStaleFence.
func (s *Store) SaveCheckpoint(ctx context.Context, key string, uidValidity, lastUID uint32) error {
	keys, args := s.fenced(ctx, []string{s.key("checkpoint", key)},
		[]any{strconv.FormatUint(uint64(uidValidity), 10), strconv.FormatUint(uint64(lastUID), 10), ms(s.now())})
	err := checkpointScript.Run(ctx, s.c, keys, args...).Err()
	if ferr := fenceError("save checkpoint "+strconv.Quote(key), err); ferr != nil {
		return ferr
	}
	if err != nil {
		return fmt.Errorf("suppress: save checkpoint %q: %w", key, err)
	}
	return nil
}
