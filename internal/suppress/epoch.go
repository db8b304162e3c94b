package suppress

import (
	"context"
	"crypto/rand"
	"encoding/hex"
	"errors"
	"fmt"
	"strconv"
	"time"

	"github.com/redis/go-redis/v9"
)

// ErrNoEpoch is wrapped by Apply's error when the store must have an epoch
// (CheckEpoch was called) and has none: Redis lost its data, wiped or
// restarted without persistence. It is transient for IsTransient, so that
// no message is given up for it: the caller waits until an operator runs
// `bounced rebuild` (or accepts the empty store) and Apply works again.
var ErrNoEpoch = errors.New("suppress: the store has no epoch: redis lost its data (wiped, or restarted without persistence); run bounced rebuild")

// Epoch identifies one life of the store: it is written into Redis (the
// key P:epoch) when the store is first used, and into the durable log that
// survives a Redis wipe (the JetStream stream's metadata). An empty Redis
// whose durable log names an epoch was wiped; an empty Redis with an empty
// log is a fresh install.
type Epoch struct {
	// ID is random, 32 hex digits.
	ID string `json:"id"`
	// CreatedAt is when the epoch was made.
	CreatedAt time.Time `json:"created_at"`
}

// NewEpoch returns a new random epoch made at now.
func NewEpoch(now time.Time) Epoch {
	var b [16]byte
	rand.Read(b[:]) // never fails (crypto/rand)
	return Epoch{ID: hex.EncodeToString(b[:]), CreatedAt: time.UnixMilli(now.UnixMilli()).UTC()}
}

// DurableEpoch is what the durable log, which survives a Redis wipe, says
// about the store.
type DurableEpoch struct {
	// ID is the epoch recorded in the log, "" when none.
	ID string
	// HasEvents is true when the log has ever held an event (its last
	// sequence is not zero), even if they have aged out since.
	HasEvents bool
}

// EpochState is the verdict of CheckEpoch.
type EpochState string

// The states of the store's epoch.
const (
	// EpochOK: Redis has its epoch, and the log has the same or none.
	EpochOK EpochState = "ok"
	// EpochCreated: a fresh install (empty Redis, empty log); CheckEpoch
	// wrote a new epoch into Redis.
	EpochCreated EpochState = "created"
	// EpochAdopted: Redis holds suppressions but no epoch, and the log
	// names none: a store from before epochs. CheckEpoch wrote one.
	EpochAdopted EpochState = "adopted"
	// EpochWiped: Redis has no epoch but the log says it had one, or the
	// log holds events while Redis holds nothing. Apply refuses.
	EpochWiped EpochState = "wiped"
	// EpochMismatch: Redis and the log name different epochs: this Redis
	// is not the index of this stream (another install's, or a restore
	// older than a rebuild).
	EpochMismatch EpochState = "mismatch"
)

// EpochStatus is what CheckEpoch found.
type EpochStatus struct {
	State EpochState
	// Redis is the epoch in Redis after the check (zero when none).
	Redis Epoch
	// Durable is the ID the durable log had.
	Durable string
	// Record, when not "", is the epoch ID the caller must write into the
	// durable log, which does not hold it yet.
	Record string
	// Reason explains a state that is not usable.
	Reason string
}

// Usable reports whether Apply may run: the state is ok, created or
// adopted.
func (st EpochStatus) Usable() bool {
	return st.State == EpochOK || st.State == EpochCreated || st.State == EpochAdopted
}

// ReadEpoch returns the epoch in Redis, and false when there is none.
func (s *Store) ReadEpoch(ctx context.Context) (Epoch, bool, error) {
	m, err := s.c.HGetAll(ctx, s.key("epoch")).Result()
	if err != nil {
		return Epoch{}, false, fmt.Errorf("suppress: read epoch: %w", err)
	}
	if m["id"] == "" {
		return Epoch{}, false, nil
	}
	return Epoch{ID: m["id"], CreatedAt: fromMS(m["created_at"])}, true, nil
}

