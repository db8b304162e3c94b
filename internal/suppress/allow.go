package suppress

import (
	"context"
	"fmt"
	"slices"
	"strings"
	"time"
	"unicode"
)

// The allowlist: addresses and domains that are never suppressed. A
// bounce for one of them is still recorded and published (with
// allowlisted set), but counts for nothing. The configuration's entries
// (Policy.Allow) and those kept in Redis (P:allow:address and
// P:allow:domain, managed with Allow and Disallow and audited) are checked
// inside the apply script, atomically with the bounce.

// NormalizeAllowEntry returns the form an allowlist entry is kept in: an
// address as NormalizeAddress gives it, or a domain (written "example.com"
// or "@example.com") lower-cased. It fails with ErrInvalid for anything
// that is neither.
func NormalizeAllowEntry(entry string) (string, error) {
	e := strings.TrimSpace(entry)
	if strings.Contains(strings.TrimPrefix(e, "@"), "@") {
		a, err := NormalizeAddress(e)
		if err != nil {
			return "", err
		}
		if !validDomain(domainOf(a)) || strings.Count(a, "@") != 1 {
			return "", fmt.Errorf("%w: allowlist entry %q: not an address", ErrInvalid, entry)
		}
		return a, nil
	}
	d := strings.TrimSuffix(strings.ToLower(strings.TrimPrefix(e, "@")), ".")
	if !validDomain(d) {
		return "", fmt.Errorf("%w: allowlist entry %q: not an address or a domain", ErrInvalid, entry)
	}
	return d, nil
}

// validDomain accepts a domain of at least two labels of letters, digits
// and hyphens (any script, for IDNs as written), none empty or starting
// or ending with a hyphen, within RFC 1035's length limits.
func validDomain(d string) bool {
	if len(d) == 0 || len(d) > 253 {
		return false
	}
	labels := strings.Split(d, ".")
	if len(labels) < 2 {
		return false
	}
	for _, l := range labels {
		if l == "" || len(l) > 63 || l[0] == '-' || l[len(l)-1] == '-' {
			return false
		}
		for _, r := range l {
			if r != '-' && !unicode.IsLetter(r) && !unicode.IsDigit(r) {
				return false
			}
		}
	}
	return true
}

func (s *Store) allowKey(entry string) string {
	if strings.Contains(entry, "@") {
		return s.key("allow", "address")
	}
	return s.key("allow", "domain")
}

// Allow adds entry (an address or a domain) to the allowlist, audited as
// allow_add by actor with note, and lifts the suppressions it covers
// (each lift audited and published as Remove's). It reports whether the
// entry was new.
func (s *Store) Allow(ctx context.Context, entry, actor, note string) (bool, error) {
	e, err := NormalizeAllowEntry(entry)
	if err != nil {
		return false, err
	}
	added, err := s.allowOp(ctx, "add", e, actor, note)
	if err != nil {
		return false, err
	}
	var covered []string
	if strings.Contains(e, "@") {
		covered = []string{e}
	} else {
		covered, err = s.c.ZRange(ctx, s.key("idx", "domain", e), 0, -1).Result()
		if err != nil {
			return added, fmt.Errorf("suppress: allow %s: %w", e, err)
		}
	}
	for _, a := range covered {
		if _, err := s.Remove(ctx, a, actor, "allowlisted: "+note); err != nil {
			return added, err
		}
	}
	return added, nil
}

// Disallow takes entry off the allowlist kept in Redis, audited as
// allow_remove. It reports whether it was there. An entry of the
// configuration stays until the configuration changes.
func (s *Store) Disallow(ctx context.Context, entry, actor, note string) (bool, error) {
	e, err := NormalizeAllowEntry(entry)
	if err != nil {
		return false, err
	}
	return s.allowOp(ctx, "remove", e, actor, note)
}

func (s *Store) allowOp(ctx context.Context, op, e, actor, note string) (bool, error) {
	now := time.UnixMilli(s.now().UnixMilli()).UTC()
	n, err := s.runWrite(ctx, allowScript, []string{s.allowKey(e), s.key("audit")}, s.prefix, op, e, actor, note,
		now.Format(time.RFC3339Nano), AuditLength).Int()
	if err != nil {
		return false, fmt.Errorf("suppress: allowlist %s %s: %w", op, e, err)
	}
	if n == 1 {
		s.log.InfoContext(ctx, "suppress: allowlist changed", "op", op, "entry", e, "actor", actor)
	}
	return n == 1, nil
}

