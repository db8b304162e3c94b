package app

import (
	"context"
	"errors"
	"fmt"
	"sync"
	"sync/atomic"
	"time"

	"github.com/bounced-dev/bounced/internal/httpapi"
	"github.com/bounced-dev/bounced/internal/suppress"
	"github.com/bounced-dev/bounced/publisher"
)

// EpochMetadataKey is the entry of the stream's metadata that records the
// suppression store's epoch (see suppress.Epoch): the stream is the
// durable log that survives a Redis wipe, and Redis is its index.
const EpochMetadataKey = "bounced_epoch"

// epochInterval is how often the daemon checks the store's epoch.
const epochInterval = 5 * time.Second

// epochState is the last check of the store's epoch, for /readyz.
type epochState struct {
	mu      sync.Mutex
	checked bool
	status  suppress.EpochStatus
	err     error
	// noMetadata is set once the server was found to drop stream metadata.
	noMetadata atomic.Bool
}

// CheckStoreEpoch compares the store's epoch in Redis with the one the
// stream of pub records (suppress.Store.CheckEpoch), and records the
// store's epoch in the stream when it does not hold it yet (a fresh
// install, a stream recreated after it was deleted).
func CheckStoreEpoch(ctx context.Context, store *suppress.Store, pub *publisher.Publisher) (suppress.EpochStatus, error) {
	ss, err := pub.StreamState(ctx)
	if err != nil {
		return suppress.EpochStatus{}, fmt.Errorf("app: epoch: %w", err)
	}
	st, err := store.CheckEpoch(ctx, suppress.DurableEpoch{ID: ss.Metadata[EpochMetadataKey], HasEvents: ss.LastSeq > 0})
	if err != nil {
		return st, fmt.Errorf("app: epoch: %w", err)
	}
	if st.Record != "" {
		if err := pub.SetStreamMetadata(ctx, EpochMetadataKey, st.Record); err != nil {
			// Without metadata (nats-server < 2.10) a wipe is still told
			// by the stream holding events while Redis is empty.
			return st, fmt.Errorf("app: epoch: %w", err)
		}
	}
	return st, nil
}

// checkEpoch checks the store's epoch once, keeps the result for /readyz
// and logs a change: an error when the store lost its data (every Apply
// then refuses until an operator runs bounced rebuild), an info line when
// it is usable again.
func (a *App) checkEpoch(ctx context.Context, pub *publisher.Publisher) {
	ctx, cancel := context.WithTimeout(ctx, 5*time.Second)
	defer cancel()
	st, err := CheckStoreEpoch(ctx, a.store, pub)
	if errors.Is(err, publisher.ErrNoMetadata) {
		if a.epoch.noMetadata.CompareAndSwap(false, true) {
			a.log.Warn("the NATS server does not keep stream metadata (nats-server < 2.10): a wiped Redis is told only by the stream holding events while Redis is empty",
				"error", err)
		}
		err = nil
	}
	e := &a.epoch
	e.mu.Lock()
	was, wasChecked := e.status, e.checked
	if err == nil {
		e.status, e.checked = st, true
	}
	e.err = err
	e.mu.Unlock()
	switch {
	case err != nil:
		a.log.Debug("store epoch not checked", "error", err)
	case !st.Usable() && (!wasChecked || was.State != st.State):
		a.log.Error("suppression store lost its data: no bounce is applied until it is rebuilt (bounced rebuild)",
			"state", st.State, "reason", st.Reason, "stream_epoch", st.Durable)
	case st.Usable() && wasChecked && !was.Usable():
		a.log.Info("suppression store usable again", "state", st.State, "epoch", st.Redis.ID)
	case st.State == suppress.EpochCreated || st.State == suppress.EpochAdopted:
		a.log.Info("suppression store epoch recorded", "state", st.State, "epoch", st.Redis.ID)
	}
}

// epochLoop checks the store's epoch every epochInterval.
func (a *App) epochLoop(ctx context.Context, pub *publisher.Publisher) {
	defer a.recoverPanic("epoch")
	t := time.NewTicker(epochInterval)
	defer t.Stop()
	for {
		select {
		case <-ctx.Done():
			return
		case <-t.C:
			a.checkEpoch(ctx, pub)
		}
	}
}

// epochComponent reports the store's epoch for /readyz: not ready while
// the store lost its data or the epoch was never checked.
func (a *App) epochComponent() httpapi.Component {
	e := &a.epoch
	e.mu.Lock()
	defer e.mu.Unlock()
	switch {
	case !e.checked && e.err != nil:
		return httpapi.Component{Error: "not checked: " + e.err.Error()}
	case !e.checked:
		return httpapi.Component{Error: "not checked yet"}
	case !e.status.Usable():
		return httpapi.Component{Error: string(e.status.State) + ": " + e.status.Reason}
	}
	return httpapi.Component{OK: true}
}
