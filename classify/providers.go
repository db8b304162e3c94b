package classify

import "strings"

// Provider is a mail provider whose wordings and codes mean something
// specific coming from it. Its rules are tried before the generic text
// rules when the remote MTA or the recipient's domain is one of its hosts,
// or the text carries one of its signatures; a wording no provider rule
// knows falls through to the generic tables.
type Provider struct {
	// Name appears in Verdict.Rule: "provider:NAME/...".
	Name string
	// Hosts are domain suffixes of its MX hosts and mail domains: a host
	// or a domain matches when it equals one or ends in "." + one.
	Hosts []string
	// Signs are wordings only its servers write (error-code URLs, code
	// prefixes), for when the host is unknown.
	Signs []string
	// Rules are tried in order.
	Rules []Rule

	signs []pattern
}

// findProvider returns the provider the facts come from, or nil.
func findProvider(f *facts) *Provider {
	for _, host := range []string{f.remote, f.domain} {
		if host == "" {
			continue
		}
		for i := range providers {
			for _, h := range providers[i].Hosts {
				if host == h || strings.HasSuffix(host, h) && host[len(host)-len(h)-1] == '.' {
					return &providers[i]
				}
			}
		}
	}
	if f.text == "" {
		return nil
	}
	for i := range providers {
		for j := range providers[i].signs {
			if providers[i].signs[j].in(&f.idx) {
				return &providers[i]
			}
		}
	}
	return nil
}

func compileProviders(ps []Provider) []Provider {
	for i := range ps {
		ps[i].Rules = compileRules(ps[i].Rules)
		for _, s := range ps[i].Signs {
			ps[i].signs = append(ps[i].signs, compilePattern(s))
		}
		for _, h := range ps[i].Hosts {
			if h == "" || strings.ToLower(h) != h {
				panic("classify: bad provider host " + h)
			}
		}
	}
	return ps
}

