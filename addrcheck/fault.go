package addrcheck

import (
	"fmt"
	"strings"
)

// Code names one kind of fault. Codes are stable: programs match on them.
type Code string

// The faults Check reports. Each says which rule it applies.
const (
	// CodeEmpty: nothing but spaces.
	CodeEmpty Code = "empty"
	// CodeFullWidth: full-width (全角) letters, digits or signs, such as
	// ＡＢＣ＠ｄｏｃｏｍｏ．ｎｅ．ｊｐ or the ideographic full stop 。 for a dot;
	// folded to ASCII by Unicode NFKC (UAX #15) for the suggestion.
	CodeFullWidth Code = "full_width"
	// CodeInvisible: invisible format characters (zero-width space, BOM,
	// direction marks) pasted with the address.
	CodeInvisible Code = "invisible_character"
	// CodeSpace: a space inside or around the address (RFC 5322 3.4.1
	// allows none in a dot-atom).
	CodeSpace Code = "space"
	// CodeComma: a comma typed for a dot (docomo,ne,jp); a comma is not
	// atext (RFC 5322 3.2.3) and separates addresses in a list.
	CodeComma Code = "comma"
	// CodeNoAt: no "@" at all.
	CodeNoAt Code = "no_at"
	// CodeMultipleAt: more than one "@" outside a quoted local part.
	CodeMultipleAt Code = "multiple_at"
	// CodeLocalEmpty: nothing before the "@".
	CodeLocalEmpty Code = "local_empty"
	// CodeDotBeforeAt: the local part ends with a dot (taro.@docomo.ne.jp);
	// not a dot-atom (RFC 5322 3.2.3, RFC 5321 4.1.2).
	CodeDotBeforeAt Code = "dot_before_at"
	// CodeLeadingDot: the local part starts with a dot.
	CodeLeadingDot Code = "leading_dot"
	// CodeConsecutiveDots: two or more dots in a row in the local part.
	CodeConsecutiveDots Code = "consecutive_dots"
	// CodeInvalidCharacter: an ASCII character outside atext and the dot
	// in the local part: ( ) < > [ ] : ; @ \ " or a control character.
	CodeInvalidCharacter Code = "invalid_character"
	// CodeNonASCII: a character outside ASCII in the local part, which only
	// SMTPUTF8 (RFC 6531) servers take; the Japanese carriers do not.
	CodeNonASCII Code = "non_ascii"
	// CodeUnusualCharacter: an atext sign that RFC 5322 allows but that
	// carriers' addresses rarely contain and that shops' forms and sending
	// systems often refuse: / ? ! # $ % & ' * = ^ ` { | } ~.
	CodeUnusualCharacter Code = "unusual_character"
	// CodeQuotedLocal: a quoted local part ("taro."@docomo.ne.jp): valid
	// (RFC 5321 4.1.2) but refused by many forms and senders.
	CodeQuotedLocal Code = "quoted_local_part"
	// CodeLocalTooLong: a local part over 64 octets (RFC 5321 4.5.3.1.1).
	CodeLocalTooLong Code = "local_too_long"
	// CodeDomainEmpty: nothing after the "@".
	CodeDomainEmpty Code = "domain_empty"
	// CodeDomainDot: a dot at the start or end of the domain, or two in a
	// row (an empty label, RFC 1035 2.3.1).
	CodeDomainDot Code = "domain_dot"
	// CodeDomainCharacter: a character outside letters, digits and hyphen
	// in a domain label (RFC 1035 2.3.1, RFC 5321 4.1.2 Let-dig / Ldh-str).
	CodeDomainCharacter Code = "domain_character"
	// CodeDomainHyphen: a label that starts or ends with a hyphen.
	CodeDomainHyphen Code = "domain_hyphen"
	// CodeLabelTooLong: a label over 63 octets (RFC 1035 2.3.4).
	CodeLabelTooLong Code = "label_too_long"
	// CodeDomainTooLong: a domain over 255 octets (RFC 5321 4.5.3.1.2).
	CodeDomainTooLong Code = "domain_too_long"
	// CodeAddressTooLong: an address over 254 octets (RFC 5321 4.5.3.1.3:
	// a path of 256 octets with its angle brackets; RFC 3696 erratum 1690).
	CodeAddressTooLong Code = "address_too_long"
	// CodeSingleLabel: a domain of one label (taro@docomo, taro@gmail).
	CodeSingleLabel Code = "domain_single_label"
	// CodeNumericTLD: a top-level label of digits only (RFC 3696 2).
	CodeNumericTLD Code = "numeric_tld"
	// CodeDomainLiteral: an address literal ([192.0.2.1], RFC 5321 4.1.3):
	// valid, but no shop customer has one.
	CodeDomainLiteral Code = "domain_literal"
	// CodeIDN: an internationalised domain (例え.jp): valid, but it has to
	// be sent in its A-label (punycode) form.
	CodeIDN Code = "idn_domain"
	// CodeDomainTypo: the domain is not known and is one slip away from a
	// provider's domain in the table (docomo.ne.jo, gmai.com).
	CodeDomainTypo Code = "domain_typo"
	// CodeHostUnknown: the DNS says the domain does not exist (NXDOMAIN,
	// RFC 8020).
	CodeHostUnknown Code = "host_unknown"
	// CodeNoMailHost: the domain exists but has neither MX nor A/AAAA
	// records, so there is no host to deliver to (RFC 5321 5.1).
	CodeNoMailHost Code = "no_mail_host"
	// CodeNullMX: the domain publishes a null MX ("MX 0 ."): it accepts no
	// mail (RFC 7505).
	CodeNullMX Code = "null_mx"
)

