package bounce

import "strings"

// Active!Hunter, a Japanese mail-filtering gateway by Prism Solutions,
// marks its reports with an X-AHMAILID header and a MIME boundary
// containing "Active!Hunter". Although the report is labelled
// multipart/report it carries no delivery-status part: the text part is
// Sendmail-like, with "----- The following addresses had permanent fatal
// errors -----" followed by ">>> addr <addr>" lines, then "----- Transcript
// of session follows -----" and the remote server's reply.

func matchActiveHunter(m *message) bool {
	// QUIRK: X-AHMAILID is stamped on every message the gateway passes,
	// other servers' bounces included; only its own reports use its MIME
	// boundary.
	return applContainsFold(m.header().get("content-type"), "active!hunter")
}

func decodeActiveHunter(m *message) *Report {
	if rep := applDSN(m, "activehunter"); rep != nil {
		return rep
	}
	rep := &Report{Kind: KindBounce, Format: "activehunter"}
	var addrs []string
	var transcript []string
	state := 0 // 1: in the address list, 2: in the transcript
	for _, line := range applLines(m.text()) {
		t := strings.TrimSpace(line)
		lt := strings.ToLower(t)
		switch {
		case strings.Contains(lt, "the following addresses had permanent fatal errors"):
			state = 1
			continue
		case strings.Contains(lt, "transcript of session follows"):
			state = 2
			continue
		case strings.HasPrefix(t, "-----"):
			state = 0
			continue
		}
		switch state {
		case 1:
			if a := firstAddress(strings.TrimLeft(t, ">")); a != "" {
				addrs = appendUnique(addrs, a)
			}
		case 2:
			if t != "" {
				transcript = append(transcript, t)
			}
		}
	}
	diag := strings.Join(transcript, " ")
	for _, a := range addrs {
		r := applRecipient(a, diag)
		r.Command = applCommand(diag)
		rep.Recipients = append(rep.Recipients, r)
	}
	if len(rep.Recipients) == 0 {
		return nil
	}
	return rep
}
