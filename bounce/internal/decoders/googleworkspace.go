package decoders

import "strings"

// Google Workspace (G Suite) notices about mail Gmail could not hand on.
//
// Failures of Gmail's own sending path, such as an SMTP relay configured
// for "Send mail as" that refuses to authenticate, come from Gmail's
// mailer-daemon as a multipart/report whose delivery-status part is empty.
// The notice says "** Message not delivered **", explains the cause, and
// quotes the reply after "The response was:"; the failed recipient is in
// X-Failed-Recipients, and for a "Send mail as" relay failure every
// recipient of the original message.

func matchGoogleWorkspace(m *message) bool {
	return matchGmail(m) && m.dsnPart() != nil
}

func decodeGoogleWorkspace(m *message) *Report {
	if _, blocks := m.dsnFields(m.dsnPart().Text()); len(blocks) > 0 {
		return nil // a complete report: Gmail's decoder reads it
	}
	text := m.notice()
	addrs := m.failedRecipients()
	response := googleResponse(text)
	lower := m.lowerNotice()
	sendMailAs := contains(lower, "'send mail as'") || contains(lower, "\"send mail as\"") || contains(lower, "customfromdenied")
	if sendMailAs {
		// The user's own SMTP relay for "Send mail as" refused the
		// message: it went to none of its recipients, so every address
		// of the original's To and Cc failed, beside the ones Gmail lists.
		o := m.original()
		for _, a := range append(findAddresses(o.To), findAddresses(strings.Join(o.Header("Cc"), ","))...) {
			addrs = appendUnique(addrs, a)
		}
	}
	if len(addrs) == 0 {
		return nil
	}
	action := "failed"
	if contains(lower, "delivery incomplete") || contains(lower, "will retry") {
		action = "delayed"
	}
	rep := &Report{Kind: KindBounce, Format: "googleworkspace"}
	for _, a := range addrs {
		r := Recipient{Address: a, Action: action}
		if sendMailAs {
			// The sender's own relay refused the sender.
			r.ReasonHint = "rejected"
		}
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
