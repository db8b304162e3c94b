package classify

// textRules are the wordings of real servers (Postfix, Exim, Sendmail,
// qmail, Exchange, Domino, Courier, OpenSMTPD, the big providers and the
// Japanese carriers), in English, Japanese and a little French. They are
// tried in order and the first rule with a matching wording decides, so a
// rule must come before every rule whose wordings could occur in the same
// sentence with a more general meaning: "relay access denied" before
// "access denied", "unroutable sender address" before "unroutable
// address", SPF/DMARC and reputation texts (which often end in "to protect
// our users from spam") before spam.
var textRules = compileRules([]Rule{
	// Local delivery agents: a pipe or a program failed, whatever it said.
	{Reason: MailerError, Not: []string{"quota"}, Text: []string{"procmail:", "|procmail|", "bin/procmail", "maildrop:", "bin/maildrop", "mailer error", "command died with status", "command failed:", "command output:", "pipe to |", "|x-unix;", "local delivery failed", "delivery to a pipe failed", "couldn't create \"/", "exit status"}},

	// Sender refused by address verification or by an ESP's own account
	// checks: these sentences name the sender, not the recipient.
	{Reason: NoRelaying, Text: []string{"email address is not verified", "identities failed the check", "relay access denied", "relaying denied", "relay denied", "relay not permitted", "relaying not permitted", "not permitted to relay", "relay prohibited", "relaying prohibited", "unable to relay", "not allowed to relay", "relaying not allowed", "relaying is not allowed", "relaying mail to * is not allowed", "we do not relay", "no relaying", "relay not allowed", "relaying disallowed", "relay access is denied", "not configured to relay", "isn't in my list of allowed rcpthosts", "is not in my list of allowed rcpthosts", "not in my list of allowed rcpthosts", "not a gateway", "you are not allowed to relay", "closed relay", "mail relay denied", "insecure mail relay", "中継を拒否", "リレーを拒否"}},
	{Reason: Suppressed, Text: []string{"suppression list", "has suppressed sending", "recent history of bouncing", "address is suppressed", "on the suppressed list", "is suppressed"}},

	// Too many connections, rate limits, reputation: before "blocked",
	// which their sentences often contain.
	{Reason: TooManyConnections, Text: []string{"too many connections", "too many concurrent", "too many simultaneous", "too many open connections", "too many sessions", "too many smtp sessions", "connection rate limit", "connection limit", "connections limit", "maximum number of connections", "max connections", "frequency limited", "connection frequency", "too many recipients", "too many rcpt", "recipient limit", "max recipients", "maximum number of recipients", "too many hosts", "接続数"}},
	{Reason: BadReputation, Text: []string{"low reputation", "poor reputation", "bad reputation", "ip reputation", "domain reputation", "sender reputation", "sending reputation", "reputation of the sending", "reputation problem", "reputation score", "due to reputation", "unexpected volume or user complaints", "user complaints", "[ts01]", "[ts02]", "[tss04]", "[ts04]", "senderscore", "sender score"}},
	{Reason: RateLimited, Text: []string{"receiving mail at a rate", "rate that prevents additional messages", "receiving mail too quickly", "rate limit", "rate-limit", "ratelimit", "rate limited", "too many messages", "too many mails", "too many emails", "too many e-mails", "sending too fast", "too fast", "try again slower", "slow down", "throttled", "throttling", "message rate", "sending rate", "sending limit", "send limit", "exceeded the maximum number of messages", "daily sending quota", "hourly sending", "messages per hour", "messages per day", "per hour limit", "daily limit", "送信数の上限", "送信制限"}, Not: []string{"too many messages on the server", "too many messages in", "too many messages stored"}},

	// A spam verdict that goes on to advise on SPF or DKIM.
	{Reason: SpamDetected, Text: []string{"spam classification", "rejected due to spam", "rejected as spam", "classified as spam", "detected as spam"}},
	// Sender authentication (SPF, DKIM, DMARC, ARC): the message failed
	// its domain's published policy.
	{Reason: AuthFailure, Text: []string{"|dmarc|", "|spf|", "|dkim|", "sender policy framework", "domainkeys", "unauthenticated email", "unauthenticated mail", "does not have authentication information", "fails to pass authentication", "failed to pass authentication", "not pass authentication", "authentication checks", "|arc| validation", "is not allowed to send from", "not designated as permitted sender", "not a permitted sender", "sender id check failed", "senderid", "domain authentication", "なりすまし"}},
	// SMTP AUTH, encryption, credentials: the client's session was refused.
	{Reason: FailedSTARTTLS, Text: []string{"starttls", "tls required", "tls is required", "requires tls", "require tls", "requiretls", "tls negotiation", "tls handshake", "does not support tls", "not support tls", "tls not available", "tls connection required", "encryption required", "must use tls", "secure connection required", "requires a secure connection", "unencrypted connection"}},
	{Reason: SecurityError, Text: []string{"unauthenticated senders not allowed", "sender is not authenticated", "authentication required", "authentication is required", "must authenticate", "you must authenticate", "not authenticated", "authentication failure", "authentication failed", "authentication credentials invalid", "invalid credentials", "delivery not authorized", "account not subscribed to ses", "smtp auth", "auth required", "mail from not owned by user", "sender not authorized", "not authorized to send", "you are not authorized", "executable files are not allowed", "certificate", "security policy", "security reasons"}},

	// The client host (IP address, host name, HELO).
	{Reason: RequirePTR, Text: []string{"ptr record", "ptr resource record", "ptr-record", "|ptr|", "reverse dns", "reverse-dns", "reverse lookup", "reverse hostname", "reverse name", "|rdns|", "no rdns", "dns ptr", "generic dns", "cannot find your hostname", "can't find your hostname", "cannot find your reverse hostname", "cannot resolve your hostname", "could not resolve your hostname", "ip name lookup failed", "unresolvable relay host name", "hostname does not resolve", "unverifyable sending ip", "unverifiable sending ip", "mismatches client ip", "does not match your ip", "forward dns entry does not point to the sending ip", "hostname lookup failed", "no hostname", "逆引き"}},
	{Reason: NotCompliantRFC, Text: []string{"not rfc 5322 compliant", "not rfc5322 compliant", "rfc 5322", "rfc5322", "rfc 2822", "rfc2822", "rfc 822", "rfc822 compliant", "?p=rfcmessagenoncompliant", "duplicate header", "multiple addresses in from", "multiple from", "multiple subject", "more than one from", "missing message-id", "no message-id", "missing date header", "bare lf", "bare <lf>", "bare linefeed", "invalid header", "malformed header", "header is not valid", "header syntax"}},

	// Content: viruses first (their notices often say "spam or virus").
	{Reason: VirusDetected, Text: []string{"virus", "|malware|", "infected", "trojan", "ウイルス", "ウィルス"}, Not: []string{"virus or spam content"}},
	{Reason: PolicyViolation, Text: []string{"content presents a potential security issue", "for policy reasons", "denied by policy", "blocked by policy", "rejected by policy", "rejected by organization policy", "organizational settings", "organization policy", "local policy", "policy violation", "violates our", "violation of our", "against our policy", "against policy", "prohibited attachment", "illegal attachment", "attachment is not allowed", "attachments are not allowed", "attachment type", "file type is not allowed", "not accepting mail with attachments", "containing images or other attachments", "header error", "mass mailer", "message given low priority", "email rejected due to security policies", "policy rejection", "policy restriction", "protocol violation", "ポリシー"}},
	{Reason: ContentError, Text: []string{"improper use of 8-bit data", "8-bit data in message header", "8bit data", "invalid mime", "mime headers", "mime complexity", "improperly-formatted binary content", "unnecessary base64 encoding", "message header size, or recipient list, exceeds", "too many received", "headers too large", "header too large", "message header size exceeds", "content error", "malformed message", "media type not supported", "charset", "encoding error"}},
	{Reason: SpamDetected, Text: []string{"blacklisted url", "url in message", "uribl", "surbl", "|ube|", "unsolicited", "bulk mail", "bulk e-mail", "bulk email", "junk mail", "spam score", "scored too high", "message content rejected", "content filter", "spam filter", "spamassassin", "looks like spam", "considered spam", "detected as spam", "classified as spam", "flagged as spam", "rejected as spam", "identified as spam", "marked as spam", "appears to be spam", "seems to be spam", "|is spam|", "|as spam|", "spam message", "spam content", "spam detected", "suspected spam", "probable spam", "likely spam", "spam not accepted", "not accept spam", "mail content denied", "迷惑メール", "スパム"}},

	// The recipient's own filter refused this sender or this message.
	{Reason: Filtered, Text: []string{"rejected by recipients", "rejected by recipient", "recipient has blocked", "recipient rejected your message", "refused by recipient", "recipient's filter", "recipient filter", "filtered by recipient", "blocked by recipient", "blocked by the recipient", "recipient's preferences", "recipient preferences", "user has blocked", "受信拒否", "指定受信"}},

	// A status saying the delivery time expired (X.4.7) names the cause:
	// the network wording ("connection refused by [192.0.2.1]", "timed
	// out") says why the message could not be delivered within it.
	{Reason: Expired, Status: []string{"x.4.7"}, Text: []string{"connect", "unreachable", "no route", "timed out", "timeout", "dns", "network", "not reachable"}},

	// Wordings that name the client's IP address, and directory lookups
	// whose words ("listed", "blocked") mean something else.
	{Reason: UserUnknown, Text: []string{"not listed in public name & address book", "not listed in the domino directory", "not listed in domino directory", "no matches to nameserver query"}},
	{Reason: Blocked, Text: []string{"sender ip address rejected", "bad sender ip", "banned sending ip", "client host rejected", "client host blocked", "ip address blocked", "ip address is blocked", "ip blocked", "blocked ip", "ip address blacklisted", "ip address is blacklisted", "ip blacklisted", "ip is blacklisted", "your ip", "adresse ip", "ip source"}},
	// Sender address refused.
	{Reason: Rejected, Text: []string{"sender address rejected", "sender rejected", "sender is rejected", "sender verify failed", "sender verification failed", "sender address verification", "could not verify sender", "unable to verify sender", "invalid sender", "bad sender", "sender not allowed", "sender denied", "sender blocked", "sender is blacklisted", "sender is spammer", "unroutable sender", "unrouteable sender", "domain of sender address", "sender domain", "from: domain is invalid", "provide a valid from", "from address", "envelope sender", "envelope blocked", "empty envelope sender", "null sender", "<> invalid sender", "batv", "no third-party dsns", "mail from address", "mailfrom domain", "your email address has been blacklisted", "address has been blacklisted", "has been blacklisted", "sending to/from an address", "sender not pre-approved", "not a registered gateway user", "returned mail not accepted", "rule imposed mailbox access", "senderfilterconfig", "emetteur invalide", "non-member", "members-only", "members only", "closed mailing list", "not subscribed to this group", "not authorized to post", "permission to post", "送信者"}},

	// The client host (after the more specific wordings above).
	{Reason: Blocked, Text: []string{"blocked using", "blocked by ", "listed in", "listed on", "listed at", "is listed", "blacklist", "black list", "blacklisted", "blocklist", "block list", "blocklisted", "dnsbl", "|rbl|", "spamhaus", "spamcop", "sorbs", "barracudacentral", "client host rejected", "client host blocked", "host blocked", "ip blocked", "blocked ip", "ip address blocked", "ip address is blocked", "your ip", "the ip address", "sending ip", "source ip", "adresse ip", "ip source", "banned", "dynamic ip", "dynamic address", "dialup", "dial-up", "residential", "please use the smtp server of your isp", "smtp server of your isp", "use your isp", "please use your provider", "connection refused by", "refused - see", "rejected - see", "connections not accepted from", "not accepting mail from your", "not currently accepting mail from", "weren't sent", "were not sent", "no access from mail server", "go away", "access denied by", "poor sender", "bad sender ip", "sender ip address rejected", "unfortunately, messages from", "blocked for spamming", "open proxy", "ip address is not allowed", "not allowed to send mail from this ip", "ip is not allowed", "your host", "relay quota", "ブロック"}},

	// The mailbox: moved, disabled, full.
	{Reason: HasMoved, Text: []string{"has been replaced by", "has moved", "address has changed", "user not local; please try", "no longer at this address, forward to", "mailbox has been relocated"}},
	{Reason: HasMoved, Status: []string{"x.1.6"}},
	{Reason: MailboxFull, Text: []string{"account disabled temporarly for exceeding receiving limits", "exceeding receiving limits"}},
	{Reason: Suspended, Text: []string{"temporary locked", "temporarily locked", "account is locked", "account locked", "mailbox is locked", "mailbox locked", "account has been disabled", "account is disabled", "account disabled", "account has been suspended", "account is suspended", "account suspended", "mailbox disabled", "mailbox is disabled", "mailbox has been disabled", "mailbox is suspended", "mailbox suspended", "mailbox currently suspended", "mailbox is frozen", "mailbox frozen", "is currently suspended", "has been suspended", "user suspended", "user is suspended", "suspended account", "disabled or discontinued", "disabled recipient", "recipient is disabled", "user is disabled", "user or domain is disabled", "is deactivated", "deactivated mailbox", "deactivated account", "has been deactivated", "inactive account", "account is inactive", "account inactive", "inactive user", "invalid/inactive user", "inactive mailbox", "mailbox is inactive", "mailbox inactive", "recipient suspend the service", "temporarily inactive", "compte du destinataire est bloque", "recipient account is blocked", "account is blocked", "mailbox closed", "mailbox unavailable or access denied", "archived recipient", "account expired", "account has expired", "利用停止", "アカウントが停止", "一時停止", "サービス停止"}},
	{Reason: SystemFull, Text: []string{"insufficient system storage", "mail system full", "system storage", "insufficient disk space", "disk full", "no space left on device", "out of disk space", "file system full", "queue full"}},
	{Reason: ExceedLimit, Status: []string{"x.2.3"}, Text: []string{"size", "exceed", "too large", "too big", "limit"}},
	{Reason: MailboxFull, Text: []string{"mailbox full", "mailbox is full", "mailbox was full", "mailbox is currently full", "mailfolder is full", "mail folder is full", "mailbox has exceeded", "mailbox exceeded", "mailbox would exceed", "mailbox size limit", "mailbox over quota", "mailbox is over", "full mailbox", "quota exceeded", "over quota", "overquota", "over the quota", "over the allowed quota", "over its quota", "exceeded its quota", "exceeds quota", "exceeded quota", "exceeding its quota", "exceeding their quota", "exceeded the quota", "quota violation", "disk quota", "diskspace quota", "storage quota", "quota full", "exceeded storage allocation", "exceeds storage", "storage allocation", "not enough storage", "not enough space", "not enough disk space", "does not have enough space", "space has been used up", "user has too many messages", "too much mail data", "mailbox storage", "reached disk quota", "boite du destinataire pleine", "boîte du destinataire pleine", "postfach voll", "casella piena", "buzon lleno", "buzón lleno", "メールボックスがいっぱい", "メールボックスが一杯", "メールボックスの容量", "容量オーバー", "容量を超え", "容量超過", "容量が不足"}},
	{Reason: MessageTooBig, Text: []string{"message too big", "message too large", "message is too big", "message is too large", "message size exceeds", "message size limit", "message size too", "size exceeds", "exceeds size limit", "exceeds the size limit", "exceeds the maximum size", "exceeds maximum size", "exceeds the message size", "maximum message size", "max message size", "message length exceeds", "message file too big", "mail too large", "email is too large", "too large for", "message exceeds", "data too large", "line limit exceeded", "taille limite du message", "サイズが大き", "サイズ制限", "サイズの上限", "サイズオーバー"}},

	// The recipient address.
	{Reason: UserUnknown, Text: []string{"user unknown", "unknown user", "no such user", "no such mailbox", "no such recipient", "no such address", "no such person", "no such account", "unknown recipient", "recipient unknown", "unknown mailbox", "mailbox unknown", "unknown address", "address unknown", "unknown local part", "unknown e-mail address", "unknown email address", "invalid recipient", "invalid mailbox", "recipient invalid", "mailbox invalid", "invalid user", "user invalid", "bad recipient", "bad destination mailbox", "#5.1.1 bad address", "user does not exist", "user doesn't exist", "user not exist", "user not found", "user not known", "user is unknown", "mailbox does not exist", "mailbox doesn't exist", "mailbox not found", "mailbox not present", "mailbox is not found", "address does not exist", "address doesn't exist", "account does not exist", "account doesn't exist", "recipient does not exist", "recipient doesn't exist", "recipient not exist", "recipient not found", "recipientnotfound", "recipient is not found", "email account that you tried to reach does not exist", "address couldn't be found", "address could not be found", "address not found", "no mailbox here by that name", "no mailbox by that name", "no mailbox found", "no mail box available", "no account by that name", "there is no one at this address", "this user doesn't have a * account", "this user does not have a * account", "doesn't have a * account", "not a valid mailbox", "not a valid recipient", "not a valid user", "is not a known user", "not a known user", "not our user", "not our customer", "not a local address", "recipient is not local", "recipient not local", "is not an active address", "no longer accepts mail", "no longer valid", "no longer available", "no longer exists", "no longer in use", "no longer on server", "recipient address rejected: access denied", "recipient address rejected: invalid user", "recipient address rejected: invalid-recipient", "recipient address rejected: unknown user", "recipient address rejected: userunknown", "recipient address rejected: user", "recipient is not accepted", "recipient not ok", "recipient rejected", "mailbox unavailable", "mailbox is unavailable", "mailbox not available", "mailbox unavaiable", "badrcptto", "validrcptto", "destination addresses were unknown", "destination server rejected recipients", "not email addresses", "adresse destinataire invalide", "destinataire inconnu", "utilisateur inconnu", "adresse d * inconnue", "nessun utente", "no existe", "unbekannt", "ユーザ名が存在しません", "ユーザーが存在しません", "ユーザが存在しません", "ユーザーは存在しません", "ユーザは存在しません", "存在しないユーザ", "存在しないメールアドレス", "宛先不明", "宛先のメールアドレスが見つかりません", "アドレスが見つかりません", "該当するユーザ", "アカウントが存在しません"}},

	// The recipient domain.
	{Reason: NotAccept, Text: []string{"null mx", "nullmx", "does not accept mail", "doesn't accept mail", "does not accept email", "does not accept e-mail", "doesn't receive email", "does not receive email", "not accepting mail", "does not receive mail", "no mx record", "no mx found", "no mx for", "mx not found", "no mail exchanger", "couldn't find a mail exchanger", "could not find a mail exchanger", "indicated no smtp service", "mail receiving disabled", "rfc 7505", "rfc7505"}},
	{Reason: HostUnknown, Text: hostUnknownWords, Not: []string{"not found, try again", "temporar", "servfail"}, Status: []string{"5."}},
	{Reason: HostUnknown, Text: hostUnknownWords, Not: []string{"not found, try again", "temporar", "servfail"}, Code: []string{"5xx"}},
	{Reason: NetworkError, Text: []string{"nxdomain", "domain name not found", "dns error", "dns lookup", "name service error", "host not found", "domain not found"}, Status: []string{"4."}},
	{Reason: NetworkError, Text: []string{"nxdomain", "domain name not found", "dns error", "dns lookup", "name service error", "host not found", "domain not found"}, Code: []string{"4xx"}},
	{Reason: HostUnknown, Text: hostUnknownWords, Not: []string{"not found, try again", "temporar", "servfail", "dns error"}},

	// Time and the network.
	{Reason: Expired, Text: []string{"retry timeout exceeded", "queue too long", "in the queue too long", "delivery time expired", "delivery expired", "message expired", "expired after", "has expired", "could not be delivered for more than", "not delivered for more than", "not been delivered within", "was not delivered within", "within the allowed queue period", "giving up on", "retry time not reached for any host after a long failure period", "have been failing for a long time", "unable to deliver message after multiple retries", "maximum time in queue", "message timeout", "time limit exceeded", "delivery attempts will continue", "has been delayed", "it has not been collected after", "connection timed out", "connection timeout", "timed out", "server did not respond", "did not accept our requests to connect", "could not find a gateway for", "配信期限", "有効期限"}},
	{Reason: NetworkError, Text: []string{"no route to host", "network is unreachable", "host is unreachable", "host unreachable", "host not reachable", "destination unreachable", "lost connection", "connection reset", "connection refused", "connection closed", "connection dropped", "could not connect", "couldn't connect", "unable to connect", "can't connect", "failed to connect", "wasn't able to establish", "was not able to establish", "network error", "name service error", "host not found, try again", "host name lookup failure", "temporary failure in name resolution", "dns error", "dns lookup", "dns failure", "dns problem", "dns query", "name server", "nameserver", "servfail", "hop count exceeded", "maximum hop count", "too many hops", "routing loop", "mail loop", "mail forwarding loop", "forwarding loop", "message looping", "loop detected", "unable to resolve", "could not resolve", "unrouteable mail domain", "接続できません", "接続に失敗"}},

	// Sendmail's access database (and servers modelled on it) answers a
	// bare "5.7.1 ... Access denied": a security policy refused the
	// session, whatever the command (at MAIL it names the sender:
	// rejected, below).
	{Reason: SecurityError, Text: []string{"access denied"}, Status: []string{"x.7.1"}, Command: []string{"", "RCPT", "DATA", "CONN", "HELO"}},

	// The mail was refused at connection or greeting time, for no reason
	// given above: it can only be about the client host.
	{Reason: Blocked, Command: []string{"CONN", "HELO"}, Code: []string{"4xx", "5xx"}, Spoke: true, Name: "refused before MAIL"},

	// The remote system.
	{Reason: SystemError, Text: []string{"internal error", "internal server error", "system error", "server error", "local error in processing", "configuration error", "config error", "temporary local problem", "could not load drd", "loops back to myself", "aliasing/forwarding loop", "would create a mail loop", "interrupted system call", "timeout waiting for input", "it encountered an error while being processed", "service currently unavailable", "temporarily unavailable", "resources temporarily", "system problem", "server problem", "|transaction failed|", "システムエラー"}},
	{Reason: SyntaxError, Text: []string{"syntax error", "bad sequence of commands", "command not recognized", "command unrecognized", "unrecognized command", "unrecognised command", "command parameter not implemented", "parameter not implemented", "invalid command", "command not implemented", "line too long", "protocol error"}},
	{Reason: SpamDetected, Text: []string{"|spam|", "anti-spam", "antispam"}},
})

