package suppress

import (
	"context"
	"fmt"
)

// CountByScope returns how many addresses are suppressed for all mail
// (ScopeAll) and for marketing mail only (ScopeMarketing): two SCARDs in
// one round trip. The marketing set holds the addresses suppressed for all
// mail too (they are in every scope's set), so those are subtracted. Unlike Count
// it lifts no expired suppression first, so that a metrics scrape never
// writes; an expired one counts until the next sweep.
func (s *Store) CountByScope(ctx context.Context) (map[string]int64, error) {
	pipe := s.c.Pipeline()
	all := pipe.SCard(ctx, s.key("suppressed"))
	mkt := pipe.SCard(ctx, s.key("suppressed", "marketing"))
	if _, err := pipe.Exec(ctx); err != nil {
		return nil, fmt.Errorf("suppress: count by scope: %w", err)
	}
	return map[string]int64{ScopeAll: all.Val(), ScopeMarketing: max(mkt.Val()-all.Val(), 0)}, nil
}
