// Package verp makes and checks signed VERP return paths: envelope senders
// that carry the recipient of the message (Variable Envelope Return Path,
// D. J. Bernstein, https://cr.yp.to/proto/verp.txt) together with an HMAC
// over it, so that a bounce can be trusted to be about the recipient it
// names only when it comes back to a return path the shop made for that
// recipient.
//
// A return path follows a pattern with three placeholders, for example
//
//	bounces+{token}+{local}={domain}@shop.example
//
// which for taro@docomo.ne.jp, signed on 2026-12-02 (with the secret of
// the package example), gives
//
//	bounces+ke22ta6f6ofg6gl7+taro=docomo.ne.jp@shop.example
//
// The token is 16 characters of lower-case base32 (RFC 4648 section 6, the
// alphabet a-z and 2-7, no padding) of 10 bytes: the day (2 bytes, big
// endian, days since 1970-01-01 UTC) and the first 8 bytes of
// HMAC-SHA256 (RFC 2104, FIPS 180-4) under the signing secret of
//
//	"bounced-verp/1" 0x00 day(2 bytes) send-id 0x00 recipient
//
// with the recipient lower-cased whole. An optional send id (lower-case
// letters, digits, '_' and '-', at most 32) follows the token after a dot:
// bounces+<token>.<send-id>+taro=docomo.ne.jp@shop.example. Everything in
// the address is lower case, and Verify folds case before it reads one, so
// the address survives MTAs that lower-case the local part (RFC 5321
// section 2.4 lets them keep it: both work).
//
// 64 bits of MAC are enough here: a forger learns whether a guess was right
// only by mailing a bounce to the shop and watching it act, one guess per
// message, and 2^64 messages cannot be sent. The day lets a Signer refuse
// old tokens (Config.MaxAge). Several secrets verify, the first signs: add a
// new secret in front, keep the old one until the mail it signed can no
// longer bounce, then drop it (docs/verp.md).
//
// RFC 5321 section 4.5.3.1.1 limits a local part to 64 octets. With the
// pattern above, "bounces+" + token + "+" + recipient (its "@" written "=")
// stays within it for recipients up to 39 characters (32 with a send id of
// 6). Sign never truncates a longer one (a truncated recipient could not be
// verified): it returns the whole address, and LocalPartLen tells how long
// its local part is. Postfix, Exim and the big mailbox providers accept
// longer local parts in MAIL FROM. Only an address over the 254 octets a path can
// hold (RFC 5321 section 4.5.3.1.3) is refused, with ErrTooLong.
package verp

import (
	"crypto/hmac"
	"crypto/sha256"
	"encoding/base32"
	"encoding/binary"
	"errors"
	"fmt"
	"strings"
	"time"
)

// The errors of Verify, Sign and New. Test them with errors.Is.
var (
	// ErrUnsigned means the address does not have the shape of a signed
	// return path: it does not fit the pattern at all.
	ErrUnsigned = errors.New("verp: address is not a signed return path")
	// ErrBadSignature means the address fits the pattern but its token is
	// malformed or no secret made it for this recipient, send id and day:
	// it was forged or changed on the way.
	ErrBadSignature = errors.New("verp: bad signature")
	// ErrExpired means the token is genuine but older than Config.MaxAge
	// (or dated more than a day ahead of the clock).
	ErrExpired = errors.New("verp: token expired")
	// ErrInvalidPattern means a return-path pattern cannot be used.
	ErrInvalidPattern = errors.New("verp: invalid return-path pattern")
	// ErrWeakSecret means a secret is missing or too short to sign with.
	ErrWeakSecret = errors.New("verp: weak secret")
	// ErrInvalidRecipient means Sign cannot put the recipient in a return
	// path: it is not local@domain in plain ASCII without spaces, quotes or
	// angle brackets.
	ErrInvalidRecipient = errors.New("verp: invalid recipient")
	// ErrInvalidSendID means a send id has characters other than a-z, 0-9,
	// '_' and '-', or more than MaxSendIDLen of them.
	ErrInvalidSendID = errors.New("verp: invalid send id")
	// ErrTooLong means the return path would be longer than the 254
	// octets an SMTP path can hold.
	ErrTooLong = errors.New("verp: return path too long")
)

// Sizes of the format.
const (
	// TokenLen is the length of a token in characters.
	TokenLen = 16
	// MACLen is how many bytes of HMAC-SHA256 a token keeps.
	MACLen = 8
	// MaxSendIDLen is the longest send id.
	MaxSendIDLen = 32
	// MinSecretLen is the shortest secret accepted, in bytes: 32 hex
	// digits carry 128 bits.
	MinSecretLen = 32
	// MinSecretDistinct is the fewest different bytes a secret must have,
	// so that "aaaa...a" or "01010101..." is refused.
	MinSecretDistinct = 8
	// MaxLocalLen is RFC 5321's limit on a local part, in octets.
	MaxLocalLen = 64
	// MaxPathLen is the longest address an SMTP path holds, in octets.
	MaxPathLen = 254
)

