package bounce

import "strings"

// autoReplySubjects are subject prefixes or words of vacation and
// out-of-office replies, lower-case, in English and Japanese.
var autoReplySubjects = []string{
	"auto:", "autoreply", "auto-reply", "auto reply", "automatic reply", "auto response", "autoresponse",
	"auto-response", "out of office", "out of the office", "out-of-office", "vacation", "away from",
	"on leave", "absence", "abwesenheit", "automatische antwort", "réponse automatique", "respuesta automática",
	"risposta automatica", "自動応答", "自動返信", "不在", "休暇", "お休み", "自動送信",
}

// isBounceSender reports whether a From value is a mail system's (a
// mailer-daemon or postmaster), whose messages are never auto-replies.
func isBounceSender(from string) bool {
	f := strings.ToLower(from)
	for _, s := range []string{"mailer-daemon", "mailer_daemon", "mailerdaemon", "postmaster", "mail delivery", "maildelivery", "mail-daemon", "mail_daemon", "maildaemon", "nobody@", "noreply-dmarc", "mail administrator", "mailadmin", "bounce"} {
		if strings.Contains(f, s) {
			return true
		}
	}
	return false
}

// decodeAutoReply recognises auto-replies (RFC 3834): Auto-Submitted:
// auto-replied and the X- headers of vacation programs, or a subject that
// says so, from a sender that is not a mail system.
func decodeAutoReply(m *message) *Report {
	h := m.header()
	if isBounceSender(m.from) {
		return nil
	}
	auto := false
	as := strings.ToLower(h.get("auto-submitted"))
	if strings.HasPrefix(as, "auto-replied") || strings.HasPrefix(as, "auto-generated") && autoReplySubject(m.subject) {
		auto = true
	}
	for _, k := range []string{"x-autoreply", "x-autorespond", "x-autoresponder", "x-auto-reply", "x-vacation", "x-mail-autoreply"} {
		if h.has(k) {
			auto = true
		}
	}
	prec := strings.ToLower(h.get("precedence"))
	if prec == "auto_reply" || prec == "auto-reply" {
		auto = true
	}
	if strings.EqualFold(h.get("x-ms-exchange-inbox-rules-loop"), "") && autoReplySubject(m.subject) {
		auto = true
	}
	if !auto {
		return nil
	}
	return &Report{Kind: KindAutoReply, Format: "rfc3834", AutoReplyFrom: firstAddress(m.from)}
}

func autoReplySubject(subject string) bool {
	s := strings.ToLower(subject)
	for _, w := range autoReplySubjects {
		if strings.Contains(s, w) {
			return true
		}
	}
	return false
}
