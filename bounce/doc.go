// Package bounce decodes bounce messages into structured reports.
//
// It reads RFC 3464 delivery status notifications (multipart/report with
// message/delivery-status), RFC 6533 global DSNs (message/global-delivery-status),
// RFC 5965 abuse reports (ARF), RFC 3834 auto-replies, and the non-standard
// bounce formats of many real MTAs and mail providers. It knows nothing of
// IMAP, Redis or NATS: an io.Reader goes in, a Report comes out.
//
// The package is the public face of internal parts: the decoders, their
// registry and the notice-reading helpers they share live in
// bounce/internal/decoders.
package bounce
