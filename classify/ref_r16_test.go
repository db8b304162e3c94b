package classify

import "testing"

// TestClassify_refR16 holds the replies that the sixteenth round of
// bounce/testdata/unseen (the mail stacks online shops send through and
// receive from: hosting panels, bundled stacks, Windows servers, cloud
// relays, spam filters; see its README) quotes from the sources it read,
// each as the source gives it (addresses and hosts replaced by examples),
// with the reason the source's explanation implies
// (classify/rules/28-r16.tsv).
func TestClassify_refR16(t *testing.T) {
	checkClear(t, []clearCase{
		// Plesk, "What will happen to emails that are sent once the
		// outgoing limit is reached?" (plesk.com/kb, support.plesk.com
		// article 213389069): the milter's refusal of the message over a
		// mailbox's, domain's or subscription's hourly limit.
		{"plesk outgoing limit milter", failedReply("", "5.7.0", "DATA", "5.7.0 Your message could not be sent. The limit on the number of allowed outgoing messages was exceeded. Try again later."), RateLimited},
		// The same words in Postfix's bounce of a script's mail (no SMTP
		// command: the local pickup).
		{"plesk outgoing limit bounce", failedReply("", "5.7.0", "", "Your message could not be sent. The limit on the number of allowed outgoing messages was exceeded. Try again later."), RateLimited},
		// DirectAdmin's exim.pl daily limits (help.directadmin.com item
		// 514) as the bounce weboke.nl's knowledgebase article 31 quotes.
		{"directadmin message limit", failedReply("", "5.0.0", "", "You (webshop) have reached your message limit."), RateLimited},
		// iRedAPD's SMTP_ACTIONS (libs/__init__.py): the per-recipient
		// size limit of the amavisd_message_size_limit plugin, refused at
		// end of data.
		{"iredapd size at end of data", failedReply("554", "5.7.1", "DATA", "554 5.7.1 <END-OF-MESSAGE>: End-of-data rejected: Message size exceed (maybe caused by big attachment file)"), MessageTooBig},
		{"iredapd size no command", failedReply("554", "5.7.1", "", "554 5.7.1 <END-OF-MESSAGE>: End-of-data rejected: Message size exceed (maybe caused by big attachment file)"), MessageTooBig},
		// MailChannels Outbound Filtering (docs.mailchannels.com/outbound/
		// unblock-senders: its Insights link in the bounce lets the sender
		// report a false positive, which "clears the spam classification")
		// in the reply a cPanel host's Exim quotes
		// (https://pastebin.com/BihkfJpV).
		{"mailchannels message blocked false positive", failedReply("550", "5.7.1", "DATA", "550 5.7.1 [CS] Message blocked. If this is a false positive, please report this to your hosting service provider. See https://console.mailchannels.net/insights/bounce?auid=example&sender=user%40example.com&txid=0123abcd"), SpamDetected},
	})
}
