package decoders

// Barracuda Spam & Virus Firewall writes multipart/report notices with a
// subject such as "**Message you sent blocked by our bulk email filter**"
// and a text part "Your message to: a@b was blocked by our Spam & Virus
// Firewall". Its delivery-status part is standard (the MTA inside is
// amavisd-based), so the decoder reads it and names the product.

func matchBarracuda(m *message) bool {
	if m.subjectHas("message you sent blocked by our") {
		return true
	}
	return m.fromBounceSender() && headerHas(m, "received", "barracuda") && m.dsnPart() != nil
}

func decodeBarracuda(m *message) *Report {
	return dsnWithCommands(m, "barracuda")
}
