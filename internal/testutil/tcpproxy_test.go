package testutil

import (
	"bufio"
	"io"
	"net"
	"slices"
	"strings"
	"testing"
	"time"
)

// echoServer accepts connections on loopback and echoes every line back.
func echoServer(t *testing.T) string {
	addr, _ := recordingEchoServer(t)
	return addr
}

// recordingEchoServer is echoServer that also sends on the returned
// channel everything each connection received, when it closes.
func recordingEchoServer(t *testing.T) (string, <-chan string) {
	t.Helper()
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { ln.Close() })
	got := make(chan string, 16)
	go func() {
		for {
			c, err := ln.Accept()
			if err != nil {
				return
			}
			go func() {
				defer c.Close()
				var seen strings.Builder
				io.Copy(io.MultiWriter(c, &seen), c)
				select {
				case got <- seen.String():
				default:
				}
			}()
		}
	}()
	return ln.Addr().String(), got
}

func dialLine(t *testing.T, addr string) (net.Conn, *bufio.Reader) {
	t.Helper()
	c, err := net.DialTimeout("tcp", addr, 5*time.Second)
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { c.Close() })
	return c, bufio.NewReader(c)
}

func TestProxy_forwardsAndCuts(t *testing.T) {
	addr, received := recordingEchoServer(t)
	p := StartProxy(t, addr)
	c, r := dialLine(t, p.Addr)
	c.SetDeadline(time.Now().Add(10 * time.Second))
	if _, err := c.Write([]byte("hello\n")); err != nil {
		t.Fatal(err)
	}
	if line, err := r.ReadString('\n'); err != nil || line != "hello\n" {
		t.Fatalf("echo through proxy = %q, %v", line, err)
	}
	WaitFor(t, 5*time.Second, "one open connection", func() bool { return p.Open() == 1 })
	if n := p.CutAll(); n != 1 {
		t.Errorf("CutAll() = %d, want 1", n)
	}
	if _, err := r.ReadString('\n'); err == nil {
		t.Error("read after CutAll succeeded, want the connection closed")
	}

	// A cut in the middle of a command: half of it arrives, then EOF.
	c2, r2 := dialLine(t, p.Addr)
	c2.SetDeadline(time.Now().Add(10 * time.Second))
	p.CutNext(1)
	c2.Write([]byte("0123456789\n"))
	if _, err := io.ReadAll(r2); err != nil && !strings.Contains(err.Error(), "reset") {
		t.Fatalf("read after CutNext: %v", err)
	}
	var seen []string
	for len(seen) < 2 {
		select {
		case s := <-received:
			seen = append(seen, s)
		case <-time.After(10 * time.Second):
			t.Fatalf("the server saw %q, want both connections closed", seen)
		}
	}
	if !slices.Contains(seen, "01234") {
		t.Errorf("the server received %q, want the first half of the cut command %q", seen, "01234")
	}
	if p.Cuts() != 2 {
		t.Errorf("Cuts() = %d, want 2", p.Cuts())
	}
}

func TestProxy_pauseAndRefuse(t *testing.T) {
	p := StartProxy(t, echoServer(t))
	c, r := dialLine(t, p.Addr)
	p.Pause()
	c.Write([]byte("held\n"))
	c.SetReadDeadline(time.Now().Add(300 * time.Millisecond))
	if _, err := r.ReadString('\n'); err == nil {
		t.Fatal("data flowed while paused")
	}
	p.Resume()
	c.SetReadDeadline(time.Now().Add(10 * time.Second))
	if line, err := r.ReadString('\n'); err != nil || line != "held\n" {
		t.Fatalf("after Resume = %q, %v; want the held line", line, err)
	}

	p.Refuse(true)
	c3, r3 := dialLine(t, p.Addr)
	c3.SetDeadline(time.Now().Add(10 * time.Second))
	c3.Write([]byte("x\n"))
	if _, err := r3.ReadString('\n'); err == nil {
		t.Error("a refused connection was forwarded")
	}
	p.Refuse(false)
	c4, r4 := dialLine(t, p.Addr)
	c4.SetDeadline(time.Now().Add(10 * time.Second))
	c4.Write([]byte("y\n"))
	if line, err := r4.ReadString('\n'); err != nil || line != "y\n" {
		t.Errorf("after Refuse(false) = %q, %v", line, err)
	}
}
