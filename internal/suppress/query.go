package suppress

import (
	"context"
	"crypto/sha256"
	"encoding/base64"
	"encoding/hex"
	"encoding/json"
	"fmt"
	"strconv"
	"strings"
	"time"

	"github.com/redis/go-redis/v9"
)

// Page sizes and the scan budget of Query.
const (
	// DefaultPageSize is the page size of a Query with no Limit.
	DefaultPageSize = 100
	// MaxPageSize is the largest page a Query returns.
	MaxPageSize = 1000
	// QueryScanBudget is how many index members one Query call examines
	// at most. A page whose filters match rarely may come back short (even
	// empty) with a Next cursor: following it continues the scan. It bounds
	// the time one call holds Redis.
	QueryScanBudget = 2000
)

// QueryOptions select the suppressed addresses Query returns. Every field
// set must match.
type QueryOptions struct {
	// Reason, Category and Scope match the record's fields.
	Reason   string
	Category string
	Scope    string
	// Domain matches the address's domain; Carrier the record's carrier
	// (addrcheck's name: docomo, au, softbank, rakuten, ...).
	Domain  string
	Carrier string
	// Prefix matches the start of the normalised address. With a prefix
	// the page is in address order, otherwise newest suppression first.
	Prefix string
	// Since (inclusive) and Until (exclusive) bound the suppression time.
	Since time.Time
	Until time.Time
	// Limit is the page size: DefaultPageSize when zero, at most
	// MaxPageSize.
	Limit int
	// Cursor is a previous Page's Next; "" for the first page.
	Cursor string
}

// Page is one page of Query.
type Page struct {
	// Records are the page's suppressions.
	Records []Record `json:"suppressions"`
	// Next is the cursor of the next page, "" on the last. A cursor stays
	// valid while the list changes: a page starts right after the last
	// address the previous one examined, so no address is shown twice and
	// none still listed is skipped.
	Next string `json:"next,omitempty"`
	// Total is how many suppressions match, when the store can tell
	// without scanning (no filter beyond the index used); nil otherwise.
	Total *int64 `json:"total,omitempty"`
}

// cursor is what a Next token holds.
type cursor struct {
	Mode   string `json:"m"`           // "t": by time, "l": by address
	Score  string `json:"s,omitempty"` // the last member's score (by time)
	Member string `json:"a"`           // the last member examined
	Filter string `json:"f"`           // a hash of the options it belongs to
}

// filterHash identifies the options apart from the page size and cursor.
func (o QueryOptions) filterHash() string {
	h := sha256.Sum256([]byte(strings.Join([]string{o.Reason, o.Category, o.Scope, o.Domain, o.Carrier, o.Prefix,
		strconv.FormatInt(o.Since.UnixMilli(), 10), strconv.FormatInt(o.Until.UnixMilli(), 10)}, "\x00")))
	return hex.EncodeToString(h[:6])
}

// normalise trims and lower-cases the options as the store keys them.
func (o QueryOptions) normalise() QueryOptions {
	o.Reason = strings.TrimSpace(o.Reason)
	o.Category = strings.TrimSpace(o.Category)
	o.Scope = strings.TrimSpace(o.Scope)
	o.Domain = strings.ToLower(strings.TrimPrefix(strings.TrimSpace(o.Domain), "@"))
	o.Carrier = strings.ToLower(strings.TrimSpace(o.Carrier))
	o.Prefix = strings.ToLower(strings.TrimSpace(o.Prefix))
	return o
}

