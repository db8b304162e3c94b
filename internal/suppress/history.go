package suppress

import (
	"context"
	"encoding/json"
	"fmt"
	"strings"
	"sync"
	"sync/atomic"
	"time"
	"unicode/utf8"

	"github.com/bounced-dev/bounced/addrcheck"
)

// HistoryLength is how many entries the history list of one address keeps
// (P:hist:<address>, newest first).
const HistoryLength = 50

// historyLenLua is HistoryLength as the scripts spell it.
const historyLenLua = "50"

// statsTTL is how long a day's counters (P:stats:<day>) are kept: 400 days.
const statsTTL = 400 * 24 * time.Hour

// statsTTLLua is statsTTL in milliseconds, as the scripts spell it.
const statsTTLLua = "34560000000"

// maxHistoryDiagnostic bounds the diagnostic a history line keeps.
const maxHistoryDiagnostic = 300

// HistoryEntry is one entry applied for an address (a bounce, delay,
// complaint or other evidence), or an operator's addition, as the
// address's history list keeps it.
type HistoryEntry struct {
	At         time.Time `json:"at"`
	Kind       string    `json:"kind"`
	Reason     string    `json:"reason,omitempty"`
	Category   string    `json:"category,omitempty"`
	Hard       bool      `json:"hard,omitempty"`
	Status     string    `json:"status,omitempty"`
	ReplyCode  string    `json:"reply_code,omitempty"`
	Diagnostic string    `json:"diagnostic,omitempty"`
	RemoteMTA  string    `json:"remote_mta,omitempty"`
	Rule       string    `json:"rule,omitempty"`
	Confidence string    `json:"confidence,omitempty"`
	Source     string    `json:"source,omitempty"`
	// Raw is the content hash of the report in the raw store.
	Raw string `json:"raw,omitempty"`
	// Key is the entry's idempotency key.
	Key string `json:"key,omitempty"`
	// Note and Actor are an operator's, for an addition by hand.
	Note  string `json:"note,omitempty"`
	Actor string `json:"actor,omitempty"`
}

// CarrierOf returns the carrier or provider group of addr's domain
// (addrcheck), "" when none is known.
func CarrierOf(addr string) string {
	i := strings.LastIndexByte(addr, '@')
	if i < 0 {
		return ""
	}
	d := addr[i+1:]
	if c, ok := carriers.Load(d); ok {
		return c.(string)
	}
	// addrcheck checks the whole address (and looks for typos): worth
	// doing once per domain, not per row of a million-row import.
	c, _, _ := addrcheck.Annotate("x@" + d)
	if carrierCount.Add(1) > maxCarrierCache {
		carriers.Clear()
		carrierCount.Store(0)
	}
	carriers.Store(d, c)
	return c
}

// carriers caches CarrierOf by domain, up to maxCarrierCache domains.
var (
	carriers     sync.Map
	carrierCount atomic.Int64
)

const maxCarrierCache = 100000

// historyArgs returns the apply script's ARGV after the record's detail
// pairs: the raw and note pairs (the last detail pairs), then the
// four values the history block takes (see applyScript).
func historyArgs(e Entry, carrier, idem string, at time.Time) []any {
	line, _ := json.Marshal(HistoryEntry{
		At: time.UnixMilli(at.UnixMilli()).UTC(), Kind: e.Kind, Reason: e.Reason, Category: e.Category, Hard: e.Hard,
		Status: e.Status, ReplyCode: e.ReplyCode, Diagnostic: cut(e.Diagnostic, maxHistoryDiagnostic),
		RemoteMTA: e.RemoteMTA, Rule: e.Rule, Confidence: e.Confidence, Source: e.Source, Raw: e.Raw, Key: idem,
	})
	return []any{
		"raw", e.Raw, "note", "",
		at.UTC().Format(time.DateOnly), e.Kind, carrier, string(line),
	}
}

// cut shortens s to at most n bytes on a rune boundary.
func cut(s string, n int) string {
	if len(s) <= n {
		return s
	}
	for n > 0 && !utf8.RuneStart(s[n]) {
		n--
	}
	return s[:n] + "…"
}

// History returns the entries seen for addr, newest first (at most
// HistoryLength are kept).
func (s *Store) History(ctx context.Context, addr string) ([]HistoryEntry, error) {
	a, err := NormalizeAddress(addr)
	if err != nil {
		return nil, err
	}
	vs, err := s.c.LRange(ctx, s.key("hist", a), 0, -1).Result()
	if err != nil {
		return nil, fmt.Errorf("suppress: history %s: %w", a, err)
	}
	out := make([]HistoryEntry, 0, len(vs))
	for _, v := range vs {
		var h HistoryEntry
		if err := json.Unmarshal([]byte(v), &h); err != nil {
			return nil, fmt.Errorf("suppress: history %s: decode %q: %w", a, v, err)
		}
		out = append(out, h)
	}
	return out, nil
}

// AddressAudit returns the audit entries about addr, newest first: its
// lifts and additions by hand, from the audit list (which keeps the last
// AuditLength entries of all addresses).
func (s *Store) AddressAudit(ctx context.Context, addr string) ([]AuditEntry, error) {
	a, err := NormalizeAddress(addr)
	if err != nil {
		return nil, err
	}
	vs, err := s.c.LRange(ctx, s.key("audit"), 0, -1).Result()
	if err != nil {
		return nil, fmt.Errorf("suppress: audit %s: %w", a, err)
	}
	// cjson and encoding/json both write the address as a JSON string:
	// test for it before decoding the line.
	quoted, _ := json.Marshal(a)
	out := []AuditEntry{}
	for _, v := range vs {
		if !strings.Contains(v, string(quoted)) && !strings.Contains(v, strings.ReplaceAll(string(quoted), "/", `\/`)) {
			continue
		}
		var e AuditEntry
		if err := json.Unmarshal([]byte(v), &e); err != nil {
			return nil, fmt.Errorf("suppress: audit: decode %q: %w", v, err)
		}
		if e.Address == a {
			out = append(out, e)
		}
	}
	return out, nil
}
