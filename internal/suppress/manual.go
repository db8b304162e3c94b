package suppress

import (
	"context"
	"encoding/json"
	"fmt"
	"strconv"
	"strings"
	"time"

	"github.com/redis/go-redis/v9"

	"github.com/bounced-dev/bounced/classify"
)

// MaxBatch is the most additions one Add takes.
const MaxBatch = 1000

// maxNote bounds an operator's note.
const maxNote = 1000

// Reason and category of a suppression added by hand without a reason
// from the classifier's vocabulary.
const (
	ReasonManual   = "manual"
	CategoryManual = "manual"
)

// KindManual is the Record.Kind of a suppression added by hand or
// imported.
const KindManual = "manual"

// Statuses of an AddResult.
const (
	AddAdded     = "added"     // the address was not suppressed
	AddWidened   = "widened"   // the address was suppressed in another scope; now in this one too
	AddExtended  = "extended"  // a suppression with an expiry now lasts longer, or for good
	AddUnchanged = "unchanged" // already suppressed as widely and as long: nothing changed
	AddRefused   = "refused"   // invalid: see AddResult.Error
)

// Addition is a suppression added by hand (or imported).
type Addition struct {
	// Address is the address to suppress. Required.
	Address string `json:"address"`
	// Reason is a reason of the classifier's vocabulary (CONTRACT.md), or
	// "" for ReasonManual. Category is derived from it.
	Reason string `json:"reason,omitempty"`
	// Scope is "all" (the default) or another scope of the policy
	// (marketing, or a stream of the configuration).
	Scope string `json:"scope,omitempty"`
	// Note says why, for the audit trail.
	Note string `json:"note,omitempty"`
	// ExpiresAt, when set, ends the suppression.
	ExpiresAt time.Time `json:"expires_at,omitzero"`
	// At is when the suppression began (e.g. an import's LastUpdateTime);
	// zero means now.
	At time.Time `json:"at,omitzero"`
	// Hard marks a suppression for an address that can never receive
	// mail; it defaults to what the reason says.
	Hard *bool `json:"hard,omitempty"`
	// Source says where it came from: "manual" by default, or the import's
	// format.
	Source string `json:"source,omitempty"`
}

// AddResult is what Add did with one Addition.
type AddResult struct {
	Address string `json:"address"`
	Status  string `json:"status"`
	Error   string `json:"error,omitempty"`
}

// row is an Addition checked and normalised.
type row struct {
	addr, written, reason, category, scope, note, source string
	exp, at                                              int64
	hard                                                 bool
}

// check validates a and fills its defaults.
func (s *Store) check(a Addition, now time.Time) (row, error) {
	addr, err := NormalizeAddress(a.Address)
	if err != nil {
		return row{}, err
	}
	r := row{addr: addr, written: strings.TrimSpace(a.Address), reason: strings.TrimSpace(a.Reason),
		scope: strings.TrimSpace(a.Scope), note: a.Note, source: a.Source}
	switch r.reason {
	case "", ReasonManual:
		r.reason, r.category = ReasonManual, CategoryManual
	default:
		cat := classify.Reason(r.reason).Category()
		if !classify.Reason(r.reason).Valid() {
			return row{}, fmt.Errorf("%w: reason %q: not a reason of the vocabulary", ErrInvalid, r.reason)
		}
		r.category = string(cat)
		r.hard = classify.Reason(r.reason).Hard()
	}
	if a.Hard != nil {
		r.hard = *a.Hard
	}
	if r.scope == "" {
		r.scope = ScopeAll
	}
	if !s.policy.HasScope(r.scope) {
		return row{}, fmt.Errorf("%w: scope %q: want one of %s", ErrInvalid, r.scope, strings.Join(s.policy.Scopes(), ", "))
	}
	if len(r.note) > maxNote {
		return row{}, fmt.Errorf("%w: note over %d bytes", ErrInvalid, maxNote)
	}
	if !a.ExpiresAt.IsZero() {
		if !a.ExpiresAt.After(now) {
			return row{}, fmt.Errorf("%w: expires_at %s is past", ErrInvalid, a.ExpiresAt.UTC().Format(time.RFC3339))
		}
		r.exp = ms(a.ExpiresAt)
	}
	r.at = ms(now)
	if !a.At.IsZero() {
		if a.At.After(now.Add(time.Minute)) {
			return row{}, fmt.Errorf("%w: time %s is in the future", ErrInvalid, a.At.UTC().Format(time.RFC3339))
		}
		r.at = ms(a.At)
	}
	if r.source == "" {
		r.source = "manual"
	}
	return r, nil
}

// Add suppresses the addresses of adds by hand (at most MaxBatch), each
// audited under actor. It is idempotent: adding an address already
// suppressed as widely and as long changes nothing (AddUnchanged), and the
// details of a suppression caused by a bounce are kept. An invalid
// addition is refused alone; the error is for Redis failures.
func (s *Store) Add(ctx context.Context, actor string, adds []Addition) ([]AddResult, error) {
	if len(adds) > MaxBatch {
		return nil, fmt.Errorf("%w: %d additions, at most %d a batch", ErrInvalid, len(adds), MaxBatch)
	}
	return s.add(ctx, actor, adds, true)
}

// addFields is how many ARGV one row takes in addScript.
const addFields = 13

