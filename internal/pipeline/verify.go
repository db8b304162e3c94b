package pipeline

import (
	"bytes"
	"errors"
	"log/slog"
	"strings"

	"github.com/bounced-dev/bounced/bounce"
	"github.com/bounced-dev/bounced/publisher"
	"github.com/bounced-dev/bounced/verp"
)

// VERP configures the check of every bounce against the signed return
// paths of package verp (docs/verp.md).
type VERP struct {
	// Signer verifies return paths; nil makes no check.
	Signer *verp.Signer
	// Require makes a recipient without a valid token unable to suppress:
	// it is recorded and published as unverified.
	Require bool
}

// The outcomes of the check of one recipient, as the record and the event
// carry them (verification).
const (
	// Verified: a return path signed for this recipient.
	Verified = "verified"
	// Unsigned: no return path of the signed pattern at all.
	Unsigned = "unsigned"
	// BadSignature: a return path of the pattern whose token no secret
	// made: forged, or changed on the way.
	BadSignature = "bad_signature"
	// Expired: a genuine token older than verp.max_age.
	Expired = "expired"
	// Mismatch: a genuine token, for another recipient than the one the
	// report names: a forged report, for this recipient.
	Mismatch = "mismatch"
)

// envelopeHeaders are the headers of a bounce that name the address it
// was delivered to, that is the return path of the mail that bounced: the
// ones bounce's VERP fallback reads (Postfix's X-Original-To and
// Delivered-To, Exim's Envelope-To, ...), and To.
var envelopeHeaders = []string{"x-original-to", "delivered-to", "envelope-to", "x-envelope-to", "to", "x-rcpt-to"}

// maxHeaderScan bounds the bytes of a message read for envelope headers.
const maxHeaderScan = 64 << 10

// verdict is the check of one recipient.
type verdict struct {
	state      string
	unverified bool
}

// mark writes the verdict into ev.
func (v verdict) mark(ev *publisher.Event) {
	ev.Verification, ev.Unverified = v.state, v.unverified
}

// checks is what the return paths of one message prove.
type checks struct {
	on, require bool
	metrics     *Metrics
	valid       map[string]bool   // recipients with a genuine, fresh token
	failed      map[string]string // recipient read from a bad token -> BadSignature or Expired
	anyFailed   string            // the worst failure of any token, "" if none
}

// verify reads the return paths the message was sent to (its envelope
// headers, and the Return-Path of the original message it quotes) and
// verifies those of the signed pattern.
func (p *Pipeline) verify(raw []byte, rep *bounce.Report) *checks {
	v := p.opts.VERP
	c := &checks{on: v.Signer != nil, require: v.Require, metrics: p.opts.Metrics}
	if !c.on {
		return c
	}
	c.valid, c.failed = map[string]bool{}, map[string]string{}
	vals := headerValues(raw, envelopeHeaders)
	if rp := rep.Original.Get("Return-Path"); rp != "" {
		vals = append(vals, rp)
	}
	if rep.Kind == bounce.KindComplaint {
		vals = append(vals, fieldLines(raw, "original-mail-from:")...)
	}
	for _, val := range vals {
		for _, w := range addressWords(val) {
			if !v.Signer.Fits(w) {
				continue
			}
			a, err := v.Signer.Verify(w)
			switch {
			case err == nil:
				c.valid[a.Recipient] = true
			case errors.Is(err, verp.ErrExpired):
				c.fail(a.Recipient, Expired)
			default:
				c.fail(a.Recipient, BadSignature)
			}
		}
	}
	return c
}

func (c *checks) fail(rcpt, state string) {
	if c.failed[rcpt] != BadSignature {
		c.failed[rcpt] = state
	}
	if c.anyFailed != BadSignature {
		c.anyFailed = state
	}
}

