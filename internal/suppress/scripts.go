package suppress

import (
	"fmt"
	"strings"

	"github.com/redis/go-redis/v9"

	"github.com/bounced-dev/bounced/outcome"
)

// noEpochReply starts the error the apply script returns when the store
// must have an epoch and has none.
const noEpochReply = "NOEPOCH"

// The Lua scripts below run inside Redis, each atomically. Every one of them
// starts with luaLib, which defines P (the key prefix, always ARGV[1]) and
// the helpers shared by the scripts. Times are Unix milliseconds.
//
// Cluster: each script declares its main keys in KEYS, so that clients route
// it to the right node, and derives a few more (another address's record
// when sweeping, the index of a record's previous reason) from P. That is
// sound only because every key starts with P and P holds a hash tag
// ("{bounced}" by default), which puts all the store's keys in one slot.

// luaLib is the prelude of every script: P, the per-scope state of a
// record, and the sweep of expired suppressions.
var luaLib = `
local P = ARGV[1]

local function num(v)
  if v == false or v == nil or v == '' then return nil end
  return tonumber(v)
end

local function domain_of(a)
  return string.match(a, '@([^@]*)$') or ''
end

-- iso formats Unix milliseconds as RFC 3339 in UTC, like Go's time.Time
-- JSON encoding (civil_from_days, after H. Hinnant).
local function iso(ms)
  local s = math.floor(ms / 1000)
  local frac = ms - s * 1000
  local days = math.floor(s / 86400)
  local rem = s - days * 86400
  local z = days + 719468
  local era = math.floor(z / 146097)
  local doe = z - era * 146097
  local yoe = math.floor((doe - math.floor(doe / 1460) + math.floor(doe / 36524) - math.floor(doe / 146096)) / 365)
  local y = yoe + era * 400
  local doy = doe - (365 * yoe + math.floor(yoe / 4) - math.floor(yoe / 100))
  local mp = math.floor((5 * doy + 2) / 153)
  local d = doy - math.floor((153 * mp + 2) / 5) + 1
  local m = mp + 3
  if mp >= 10 then m = mp - 9 end
  if m <= 2 then y = y + 1 end
  return string.format('%04d-%02d-%02dT%02d:%02d:%02d.%03dZ', y, m, d,
    math.floor(rem / 3600), math.floor((rem % 3600) / 60), rem % 60, frac)
end

local function unindex(a, reason)
  redis.call('ZREM', P .. ':idx:time', a)
  if reason and reason ~= '' then
    redis.call('ZREM', P .. ':idx:reason:' .. reason, a)
  end
  redis.call('ZREM', P .. ':idx:domain:' .. domain_of(a), a)
  redis.call('ZREM', P .. ':idx:addr', a) -- lexical index (query.go)
end

local function index(a, reason, score)
  redis.call('ZADD', P .. ':idx:time', score, a)
  if reason and reason ~= '' then
    redis.call('ZADD', P .. ':idx:reason:' .. reason, score, a)
  end
  redis.call('ZADD', P .. ':idx:domain:' .. domain_of(a), score, a)
  redis.call('ZADD', P .. ':idx:addr', 0, a) -- lexical index (query.go)
end

local function split(s, sep)
  local out = {}
  for x in string.gmatch(s or '', '[^' .. sep .. ']+') do out[#out + 1] = x end
  return out
end

local function contains(list, x)
  for _, v in ipairs(list) do if v == x then return true end end
  return false
end

-- set_of is the set that answers "is a suppressed for scope sc?".
local function set_of(sc)
  if sc == 'all' then return P .. ':suppressed' end
  return P .. ':suppressed:' .. sc
end

-- The per-scope fields of a record hash: sc:<scope> the expiry (ms, 0 for
-- good), sr/sg/sk:<scope> the reason, category and kind that suppressed
-- it, st:<scope> when, rp/rc:<scope> its re-probe time and counter.
local scope_fields = {'sc:', 'sr:', 'sg:', 'sk:', 'st:', 'rp:', 'rc:'}

-- fields_of returns the fields of hash h as a table, {} when h is missing.
local function fields_of(h)
  local m = {}
  local f = redis.call('HGETALL', h)
  for k = 1, #f, 2 do m[f[k]] = f[k + 1] end
  return m
end

-- state_of returns {scope = expiry} of the scopes a record whose fields
-- are m (fields_of) is suppressed in.
local function state_of(m)
  local st = {}
  for k, v in pairs(m) do
    if string.sub(k, 1, 3) == 'sc:' then st[string.sub(k, 4)] = tonumber(v) end
  end
  return st
end

-- state returns {scope = expiry} of the scopes h is suppressed in.
local function state(h)
  return state_of(fields_of(h))
end

-- hset writes field, value pairs to hash h, or, when w is a table, adds
-- them to it for one HSET later (the apply script writes a record once:
-- pairs added later win, as a later HSET would).
local function hset(h, w, ...)
  if not w then
    redis.call('HSET', h, ...)
    return
  end
  local n, v = select('#', ...), {...}
  for i = 1, n do w[#w + 1] = v[i] end
end

-- migrate gives a record written before scopes (one 'scope' field and a
-- 'marketing' complaint flag) its sc: fields.
local function migrate(h)
  if redis.call('HEXISTS', h, 'v') == 1 or redis.call('EXISTS', h) == 0 then return end
  local f = redis.call('HMGET', h, 'v', 'scope', 'expires_at', 'reason', 'category', 'kind',
    'suppressed_at', 'marketing', 'marketing_reason', 'marketing_category', 'marketing_at')
  if f[2] == 'all' then
    redis.call('HSET', h, 'sc:all', num(f[3]) or 0, 'sr:all', f[4] or '', 'sg:all', f[5] or '',
      'sk:all', f[6] or '', 'st:all', f[7] or '')
  end
  if f[8] == '1' or f[2] == 'marketing' then
    redis.call('HSET', h, 'sc:marketing', 0, 'sr:marketing', f[9] or f[4] or '', 'sg:marketing', f[10] or f[5] or '',
      'sk:marketing', 'complaint', 'st:marketing', f[11] or f[7] or '')
  end
  redis.call('HSET', h, 'v', '2')
end

-- scope_list orders the scopes of st: all alone when there; else the
-- configured scopes in order, then any other (a stream no longer
-- configured) sorted. forever is true when one is for good, exp the
-- latest expiry.
local function scope_list(st, scopes)
  if st['all'] then return {'all'}, st['all'] == 0, st['all'] end
  local list, forever, exp = {}, false, 0
  local extra = {}
  for x, _ in pairs(st) do if not contains(scopes, x) then extra[#extra + 1] = x end end
  table.sort(extra)
  for _, x in ipairs(scopes) do if st[x] then list[#list + 1] = x end end
  for _, x in ipairs(extra) do list[#list + 1] = x end
  for _, x in ipairs(list) do
    if st[x] == 0 then forever = true elseif st[x] > exp then exp = st[x] end
  end
  return list, forever, exp
end

-- summarize writes the record's scope, expires_at and suppressed_at from
-- its sc: fields, and its indexes. It returns the scope string and the
-- expiry (nil for good or not suppressed). f, when given, is what the
-- caller knows the record's scope, reason and suppressed_at are (else
-- they are read), and w, when given, takes the record's writes (hset).
local function summarize(h, a, scopes, at, st, f, w)
  st = st or state(h)
  local list, forever, exp = scope_list(st, scopes)
  f = f or redis.call('HMGET', h, 'scope', 'reason', 'suppressed_at')
  local scope = table.concat(list, ',')
  if scope == '' then
    if f[1] and f[1] ~= '' then unindex(a, f[2]) end
    hset(h, w, 'scope', '', 'expires_at', '')
    return '', nil
  end
  local sat = num(f[3])
  if not f[1] or f[1] == '' or not sat then sat = at end
  if forever then exp = nil end
  hset(h, w, 'scope', scope, 'expires_at', exp or '', 'suppressed_at', sat)
  index(a, f[2], sat)
  return scope, exp
end

-- drop_counter forgets the soft bounces counted under counter.
local function drop_counter(a, counter)
  local k = P .. ':soft:' .. a
  local ms = redis.call('ZRANGE', k, 0, -1)
  local pre = counter .. '|'
  for _, m in ipairs(ms) do
    if string.sub(m, 1, #pre) == pre then redis.call('ZREM', k, m) end
  end
end

-- member_of parses an expiry member, scope:address (a bare address, from
-- before scopes, is scope all).
local function member_of(m)
  local c = string.find(m, ':', 1, true)
  if c and not string.find(string.sub(m, 1, c - 1), '@', 1, true) then
    return string.sub(m, 1, c - 1), string.sub(m, c + 1)
  end
  return 'all', m
end

-- sweep lifts at most limit scope suppressions whose expiry is at or
-- before now. An address keeps the other scopes it is suppressed in (a
-- complaint's marketing suppression outlives a soft one for all mail),
-- described by the entry that suppressed them. It returns how many it
-- lifted.
local function sweep(now, limit, scopes)
  local ex = redis.call('ZRANGEBYSCORE', P .. ':expiry', '-inf', now, 'LIMIT', 0, limit)
  for _, m in ipairs(ex) do
    redis.call('ZREM', P .. ':expiry', m)
    local sc, a = member_of(m)
    local h = P .. ':addr:' .. a
    migrate(h)
    local v = num(redis.call('HGET', h, 'sc:' .. sc))
    if v and v > 0 and v <= now then
      local f = redis.call('HMGET', h, 'rp:' .. sc, 'rc:' .. sc, 'reason')
      for _, p in ipairs(scope_fields) do redis.call('HDEL', h, p .. sc) end
      if f[2] and f[2] ~= '' then
        drop_counter(a, f[2])
        if num(f[1]) and num(f[1]) > 0 then redis.call('HSET', h, 'pb:' .. f[2], v + num(f[1])) end
      end
      local st = state(h)
      if sc == 'all' then
        redis.call('SREM', P .. ':suppressed', a)
        for _, x in ipairs(scopes) do
          if not st[x] then redis.call('SREM', set_of(x), a) end
        end
      elseif not st['all'] then
        redis.call('SREM', set_of(sc), a)
      end
      local list = scope_list(st, scopes)
      if #list > 0 then
        -- What still suppresses the address describes it.
        local x = list[1]
        local g = redis.call('HMGET', h, 'sr:' .. x, 'sg:' .. x, 'sk:' .. x, 'st:' .. x)
        if f[3] and f[3] ~= '' and f[3] ~= g[1] then redis.call('ZREM', P .. ':idx:reason:' .. f[3], a) end
        -- The evidence fields are not kept per scope: when the record
        -- described the expired scope's entry, they no longer describe it.
        if f[3] ~= g[1] or redis.call('HGET', h, 'kind') ~= g[3] then
          redis.call('HSET', h, ` + evidenceReset + `)
        end
        redis.call('HSET', h, 'reason', g[1] or '', 'category', g[2] or '', 'kind', g[3] or '',
          'suppressed_at', num(g[4]) or now)
      else
        redis.call('HSET', h, 'expired_at', v)
      end
      summarize(h, a, scopes, now)
    end
  end
  return #ex
end

-- put suppresses a in scope sc until e (nil: for good), unless it is
-- already suppressed there as long. It returns whether it changed. rec,
-- when given, is the record's fields as they are (fields_of; put reads
-- them there instead of from h), and w then takes its writes (hset).
local function put(h, a, sc, e, at, reason, category, kind, reprobe, counter, scopes, st, rec, w)
  local cur = st[sc]
  if cur == 0 then return false end
  if cur and e and e <= cur then return false end
  local start
  if rec then start = num(rec['st:' .. sc]) else start = num(redis.call('HGET', h, 'st:' .. sc)) end
  if not cur or not start then start = at end
  hset(h, w, 'sc:' .. sc, e or 0, 'sr:' .. sc, reason, 'sg:' .. sc, category,
    'sk:' .. sc, kind, 'st:' .. sc, start)
  if e and reprobe > 0 then
    hset(h, w, 'rp:' .. sc, reprobe, 'rc:' .. sc, counter)
  elseif not rec or rec['rp:' .. sc] or rec['rc:' .. sc] then
    redis.call('HDEL', h, 'rp:' .. sc, 'rc:' .. sc)
  end
  st[sc] = e or 0
  local m = sc .. ':' .. a
  if e then
    redis.call('ZADD', P .. ':expiry', e, m)
  elseif cur or not rec then
    -- An expiry member sc:a exists only while the scope has that expiry.
    redis.call('ZREM', P .. ':expiry', m)
  end
  redis.call('SADD', set_of(sc), a)
  if sc == 'all' then
    for _, x in ipairs(scopes) do redis.call('SADD', set_of(x), a) end
  end
  return true
end

-- effective reports whether st suppresses scope x.
local function effective(st, x)
  return st['all'] ~= nil or st[x] ~= nil
end
`

