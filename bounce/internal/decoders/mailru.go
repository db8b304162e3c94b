package decoders

import "strings"

// Mail.Ru runs Exim: its reports come from mailer-daemon@corp.mail.ru (or
// another host under mail.ru) with an X-Mailer-Daemon-Recipients header on
// newer ones, a Russian paragraph listing the failed addresses, a ruler of
// asterisks, and then Exim's own English notice ("The following
// address(es) failed:"), whose blocks give each recipient's command,
// remote host and reply. The English part is read; the Russian one may
// shorten addresses to their local part.

func matchMailRu(m *message) bool {
	if m.hasField("x-mailer-daemon-recipients") {
		return true
	}
	f := m.lowerFrom()
	return (contains(f, "mail.ru") || headerHas(m, "message-id", "mail.ru>")) && isBounceSender(f)
}

func decodeMailRu(m *message) *Report {
	text := m.notice()
	// Skip the Russian preamble: Exim's English notice follows it.
	if i := strings.Index(text, "This message was created automatically by mail delivery software"); i >= 0 {
		text = text[i:]
	}
	rep := &Report{Kind: KindBounce, Format: "mailru"}
	rep.Recipients = eximList(text)
	if len(rep.Recipients) == 0 {
		for _, v := range m.header().Values("x-mailer-daemon-recipients") {
			for _, a := range findAddresses(v) {
				rep.Recipients = append(rep.Recipients, Recipient{Address: a, Action: "failed"})
			}
		}
	}
	if len(rep.Recipients) == 0 {
		return nil
	}
	return rep
}
