package mailbox

import (
	"cmp"
	"context"
	"crypto/tls"
	"errors"
	"fmt"
	"io"
	"net"
	"slices"
	"strings"
	"time"

	"github.com/emersion/go-imap/v2"
	"github.com/emersion/go-imap/v2/imapclient"
	"github.com/emersion/go-sasl"
)

const dialTimeout = 30 * time.Second

// session is one connection: connect, log in, select, then poll and wait
// until an error or until ctx is done. up is called once the mailbox is
// selected. hard, done at the latest StopGrace after ctx, closes the
// connection and is given to the handlers.
func (w *Worker) session(ctx, hard context.Context, up func()) (err error) {
	defer func() {
		if v := recover(); v != nil {
			err = w.recovered("session", v)
		}
	}()

	exists := make(chan struct{}, 1)
	opts := &imapclient.Options{
		UnilateralDataHandler: &imapclient.UnilateralDataHandler{
			// Called from the client's reader goroutine: must not block.
			Mailbox: func(d *imapclient.UnilateralDataMailbox) {
				if d.NumMessages != nil {
					select {
					case exists <- struct{}{}:
					default:
					}
				}
			},
		},
	}
	c, stop, err := w.connect(ctx, opts)
	if err != nil {
		return err
	}
	// Connected: from here a stop lets the work in hand finish, and only
	// hard closes the connection.
	if !stop() {
		c.Close()
		return nil // stopped while connecting
	}
	stop = context.AfterFunc(hard, func() { c.Close() })
	defer func() {
		stop()
		c.Close()
	}()

	// The folders are created when first needed (see apply), so that one
	// that cannot be created holds back only the messages bound for it.
	caps := c.Caps()
	sel, err := c.Select(w.cfg.Mailbox, nil).Wait()
	if err != nil {
		return fmt.Errorf("mailbox: select %q: %w", w.cfg.Mailbox, err)
	}
	if sel.UIDValidity == 0 {
		return fmt.Errorf("mailbox: select %q: server sent no UIDVALIDITY", w.cfg.Mailbox)
	}
	if w.cfg.After == AfterFlag && !flagAllowed(sel.PermanentFlags, imap.Flag(w.cfg.Flag)) {
		return fmt.Errorf("mailbox: %q does not keep flag %s (PERMANENTFLAGS %v)", w.cfg.Mailbox, w.cfg.Flag, sel.PermanentFlags)
	}

	cpValidity, lastUID, err := w.cp.LoadCheckpoint(hard, w.key)
	if err != nil {
		return fmt.Errorf("mailbox: load checkpoint: %w", err)
	}
	if cpValidity != sel.UIDValidity {
		if cpValidity != 0 {
			// RFC 9051 section 2.3.1.1: a new UIDVALIDITY means the UIDs
			// saved before name other messages, or none.
			w.log.Info("mailbox: UIDVALIDITY changed, starting over", "old", cpValidity, "new", sel.UIDValidity, "last_uid", lastUID)
		}
		lastUID = 0
		if err := w.cp.SaveCheckpoint(hard, w.key, sel.UIDValidity, 0); err != nil {
			return fmt.Errorf("mailbox: save checkpoint: %w", err)
		}
	}
	w.forgetOther(sel.UIDValidity)
	s := &pollState{c: c, caps: caps, uidValidity: sel.UIDValidity, lastUID: lastUID, folders: map[string]bool{}}
	w.update(func(st *Status) {
		st.Connected = true
		st.UIDValidity, st.LastUID = s.uidValidity, s.lastUID
	})
	up()

	for {
		// An EXISTS that comes after this point (during the poll or before
		// IDLE starts) makes the wait return at once.
		select {
		case <-exists:
		default:
		}
		err := w.poll(ctx, hard, s)
		var re *retryError
		switch {
		case ctx.Err() != nil:
			return nil
		case errors.As(err, &re):
			// The connection is fine: back off, longer each time in a row
			// (w.failures outlives the session), and poll again. What was
			// handled and not moved is remembered, so the next poll only
			// moves it.
			// Messages committed since the last failure end the streak:
			// each outage starts its backoff afresh, also in a long
			// backlog, while a failure that makes no progress (a MOVE the
			// server keeps refusing) keeps growing it.
			if s.lastUID != w.failedAt {
				w.failures = 0
			}
			w.failedAt = s.lastUID
			w.failures++
			w.setError(err)
			w.countFailure(hard, s.uidValidity, re)
			d := backoff(w.cfg.BackoffMin, w.cfg.BackoffMax, w.failures)
			w.log.Warn("mailbox: poll failed, will retry", "error", err, "attempt", w.failures, "retry_in", d)
			if !sleep(ctx, d, w.wake) {
				return nil
			}
			continue
		case err != nil:
			return err
		}
		w.failures = 0
		w.update(func(st *Status) { st.LastSuccess = time.Now() })
		if err := w.wait(ctx, s, exists); err != nil {
			return err
		}
		if ctx.Err() != nil {
			return nil
		}
	}
}