// AllowEntry is one allowlist entry.
type AllowEntry struct {
	// Entry is the address or domain.
	Entry string `json:"entry"`
	// Source is "config" or "store" (managed with Allow).
	Source string `json:"source"`
}

// AllowList returns the allowlist: the configuration's entries, then the
// store's, each sorted.
func (s *Store) AllowList(ctx context.Context) ([]AllowEntry, error) {
	out := []AllowEntry{}
	cfg := slices.Clone(s.policy.Allow)
	slices.Sort(cfg)
	for _, e := range cfg {
		out = append(out, AllowEntry{Entry: e, Source: "config"})
	}
	var stored []string
	for _, k := range []string{s.key("allow", "address"), s.key("allow", "domain")} {
		m, err := s.c.SMembers(ctx, k).Result()
		if err != nil {
			return nil, fmt.Errorf("suppress: allowlist: %w", err)
		}
		stored = append(stored, m...)
	}
	slices.Sort(stored)
	for _, e := range stored {
		out = append(out, AllowEntry{Entry: e, Source: "store"})
	}
	return out, nil
}

// IsAllowed reports whether addr or its domain is allowlisted.
func (s *Store) IsAllowed(ctx context.Context, addr string) (bool, error) {
	a, err := NormalizeAddress(addr)
	if err != nil {
		return false, err
	}
	d := domainOf(a)
	if slices.Contains(s.policy.Allow, a) || slices.Contains(s.policy.Allow, d) {
		return true, nil
	}
	pipe := s.c.Pipeline()
	ia := pipe.SIsMember(ctx, s.key("allow", "address"), a)
	id := pipe.SIsMember(ctx, s.key("allow", "domain"), d)
	if _, err := pipe.Exec(ctx); err != nil {
		return false, fmt.Errorf("suppress: allowlist %s: %w", a, err)
	}
	return ia.Val() || id.Val(), nil
}

// Delivered records a successful delivery to addr at at (now when zero):
// the soft bounces counted for the address up to then are forgotten, so
// that counting starts afresh, and a re-probe probation ends. A
// suppression in force stays. It returns how many counted bounces it
// forgot. Applying the same delivery again changes nothing more.
func (s *Store) Delivered(ctx context.Context, addr string, at time.Time) (int, error) {
	a, err := NormalizeAddress(addr)
	if err != nil {
		return 0, err
	}
	if at.IsZero() {
		at = s.now()
	}
	n, err := s.runWrite(ctx, deliveredScript, []string{s.key("addr", a), s.key("soft", a)}, ms(at)).Int()
	if err != nil {
		return 0, fmt.Errorf("suppress: delivered %s: %w", a, err)
	}
	if n > 0 {
		s.log.DebugContext(ctx, "suppress: delivery cleared soft bounces", "address", a, "cleared", n)
	}
	return n, nil
}

// Reapply lifts the suppressions that the policy in effect would not make:
// those whose deciding bounce's rule is now notify or ignore (a reason
// switched off), and those of allowlisted addresses. Each lift is audited
// and published as Remove's, by actor with a note naming the rule. It
// never adds a suppression: the evidence of what was only counted is not
// kept. With dryRun it lifts nothing. It returns the addresses (to be)
// lifted.
func (s *Store) Reapply(ctx context.Context, actor string, dryRun bool) ([]string, error) {
	var recs []Record
	for off := 0; ; off += 1000 {
		page, _, err := s.List(ctx, ListOptions{Limit: 1000, Offset: off})
		if err != nil {
			return nil, err
		}
		recs = append(recs, page...)
		if len(page) < 1000 {
			break
		}
	}
	var lifted []string
	for _, r := range recs {
		d := s.policy.Decide(Entry{Verdict: r.Verdict})
		note := ""
		switch {
		case d.Action == string(ActionNotify) || d.Action == string(ActionIgnore):
			note = "reapplied policy: " + d.Rule + " is " + d.Action
		default:
			allowed, err := s.IsAllowed(ctx, r.Address)
			if err != nil {
				return lifted, err
			}
			if !allowed {
				continue
			}
			note = "reapplied policy: allowlisted"
		}
		if !dryRun {
			if _, err := s.Remove(ctx, r.Address, actor, note); err != nil {
				return lifted, err
			}
		}
		lifted = append(lifted, r.Address)
	}
	return lifted, nil
}
