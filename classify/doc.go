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
// docs/reasons.md in the repository (reason.go; the project's output
// contract, ../shared/CONTRACT.md, fixes the same list).
//
// # Stages
//
// Classify tries, in order (the stage column of the rules files):
//
//  1. complaints (feedback type) and delivery reports (action);
//  2. provider:NAME: rules of one provider, selected by the remote MTA,
//     the recipient's domain (its host lines) or a signature in the text
//     (its sign lines), for wordings and codes that mean something
//     specific coming from it;
//  3. text: wordings of real servers, most specific first;
//  4. the decoder's hint;
//  5. status: specific enhanced status codes;
//  6. weak: generic words ("denied", "rejected", "policy");
//  7. a delayed action means expired; then fallback: status classes and
//     reply codes; then an unexplained text is on_hold, nothing
//     undefined.
//
// After a rule matched, only two tables may change its verdict, and each
// change names itself in Verdict.Rule after a "+": refine (a decoder's
// hint that says more than the text's reason, e.g. filtered for a "user
// unknown" text) and adjust (a "user unknown" refused at MAIL is
// rejected, at connection or HELO blocked, after DATA or under X.2.0 or
// X.2.1 filtered; a domain failure the server called temporary is soft).
// Where no SMTP command is known, an adjust line with wordings reads the
// stage from the server's own words (Postfix's "Recipient address
// rejected" is RCPT's, "End-of-data rejected" after DATA: rules
// 61-stage.tsv, named +stage:RCPT, +stage:DATA) before the adjustment
// that guesses it (+stage:unknown).
//
// # Rules files
//
// The rules are data: classify/rules/*.tsv, embedded, validated at start
// and by the tests. One line is one wording or one code, with six
// TAB-separated columns:
//
//	stage  prio  reason  match  when  source
//	text	380	mailbox_full	mailbox is full	-	Exim appendfile transport (...)
//	text	100	mailer_error	command output:	-	corpus:sisimai/lhost-postfix-01.eml (+1 more)
//	status	180	mailbox_full	status:x.2.2	-	RFC 3463 section 3.3 (...)
//	provider:google	0	host	gmail.com	-	Gmail SMTP errors and codes, https://...
//
// prio is the precedence inside the stage, lower first; the lines of a
// stage with one prio are one rule and must share its reason and its
// when column: any of its wordings (or codes) decides, none of its
// !wordings may occur. So a specific cause beats a generic one by a lower
// prio: a size-limit wording beside a generic 5.7.1 is message_too_big.
// when is "-" or conditions separated by ";": status=5.7.1,x.2. (codes
// or prefixes; "-" no status, "generic" a class only, X.0.0), code=550,5xx, command=RCPT,DATA,- ("-": none known),
// spoke=yes (the server said more than codes), hard=yes|no (only where
// the wording proves it), name=TEXT (shown instead of the wording),
// confidence=medium|low (a wording too vague for high); refine and
// adjust lines also take from=REASONS, hint=, hint!=, diagtype!=
// (RFC 3464 diagnostic-types, e.g. x-unix), status!=,
// command!=, action=- or *, temporary=yes and stages=. A refine line
// matches no wording; an adjust line may list wordings (and !wordings),
// and then holds only when one of them occurs; one whose reason is the
// verdict's own keeps it, ending the adjustments of the reason.
// source says where the line comes from: an RFC, an MTA's source or
// documentation, a provider's published error reference, or the corpus
// message that taught it when nothing better is known, written
// corpus:sisimai/FILE (+N more): the first message of the shared corpus
// (../shared/corpus/sisimai, by file name) whose text, normalised as
// below, holds the wording, and how many more hold it (corpus:FILE, with
// no folder, is the older short form). A line found in neither is
// marked "unattributed: WHY", which is not a citation. A rule of
// conditions with no wording that is this project's own decision (the
// refine lines) says "design: WHY", naming the part of this
// documentation that explains it; it is not a citation either, and a
// line with a wording may not use it. The test
// TestRules_everyLineHasProvenance refuses "legacy" (carried over, origin
// not recorded) and a corpus: source naming a message the corpus does
// not hold; TestRules_attributeFromCorpus (with -provenance) is the
// helper that looked the legacy wordings up in the corpus.
//
// Wordings are lower case and matched against the diagnostic normalised
// once per call: lower-cased, white space folded, the reply-code prefixes
// of continued lines ("550-5.7.1 ") removed, every e-mail address replaced
// by "@", and spellings of one word read alike: "e-mail" as "email", a
// contraction (straight or typographic apostrophe) as its words
// ("doesn't" as "does not", "can't" and "can not" as "cannot"). Wordings
// are read the same way, so either spelling of a wording matches both.
// Their syntax:
//
//	user unknown       a plain substring
//	|spam|             a word: not inside a longer word, an address, a
//	                   host name or a URL ("|" on one side only: a
//	                   boundary on that side only)
//	this user * account  pieces in order, at most 100 bytes apart
//	^: user unknown    at the start of the text
//
// Status codes are "5.7.26" (exact), "x.7.26" (either class) or a prefix
// ending in "." ("5.", "x.2."); reply codes are "550" or "5xx".
//
// # Confidence
//
// Every Verdict carries a Confidence: High when a specific status code,
// the report's structure or a rule with a cited source decided; Medium
// for a rule whose source is unattributed, the decoder's hint, generic words
// (weak) or a status class; Low for a bare reply code or the catch-all
// (on_hold, undefined). RuleSource names the source of the deciding line.
//
// # Operator rules
//
// LoadRules and LoadRulesFile read an operator's file of the same format
// and return the built-in rules with it added (bounced reads it from
// classify.rules_file or `bounced parse --rules FILE`): its rules are
// tried before built-in rules of the same stage and prio, and a wording
// it lists replaces that wording in the built-in rules of its stage. A
// line whose reason is "off" (its when "-") turns that built-in wording
// off and adds no rule: stage text, reason off, match "mailbox
// unavailable" stops the built-in text lines with that exact match from
// deciding (an operator's answer to a wording that misfires on their
// mail; TestLeaveOneOut uses it too); one that matches no built-in line
// of its stage is refused. A bad file is refused with its file name and
// line number. New(rules) makes a Classifier with them; Classify uses the
// built-in rules.
//
// # Adding a rule
//
// Find the stage and the place: a provider's own wording goes in its
// provider:NAME stage; a wording any server may write goes in text, in
// the rule (prio) of its reason, or in a new prio placed before every
// rule whose wordings could occur in the same sentence with a wider
// meaning. Write wordings from the meaning of real servers' messages,
// never from one sample's full sentence, addresses or hosts, and cite
// their source. Then add a case to the tests (classify_test.go) and to
// testdata/cases.jsonl, run `go test ./classify -run golden -update`,
// review the golden diff, and score the corpus (see the project README).
package classify