// connect dials, secures and authenticates a connection. The returned stop
// function ends the watch that closes the connection when ctx is done
// (go-imap takes no context: closing the connection is how its blocking
// calls are cancelled).
func (w *Worker) connect(ctx context.Context, opts *imapclient.Options) (*imapclient.Client, func() bool, error) {
	d := net.Dialer{Timeout: dialTimeout, KeepAlive: 30 * time.Second}
	conn, err := d.DialContext(ctx, "tcp", w.cfg.Addr)
	if err != nil {
		return nil, nil, fmt.Errorf("mailbox: connect %s: %w", w.cfg.Addr, err)
	}
	stop := context.AfterFunc(ctx, func() { conn.Close() })
	fail := func(err error) (*imapclient.Client, func() bool, error) {
		stop()
		conn.Close()
		return nil, nil, err
	}

	var c *imapclient.Client
	switch w.cfg.TLS {
	case TLSImplicit:
		// What imapclient.DialTLS does, but cancellable by ctx.
		cfg := w.cfg.tlsConfig()
		cfg.NextProtos = []string{"imap"}
		tc := tls.Client(conn, cfg)
		if err := tc.HandshakeContext(ctx); err != nil {
			return fail(fmt.Errorf("mailbox: tls handshake with %s: %w", w.cfg.Addr, err))
		}
		c = imapclient.New(tc, opts)
	case TLSStartTLS:
		opts.TLSConfig = w.cfg.tlsConfig()
		c, err = imapclient.NewStartTLS(conn, opts)
		if err != nil {
			return fail(fmt.Errorf("mailbox: starttls with %s: %w", w.cfg.Addr, err))
		}
	case TLSPlain:
		c = imapclient.New(conn, opts)
	default:
		return fail(fmt.Errorf("mailbox: unknown tls mode %q", w.cfg.TLS))
	}
	if err := c.WaitGreeting(); err != nil {
		c.Close()
		return fail(fmt.Errorf("mailbox: greeting from %s: %w", w.cfg.Addr, err))
	}
	if err := w.authenticate(ctx, c); err != nil {
		c.Close()
		return fail(err)
	}
	return c, stop, nil
}

// authenticate logs in with the configured method. Errors never hold the
// password or token; a login the server refused is an *AuthError.
func (w *Worker) authenticate(ctx context.Context, c *imapclient.Client) error {
	if c.State() == imap.ConnStateAuthenticated {
		return nil // PREAUTH
	}
	user := w.cfg.Username
	var err error
	switch w.cfg.Auth {
	case AuthLogin:
		if c.Caps().Has(imap.CapLoginDisabled) {
			return fmt.Errorf("mailbox: server refuses LOGIN (LOGINDISABLED): use tls or another auth method")
		}
		err = c.Login(user, w.cfg.Password).Wait()
	case AuthPlain:
		err = c.Authenticate(sasl.NewPlainClient("", user, w.cfg.Password))
	case AuthXOAUTH2:
		return w.xoauth2(ctx, c, user)
	default:
		err = fmt.Errorf("unknown method %q", w.cfg.Auth)
	}
	if err != nil {
		return authError(user, w.cfg.Auth, "", err)
	}
	return nil
}

