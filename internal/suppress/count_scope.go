package suppress

import (
	"context"
	"fmt"
)

// CountByScope returns how many addresses are suppressed in each scope
// (ScopeAll, ScopeMarketing): two SCARDs in one round trip. The marketing
// set holds the addresses suppressed for all mail too (what a marketing
// sender must not mail). Unlike Count
// it lifts no expired suppression first, so that a metrics scrape never
// writes; an expired one counts until the next sweep.
func (s *Store) CountByScope(ctx context.Context) (map[string]int64, error) {
	pipe := s.c.Pipeline()
	all := pipe.SCard(ctx, s.key("suppressed"))
	mkt := pipe.SCard(ctx, s.key("suppressed", "marketing"))
	if _, err := pipe.Exec(ctx); err != nil {
		return nil, fmt.Errorf("suppress: count by scope: %w", err)
	}
	return map[string]int64{ScopeAll: all.Val(), ScopeMarketing: mkt.Val()}, nil
}
