package testutil

import (
	"errors"
	"net"
	"sync"
	"sync/atomic"
	"testing"
	"time"
)

// Proxy is a TCP proxy on a free loopback port that forwards every
// connection to a target address and can be told to misbehave, for fault
// tests: cut every open connection now (CutAll), cut connections in the
// middle of what the client sends (CutNext: the next writes are forwarded
// only in part, then the connection is closed, as when a link dies in the
// middle of a command), hold all traffic without closing anything (Pause,
// Resume), or refuse new connections (Refuse). It forwards bytes as they
// are (TLS passes through untouched).
type Proxy struct {
	// Addr is the host:port the proxy listens on; clients dial it instead
	// of the target.
	Addr string
	// Target is the host:port connections are forwarded to.
	Target string

	t  testing.TB
	ln net.Listener

	mu       sync.Mutex
	conns    map[*proxyConn]struct{}
	paused   bool
	resumed  chan struct{} // closed on Resume
	refuse   bool
	cutNext  int // client writes still to cut
	accepted atomic.Int64
	cuts     atomic.Int64
	done     chan struct{}
	wg       sync.WaitGroup
}

type proxyConn struct {
	client, server net.Conn
	once           sync.Once
}

func (c *proxyConn) close() {
	c.once.Do(func() {
		_ = c.client.Close()
		_ = c.server.Close()
	})
}

// StartProxy starts a proxy to target on a free loopback port, and stops
// it (closing every connection) when the test ends.
func StartProxy(t testing.TB, target string) *Proxy {
	t.Helper()
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatalf("testutil: proxy listen: %v", err)
	}
	p := &Proxy{Addr: ln.Addr().String(), Target: target, t: t, ln: ln, conns: map[*proxyConn]struct{}{}, resumed: make(chan struct{}), done: make(chan struct{})}
	close(p.resumed)
	p.wg.Add(1)
	go p.accept()
	t.Cleanup(p.Close)
	return p
}

func (p *Proxy) accept() {
	defer p.wg.Done()
	defer func() {
		if r := recover(); r != nil {
			p.t.Errorf("testutil: proxy accept panicked: %v", r)
		}
	}()
	for {
		c, err := p.ln.Accept()
		if err != nil {
			if errors.Is(err, net.ErrClosed) {
				return
			}
			continue
		}
		p.accepted.Add(1)
		p.mu.Lock()
		refuse := p.refuse
		p.mu.Unlock()
		if refuse {
			_ = c.Close()
			continue
		}
		p.wg.Add(1)
		go p.serve(c)
	}
}

func (p *Proxy) serve(client net.Conn) {
	defer p.wg.Done()
	defer func() {
		if r := recover(); r != nil {
			p.t.Errorf("testutil: proxy connection panicked: %v", r)
		}
	}()
	server, err := net.DialTimeout("tcp", p.Target, 5*time.Second)
	if err != nil {
		_ = client.Close()
		return
	}
	pc := &proxyConn{client: client, server: server}
	p.mu.Lock()
	select {
	case <-p.done:
		p.mu.Unlock()
		pc.close()
		return
	default:
	}
	p.conns[pc] = struct{}{}
	p.mu.Unlock()
	defer func() {
		pc.close()
		p.mu.Lock()
		delete(p.conns, pc)
		p.mu.Unlock()
	}()
	var wg sync.WaitGroup
	wg.Add(2)
	go func() {
		defer wg.Done()
		p.pipe(pc, server, client, true)
	}()
	go func() {
		defer wg.Done()
		p.pipe(pc, client, server, false)
	}()
	wg.Wait()
}

// pipe copies src to dst until either side closes, waiting while the
// proxy is paused, and cutting the connection mid-write when asked.
func (p *Proxy) pipe(pc *proxyConn, dst, src net.Conn, fromClient bool) {
	defer func() {
		if r := recover(); r != nil {
			p.t.Errorf("testutil: proxy pipe panicked: %v", r)
		}
		pc.close()
	}()
	buf := make([]byte, 32<<10)
	for {
		n, err := src.Read(buf)
		if n > 0 {
			p.mu.Lock()
			resumed := p.resumed
			p.mu.Unlock()
			select {
			case <-resumed:
			case <-p.done:
				return
			}
			chunk := buf[:n]
			cut := false
			if fromClient {
				p.mu.Lock()
				if p.cutNext > 0 {
					p.cutNext--
					cut = true
				}
				p.mu.Unlock()
			}
			if cut {
				// Half of the command reaches the server, then the link dies.
				_, _ = dst.Write(chunk[:n/2])
				p.cuts.Add(1)
				return
			}
			if _, werr := dst.Write(chunk); werr != nil {
				return
			}
		}
		if err != nil {
			return // io.EOF or a closed connection: either way the pipe ends
		}
	}
}

// CutAll closes every open connection at once and returns how many it
// closed. New connections are accepted as before.
func (p *Proxy) CutAll() int {
	p.mu.Lock()
	conns := make([]*proxyConn, 0, len(p.conns))
	for c := range p.conns {
		conns = append(conns, c)
	}
	p.mu.Unlock()
	for _, c := range conns {
		c.close()
	}
	p.cuts.Add(int64(len(conns)))
	return len(conns)
}

// CutNext makes the next n writes from clients (over any connection) reach
// the server only in part, each followed by the end of its connection:
// a command cut in the middle.
func (p *Proxy) CutNext(n int) {
	p.mu.Lock()
	p.cutNext += n
	p.mu.Unlock()
}

// Pause holds every byte in both directions, on open and new connections,
// until Resume; nothing is closed, so clients see a server that stopped
// answering.
func (p *Proxy) Pause() {
	p.mu.Lock()
	defer p.mu.Unlock()
	if !p.paused {
		p.paused = true
		p.resumed = make(chan struct{})
	}
}

// Resume lets held traffic flow again after Pause.
func (p *Proxy) Resume() {
	p.mu.Lock()
	defer p.mu.Unlock()
	if p.paused {
		p.paused = false
		close(p.resumed)
	}
}

// Refuse makes the proxy close new connections as soon as it accepts them
// (on), or forward them again (off). Open connections are not touched.
func (p *Proxy) Refuse(on bool) {
	p.mu.Lock()
	p.refuse = on
	p.mu.Unlock()
}

// Open returns the number of connections being forwarded now.
func (p *Proxy) Open() int {
	p.mu.Lock()
	defer p.mu.Unlock()
	return len(p.conns)
}

// Accepted returns the number of connections accepted so far.
func (p *Proxy) Accepted() int64 { return p.accepted.Load() }

// Cuts returns the number of connections the proxy has cut so far.
func (p *Proxy) Cuts() int64 { return p.cuts.Load() }

// Close stops the proxy: no new connections, every open one closed. It
// waits for the proxy's goroutines and may be called more than once.
func (p *Proxy) Close() {
	p.mu.Lock()
	select {
	case <-p.done:
		p.mu.Unlock()
		return
	default:
	}
	close(p.done)
	p.mu.Unlock()
	_ = p.ln.Close()
	p.CutAll()
	p.wg.Wait()
}
