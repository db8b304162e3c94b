package bounce

import "github.com/bounced-dev/bounced/internal/smtp"

func isDigit(c byte) bool { return '0' <= c && c <= '9' }

// The status and reply-code finders are internal/smtp's, shared with the
// classifier: these names keep the decoders' calls short.

// findStatus returns the first RFC 3463 enhanced status code in s
// ("5.1.1", "4.7.0") that stands alone, or "" (smtp.FindStatus).
func findStatus(s string) string { return smtp.FindStatus(s) }

func isAlpha(c byte) bool { return ('a' <= c && c <= 'z') || ('A' <= c && c <= 'Z') }

// findReplyCode returns the first SMTP reply code (RFC 5321 section 4.2)
// in s that stands alone, or "" (smtp.FindReplyCode).
func findReplyCode(s string) string { return smtp.FindReplyCode(s) }

// leadingReplyCode returns the reply code s starts with (after white
// space), or "" (smtp.LeadingReplyCode).
func leadingReplyCode(s string) string { return smtp.LeadingReplyCode(s) }

// genericStatus reports whether st says only its class (x.0.0), so that a
// more specific code in the text is worth more (smtp.GenericStatus).
func genericStatus(st string) bool { return smtp.GenericStatus(st) }

// statusClassMatches reports whether the enhanced status st and the reply
// code rc are of the same class (both permanent or both transient).
func statusClassMatches(st, rc string) bool {
	return st == "" || rc == "" || st[0] == rc[0]
}
