package bounce

import "strings"

// Google Workspace (G Suite) notices about mail Gmail could not hand on.
//
// Failures of Gmail's own sending path, such as an SMTP relay configured
// for "Send mail as" that refuses to authenticate, come from Gmail's
// mailer-daemon as a multipart/report whose delivery-status part is empty.
// The notice says "** Message not delivered **", explains the cause, and
// quotes the reply after "The response was:"; the failed recipient is in
// X-Failed-Recipients.

func matchGoogleWorkspace(m *message) bool {
	return matchGmail(m) && m.dsnPart() != nil
}

func decodeGoogleWorkspace(m *message) *Report {
	if _, blocks := parseDSNFields(m.dsnPart().text()); len(blocks) > 0 {
		return nil // a complete report: Gmail's decoder reads it
	}
	text := m.notice()
	var addrs []string
	for _, v := range m.header().values("x-failed-recipients") {
		for _, a := range findAddresses(v) {
			addrs = appendUnique(addrs, a)
		}
	}
	if len(addrs) == 0 {
		return nil
	}
	response := googleResponse(text)
	lower := strings.ToLower(text)
	action := "failed"
	if strings.Contains(lower, "delivery incomplete") || strings.Contains(lower, "will retry") {
		action = "delayed"
	}
	rep := &Report{Kind: KindBounce, Format: "googleworkspace"}
	for _, a := range addrs {
		r := Recipient{Address: a, Action: action}
		setReply(&r, response)
		if r.Diagnostic == "" {
			r.Diagnostic = paragraphAbout(text, a)
		}
		// No Command: "Unspecified Error (SENT_SECOND_EHLO): Smtp server
		// does not advertise AUTH capability" names the state of Gmail's
		// client, not a command the server refused.
		rep.Recipients = append(rep.Recipients, r)
	}
	return rep
}