func (s *Store) add(ctx context.Context, actor string, adds []Addition, audit bool) ([]AddResult, error) {
	out := make([]AddResult, len(adds))
	now := s.now()
	args := []any{s.prefix, ms(now), b01(audit), actor, AuditLength, s.scopesArg}
	var idx []int
	for i, a := range adds {
		r, err := s.check(a, now)
		if err != nil {
			out[i] = AddResult{Address: a.Address, Status: AddRefused, Error: err.Error()}
			continue
		}
		var line []byte
		if audit {
			// An import is audited once, and its rows keep no history
			// line: the record names the import (source, note).
			line, _ = json.Marshal(HistoryEntry{At: time.UnixMilli(r.at).UTC(), Kind: KindManual, Reason: r.reason,
				Category: r.category, Hard: r.hard, Source: r.source, Note: cut(r.note, maxHistoryDiagnostic), Actor: actor})
		}
		var auditLine []byte
		if audit {
			auditLine, _ = json.Marshal(AuditEntry{At: time.UnixMilli(ms(now)).UTC(), Action: "add", Address: r.addr,
				Actor: actor, Note: r.note, Scope: r.scope, Reason: r.reason})
		}
		exp := ""
		if r.exp != 0 {
			exp = fmt.Sprint(r.exp)
		}
		args = append(args, r.addr, r.written, r.reason, r.category, r.scope, r.note, exp, r.at,
			r.source, b01(r.hard), CarrierOf(r.addr), string(line), string(auditLine))
		out[i] = AddResult{Address: r.addr}
		idx = append(idx, i)
	}
	if len(idx) == 0 {
		return out, nil
	}
	if err := s.lazySweep(ctx); err != nil {
		return nil, err
	}
	st, err := s.runWrite(ctx, addScript, []string{s.key("audit")}, args...).StringSlice()
	if err != nil {
		return nil, fmt.Errorf("suppress: add: %w", err)
	}
	if len(st) != len(idx) {
		return nil, fmt.Errorf("suppress: add: %d statuses for %d rows", len(st), len(idx))
	}
	for j, i := range idx {
		out[i].Status = st[j]
	}
	if audit {
		for _, r := range out {
			if r.Status != AddUnchanged && r.Status != AddRefused {
				s.log.InfoContext(ctx, "suppress: suppression added by hand", "address", r.Address, "status", r.Status, "actor", actor)
			}
		}
	}
	return out, nil
}

func b01(b bool) string {
	if b {
		return "1"
	}
	return "0"
}

// addScript adds suppressions by hand; see Store.Add. Each row is put in
// its scope as the policy's suppressions are (put, summarize: one sc:
// field per scope, expiry members scope:address).
//
// KEYS: 1 audit. ARGV: 1 prefix, 2 now, 3 "1" to audit each row, 4 actor,
// 5 audit length, 6 the scopes but all (comma-separated), then 13 per row:
// address, as written, reason, category, scope, note, expiry ms or "",
// time ms, source, hard, carrier, history line, audit line.
// It returns one status per row (see the Add* constants).
var addScript = redis.NewScript(luaLib + `
local out = {}
local audit = ARGV[3] == '1'
local scopes = split(ARGV[6], ',')
for i = 7, #ARGV, ` + strconv.Itoa(addFields) + ` do
  local a, written, reason, category, scope, note = ARGV[i], ARGV[i+1], ARGV[i+2], ARGV[i+3], ARGV[i+4], ARGV[i+5]
  local exp, at, source, hard, carrier = num(ARGV[i+6]), tonumber(ARGV[i+7]), ARGV[i+8], ARGV[i+9], ARGV[i+10]
  local h = P .. ':addr:' .. a
  migrate(h)
  local st = state(h)
  local cur = redis.call('HMGET', h, 'reason', 'first_seen', 'last_seen')
  -- covers reports whether expiry v (0 for good) lasts at least as long
  -- as the row's.
  local function covers(v) return v ~= nil and (v == 0 or (exp ~= nil and exp <= v)) end
  local status = 'added'
  if covers(st['all']) or covers(st[scope]) then
    status = 'unchanged'
  elseif st[scope] ~= nil then
    status = 'extended'
  elseif next(st) ~= nil then
    status = 'widened'
  end
  if status ~= 'unchanged' then
    local existed = cur[2] ~= false and cur[2] ~= nil
    put(h, a, scope, exp, at, reason, category, 'manual', 0, '', scopes, st)
    if cur[1] and cur[1] ~= '' and cur[1] ~= reason then
      redis.call('ZREM', P .. ':idx:reason:' .. cur[1], a)
    end
    local fs, ls = num(cur[2]), num(cur[3])
    if not fs or at < fs then fs = at end
    if not ls or at > ls then ls = at end
    local f = {'kind', 'manual', 'reason', reason, 'category', category,
      'hard', hard, 'source', source, 'as_written', written, 'first_seen', fs, 'last_seen', ls}
    -- Only what is set: a new record stays small (see TestScale_1M).
    if note ~= '' or existed then f[#f + 1] = 'note'; f[#f + 1] = note end
    if carrier ~= '' or existed then f[#f + 1] = 'carrier'; f[#f + 1] = carrier end
    redis.call('HSET', h, unpack(f))
    if existed then
      -- The evidence of an earlier entry no longer describes the record.
      -- hard is the addition's own (written above): keep it.
      local keep = redis.call('HGET', h, 'hard')
      redis.call('HSET', h, ` + evidenceReset + `)
      redis.call('HSET', h, 'hard', keep)
    end
    summarize(h, a, scopes, at, st)
    if ARGV[i+11] ~= '' then
      local hk = P .. ':hist:' .. a
      redis.call('LPUSH', hk, ARGV[i+11])
      if existed then redis.call('LTRIM', hk, 0, ` + historyLenLua + ` - 1) end
    end
    if audit then redis.call('LPUSH', KEYS[1], ARGV[i+12]) end
  end
  out[#out + 1] = status
end
if audit then redis.call('LTRIM', KEYS[1], 0, tonumber(ARGV[5]) - 1) end
return out
`)
