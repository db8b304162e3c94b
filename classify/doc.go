// Package classify turns a failed recipient (enhanced status code, SMTP
// reply code, the remote server's words, the SMTP command, the remote MTA,
// the recipient's domain, a decoder's hint, an ARF feedback type) into a
// reason, a category and whether the failure is hard, through readable
// rule tables. Every Verdict names the rule that decided.
//
// It stands on its own: the input may come from a decoded bounce (package
// bounce) or from an SMTP-time rejection in a send log, where only the
// status, the reply code and the text are known (codes missing from the
// fields are read from the text).
//
// It implements the vocabularies of RFC 3463 and the IANA registry of
// enhanced status codes (with RFC 7372, RFC 7505, RFC 8689), RFC 5321
// reply codes, RFC 7504 (521/556), RFC 3464 actions and RFC 5965 feedback
// types. Reasons, categories and default hardness are the table of
// ../shared/CONTRACT.md (reason.go).
//
// # Stages
//
// Classify tries, in order:
//
//  1. complaints (feedback type) and delivery reports (action);
//  2. providers (providers.go): rules of one provider, selected by the
//     remote MTA, the recipient's domain or a signature in the text, for
//     wordings and codes that mean something specific coming from it;
//  3. textRules (text_rules.go): wordings of real servers, most specific
//     first; a "user unknown" wording is refined by the SMTP command and
//     the status (refused after DATA, under X.2.0/X.2.1, or in a report
//     that proves neither stage nor address: filtered; at MAIL: rejected;
//     at connection or HELO: blocked);
//  4. the decoder's hint;
//  5. statusRules: specific enhanced status codes;
//  6. weakTextRules: generic words ("denied", "rejected", "policy");
//  7. a delayed action means expired; then fallbackRules: status classes
//     and reply codes; then an unexplained text is on_hold, nothing
//     undefined.
//
// Hard follows the contract, except that a host_unknown or not_accept the
// server called temporary (4.x.x, 4xx) is soft, and a Rule may set Hard
// where its wording proves it.
//
// # Adding a rule
//
// Find the table and the place: a provider's own wording goes in its
// Provider (add a Provider with its Hosts for a new one); a wording any
// server may write goes in textRules, in the rule of its reason, or in a
// new Rule placed before every rule whose wordings could occur in the same
// sentence with a wider meaning (the first matching rule wins). A rule is
// a Reason and conditions that must all hold:
//
//	{Reason: MailboxFull, Text: []string{"mailbox is full", "メールボックスがいっぱい"}},
//	{Reason: Filtered, Text: []string{"unknown user"}, Command: []string{"DATA"}},
//	{Reason: ExceedLimit, Status: []string{"x.2.3"}, Text: []string{"size"}},
//
// Wordings are lower case and matched against the diagnostic normalised
// once per call: lower-cased, white space folded, the reply-code prefixes
// of continued lines ("550-5.7.1 ") removed, every e-mail address replaced
// by "@". Their syntax:
//
//	"user unknown"     a plain substring
//	"|spam|"           a word: not inside a longer word, an address, a
//	                   host name or a URL ("|" on one side only: a
//	                   boundary on that side only)
//	"this user * account"  pieces in order, at most 100 bytes apart
//	"^: user unknown"  at the start of the text
//
// Status conditions are "5.7.26" (exact), "x.7.26" (either class) or a
// prefix ending in "." ("5.", "x.2."); reply codes are "550" or "5xx".
// Write wordings from the meaning of real servers' messages, never from
// one sample's full sentence, addresses or hosts. Then add a case to the
// tests (classify_test.go) and to testdata/cases.jsonl, run
// `go test ./classify -run golden -update`, review the golden diff, and
// score the corpus (see the project README).
package classify