// of returns the verdict for the report's recipient rcpt and logs a
// failed check. Only rcpt itself verifies: not its Original-Recipient
// (RFC 3464 section 2.3.1), which the report's writer chooses as freely as
// the rest, so that a forger holding a token for himself could name
// himself there and anyone as the final recipient.
func (c *checks) of(rcpt string, log *slog.Logger) verdict {
	if !c.on {
		return verdict{}
	}
	r := strings.ToLower(rcpt)
	var state string
	switch {
	case c.valid[r]:
		state = Verified
	case c.failed[r] != "":
		state = c.failed[r]
	case len(c.valid) > 0:
		state = Mismatch
	case c.anyFailed != "":
		state = c.anyFailed
	default:
		state = Unsigned
	}
	v := verdict{state: state, unverified: c.require && state != Verified}
	switch {
	case v.unverified:
		c.metrics.Unverified.Add(1)
		log.Warn("bounce not verified by its return path: recorded, not suppressing", "recipient", rcpt, "verification", state)
	case state != Verified:
		log.Debug("bounce not verified by its return path", "recipient", rcpt, "verification", state)
	}
	return v
}

// withVERP adds the signer's pattern to the decoder's VERP patterns, so
// that a bounce naming no recipient is read for the one in its signed
// return path.
func withVERP(o Options) Options {
	if o.VERP.Signer == nil {
		return o
	}
	pat := o.VERP.Signer.Pattern()
	for _, p := range o.Decode.VERP {
		if strings.EqualFold(p, pat) {
			return o
		}
	}
	o.Decode.VERP = append(append([]string(nil), o.Decode.VERP...), pat)
	return o
}

// headerValues returns the values of the named (lower-case) header fields
// of the message's top-level header, unfolded (RFC 5322 section 2.2.3).
func headerValues(raw []byte, names []string) []string {
	if len(raw) > maxHeaderScan {
		raw = raw[:maxHeaderScan]
	}
	var out []string
	var name string
	var val []byte
	flush := func() {
		if name != "" {
			for _, n := range names {
				if name == n {
					out = append(out, string(val))
				}
			}
		}
		name, val = "", nil
	}
	for len(raw) > 0 {
		line := raw
		if i := bytes.IndexByte(raw, '\n'); i >= 0 {
			line, raw = raw[:i], raw[i+1:]
		} else {
			raw = nil
		}
		line = bytes.TrimRight(line, "\r")
		if len(line) == 0 {
			break // end of the header
		}
		if line[0] == ' ' || line[0] == '\t' {
			val = append(val, ' ')
			val = append(val, bytes.TrimSpace(line)...)
			continue
		}
		flush()
		if k, v, ok := bytes.Cut(line, []byte(":")); ok {
			name = strings.ToLower(strings.TrimSpace(string(k)))
			val = append([]byte(nil), bytes.TrimSpace(v)...)
		}
	}
	flush()
	return out
}

// fieldLines returns the values of the lines anywhere in the first
// maxHeaderScan bytes of raw that start with the field name (lower-case,
// with its colon): for a complaint, the Original-Mail-From of its
// message/feedback-report part (RFC 5965 section 3.2), the return path of
// the message complained about.
func fieldLines(raw []byte, name string) []string {
	if len(raw) > maxHeaderScan {
		raw = raw[:maxHeaderScan]
	}
	var out []string
	for _, line := range bytes.Split(raw, []byte("\n")) {
		if len(line) > len(name) && strings.EqualFold(string(line[:len(name)]), name) {
			out = append(out, strings.TrimSpace(string(line[len(name):])))
		}
	}
	return out
}

// addressWords returns the words of a header value that contain an "@":
// addresses, with or without angle brackets and display names.
func addressWords(v string) []string {
	var out []string
	for _, w := range strings.FieldsFunc(v, func(r rune) bool {
		return r == ' ' || r == '\t' || r == '<' || r == '>' || r == ',' || r == ';' || r == '"' || r == '(' || r == ')'
	}) {
		if strings.Contains(w, "@") {
			out = append(out, w)
		}
	}
	return out
}