// Query returns one page of the suppressed addresses that match o, and the
// cursor of the next. It uses one index (the address index for a prefix,
// else the reason's, else the domain's, else the time index) and checks
// the other filters on each record, in one script that examines at most
// QueryScanBudget addresses.
func (s *Store) Query(ctx context.Context, o QueryOptions) (Page, error) {
	o = o.normalise()
	limit := o.Limit
	if limit <= 0 {
		limit = DefaultPageSize
	}
	limit = min(limit, MaxPageSize)
	fh := o.filterHash()
	mode, key := "t", s.key("idx", "time")
	post := o // the filters left to check on each record
	switch {
	case o.Prefix != "":
		mode, key = "l", s.key("idx", "addr")
	case o.Reason != "":
		key, post.Reason = s.key("idx", "reason", o.Reason), ""
	case o.Domain != "":
		key, post.Domain = s.key("idx", "domain", o.Domain), ""
	}
	var cur cursor
	if o.Cursor != "" {
		b, err := base64.RawURLEncoding.DecodeString(o.Cursor)
		if err != nil || json.Unmarshal(b, &cur) != nil || cur.Member == "" {
			return Page{}, fmt.Errorf("%w: cursor: not a cursor of this store", ErrInvalid)
		}
		if cur.Filter != fh || cur.Mode != mode {
			return Page{}, fmt.Errorf("%w: cursor: it belongs to other filters", ErrInvalid)
		}
	}
	lo, hi := "", ""
	if !o.Since.IsZero() {
		lo = strconv.FormatInt(ms(o.Since), 10)
	}
	if !o.Until.IsZero() {
		hi = strconv.FormatInt(ms(o.Until), 10)
	}
	if err := s.lazySweep(ctx); err != nil {
		return Page{}, err
	}
	if mode == "l" {
		if err := s.ensureAddrIndex(ctx); err != nil {
			return Page{}, err
		}
	}
	v, err := queryScript.Run(ctx, s.c, []string{key}, s.prefix, mode, cur.Score, cur.Member, limit, QueryScanBudget,
		lo, hi, post.Prefix, post.Reason, post.Category, post.Scope, post.Domain, post.Carrier).Slice()
	if err != nil {
		return Page{}, fmt.Errorf("suppress: query: %w", err)
	}
	if len(v) < 3 || len(v)%2 != 1 {
		return Page{}, fmt.Errorf("suppress: query: unexpected script reply of %d values", len(v))
	}
	p := Page{Records: make([]Record, 0, (len(v)-3)/2)}
	if n, ok := v[0].(int64); ok && n >= 0 {
		p.Total = &n
	}
	if m, _ := v[2].(string); m != "" {
		sc, _ := v[1].(string)
		b, _ := json.Marshal(cursor{Mode: mode, Score: sc, Member: m, Filter: fh})
		p.Next = base64.RawURLEncoding.EncodeToString(b)
	}
	for i := 3; i+1 < len(v); i += 2 {
		a, _ := v[i].(string)
		flat, _ := v[i+1].([]any)
		if len(flat) == 0 {
			continue
		}
		m := make(map[string]string, len(flat)/2)
		for j := 0; j+1 < len(flat); j += 2 {
			k, _ := flat[j].(string)
			val, _ := flat[j+1].(string)
			m[k] = val
		}
		p.Records = append(p.Records, *recordOf(a, m))
	}
	return p, nil
}

// ensureAddrIndex builds the address index (P:idx:addr) from the time
// index when a store written before it existed has suppressions but no
// address index. It runs once per Store.
func (s *Store) ensureAddrIndex(ctx context.Context) error {
	if s.addrIndexed.Load() {
		return nil
	}
	pipe := s.c.Pipeline()
	ex := pipe.Exists(ctx, s.key("idx", "addr"))
	n := pipe.ZCard(ctx, s.key("idx", "time"))
	if _, err := pipe.Exec(ctx); err != nil {
		return fmt.Errorf("suppress: address index: %w", err)
	}
	if ex.Val() == 0 && n.Val() > 0 {
		const chunk = 10000
		for off := int64(0); off < n.Val(); off += chunk {
			ms, err := s.c.ZRange(ctx, s.key("idx", "time"), off, off+chunk-1).Result()
			if err != nil {
				return fmt.Errorf("suppress: address index: %w", err)
			}
			zs := make([]redis.Z, len(ms))
			for i, m := range ms {
				zs[i] = redis.Z{Member: m}
			}
			if len(zs) > 0 {
				if err := s.c.ZAdd(ctx, s.key("idx", "addr"), zs...).Err(); err != nil {
					return fmt.Errorf("suppress: address index: %w", err)
				}
			}
		}
		s.log.InfoContext(ctx, "suppress: address index built", "addresses", n.Val())
	}
	s.addrIndexed.Store(true)
	return nil
}

