package bounce

import (
	"errors"
	"fmt"
	"io"

	"github.com/bounced-dev/bounced/bounce/internal/decoders"
)

// Default limits of Options.
const (
	DefaultMaxSize  = 32 << 20 // bytes of one message
	DefaultMaxDepth = 20       // levels of MIME nesting
	DefaultMaxParts = 1000     // MIME parts in one message
	// DefaultMaxRecipients is the most recipients one report may name:
	// far above any real report (a daemon refuses far fewer, see
	// internal/pipeline's cap), it bounds what one message costs.
	DefaultMaxRecipients = 10000
)

// ErrTooLarge is returned (wrapped) for a message over Options.MaxSize.
var ErrTooLarge = errors.New("bounce: message larger than the size limit")

// ErrTooDeep is returned (wrapped) for a message whose MIME structure is
// nested deeper than Options.MaxDepth.
var ErrTooDeep = decoders.ErrTooDeep

// ErrTooManyParts is returned (wrapped) for a message with more MIME parts
// than Options.MaxParts.
var ErrTooManyParts = decoders.ErrTooManyParts

// ErrTooManyRecipients is returned (wrapped) for a report naming more
// recipients than Options.MaxRecipients.
var ErrTooManyRecipients = decoders.ErrTooManyRecipients

// ErrEmpty is returned for empty input or input that is not a message.
var ErrEmpty = decoders.ErrEmpty

// Options tune Decode. The zero value, or nil, means the defaults.
type Options struct {
	// MaxSize is the largest message read, in bytes (default DefaultMaxSize).
	MaxSize int64
	// MaxDepth is the deepest MIME nesting followed (default DefaultMaxDepth).
	MaxDepth int
	// MaxParts is the most MIME parts parsed (default DefaultMaxParts).
	MaxParts int
	// MaxRecipients is the most recipients one report may name (default
	// DefaultMaxRecipients): a report naming more is not read further,
	// and Decode fails with ErrTooManyRecipients.
	MaxRecipients int
	// VERP lists return-path patterns such as
	// "bounces+{local}={domain}@shop.example": when the bounce names no
	// recipient, the recipient is recovered from the address the bounce was
	// sent to (To, Delivered-To, X-Original-To, Envelope-To).
	VERP []string
	// OnDecoderPanic, when not nil, is told of a panic of one decoder that
	// Decode recovered (the message is then read as if it were not of that
	// decoder's format): the decoder's name and the value of the panic.
	// It is for logging and tests; nil ignores such panics.
	OnDecoderPanic func(decoder string, v any)
}

func (o *Options) withDefaults() Options {
	var out Options
	if o != nil {
		out = *o
	}
	if out.MaxSize <= 0 {
		out.MaxSize = DefaultMaxSize
	}
	if out.MaxDepth <= 0 {
		out.MaxDepth = DefaultMaxDepth
	}
	if out.MaxParts <= 0 {
		out.MaxParts = DefaultMaxParts
	}
	if out.MaxRecipients <= 0 {
		out.MaxRecipients = DefaultMaxRecipients
	}
	return out
}

// Decode reads one message from r and reports what it is and which
// recipients it is about. A message that is not a bounce is not an error:
// its Report has Kind KindNotBounce or KindAutoReply. Decode returns an
// error, with a Report of KindUnparseable, only when the input cannot be
// read as a message at all or is over a limit of opts.
func Decode(r io.Reader, opts *Options) (*Report, error) {
	o := opts.withDefaults()
	raw, err := io.ReadAll(io.LimitReader(r, o.MaxSize+1))
	if err != nil {
		return &Report{Kind: KindUnparseable}, fmt.Errorf("bounce: read message: %w", err)
	}
	if int64(len(raw)) > o.MaxSize {
		return &Report{Kind: KindUnparseable}, fmt.Errorf("%w (%d bytes)", ErrTooLarge, o.MaxSize)
	}
	return DecodeBytes(raw, &o)
}

// DecodeBytes is Decode for a message already in memory. It does not
// modify raw.
func DecodeBytes(raw []byte, opts *Options) (*Report, error) {
	o := opts.withDefaults()
	if int64(len(raw)) > o.MaxSize {
		return &Report{Kind: KindUnparseable}, fmt.Errorf("%w (%d bytes)", ErrTooLarge, o.MaxSize)
	}
	rep, err := decoders.Decode(raw, &decoders.Options{
		MaxDepth: o.MaxDepth, MaxParts: o.MaxParts, MaxRecipients: o.MaxRecipients, VERP: o.VERP, OnPanic: o.OnDecoderPanic,
	})
	if err != nil {
		return &Report{Kind: KindUnparseable}, err
	}
	return rep, nil
}

// MatchVERP returns the recipient encoded in addr by the VERP pattern pat
// ("bounces+{local}={domain}@shop.example"), or "" when addr does not fit.
// The pattern's literal parts compare case-insensitively. A signed
// pattern ("bounces+{token}+{local}={domain}@shop.example", package verp)
// has a token before the local part, which MatchVERP skips up to the
// separator that follows it: it does not check the token.
func MatchVERP(pat, addr string) string { return decoders.MatchVERP(pat, addr) }

// RecipientKind returns the kind of one recipient of a bounce, delay or
// delivery report, from its action and status.
func RecipientKind(r Recipient) Kind { return decoders.RecipientKind(r) }