// xoauth2 authenticates with an access token. A token the server refuses
// (it expired early, or was revoked) is dropped and a fresh one tried
// once, on the same connection.
func (w *Worker) xoauth2(ctx context.Context, c *imapclient.Client, user string) error {
	for try := 1; ; try++ {
		token, err := w.cfg.Token(ctx)
		if err != nil {
			if errors.As(err, new(*TokenError)) {
				return err // says what it is
			}
			return fmt.Errorf("mailbox: get xoauth2 token: %w", err)
		}
		cl := &xoauth2Client{user: user, token: token}
		err = c.Authenticate(cl)
		if err == nil {
			return nil
		}
		ae := authError(user, AuthXOAUTH2, cl.report, err)
		if !errors.As(ae, new(*AuthError)) || try > 1 {
			return ae
		}
		w.log.Info("mailbox: xoauth2 token refused, getting a fresh one", "report", cl.report)
		if w.tokens != nil {
			w.tokens.Invalidate()
		}
	}
}

// AuthError is a login the server refused (a NO to LOGIN or
// AUTHENTICATE): a wrong password, or an access token refused even after a
// refresh. It never holds the password or token.
type AuthError struct {
	// User is the account.
	User string
	// Method is the authentication method.
	Method AuthMethod
	// Report is the XOAUTH2 error report the server sent (JSON, e.g.
	// {"status":"401","schemes":"bearer"}), "" for other methods.
	Report string
	// Err is the server's answer, an *imap.Error.
	Err error
}

func (e *AuthError) Error() string {
	if e.Report != "" {
		return fmt.Sprintf("mailbox: authenticate %q with %s: xoauth2 token rejected (%s): %v", e.User, e.Method, e.Report, e.Err)
	}
	return fmt.Sprintf("mailbox: authenticate %q with %s: %v", e.User, e.Method, e.Err)
}

func (e *AuthError) Unwrap() error { return e.Err }

// authError returns an *AuthError when err is the server's refusal (a NO,
// or an XOAUTH2 error report), else err wrapped: a BAD or a broken
// connection is not about the credentials.
func authError(user string, m AuthMethod, report string, err error) error {
	var ie *imap.Error
	if report != "" || (errors.As(err, &ie) && ie.Type == imap.StatusResponseTypeNo) {
		return &AuthError{User: user, Method: m, Report: report, Err: err}
	}
	return fmt.Errorf("mailbox: authenticate %q with %s: %w", user, m, err)
}

// createFolder creates folder; one that exists already is fine.
func (w *Worker) createFolder(c *imapclient.Client, folder string) error {
	err := c.Create(folder, nil).Wait()
	var ie *imap.Error
	if errors.As(err, &ie) && ie.Code == imap.ResponseCodeAlreadyExists {
		return nil
	}
	if err != nil {
		return fmt.Errorf("mailbox: create %q: %w", folder, err)
	}
	w.log.Info("mailbox: created folder", "folder", folder)
	return nil
}

// flagAllowed reports whether flag can be stored permanently: PERMANENTFLAGS
// lists it or \*, or was not sent at all (RFC 9051 section 7.1).
func flagAllowed(perm []imap.Flag, flag imap.Flag) bool {
	if len(perm) == 0 {
		return true
	}
	for _, f := range perm {
		if f == imap.FlagWildcard || strings.EqualFold(string(f), string(flag)) {
			return true
		}
	}
	return false
}

// pollState is what a session knows of the selected mailbox.
type pollState struct {
	c           *imapclient.Client
	caps        imap.CapSet
	uidValidity uint32
	lastUID     uint32
	warnedNoUID bool
	// folders says which destination folders are known to exist.
	folders map[string]bool
}

