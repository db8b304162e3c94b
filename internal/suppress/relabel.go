package suppress

import (
	"context"
	"fmt"

	"github.com/redis/go-redis/v9"
)

// Relabel changes the verdict a record keeps (reason, category, hard,
// rule, confidence) when the record's deciding entry is the raw message
// raw, without changing the suppression itself: what reprocessing does
// when today's rules give the same effect for another reason. It reports
// whether the record was changed.
func (s *Store) Relabel(ctx context.Context, addr, raw, reason, category string, hard bool, rule, confidence string) (bool, error) {
	a, err := NormalizeAddress(addr)
	if err != nil {
		return false, err
	}
	if raw == "" {
		return false, fmt.Errorf("%w: relabel: no raw message", ErrInvalid)
	}
	n, err := s.runWrite(ctx, relabelScript, []string{s.key("addr", a)}, s.prefix, a, raw, reason, category, b01(hard), rule, confidence).Int()
	if err != nil {
		return false, fmt.Errorf("suppress: relabel %s: %w", a, err)
	}
	return n == 1, nil
}

// relabelScript; see Store.Relabel.
//
// KEYS: 1 addr hash. ARGV: 1 prefix, 2 address, 3 raw, 4 reason,
// 5 category, 6 hard, 7 rule, 8 confidence.
var relabelScript = redis.NewScript(luaLib + `
local h, a = KEYS[1], ARGV[2]
local f = redis.call('HMGET', h, 'raw', 'reason', 'scope', 'suppressed_at')
if f[1] ~= ARGV[3] then return 0 end
if (f[3] or '') ~= '' then
  if f[2] and f[2] ~= '' then redis.call('ZREM', P .. ':idx:reason:' .. f[2], a) end
  redis.call('ZADD', P .. ':idx:reason:' .. ARGV[4], tonumber(f[4]) or 0, a)
end
redis.call('HSET', h, 'reason', ARGV[4], 'category', ARGV[5], 'hard', ARGV[6], 'rule', ARGV[7], 'confidence', ARGV[8])
-- The scopes the old reason suppresses describe the address with the new
-- one once another scope expires (sweep).
for sc, _ in pairs(state(h)) do
  if redis.call('HGET', h, 'sr:' .. sc) == f[2] then
    redis.call('HSET', h, 'sr:' .. sc, ARGV[4], 'sg:' .. sc, ARGV[5])
  end
end
return 1
`)
