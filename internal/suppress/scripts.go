package suppress

import "github.com/redis/go-redis/v9"

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

// luaLib is the prelude of every script: P, and the sweep of expired soft
// suppressions.
const luaLib = `
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
end

local function index(a, reason, score)
  redis.call('ZADD', P .. ':idx:time', score, a)
  if reason ~= '' then
    redis.call('ZADD', P .. ':idx:reason:' .. reason, score, a)
  end
  redis.call('ZADD', P .. ':idx:domain:' .. domain_of(a), score, a)
end

-- sweep lifts at most limit soft suppressions whose expiry is at or before
-- now. An address that also has a complaint on record falls back to the
-- marketing scope, described by the complaint. It returns how many it lifted.
local function sweep(now, limit)
  local ex = redis.call('ZRANGEBYSCORE', P .. ':expiry', '-inf', now, 'LIMIT', 0, limit)
  for _, a in ipairs(ex) do
    local h = P .. ':addr:' .. a
    local f = redis.call('HMGET', h, 'reason', 'marketing', 'marketing_reason',
      'marketing_category', 'marketing_at', 'expires_at')
    redis.call('ZREM', P .. ':expiry', a)
    redis.call('SREM', P .. ':suppressed', a)
    redis.call('DEL', P .. ':soft:' .. a)
    unindex(a, f[1])
    if f[2] == '1' then
      local mat = num(f[5]) or now
      redis.call('SADD', P .. ':suppressed:marketing', a)
      redis.call('HSET', h, 'scope', 'marketing', 'expires_at', '', 'expired_at', f[6] or '',
        'suppressed_at', mat, 'kind', 'complaint', 'reason', f[3] or '', 'category', f[4] or '',
        'hard', '0', 'status', '', 'reply_code', '', 'diagnostic', '', 'remote_mta', '', 'rule', '')
      index(a, f[3] or '', mat)
    elseif redis.call('EXISTS', h) == 1 then
      redis.call('HSET', h, 'scope', '', 'expires_at', '', 'expired_at', f[6] or '')
    end
  end
  return #ex
end
`

// applyScript records one entry; see Store.Apply. Fenced: see fenceCheck.
//
// KEYS: 1 idem, 2 addr hash, 3 soft window, 4 all-mail set, 5 marketing set,
// 6 expiry, 7 idx:time, 8 idx:reason:<reason>, 9 idx:domain:<domain>,
// 10 seen (original message, address, action), 11 epoch.
// ARGV: 1 prefix, 2 now, 3 sweep limit, 4 address, 5 action (hard, soft,
// complaint, evidence), 6 at, 7 soft threshold, 8 soft window, 9 soft
// expiry, 10 complaint scope, 11 idempotency TTL, 12 idempotency key,
// 13 reason, 14 category, 15 "1" to refuse without an epoch, 16 seen TTL,
// 17... detail field name/value pairs.
//
// It returns {1, json} for a duplicate and {0, json} otherwise, json being
// the Result, and the error NOEPOCH (noEpochReply) when ARGV[15] is "1" and
// the epoch key is missing.
var applyScript = redis.NewScript(luaLib + fenceCheck + `
if ARGV[15] == '1' and redis.call('EXISTS', KEYS[11]) == 0 then
  return redis.error_reply('` + noEpochReply + ` the store has no epoch: redis lost its data')
end
local now = tonumber(ARGV[2])
sweep(now, tonumber(ARGV[3]))

local prev = redis.call('GET', KEYS[1])
if prev then return {1, prev} end

local a, action, at = ARGV[4], ARGV[5], tonumber(ARGV[6])
local reason, category = ARGV[13], ARGV[14]
local h = KEYS[2]

-- The same bounce under another key (received again, or a case variant
-- of the address): it was counted, it changes nothing.
if redis.call('EXISTS', KEYS[10]) == 1 then
  local f = redis.call('HMGET', h, 'scope', 'expires_at', 'count')
  local sc = f[1] or ''
  local res = {suppressed = sc ~= '', newly_suppressed = false, scope = sc,
    count = tonumber(f[3]) or 0, window_count = 0, ['repeat'] = true}
  if sc ~= '' and num(f[2]) then res.expires_at = iso(num(f[2])) end
  local js = cjson.encode(res)
  redis.call('SET', KEYS[1], js, 'PX', ARGV[11])
  return {0, js}
end
redis.call('SET', KEYS[10], '1', 'PX', ARGV[16])
local cur = redis.call('HMGET', h, 'scope', 'expires_at', 'reason', 'first_seen', 'last_seen', 'suppressed_at')
local cur_scope = cur[1] or ''
local cur_exp = num(cur[2])
local cur_reason = cur[3] or ''

local count = redis.call('HINCRBY', h, 'count', 1)
local fs = num(cur[4])
if not fs or at < fs then redis.call('HSET', h, 'first_seen', at) end
local ls = num(cur[5])
if not ls or at > ls then redis.call('HSET', h, 'last_seen', at) end

-- scope and exp are the suppression after this entry (exp nil: permanent);
-- touch says the entry (re)asserts it, so its details describe the record.
local scope, exp, touch = cur_scope, cur_exp, false
local wc = 0
if action == 'hard' then
  scope, exp, touch = 'all', nil, true
elseif action == 'soft' then
  -- The entry counts in the busiest window of length win (a span shorter
  -- than win) that contains it, so that late, out-of-order reports count.
  local win = tonumber(ARGV[8])
  redis.call('ZADD', KEYS[3], at, ARGV[12])
  local sc = redis.call('ZRANGEBYSCORE', KEYS[3], '(' .. (at - win), '(' .. (at + win), 'WITHSCORES')
  local ts = {}
  for k = 2, #sc, 2 do ts[#ts + 1] = tonumber(sc[k]) end
  local last, i = at, 1
  for j = 1, #ts do
    while ts[j] - ts[i] >= win do i = i + 1 end
    if ts[i] <= at and ts[j] >= at and j - i + 1 > wc then
      wc, last = j - i + 1, ts[j]
    end
  end
  -- Keep what a late entry could still need; the key expires when idle.
  local newest = tonumber(redis.call('ZRANGE', KEYS[3], -1, -1, 'WITHSCORES')[2])
  redis.call('ZREMRANGEBYSCORE', KEYS[3], '-inf', newest - 2 * win)
  local ttl = 2 * win
  if newest + 2 * win - now > ttl then ttl = newest + 2 * win - now end
  redis.call('PEXPIRE', KEYS[3], ttl)
  if wc >= tonumber(ARGV[7]) then
    local e = last + tonumber(ARGV[9])
    if e > now then
      if cur_scope ~= 'all' then
        scope, exp, touch = 'all', e, true
      elseif cur_exp then
        if e > cur_exp then exp = e end
        touch = true
      end
    end
  end
elseif action == 'complaint' then
  redis.call('HSET', h, 'marketing', '1', 'marketing_reason', reason,
    'marketing_category', category, 'marketing_at', at)
  if ARGV[10] == 'all' then
    if not (cur_scope == 'all' and not cur_exp) then scope, exp, touch = 'all', nil, true end
  elseif cur_scope ~= 'all' then
    scope, exp, touch = 'marketing', nil, true
  end
end

local newly = false
if touch then
  local sat = num(cur[6])
  if scope ~= cur_scope or not sat then
    newly = scope ~= cur_scope
    sat = at
  end
  if scope == 'all' then
    redis.call('SADD', KEYS[4], a)
    redis.call('SREM', KEYS[5], a)
  else
    redis.call('SADD', KEYS[5], a)
  end
  if exp then
    redis.call('ZADD', KEYS[6], exp, a)
  else
    redis.call('ZREM', KEYS[6], a)
  end
  if cur_reason ~= '' and cur_reason ~= reason then
    redis.call('ZREM', P .. ':idx:reason:' .. cur_reason, a)
  end
  redis.call('ZADD', KEYS[7], sat, a)
  if reason ~= '' then redis.call('ZADD', KEYS[8], sat, a) end
  redis.call('ZADD', KEYS[9], sat, a)
  redis.call('HSET', h, 'scope', scope, 'expires_at', exp or '', 'suppressed_at', sat)
end
if touch or cur_scope == '' then
  redis.call('HSET', h, 'reason', reason, 'category', category, unpack(ARGV, 17))
end

local res = {suppressed = scope ~= '', newly_suppressed = newly, scope = scope,
  count = count, window_count = wc}
if scope ~= '' and exp then res.expires_at = iso(exp) end
local js = cjson.encode(res)
redis.call('SET', KEYS[1], js, 'PX', ARGV[11])
return {0, js}
`)