// Severity says how sure a fault is.
type Severity string

const (
	// SeverityError: the address as written cannot be delivered (or most
	// senders refuse to try).
	SeverityError Severity = "error"
	// SeverityWarning: the address may be delivered, but it is probably not
	// what the customer meant or some systems refuse it.
	SeverityWarning Severity = "warning"
)

var severities = map[Code]Severity{
	CodeUnusualCharacter: SeverityWarning,
	CodeQuotedLocal:      SeverityWarning,
	CodeDomainLiteral:    SeverityWarning,
	CodeIDN:              SeverityWarning,
	CodeDomainTypo:       SeverityWarning,
}

// Severity returns how sure a fault of this code is.
func (c Code) Severity() Severity {
	if s, ok := severities[c]; ok {
		return s
	}
	return SeverityError
}

// Fault is one thing wrong with an address.
type Fault struct {
	// Code names the fault.
	Code Code `json:"code"`
	// Severity is error or warning.
	Severity Severity `json:"severity"`
	// Message says what is wrong and what to do, in English.
	Message string `json:"message"`
	// MessageJA says the same in Japanese.
	MessageJA string `json:"message_ja"`
	// Suggestion is the corrected address, when one can be derived (the
	// same for every fault of one address: all fixes applied).
	Suggestion string `json:"suggestion,omitempty"`

	fixed bool // this fault's fix went into the candidate address
}

// quoteChars lists distinct characters for a message: "/", "?".
func quoteChars(rs []rune) string {
	var b strings.Builder
	seen := map[rune]bool{}
	for _, r := range rs {
		if seen[r] {
			continue
		}
		seen[r] = true
		if len(seen) > 8 {
			b.WriteString(", ...")
			break
		}
		if b.Len() > 0 {
			b.WriteString(", ")
		}
		if r < 0x20 || r == 0x7f {
			fmt.Fprintf(&b, "U+%04X", r)
		} else {
			fmt.Fprintf(&b, "%q", string(r))
		}
	}
	return b.String()
}

// newFault builds a fault with its messages; arg fills the messages that
// name something (characters, a domain).
func newFault(c Code, arg string) Fault {
	en, ja := messages(c, arg)
	return Fault{Code: c, Severity: c.Severity(), Message: en, MessageJA: ja}
}