// applyScript records one entry; see Store.Apply. Fenced: see fenceCheck.
//
// KEYS: 1 idem, 2 addr hash, 3 soft window, 4 all-mail set, 5 expiry,
// 6 idx:time, 7 idx:reason:<reason>, 8 idx:domain:<domain>, 9 seen
// (original message, address, effect), 10 epoch, 11 allowlisted
// addresses, 12 allowlisted domains, 13 outage window, 14 outage alert.
// ARGV: 1 prefix, 2 now, 3 sweep limit, 4 address, 5 action (suppress,
// count, notify, ignore, evidence), 6 at, 7 threshold (distinct days),
// 8 window, 9 expiry (0 for good), 10 scope, 11 idempotency TTL,
// 12 idempotency key, 13 reason, 14 category, 15 "1" to refuse without an
// epoch, 16 seen TTL, 17 counter (the rule's key), 18 re-probe, 19 the
// scopes but all, comma-separated, 20 "1" to feed the outage detector,
// 21 its domains, 22 its window, 23 the address's domain, 24 the
// configured allowlist, one entry a line between newlines, 25 kind,
// 26... detail field name/value pairs.
//
// It returns {1, json} for a duplicate and {0, json} otherwise, json being
// the Result, and the error NOEPOCH (noEpochReply) when ARGV[15] is "1" and
// the epoch key is missing.
var applySrc = luaLib + fenceCheck + `
if ARGV[15] == '1' and redis.call('EXISTS', KEYS[10]) == 0 then
  return redis.error_reply('` + noEpochReply + ` the store has no epoch: redis lost its data')
end
local now = tonumber(ARGV[2])
local scopes = split(ARGV[19], ',')
sweep(now, tonumber(ARGV[3]), scopes)

local prev = redis.call('GET', KEYS[1])
if prev then return {1, prev} end

local a, action, at = ARGV[4], ARGV[5], tonumber(ARGV[6])
local reason, category, kind = ARGV[13], ARGV[14], ARGV[25]
local h = KEYS[2]
-- The record is read once (rec) and written once, at the end (W): what
-- the script reads of it below is rec, with what it wrote since.
local rec = fields_of(h)
if next(rec) ~= nil and not rec['v'] then
  migrate(h)
  rec = fields_of(h)
end

-- The same bounce under another key (received again, or a case variant
-- of the address): it was counted, it changes nothing.
if not redis.call('SET', KEYS[9], '1', 'PX', ARGV[16], 'NX') then
  local sc = rec['scope'] or ''
  local res = {suppressed = sc ~= '', newly_suppressed = false, scope = sc,
    count = tonumber(rec['count']) or 0, window_count = 0, ['repeat'] = true}
  if sc ~= '' and num(rec['expires_at']) then res.expires_at = iso(num(rec['expires_at'])) end
  local js = cjson.encode(res)
  redis.call('SET', KEYS[1], js, 'PX', ARGV[11])
  return {0, js}
end

local domain = ARGV[23]
local allowed = redis.call('SISMEMBER', KEYS[11], a) == 1 or redis.call('SISMEMBER', KEYS[12], domain) == 1
  or string.find(ARGV[24], '\n' .. a .. '\n', 1, true) ~= nil
  or string.find(ARGV[24], '\n' .. domain .. '\n', 1, true) ~= nil

-- The outage detector: network-class failures for many domains at once.
local outage = false
if ARGV[20] == '1' then
  local bw = tonumber(ARGV[22])
  redis.call('ZADD', KEYS[13], at, domain)
  redis.call('ZREMRANGEBYSCORE', KEYS[13], '-inf', '(' .. (at - bw))
  redis.call('PEXPIRE', KEYS[13], bw)
  local n = redis.call('ZCOUNT', KEYS[13], at - bw, at + bw)
  local last = num(redis.call('GET', KEYS[14]))
  if n >= tonumber(ARGV[21]) and (not last or at >= last + bw or at < last - bw) then
    redis.call('SET', KEYS[14], at, 'PX', 2 * bw)
    outage = true
  end
end

local cur = {rec['first_seen'], rec['last_seen'], rec['reason'], rec['scope']}
local count = (tonumber(rec['count']) or 0) + 1
local fs, ls = num(cur[1]), num(cur[2])
if not fs or at < fs then fs = at end
if not ls or at > ls then ls = at end
local W = {'count', count, 'first_seen', fs, 'last_seen', ls, 'v', '2'}

local before = state_of(rec)
local after = {}
for k, v in pairs(before) do after[k] = v end
local sc = ARGV[10]
local expiry, reprobe, counter = tonumber(ARGV[9]), tonumber(ARGV[18]), ARGV[17]
local touch, wc = false, 0
if allowed then
  -- Never suppressed, never counted.
elseif action == 'suppress' then
  local e = nil
  if expiry > 0 then e = at + expiry end
  if not e or e > now then
    touch = put(h, a, sc, e, at, reason, category, kind, reprobe, counter, scopes, after, rec, W)
  end
elseif action == 'count' then
  -- The entry counts in the busiest window of length win (a span shorter
  -- than win) that contains it, so that late, out-of-order reports count;
  -- a window counts the distinct UTC days it has bounces on.
  local win, thr = tonumber(ARGV[8]), tonumber(ARGV[7])
  local pb = num(rec['pb:' .. counter])
  if pb and at <= pb then thr = 1 end
  local pre = counter .. '|'
  redis.call('ZADD', KEYS[3], at, pre .. ARGV[12])
  local sc2 = redis.call('ZRANGEBYSCORE', KEYS[3], '(' .. (at - win), '(' .. (at + win), 'WITHSCORES')
  local ts = {}
  for k = 1, #sc2, 2 do
    if string.sub(sc2[k], 1, #pre) == pre then ts[#ts + 1] = tonumber(sc2[k + 1]) end
  end
  local last = at
  for i = 1, #ts do
    if ts[i] <= at then
      local days, prevday = 0, nil
      for j = i, #ts do
        if ts[j] - ts[i] >= win then break end
        local d = math.floor(ts[j] / 86400000)
        if d ~= prevday then days, prevday = days + 1, d end
        if ts[j] >= at and (days > wc or (days == wc and ts[j] > last)) then wc, last = days, ts[j] end
      end
    end
  end
  -- Keep what a late entry could still need; the key expires when idle.
  local newest = tonumber(redis.call('ZRANGE', KEYS[3], -1, -1, 'WITHSCORES')[2])
  redis.call('ZREMRANGEBYSCORE', KEYS[3], '-inf', newest - 2 * win)
  local ttl = 2 * win
  if newest + 2 * win - now > ttl then ttl = newest + 2 * win - now end
  redis.call('PEXPIRE', KEYS[3], ttl)
  if wc >= thr then
    local e = nil
    if expiry > 0 then e = last + expiry end
    if not e or e > now then
      touch = put(h, a, sc, e, at, reason, category, kind, reprobe, counter, scopes, after, rec, W)
    end
  end
end

local newly = false
for _, x in ipairs(scopes) do
  if effective(after, x) and not effective(before, x) then newly = true end
end
if after['all'] and not before['all'] then newly = true end

local described = rec['reason']
if touch or next(before) == nil then
  -- The entry decided a suppression, or nothing suppresses: it describes
  -- the record.
  if touch and cur[3] and cur[3] ~= '' and cur[3] ~= reason then
    redis.call('ZREM', P .. ':idx:reason:' .. cur[3], a)
  end
  hset(h, W, 'reason', reason, 'category', category, 'kind', kind)
  for i = 26, #ARGV - 4 do W[#W + 1] = ARGV[i] end
  described = reason -- the detail pairs' reason is the entry's too
end

-- History and daily counters (history.go, stats.go): the last four ARGV
-- are the UTC day of the entry, its kind, the recipient's carrier and a
-- compact JSON line for the address's capped history list.
do
  local day, kind, carrier, line = ARGV[#ARGV - 3], ARGV[#ARGV - 2], ARGV[#ARGV - 1], ARGV[#ARGV]
  local hk = P .. ':hist:' .. a
  if redis.call('LPUSH', hk, line) > ` + historyLenLua + ` then
    redis.call('LTRIM', hk, 0, ` + historyLenLua + ` - 1)
  end
  local sk = P .. ':stats:' .. day
  -- The day's counters expire statsTTL after their first entry.
  local first = redis.call('HINCRBY', sk, 'total', 1) == 1
  redis.call('HINCRBY', sk, 'kind:' .. kind, 1)
  if kind == 'bounce' or kind == 'complaint' then
    redis.call('HINCRBY', sk, 'category:' .. category, 1)
    redis.call('HINCRBY', sk, 'reason:' .. reason, 1)
    redis.call('HINCRBY', sk, 'domain:' .. domain_of(a), 1)
    if carrier ~= '' then redis.call('HINCRBY', sk, 'carrier:' .. carrier, 1) end
  end
  if newly then redis.call('HINCRBY', sk, 'suppressed', 1) end
  if first then redis.call('PEXPIRE', sk, ` + statsTTLLua + `) end
end
local scope, exp = summarize(h, a, scopes, at, after, {rec['scope'], described, rec['suppressed_at']}, W)
redis.call('HSET', h, unpack(W))

local res = {suppressed = scope ~= '', newly_suppressed = newly, scope = scope,
  count = count, window_count = wc, allowlisted = allowed, outage = outage}
if scope ~= '' and exp then res.expires_at = iso(exp) end
local js = cjson.encode(res)
redis.call('SET', KEYS[1], js, 'PX', ARGV[11])
return {0, js}
`
var applyScript = redis.NewScript(applySrc)