// SetEpoch writes e as the store's epoch, replacing any. `bounced rebuild`
// calls it once the store is rebuilt, or accepted empty.
func (s *Store) SetEpoch(ctx context.Context, e Epoch) error {
	err := s.c.HSet(ctx, s.key("epoch"), "id", e.ID, "created_at", strconv.FormatInt(ms(e.CreatedAt), 10)).Err()
	if err != nil {
		return fmt.Errorf("suppress: set epoch: %w", err)
	}
	s.log.InfoContext(ctx, "suppress: epoch set", "epoch", e.ID)
	return nil
}

// createEpoch writes e unless Redis has an epoch already, and returns the
// epoch Redis has after it.
func (s *Store) createEpoch(ctx context.Context, e Epoch) (Epoch, error) {
	_, err := s.runWrite(ctx, createEpochScript, []string{s.key("epoch")}, e.ID, ms(e.CreatedAt)).Result()
	if err != nil && !errors.Is(err, redis.Nil) {
		return Epoch{}, fmt.Errorf("suppress: create epoch: %w", err)
	}
	got, ok, err := s.ReadEpoch(ctx)
	if err != nil {
		return Epoch{}, err
	}
	if !ok {
		return Epoch{}, fmt.Errorf("suppress: create epoch: not there after writing it")
	}
	return got, nil
}

// hasData reports whether Redis holds any suppression, index, audit or
// outbox entry under the store's prefix.
func (s *Store) hasData(ctx context.Context) (bool, error) {
	n, err := s.c.Exists(ctx, s.key("suppressed"), s.key("suppressed", "marketing"), s.key("idx", "time"),
		s.key("expiry"), s.key("audit"), s.key("outbox")).Result()
	if err != nil {
		return false, fmt.Errorf("suppress: check for data: %w", err)
	}
	return n > 0, nil
}

// CheckEpoch compares the epoch in Redis with what the durable log says
// (see EpochState), writes a new epoch on a fresh install or a store from
// before epochs, and from then on makes Apply refuse, atomically inside its
// script, whenever Redis has no epoch. Call it at start, before the first
// Apply, and periodically. An error means Redis did not answer; the state
// is then unknown.
func (s *Store) CheckEpoch(ctx context.Context, d DurableEpoch) (EpochStatus, error) {
	s.requireEpoch.Store(true)
	st := EpochStatus{Durable: d.ID}
	e, ok, err := s.ReadEpoch(ctx)
	if err != nil {
		return st, err
	}
	if ok {
		st.Redis = e
		switch d.ID {
		case "":
			st.State, st.Record = EpochOK, e.ID
		case e.ID:
			st.State = EpochOK
		default:
			st.State = EpochMismatch
			st.Reason = fmt.Sprintf("redis has epoch %s but the stream records epoch %s: this redis is not the index of this stream; run bounced rebuild", e.ID, d.ID)
		}
		return st, nil
	}
	switch {
	case d.ID != "":
		st.State = EpochWiped
		st.Reason = fmt.Sprintf("redis has no epoch but the stream records epoch %s: redis lost its data; run bounced rebuild (or bounced rebuild --accept-empty)", d.ID)
		return st, nil
	case d.HasEvents:
		data, err := s.hasData(ctx)
		if err != nil {
			return st, err
		}
		if !data {
			st.State = EpochWiped
			st.Reason = "redis is empty but the stream holds events: redis lost its data; run bounced rebuild (or bounced rebuild --accept-empty)"
			return st, nil
		}
		st.State = EpochAdopted
	default:
		st.State = EpochCreated
	}
	if st.Redis, err = s.createEpoch(ctx, NewEpoch(s.now())); err != nil {
		return st, err
	}
	st.Record = st.Redis.ID
	s.log.InfoContext(ctx, "suppress: epoch created", "epoch", st.Redis.ID, "state", st.State)
	return st, nil
}