// weakTextRules are generic words that decide only when neither a
// specific wording, the decoder's hint nor a specific status code did.
var weakTextRules = compileRules([]Rule{
	{Reason: OnHold, Text: []string{"|on hold|"}},
	{Reason: UserUnknown, Text: []string{"recipient address rejected", "address rejected", "invalid address", "does not exist", "doesn't exist", "not found"}, Not: []string{"greylist", "graylist", "try again", "temporar", "sender"}, Command: []string{"", "RCPT", "DATA"}},
	{Reason: Rejected, Command: []string{"MAIL"}, Name: "refused at MAIL"},
	{Reason: Blocked, Text: []string{"|blocked|", "access denied", "not allowed", "refused", "denied", "prohibited", "forbidden"}},
	{Reason: PolicyViolation, Text: []string{"policy", "policies"}},
	{Reason: Rejected, Text: []string{"rejected", "not accepted"}},
})

// statusRules map specific enhanced status codes (RFC 3463, RFC 7372,
// RFC 7505, RFC 8689 and the IANA registry of enhanced status codes) to
// reasons. Generic codes (X.0.0, X.7.0, X.7.1, X.5.0...) are in
// fallbackRules: their text says more than they do.
var statusRules = compileRules([]Rule{
	{Reason: UserUnknown, Status: []string{"x.1.0", "x.1.1", "x.1.3", "x.1.4"}}, // bad destination mailbox address, syntax, ambiguous
	{Reason: HostUnknown, Status: []string{"x.1.2"}},                            // bad destination system address
	{Reason: HasMoved, Status: []string{"x.1.6"}},                               // mailbox has moved, no forwarding address
	{Reason: Rejected, Status: []string{"x.1.7", "x.1.8"}},                      // bad sender's mailbox address syntax, system address
	{Reason: SystemError, Status: []string{"x.1.9"}},                            // message relayed to non-compliant mailer
	{Reason: NotAccept, Status: []string{"x.1.10"}},                             // recipient address has null MX (RFC 7505)
	{Reason: Filtered, Status: []string{"x.2.0"}},                               // mailbox status: exists, refuses
	{Reason: Suspended, Status: []string{"x.2.1"}},                              // mailbox disabled, not accepting messages
	{Reason: MailboxFull, Status: []string{"x.2.2"}},                            // mailbox full
	{Reason: ExceedLimit, Status: []string{"x.2.3"}},                            // message length exceeds administrative limit
	{Reason: SystemError, Status: []string{"x.2.4"}},                            // mailing list expansion problem
	{Reason: SystemFull, Status: []string{"x.3.1"}},                             // mail system full
	{Reason: NotAccept, Status: []string{"x.3.2"}},                              // system not accepting network messages
	{Reason: SystemError, Status: []string{"x.3.3", "x.3.5"}},                   // not capable of selected features, incorrectly configured
	{Reason: MessageTooBig, Status: []string{"x.3.4"}},                          // message too big for system
	{Reason: Expired, Status: []string{"4.4.1", "4.4.7", "5.4.7"}},              // no answer from host (given up), delivery time expired
	{Reason: NetworkError, Status: []string{"5.4.1", "x.4.2", "4.4.4", "x.4.6", "x.4.8"}},
	{Reason: SystemError, Status: []string{"x.4.3"}}, // directory server failure
	{Reason: HostUnknown, Status: []string{"5.4.4"}}, // unable to route
	{Reason: SystemFull, Status: []string{"x.4.5"}},  // mail system congestion
	{Reason: SyntaxError, Status: []string{"x.5.1", "x.5.2", "x.5.4", "x.5.5", "x.5.6"}},
	{Reason: TooManyConnections, Status: []string{"x.5.3"}}, // too many recipients
	{Reason: ContentError, Status: []string{"x.6."}},        // media, conversion, content
	{Reason: PolicyViolation, Status: []string{"x.7.2", "x.7.15"}},
	{Reason: SecurityError, Status: []string{"x.7.3", "x.7.4", "x.7.5", "x.7.6", "x.7.7", "x.7.8", "x.7.9", "x.7.12", "x.7.14", "x.7.19"}},
	{Reason: FailedSTARTTLS, Status: []string{"x.7.10", "x.7.11", "x.7.30"}}, // encryption needed, REQUIRETLS
	{Reason: Suspended, Status: []string{"x.7.13"}},                          // user account disabled
	{Reason: MessageTooBig, Status: []string{"x.7.16"}},                      // message too big for specified priority
	{Reason: HasMoved, Status: []string{"x.7.17", "x.7.18"}},                 // mailbox / domain owner has changed (RFC 7293)
	{Reason: AuthFailure, Status: []string{"x.7.20", "x.7.21", "x.7.22", "x.7.23", "x.7.24", "x.7.26", "x.7.29"}},
	{Reason: RequirePTR, Status: []string{"x.7.25"}},   // reverse DNS validation failed (RFC 7372)
	{Reason: Rejected, Status: []string{"x.7.27"}},     // sender address has null MX (RFC 7505)
	{Reason: SpamDetected, Status: []string{"x.7.28"}}, // mail flood detected
	{Reason: AuthFailure, Status: []string{"x.7.509", "x.7.510", "x.7.515"}},
	{Reason: BadReputation, Status: []string{"x.7.650", "x.7.651"}},
	{Reason: Blocked, Status: []string{"x.7.606", "x.7.607", "x.7.608", "x.7.609", "x.7.610", "x.7.611", "x.7.612", "x.7.613", "x.7.614", "x.7.615", "x.7.616", "x.7.617", "x.7.618", "x.7.619", "x.7.620", "x.7.621", "x.7.622", "x.7.623", "x.7.624", "x.7.625", "x.7.626", "x.7.627", "x.7.628", "x.7.629", "x.7.630", "x.7.631", "x.7.632", "x.7.633", "x.7.634", "x.7.635", "x.7.636", "x.7.637", "x.7.638", "x.7.639", "x.7.640", "x.7.641", "x.7.642", "x.7.643", "x.7.644", "x.7.645", "x.7.646", "x.7.647", "x.7.648", "x.7.649", "x.7.708"}},
})