// queryScript returns one page of Query.
//
// KEYS: 1 the index (a ZSET: by suppression time, or the address index
// with score 0 for "l" mode).
// ARGV: 1 prefix, 2 mode ("t" by time, newest first; "l" by address),
// 3 cursor score, 4 cursor member ("" for the first page), 5 limit,
// 6 scan budget, 7 since ms, 8 until ms (exclusive) ("" for none), then
// the filters to check on each record ("" for none): 9 address prefix,
// 10 reason, 11 category, 12 scope, 13 domain, 14 carrier.
//
// It returns {total or -1, next score, next member, address, HGETALL, ...};
// next member "" when the scan reached the end.
var queryScript = redis.NewScript(luaLib + `
local key, mode = KEYS[1], ARGV[2]
local limit, budget = tonumber(ARGV[5]), tonumber(ARGV[6])
local lo, hi = num(ARGV[7]), num(ARGV[8])
local fpre, freason, fcat, fscope, fdom, fcar = ARGV[9], ARGV[10], ARGV[11], ARGV[12], ARGV[13], ARGV[14]
local timed = mode == 'l' and (lo or hi)
local fields = freason ~= '' or fcat ~= '' or fscope ~= '' or fcar ~= '' or timed
local cheap = fpre ~= '' or fdom ~= ''

local function match(a)
  if fpre ~= '' and string.sub(a, 1, #fpre) ~= fpre then return false end
  if fdom ~= '' and domain_of(a) ~= fdom then return false end
  if not fields then return true end
  local f = redis.call('HMGET', P .. ':addr:' .. a, 'reason', 'category', 'scope', 'carrier', 'suppressed_at')
  if freason ~= '' and f[1] ~= freason then return false end
  if fcat ~= '' and f[2] ~= fcat then return false end
  if fscope ~= '' and not contains(split(f[3] or '', ','), fscope) then return false end
  if fcar ~= '' and f[4] ~= fcar then return false end
  if timed then
    local at = num(f[5]) or 0
    if lo and at < lo then return false end
    if hi and at >= hi then return false end
  end
  return true
end

local out = {}
local total = -1
local scanned, n = 0, 0
local ns, nm = '', ''
local chunk = limit
if fields or cheap then chunk = 500 end

if mode == 'l' then
  local pre = fpre
  local stop = '+'
  local start = '-'
  if ARGV[9] ~= '' then
    start, stop = '[' .. pre, '[' .. pre .. '\255'
  end
  if not fields and not (fdom ~= '') then
    total = redis.call('ZLEXCOUNT', key, start, stop)
  end
  if ARGV[4] ~= '' then start = '(' .. ARGV[4] end
  while true do
    local batch = redis.call('ZRANGEBYLEX', key, start, stop, 'LIMIT', 0, chunk)
    local full = false
    for _, m in ipairs(batch) do
      scanned = scanned + 1
      if match(m) then
        n = n + 1
        out[#out + 1] = m
        out[#out + 1] = redis.call('HGETALL', P .. ':addr:' .. m)
      end
      nm = m
      if n >= limit or scanned >= budget then full = true break end
    end
    if full then break end
    if #batch < chunk then nm = '' break end
    start = '(' .. nm
  end
else
  if not fields and not cheap then
    local clo, chi = '-inf', '+inf'
    if lo then clo = lo end
    if hi then chi = '(' .. hi end
    total = redis.call('ZCOUNT', key, clo, chi)
  end
  local rank = 0
  if ARGV[4] ~= '' then
    local sc = redis.call('ZSCORE', key, ARGV[4])
    if sc and tonumber(sc) == tonumber(ARGV[3]) then
      rank = redis.call('ZREVRANK', key, ARGV[4]) + 1
    else
      -- The cursor's address left the index: start after where it was.
      -- Members of one score come in reverse byte order.
      rank = redis.call('ZCOUNT', key, '(' .. ARGV[3], '+inf')
      local off = 0
      while true do
        local ties = redis.call('ZRANGEBYSCORE', key, ARGV[3], ARGV[3], 'LIMIT', off, 1000)
        for _, m in ipairs(ties) do
          if m > ARGV[4] then rank = rank + 1 end
        end
        if #ties < 1000 then break end
        off = off + 1000
      end
    end
  elseif hi then
    rank = redis.call('ZCOUNT', key, hi, '+inf')
  end
  while true do
    local batch = redis.call('ZREVRANGE', key, rank, rank + chunk - 1, 'WITHSCORES')
    local full, ended = false, false
    for i = 1, #batch, 2 do
      local m, sc = batch[i], batch[i + 1]
      if lo and tonumber(sc) < lo then ended = true break end
      scanned = scanned + 1
      if match(m) then
        n = n + 1
        out[#out + 1] = m
        out[#out + 1] = redis.call('HGETALL', P .. ':addr:' .. m)
      end
      ns, nm = sc, m
      if n >= limit or scanned >= budget then full = true break end
    end
    if ended then ns, nm = '', '' break end
    if full then break end
    if #batch / 2 < chunk then ns, nm = '', '' break end
    rank = rank + chunk
  end
end
local res = {total, ns, nm}
for _, x in ipairs(out) do res[#res + 1] = x end
return res
`)
