// Package mailbox polls the IMAP mailbox that receives bounces and hands
// each message to a Handler; only once the handler has succeeded is the
// message moved out (or flagged), so a crash or an outage loses nothing:
// a message is handled at least once.
//
// A Worker connects with implicit TLS (RFC 8314), STARTTLS or, when
// allowed, in plain text; logs in with LOGIN, AUTHENTICATE PLAIN (RFC
// 4616) or XOAUTH2 (with a token source of its own, or access tokens it
// gets and refreshes itself with OAuth2, RFC 6749: see OAuth2); selects
// the mailbox and keeps a checkpoint of its UIDVALIDITY and the last UID
// handled (RFC 9051 section 2.3.1.1). It
// finds messages with UID SEARCH, fetches them in batches with one UID
// FETCH of RFC822.SIZE, INTERNALDATE and BODY.PEEK[]<0.N> (never setting
// \Seen; N is the size limit, so an oversized message comes truncated;
// sizes first when the bodies would not fit in memory),
// moves them with UID MOVE (RFC 6851), or UID COPY, UID STORE \Deleted and
// UID EXPUNGE (RFC 4315) — never a plain EXPUNGE — and then waits with
// IDLE (RFC 2177) or by polling. Any IMAP error closes the connection; the
// worker reconnects after an exponential, fully jittered backoff, which
// keeps growing across reconnects until a poll gets to the end of the
// mailbox. A NO to a MOVE (a folder it cannot create, a quota) keeps only
// the messages bound for that folder, and only their move is retried.
// A handler error that is a *PermanentError quarantines the message; a
// message that fails MaxAttempts times while the dependencies answer is
// quarantined too.
//
// go-imap v2 takes no context: a worker cancels its blocking calls by
// closing the connection when the context is done.
package mailbox
