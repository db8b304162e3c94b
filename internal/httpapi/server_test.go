package httpapi

import (
	"bufio"
	"context"
	"errors"
	"io"
	"net"
	"net/http"
	"os"
	"strings"
	"testing"
	"time"
)

// startServer serves h (nil: the API handler with no store, health only)
// with o on a loopback port.
func startServer(t *testing.T, h http.Handler, o ServerOptions) (*Server, string) {
	t.Helper()
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	if h == nil {
		h = Handler(Options{})
	}
	s := NewServer(h, o)
	done := make(chan error, 1)
	go func() { done <- s.Serve(ln) }()
	t.Cleanup(func() {
		ctx, cancel := context.WithTimeout(context.Background(), 5*time.Second)
		defer cancel()
		s.Shutdown(ctx)
		if err := <-done; !errors.Is(err, http.ErrServerClosed) {
			t.Errorf("Serve() = %v, want http.ErrServerClosed", err)
		}
	})
	return s, ln.Addr().String()
}

// idleConns opens n connections that send nothing.
func idleConns(t *testing.T, addr string, n int) []net.Conn {
	t.Helper()
	var cs []net.Conn
	for range n {
		c, err := net.Dial("tcp", addr)
		if err != nil {
			t.Fatalf("dial %d: %v", len(cs), err)
		}
		t.Cleanup(func() { c.Close() })
		cs = append(cs, c)
	}
	return cs
}

// keepAliveConns opens n connections that make one request each and then
// stay open, idle, as a keep-alive client leaves them.
func keepAliveConns(t *testing.T, addr string, n int) []net.Conn {
	t.Helper()
	var cs []net.Conn
	for i := range n {
		// Each request right after its dial: ReadHeaderTimeout runs from
		// the connection.
		c := idleConns(t, addr, 1)[0]
		if _, err := io.WriteString(c, "GET /healthz HTTP/1.1\r\nHost: x\r\n\r\n"); err != nil {
			t.Fatal(err)
		}
		c.SetReadDeadline(time.Now().Add(20 * time.Second))
		resp, err := http.ReadResponse(bufio.NewReader(c), nil)
		if err != nil {
			t.Fatalf("keep-alive conn %d: %v", i, err)
		}
		io.Copy(io.Discard, resp.Body)
		resp.Body.Close()
		if resp.StatusCode != 200 || resp.Close {
			t.Fatalf("keep-alive conn %d: status %d, close %v", i, resp.StatusCode, resp.Close)
		}
		cs = append(cs, c)
	}
	return cs
}

// closedByServer waits up to d for the server to close c (a read that ends
// in EOF or a reset), and reports whether it did.
func closedByServer(c net.Conn, d time.Duration) bool {
	c.SetReadDeadline(time.Now().Add(d))
	_, err := c.Read(make([]byte, 1))
	return err != nil && !errors.Is(err, os.ErrDeadlineExceeded)
}

// TestServer_idleConnectionsTimeOut: connections that never send a
// request and keep-alive connections left idle are both closed by the
// server within their timeouts. (With only ReadHeaderTimeout set, as
// before, the keep-alive ones stayed open for ever.)
func TestServer_idleConnectionsTimeOut(t *testing.T) {
	_, addr := startServer(t, nil, ServerOptions{ReadHeaderTimeout: time.Second, IdleTimeout: time.Second})
	silent := idleConns(t, addr, 50)
	kept := keepAliveConns(t, addr, 50)
	start := time.Now()
	for i, c := range silent {
		if !closedByServer(c, 10*time.Second) {
			t.Fatalf("silent conn %d still open after %v", i, time.Since(start))
		}
	}
	for i, c := range kept {
		if !closedByServer(c, 10*time.Second) {
			t.Fatalf("idle keep-alive conn %d still open after %v", i, time.Since(start))
		}
	}
}

// TestServer_limitKeepsAnswering: with far more idle connections than the
// limit (silent ones and idle keep-alive ones, with timeouts long enough
// that none expires during the test), the server never holds more than
// MaxConns and still answers a new client at once, by closing the
// connections that have waited longest with nothing to do.
func TestServer_limitKeepsAnswering(t *testing.T) {
	const limit = 16
	s, addr := startServer(t, nil, ServerOptions{MaxConns: limit, ReadHeaderTimeout: time.Minute, IdleTimeout: time.Minute})
	kept := keepAliveConns(t, addr, limit)
	idleConns(t, addr, 200)
	c := &http.Client{Timeout: 10 * time.Second}
	for i := range 20 {
		if n := s.openConns(); n > limit {
			t.Fatalf("%d connections open, limit %d", n, limit)
		}
		resp, err := c.Get("http://" + addr + "/healthz")
		if err != nil {
			t.Fatalf("request %d while flooded: %v", i, err)
		}
		b, _ := io.ReadAll(resp.Body)
		resp.Body.Close()
		if resp.StatusCode != 200 || strings.TrimSpace(string(b)) != "ok" {
			t.Fatalf("request %d = %d %q", i, resp.StatusCode, b)
		}
		c.CloseIdleConnections()
	}
	if n := s.openConns(); n > limit {
		t.Errorf("%d connections open, limit %d", n, limit)
	}
	// The oldest idle ones made room: the keep-alive connections first.
	for i, k := range kept {
		if !closedByServer(k, 10*time.Second) {
			t.Errorf("idle keep-alive conn %d was not closed to make room", i)
		}
	}
}

