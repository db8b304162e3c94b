package decoders

import (
	"bytes"
	"encoding/json"
	"slices"
	"strings"
)

// decodeJSONNotice reads a notification whose text is a JSON object, as
// sending services mail their delivery events to their customers, by its
// structure rather than by its service's names: an object that names a
// recipient's address beside RFC 3464's per-recipient fields in JSON's
// spelling ("action", "status", "diagnosticCode"), or a list of
// recipients beside the server's reply to them ("recipients",
// "smtpResponse"). A string that holds an object (a message wrapped in a
// notification service's envelope, "Message": "{...}") is read too. An
// object with neither (a complaint, a subscription's confirmation, a
// list of addresses alone) reports nothing: the fields are what says a
// delivery failed, was delayed or succeeded.
func decodeJSONNotice(m *message) *Report {
	t := strings.TrimSpace(m.text())
	if !strings.HasPrefix(t, "{") {
		return nil
	}
	v, ok := firstJSONValue(sesJSON(t))
	if !ok {
		return nil
	}
	var all, rs []Recipient
	jsonRecipients(v, 0, &all)
	for _, r := range all {
		if !slices.ContainsFunc(rs, func(o Recipient) bool { return strings.EqualFold(o.Address, r.Address) && o.Action == r.Action }) {
			rs = append(rs, r)
		}
	}
	if len(rs) == 0 {
		return nil
	}
	rep := &Report{Kind: KindDelivered, Format: "json", Recipients: rs}
	for _, r := range rs {
		switch {
		case r.Action == "failed":
			rep.Kind = KindBounce
		case r.Action == "delayed" && rep.Kind != KindBounce:
			rep.Kind = KindDelay
		}
	}
	return rep
}

// firstJSONValue decodes the first JSON value of raw (what follows it,
// a footer's words, is left).
func firstJSONValue(raw []byte) (any, bool) {
	dec := json.NewDecoder(bytes.NewReader(raw))
	dec.UseNumber()
	var v any
	if err := dec.Decode(&v); err != nil {
		return nil, false
	}
	return v, true
}

// maxJSONDepth bounds the nesting jsonRecipients reads, and so its work
// on a hostile object.
const maxJSONDepth = 12

// jsonRecipients appends to out the recipients the objects in v report
// (jsonRecipient, jsonReplyList), at most maxTextRecipients.
func jsonRecipients(v any, depth int, out *[]Recipient) {
	if depth > maxJSONDepth || len(*out) >= maxTextRecipients {
		return
	}
	switch x := v.(type) {
	case map[string]any:
		if r, ok := jsonRecipient(x); ok {
			*out = append(*out, r)
		}
		*out = append(*out, jsonReplyList(x)...)
		for _, k := range sortedKeys(x) {
			jsonRecipients(x[k], depth+1, out)
		}
	case []any:
		for _, e := range x {
			jsonRecipients(e, depth+1, out)
		}
	case string:
		if s := strings.TrimSpace(x); strings.HasPrefix(s, "{") {
			if inner, ok := firstJSONValue([]byte(s)); ok {
				jsonRecipients(inner, depth+1, out)
			}
		}
	}
}

// jsonField returns the string under one of keys in o, matched ignoring
// case, or "".
func jsonField(o map[string]any, keys ...string) string {
	for _, want := range keys {
		for _, k := range sortedKeys(o) {
			if strings.EqualFold(k, want) {
				if s, ok := o[k].(string); ok {
					return strings.TrimSpace(s)
				}
			}
		}
	}
	return ""
}

// sortedKeys returns the keys of o in order, so that what is read from
// an object does not depend on map order.
func sortedKeys(o map[string]any) []string {
	ks := make([]string, 0, len(o))
	for k := range o {
		ks = append(ks, k)
	}
	slices.Sort(ks)
	return ks
}

// jsonAddress returns the one address s holds, or "".
func jsonAddress(s string) string {
	as := findAddresses(s)
	if len(as) != 1 {
		return ""
	}
	return as[0]
}

// jsonRecipient reads an object that names one recipient
// ("emailAddress", "recipient", "finalRecipient") with the action and
// status RFC 3464 gives each recipient (section 2.3): without an action
// one of them or a status code, the object is no delivery report.
func jsonRecipient(o map[string]any) (Recipient, bool) {
	a := jsonAddress(jsonField(o, "emailAddress", "email", "recipient", "finalRecipient", "address"))
	if a == "" {
		return Recipient{}, false
	}
	action := toLower(jsonField(o, "action"))
	status := findStatus(jsonField(o, "status"))
	switch action {
	case "failed", "delayed", "delivered", "relayed", "expanded":
	case "":
		switch {
		case status == "":
			return Recipient{}, false
		case status[0] == '2':
			action = "delivered"
		case status[0] == '4':
			action = "delayed"
		default:
			action = "failed"
		}
	default:
		return Recipient{}, false
	}
	r := Recipient{Address: a, Action: action, Status: status}
	d := jsonField(o, "diagnosticCode", "diagnostic")
	if typ, rest, ok := strings.Cut(d, ";"); ok && !strings.ContainsAny(typ, " \t") {
		// "smtp; 550 5.1.1 user unknown": RFC 3464's diagnostic-type
		// and the reply.
		r.DiagnosticType, d = toLower(strings.TrimSpace(typ)), strings.TrimSpace(rest)
	}
	r.Diagnostic = oneLine(d)
	fillCodes(&r)
	return r, true
}

// jsonReplyList reads an object that lists recipients ("recipients":
// ["a@b", ...]) beside the server's reply that took or refused them
// ("smtpResponse": "250 2.6.0 Message received"): each recipient had
// that reply, and its class says what became of it (RFC 5321 section
// 4.2.1).
func jsonReplyList(o map[string]any) []Recipient {
	reply := jsonField(o, "smtpResponse")
	code := leadingReplyCode(reply)
	if code == "" {
		return nil
	}
	var list []any
	for _, k := range sortedKeys(o) {
		if strings.EqualFold(k, "recipients") {
			list, _ = o[k].([]any)
			break
		}
	}
	action := map[byte]string{'2': "delivered", '4': "delayed", '5': "failed"}[code[0]]
	if action == "" {
		return nil
	}
	var out []Recipient
	for _, e := range list {
		s, _ := e.(string)
		if a := jsonAddress(s); a != "" {
			r := Recipient{Address: a, Action: action}
			setReply(&r, reply)
			out = append(out, r)
		}
	}
	return out
}
