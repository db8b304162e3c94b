package decoders

// decoder reads one family of messages.
type decoder struct {
	// name is the format reported for messages it reads.
	name string
	// match is a cheap test, on headers first, that says the decoder may
	// read the message; nil means always try.
	match func(m *message) bool
	// decode returns the report, or nil when the message is not of its
	// format after all.
	decode func(m *message) *Report
}

// decoders is the registry, tried in order: complaints, then the
// decoders of MTAs and providers (their lists live beside their code),
// then the generic RFC 3464 reader, then the last-resort text reader.
var decoders = concat(
	[]decoder{{name: "arf", decode: decodeARF}},
	providerDecoders,
	applianceDecoders,
	carrierDecoders,
	mtaDecoders,
	[]decoder{
		{name: "rfc3464", decode: decodeGenericDSN},
		{name: "text", decode: decodeText},
	},
)

func concat(lists ...[]decoder) []decoder {
	var out []decoder
	for _, l := range lists {
		out = append(out, l...)
	}
	return out
}