// macLabel starts the MAC input, so that a secret shared with another use
// cannot sign for this one, and a later format can change the label.
const macLabel = "bounced-verp/1"

var b32 = base32.NewEncoding("abcdefghijklmnopqrstuvwxyz234567").WithPadding(base32.NoPadding)

// Config configures a Signer.
type Config struct {
	// Pattern is the return-path pattern, with {token}, {local} and
	// {domain} in this order, e.g. "bounces+{token}+{local}={domain}@shop.example".
	Pattern string
	// Secrets are the HMAC keys: the first signs, all verify. Each must
	// pass CheckSecret.
	Secrets [][]byte
	// MaxAge, when positive, makes Verify refuse tokens older than this
	// (counted in whole days, rounded up) with ErrExpired. Zero accepts
	// any age.
	MaxAge time.Duration
	// Now is the clock; nil means time.Now.
	Now func() time.Time
}

// Signer signs and verifies return paths. It is safe for concurrent use.
type Signer struct {
	pat     Pattern
	keys    [][]byte
	maxDays int
	now     func() time.Time
}

// Options are what Sign puts in a token besides the recipient.
type Options struct {
	// SendID identifies the send (a campaign, an order); optional. It is
	// lower-cased, then must have only a-z, 0-9, '_' and '-'.
	SendID string
	// Day is the day the token is made on, in UTC; zero means today.
	Day time.Time
}

// Address is what a signed return path carries.
type Address struct {
	// Recipient is the recipient, lower-cased.
	Recipient string
	// SendID is the send id, or "".
	SendID string
	// Day is the day the token was made, midnight UTC.
	Day time.Time
	// Token is the 16-character token.
	Token string
	// Key is the index in Config.Secrets of the secret that verified the
	// token (0 is the signing one), or -1 when none did.
	Key int
}

// New returns a Signer for c.
func New(c Config) (*Signer, error) {
	pat, err := ParsePattern(c.Pattern)
	if err != nil {
		return nil, err
	}
	if len(c.Secrets) == 0 {
		return nil, fmt.Errorf("%w: no secret", ErrWeakSecret)
	}
	s := &Signer{pat: pat, now: c.Now}
	for i, k := range c.Secrets {
		if err := CheckSecret(k); err != nil {
			return nil, fmt.Errorf("secret %d: %w", i, err)
		}
		s.keys = append(s.keys, append([]byte(nil), k...))
	}
	if c.MaxAge < 0 {
		return nil, fmt.Errorf("verp: negative max age %v", c.MaxAge)
	}
	if c.MaxAge > 0 {
		s.maxDays = int((c.MaxAge + 24*time.Hour - 1) / (24 * time.Hour))
	}
	if s.now == nil {
		s.now = time.Now
	}
	return s, nil
}

// CheckSecret returns an error wrapping ErrWeakSecret for a secret shorter
// than MinSecretLen bytes or with fewer than MinSecretDistinct different
// bytes. `openssl rand -hex 32` makes a good one.
func CheckSecret(k []byte) error {
	if len(k) < MinSecretLen {
		return fmt.Errorf("%w: %d bytes, want at least %d (e.g. openssl rand -hex 32)", ErrWeakSecret, len(k), MinSecretLen)
	}
	var seen [256]bool
	n := 0
	for _, b := range k {
		if !seen[b] {
			seen[b] = true
			n++
		}
	}
	if n < MinSecretDistinct {
		return fmt.Errorf("%w: only %d different characters, want at least %d", ErrWeakSecret, n, MinSecretDistinct)
	}
	return nil
}

// Pattern returns the signer's return-path pattern.
func (s *Signer) Pattern() string { return s.pat.String() }

// Sign returns the return path for recipient.
func (s *Signer) Sign(recipient string, o Options) (string, error) {
	rcpt, err := normalizeRecipient(recipient)
	if err != nil {
		return "", err
	}
	sendID, err := normalizeSendID(o.SendID)
	if err != nil {
		return "", err
	}
	day := o.Day
	if day.IsZero() {
		day = s.now()
	}
	d := dayNumber(day)
	if d <= 0 || d > 0xffff {
		return "", fmt.Errorf("verp: day %s outside 1970-01-02..2149-06-06", day.UTC().Format(time.DateOnly))
	}
	tok := token(s.keys[0], uint16(d), sendID, rcpt)
	addr := s.pat.format(tok, sendID, rcpt)
	if len(addr) > MaxPathLen {
		return "", fmt.Errorf("%w: %d octets for %s, at most %d", ErrTooLong, len(addr), rcpt, MaxPathLen)
	}
	return addr, nil
}

