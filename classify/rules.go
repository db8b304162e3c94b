package classify

import "strings"

// statusRules maps enhanced status codes (RFC 3463, and the IANA registry
// of enhanced status codes) to reasons. The most specific entry wins:
// "5.1.1" before "5.1".
var statusRules = map[string]Reason{
	"1.1":  UserUnknown,   // bad destination mailbox address
	"1.2":  HostUnknown,   // bad destination system address
	"1.3":  UserUnknown,   // bad destination mailbox address syntax
	"1.4":  UserUnknown,   // destination mailbox address ambiguous
	"1.6":  HasMoved,      // destination mailbox has moved, no forwarding address
	"1.7":  Rejected,      // bad sender's mailbox address syntax
	"1.8":  Rejected,      // bad sender's system address
	"1.10": NotAccept,     // recipient address has null MX (RFC 7505)
	"2.1":  Suspended,     // mailbox disabled, not accepting messages
	"2.2":  MailboxFull,   // mailbox full
	"2.3":  ExceedLimit,   // message length exceeds administrative limit
	"3.1":  SystemFull,    // mail system full
	"3.4":  MessageTooBig, // message too big for system
	"4.1":  NetworkError,
	"4.3":  SystemError,
	"4.4":  NetworkError,
	"4.6":  NetworkError, // routing loop detected
	"4.7":  Expired,      // delivery time expired
	"5.3":  SyntaxError,
	"6.0":  ContentError,
	"7.1":  Rejected,
	"7.25": RequirePTR,                                            // reverse DNS validation failed (RFC 7372)
	"7.26": AuthFailure,                                           // multiple authentication checks failed
	"7.27": NotAccept,                                             // sender address has null MX
	"7.23": AuthFailure,                                           // SPF validation failed
	"7.24": AuthFailure,                                           // SPF validation error
	"7.20": AuthFailure, "7.21": AuthFailure, "7.22": AuthFailure, // DKIM
	"7.9":  SecurityError,
	"7.10": FailedSTARTTLS, // encryption needed
	"7.13": Suspended,      // user account disabled
	"7.7":  SecurityError,
}

// textRule is one wording of a reason: every one of its words must be in
// the lower-cased text.
type textRule struct {
	reason Reason
	words  []string
}

// textRules are tried in order; the first whose words all appear in the
// diagnostic decides.
var textRules = []textRule{
	{MailboxFull, []string{"mailbox full"}},
	{MailboxFull, []string{"mailbox is full"}},
	{MailboxFull, []string{"over quota"}},
	{MailboxFull, []string{"quota exceeded"}},
	{UserUnknown, []string{"user unknown"}},
	{UserUnknown, []string{"no such user"}},
	{UserUnknown, []string{"unknown user"}},
	{UserUnknown, []string{"does not exist"}},
	{HostUnknown, []string{"host not found"}},
	{HostUnknown, []string{"domain not found"}},
	{MessageTooBig, []string{"message too large"}},
	{MessageTooBig, []string{"too big"}},
	{SpamDetected, []string{"spam"}},
	{Blocked, []string{"blocked"}},
	{Expired, []string{"retry timeout exceeded"}},
}

// Classify decides the reason, category and hardness of one failed
// recipient. Each step names itself in Verdict.Rule.
func Classify(in Input) Verdict {
	switch {
	case in.FeedbackType != "":
		return verdict(Complaint, "feedback:"+in.FeedbackType)
	case in.Action == "delivered" || in.Action == "relayed" || in.Action == "expanded":
		return verdict(Delivered, "action:"+in.Action)
	}
	text := strings.ToLower(in.Diagnostic)
	for _, r := range textRules {
		if containsAll(text, r.words) {
			return verdict(r.reason, "text:"+string(r.reason)+"/"+strings.Join(r.words, "+"))
		}
	}
	if in.Hint.Valid() {
		return verdict(in.Hint, "hint:"+string(in.Hint))
	}
	if st := in.Status; len(st) >= 5 {
		detail := st[2:]
		if r, ok := statusRules[detail]; ok {
			return verdict(r, "status:"+st)
		}
		if i := strings.IndexByte(detail, '.'); i > 0 {
			if r, ok := statusRules[detail[:i]]; ok {
				return verdict(r, "status:"+st)
			}
		}
	}
	if in.Action == "delayed" {
		return verdict(Expired, "action:delayed")
	}
	return verdict(Undefined, "default")
}

func containsAll(s string, words []string) bool {
	for _, w := range words {
		if !strings.Contains(s, w) {
			return false
		}
	}
	return true
}

func verdict(r Reason, rule string) Verdict {
	return Verdict{Reason: r, Category: r.Category(), Hard: r.Hard(), Rule: rule}
}
