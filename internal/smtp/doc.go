// Package smtp is the SMTP vocabulary that the decoder (package bounce),
// the classifier (package classify) and the suppression store share, so
// that each reads a status code, a reply code, a command or an address in
// one way:
//
//   - FindStatus, StatusLen and GenericStatus read RFC 3463 enhanced
//     status codes (with the IANA registry's three-digit details such as
//     5.7.650);
//   - FindReplyCode, LeadingReplyCode and IsReplyCode read RFC 5321
//     section 4.2 reply codes;
//   - Command and ParseCommand name the SMTP stage a server refused
//     (RFC 5321 section 4.1, RFC 2033 for LHLO, RFC 3207 for STARTTLS,
//     RFC 4954 for AUTH, RFC 3030 for BDAT);
//   - NormalizeAddress and Key read an address as reports and operators
//     write it (RFC 3464 section 2.3.2 address types, RFC 5321 section
//     4.1.2 quoted local parts and 4.1.3 address literals).
//
// It has no I/O and no state.
package smtp
