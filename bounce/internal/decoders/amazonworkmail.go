package decoders

import "strings"

// Amazon WorkMail bounces.
//
// WorkMail sends through Amazon SES and writes a multipart/mixed (not
// multipart/report) bounce with X-Mailer "Amazon WorkMail": a notice
// "An error occurred while trying to deliver the mail to the following
// recipients:" followed by "Technical report:" and the RFC 3464 fields
// inline in the text, then the original message.

func matchAmazonWorkMail(m *message) bool {
	return contains(m.getField("x-mailer"), "Amazon WorkMail") || contains(m.getField("x-original-mailer"), "Amazon WorkMail")
}

func decodeAmazonWorkMail(m *message) *Report {
	if rep := dsnAs(m, "amazonworkmail"); rep != nil {
		return rep
	}
	text := m.notice()
	i := strings.Index(text, "Technical report:")
	if i < 0 {
		return nil
	}
	rep := &Report{Kind: KindBounce, Format: "amazonworkmail"}
	rep.ReportingMTA, rep.Recipients = dsnRecipients(m, text[i+len("Technical report:"):])
	if len(rep.Recipients) == 0 {
		return nil
	}
	return rep
}
