package testutil

import (
	"crypto/rand"
	"encoding/hex"
	"errors"
	"io"
	"log"
	"net"
	"sort"
	"strings"
	"testing"
	"time"

	"github.com/emersion/go-imap/v2"
	"github.com/emersion/go-imap/v2/imapclient"
	"github.com/emersion/go-imap/v2/imapserver"
	"github.com/emersion/go-imap/v2/imapserver/imapmemserver"
)

// IMAPMem is an in-memory IMAP server (go-imap's imapmemserver) on a free
// loopback port, without TLS, with one user and an INBOX. It starts in
// microseconds: use it for unit tests, and StartDovecot for a real server.
type IMAPMem struct {
	// Addr is the host:port the server listens on (plain IMAP).
	Addr string
	// IMAPAccount has User and Password, and the helper methods.
	IMAPAccount

	srv *imapserver.Server
}

// StartIMAPMem starts an in-memory IMAP server advertising caps (default
// IMAP4rev1 and IMAP4rev2, so MOVE, UIDPLUS and IDLE; IMAP4rev1 alone
// leaves out MOVE and UIDPLUS, and imapserver always offers IDLE), and
// stops it when the test ends. It allows LOGIN without TLS.
func StartIMAPMem(t testing.TB, caps ...imap.Cap) *IMAPMem {
	t.Helper()
	set := imap.CapSet{imap.CapIMAP4rev1: {}, imap.CapIMAP4rev2: {}}
	if len(caps) > 0 {
		set = imap.CapSet{}
		for _, c := range caps {
			set[c] = struct{}{}
		}
	}
	mem := imapmemserver.New()
	s := &IMAPMem{}
	s.User, s.Password = "bounces", imapRandomHex(t, 8)
	u := imapmemserver.NewUser(s.User, s.Password)
	if err := u.Create("INBOX", nil); err != nil {
		t.Fatalf("testutil: imapmem create INBOX: %v", err)
	}
	mem.AddUser(u)
	s.srv = imapserver.New(&imapserver.Options{
		NewSession: func(*imapserver.Conn) (imapserver.Session, *imapserver.GreetingData, error) {
			return mem.NewSession(), nil, nil
		},
		Caps:         set,
		InsecureAuth: true,
		Logger:       log.New(io.Discard, "", 0),
	})
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatalf("testutil: imapmem listen: %v", err)
	}
	s.Addr = ln.Addr().String()
	done := make(chan struct{})
	go func() {
		defer close(done)
		_ = s.srv.Serve(ln)
	}()
	t.Cleanup(func() {
		_ = s.srv.Close()
		<-done
	})
	s.Dial = func() (*imapclient.Client, error) {
		return imapclient.DialInsecure(s.Addr, &imapclient.Options{Dialer: &net.Dialer{Timeout: 5 * time.Second}})
	}
	return s
}

// IMAPAccount is a way to reach an account on a test IMAP server; its
// methods do one thing each over a fresh connection and fail the test on
// error.
type IMAPAccount struct {
	// Dial connects (and secures) a client, not yet logged in.
	Dial func() (*imapclient.Client, error)
	// User and Password log in with LOGIN.
	User, Password string
}

// Do logs in and runs f with the client, then logs out.
func (a IMAPAccount) Do(t testing.TB, f func(c *imapclient.Client) error) {
	t.Helper()
	c, err := a.Dial()
	if err != nil {
		t.Fatalf("testutil: imap dial: %v", err)
	}
	defer c.Close()
	if err := c.Login(a.User, a.Password).Wait(); err != nil {
		t.Fatalf("testutil: imap login: %v", err)
	}
	if err := f(c); err != nil {
		t.Fatalf("testutil: imap: %v", err)
	}
	_ = c.Logout().Wait()
}

// Append appends raw to mailbox, creating the mailbox when it is missing,
// and returns the new message's UID (0 when the server does not say).
func (a IMAPAccount) Append(t testing.TB, mailbox string, raw []byte) uint32 {
	t.Helper()
	var uid imap.UID
	a.Do(t, func(c *imapclient.Client) error {
		data, err := appendMsg(c, mailbox, raw)
		var ie *imap.Error
		if errors.As(err, &ie) && ie.Code == imap.ResponseCodeTryCreate {
			if err := c.Create(mailbox, nil).Wait(); err != nil {
				return err
			}
			data, err = appendMsg(c, mailbox, raw)
		}
		if err != nil {
			return err
		}
		uid = data.UID
		return nil
	})
	return uint32(uid)
}