// isSuppressedScript sweeps, then answers Store.IsSuppressed with one
// SISMEMBER.
//
// KEYS: 1 the scope's set, 2 expiry.
// ARGV: 1 prefix, 2 now, 3 sweep limit, 4 address, 5 scopes (comma-separated).
var isSuppressedScript = redis.NewScript(luaLib + `
sweep(tonumber(ARGV[2]), tonumber(ARGV[3]), split(ARGV[5], ','))
return redis.call('SISMEMBER', KEYS[1], ARGV[4])
`)

// sweepScript lifts expired soft suppressions; see Store.Sweep.
//
// KEYS: 1 expiry. ARGV: 1 prefix, 2 now, 3 limit, 4 scopes.
var sweepScript = redis.NewScript(luaLib + `
return sweep(tonumber(ARGV[2]), tonumber(ARGV[3]), split(ARGV[4], ','))
`)

// removeScript lifts every suppression of an address, audits it and
// queues its suppression.removed event in the outbox; see Store.Remove.
//
// KEYS: 1 addr hash, 2 soft window, 3 all-mail set, 4 marketing set,
// 5 expiry, 6 idx:time, 7 audit, 8 outbox.
// ARGV: 1 prefix, 2 now, 3 sweep limit, 4 address, 5 actor, 6 note,
// 7 now as RFC 3339, 8 audit length, 9 "1" to queue the event in the
// outbox (a lift replayed by a rebuild has its event already), 10 scopes.
var removeScript = redis.NewScript(luaLib + `
local scopes = split(ARGV[10], ',')
sweep(tonumber(ARGV[2]), tonumber(ARGV[3]), scopes)
local a, h = ARGV[4], KEYS[1]
migrate(h)
local f = redis.call('HMGET', h, 'scope', 'reason', 'kind', 'category', 'hard', 'count')
local st = state(h)
local n = redis.call('SREM', KEYS[3], a)
for _, x in ipairs(scopes) do n = n + redis.call('SREM', set_of(x), a) end
for x, _ in pairs(st) do
  n = n + redis.call('SREM', set_of(x), a)
  redis.call('ZREM', KEYS[5], x .. ':' .. a)
  for _, p in ipairs(scope_fields) do redis.call('HDEL', h, p .. x) end
end
local scope = f[1] or ''
if n == 0 and scope == '' then return 0 end
redis.call('ZREM', KEYS[5], a)
redis.call('DEL', KEYS[2])
unindex(a, f[2])
if redis.call('EXISTS', h) == 1 then
  redis.call('HSET', h, 'scope', '', 'expires_at', '', 'marketing', '',
    'lifted_at', ARGV[2], 'lifted_by', ARGV[5])
end
redis.call('LPUSH', KEYS[7], cjson.encode({at = ARGV[7], action = 'remove', address = a,
  actor = ARGV[5], note = ARGV[6], scope = scope, reason = f[2] or ''}))
redis.call('LTRIM', KEYS[7], 0, tonumber(ARGV[8]) - 1)
if ARGV[9] == '1' then
  redis.call('RPUSH', KEYS[8], cjson.encode({at = ARGV[7], at_ms = ARGV[2], address = a,
    actor = ARGV[5], note = ARGV[6], scope = scope, reason = f[2] or '', kind = f[3] or '',
    category = f[4] or '', hard = f[5] or '', count = f[6] or ''}))
end
return 1
`)

