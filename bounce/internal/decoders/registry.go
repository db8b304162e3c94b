package decoders

// A decoder reads one format of message. The registry below lists every
// stage Decode runs, in the order it runs them.
type decoder struct {
	// name is the format reported for messages it reads.
	name string
	// family groups formats by who writes them (the family constants).
	family string
	// match is the cheap test that picks the decoder: it reads only the
	// top-level header (From, Subject, Received and marker fields), never
	// the body (TestRegistry_matchReadsHeadersOnly). nil means the format
	// has no mark in the header and decode is tried on every message that
	// reaches it.
	match func(m *message) bool
	// decode returns the report, or nil when the message is not of its
	// format after all. A decoder whose format shows only in the body
	// checks the body here (sniffed wraps such a check).
	decode func(m *message) *Report
}

// The families of the registry, in the order they come in it.
const (
	familyComplaint = "complaint" // RFC 5965 feedback reports and their kin
	familyProvider  = "provider"  // large mail providers and sending services
	familyAppliance = "appliance" // mail appliances, gateways, smaller providers
	familyCarrier   = "carrier"   // Japanese mobile carriers and ISPs
	familyMTA       = "mta"       // general-purpose MTAs
	familyStandard  = "standard"  // the generic RFC 3464 / RFC 6533 reader
	familyAutoReply = "autoreply" // RFC 3834 auto-replies
	familyFallback  = "fallback"  // last resorts: plain text, then VERP
)

