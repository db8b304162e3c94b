package decoders

import (
	"strings"
)

// decodeARF reads complaints: abuse and feedback-loop reports.
//
//   - RFC 5965 (ARF): a multipart/report; report-type=feedback-report
//     with a message/feedback-report part (Yahoo, AOL, Comcast,
//     Rackspace, Amazon SES, Return Path and most feedback loops). The
//     recipient complained about is the Original-Rcpt-To (RFC 5965
//     section 3.2), else Removal-Recipient (RFC 6650 section 5), else the
//     To of the attached original message.
//   - Microsoft JMRP (Junk Mail Reporting Program, Outlook.com/Hotmail):
//     no report part, only the original message attached, with the
//     recipient in its X-HmXmrOriginalRecipient header and a subject
//     "complaint about message from <IP>".
//   - Apple Mail's unsubscribe message (X-Apple-Unsubscribe: true): the
//     recipient sends it from its own address to the List-Unsubscribe
//     mailto address; an opt-out complaint.
//
// A complaint whose recipient cannot be told (the original's To was
// "undisclosed") is still a complaint, with no recipient.
func decodeARF(m *message) *Report {
	if p := m.findPart("message/feedback-report"); p != nil {
		return decodeFeedbackReport(m, p.Text())
	}
	if containsLower(m.getField("content-type"), "feedback-report") {
		// QUIRK: a feedback report whose report part is labelled text/plain.
		var found string
		m.root.Walk(func(p *part) bool {
			if p.InsideMessage() || len(p.Children) > 0 || !strings.HasPrefix(p.MediaType, "text/") {
				return true
			}
			if t := strings.TrimLeft(p.Text(), "\n"); hasFeedbackFields(t) {
				found = t
				return false
			}
			return true
		})
		if found != "" {
			return decodeFeedbackReport(m, found)
		}
	}
	if strings.EqualFold(m.getField("x-apple-unsubscribe"), "true") {
		return decodeAppleUnsubscribe(m)
	}
	if m.subjectHas("complaint about message from") || aolFeedbackLoop(m) {
		return decodeJMRP(m)
	}
	return nil
}

// hasFeedbackFields reports whether t starts with RFC 5965 section 3.1
// fields.
func hasFeedbackFields(t string) bool {
	h := headerOf(t)
	return h.Has("feedback-type") && (h.Has("user-agent") || h.Has("version"))
}

// decodeFeedbackReport reads an RFC 5965 report whose machine-readable part
// is fields.
func decodeFeedbackReport(m *message, fields string) *Report {
	h := headerOf(strings.TrimLeft(fields, "\n"))
	ft := toLower(strings.TrimSpace(h.Get("feedback-type")))
	if i := strings.IndexAny(ft, " ;("); i >= 0 {
		ft = ft[:i]
	}
	if ft == "" {
		ft = "abuse"
	}
	rep := &Report{Kind: KindComplaint, Format: "arf", ReportingMTA: hostOf(h.Get("reporting-mta"))}
	rep.Original = m.original()
	var addrs []string
	seen := map[string]bool{} // a report may repeat thousands of fields
	for _, k := range []string{"original-rcpt-to", "removal-recipient"} {
		for _, v := range h.Values(k) {
			if a := normalizeAddress(v); a != "" && !seen[a] {
				seen[a] = true
				addrs = append(addrs, a)
			}
		}
		if len(addrs) > 0 {
			break
		}
	}
	if len(addrs) == 0 {
		addrs = complainedRecipients(&rep.Original)
	}
	if rep.Original.From == "" {
		rep.Original.From = normalizeAddress(h.Get("original-mail-from"))
	}
	diag := oneLine(firstParagraph(m.notice()))
	for _, a := range addrs {
		rep.Recipients = append(rep.Recipients, Recipient{
			Address:      a,
			FeedbackType: ft,
			ReportingMTA: rep.ReportingMTA,
			Diagnostic:   diag,
			ReasonHint:   "complaint",
		})
	}
	return rep
}

// complainedRecipients returns the recipients of the original message a
// complaint carries: the envelope recipient the receiving system wrote
// into it, when it names one address, else its To (which may name a
// list or "undisclosed recipients").
func complainedRecipients(o *Original) []string {
	for _, k := range envelopeRecipientFields {
		if vs := o.Header(k); len(vs) == 1 {
			if a := findAddresses(vs[0]); len(a) == 1 {
				return a
			}
		}
	}
	if o.To != "" {
		return findAddresses(o.To)
	}
	return nil
}

// aolFeedbackLoop reports whether a message is a report of AOL's feedback
// loop in the format that predates its ARF reports: sent by
// scomp@aol.net, "Client TOS Notification" or "Email Feedback Report for
// IP ..." in the subject, the complained-about message attached.
func aolFeedbackLoop(m *message) bool {
	return m.fromHas("aol.net") && strings.EqualFold(fromAddress(m), "scomp@aol.net") || m.subjectHas("client tos notification") ||
		m.subjectHas("email feedback report for ip")
}

// decodeJMRP reads a Microsoft JMRP complaint: the complained-about
// message attached as message/rfc822 (RFC 5965 is not used).
func decodeJMRP(m *message) *Report {
	if m.originalPart() == nil {
		return nil
	}
	rep := &Report{Kind: KindComplaint, Format: "arf", Original: m.original()}
	for _, a := range complainedRecipients(&rep.Original) {
		rep.Recipients = append(rep.Recipients, Recipient{
			Address:      a,
			FeedbackType: "abuse",
			Diagnostic:   oneLine(m.subject),
			ReasonHint:   "complaint",
		})
	}
	return rep
}

// decodeAppleUnsubscribe reads the message Apple Mail sends for its
// "Unsubscribe" banner: an opt-out by the address it comes from.
func decodeAppleUnsubscribe(m *message) *Report {
	a := firstAddress(m.from)
	if a == "" {
		return nil
	}
	return &Report{Kind: KindComplaint, Format: "arf", Recipients: []Recipient{{
		Address:      a,
		FeedbackType: "opt-out",
		Diagnostic:   oneLine(firstParagraph(m.text())),
		ReasonHint:   "complaint",
	}}}
}

func appendUnique(list []string, s string) []string {
	for _, x := range list {
		if x == s {
			return list
		}
	}
	return append(list, s)
}

// envelopeRecipientFields are the header fields in which a receiving
// system records, in the message it delivered, the envelope recipient:
// Microsoft's X-HmXmrOriginalRecipient (Outlook.com JMRP reports) and
// hMailServer's X-Original-Rcpt-To (its AddXOriginalRcptToHeader
// setting). Postfix's X-Original-To and Delivered-To are left out: they
// name every hop a message took (a mailing list's own address when the
// original reached the complainant through a list).
var envelopeRecipientFields = []string{"x-hmxmroriginalrecipient", "x-original-rcpt-to"}
