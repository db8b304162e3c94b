package httpapi

import (
	"context"
	"errors"
	"log/slog"
	"net"
	"net/http"
	"sync"
	"time"
)

// Defaults of ServerOptions, used for every zero field.
const (
	DefaultReadHeaderTimeout = 5 * time.Second
	DefaultReadTimeout       = 30 * time.Second
	DefaultWriteTimeout      = 60 * time.Second
	DefaultIdleTimeout       = 60 * time.Second
	DefaultMaxConns          = 256
	DefaultMaxHeaderBytes    = 64 << 10
)

// ServerOptions bound what one client can hold of the HTTP server. A zero
// field takes its default.
type ServerOptions struct {
	// ReadHeaderTimeout is how long a client has to send a request's
	// headers, counted from the connection (or from the first byte after
	// an idle keep-alive wait).
	ReadHeaderTimeout time.Duration
	// ReadTimeout is how long a client has to send a whole request.
	ReadTimeout time.Duration
	// WriteTimeout is how long the server has to answer a request.
	WriteTimeout time.Duration
	// IdleTimeout closes a keep-alive connection that waits this long
	// for its next request.
	IdleTimeout time.Duration
	// MaxHeaderBytes bounds the size of a request's headers.
	MaxHeaderBytes int
	// MaxConns is the most connections served at once. When every one is
	// taken, a new connection closes the connection that has waited
	// longest without a request in progress (idle keep-alive, or opened and
	// silent), so a flood of idle connections cannot shut clients out; when
	// every connection is busy it waits (and the next ones in the listen
	// backlog) until one is free.
	MaxConns int
	// Log receives the server's own errors (bad TLS handshakes, accept
	// errors).
	Log *slog.Logger
}

func (o *ServerOptions) defaults() {
	def := func(d *time.Duration, v time.Duration) {
		if *d <= 0 {
			*d = v
		}
	}
	def(&o.ReadHeaderTimeout, DefaultReadHeaderTimeout)
	def(&o.ReadTimeout, DefaultReadTimeout)
	def(&o.WriteTimeout, DefaultWriteTimeout)
	def(&o.IdleTimeout, DefaultIdleTimeout)
	if o.MaxHeaderBytes <= 0 {
		o.MaxHeaderBytes = DefaultMaxHeaderBytes
	}
	if o.MaxConns <= 0 {
		o.MaxConns = DefaultMaxConns
	}
	if o.Log == nil {
		o.Log = slog.New(slog.DiscardHandler)
	}
}

// Server is an http.Server with timeouts on every phase of a connection
// and a bound on the connections open at once.
type Server struct {
	srv *http.Server
	max int

	mu    sync.Mutex
	conns map[*limitedConn]connInfo // every open connection
}

type connInfo struct {
	state http.ConnState
	since time.Time // of the state
}

// NewServer returns a Server serving h with the limits of o.
func NewServer(h http.Handler, o ServerOptions) *Server {
	o.defaults()
	s := &Server{max: o.MaxConns, conns: map[*limitedConn]connInfo{}}
	s.srv = &http.Server{
		Handler:           h,
		ReadHeaderTimeout: o.ReadHeaderTimeout,
		ReadTimeout:       o.ReadTimeout,
		WriteTimeout:      o.WriteTimeout,
		IdleTimeout:       o.IdleTimeout,
		MaxHeaderBytes:    o.MaxHeaderBytes,
		ConnState:         s.connState,
		ErrorLog:          slog.NewLogLogger(o.Log.Handler(), slog.LevelWarn),
	}
	return s
}

// Serve accepts connections on ln until Shutdown, at most MaxConns at once.
// It returns http.ErrServerClosed after Shutdown.
func (s *Server) Serve(ln net.Listener) error {
	return s.srv.Serve(&limitListener{Listener: ln, s: s, sem: make(chan struct{}, s.max), done: make(chan struct{})})
}