// Parse reads addr without checking its token: the Address it returns has
// Key -1. It returns ErrUnsigned for an address that does not fit the
// pattern and ErrBadSignature for one whose token is malformed.
func (s *Signer) Parse(addr string) (Address, error) {
	return s.pat.parse(addr)
}

// Verify reads addr and checks its token against every secret, in constant
// time for each. It returns the Address and nil when a secret made the
// token and it is not too old; ErrUnsigned, ErrBadSignature (with what
// Parse read) or ErrExpired (with the whole Address, Key set) otherwise.
func (s *Signer) Verify(addr string) (Address, error) {
	a, err := s.pat.parse(addr)
	if err != nil {
		return a, err
	}
	raw, _ := b32.DecodeString(a.Token) // parse checked it
	d := binary.BigEndian.Uint16(raw[:2])
	for i, k := range s.keys {
		if hmac.Equal(mac(k, d, a.SendID, a.Recipient), raw[2:]) {
			a.Key = i
			break
		}
	}
	if a.Key < 0 {
		return a, fmt.Errorf("%w: %s", ErrBadSignature, a.Recipient)
	}
	today := dayNumber(s.now())
	switch {
	case s.maxDays > 0 && today-int(d) > s.maxDays:
		return a, fmt.Errorf("%w: made %s, more than %d days ago", ErrExpired, a.Day.Format(time.DateOnly), s.maxDays)
	case int(d) > today+1:
		return a, fmt.Errorf("%w: dated %s, ahead of the clock", ErrExpired, a.Day.Format(time.DateOnly))
	}
	return a, nil
}

// Fits reports whether addr has the shape of a return path of the
// signer's pattern (valid or not); Verify says whether it is genuine.
func (s *Signer) Fits(addr string) bool {
	_, err := s.pat.parse(addr)
	return !errors.Is(err, ErrUnsigned)
}

func token(key []byte, day uint16, sendID, rcpt string) string {
	var raw [2 + MACLen]byte
	binary.BigEndian.PutUint16(raw[:2], day)
	copy(raw[2:], mac(key, day, sendID, rcpt))
	return b32.EncodeToString(raw[:])
}

func mac(key []byte, day uint16, sendID, rcpt string) []byte {
	h := hmac.New(sha256.New, key)
	h.Write([]byte(macLabel))
	h.Write([]byte{0, byte(day >> 8), byte(day)})
	h.Write([]byte(sendID))
	h.Write([]byte{0})
	h.Write([]byte(rcpt))
	return h.Sum(nil)[:MACLen]
}

// dayNumber is t's day since 1970-01-01 in UTC.
func dayNumber(t time.Time) int {
	return int(t.UTC().Unix() / 86400)
}

func dayTime(d uint16) time.Time {
	return time.Unix(int64(d)*86400, 0).UTC()
}

// normalizeRecipient lower-cases r and checks that it can be written in a
// return path's local part: local@domain, printable ASCII, without the
// characters that would need quoting there.
func normalizeRecipient(r string) (string, error) {
	r = strings.ToLower(strings.TrimSpace(strings.Trim(strings.TrimSpace(r), "<>")))
	at := strings.LastIndexByte(r, '@')
	if at <= 0 || at == len(r)-1 {
		return "", fmt.Errorf("%w: %q is not local@domain", ErrInvalidRecipient, r)
	}
	for i := 0; i < len(r); i++ {
		c := r[i]
		if c <= ' ' || c >= 0x7f || strings.IndexByte("\"(),:;<>@[\\]", c) >= 0 && i != at {
			return "", fmt.Errorf("%w: %q has %q, which a return path cannot carry unquoted", ErrInvalidRecipient, r, c)
		}
	}
	for i := at + 1; i < len(r); i++ {
		if !domainChar(r[i]) && r[i] != '.' {
			return "", fmt.Errorf("%w: domain of %q has %q (want letters, digits, '-' and '.'; IDNs in their xn-- form)", ErrInvalidRecipient, r, r[i])
		}
	}
	return r, nil
}

func normalizeSendID(id string) (string, error) {
	id = strings.ToLower(id)
	if len(id) > MaxSendIDLen {
		return "", fmt.Errorf("%w: %d characters, at most %d", ErrInvalidSendID, len(id), MaxSendIDLen)
	}
	for i := 0; i < len(id); i++ {
		if !sendIDChar(id[i]) {
			return "", fmt.Errorf("%w: %q has %q", ErrInvalidSendID, id, id[i])
		}
	}
	return id, nil
}

func sendIDChar(c byte) bool {
	return c >= 'a' && c <= 'z' || c >= '0' && c <= '9' || c == '_' || c == '-'
}
