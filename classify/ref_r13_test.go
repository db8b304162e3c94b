package classify

import "testing"

// TestClassify_refR13 holds the sentences that the thirteenth round of
// bounce/testdata/unseen (localised failure notices, see its README)
// showed unread, each as a page read for it gives the words (addresses and
// hosts replaced by examples), with the reason the page's explanation
// implies (classify/rules/28-r13.tsv). The notices carry no status code,
// or only a generic 5.0.0.
func TestClassify_refR13(t *testing.T) {
	checkClear(t, []clearCase{
		// Exchange's NDR sentence for 554 5.2.2 in Swedish and Polish
		// (Microsoft Learn's localised cannot-send-mail-mepf article); an
		// NDR whose administrators' section is left out gives no code.
		{"exchange sv mailbox full", Input{Diagnostic: "Linnea Holm Mottagarens postlåda är full och kan inte ta emot meddelanden nu. Försök skicka meddelandet igen senare eller kontakta mottagaren direkt."}, MailboxFull},
		{"exchange pl mailbox full", Input{Diagnostic: "Krystyna Wójcik Skrzynka pocztowa adresata jest pełna i nie może teraz akceptować wiadomości. Spróbuj ponownie wysłać tę wiadomość później lub skontaktuj się bezpośrednio z adresatem."}, MailboxFull},
		// Chinese, Turkish and Bulgarian help pages on a full mailbox.
		{"zh mailbox full", Input{Diagnostic: "收件人的邮箱已满,现在无法接收邮件。"}, MailboxFull},
		{"tr mailbox full", Input{Diagnostic: "Neden: alıcının posta kutusu dolu."}, MailboxFull},
		{"bg mailbox full", Input{Diagnostic: "Причина: пощенската кутия на получателя е пълна."}, MailboxFull},
		// Polish and Dutch: there is no such user, the address does not
		// exist; replies under a generic 5.0.0 after RCPT TO.
		{"pl no such user", failedReply("550", "5.0.0", "RCPT", "550 Nie ma takiego użytkownika"), UserUnknown},
		{"pl no such user ascii", failedReply("550", "5.0.0", "RCPT", "550 Nie ma takiego uzytkownika"), UserUnknown},
		{"nl address does not exist", failedReply("550", "5.0.0", "RCPT", "550 Het e-mailadres bestaat niet"), UserUnknown},
		// Refused as spam, in Russian after DATA; a Swedish notice that
		// names skräppost.
		{"ru marked as spam", failedReply("550", "5.0.0", "DATA", "550 Письмо отклонено: распознано как спам"), SpamDetected},
		{"sv stopped as spam", Input{Diagnostic: "Meddelandet stoppades eftersom det klassades som skräppost."}, SpamDetected},
	})
}
