package classify

import "testing"

var benchInputs = []Input{
	{Status: "5.1.1", ReplyCode: "550", Action: "failed", RemoteMTA: "mx.example.jp",
		Diagnostic: "host mx.example.jp[192.0.2.1] said: 550 5.1.1 <kijitora@example.jp>: Recipient address rejected: User unknown in local recipient table (in reply to RCPT TO command)"},
	{Status: "5.7.26", ReplyCode: "550", Action: "failed", RemoteMTA: "gmail-smtp-in.l.google.com",
		Diagnostic: "550-5.7.26 The MAIL FROM domain [mail.example.com] has an SPF record with a 550-5.7.26 hard fail policy (-all) but it fails to pass SPF checks with the ip: 550-5.7.26 [192.0.2.24]. To best protect our users from spam and phishing, 550-5.7.26 the message has been blocked."},
	{Status: "4.4.1", Action: "delayed", Diagnostic: "connect to mx.example.org[192.0.2.2]:25: Connection timed out"},
	{Status: "5.0.0", ReplyCode: "554", Action: "failed",
		Diagnostic: "554 IP=192.0.2.254 - A problem occurred. (Ask your postmaster for help or to contact neko@example.org to clarify.)"},
	{Status: "5.2.2", ReplyCode: "552", Diagnostic: "552 5.2.2 メールボックスがいっぱいです"},
}

func BenchmarkClassify(b *testing.B) {
	b.ReportAllocs()
	for i := 0; i < b.N; i++ {
		Classify(benchInputs[i%len(benchInputs)])
	}
}