// registry is every stage of Decode, tried in this order; the first that
// returns a report naming a recipient (or an auto-reply or complaint)
// wins, and a message no stage claims is not a bounce.
//
// The order, and why:
//
//  1. Complaints first: an ARF report is a multipart/report too, and
//     providers send both kinds from the same addresses; its
//     message/feedback-report part decides, so no DSN reader may claim it.
//  2. Providers, picked by their headers and From: they wrap other
//     formats, so the wrapper must read before what it wraps. Office 365
//     NDRs are Exchange NDRs and are relayed through Amazon SES; Amazon
//     WorkMail sends through SES; Google Groups and Workspace bounces come
//     from Gmail's mailer-daemon: each is tried before what it resembles.
//  3. Appliances and gateways, header-marked ones first; those recognised
//     only by their text (Notes, Domino) last.
//  4. Japanese carriers, by sender domain.
//  5. General-purpose MTAs: Sendmail before its DSN-less V5 ancestor,
//     qmail before the qmail-derived X2 and X4 notices, the nested-bounce
//     reader X5 last. A provider matched by a header comes before all of
//     them, since most providers run one of these MTAs underneath.
//  6. The generic RFC 3464 reader: any delivery-status part that no
//     format above claimed.
//  7. Auto-replies (RFC 3834), before the text fallback, so that a
//     vacation message that quotes an address is not read as a bounce; a
//     mail-system sender is never an auto-reply.
//  8. A bounce forwarded as an attachment (mailing-list software, a list
//     owner), read with the stages above; then the plain-text fallback,
//     then the VERP return path: the recipient
//     encoded in the address the bounce was sent to, for a message that
//     looks like a bounce but names no recipient in words.
var registry = []decoder{
	// 1. Complaints.
	{name: "arf", family: familyComplaint, decode: decodeARF},

	// 2. Providers.
	{name: "office365", family: familyProvider, match: matchOffice365, decode: decodeOffice365},
	{name: "amazonworkmail", family: familyProvider, match: matchAmazonWorkMail, decode: decodeAmazonWorkMail},
	{name: "amazonses", family: familyProvider, match: matchAmazonSES, decode: decodeAmazonSES},
	{name: "receivingses", family: familyProvider, decode: sniffed(matchReceivingSES, decodeReceivingSES)},
	{name: "googlegroups", family: familyProvider, match: matchGoogleGroups, decode: decodeGoogleGroups},
	{name: "googleworkspace", family: familyProvider, decode: sniffed(matchGoogleWorkspace, decodeGoogleWorkspace)},
	{name: "gmail", family: familyProvider, match: matchGmail, decode: decodeGmail},
	{name: "exchange2007", family: familyProvider, decode: sniffed(func(m *message) bool { return matchExchange2007(m) || matchExchangeText(m) }, decodeExchange2007)},
	{name: "exchange2003", family: familyProvider, match: matchExchange2003, decode: decodeExchange2003},
	{name: "outlook", family: familyProvider, match: matchOutlook, decode: decodeOutlook},
	{name: "yahoo", family: familyProvider, match: matchYahoo, decode: decodeYahoo},
	{name: "sendgrid", family: familyProvider, decode: sniffed(matchSendGrid, decodeSendGrid)},

	// 3. Appliances and gateways.
	{name: "mcafee", family: familyAppliance, decode: sniffed(matchMcAfee, decodeMcAfee)},
	{name: "activehunter", family: familyAppliance, match: matchActiveHunter, decode: decodeActiveHunter},
	{name: "mfilter", family: familyAppliance, decode: sniffed(matchMFilter, decodeMFilter)},
	{name: "imailserver", family: familyAppliance, decode: sniffed(matchIMailServer, decodeIMailServer)},
	{name: "surfcontrol", family: familyAppliance, match: matchSurfControl, decode: decodeSurfControl},
	{name: "mxlogic", family: familyAppliance, match: matchMXLogic, decode: decodeMXLogic},
	{name: "mailfoundry", family: familyAppliance, match: matchMailFoundry, decode: decodeMailFoundry},
	{name: "zoho", family: familyAppliance, match: matchZoho, decode: decodeZoho},
	{name: "yandex", family: familyAppliance, match: matchYandex, decode: decodeYandex},
	{name: "mailru", family: familyAppliance, match: matchMailRu, decode: decodeMailRu},
	{name: "gmx", family: familyAppliance, match: matchGMX, decode: decodeGMX},
	{name: "einsundeins", family: familyAppliance, match: matchEinsUndEins, decode: decodeEinsUndEins},
	{name: "biglobe", family: familyAppliance, match: matchBiglobe, decode: decodeBiglobe},
	{name: "verizon", family: familyAppliance, match: matchVerizon, decode: decodeVerizon},
	{name: "bigfoot", family: familyAppliance, match: matchBigfoot, decode: decodeBigfoot},
	{name: "messagingserver", family: familyAppliance, match: matchMessagingServer, decode: decodeMessagingServer},
	{name: "powermta", family: familyAppliance, decode: sniffed(matchPowerMTA, decodePowerMTA)},
	{name: "mimecast", family: familyAppliance, match: matchMimecast, decode: decodeMimecast},
	{name: "barracuda", family: familyAppliance, decode: sniffed(matchBarracuda, decodeBarracuda)},
	{name: "amavis", family: familyAppliance, decode: sniffed(matchAmavis, decodeAmavis)},
	{name: "trendmicro", family: familyAppliance, match: matchTrendMicro, decode: decodeTrendMicro},
	{name: "domino", family: familyAppliance, match: matchDomino, decode: decodeDomino},
	{name: "notes", family: familyAppliance, decode: sniffed(matchNotes, decodeNotes)},

	// 4. Japanese carriers.
	{name: "ezweb", family: familyCarrier, match: matchEZweb, decode: decodeEZweb},
	{name: "kddi", family: familyCarrier, match: matchKDDI, decode: decodeKDDI},

	// 5. General-purpose MTAs.
	// maddy writes its report in Postfix's likeness: tried before it.
	{name: "maddy", family: familyMTA, decode: sniffed(sniffMaddy, decodeMaddy)},
	{name: "mox", family: familyMTA, decode: sniffed(sniffMox, decodeMox)},
	{name: "postfix", family: familyMTA, match: matchPostfix, decode: decodePostfix},
	{name: "sendmail", family: familyMTA, decode: sniffed(matchSendmail, decodeSendmail)},
	{name: "v5sendmail", family: familyMTA, decode: sniffed(matchV5Sendmail, decodeV5Sendmail)},
	{name: "exim", family: familyMTA, match: matchExim, decode: decodeExim},
	{name: "qmail", family: familyMTA, decode: sniffed(matchQmail, decodeQmail)},
	{name: "courier", family: familyMTA, match: matchCourier, decode: decodeCourier},
	{name: "opensmtpd", family: familyMTA, match: matchOpenSMTPD, decode: decodeOpenSMTPD},
	{name: "dragonfly", family: familyMTA, decode: sniffed(matchDragonFly, decodeDragonFly)},
	{name: "nullmailer", family: familyMTA, match: matchNullmailer, decode: decodeNullmailer},
	{name: "fml", family: familyMTA, match: matchFML, decode: decodeFML},
	{name: "x1", family: familyMTA, match: matchX1, decode: decodeX1},
	{name: "x2", family: familyMTA, match: matchX2, decode: decodeX2},
	{name: "x3", family: familyMTA, match: matchX3, decode: decodeX3},
	{name: "x4", family: familyMTA, match: matchX4, decode: decodeX4},
	{name: "x6", family: familyMTA, match: matchX6, decode: decodeX6},
	{name: "x5", family: familyMTA, decode: sniffed(matchX5, decodeX5)},

	// 6. The generic delivery-status reader.
	{name: "rfc3464", family: familyStandard, decode: decodeGenericDSN},
	// A delivery event in JSON, by RFC 3464's fields.
	{name: "json", family: familyStandard, decode: decodeJSONNotice},

	// 7. Auto-replies.
	{name: "rfc3834", family: familyAutoReply, match: matchAutoReply, decode: decodeAutoReply},
	// A help desk's acknowledgement of a new ticket (ticketack.go).
	{name: "ticketack", family: familyAutoReply, decode: sniffed(matchTicketAck, decodeTicketAck)},

	// 8. Last resorts.
	{name: "forwarded", family: familyFallback, decode: decodeForwarded},
	{name: "text", family: familyFallback, decode: decodeText},
	{name: "verp", family: familyFallback, match: matchVERP, decode: decodeVERP},
}

// sniffed returns a decode that first runs sniff, a test of the body that
// a format without a header mark is recognised by (a marker line, a
// product's field in the delivery-status part), and decodes only when it
// passes.
func sniffed(sniff func(m *message) bool, decode func(m *message) *Report) func(m *message) *Report {
	return func(m *message) *Report {
		if !sniff(m) {
			return nil
		}
		return decode(m)
	}
}
