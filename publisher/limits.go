package publisher

import (
	"crypto/sha256"
	"encoding/hex"
	"slices"
	"strconv"
	"unicode/utf8"
)

// Caps of the event fields, in bytes of UTF-8. Publish applies them (see
// Event.Capped), so that no event can exceed a server's payload limit (1 MB
// by default): with every field at its cap, an event's JSON is under 100 KB
// of ordinary text, and under 600 KB even if every byte were a control
// character, which JSON writes in six.
const (
	// MaxIDLen caps ID. A longer ID keeps its first bytes and ends in "~"
	// and a hash of the whole ID, so that two long IDs stay distinct and
	// the same ID always gives the same capped one.
	MaxIDLen = 1024
	// MaxShortFieldLen caps the fields that hold one token, address, host
	// name or code: recipient, kind, reason, category, status, reply_code,
	// remote_mta, reporting_mta, format, rule, original_message_id,
	// original_from, scope, mailbox, source and actor.
	MaxShortFieldLen = 1024
	// MaxTextFieldLen caps the free-text fields: diagnostic,
	// original_subject, error and note.
	MaxTextFieldLen = 8192
	// MaxHeaders is how many entries of Headers are kept: the first by
	// name, in byte order.
	MaxHeaders = 32
	// MaxHeaderNameLen and MaxHeaderValueLen cap each kept header's name
	// and value.
	MaxHeaderNameLen  = 128
	MaxHeaderValueLen = 1024
)

// TruncatedMarker ends every capped field: a value that ends in it was cut
// to its cap, marker included.
const TruncatedMarker = "…[truncated]"

// TruncatedHeader is the Headers key added, with the number of headers
// dropped as its value, when an event had more than MaxHeaders.
const TruncatedHeader = "Bounced-Headers-Truncated"

// Truncate returns s if it is at most max bytes long, and otherwise its
// longest prefix that ends on a UTF-8 character boundary and leaves room for
// TruncatedMarker, followed by the marker, max bytes at most in all.
func Truncate(s string, max int) string {
	if len(s) <= max {
		return s
	}
	marker := TruncatedMarker
	if max < len(marker) {
		marker = ""
	}
	n := max - len(marker)
	for n > 0 && !utf8.RuneStart(s[n]) {
		n--
	}
	return s[:n] + marker
}

// capID shortens an ID longer than MaxIDLen deterministically.
func capID(id string) string {
	if len(id) <= MaxIDLen {
		return id
	}
	sum := sha256.Sum256([]byte(id))
	h := "~" + hex.EncodeToString(sum[:16])
	n := MaxIDLen - len(h)
	for n > 0 && !utf8.RuneStart(id[n]) {
		n--
	}
	return id[:n] + h
}

// Capped returns e with every field cut to its cap (see MaxShortFieldLen
// and the other caps): long strings end in TruncatedMarker, and Headers
// beyond MaxHeaders are dropped and counted under TruncatedHeader. An event
// within its caps is returned unchanged.
func (e Event) Capped() Event {
	e.ID = capID(e.ID)
	for _, f := range []*string{&e.Recipient, &e.Kind, &e.Reason, &e.Category, &e.Status, &e.ReplyCode,
		&e.RemoteMTA, &e.ReportingMTA, &e.Format, &e.Rule, &e.OriginalMessageID, &e.OriginalFrom,
		&e.Scope, &e.Mailbox, &e.Source, &e.Actor, &e.Verification,
		&e.Confidence, &e.RuleSource, &e.RecipientAsWritten, &e.Carrier, &e.Suggestion, &e.Alert} {
		*f = Truncate(*f, MaxShortFieldLen)
	}
	for _, f := range []*string{&e.Diagnostic, &e.OriginalSubject, &e.Error, &e.Note, &e.Hint} {
		*f = Truncate(*f, MaxTextFieldLen)
	}
	if len(e.Headers) > 0 && !headersWithinCaps(e.Headers) {
		names := make([]string, 0, len(e.Headers))
		for k := range e.Headers {
			names = append(names, k)
		}
		slices.Sort(names)
		h := make(map[string]string, min(len(names), MaxHeaders)+1)
		for _, k := range names {
			if len(h) == MaxHeaders {
				break
			}
			name := Truncate(k, MaxHeaderNameLen)
			if _, dup := h[name]; dup {
				continue // two names cut to the same prefix: keep the first
			}
			h[name] = Truncate(e.Headers[k], MaxHeaderValueLen)
		}
		if dropped := len(names) - len(h); dropped > 0 {
			h[TruncatedHeader] = strconv.Itoa(dropped)
		}
		e.Headers = h
	}
	return e
}

func headersWithinCaps(h map[string]string) bool {
	if len(h) > MaxHeaders {
		return false
	}
	for k, v := range h {
		if len(k) > MaxHeaderNameLen || len(v) > MaxHeaderValueLen {
			return false
		}
	}
	return true
}