// TestServer_limitWaitsForBusy: when every connection is busy with a
// request, a new one waits for a free slot instead of exceeding the limit.
func TestServer_limitWaitsForBusy(t *testing.T) {
	const limit = 4
	release := make(chan struct{})
	h := http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		if r.URL.Path == "/busy" {
			<-release
		}
		io.WriteString(w, "ok")
	})
	s, addr := startServer(t, h, ServerOptions{MaxConns: limit})
	c := &http.Client{Timeout: 20 * time.Second}
	get := func(path string, got chan<- error) {
		resp, err := c.Get("http://" + addr + path)
		if err == nil {
			resp.Body.Close()
		}
		got <- err
	}
	busy := make(chan error, limit)
	for range limit {
		go get("/busy", busy)
	}
	deadline := time.Now().Add(10 * time.Second)
	for s.activeConns() < limit {
		if time.Now().After(deadline) {
			t.Fatalf("%d active connections, want %d", s.activeConns(), limit)
		}
		time.Sleep(10 * time.Millisecond)
	}
	got := make(chan error, 1)
	go get("/healthz", got)
	select {
	case err := <-got:
		t.Fatalf("a request was served past the limit (err %v)", err)
	case <-time.After(300 * time.Millisecond):
		// Not served while every connection is busy. (A negative check:
		// the window bounds how long we look; a slow machine cannot make
		// it fail wrongly.)
	}
	if n := s.openConns(); n > limit {
		t.Errorf("%d connections open, limit %d", n, limit)
	}
	close(release)
	for range limit {
		if err := <-busy; err != nil {
			t.Errorf("busy request: %v", err)
		}
	}
	if err := <-got; err != nil {
		t.Errorf("request after a slot freed: %v", err)
	}
}

// TestServer_slowHeadersTimeOut: a client that trickles its headers a
// byte at a time (slowloris) is cut off by ReadHeaderTimeout, however
// long it keeps sending.
func TestServer_slowHeadersTimeOut(t *testing.T) {
	_, addr := startServer(t, nil, ServerOptions{ReadHeaderTimeout: 300 * time.Millisecond})
	c := idleConns(t, addr, 1)[0]
	closed := make(chan struct{})
	go func() {
		defer close(closed)
		closedByServer(c, 20*time.Second)
	}()
	start := time.Now()
	tick := time.NewTicker(50 * time.Millisecond)
	defer tick.Stop()
	header := "GET /healthz HTTP/1.1\r\nHost: x\r\nX-Slow: " + strings.Repeat("a", 10000)
	for i := 0; ; i++ {
		select {
		case <-closed:
			t.Logf("cut off after %v", time.Since(start).Round(10*time.Millisecond))
			return
		case <-tick.C:
			if time.Since(start) > 20*time.Second {
				t.Fatal("a trickling client kept its connection for 20s")
			}
			c.Write([]byte{header[i%len(header)]})
		}
	}
}

// TestServer_maxHeaderBytes: headers over MaxHeaderBytes are refused with
// 431 and not read further.
func TestServer_maxHeaderBytes(t *testing.T) {
	_, addr := startServer(t, nil, ServerOptions{MaxHeaderBytes: 4 << 10})
	req, _ := http.NewRequest("GET", "http://"+addr+"/healthz", nil)
	req.Header.Set("X-Big", strings.Repeat("b", 64<<10))
	resp, err := (&http.Client{Timeout: 10 * time.Second}).Do(req)
	if err != nil {
		t.Fatal(err)
	}
	resp.Body.Close()
	if resp.StatusCode != http.StatusRequestHeaderFieldsTooLarge {
		t.Errorf("64 KiB header = %d, want 431", resp.StatusCode)
	}
	resp, err = http.Get("http://" + addr + "/healthz")
	if err != nil {
		t.Fatal(err)
	}
	resp.Body.Close()
	if resp.StatusCode != 200 {
		t.Errorf("small request = %d, want 200", resp.StatusCode)
	}
}