// poll handles every unhandled message of the mailbox (see drain).
func (w *Worker) poll(ctx, hard context.Context, s *pollState) error {
	// Messages flagged \Deleted are on their way out: another client's
	// expunge, or our own COPY fallback on a server without UIDPLUS.
	criteria := &imap.SearchCriteria{NotFlag: []imap.Flag{imap.FlagDeleted}}
	if w.cfg.After == AfterFlag {
		// In flag mode processed bounces stay: skip them by checkpoint and
		// by keyword. In move mode everything left is unhandled, even below
		// the checkpoint (a handled message whose move failed).
		criteria.NotFlag = append(criteria.NotFlag, imap.Flag(w.cfg.Flag))
		var set imap.UIDSet
		set.AddRange(imap.UID(s.lastUID+1), 0) // lastUID+1:*
		criteria.UID = []imap.UIDSet{set}
	}
	data, err := s.c.UIDSearch(criteria, nil).Wait()
	if err != nil {
		return fmt.Errorf("mailbox: uid search: %w", err)
	}
	var uids []imap.UID
	for _, uid := range data.AllUIDs() {
		// "n:*" matches the highest UID even when it is below n (RFC 9051
		// section 6.4.8), so filter here too.
		if w.cfg.After == AfterFlag && uint32(uid) <= s.lastUID {
			continue
		}
		uids = append(uids, uid)
	}
	slices.Sort(uids)
	uids = slices.Compact(uids)
	found := make([]uint32, len(uids))
	for i, u := range uids {
		found[i] = uint32(u)
	}
	w.prune(s.uidValidity, found)
	w.update(func(st *Status) {
		// The stall clock starts when messages start waiting; an empty
		// mailbox is never stalled.
		if st.Waiting == 0 || len(uids) == 0 {
			st.LastProgress = time.Now()
		}
		st.Waiting = len(uids)
	})
	return w.drain(ctx, hard, s, uids)
}

// meta is what the first FETCH of a batch says about a message.
type meta struct {
	uid  imap.UID
	size int64
	date time.Time
}

// handled is a message whose handler succeeded.
type handled struct {
	uid imap.UID
	d   Disposition
}

// callHandler calls the handler, turning a panic into an error.
func (w *Worker) callHandler(ctx context.Context, m *Message) (d Disposition, err error) {
	defer func() {
		if v := recover(); v != nil {
			err = w.recovered("handler", v)
		}
	}()
	d, err = w.h(ctx, m)
	if err == nil && (d < Processed || d > Quarantined) {
		err = fmt.Errorf("mailbox: handler returned unknown disposition %d", int(d))
	}
	return d, err
}

// fetchMeta fetches UID, RFC822.SIZE and INTERNALDATE of uids, in UID
// order; messages expunged meanwhile are missing.
func (w *Worker) fetchMeta(c *imapclient.Client, uids []imap.UID) ([]meta, error) {
	bufs, err := c.Fetch(imap.UIDSetNum(uids...), &imap.FetchOptions{
		UID: true, RFC822Size: true, InternalDate: true,
	}).Collect()
	if err != nil {
		return nil, fmt.Errorf("mailbox: uid fetch size: %w", err)
	}
	metas := make([]meta, 0, len(bufs))
	for _, b := range bufs {
		if b.UID == 0 {
			continue
		}
		metas = append(metas, meta{uid: b.UID, size: b.RFC822Size, date: b.InternalDate})
	}
	slices.SortFunc(metas, func(a, b meta) int { return cmp.Compare(a.uid, b.uid) })
	return metas, nil
}