// allowScript adds an entry to, or removes it from, an allowlist set and
// audits the change; see Store.Allow.
//
// KEYS: 1 allowlist set, 2 audit. ARGV: 1 prefix, 2 "add" or "remove",
// 3 entry, 4 actor, 5 note, 6 now as RFC 3339, 7 audit length.
// It returns 1 when the set changed.
var allowScript = redis.NewScript(luaLib + `
local n
if ARGV[2] == 'add' then n = redis.call('SADD', KEYS[1], ARGV[3]) else n = redis.call('SREM', KEYS[1], ARGV[3]) end
if n == 0 then return 0 end
redis.call('LPUSH', KEYS[2], cjson.encode({at = ARGV[6], action = 'allow_' .. ARGV[2], address = ARGV[3],
  actor = ARGV[4], note = ARGV[5], scope = '', reason = ''}))
redis.call('LTRIM', KEYS[2], 0, tonumber(ARGV[7]) - 1)
return 1
`)

// deliveredScript forgets the soft bounces counted for an address up to a
// successful delivery, and ends its re-probe probation; see
// Store.Delivered.
//
// KEYS: 1 addr hash, 2 soft window. ARGV: 1 delivery time.
// It returns how many counted bounces it forgot.
var deliveredScript = redis.NewScript(`
local n = redis.call('ZREMRANGEBYSCORE', KEYS[2], '-inf', ARGV[1])
if redis.call('EXISTS', KEYS[1]) == 1 then
  local f = redis.call('HKEYS', KEYS[1])
  for _, k in ipairs(f) do
    if string.sub(k, 1, 3) == 'pb:' then redis.call('HDEL', KEYS[1], k) end
  end
  local ld = tonumber(redis.call('HGET', KEYS[1], 'last_delivered') or '')
  if not ld or ld < tonumber(ARGV[1]) then redis.call('HSET', KEYS[1], 'last_delivered', ARGV[1]) end
end
return n
`)

// createEpochScript writes the epoch unless there is one; see
// Store.CheckEpoch.
//
// KEYS: 1 epoch. ARGV: 1 id, 2 created at.
var createEpochScript = redis.NewScript(`
if redis.call('EXISTS', KEYS[1]) == 1 then return 0 end
redis.call('HSET', KEYS[1], 'id', ARGV[1], 'created_at', ARGV[2])
return 1
`)

// evidenceReset is the Lua argument list (name, value pairs) that empties
// the evidence of a record: every field of outcome.Verdict but its kind,
// reason and category (hard as "0"), and the fields the store keeps beside
// them. A script writes it when the entry that described the record no
// longer does (an expired scope, an addition by hand).
var evidenceReset = func() string {
	var b strings.Builder
	for _, n := range append(outcome.FieldNames(), "verification", "raw", "policy", "hint") {
		switch n {
		case "kind", "reason", "category":
			continue
		}
		if b.Len() > 0 {
			b.WriteString(", ")
		}
		v := "''"
		if n == "hard" {
			v = "'0'"
		}
		fmt.Fprintf(&b, "'%s', %s", n, v)
	}
	return b.String()
}()