func messages(c Code, arg string) (en, ja string) {
	switch c {
	case CodeEmpty:
		return "The address is empty.",
			"メールアドレスが空です。"
	case CodeFullWidth:
		return "The address contains full-width characters (" + arg + "); mail addresses are written in half-width ASCII.",
			"メールアドレスに全角文字（" + arg + "）が含まれています。半角英数字で入力してください。"
	case CodeInvisible:
		return "The address contains invisible characters (" + arg + "), probably pasted with it.",
			"メールアドレスに見えない制御文字（" + arg + "）が含まれています。コピー時に紛れ込んだ可能性があります。"
	case CodeSpace:
		return "The address contains a space; an address has none.",
			"メールアドレスに空白（スペース）が含まれています。"
	case CodeComma:
		return "The address contains a comma, probably typed for a dot.",
			"メールアドレスに「,」（カンマ）が含まれています。「.」（ドット）の入力間違いと思われます。"
	case CodeNoAt:
		return "The address has no \"@\".",
			"メールアドレスに「@」がありません。"
	case CodeMultipleAt:
		return "The address has more than one \"@\".",
			"メールアドレスに「@」が複数あります。"
	case CodeLocalEmpty:
		return "Nothing comes before the \"@\".",
			"「@」の前の部分（ユーザー名）がありません。"
	case CodeDotBeforeAt:
		return "A dot comes right before the \"@\" (RFC 5322 forbids it); most senders refuse such an address. Ask the customer to register another address, or to change it at the carrier.",
			"「@」の直前に「.」（ドット）があります（RFC違反）。多くの送信サーバーはこのアドレスに送信できません。別のアドレスの登録、またはキャリアでのアドレス変更をお願いしてください。"
	case CodeLeadingDot:
		return "The address starts with a dot (RFC 5322 forbids it); most senders refuse such an address.",
			"メールアドレスの先頭が「.」（ドット）です（RFC違反）。多くの送信サーバーはこのアドレスに送信できません。"
	case CodeConsecutiveDots:
		return "Two or more dots follow each other before the \"@\" (RFC 5322 forbids it); most senders refuse such an address.",
			"「@」より前で「.」（ドット）が連続しています（RFC違反）。多くの送信サーバーはこのアドレスに送信できません。"
	case CodeInvalidCharacter:
		return "The part before the \"@\" contains characters an address may not contain unquoted (" + arg + ").",
			"「@」より前にメールアドレスに使えない文字（" + arg + "）が含まれています。"
	case CodeNonASCII:
		return "The part before the \"@\" contains non-ASCII characters (" + arg + "); Japanese carriers and most servers do not accept them.",
			"「@」より前に半角英数字以外の文字（" + arg + "）が含まれています。キャリアや多くのメールサーバーでは受け付けられません。"
	case CodeUnusualCharacter:
		return "The part before the \"@\" contains signs (" + arg + ") that are allowed but often refused by forms and sending systems; check the address with the customer.",
			"「@」より前に記号（" + arg + "）が含まれています。規格上は使えますが、受け付けないシステムがあります。お客様にアドレスをご確認ください。"
	case CodeQuotedLocal:
		return "The part before the \"@\" is quoted; that is valid, but many forms and senders refuse it.",
			"「@」より前が引用符（\"）で囲まれています。規格上は有効ですが、受け付けないシステムが多くあります。"
	case CodeLocalTooLong:
		return "The part before the \"@\" is longer than 64 characters (RFC 5321).",
			"「@」より前が64文字を超えています（RFC 5321）。"
	case CodeDomainEmpty:
		return "Nothing comes after the \"@\".",
			"「@」の後ろ（ドメイン）がありません。"
	case CodeDomainDot:
		return "The domain starts or ends with a dot, or has two dots in a row.",
			"ドメインの先頭・末尾に「.」があるか、「.」が連続しています。"
	case CodeDomainCharacter:
		return "The domain contains characters a domain may not contain (" + arg + "); only letters, digits, hyphens and dots.",
			"ドメインに使えない文字（" + arg + "）が含まれています。使えるのは英数字・「-」・「.」だけです。"
	case CodeDomainHyphen:
		return "A part of the domain starts or ends with a hyphen.",
			"ドメインの区切りの先頭または末尾に「-」（ハイフン）があります。"
	case CodeLabelTooLong:
		return "A part of the domain between dots is longer than 63 characters.",
			"ドメインの「.」で区切られた部分が63文字を超えています。"
	case CodeDomainTooLong:
		return "The domain is longer than 255 characters.",
			"ドメインが255文字を超えています。"
	case CodeAddressTooLong:
		return "The address is longer than 254 characters.",
			"メールアドレスが254文字を超えています。"
	case CodeSingleLabel:
		return "The domain \"" + arg + "\" has no dot; the end of the domain is probably missing.",
			"ドメイン「" + arg + "」に「.」がありません。ドメインの後半が抜けている可能性があります。"
	case CodeNumericTLD:
		return "The domain ends in digits only; no top-level domain does.",
			"ドメインの末尾が数字だけです。"
	case CodeDomainLiteral:
		return "The domain is an IP address literal; valid, but it is rarely what a customer meant.",
			"ドメインがIPアドレス表記です。規格上は有効ですが、通常のメールアドレスではありません。"
	case CodeIDN:
		return "The domain is an internationalised (non-ASCII) domain; it is sent as " + arg + ".",
			"ドメインが日本語ドメインなどの国際化ドメインです。送信時は " + arg + " として扱われます。"
	case CodeDomainTypo:
		return "The domain is probably a typo of " + arg + ".",
			"ドメインは " + arg + " の入力間違いの可能性があります。"
	case CodeHostUnknown:
		return "The domain does not exist in the DNS.",
			"ドメインが存在しません（DNSに登録がありません）。"
	case CodeNoMailHost:
		return "The domain has no mail server (no MX and no address record).",
			"ドメインにメールサーバーがありません（MXレコードもAレコードもありません）。"
	case CodeNullMX:
		return "The domain declares that it accepts no mail (null MX, RFC 7505).",
			"ドメインはメールを受け付けないと宣言しています（null MX、RFC 7505）。"
	}
	return string(c), string(c)
}