func appendMsg(c *imapclient.Client, mailbox string, raw []byte) (*imap.AppendData, error) {
	cmd := c.Append(mailbox, int64(len(raw)), nil)
	if _, err := cmd.Write(raw); err != nil {
		return nil, err
	}
	if err := cmd.Close(); err != nil {
		return nil, err
	}
	return cmd.Wait()
}

// Count returns the number of messages in mailbox, 0 when it does not
// exist.
func (a IMAPAccount) Count(t testing.TB, mailbox string) int {
	t.Helper()
	n := 0
	a.Do(t, func(c *imapclient.Client) error {
		st, err := c.Status(mailbox, &imap.StatusOptions{NumMessages: true}).Wait()
		var ie *imap.Error
		if errors.As(err, &ie) && ie.Type == imap.StatusResponseTypeNo {
			return nil // NONEXISTENT, or a server that does not say
		}
		if err != nil {
			return err
		}
		if st.NumMessages != nil {
			n = int(*st.NumMessages)
		}
		return nil
	})
	return n
}

// IMAPMessage is a message as listed by IMAPAccount.Messages.
type IMAPMessage struct {
	UID   uint32
	Flags []imap.Flag
	Raw   []byte
}

// HasFlag reports whether the message has flag (case-insensitively, RFC
// 9051 section 2.3.2).
func (m IMAPMessage) HasFlag(flag imap.Flag) bool {
	for _, f := range m.Flags {
		if strings.EqualFold(string(f), string(flag)) {
			return true
		}
	}
	return false
}

// Messages returns the messages of mailbox in UID order, read-only
// (EXAMINE, BODY.PEEK[]), or nil when it does not exist.
func (a IMAPAccount) Messages(t testing.TB, mailbox string) []IMAPMessage {
	t.Helper()
	var out []IMAPMessage
	a.Do(t, func(c *imapclient.Client) error {
		sel, err := c.Select(mailbox, &imap.SelectOptions{ReadOnly: true}).Wait()
		var ie *imap.Error
		if errors.As(err, &ie) && ie.Type == imap.StatusResponseTypeNo {
			return nil
		}
		if err != nil {
			return err
		}
		if sel.NumMessages == 0 {
			return nil
		}
		var all imap.SeqSet
		all.AddRange(1, 0)
		section := &imap.FetchItemBodySection{Peek: true}
		bufs, err := c.Fetch(all, &imap.FetchOptions{UID: true, Flags: true, BodySection: []*imap.FetchItemBodySection{section}}).Collect()
		if err != nil {
			return err
		}
		for _, b := range bufs {
			out = append(out, IMAPMessage{UID: uint32(b.UID), Flags: b.Flags, Raw: b.FindBodySection(section)})
		}
		return nil
	})
	sort.Slice(out, func(i, j int) bool { return out[i].UID < out[j].UID })
	return out
}

// Create creates mailbox.
func (a IMAPAccount) Create(t testing.TB, mailbox string) {
	t.Helper()
	a.Do(t, func(c *imapclient.Client) error { return c.Create(mailbox, nil).Wait() })
}

// Recreate deletes and creates mailbox again, which gives it a new
// UIDVALIDITY (RFC 9051 section 2.3.1.1).
func (a IMAPAccount) Recreate(t testing.TB, mailbox string) {
	t.Helper()
	a.Do(t, func(c *imapclient.Client) error {
		if err := c.Delete(mailbox).Wait(); err != nil {
			return err
		}
		return c.Create(mailbox, nil).Wait()
	})
}

// AddFlags adds flags to the message uid of mailbox.
func (a IMAPAccount) AddFlags(t testing.TB, mailbox string, uid uint32, flags ...imap.Flag) {
	t.Helper()
	a.Do(t, func(c *imapclient.Client) error {
		if _, err := c.Select(mailbox, nil).Wait(); err != nil {
			return err
		}
		return c.Store(imap.UIDSetNum(imap.UID(uid)), &imap.StoreFlags{Op: imap.StoreFlagsAdd, Silent: true, Flags: flags}, nil).Close()
	})
}

// imapRandomHex returns n random bytes in hex, for passwords and tokens.
func imapRandomHex(t testing.TB, n int) string {
	t.Helper()
	b := make([]byte, n)
	if _, err := rand.Read(b); err != nil {
		t.Fatalf("testutil: random: %v", err)
	}
	return hex.EncodeToString(b)
}
