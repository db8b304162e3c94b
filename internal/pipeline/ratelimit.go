package pipeline

import (
	"sync"
	"time"
)

// rateLimiter counts, per mailbox and calendar minute, the new suppressions
// made and those that messages being handled may still make. A message is
// let through only when all of its possible new suppressions fit under the
// limit with those of the messages in flight, so that the limit holds
// however many messages are handled at once. It lives in memory: a restart
// begins a fresh minute.
//
// Why quarantine, not hold, the messages over the limit: a forged flood (one
// sender mailing thousands of made-up DSNs) would, if held, be applied at
// the limit's pace anyway, only later; quarantined, none of it is applied
// until a human has looked, and a real burst of bounces is one move back to
// the watched mailbox away from being applied.
type rateLimiter struct {
	mu sync.Mutex
	m  map[string]*rateWindow
}

type rateWindow struct {
	start          time.Time
	used, reserved int
	alerted        bool
}

func newRateLimiter() *rateLimiter { return &rateLimiter{m: map[string]*rateWindow{}} }

// window returns the current window of mailbox, starting a new one when
// the minute changed. Call with mu held.
func (l *rateLimiter) window(mailbox string, now time.Time) *rateWindow {
	start := now.Truncate(time.Minute)
	w := l.m[mailbox]
	if w == nil || !w.start.Equal(start) {
		// Reservations of the minute before are settled against it (see
		// settle), not carried over.
		w = &rateWindow{start: start}
		l.m[mailbox] = w
	}
	return w
}

// reserve reserves n possible new suppressions for mailbox, within limit
// per minute. It returns the window's start and whether they fit.
func (l *rateLimiter) reserve(mailbox string, n, limit int, now time.Time) (time.Time, bool) {
	l.mu.Lock()
	defer l.mu.Unlock()
	w := l.window(mailbox, now)
	if w.used+w.reserved+n > limit {
		return w.start, false
	}
	w.reserved += n
	return w.start, true
}

// settle turns a reservation of n in the window from start into the newly
// new suppressions actually made.
func (l *rateLimiter) settle(mailbox string, start time.Time, n, newly int) {
	l.mu.Lock()
	defer l.mu.Unlock()
	w := l.m[mailbox]
	if w == nil || !w.start.Equal(start) {
		return // that minute is over
	}
	w.reserved -= n
	w.used += newly
}

// alertDue reports whether the alert of the window from start is still to
// be published.
func (l *rateLimiter) alertDue(mailbox string, start time.Time) bool {
	l.mu.Lock()
	defer l.mu.Unlock()
	w := l.m[mailbox]
	return w != nil && w.start.Equal(start) && !w.alerted
}

// alerted records that the alert of the window from start was published.
func (l *rateLimiter) alerted(mailbox string, start time.Time) {
	l.mu.Lock()
	defer l.mu.Unlock()
	if w := l.m[mailbox]; w != nil && w.start.Equal(start) {
		w.alerted = true
	}
}
