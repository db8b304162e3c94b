package decoders

// Amazon SES inbound (receiving) bounces.
//
// When SES receives mail for a domain and a receipt rule bounces it, SES
// writes an RFC 3464 report in the name of the receiving domain's
// postmaster, with its own Message-ID (...@<region>.amazonses.com) and the
// Reporting-MTA "inbound-smtp.<region>.amazonaws.com". The notice is one
// sentence ("This message could not be delivered."); the delivery-status
// part has the reply the receipt rule chose.

func matchReceivingSES(m *message) bool {
	return containsLower(m.getField("message-id"), "amazonses.com") && m.dsnPart() != nil
}

func decodeReceivingSES(m *message) *Report {
	rep := dsnAs(m, "receivingses")
	if rep == nil || !contains(rep.ReportingMTA, "amazonaws.com") && !contains(rep.ReportingMTA, "amazonses.com") {
		return nil
	}
	return rep
}
