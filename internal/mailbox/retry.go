package mailbox

import (
	"context"
	"fmt"
	"time"
)

// retryError is a failure after which the connection is still good: the
// worker backs off (longer while it repeats) and polls again, without
// reconnecting. uid names the message whose handler failed, 0 when the
// failure is not a message's (a folder that refused a move, a message
// that vanished while it was fetched).
type retryError struct {
	uid uint32
	err error
}

func (e *retryError) Error() string { return e.err.Error() }
func (e *retryError) Unwrap() error { return e.err }

// remember keeps the disposition of a handled message until it is moved,
// so that a failed move is retried without handling the message again.
func (w *Worker) remember(id msgID, d Disposition) {
	w.memMu.Lock()
	defer w.memMu.Unlock()
	if len(w.results) < maxRemembered {
		w.results[id] = d
	}
}

// recall returns the remembered disposition of a message.
func (w *Worker) recall(id msgID) (Disposition, bool) {
	w.memMu.Lock()
	defer w.memMu.Unlock()
	d, ok := w.results[id]
	return d, ok
}

// forget drops what is remembered of messages that were moved (or
// flagged).
func (w *Worker) forget(uidValidity uint32, done []handled) {
	w.memMu.Lock()
	defer w.memMu.Unlock()
	for _, h := range done {
		id := msgID{uidValidity, uint32(h.uid)}
		delete(w.results, id)
		delete(w.attempts, id)
		delete(w.vanished, id)
	}
}

// maxVanished is how many polls in a row a message may come back empty
// before it is handed to the handler as it is: a message that is really
// empty (or a server that lost its file for good) must not hold the
// mailbox for ever.
const maxVanished = 3

// vanishing counts one more empty fetch of a message and reports whether
// it should still be treated as being expunged.
func (w *Worker) vanishing(id msgID) bool {
	w.memMu.Lock()
	defer w.memMu.Unlock()
	if w.vanished[id] >= maxVanished {
		return false
	}
	w.vanished[id]++
	return true
}

// prune drops what is remembered of the messages of uidValidity that the
// last search no longer found: moved, or expunged by someone else.
func (w *Worker) prune(uidValidity uint32, found []uint32) {
	w.memMu.Lock()
	defer w.memMu.Unlock()
	if len(w.results)+len(w.attempts)+len(w.vanished) == 0 {
		return
	}
	set := make(map[uint32]struct{}, len(found))
	for _, u := range found {
		set[u] = struct{}{}
	}
	for id := range w.results {
		if _, ok := set[id.uid]; !ok && id.uidValidity == uidValidity {
			delete(w.results, id)
		}
	}
	for id := range w.attempts {
		if _, ok := set[id.uid]; !ok && id.uidValidity == uidValidity {
			delete(w.attempts, id)
		}
	}
	for id := range w.vanished {
		if _, ok := set[id.uid]; !ok && id.uidValidity == uidValidity {
			delete(w.vanished, id)
		}
	}
}

// forgetOther drops what is remembered of messages under another
// UIDVALIDITY: their UIDs name other messages now, or none.
func (w *Worker) forgetOther(uidValidity uint32) {
	w.memMu.Lock()
	defer w.memMu.Unlock()
	for id := range w.results {
		if id.uidValidity != uidValidity {
			delete(w.results, id)
		}
	}
	for id := range w.attempts {
		if id.uidValidity != uidValidity {
			delete(w.attempts, id)
		}
	}
	for id := range w.vanished {
		if id.uidValidity != uidValidity {
			delete(w.vanished, id)
		}
	}
}

// countFailure decides whether the handler failure of the message uid
// counts against MaxAttempts, and counts it.
//
// The rule: a failure counts only when it is the message's own. It is
// not when the handler says so (an *OutageError: Redis or NATS unreachable,
// a permission the server denies), nor when Config.Check, asked right
// after the failure, says the dependencies do not answer (Redis or NATS
// down, or slow enough to time out). So an outage, however long, never
// quarantines a message; an IMAP outage is never a handler failure at all.
// When the dependencies answer and the message still fails, again and
// again, the message is the problem: after MaxAttempts such failures it is
// quarantined the next time it comes up.
func (w *Worker) countFailure(ctx context.Context, uidValidity uint32, re *retryError) {
	if re.uid == 0 {
		return
	}
	if IsOutage(re.err) {
		w.log.Debug("mailbox: outage: failure not counted against the message", "uid", re.uid, "error", re.err)
		return
	}
	if w.cfg.Check != nil {
		cctx, cancel := context.WithTimeout(ctx, 5*time.Second)
		err := w.cfg.Check(cctx)
		cancel()
		if err != nil {
			w.log.Debug("mailbox: dependencies down: failure not counted against the message", "uid", re.uid, "error", err)
			return
		}
	}
	id := msgID{uidValidity, re.uid}
	w.memMu.Lock()
	a := w.attempts[id]
	a.n++
	a.last = re.err
	w.attempts[id] = a
	w.memMu.Unlock()
	w.log.Warn("mailbox: message failed with the dependencies up", "uid", re.uid, "attempt", a.n, "max_attempts", w.cfg.MaxAttempts, "error", re.err)
}

// exhausted returns the last error of a message that failed MaxAttempts
// times, or nil.
func (w *Worker) exhausted(id msgID) error {
	w.memMu.Lock()
	defer w.memMu.Unlock()
	a, ok := w.attempts[id]
	if !ok || a.n < w.cfg.MaxAttempts {
		return nil
	}
	return fmt.Errorf("mailbox: gave up after %d attempts: %w", a.n, a.last)
}

// handle runs the handler for m, or quarantines m when it failed
// MaxAttempts times already, and turns a *PermanentError into the
// Quarantined disposition.
func (w *Worker) handle(ctx context.Context, m *Message) (Disposition, error) {
	id := msgID{m.UIDValidity, m.UID}
	if last := w.exhausted(id); last != nil {
		if w.cfg.GiveUp != nil {
			if err := w.cfg.GiveUp(ctx, m, last); err != nil {
				return 0, fmt.Errorf("mailbox: give up on uid %d: %w", m.UID, err)
			}
		}
		w.rejected(m.UID, last.Error())
		return Quarantined, nil
	}
	d, err := w.callHandler(ctx, m)
	if pe, ok := IsPermanent(err); ok {
		reason := pe.Reason
		if pe.Err != nil {
			reason += ": " + pe.Err.Error()
		}
		w.rejected(m.UID, reason)
		return Quarantined, nil
	}
	return d, err
}

// rejected logs and keeps the reason a message goes to quarantine.
func (w *Worker) rejected(uid uint32, reason string) {
	w.log.Warn("mailbox: message rejected, to quarantine", "uid", uid, "reason", reason, "folder", w.cfg.QuarantineFolder)
	w.update(func(st *Status) {
		st.Rejected++
		st.LastRejection = fmt.Sprintf("uid %d: %s", uid, reason)
	})
}
