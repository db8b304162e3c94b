package httpapi

import (
	"crypto/sha256"
	"crypto/subtle"
	"log/slog"
	"net"
	"net/http"
	"net/netip"
	"strconv"
	"strings"
	"sync"
	"time"

	"golang.org/x/time/rate"
)

// Defaults of the failed-token limiter.
const (
	// DefaultAuthFailureBurst wrong tokens are allowed from one client
	// before it is limited.
	DefaultAuthFailureBurst = 10
	// DefaultAuthFailureInterval is the wait for each further try: six a
	// minute once the burst is spent.
	DefaultAuthFailureInterval = 10 * time.Second
	// maxClients bounds the table of clients with recent failures.
	maxClients = 10000
)

// access is what a request needs.
type access int

const (
	accessRead  access = iota + 1 // personal data: the list, one address
	accessWrite                   // a change: lifting a suppression
)

// tokenHash is a token hashed, so that comparisons take the same time
// whatever the length of the token offered.
type tokenHash [sha256.Size]byte

func hashToken(t string) *tokenHash {
	if t == "" {
		return nil
	}
	h := tokenHash(sha256.Sum256([]byte(t)))
	return &h
}

// authenticator checks bearer tokens and limits the wrong ones per client.
type authenticator struct {
	read, write []*tokenHash // tokens allowed for each access
	log         *slog.Logger

	every rate.Limit
	burst int
	now   func() time.Time

	mu       sync.Mutex
	clients  map[string]*rate.Limiter // failures per client, by clientKey
	overflow *rate.Limiter            // shared when clients is full

	logs       *rate.Limiter // of the refusal log lines
	suppressed int           // refusals not logged since the last line, guarded by mu
}

func newAuthenticator(o Options) *authenticator {
	a := &authenticator{log: o.Log, clients: map[string]*rate.Limiter{}, now: o.clock}
	if a.now == nil {
		a.now = time.Now
	}
	read, write := hashToken(o.ReadToken), hashToken(o.WriteToken)
	legacy := hashToken(o.Token)
	for _, h := range []*tokenHash{read, write, legacy} {
		if h != nil {
			a.read = append(a.read, h)
		}
	}
	for _, h := range []*tokenHash{write, legacy} {
		if h != nil {
			a.write = append(a.write, h)
		}
	}
	a.burst = o.AuthFailureBurst
	if a.burst <= 0 {
		a.burst = DefaultAuthFailureBurst
	}
	interval := o.AuthFailureInterval
	if interval <= 0 {
		interval = DefaultAuthFailureInterval
	}
	a.every = rate.Every(interval)
	a.overflow = rate.NewLimiter(a.every, a.burst)
	// One line a second, ten at once: a guessing loop cannot fill the log.
	a.logs = rate.NewLimiter(1, 10)
	return a
}

// wrap returns h guarded by the token need requires. A client with too
// many recent wrong tokens gets 429, whatever it sends, until its budget
// refills: a right guess is not told apart from a wrong one meanwhile.
func (a *authenticator) wrap(need access, h http.HandlerFunc) http.HandlerFunc {
	allowed, key, what := a.read, "http.read_token", "reads of suppressions"
	if need == accessWrite {
		allowed, key, what = a.write, "http.write_token", "changes"
	}
	return func(w http.ResponseWriter, r *http.Request) {
		if len(allowed) == 0 {
			writeError(w, http.StatusForbidden, what+" are disabled: no "+key+" is configured")
			return
		}
		got, ok := strings.CutPrefix(r.Header.Get("Authorization"), "Bearer ")
		if !ok || got == "" {
			// No guess was made: not counted.
			w.Header().Set("WWW-Authenticate", `Bearer realm="bounced"`)
			writeError(w, http.StatusUnauthorized, "a bearer token is required ("+key+")")
			return
		}
		client := clientKey(r.RemoteAddr)
		now := a.now()
		// Every try takes one from the client's budget before the
		// comparison, so that concurrent guesses cannot overrun it; a
		// right token gives it back.
		lim := a.limiter(client, now)
		res := lim.ReserveN(now, 1)
		if !res.OK() || res.DelayFrom(now) > 0 {
			res.CancelAt(now)
			a.refuse(w, r, client, "rate limited", lim, now)
			return
		}
		if match(allowed, got) {
			res.CancelAt(now)
			h(w, r)
			return
		}
		a.logRefusal(r, client, "wrong token", false, now)
		w.Header().Set("WWW-Authenticate", `Bearer realm="bounced", error="invalid_token"`)
		writeError(w, http.StatusUnauthorized, "a valid bearer token is required ("+key+")")
	}
}

// match compares got with every allowed token in constant time.
func match(allowed []*tokenHash, got string) bool {
	g := sha256.Sum256([]byte(got))
	ok := 0
	for _, h := range allowed {
		ok |= subtle.ConstantTimeCompare(g[:], h[:])
	}
	return ok == 1
}

func (a *authenticator) refuse(w http.ResponseWriter, r *http.Request, client, why string, lim *rate.Limiter, now time.Time) {
	wait := time.Duration(float64(time.Second) * (1 - lim.TokensAt(now)) / float64(a.every))
	w.Header().Set("Retry-After", strconv.Itoa(max(1, int(wait.Seconds()+0.999))))
	a.logRefusal(r, client, why, true, now)
	writeError(w, http.StatusTooManyRequests, "too many wrong tokens from this client: retry later")
}

// logRefusal logs a refused token at warn, at most about one line a second
// after a burst of ten; the next line written counts the ones left out.
// Neither the token nor the address asked for is logged.
func (a *authenticator) logRefusal(r *http.Request, client, why string, limited bool, now time.Time) {
	a.mu.Lock()
	if !a.logs.AllowN(now, 1) {
		a.suppressed++
		a.mu.Unlock()
		return
	}
	n := a.suppressed
	a.suppressed = 0
	a.mu.Unlock()
	// The route, not the path: a path can hold a customer's address.
	a.log.Warn("http: bearer token refused", "client", client, "route", r.Pattern,
		"why", why, "limited", limited, "refusals_not_logged", n)
}

// limiter returns the failure limiter of client, made when it has none.
func (a *authenticator) limiter(client string, now time.Time) *rate.Limiter {
	a.mu.Lock()
	defer a.mu.Unlock()
	if lim, ok := a.clients[client]; ok {
		return lim
	}
	if len(a.clients) >= maxClients {
		// Forget the clients whose budget is whole again.
		for k, lim := range a.clients {
			if lim.TokensAt(now) >= float64(a.burst) {
				delete(a.clients, k)
			}
		}
		if len(a.clients) >= maxClients {
			// Too many clients failing at once: they share one budget.
			return a.overflow
		}
	}
	lim := rate.NewLimiter(a.every, a.burst)
	a.clients[client] = lim
	return lim
}

// clientKey names the client of a request by its address: an IPv4
// address, or the /64 network of an IPv6 one (one host usually holds a
// whole /64). Forwarded-for headers are not trusted.
func clientKey(remoteAddr string) string {
	host, _, err := net.SplitHostPort(remoteAddr)
	if err != nil {
		host = remoteAddr
	}
	ip, err := netip.ParseAddr(host)
	if err != nil {
		return host
	}
	ip = ip.Unmap()
	if ip.Is4() {
		return ip.String()
	}
	p, _ := ip.Prefix(64)
	return p.String()
}
