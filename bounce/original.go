package bounce

import (
	"bytes"
	"strings"
)

// originalMarkers are lines that non-MIME bounces put before the returned
// message. Compared lower-case, after trimming.
var originalMarkers = []string{
	"--- below this line is a copy of the message.",
	"------ this is a copy of the message, including all the headers. ------",
	"------ this is a copy of the message's headers. ------",
	"------ this is a copy of your message, including all the headers. ------",
	"------ the body of the message is",
	"----- original message -----",
	"-----original message-----",
	"----- transcript of session follows -----",
	"--- original message follows.",
	"------ original message follows ------",
	"----- unsent message follows -----",
	"----- unsent message headers follow -----",
	"------- returned message --------",
	"--- returned message ---",
	"original message headers:",
	"the original message was:",
	"------ this is a copy of the message",
	"---------- forwarded message ----------",
	"----- the following addresses had permanent fatal errors -----",
}

// original returns the description of the message that bounced: from an
// attached message or headers part, or from the text after a marker line
// in a non-MIME bounce.
func (m *message) original() Original {
	var h header
	if p := m.originalPart(); p != nil {
		if len(p.children) > 0 {
			h = p.children[0].header
		} else {
			h, _ = parseHeader(trimLeadingBlankLines(p.body()))
		}
	} else if rest := m.inlineOriginal(); rest != "" {
		h, _ = parseHeader([]byte(rest))
	}
	return originalFromHeader(h)
}

func originalFromHeader(h header) Original {
	if len(h) == 0 {
		return Original{}
	}
	o := Original{Headers: make(map[string][]string, len(h))}
	for _, f := range h {
		k := canonicalKey(f.key)
		o.Headers[k] = append(o.Headers[k], strings.TrimSpace(decodeWords(f.value)))
	}
	o.MessageID = strings.Trim(h.get("message-id"), "<> \t")
	o.From = firstAddress(decodeWords(h.get("from")))
	if rp := normalizeAddress(h.get("return-path")); rp != "" && o.From == "" {
		o.From = rp
	}
	o.To = oneLine(decodeWords(h.get("to")))
	o.Subject = oneLine(decodeWords(h.get("subject")))
	return o
}

// inlineOriginal returns the text after the first original-message marker
// in the raw body of a non-MIME bounce, or "".
func (m *message) inlineOriginal() string {
	body := m.text()
	_, after := splitAtMarker(body)
	after = strings.TrimLeft(after, "\n")
	// Only worth it when it looks like a header block.
	if i := strings.IndexByte(after, ':'); i <= 0 || i > 40 {
		return ""
	}
	return after
}

// splitAtMarker splits a bounce text into the notice and the returned
// message at the first original-message marker line.
func splitAtMarker(body string) (string, string) {
	lower := strings.ToLower(body)
	best := -1
	bestLen := 0
	for _, mk := range originalMarkers {
		if i := strings.Index(lower, mk); i >= 0 && (best < 0 || i < best) {
			if strings.HasPrefix(mk, "-----") || strings.HasPrefix(mk, "---") || i == 0 || lower[i-1] == '\n' {
				best, bestLen = i, len(mk)
			}
		}
	}
	if best < 0 {
		return body, ""
	}
	end := best + bestLen
	if nl := strings.IndexByte(body[end:], '\n'); nl >= 0 {
		end += nl + 1
	} else {
		end = len(body)
	}
	return body[:best], body[end:]
}

// notice returns the bounce text without the returned message.
func (m *message) notice() string {
	n, _ := splitAtMarker(m.text())
	return n
}

var _ = bytes.Compare