// isSuppressedScript sweeps, then answers Store.IsSuppressed.
//
// KEYS: 1 all-mail set, 2 marketing set, 3 expiry.
// ARGV: 1 prefix, 2 now, 3 sweep limit, 4 address, 5 scope.
var isSuppressedScript = redis.NewScript(luaLib + `
sweep(tonumber(ARGV[2]), tonumber(ARGV[3]))
if redis.call('SISMEMBER', KEYS[1], ARGV[4]) == 1 then return 1 end
if ARGV[5] == 'marketing' and redis.call('SISMEMBER', KEYS[2], ARGV[4]) == 1 then return 1 end
return 0
`)

// sweepScript lifts expired soft suppressions; see Store.Sweep.
//
// KEYS: 1 expiry. ARGV: 1 prefix, 2 now, 3 limit.
var sweepScript = redis.NewScript(luaLib + `
return sweep(tonumber(ARGV[2]), tonumber(ARGV[3]))
`)

// removeScript lifts a suppression, audits it and queues its
// suppression.removed event in the outbox; see Store.Remove.
//
// KEYS: 1 addr hash, 2 soft window, 3 all-mail set, 4 marketing set,
// 5 expiry, 6 idx:time, 7 audit, 8 outbox.
// ARGV: 1 prefix, 2 now, 3 sweep limit, 4 address, 5 actor, 6 note,
// 7 now as RFC 3339, 8 audit length, 9 "1" to queue the event in the
// outbox (a lift replayed by a rebuild has its event already).
var removeScript = redis.NewScript(luaLib + `
sweep(tonumber(ARGV[2]), tonumber(ARGV[3]))
local a, h = ARGV[4], KEYS[1]
local f = redis.call('HMGET', h, 'scope', 'reason', 'kind', 'category', 'hard', 'count')
local n = redis.call('SREM', KEYS[3], a) + redis.call('SREM', KEYS[4], a)
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

// checkpointScript saves an IMAP checkpoint; see Store.SaveCheckpoint.
//
// KEYS: 1 checkpoint hash. ARGV: 1 UIDVALIDITY, 2 last UID, 3 now.
// Fenced: see fenceCheck.
// It returns 1 when it saved, 0 when it kept a later UID.
var checkpointScript = redis.NewScript(fenceCheck + `
local f = redis.call('HMGET', KEYS[1], 'uid_validity', 'last_uid')
if f[1] == ARGV[1] and f[2] and tonumber(f[2]) >= tonumber(ARGV[2]) then return 0 end
redis.call('HSET', KEYS[1], 'uid_validity', ARGV[1], 'last_uid', ARGV[2], 'updated_at', ARGV[3])
return 1
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