// fetchWhole fetches uids (ascending) in one UID FETCH of UID,
// RFC822.SIZE, INTERNALDATE and BODY.PEEK[]<0.MaxMessageSize>: their sizes
// and dates with the bodies, a message over MaxMessageSize truncated as
// fetchBodies truncates it (a message that fits comes whole, and one whose
// RFC822.SIZE was wrong is cut to MaxMessageSize bytes as there). It keeps
// the bodies, in UID order, while they fit within budget bytes; from the
// first that does not on, it reads the bodies and drops them, and returns
// those messages' sizes and dates in rest (ascending, every UID above
// the last kept), to be fetched again by size. Messages expunged
// meanwhile are missing from both; a message whose body came back NIL is
// in kept with an empty body.
func (w *Worker) fetchWhole(c *imapclient.Client, uids []imap.UID, budget int64) (kept []fetchedMsg, rest []meta, err error) {
	section := &imap.FetchItemBodySection{Peek: true, Partial: &imap.SectionPartial{Offset: 0, Size: w.cfg.MaxMessageSize}}
	cmd := c.Fetch(imap.UIDSetNum(uids...), &imap.FetchOptions{
		UID: true, RFC822Size: true, InternalDate: true, BodySection: []*imap.FetchItemBodySection{section},
	})
	defer cmd.Close()
	got := make(map[imap.UID]*fetchedMsg, len(uids))
	var held int64
	full := false // a body did not fit: drop the rest
	var (
		f       fetchedMsg
		hasSize bool
	)
	err = readFetch(cmd, func(item imapclient.FetchItemData) error {
		switch item := item.(type) {
		case imapclient.FetchItemDataUID:
			f.uid = item.UID
		case imapclient.FetchItemDataRFC822Size:
			f.size, hasSize = item.Size, true
		case imapclient.FetchItemDataInternalDate:
			f.date = item.Time
		case imapclient.FetchItemDataBodySection:
			f.seen = true
			if item.Literal == nil {
				return nil // NIL body
			}
			n := min(item.Literal.Size(), w.cfg.MaxMessageSize)
			if !full && held+n <= budget {
				b, err := io.ReadAll(io.LimitReader(item.Literal, w.cfg.MaxMessageSize))
				if err != nil {
					return err
				}
				f.body = b
				held += n
				return nil
			}
			full, f.dropped = true, true
			if _, err := io.Copy(io.Discard, item.Literal); err != nil {
				return err
			}
		}
		return nil
	}, func() {
		defer func() { f, hasSize = fetchedMsg{}, false }()
		if f.uid == 0 || (!f.seen && !hasSize) {
			return // not an answer for a message of uids (e.g. a flag update)
		}
		g, ok := got[f.uid]
		if !ok {
			m := f
			got[f.uid] = &m
			return
		}
		// Two responses for one message: merge what each said.
		if hasSize {
			g.size, g.date = f.size, f.date
		}
		if f.seen {
			g.body, g.seen, g.dropped = f.body, true, f.dropped
		}
	})
	if err != nil {
		return nil, nil, fmt.Errorf("mailbox: uid fetch: %w", err)
	}
	// Kept is a prefix in UID order (the drain commits in that order):
	// after the first message dropped, every one is fetched again.
	dropping := false
	for _, uid := range uids {
		f, ok := got[uid]
		switch {
		case !ok:
			// expunged meanwhile
		case f.dropped || (dropping && f.seen):
			dropping = true
			rest = append(rest, f.meta)
		case f.seen:
			kept = append(kept, *f)
		}
	}
	return kept, rest, nil
}

// fetchedMsg is a message fetched whole by fetchWhole.
type fetchedMsg struct {
	meta
	body []byte
	// seen says the response had the body (NIL or not); dropped that it
	// did not fit in the budget and was not kept.
	seen, dropped bool
}

// fetchBodies fetches the messages of chunk with BODY.PEEK[] (which never
// sets \Seen, RFC 9051 section 6.4.5), or only their first MaxMessageSize
// bytes with BODY.PEEK[]<0.N> when trunc. Bodies are read through a limit
// in case a server's RFC822.SIZE was wrong.
func (w *Worker) fetchBodies(c *imapclient.Client, chunk []meta, trunc bool) (map[imap.UID][]byte, error) {
	var set imap.UIDSet
	for _, m := range chunk {
		set.AddNum(m.uid)
	}
	section := &imap.FetchItemBodySection{Peek: true}
	if trunc {
		section.Partial = &imap.SectionPartial{Offset: 0, Size: w.cfg.MaxMessageSize}
	}
	cmd := c.Fetch(set, &imap.FetchOptions{UID: true, BodySection: []*imap.FetchItemBodySection{section}})
	defer cmd.Close()
	out := make(map[imap.UID][]byte, len(chunk))
	var (
		uid  imap.UID
		body []byte
		seen bool
	)
	err := readFetch(cmd, func(item imapclient.FetchItemData) error {
		switch item := item.(type) {
		case imapclient.FetchItemDataUID:
			uid = item.UID
		case imapclient.FetchItemDataBodySection:
			if item.Literal == nil {
				seen = true // NIL body
				return nil
			}
			b, err := io.ReadAll(io.LimitReader(item.Literal, w.cfg.MaxMessageSize))
			if err != nil {
				return err
			}
			body, seen = b, true
		}
		return nil
	}, func() {
		if uid != 0 && seen {
			out[uid] = body
		}
		uid, body, seen = 0, nil, false
	})
	if err != nil {
		return nil, fmt.Errorf("mailbox: uid fetch body: %w", err)
	}
	return out, nil
}

