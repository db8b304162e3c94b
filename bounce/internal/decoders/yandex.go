package decoders

import "strings"

// Yandex.Mail runs Postfix: its reports come from mailer-daemon@yandex.ru
// with X-Yandex-* headers, a Russian preamble before Postfix's English
// notice ("<a@b>: host mx[ip] said: 550 ... (in reply to RCPT TO
// command)"), and a standard message/delivery-status part with
// X-Yandex-Queue-ID and X-Yandex-Sender fields.

func matchYandex(m *message) bool {
	if !m.fromBounceSender() {
		return false
	}
	return m.hasField("x-yandex-front") || m.hasField("x-yandex-uniq") || m.fromHas("@yandex.")
}

func decodeYandex(m *message) *Report {
	rep := dsnWithCommands(m, "yandex")
	if rep == nil {
		return nil
	}
	postfixTextDetails(rep.Recipients, m.notice())
	return rep
}

// postfixTextDetails completes recipients from a Postfix-style notice: the
// paragraph "<a@b>: host mx.example.jp[192.0.2.1] said: 550 ... (in reply
// to RCPT TO command)" gives the command, the remote host and, when the
// delivery-status part lacks it, the reply.
func postfixTextDetails(rs []Recipient, notice string) {
	lower := toLower(notice)
	for i := range rs {
		r := &rs[i]
		k := strings.Index(lower, "<"+toLower(r.Address)+">:")
		if k < 0 {
			continue
		}
		para := notice[k:]
		if end := strings.Index(para, "\n\n"); end >= 0 {
			para = para[:end]
		}
		// The next recipient's paragraph may follow without a blank line.
		if nl := strings.Index(para, "\n<"); nl >= 0 {
			para = para[:nl]
		}
		para = oneLine(para[len(r.Address)+3:])
		lp := toLower(para)
		if j := strings.Index(lp, "(in reply to "); j >= 0 {
			if r.Command == "" {
				r.Command = smtpCommand(lp[j+len("(in reply to "):])
			}
			para = strings.TrimSpace(para[:j])
			lp = toLower(para)
		}
		if strings.HasPrefix(lp, "host ") {
			if j := strings.Index(lp, " said: "); j >= len("host ") {
				host := para[len("host "):j]
				if b := strings.IndexByte(host, '['); b > 0 {
					host = host[:b]
				}
				if r.RemoteMTA == "" {
					r.RemoteMTA = host
				}
				para = strings.TrimSpace(para[j+len(" said: "):])
			}
		}
		if r.Diagnostic == "" {
			r.Diagnostic = para
			fillCodes(r)
		}
	}
}
