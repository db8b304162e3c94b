package mailbox

import (
	"context"
	"errors"
	"fmt"
	"net/url"
	"strings"
	"time"
)

// Message is one message of the watched mailbox, as given to the Handler.
type Message struct {
	// Worker is the name of the worker that fetched the message.
	Worker string
	// User and Addr are the account and the server's host:port, for Source.
	User, Addr string
	// Mailbox is the mailbox the message is in.
	Mailbox string
	// UIDValidity and UID identify the message (RFC 9051 section 2.3.1.1).
	UIDValidity, UID uint32
	// Raw is the message as the server stores it (RFC 5322), or its first
	// Config.MaxMessageSize bytes when Truncated.
	Raw []byte
	// Size is the whole message's size in bytes (RFC822.SIZE).
	Size int64
	// Truncated says that Raw holds only the start of the message.
	Truncated bool
	// InternalDate is when the server received the message.
	InternalDate time.Time
}

// Source returns an IMAP URL naming the message in the style of RFC 5092,
// e.g. imap://bounces@mail.example:993/INBOX;UIDVALIDITY=1;UID=5. It never
// holds a password.
func (m *Message) Source() string {
	var b strings.Builder
	b.WriteString("imap://")
	if m.User != "" {
		b.WriteString(url.User(m.User).String())
		b.WriteByte('@')
	}
	b.WriteString(m.Addr)
	b.WriteByte('/')
	for i, seg := range strings.Split(m.Mailbox, "/") {
		if i > 0 {
			b.WriteByte('/')
		}
		b.WriteString(url.PathEscape(seg))
	}
	fmt.Fprintf(&b, ";UIDVALIDITY=%d;UID=%d", m.UIDValidity, m.UID)
	return b.String()
}

// Disposition is where a handled message goes.
type Disposition int

// The dispositions.
const (
	// Processed is a bounce that was recorded: it goes to
	// Config.ProcessedFolder, or gets Config.Flag in flag mode.
	Processed Disposition = iota
	// Ignored is an auto-reply or ordinary mail: it goes to
	// Config.IgnoredFolder.
	Ignored
	// Quarantined is a message that could not be decoded: it goes to
	// Config.QuarantineFolder.
	Quarantined
)

// String returns the disposition's name.
func (d Disposition) String() string {
	switch d {
	case Processed:
		return "processed"
	case Ignored:
		return "ignored"
	case Quarantined:
		return "quarantined"
	}
	return fmt.Sprintf("Disposition(%d)", int(d))
}

// Handler handles one message. A nil error means the message was dealt
// with and may leave the mailbox as the disposition says. An error that is
// (or wraps) a *PermanentError means that handling the message again will
// not help: the message goes to Config.QuarantineFolder, the reason is
// logged and kept in Status, and the messages after it go on. Any other
// error is transient: the message (and the ones after it) stay where they
// are and are handed over again later, with a growing backoff, and after
// Config.MaxAttempts such failures that were the message's own (see
// Config.Check) the message is quarantined too. A Handler may see the same
// message more than once (after a crash or a failed handler before it) and
// must be idempotent.
type Handler func(ctx context.Context, m *Message) (Disposition, error)

// PermanentError is a handler error that no retry can cure: the message
// itself is at fault (an address the store refuses, an event the server
// cannot take, a report over a limit). The worker quarantines the message
// and goes on with the next one.
type PermanentError struct {
	// Reason says in a few words why the message was refused, for logs,
	// Status and the people who look at the quarantine.
	Reason string
	// Err is the underlying error, or nil.
	Err error
}

// Error returns "mailbox: permanent: " followed by the reason and the
// underlying error.
func (e *PermanentError) Error() string {
	if e.Err == nil {
		return "mailbox: permanent: " + e.Reason
	}
	return "mailbox: permanent: " + e.Reason + ": " + e.Err.Error()
}

// Unwrap returns the underlying error.
func (e *PermanentError) Unwrap() error { return e.Err }

// Permanent returns a *PermanentError with reason and err, for a Handler
// to return when handling the message again cannot succeed.
func Permanent(reason string, err error) error {
	return &PermanentError{Reason: reason, Err: err}
}

// OutageError is a transient handler error that a dependency caused for
// every message alike (Redis or NATS unreachable, a permission the server
// denies): it never counts against Config.MaxAttempts.
type OutageError struct{ Err error }

// Error returns the underlying error's text.
func (e *OutageError) Error() string { return e.Err.Error() }

// Unwrap returns the underlying error.
func (e *OutageError) Unwrap() error { return e.Err }

// Outage wraps err, a failure of a dependency rather than of the message,
// for a Handler to return; nil stays nil.
func Outage(err error) error {
	if err == nil {
		return nil
	}
	return &OutageError{Err: err}
}

// IsOutage reports whether err is or wraps an *OutageError.
func IsOutage(err error) bool {
	var oe *OutageError
	return errors.As(err, &oe)
}

// IsPermanent reports whether err is or wraps a *PermanentError, and
// returns it.
func IsPermanent(err error) (*PermanentError, bool) {
	var pe *PermanentError
	ok := errors.As(err, &pe)
	return pe, ok
}

// Checkpoints stores, per key, the UIDVALIDITY of a mailbox and the
// highest UID handled in it. *suppress.Store implements it.
type Checkpoints interface {
	// LoadCheckpoint returns the checkpoint saved under key, or zeros.
	LoadCheckpoint(ctx context.Context, key string) (uidValidity, lastUID uint32, err error)
	// SaveCheckpoint saves the checkpoint under key.
	SaveCheckpoint(ctx context.Context, key string, uidValidity, lastUID uint32) error
}