// fallbackRules decide from the class of a generic status code or from
// the reply code (RFC 5321 section 4.2.2, RFC 7504 for 521/556) when
// nothing above did.
var fallbackRules = compileRules([]Rule{
	{Reason: UserUnknown, Status: []string{"x.1."}},
	{Reason: Filtered, Status: []string{"x.2."}},
	{Reason: SystemError, Status: []string{"x.3."}},
	{Reason: NetworkError, Status: []string{"x.4."}},
	{Reason: Rejected, Status: []string{"x.7.0", "x.7.1"}},
	{Reason: SecurityError, Status: []string{"x.7."}},
	{Reason: NotAccept, Code: []string{"521", "556"}},
	{Reason: SecurityError, Code: []string{"530", "535", "538"}},
	{Reason: SyntaxError, Code: []string{"500", "501", "502", "503", "504", "555"}},
	{Reason: HasMoved, Code: []string{"551"}},
	{Reason: MailboxFull, Code: []string{"552"}},
	{Reason: SystemFull, Code: []string{"452"}},
	{Reason: SystemError, Code: []string{"451"}},
	{Reason: Blocked, Code: []string{"571"}},
})

// hostUnknownWords say the recipient's domain or host does not exist.
var hostUnknownWords = []string{"dns lookup failure: host * not found", "nxdomain", "domain name not found", "host or domain name not found", "name or service not known", "no such domain", "domain does not exist", "domain doesn't exist", "domain not found", "domain is not found", "unknown domain", "domain unknown", "invalid domain", "domain is invalid", "domain must exist", "host unknown", "unknown host", "no such host", "host not found", "host name not found", "couldn't find any host", "could not find any host", "unrouteable address", "unroutable address", "domain is not reachable", "domain not reachable", "ドメインが存在しません", "ドメインが見つかりません"}
