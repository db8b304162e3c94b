// Package mime reads the MIME structure of a message for the bounce
// decoders: a lenient header parser, the part tree (RFC 2045, RFC 2046)
// with bodies kept as slices of the message and decoded on demand
// (quoted-printable, base64), charset decoding with guesses for
// unlabelled Japanese and 8-bit text, RFC 2047 encoded words, HTML to
// text, and the byte-level ASCII helpers the decoders share.
//
// It is lenient where net/mail and go-message are strict, because bounces
// are written by every kind of software: each QUIRK: comment labels a
// real-world deviation that is accepted.
package mime