// providers, in the order they are tried. Sources: each provider's
// published error-code pages (Google Workspace SMTP errors, Microsoft
// "Email non-delivery reports in Exchange Online", Yahoo/AOL postmaster
// error codes, Apple iCloud mail server errors, Orange/La Poste error
// codes, GoDaddy "IB" codes, Cox "CX" codes, Spectrum "AUP#" codes,
// Tencent QQ mail help, Mimecast SMTP error codes, the Japanese carriers'
// notes for senders).
var providers = compileProviders([]Provider{
	{
		Name:  "google",
		Hosts: []string{"google.com", "googlemail.com", "gmail.com", "1e100.net"},
		Signs: []string{"|gsmtp|", "support.google.com/mail", "because the address couldn't be found. check for typos"},
		Rules: []Rule{
			{Reason: RateLimited, Text: []string{"receiving mail at a rate that prevents", "receiving mail too quickly", "rate of incoming mail", "?p=receivingrate", "has exceeded the daily", "too many messages to this user", "unusual rate of", "rate that prevents additional messages"}},
			{Reason: AuthFailure, Status: []string{"x.7.26", "x.7.27", "x.7.30"}},
			{Reason: AuthFailure, Text: []string{"unauthenticated email", "does not have authentication information", "fails to pass authentication checks", "authentication checks did not pass", "not pass authentication", "|dmarc|", "|spf|", "|dkim|", "sender is unauthenticated"}},
			{Reason: BadReputation, Text: []string{"low reputation", "poor reputation", "reputation of the sending"}},
			{Reason: SpamDetected, Text: []string{"likely unsolicited mail", "unsolicited mail", "likely spam", "suspicious due to the very low"}},
			{Reason: NotCompliantRFC, Text: []string{"not rfc 5322 compliant", "not rfc 5322", "?p=rfcmessagenoncompliant", "multiple addresses in from", "multiple from", "multiple subject", "missing a valid message-id", "message-id header"}},
			{Reason: PolicyViolation, Text: []string{"content presents a potential security issue", "blocked because its content", "attachment types", "executable", "?p=blockedmessage"}},
			{Reason: Suspended, Text: []string{"account that you tried to reach is disabled", "account that you tried to reach is inactive", "?p=disabledaccount"}},
			{Reason: MailboxFull, Text: []string{"over quota", "out of storage", "?p=overquotatemp", "?p=overquotaperm"}},
			{Reason: UserUnknown, Text: []string{"account that you tried to reach does not exist", "?p=nosuchuser", "address couldn't be found", "address could not be found"}},
			{Reason: RequirePTR, Text: []string{"ptr record", "reverse dns", "?p=ipv6authentication"}},
			{Reason: FailedSTARTTLS, Text: []string{"tls is required", "requires a secure connection", "?p=tls"}},
			{Reason: Blocked, Text: []string{"ip that has been blocked", "ip address is blocked", "sending ip is blocked", "blocked by the recipient"}},
		},
	},
	{
		Name: "microsoft",
		Hosts: []string{"outlook.com", "hotmail.com", "live.com", "msn.com", "office365.com", "protection.outlook.com",
			"hotmail.co.jp", "hotmail.co.uk", "hotmail.fr", "live.jp", "outlook.jp", "windowslive.com", "passport.com"},
		Signs: []string{"postmaster.live.com", "sender.office.com", "go.microsoft.com/fwlink", "prod.outlook.com", "protection.outlook.com", "resolver.adr."},
		Rules: []Rule{
			{Reason: Blocked, Status: []string{"x.7.606", "x.7.607", "x.7.608", "x.7.609", "x.7.610", "x.7.611", "x.7.612", "x.7.613", "x.7.614", "x.7.615", "x.7.616", "x.7.617", "x.7.618", "x.7.619", "x.7.620", "x.7.621", "x.7.622", "x.7.623", "x.7.624", "x.7.625", "x.7.626", "x.7.627", "x.7.628", "x.7.629", "x.7.630", "x.7.631", "x.7.632", "x.7.633", "x.7.634", "x.7.635", "x.7.636", "x.7.637", "x.7.638", "x.7.639", "x.7.640", "x.7.641", "x.7.642", "x.7.643", "x.7.644", "x.7.645", "x.7.646", "x.7.647", "x.7.648", "x.7.649", "x.7.708"}},
			{Reason: BadReputation, Status: []string{"x.7.650", "x.7.651", "x.7.652"}},
			{Reason: AuthFailure, Status: []string{"x.7.509", "x.7.510", "x.7.515", "x.7.23", "x.7.26"}},
			{Reason: Rejected, Status: []string{"x.7.750", "x.7.705", "x.7.703"}},
			// Exchange Online refuses DATA with "All recipient addresses
			// rejected : Access denied" when the tenant refuses the whole
			// transaction from this sender (each recipient refused at RCPT
			// reads "Recipient address rejected: Access denied").
			{Reason: Rejected, Text: []string{"all recipient addresses rejected"}},
			{Reason: RateLimited, Status: []string{"x.7.700"}},
			{Reason: UserUnknown, Text: []string{"recipientnotfound", "recipient not found", "recipient address rejected: access denied", "mailbox unavailable", "|mailbox not found|", "requested action not taken: mailbox unavailable"}},
			{Reason: Blocked, Text: []string{"on our block list", "banned sending ip", "weren't sent", "were not sent", "ip address is on", "blocked using", "(s3140)", "(s3150)", "sc-001", "sc-002", "sc-003", "sc-004", "dy-001", "dy-002", "ou-001", "ou-002", "(as1"}},
			{Reason: BadReputation, Text: []string{"ip reputation", "rate limited due to", "sending ip reputation"}},
			{Reason: NetworkError, Text: []string{"hop count exceeded", "routing loop"}},
			{Reason: HostUnknown, Text: []string{"domain is not reachable", "domain not found", "dns lookup failed"}},
			{Reason: RequirePTR, Text: []string{"mismatches client ip", "reverse dns", "ptr record"}},
			{Reason: SystemError, Text: []string{"|transaction failed|"}},
		},
	},
	{
		Name: "yahoo",
		Hosts: []string{"yahoodns.net", "yahoo.com", "yahoo.co.uk", "yahoo.fr", "yahoo.de", "yahoo.co.in", "ymail.com",
			"rocketmail.com", "aol.com", "aim.com", "verizon.net", "aol.co.uk", "yahoo.com.br", "yahoo.es", "yahoo.it"},
		Signs: []string{"postmaster.yahooinc.com", "postmaster.verizonmedia.com", "postmaster.yahoo.com", "help.yahoo.com", "postmaster.aol.com"},
		Rules: []Rule{
			{Reason: BadReputation, Text: []string{"[ts01]", "[ts02]", "[tss01]", "[tss02]", "[tss04]", "[ts04]", "[tss09]", "[tss11]", "user complaints", "unexpected volume", "temporarily deferred"}},
			{Reason: Blocked, Text: []string{"[ts03]", "[tss03]", "[bl21]", "[bl22]", "[bl23]", "permanently deferred", "spamhaus", "is in a black list", "ip is in"}},
			{Reason: PolicyViolation, Text: []string{"not accepted for policy reasons", "[mts01]", "[hm"}},
			{Reason: Suspended, Text: []string{"disabled or discontinued", "[#102]", "account is disabled", "inactive"}},
			{Reason: UserUnknown, Text: []string{"this user doesn't have a", "this user does not have a", "mailbox not found", "mailbox unavailable", "[#101]"}},
			{Reason: MailboxFull, Text: []string{"over quota", "mailbox is full", "full mailbox"}},
			{Reason: AuthFailure, Text: []string{"|dmarc|", "|spf|", "|dkim|", "authentication"}},
			{Reason: RateLimited, Text: []string{"[gl01]", "too many messages", "rate limit"}},
			{Reason: TooManyConnections, Text: []string{"too many connections", "[sm"}},
		},
	},
	{
		Name:  "apple",
		Hosts: []string{"icloud.com", "me.com", "mac.com", "mail.icloud.com", "apple.com"},
		Signs: []string{"support.apple.com/en-us/ht204137", "support.apple.com/kb/ht204137"},
		Rules: []Rule{
			{Reason: AuthFailure, Text: []string{"|dmarc|", "|spf|", "|dkim|"}},
			{Reason: UserUnknown, Text: []string{"user does not exist", "no such user", "user unknown"}},
			{Reason: MailboxFull, Text: []string{"over quota", "mailbox is full"}},
			{Reason: Suspended, Text: []string{"account is disabled", "user is disabled"}},
			{Reason: Blocked, Text: []string{"[cs01]", "[cs02]", "blocked - see", "ip address", "dnsbl"}},
			{Reason: PolicyViolation, Text: []string{"[hm08]", "due to local policy", "local policy"}},
			{Reason: RateLimited, Text: []string{"too many messages", "rate limit", "[cs05]"}},
		},
	},
	{
		Name:  "godaddy",
		Hosts: []string{"secureserver.net", "godaddy.com"},
		Signs: []string{"|ib101|", "|ib102|", "|ib103|", "|ib104|", "|ib105|", "|ib106|", "|ib108|", "|ib110|", "|ib111|", "|ib112|", "|ib113|", "|ib212|", "|ib401|", "|ib501|", "|ib502|", "|ib504|", "|ib506|", "|ib507|", "|ib508|", "|ib510|", "|ib605|", "|ib607|", "|ib705|"},
		Rules: []Rule{
			{Reason: Blocked, Text: []string{"|ib101|", "|ib102|", "|ib103|", "|ib104|", "|ib105|", "|ib106|", "|ib108|", "|ib110|", "|ib111|", "|ib112|", "|ib113|"}},
			{Reason: MailboxFull, Text: []string{"|ib212|"}},
			{Reason: RequirePTR, Text: []string{"|ib401|", "|ib501|"}},
			{Reason: Rejected, Text: []string{"|ib502|", "|ib506|", "|ib507|", "|ib508|"}},
			{Reason: RateLimited, Text: []string{"|ib504|", "|ib607|"}},
			{Reason: TooManyConnections, Text: []string{"|ib510|"}},
			{Reason: UserUnknown, Text: []string{"|ib605|"}},
			{Reason: VirusDetected, Text: []string{"|ib705|"}},
		},
	},
	{
		Name: "franceptt",
		Hosts: []string{"orange.fr", "wanadoo.fr", "laposte.net", "orange.com", "francetelecom.fr", "voila.fr",
			"nordnet.fr", "sfr.fr", "neuf.fr", "free.fr"},
		Signs: []string{"|ofr000_", "|ofr001_", "|ofr004_", "|ofr005_", "|ofr006_", "|lpn000_", "|lpn001_", "|lpn007_", "|lpn105_"},
		Rules: []Rule{
			{Reason: UserUnknown, Text: []string{"adresse destinataire invalide", "destinataire inconnu", "invalid recipient", "utilisateur inconnu", "user unknown", "mailbox not found"}, Command: []string{"", "RCPT"}},
			{Reason: Suspended, Text: []string{"compte du destinataire est bloque", "recipient account is blocked", "compte bloque"}},
			{Reason: MailboxFull, Text: []string{"boite du destinataire pleine", "mailbox full", "quota"}},
			// Orange's OFR_506: the message was refused as spam.
			{Reason: SpamDetected, Text: []string{"|ofr_506|", "|ofr506|"}},
			{Reason: Blocked, Text: []string{"adresse ip source bloquee", "client host blocked", "ip source bloquee", "|ofr006_", "|ofr004_"}},
			{Reason: Blocked, Text: []string{"service refuse", "service refused"}, Code: []string{"5xx"}},
			{Reason: SystemError, Text: []string{"service refuse", "service refused"}},
			{Reason: RateLimited, Text: []string{"trop de messages", "too many messages"}},
			{Reason: TooManyConnections, Text: []string{"trop de connexions", "too many connections"}},
		},
	},
	{
		Name:  "kddi",
		Hosts: []string{"ezweb.ne.jp", "au.com", "auone-net.jp", "biz.ezweb.ne.jp"},
		Rules: []Rule{
			// au's own notice says a disabled account in words ("The
			// user(s) account is disabled.") above the SMTP reply.
			{Reason: Suspended, Text: []string{"account is disabled"}},
			// au answers "550 <addr>: User unknown" to RCPT for an unknown
			// mailbox, and "550 : User unknown", with no address, after
			// DATA when the recipient's own filter refuses the sender.
			{Reason: Filtered, Text: []string{"|550 : user unknown", "|550: : user unknown", "^: user unknown"}, Command: []string{"", "DATA"}, Name: "user unknown after data"},
			{Reason: Filtered, Text: []string{"user unknown", "unknown user"}, Command: []string{"DATA"}},
			{Reason: UserUnknown, Text: []string{"@>: user unknown", ">: user unknown", "user unknown"}},
			{Reason: MailboxFull, Text: []string{"mailbox full", "over quota", "552 too much mail data"}},
		},
	},
	{
		Name:  "docomo",
		Hosts: []string{"docomo.ne.jp", "mopera.net", "dwmail.jp"},
		Rules: []Rule{
			{Reason: TooManyConnections, Text: []string{"too many recipients"}},
			{Reason: MailboxFull, Text: []string{"too much mail data"}},
			{Reason: SyntaxError, Text: []string{"bad sequence of commands", "command parameter not implemented"}},
			// docomo refuses after DATA with "Unknown user" when the
			// recipient's designated-reception settings refuse the
			// sender's address or domain: the sender is rejected. Under a
			// mailbox-status code (X.2.x, the sending MTA's reading) or
			// with no command it is the recipient's filter.
			{Reason: UserUnknown, Text: []string{"unknown user", "user unknown"}, Command: []string{"RCPT"}},
			{Reason: UserUnknown, Text: []string{"unknown user", "user unknown"}, Status: []string{"x.1.1"}},
			{Reason: Filtered, Text: []string{"unknown user", "user unknown"}, Status: []string{"x.2."}},
			{Reason: Rejected, Text: []string{"unknown user", "user unknown"}, Command: []string{"DATA"}},
			{Reason: Filtered, Text: []string{"unknown user", "user unknown"}},
		},
	},
	{
		Name:  "softbank",
		Hosts: []string{"softbank.ne.jp", "i.softbank.jp", "disney.ne.jp", "vodafone.ne.jp"},
		Rules: []Rule{
			{Reason: UserUnknown, Text: []string{"invalid recipient", "unknown user", "user unknown"}, Command: []string{"", "RCPT"}},
			{Reason: Filtered, Text: []string{"invalid recipient", "unknown user", "user unknown"}, Command: []string{"DATA"}},
		},
	},
	{
		Name:  "tencent",
		Hosts: []string{"qq.com", "foxmail.com", "exmail.qq.com", "tencent.com"},
		Signs: []string{"service.mail.qq.com", "service.exmail.qq.com"},
		Rules: []Rule{
			{Reason: TooManyConnections, Text: []string{"ip frequency limited", "connection frequency limited", "domain frequency limited", "frequency limited", "too many connections"}},
			{Reason: BadReputation, Text: []string{"ip/domain reputation problems", "reputation"}},
			{Reason: RateLimited, Text: []string{"sender frequency limited", "ip sender frequency", "mail quota limited"}},
			{Reason: SpamDetected, Text: []string{"mail content denied", "content denied", "spam"}},
			{Reason: UserUnknown, Text: []string{"mailbox not found", "|user not found", "no such user"}},
			{Reason: Suspended, Text: []string{"mailbox unavailable or access denied", "mailbox is frozen", "mailbox frozen"}},
			{Reason: Filtered, Text: []string{"rejected by recipients", "rejected by recipient"}},
			{Reason: MessageTooBig, Text: []string{"message too large", "message is too large", "size limit"}},
			{Reason: Rejected, Text: []string{"sender address rejected", "bad sender"}},
			{Reason: Blocked, Text: []string{"ip is rejected", "blocked ip", "ip blocked"}},
		},
	},
	{
		Name:  "mimecast",
		Hosts: []string{"mimecast.com", "mimecast.co.za", "mimecast-offshore.com"},
		Signs: []string{"community.mimecast.com", "mimecast.com/docs"},
		Rules: []Rule{
			// Mimecast's "Host network not allowed": an administrator's
			// permitted-senders policy refuses the sending network.
			{Reason: PolicyViolation, Text: []string{"host network not allowed", "rejected by policy", "policy"}},
			{Reason: VirusDetected, Text: []string{"virus", "malware", "mcvirus"}},
			{Reason: Blocked, Text: []string{"ip found in rbl", "blocked by a real-time block list", "rbl", "|blocked|"}},
			{Reason: UserUnknown, Text: []string{"invalid recipient", "recipient rejected", "user unknown"}},
			{Reason: SpamDetected, Text: []string{"mcspamsignature", "spam signature", "spam"}},
			{Reason: PolicyViolation, Text: []string{"rejected due to security policies"}},
		},
	},
	{
		Name:  "iua",
		Hosts: []string{"i.ua", "email.ua", "mail.i.ua"},
		Signs: []string{"mail.i.ua/err/"},
		Rules: []Rule{
			{Reason: UserUnknown, Text: []string{"/err/1/", "/err/2/", "no such user", "unknown user"}},
			{Reason: Suspended, Text: []string{"/err/3/", "mailbox is frozen"}},
			{Reason: MailboxFull, Text: []string{"/err/4/", "over quota", "mailbox full"}},
			{Reason: SpamDetected, Text: []string{"/err/5/", "spam"}},
			{Reason: Blocked, Text: []string{"/err/6/", "/err/7/", "/err/8/"}},
		},
	},
	{
		Name:  "zoho",
		Hosts: []string{"zoho.com", "zohomail.com", "zoho.eu", "zoho.in", "zohomail.eu"},
		Rules: []Rule{
			{Reason: AuthFailure, Text: []string{"|dmarc|", "|spf|", "|dkim|"}},
			{Reason: UserUnknown, Text: []string{"mailbox not found", "invalid address", "user unknown", "no such user"}, Command: []string{"", "RCPT"}},
			{Reason: MailboxFull, Text: []string{"quota exceeded", "mailbox full", "over quota"}},
			{Reason: Blocked, Text: []string{"ip address is blocked", "blocked"}},
		},
	},
	{
		Name:  "cox",
		Hosts: []string{"cox.net", "cox.com"},
		Signs: []string{"|cxbl|", "|cxdns|", "|cxsndr|", "|cxmxrt|", "|cxcnct|", "|cxrcpt|", "|cxdmarc|", "|cxsmtp|", "|cxmj|", "|cxthrt|", "|cxtls|", "|ipbl0001|", "|ipbl0010|", "|ipbl0100|", "|ipbl0110|", "|ipbl1000|", "|ipbl1001|", "|ipbl1010|", "|ipbl1011|", "|urlbl011|", "|urlbl101|", "|urlbl110|", "|urlbl1001|"},
		Rules: []Rule{
			{Reason: Blocked, Text: []string{"|cxbl|", "|cxthrt|", "|ipbl"}},
			{Reason: RequirePTR, Text: []string{"|cxdns|", "reverse dns", "rdns"}},
			{Reason: Rejected, Text: []string{"|cxsndr|", "|cxsmtp|"}},
			{Reason: RateLimited, Text: []string{"|cxmxrt|"}},
			{Reason: TooManyConnections, Text: []string{"|cxcnct|"}},
			{Reason: UserUnknown, Text: []string{"|cxrcpt|"}},
			{Reason: AuthFailure, Text: []string{"|cxdmarc|"}},
			{Reason: SpamDetected, Text: []string{"|cxmj|", "|urlbl"}},
			{Reason: FailedSTARTTLS, Text: []string{"|cxtls|"}},
		},
	},
	{
		Name:  "spectrum",
		Hosts: []string{"charter.net", "rr.com", "twc.com", "spectrum.net", "brighthouse.com", "roadrunner.com"},
		Signs: []string{"aup#"},
		Rules: []Rule{
			{Reason: Blocked, Text: []string{"aup#i-1", "aup#bl", "aup#o-1", "aup#cxbl"}},
			{Reason: TooManyConnections, Text: []string{"aup#cnct", "aup#1270"}},
			{Reason: RateLimited, Text: []string{"aup#mxrt", "aup#1260", "aup#in-1", "aup#out-1"}},
			{Reason: RequirePTR, Text: []string{"aup#dns", "aup#rdns"}},
			{Reason: UserUnknown, Text: []string{"aup#rcpt", "aup#1200"}},
			{Reason: Rejected, Text: []string{"aup#sndr", "aup#1010"}},
		},
	},
	{
		Name:  "amazonses",
		Hosts: []string{"amazonses.com", "amazonaws.com"},
		Rules: []Rule{
			{Reason: NoRelaying, Text: []string{"email address is not verified", "identities failed the check", "not authorized to send from"}},
			{Reason: Suppressed, Text: []string{"suppression list", "has suppressed sending", "recent history of bouncing"}},
			{Reason: SecurityError, Text: []string{"account not subscribed to ses", "sending paused", "account is suspended", "signature we calculated does not match"}},
			{Reason: NotCompliantRFC, Text: []string{"duplicate header", "illegal header", "invalid header"}},
		},
	},
})
