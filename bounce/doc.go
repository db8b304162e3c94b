// Package bounce decodes bounce messages into structured reports.
//
// It reads RFC 3464 delivery status notifications (multipart/report with
// message/delivery-status), RFC 6533 global DSNs (message/global-delivery-status),
// RFC 5965 abuse reports (ARF), RFC 3834 auto-replies, and the non-standard
// bounce formats of many real MTAs and mail providers. It knows nothing of
// IMAP, Redis or NATS: an io.Reader goes in, a Report comes out. A message
// that is not a bounce is a Kind (KindNotBounce, KindAutoReply), not an
// error; errors (ErrTooLarge, ErrTooDeep, ErrTooManyParts, ErrTooManyRecipients,
// ErrEmpty) say
// only that the input is not a message or is over a limit of Options.
//
// # Layout
//
// This package is the whole public API: Decode, DecodeBytes, Options, the
// errors, MatchVERP and RecipientKind, and the report types (Report,
// Recipient, Original, Kind), which are aliases of the types the decoders
// fill. Everything else is internal, in three layers:
//
//   - internal/smtp (the module's, shared with classify and the store):
//     enhanced status codes (RFC 3463), reply codes, the SMTP command
//     mapper and the address normaliser.
//   - bounce/internal/mime: a lenient MIME reader (header, part tree,
//     quoted-printable and base64, charsets with guesses for unlabelled
//     Japanese and 8-bit text, RFC 2047 words, HTML to text). It splits the
//     bounce's own parts but not those of an attached message: a verdict
//     needs the returned message's header, never its body or attachments.
//   - bounce/internal/decoders: the parsed message with its lazy lookups
//     (message.go: text, notice, delivery-status part, original, each
//     computed once), the notice-reading helpers (notice_*.go, rfc3464.go,
//     original.go: lines and indented blocks, SMTP replies and transcripts,
//     Exim lists, qmail/Courier address paragraphs, Postfix paragraphs,
//     the DSN fields, the returned message), one file per decoder, and
//     registry.go.
//
// The helpers and the decoders share one package so that each decoder
// file reads as a description of its format, calling helpers unqualified;
// each helper exists once (the former appl*, mta* and provider copies are
// gone) and no code is shared between two decoder files.
//
// # The registry
//
// registry.go holds one table of {name, family, match, decode} with every
// stage Decode runs, in order: complaints (ARF), providers, appliances,
// carriers, MTAs, the generic RFC 3464 reader, RFC 3834 auto-replies, a
// bounce forwarded by list software or a person (attached or inline), the
// plain-text fallback and the VERP return path. The table's comment gives
// the reason for each ordering, and TestRegistry_order pins it. A match
// function reads only the top-level header (From, Subject, Received and
// marker fields), so that most decoders are ruled out without touching
// the body (TestRegistry_matchReadsHeadersOnly); a format that shows only
// in its body is tested inside its decode.
package bounce