// readFetch reads every response of a FETCH command: item gets each data
// item of a message in turn (an error stops the reading), then end is
// called once for that message. It closes cmd and returns the first
// error, of item or of the command.
func readFetch(cmd *imapclient.FetchCommand, item func(imapclient.FetchItemData) error, end func()) error {
	for msg := cmd.Next(); msg != nil; msg = cmd.Next() {
		for it := msg.Next(); it != nil; it = msg.Next() {
			if err := item(it); err != nil {
				cmd.Close()
				return err
			}
		}
		end()
	}
	return cmd.Close()
}

// apply moves or flags the handled messages, grouped by disposition, and
// returns the UIDs that stayed because the server refused their folder
// (an answer to the command, NO or BAD: a folder it cannot create, a
// quota, a permission), with those refusals joined in refused. A missing
// folder is created on the server's TRYCREATE, unless NoCreateFolders. err
// is any other failure, which means the connection is gone.
func (w *Worker) apply(s *pollState, done []handled) (kept []imap.UID, refused, err error) {
	var sets [3]imap.UIDSet
	var uids [3][]imap.UID
	for _, h := range done {
		sets[h.d].AddNum(h.uid)
		uids[h.d] = append(uids[h.d], h.uid)
	}
	folders := [3]string{w.cfg.ProcessedFolder, w.cfg.IgnoredFolder, w.cfg.QuarantineFolder}
	var counts [3]uint64
	var refusals []error
	for d := Processed; d <= Quarantined; d++ {
		if len(sets[d]) == 0 {
			continue
		}
		var err error
		if d == Processed && w.cfg.After == AfterFlag {
			err = w.flag(s.c, sets[d])
		} else {
			err = w.moveCreating(s, sets[d], folders[d])
		}
		var ie *imap.Error
		if errors.As(err, &ie) {
			// The server answered: the connection is fine and only these
			// messages stay, for a later retry of the move alone.
			kept = append(kept, uids[d]...)
			refusals = append(refusals, err)
			w.log.Warn("mailbox: server refused the messages' folder; they stay", "disposition", d.String(), "folder", folders[d], "uids", sets[d].String(), "error", err)
			continue
		}
		if err != nil {
			return nil, nil, err
		}
		counts[d] = uint64(len(uids[d]))
		w.log.Debug("mailbox: messages done", "disposition", d.String(), "uids", sets[d].String())
	}
	slices.Sort(kept)
	w.update(func(st *Status) {
		st.Processed += counts[Processed]
		st.Ignored += counts[Ignored]
		st.Quarantined += counts[Quarantined]
		if n := int(counts[Processed] + counts[Ignored] + counts[Quarantined]); n > 0 {
			st.Waiting = max(0, st.Waiting-n)
			st.LastProgress = time.Now()
		}
	})
	return kept, errors.Join(refusals...), nil
}

// moveCreating moves uids to folder, creating the folder first when the
// server says it does not exist (RFC 9051 section 7.1, TRYCREATE).
func (w *Worker) moveCreating(s *pollState, uids imap.UIDSet, folder string) error {
	err := w.move(s, uids, folder)
	var ie *imap.Error
	if w.cfg.NoCreateFolders || s.folders[folder] || !errors.As(err, &ie) || ie.Code != imap.ResponseCodeTryCreate {
		if err == nil {
			s.folders[folder] = true
		}
		return err
	}
	if err := w.createFolder(s.c, folder); err != nil {
		return err
	}
	s.folders[folder] = true
	return w.move(s, uids, folder)
}

