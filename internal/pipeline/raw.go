package pipeline

import (
	"context"
	"fmt"

	"github.com/bounced-dev/bounced/internal/mailbox"
)

// RawKeeper keeps the raw bytes of handled messages (internal/rawstore)
// and names them by a content hash, which the record and the events carry.
type RawKeeper interface {
	Put(ctx context.Context, raw []byte) (string, error)
}

// keepRaw stores m's bytes before anything is applied, so that every
// record and event that links to them can be followed. A failure (a full
// or read-only disk) is transient: the message stays in the mailbox and
// is handled again, without counting against its attempts.
func (p *Pipeline) keepRaw(ctx context.Context, m *mailbox.Message) (string, error) {
	if p.opts.Raw == nil {
		return "", nil
	}
	h, err := p.opts.Raw.Put(ctx, m.Raw)
	if err != nil {
		return "", mailbox.Outage(fmt.Errorf("pipeline: raw store: %w", err))
	}
	return h, nil
}
