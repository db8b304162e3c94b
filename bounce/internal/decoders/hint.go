package decoders

// phraseHint ties a decoder's own wording of a cause to a reason hint
// (Recipient.ReasonHint): the tables of the formats that state their cause
// in fixed sentences of their own.
type phraseHint struct{ phrase, reason string }

// hintOf returns the reason of the first entry of table whose phrase (lower
// case) is in text, or "".
func hintOf(text string, table []phraseHint) string {
	lower := toLower(text)
	for _, p := range table {
		if contains(lower, p.phrase) {
			return p.reason
		}
	}
	return ""
}