// flag sets the configured keyword on uids.
func (w *Worker) flag(c *imapclient.Client, uids imap.UIDSet) error {
	err := c.Store(uids, &imap.StoreFlags{
		Op: imap.StoreFlagsAdd, Silent: true, Flags: []imap.Flag{imap.Flag(w.cfg.Flag)},
	}, nil).Close()
	if err != nil {
		return fmt.Errorf("mailbox: uid store %s: %w", w.cfg.Flag, err)
	}
	return nil
}

// move moves uids to folder: UID MOVE (RFC 6851) when the server has it,
// else UID COPY, UID STORE +FLAGS.SILENT (\Deleted) and UID EXPUNGE (RFC
// 4315). Never a plain EXPUNGE, which would also remove messages that
// others flagged \Deleted: without UIDPLUS the copies' originals are left
// flagged \Deleted.
func (w *Worker) move(s *pollState, uids imap.UIDSet, folder string) error {
	c := s.c
	if s.caps.Has(imap.CapMove) {
		if _, err := c.Move(uids, folder).Wait(); err != nil {
			return fmt.Errorf("mailbox: uid move to %q: %w", folder, err)
		}
		return nil
	}
	if _, err := c.Copy(uids, folder).Wait(); err != nil {
		return fmt.Errorf("mailbox: uid copy to %q: %w", folder, err)
	}
	err := c.Store(uids, &imap.StoreFlags{
		Op: imap.StoreFlagsAdd, Silent: true, Flags: []imap.Flag{imap.FlagDeleted},
	}, nil).Close()
	if err != nil {
		return fmt.Errorf("mailbox: uid store \\Deleted: %w", err)
	}
	if !s.caps.Has(imap.CapUIDPlus) {
		if !s.warnedNoUID {
			s.warnedNoUID = true
			w.log.Warn("mailbox: server has neither MOVE nor UIDPLUS: copied messages stay flagged \\Deleted until someone expunges")
		}
		return nil
	}
	if err := c.UIDExpunge(uids).Close(); err != nil {
		return fmt.Errorf("mailbox: uid expunge: %w", err)
	}
	return nil
}

// checkpoint saves uid as the last handled one when it is above the saved
// one. A failed save is logged and not fatal: in move mode handled
// messages are gone anyway and in flag mode they carry the keyword.
func (w *Worker) checkpoint(ctx context.Context, s *pollState, uid uint32) {
	if uid <= s.lastUID {
		return
	}
	if err := w.cp.SaveCheckpoint(ctx, w.key, s.uidValidity, uid); err != nil {
		w.setError(err)
		w.log.Warn("mailbox: save checkpoint failed", "error", err, "uid", uid)
		return
	}
	s.lastUID = uid
	w.update(func(st *Status) { st.LastUID = uid })
}

// wait waits for something to do: with IDLE (RFC 2177) when the server
// has it, until an EXISTS, IdleRefresh, Wake or ctx; else PollInterval.
func (w *Worker) wait(ctx context.Context, s *pollState, exists <-chan struct{}) error {
	c := s.c
	if w.noIdle || !s.caps.Has(imap.CapIdle) {
		t := time.NewTimer(w.cfg.PollInterval)
		defer t.Stop()
		select {
		case <-ctx.Done():
		case <-t.C:
		case <-w.wake:
		case <-exists:
		case <-c.Closed():
			return errors.New("mailbox: connection closed by server")
		}
		return nil
	}

	idle, err := c.Idle()
	if err != nil {
		return fmt.Errorf("mailbox: idle: %w", err)
	}
	w.update(func(st *Status) { st.Idle = true })
	defer w.update(func(st *Status) { st.Idle = false })
	t := time.NewTimer(w.cfg.IdleRefresh)
	defer t.Stop()
	select {
	case <-ctx.Done():
		return nil // the connection is being closed
	case <-c.Closed():
		return errors.New("mailbox: connection closed by server during idle")
	case <-exists:
		w.log.Debug("mailbox: new message")
	case <-w.wake:
	case <-t.C:
	}
	if err := idle.Close(); err != nil {
		return fmt.Errorf("mailbox: stop idle: %w", err)
	}
	if err := idle.Wait(); err != nil {
		return fmt.Errorf("mailbox: idle: %w", err)
	}
	return nil
}
