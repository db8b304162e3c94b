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
		// The wordings no page read gives (written from memory, see
		// the README), each the plain words of its language for an RFC 3463
		// code's meaning: Exchange's NDR sentences without their
		// administrators' section, remote replies under a generic 5.0.0,
		// translated qmail-send and webmail notices.
		{"exchange cs mailbox full", Input{Diagnostic: "Lucie Horáková Poštovní schránka příjemce je plná a momentálně nemůže přijímat zprávy."}, MailboxFull},
		{"pl mailbox overfull", failedReply("550", "5.0.0", "", "550 5.0.0 <jerzy.kaminski@example.pl>: skrzynka adresata jest przepełniona"), MailboxFull},
		{"pl mailbox overfull ascii", failedReply("552", "5.0.0", "RCPT", "552 Skrzynka odbiorcy jest przepelniona"), MailboxFull},
		{"pt quota exceeded", Input{Diagnostic: "A caixa postal do usuário excedeu a cota de armazenamento."}, MailboxFull},
		{"pt message too big", failedReply("552", "5.0.0", "DATA", "552 Mensagem muito grande, excede o tamanho maximo permitido"), MessageTooBig},
		{"es message too big", Input{Diagnostic: "El mensaje es demasiado grande para ser aceptado."}, MessageTooBig},
		{"hr message too big", Input{Diagnostic: "Razlog: poruka je prevelika. Najveća dopuštena veličina poruke je 20 MB."}, MessageTooBig},
		{"exchange nl not found", Input{Diagnostic: "Bram de Vries Het e-mailadres dat u hebt ingevoerd, is niet gevonden. Controleer het e-mailadres van de geadresseerde en probeer het bericht opnieuw te verzenden."}, UserUnknown},
		{"exchange pt not found", Input{Diagnostic: "Rafael Souza Não foi possível encontrar o endereço de email inserido. Verifique o endereço de email do destinatário e tente reenviar a mensagem."}, UserUnknown},
		{"exchange tr not found", Input{Diagnostic: "Elif Yılmaz Girdiğiniz e-posta adresi bulunamadı. Alıcının e-posta adresini denetleyin ve iletiyi yeniden göndermeyi deneyin."}, UserUnknown},
		{"exchange ko not found", Input{Diagnostic: "박서준 입력한 전자 메일 주소를 찾을 수 없습니다. 받는 사람의 전자 메일 주소를 확인한 후 메시지를 다시 보내세요."}, UserUnknown},
		{"ru no such user", failedReply("550", "5.0.0", "RCPT", "550 Такого пользователя нет"), UserUnknown},
		{"de no such user", Input{Diagnostic: "Diesen Benutzer gibt es auf diesem Server nicht."}, UserUnknown},
		{"lt no such recipient", Input{Diagnostic: "Priežastis: tokio gavėjo nėra."}, UserUnknown},
		{"sk addressee does not exist", Input{Diagnostic: "Dôvod: adresát na tomto serveri neexistuje."}, UserUnknown},
		{"exchange sv domain", Input{Diagnostic: "Domännamnet i e-postadressen är felaktigt. Kontrollera att det är rättstavat och försök att skicka meddelandet igen."}, HostUnknown},
		{"pl domain does not exist", Input{Diagnostic: "Przyczyna: domena adresata nie istnieje."}, HostUnknown},
		{"it no host", Input{Diagnostic: "Non riesco a trovare nessun host con il nome inesistente.example.it."}, HostUnknown},
		{"nl ip on a blacklist", failedReply("554", "5.0.0", "RCPT", "554 Uw IP-adres staat op een zwarte lijst"), Blocked},
		// The second batch: Exchange's sentence for 554 5.2.2 in Dutch and
		// Hebrew (Microsoft Learn's localised articles), and from memory
		// German and Russian for a message too large, Polish for no such
		// account.
		{"exchange nl mailbox full", Input{Diagnostic: "Lotte Bakker Het postvak van de ontvanger is vol en kan nu geen berichten ontvangen. Probeer dit bericht later opnieuw te verzenden of neem direct contact op met de ontvanger."}, MailboxFull},
		{"exchange he mailbox full", Input{Diagnostic: "נועה שפירא תיבת הדואר של הנמען מלאה ולא ניתן לקבל הודעות כעת. נסה לשלוח את ההודעה מחדש במועד מאוחר יותר או פנה לנמען ישירות."}, MailboxFull},
		{"de message too big", failedReply("552", "5.0.0", "DATA", "552 Die Nachricht ist zu gross"), MessageTooBig},
		{"ru message too big", Input{Diagnostic: "Причина: превышен максимальный размер письма."}, MessageTooBig},
		{"pl no such account", Input{Diagnostic: "Nie ma takiego konta."}, UserUnknown},
	})
}
