package suppress

import (
	"context"
	"errors"
	"fmt"
	"strconv"

	"github.com/redis/go-redis/v9"
)

// ErrStaleFence says a write carried a fencing token that is not the
// current one: the lease it was made under has passed to another holder
// (see internal/lease). It is transient (IsTransient): the new holder
// makes the write again.
var ErrStaleFence = errors.New("suppress: stale fencing token")

// staleFenceReply starts the error the scripts return for a stale token.
const staleFenceReply = "STALEFENCE"

// Fence is a fencing token: a write carrying it is made only while the
// Redis key Key holds Token (a counter each new lease holder increments).
type Fence struct {
	Key   string
	Token int64
}

type fenceCtxKey struct{}

// WithFence returns a context whose store writes (Apply, SaveCheckpoint)
// carry f and are refused with ErrStaleFence once f is stale. Key must be
// in the store's hash slot (under its prefix).
func WithFence(ctx context.Context, f Fence) context.Context {
	return context.WithValue(ctx, fenceCtxKey{}, f)
}

// FenceFrom returns the fence of ctx, if any.
func FenceFrom(ctx context.Context) (Fence, bool) {
	f, ok := ctx.Value(fenceCtxKey{}).(Fence)
	return f, ok
}

// fenceCheck is the prelude of the fenced scripts (after luaLib, whose P
// it does not use). The caller appends the fence key to KEYS and the
// token to ARGV, last; the prelude takes both off, so the script's own
// KEYS and ARGV are as if unfenced. An empty token means no fence (the key
// is then any key of the store's slot, for Cluster routing).
const fenceCheck = `
local FENCE_TOKEN = table.remove(ARGV)
local FENCE_KEY = table.remove(KEYS)
if FENCE_TOKEN ~= '' and redis.call('GET', FENCE_KEY) ~= FENCE_TOKEN then
  return redis.error_reply('` + staleFenceReply + ` fencing token ' .. FENCE_TOKEN .. ' is stale')
end
`

// FenceLua is fenceCheck, for the fenced scripts of other stores under
// the same prefix (internal/checkpoint): put it first in the script and
// pass keys and args through AppendFence.
const FenceLua = fenceCheck

// fenced appends the fence of ctx to keys and args (see fenceCheck).
func (s *Store) fenced(ctx context.Context, keys []string, args []any) ([]string, []any) {
	return AppendFence(ctx, keys, args, s.fixed.fenceNone)
}

// AppendFence appends the fence of ctx to keys and args, last, as the
// FenceLua prelude takes them; without a fence it appends noFenceKey (a
// key of the store's slot, for Cluster routing) and an empty token.
func AppendFence(ctx context.Context, keys []string, args []any, noFenceKey string) ([]string, []any) {
	if f, ok := FenceFrom(ctx); ok {
		return append(keys, f.Key), append(args, strconv.FormatInt(f.Token, 10))
	}
	return append(keys, noFenceKey), append(args, "")
}

// fenceError turns a script's stale-token reply into ErrStaleFence.
func fenceError(op string, err error) error { return FenceError("suppress: "+op, err) }

// FenceError returns an error wrapping ErrStaleFence, prefixed with op,
// when err is a fenced script's stale-token reply, and nil otherwise.
func FenceError(op string, err error) error {
	if err != nil && redis.HasErrorPrefix(err, staleFenceReply) {
		return fmt.Errorf("%s: %w", op, ErrStaleFence)
	}
	return nil
}
