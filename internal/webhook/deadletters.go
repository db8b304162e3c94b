package webhook

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"strconv"
	"time"

	"github.com/nats-io/nats.go/jetstream"
)

// DeadLetter is one event an endpoint refused, as stored on its
// dead-letter subject.
type DeadLetter struct {
	// ID is the event's id, Type its type and Time its time field.
	ID   string     `json:"id"`
	Type string     `json:"type"`
	Time *time.Time `json:"time,omitempty"`
	// DeadLetteredAt is when the event was moved to the dead-letter subject.
	DeadLetteredAt time.Time `json:"dead_lettered_at"`
	// Attempts is how many POSTs failed; Error is the last failure.
	Attempts int    `json:"attempts"`
	Error    string `json:"error"`
	// Subject and Sequence are where the event is in the stream.
	Subject  string `json:"subject"`
	Sequence uint64 `json:"sequence"`
}

// DeadLetters are the dead letters of one endpoint that the stream holds.
type DeadLetters struct {
	// Stored is how many the stream holds.
	Stored uint64
	// Recent are the last ones, newest first.
	Recent []DeadLetter
}

// DeadLetters reads the dead letters of endpoint from the stream: how many
// it holds and the last n, newest first. It asks NATS for the subject's
// count and for at most about n times the logarithm of the stream's
// length messages (each the first on the subject from a sequence on),
// however many events or dead letters lie before them.
func (s *Service) DeadLetters(ctx context.Context, endpoint string, n int) (DeadLetters, error) {
	return ReadDeadLetters(ctx, s.js, s.opts, endpoint, n)
}

// ReadDeadLetters is Service.DeadLetters for a client outside the daemon.
func ReadDeadLetters(ctx context.Context, js jetstream.JetStream, o Options, endpoint string, n int) (DeadLetters, error) {
	o = o.withDefaults()
	subj := DeadLetterSubject(o.SubjectPrefix, endpoint)
	var out DeadLetters
	st, err := js.Stream(ctx, o.Stream)
	if err != nil {
		return out, fmt.Errorf("webhook: dead letters of %s: stream %s: %w", endpoint, o.Stream, err)
	}
	info, err := st.Info(ctx, jetstream.WithSubjectFilter(subj))
	if err != nil {
		return out, fmt.Errorf("webhook: dead letters of %s: stream info: %w", endpoint, err)
	}
	out.Stored = info.State.Subjects[subj]
	if out.Stored == 0 || n <= 0 {
		return out, nil
	}
	last, err := st.GetLastMsgForSubject(ctx, subj)
	if errors.Is(err, jetstream.ErrMsgNotFound) {
		return out, nil // deleted meanwhile
	}
	if err != nil {
		return out, fmt.Errorf("webhook: dead letters of %s: last message: %w", endpoint, err)
	}
	var msgs []*jetstream.RawStreamMsg
	if err := lastMsgs(ctx, st, subj, info.State.FirstSeq, last.Sequence+1, out.Stored, n, &msgs); err != nil {
		return out, fmt.Errorf("webhook: dead letters of %s: %w", endpoint, err)
	}
	for _, m := range msgs {
		out.Recent = append(out.Recent, deadLetterOf(m))
	}
	return out, nil
}

// lastMsgs appends to out, newest first, the last n of the stored
// messages on subj with sequences in [lo, hi): reading them one by one
// when they are few, else with lastOnSubject.
func lastMsgs(ctx context.Context, st jetstream.Stream, subj string, lo, hi, stored uint64, n int, out *[]*jetstream.RawStreamMsg) error {
	if stored > uint64(4*n) {
		return lastOnSubject(ctx, st, subj, lo, hi, n, out)
	}
	m, err := st.GetMsg(ctx, lo, jetstream.WithGetMsgSubject(subj))
	if errors.Is(err, jetstream.ErrMsgNotFound) {
		return nil
	}
	if err != nil {
		return err
	}
	return walkOnSubject(ctx, st, subj, m, hi, n, out)
}

// walkOnSubject appends to out, newest first, the last need messages on
// subj from m on with sequences below hi, asking for each in turn.
func walkOnSubject(ctx context.Context, st jetstream.Stream, subj string, m *jetstream.RawStreamMsg, hi uint64, need int, out *[]*jetstream.RawStreamMsg) error {
	var found []*jetstream.RawStreamMsg
	for m.Sequence < hi {
		found = append(found, m)
		next, err := st.GetMsg(ctx, m.Sequence+1, jetstream.WithGetMsgSubject(subj))
		if errors.Is(err, jetstream.ErrMsgNotFound) {
			break
		}
		if err != nil {
			return err
		}
		m = next
	}
	for i := len(found) - 1; i >= 0 && need > 0; i-- {
		*out = append(*out, found[i])
		need--
	}
	return nil
}

// walkSpan is the length of a range of sequences read message by message
// rather than halved.
const walkSpan = 32

// lastOnSubject appends to out, newest first, the last need messages on
// subj with sequences in [lo, hi). Each request asks for the first
// message on subj at or after a sequence; ranges holding none are
// skipped with one request, so the cost stays small however sparse the
// subject is in the stream.
func lastOnSubject(ctx context.Context, st jetstream.Stream, subj string, lo, hi uint64, need int, out *[]*jetstream.RawStreamMsg) error {
	if need <= 0 || lo >= hi {
		return nil
	}
	m, err := st.GetMsg(ctx, lo, jetstream.WithGetMsgSubject(subj))
	if errors.Is(err, jetstream.ErrMsgNotFound) {
		return nil
	}
	if err != nil {
		return err
	}
	if m.Sequence >= hi {
		return nil
	}
	lo = m.Sequence
	if hi-lo <= walkSpan {
		return walkOnSubject(ctx, st, subj, m, hi, need, out)
	}
	mid := lo + (hi-lo)/2
	before := len(*out)
	if err := lastOnSubject(ctx, st, subj, mid, hi, need, out); err != nil {
		return err
	}
	return lastOnSubject(ctx, st, subj, lo, mid, need-(len(*out)-before), out)
}

// deadLetterOf reads a stored dead letter: its headers, and the id, type
// and time of the event in its body.
func deadLetterOf(m *jetstream.RawStreamMsg) DeadLetter {
	d := DeadLetter{DeadLetteredAt: m.Time.UTC(), Error: m.Header.Get(HeaderDeadError), Subject: m.Header.Get(HeaderDeadSubject)}
	d.Attempts, _ = strconv.Atoi(m.Header.Get(HeaderDeadAttempts))
	d.Sequence, _ = strconv.ParseUint(m.Header.Get(HeaderDeadSequence), 10, 64)
	var ev struct {
		ID   string    `json:"id"`
		Type string    `json:"type"`
		Time time.Time `json:"time"`
	}
	if json.Unmarshal(m.Data, &ev) == nil {
		d.ID, d.Type = ev.ID, ev.Type
		if !ev.Time.IsZero() {
			t := ev.Time.UTC()
			d.Time = &t
		}
	}
	return d
}
