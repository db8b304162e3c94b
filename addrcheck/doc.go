// Package addrcheck finds what is wrong with an e-mail address before a
// shop mails it, and says how to fix it: the syntax faults that Japanese
// carriers and shops' support pages name as causes of undelivered mail (a
// dot right before "@", a leading dot, consecutive dots, full-width
// characters, a comma typed for a dot, spaces, signs such as "/" and "?"),
// the length limits, mistyped provider domains (docomo.ne.jo, gmai.com),
// and, optionally, whether the domain can receive mail at all.
//
// It implements the address syntax of RFC 5322 3.2.3 and 3.4.1 (atext,
// dot-atom) and RFC 5321 4.1.2 (Mailbox, Local-part, Domain), the size
// limits of RFC 5321 4.5.3.1 with RFC 3696 erratum 1690 (254 octets an
// address), the label syntax of RFC 1035 2.3.1 and 2.3.4, the mail host
// rules of RFC 5321 5.1 (MX, else the implicit MX of an A/AAAA record) and
// the null MX of RFC 7505. Full-width text is folded by Unicode NFKC
// (UAX #15).
//
// The package is a library with no configuration and no I/O of its own:
// Check and Carrier are pure functions over an embedded domain table
// (domains.txt), and DNS is queried only through a Resolver the caller
// passes in Options.
//
//	r := addrcheck.Check("taro.@docomo.ne.jp")
//	// r.Faults[0].Code == addrcheck.CodeDotBeforeAt
//	// r.Suggestion == "taro@docomo.ne.jp", r.Carrier == "docomo"
//
// The near-miss rule: a domain that the table lists (or that lies under a
// "*." entry) is never reported. Any other domain is reported as a
// probable typo of a target domain when it is the same characters with the
// dots moved, the same name under a public suffix one edit away
// (docomo.ne.jo, gmail.co), a carrier's name under another .jp form
// (docomo.co.jp), or the same public suffix under a name a few edits away
// (gmai.com: one edit for names of 5 to 7 characters, two from 8, none
// below 5). When two targets are equally near, the fault names both and
// suggests neither. A real domain that sits close to a target belongs in
// the table (mail.com, email.com, softbank.co.jp); Options.Domains adds
// more.
package addrcheck