// Shutdown stops accepting, waits for the requests in progress as long as
// ctx allows, and closes every connection.
func (s *Server) Shutdown(ctx context.Context) error {
	err := s.srv.Shutdown(ctx)
	if err != nil {
		s.srv.Close()
	}
	return err
}

// openConns returns the number of connections open.
func (s *Server) openConns() int {
	s.mu.Lock()
	defer s.mu.Unlock()
	return len(s.conns)
}

// activeConns returns the number of connections with a request in progress.
func (s *Server) activeConns() int {
	s.mu.Lock()
	defer s.mu.Unlock()
	n := 0
	for _, ci := range s.conns {
		if ci.state == http.StateActive {
			n++
		}
	}
	return n
}

func (s *Server) connState(c net.Conn, st http.ConnState) {
	lc, ok := c.(*limitedConn)
	if !ok {
		return
	}
	s.mu.Lock()
	switch st {
	case http.StateClosed, http.StateHijacked:
		delete(s.conns, lc)
		s.mu.Unlock()
		return
	default:
		if _, open := s.conns[lc]; !open {
			s.mu.Unlock() // shed before the server saw it
			return
		}
		s.conns[lc] = connInfo{state: st, since: time.Now()}
	}
	waiting := lc.l.waiting > 0
	s.mu.Unlock()
	if waiting && st == http.StateIdle {
		// A client waits for a free connection: this one has nothing to do.
		lc.Close()
	}
}

// shedOne closes the connection of l that has waited longest without a
// request in progress, and reports whether there was one.
func (s *Server) shedOne(l *limitListener) bool {
	s.mu.Lock()
	var oldest *limitedConn
	var at time.Time
	for c, ci := range s.conns {
		if c.l != l || (ci.state != http.StateNew && ci.state != http.StateIdle) {
			continue
		}
		if oldest == nil || ci.since.Before(at) {
			oldest, at = c, ci.since
		}
	}
	s.mu.Unlock()
	if oldest == nil {
		return false
	}
	oldest.Close()
	return true
}

// limitListener hands out at most cap(sem) connections at once.
type limitListener struct {
	net.Listener
	s    *Server
	sem  chan struct{}
	done chan struct{}
	once sync.Once

	waiting int // Accepts waiting for a free slot, guarded by s.mu
}

// Accept accepts a connection and gives it a slot. When all are taken it
// makes one by closing the connection that has waited longest with nothing
// to do, or waits for one to close.
func (l *limitListener) Accept() (net.Conn, error) {
	c, err := l.Listener.Accept()
	if err != nil {
		return nil, err
	}
	select {
	case l.sem <- struct{}{}:
	default:
		l.s.mu.Lock()
		l.waiting++
		l.s.mu.Unlock()
		l.s.shedOne(l)
		select {
		case l.sem <- struct{}{}:
		case <-l.done:
		}
		l.s.mu.Lock()
		l.waiting--
		l.s.mu.Unlock()
		select {
		case <-l.done:
			c.Close()
			return nil, net.ErrClosed
		default:
		}
	}
	lc := &limitedConn{Conn: c, l: l}
	l.s.mu.Lock()
	l.s.conns[lc] = connInfo{state: http.StateNew, since: time.Now()}
	l.s.mu.Unlock()
	return lc, nil
}

// Close closes the listener and wakes a waiting Accept.
func (l *limitListener) Close() error {
	l.once.Do(func() { close(l.done) })
	return l.Listener.Close()
}

// limitedConn frees its slot when closed.
type limitedConn struct {
	net.Conn
	l    *limitListener
	once sync.Once
}

// Close closes the connection and frees its slot.
func (c *limitedConn) Close() error {
	err := c.Conn.Close()
	c.once.Do(func() {
		c.l.s.mu.Lock()
		delete(c.l.s.conns, c)
		c.l.s.mu.Unlock()
		<-c.l.sem
	})
	if errors.Is(err, net.ErrClosed) {
		return nil
	}
	return err
}
