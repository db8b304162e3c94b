package bounce

import "strings"

// BIGLOBE, a Japanese ISP, writes reports from postmaster@biglobe.ne.jp (or
// a host below it) in a multipart/mixed whose boundary starts with
// "--_Biglobe": "----- The following addresses had delivery problems -----",
// the addresses, then "----- Non-delivered information -----" and
// BIGLOBE's own description of the failure, in English or Japanese.

func matchBiglobe(m *message) bool {
	f := strings.ToLower(m.from)
	if strings.Contains(f, "biglobe.ne.jp") && isBounceSender(f) {
		return true
	}
	return applContainsFold(m.header().get("content-type"), "biglobe")
}

// biglobeReasons maps BIGLOBE's descriptions to reasons.
var biglobeReasons = []phraseHint{
	{"mailbox exceeded the local limit", "mailbox_full"},
	{"user unknown", "user_unknown"},
}

func decodeBiglobe(m *message) *Report {
	rep := &Report{Kind: KindBounce, Format: "biglobe"}
	var addrs, info []string
	state := 0 // 1: addresses, 2: information
	for _, line := range applLines(m.notice()) {
		t := strings.TrimSpace(line)
		lt := strings.ToLower(t)
		switch {
		case strings.Contains(lt, "the following addresses had delivery problems"):
			state = 1
			continue
		case strings.Contains(lt, "non-delivered information"):
			state = 2
			continue
		case strings.HasPrefix(t, "-----"):
			state = 0
			continue
		}
		switch {
		case state == 1:
			if a := firstAddress(t); a != "" {
				addrs = appendUnique(addrs, a)
			}
		case state == 2 && t != "":
			info = append(info, t)
		}
	}
	diag := strings.Join(info, " ")
	hint := hintOf(diag, biglobeReasons)
	for _, a := range addrs {
		r := applRecipient(a, diag)
		r.ReasonHint = hint
		rep.Recipients = append(rep.Recipients, r)
	}
	if len(rep.Recipients) == 0 {
		return nil
	}
	return rep
}
