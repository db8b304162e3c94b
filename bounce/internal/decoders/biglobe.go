package decoders

// BIGLOBE, a Japanese ISP, writes reports from postmaster@biglobe.ne.jp (or
// a host below it) in a multipart/mixed whose boundary starts with
// "--_Biglobe": "----- The following addresses had delivery problems -----",
// the addresses, then "----- Non-delivered information -----" and
// BIGLOBE's own description of the failure, in English or Japanese.

func matchBiglobe(m *message) bool {
	f := m.lowerFrom()
	if contains(f, "biglobe.ne.jp") && isBounceSender(f) {
		return true
	}
	return containsFold(m.getField("content-type"), "biglobe")
}

// biglobeReasons maps BIGLOBE's descriptions to reasons.
var biglobeReasons = []phraseHint{
	{"mailbox exceeded the local limit", "mailbox_full"},
	{"user unknown", "user_unknown"},
}

func decodeBiglobe(m *message) *Report {
	addrs, diag := noticeSections(m.notice(), "the following addresses had delivery problems", "non-delivered information")
	hint := hintOf(diag, biglobeReasons)
	return failedReport("biglobe", addrs, diag, func(r *Recipient) { r.ReasonHint = hint }, Original{})
}
