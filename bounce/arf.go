package bounce

import "strings"

// decodeARF reads an abuse report (RFC 5965): a multipart/report with a
// message/feedback-report part. The recipient complained about is the
// Original-Rcpt-To, else Removal-Recipient, else the To of the attached
// original message.
func decodeARF(m *message) *Report {
	p := m.findPart("message/feedback-report")
	if p == nil {
		return nil
	}
	h, _ := parseHeader([]byte(strings.TrimLeft(p.text(), "\n")))
	ft := strings.ToLower(h.get("feedback-type"))
	if ft == "" {
		ft = "abuse"
	}
	rep := &Report{Kind: KindComplaint, Format: "arf", ReportingMTA: hostOf(h.get("reporting-mta"))}
	rep.Original = m.original()
	var addrs []string
	for _, k := range []string{"original-rcpt-to", "removal-recipient"} {
		for _, v := range h.values(k) {
			if a := normalizeAddress(v); a != "" {
				addrs = appendUnique(addrs, a)
			}
		}
		if len(addrs) > 0 {
			break
		}
	}
	if len(addrs) == 0 && rep.Original.To != "" {
		addrs = findAddresses(rep.Original.To)
	}
	if rep.Original.From == "" {
		rep.Original.From = normalizeAddress(h.get("original-mail-from"))
	}
	for _, a := range addrs {
		rep.Recipients = append(rep.Recipients, Recipient{
			Address:      a,
			FeedbackType: ft,
			ReportingMTA: rep.ReportingMTA,
			Diagnostic:   oneLine(firstParagraph(m.notice())),
			ReasonHint:   "complaint",
		})
	}
	return rep
}

func appendUnique(list []string, s string) []string {
	for _, x := range list {
		if x == s {
			return list
		}
	}
	return append(list, s)
}
