package classify

import "testing"

// TestClassify_refLocalized holds the non-delivery sentences in languages
// other than English and Japanese that the providers' own localized pages
// quote (Microsoft Learn for Exchange Online, Gmail Help and the Google
// Workspace SMTP error reference in their localized versions), each with
// the reason that the page's explanation (or its English original)
// implies. The text is the localized sentence only, with no status code,
// so the wording must decide. None may end as on_hold or undefined, or
// with low confidence.
func TestClassify_refLocalized(t *testing.T) {
	tests := []clearCase{
		// German. "554 5.2.2 Postfach voll" beim Senden von E-Mails an einen
		// E-Mail-aktivierten öffentlichen Ordner,
		// https://learn.microsoft.com/de-de/exchange/troubleshoot/email-delivery/ndr/cannot-send-mail-mepf
		{"de exo recipient mailbox full", failedReply("", "", "", "Das Postfach des Empfängers ist voll und kann Nachrichten jetzt nicht annehmen. Versuchen Sie, diese Nachricht später erneut zu senden, oder wenden Sie sich direkt an den Empfänger."), MailboxFull},
		// Fehler und Codes bei Gmail-SMTP,
		// https://support.google.com/a/answer/3726730?hl=de
		{"de gmail receiving too quickly", delayedReply("", "", "RCPT", "Der Nutzer, den Sie kontaktieren möchten, erhält zu schnell E-Mails. Senden Sie Ihre Nachricht zu einem späteren Zeitpunkt noch einmal."), RateLimited},
		{"de gmail receiving at a rate", delayedReply("", "", "RCPT", "Der Nutzer, den Sie kontaktieren möchten, empfängt E-Mails in einer Geschwindigkeit, die verhindert, dass zusätzliche Nachrichten zugestellt werden."), RateLimited},
		{"de gmail unusual rate of unsolicited mail", delayedReply("", "", "", "Unser System hat eine ungewöhnliche Anzahl unerwünschter E-Mails von Ihrer IP-Adresse festgestellt. Um unsere Nutzer vor Spam zu schützen, wurden E-Mails von Ihrer IP-Adresse vorübergehend blockiert."), RateLimited},
		{"de gmail tls required", delayedReply("", "", "RCPT", "TLS für RCPT-Domain erforderlich, Verbindung wird beendet."), FailedSTARTTLS},
		{"de gmail ip not in allowlist", delayedReply("", "", "RCPT", "IP nicht auf Zulassungsliste für RCPT-Domain, Verbindung wird beendet."), Blocked},
		{"de gmail ip not in whitelist", delayedReply("", "", "RCPT", "IP nicht auf weißer Liste für RCPT-Domain, Verbindung wird beendet."), Blocked},
		{"de gmail custom domain policy", failedReply("", "", "DATA", "Diese Nachricht verstößt gegen die E-Mail-Richtlinien von example.com."), PolicyViolation},
		// Gmail-Hilfe, Unzustellbare oder abgelehnte E-Mails,
		// https://support.google.com/mail/answer/6596?hl=de and
		// https://support.google.com/mail/bin/answer.py?hl=de&answer=82454
		{"de gmail recipient address does not exist", failedReply("", "", "RCPT", "Die E-Mail-Adresse des Empfängers existiert nicht"), UserUnknown},
		{"de gmail account not present", failedReply("", "", "RCPT", "Das E-Mail-Konto, das Sie kontaktieren möchten, ist nicht vorhanden"), UserUnknown},
		{"de gmail inbox no free space", failedReply("", "", "RCPT", "Der Posteingang des Empfängers hat keinen freien Speicherplatz."), MailboxFull},
		{"de gmail inbox full", failedReply("", "", "RCPT", "Der Posteingang des Empfängers ist voll."), MailboxFull},

		// Portuguese (Brazil). Erros e códigos SMTP do Gmail,
		// https://knowledge.workspace.google.com/admin/support/troubleshooting/gmail-smtp-errors-and-codes?hl=pt-br
		{"pt gmail receiving too quickly", delayedReply("", "", "RCPT", "O usuário com quem você está tentando entrar em contato está recebendo e-mails muito rápido. Reenvie sua mensagem mais tarde."), RateLimited},
		{"pt gmail receiving at a rate", delayedReply("", "", "RCPT", "O usuário com quem você está tentando entrar em contato está recebendo e-mails a uma taxa que impede a entrega de outras mensagens. Reenvie sua mensagem mais tarde."), RateLimited},
		{"pt gmail relay limit", delayedReply("", "", "MAIL", "Limite máximo de redirecionamento SMTP excedido para o cliente. Esse erro é temporário."), RateLimited},
		{"pt gmail inbox out of storage", delayedReply("", "", "RCPT", "A caixa de entrada do destinatário está sem espaço de armazenamento."), MailboxFull},

		// Spanish (Latin America). Ayuda de Gmail, mensajes rebotados,
		// https://support.google.com/mail/answer/6596?hl=es-419
		{"es gmail recipient address does not exist", failedReply("", "", "RCPT", "La dirección de correo electrónico del destinatario no existe"), UserUnknown},
		{"es gmail inbox no storage", failedReply("", "", "RCPT", "La bandeja Recibidos del destinatario no tiene espacio de almacenamiento disponible"), MailboxFull},

		// Italian. Guida di Gmail, Correggere gli errori per cui le email
		// vengono restituite al mittente o rifiutate,
		// http://support.google.com/mail/bin/answer.py?hl=it&answer=82454
		{"it gmail account does not exist", failedReply("", "", "RCPT", "L'account email che hai cercato di raggiungere non esiste"), UserUnknown},

		// French. Aide Gmail, Limites d'envoi et de réception des messages,
		// https://support.google.com/mail/bin/answer.py?hl=fr&hlrm=en&answer=22839
		{"fr gmail receiving at a rate", delayedReply("", "", "RCPT", "L'utilisateur que vous tentez de contacter reçoit des e-mails à un rythme qui empêche la distribution de tout nouveau message."), RateLimited},
		{"fr gmail sending limit", failedReply("", "", "", "Vous avez atteint la limite d'envoi d'e-mails"), RateLimited},
		// More of Gmail-Hilfe, https://support.google.com/mail/answer/6596?hl=de&ref_topic=7065107
		// and https://support.google.com/mail/bin/answer.py?hl=de&answer=82454
		{"de gmail marked as spam", failedReply("", "", "DATA", "Ihre E-Mail wurde als Spam markiert oder vorübergehend abgelehnt"), SpamDetected},
		{"de gmail message flagged as spam", failedReply("", "", "DATA", "Die Nachricht wurde als Spam markiert"), SpamDetected},
		{"de gmail sending limit", failedReply("", "", "", "Sie haben das Limit zum Senden von E-Mails erreicht."), RateLimited},
		// Microsoft 365 von GoDaddy Hilfe, Reparieren Sie abgelehnte E-Mails
		// mit einem Bounce-Fehler, https://ch.godaddy.com/help/fix-rejected-email-with-a-bounce-error-40685
		{"de godaddy account storage limit", failedReply("", "", "RCPT", "Speicherplatzbegrenzung des Kontos"), MailboxFull},
		{"de godaddy account does not exist", failedReply("", "", "RCPT", "Konto ist nicht vorhanden"), UserUnknown},
		{"de godaddy account disabled", failedReply("", "", "RCPT", "Konto deaktiviert"), Suspended},

		// More of Ayuda de Gmail, https://support.google.com/mail/answer/6596?hl=es-419
		{"es gmail marked as spam", failedReply("", "", "DATA", "Tu correo electrónico se marcó como spam o se rechazó de forma temporal"), SpamDetected},
		{"es gmail sending limit", failedReply("", "", "", "Alcanzaste el límite para enviar correos electrónicos"), RateLimited},

		// More of Guida di Gmail, http://support.google.com/mail/bin/answer.py?hl=it&answer=82454
		{"it gmail flagged as spam", failedReply("", "", "DATA", "Messaggio contrassegnato come spam"), SpamDetected},
		// Guida di Google Workspace, limiti di invio di Gmail,
		// https://support.google.com/a/answer/166852?authuser=7&hl=it
		{"it gmail sending limit email", failedReply("", "", "", "Hai raggiunto il limite di invio email."), RateLimited},
		{"it gmail sending limit gmail", failedReply("", "", "", "Hai raggiunto il limite di invio di Gmail."), RateLimited},
		{"it gmail too many recipients", failedReply("", "", "", "Hai superato il numero massimo di destinatari."), TooManyConnections},

		// Aide Google Workspace, Limites d'envoi Gmail,
		// https://support.google.com/a/answer/166852?authuser=3&hl=fr
		{"fr gmail one of the sending limits", failedReply("", "", "", "Vous avez atteint une des limites d'envoi Gmail."), RateLimited},
		{"fr gmail too many recipients", failedReply("", "", "", "Vous avez dépassé le nombre maximal de destinataires."), TooManyConnections},
		// More of Fehler und Codes bei Gmail-SMTP,
		// https://support.google.com/a/answer/3726730?hl=de (and its older
		// version, Referenz für SMTP-Fehler, at the same address)
		{"de gmail receiving too rapidly", delayedReply("", "", "RCPT", "Der Nutzer, den Sie kontaktieren möchten, erhält zu rasch E-Mails. Senden Sie Ihre Nachricht zu einem späteren Zeitpunkt noch einmal."), RateLimited},
		{"de gmail relay limit", delayedReply("", "", "MAIL", "SMTP-Relay-Dienst-Höchstbeschränkung für diesen Kunden überschritten. Das ist ein vorübergehender Fehler."), RateLimited},
		// walkingtoweb (hosting) help, SMTP-Fehler, Gmail's texts quoted,
		// https://support.walkingtoweb.com/help/de-de/3-email-cloud/140-emails-kommen-mit-einer-fehlermeldung-zuruck-was-ist-der-smtp-fehler-xxx-xxx
		{"de gmail inbox no space left", delayedReply("", "", "RCPT", "Im Posteingang des Empfängers ist kein Speicherplatz mehr verfügbar."), MailboxFull},

		// Swedish. SMTP-fel och SMTP-koder i Gmail,
		// https://support.google.com/a/answer/3726730?utm_source=thenewsletternewsletter&utm_medium=website&utm_campaign=100623
		{"sv gmail receiving too quickly", delayedReply("", "", "RCPT", "Användaren du försöker kontakta tar emot e-post för snabbt. Skicka om meddelandet senare."), RateLimited},
		{"sv gmail receiving at a rate", delayedReply("", "", "RCPT", "Användaren du försöker att kontakta tar emot e-post i en takt som förhindrar att ytterligare meddelanden levereras. Skicka om meddelandet senare."), RateLimited},
		{"sv gmail relay limit", delayedReply("", "", "MAIL", "Högsta SMTP-relägräns överskriden för kunden. Detta är ett tillfälligt fel."), RateLimited},
		{"sv gmail inbox out of storage", delayedReply("", "", "RCPT", "Mottagarens inkorg har slut på lagringsutrymme."), MailboxFull},
		{"sv gmail custom domain policy", failedReply("", "", "DATA", "Detta meddelande bryter mot e-postpolicyn för example.com"), PolicyViolation},
		// Russian. Справка Google Workspace, ограничения на отправку в Gmail,
		// https://support.google.com/a/answer/166852?hl=ru&ref_topic=28609
		{"ru gmail sending limit", failedReply("", "", "", "Превышено ограничение на отправку сообщений."), RateLimited},
		{"ru gmail sending limit gmail", failedReply("", "", "", "Превышено ограничение на отправку сообщений Gmail."), RateLimited},
		{"ru gmail too many recipients", failedReply("", "", "", "Превышено ограничение на количество получателей."), TooManyConnections},

		// Chinese (Traditional). ublink webmail help, Gmail SMTP 錯誤和代碼
		// (Gmail's replies with Google's Chinese text),
		// http://webmail.ublink.org/index.php/service/tech-know/nodif/gmail-smtp-%E9%8C%AF%E8%AA%A4%E5%92%8C%E4%BB%A3%E7%A2%BC
		{"zh-tw gmail ip not in allowlist", delayedReply("", "", "RCPT", "IP 不在 RCPT 網域許可清單中,正在關閉連線。"), Blocked},
		{"zh-tw gmail tls required", delayedReply("", "", "RCPT", "RCPT 網域需要使用 TLS,正在關閉連線。"), FailedSTARTTLS},
		{"zh-tw gmail unusual rate of unsolicited mail", delayedReply("", "", "", "我們的系統偵測到您的 IP 位址發出數量異常龐大的來路不明電子郵件。為保護使用者免於垃圾郵件騷擾,您的 IP 位址所發出的電子郵件已暫時遭到封鎖。"), RateLimited},
		{"zh-tw gmail receiving too quickly", delayedReply("", "", "RCPT", "您要聯絡的使用者目前正在接收大量郵件,因此無法再接收其他的郵件,請稍後再重新傳送郵件。"), RateLimited},
		// Dutch. Verzendlimieten voor e-mail (Google Workspace),
		// https://support.google.com/a/answer/166852?hl=nl&ref_topic=28609
		{"nl gmail sending limit", failedReply("", "", "", "U heeft een limiet bereikt voor het verzenden van e-mails."), RateLimited},
		{"nl gmail sending limit gmail", failedReply("", "", "", "U heeft een verzendlimiet bereikt in Gmail."), RateLimited},
		{"nl gmail too many recipients", failedReply("", "", "", "U heeft het maximale aantal ontvangers overschreden."), TooManyConnections},

		// Polish. Limity wysyłania Gmaila w Google Workspace,
		// https://support.google.com/a/answer/166852?hl=pl
		{"pl gmail sending limit", failedReply("", "", "", "Osiągnięto limit wysyłanych wiadomości."), RateLimited},
		{"pl gmail sending limit gmail", failedReply("", "", "", "Osiągnięto limit wysyłania z Gmaila."), RateLimited},
		{"pl gmail too many recipients", failedReply("", "", "", "Przekroczono maksymalną liczbę adresatów."), TooManyConnections},

		// Ukrainian. Ліміти для надсилання листів Gmail у Google Workspace,
		// https://support.google.com/a/answer/166852?hl=uk
		{"uk gmail sending limit", failedReply("", "", "", "Ви вичерпали ліміт для надсилання електронних листів"), RateLimited},
		{"uk gmail sending limit gmail", failedReply("", "", "", "Ви вичерпали ліміт для надсилання повідомлень Gmail"), RateLimited},
		{"uk gmail too many recipients", failedReply("", "", "", "Ви перевищили максимальну кількість одержувачів"), TooManyConnections},
		// Italian. Outlook.com, "Recapito non riuscito" in seguito all'invio
		// di email, http://windows.microsoft.com/it-it/outlook/delivery-failed
		{"it outlook mailbox not found", failedReply("", "", "RCPT", "Mailbox non trovata"), UserUnknown},
		{"it outlook mailbox invalid", failedReply("", "", "RCPT", "Mailbox non valida"), UserUnknown},
		{"it outlook user unknown", failedReply("", "", "RCPT", "Utente sconosciuto"), UserUnknown},
		{"it outlook mailbox unavailable", failedReply("", "", "RCPT", "Mailbox non disponibile"), UserUnknown},
		{"it outlook mailbox full", failedReply("", "", "RCPT", "Casella di posta piena"), MailboxFull},
		{"it outlook space exceeded", failedReply("", "", "RCPT", "Spazio disponibile superato"), MailboxFull},
		{"it outlook host unknown", failedReply("", "", "", "Host sconosciuto"), HostUnknown},
		{"it outlook domain lookup failed", failedReply("", "", "", "Domain Lookup non riuscito"), HostUnknown},
		// Outlook.com, la posta inviata restituisce un messaggio di mancato
		// recapito, https://support.office.com/it-it/article/la-posta-inviata-in-outlook-com-restituisce-un-messaggio-di-mancato-recapito-45e048ac-f7b1-4c0f-b525-081cb34f1062
		{"it outlook mailbox not found or invalid", failedReply("", "", "RCPT", "Cassetta postale non trovata o non valida oppure utente sconosciuto"), UserUnknown},
		{"it outlook mailbox not available", failedReply("", "", "RCPT", "Cassetta postale non disponibile"), UserUnknown},
		{"it outlook mailbox full or quota exceeded", failedReply("", "", "RCPT", "Cassetta postale piena o quota superata"), MailboxFull},

		// French. Correction de l'erreur NDR « le quota de soumission de
		// l'expéditeur a été dépassé » dans Exchange Online,
		// https://learn.microsoft.com/fr-fr/Exchange/mail-flow-best-practices/non-delivery-reports-in-exchange-online/fix-error-for-submission-quota-exceeded-in-exchange-online
		{"fr exo sender sending quota exceeded", failedReply("", "", "", "Impossible d'envoyer le message, car le quota d'envoi de l'expéditeur est dépassé."), RateLimited},
		{"fr exo submission quota exceeded", failedReply("", "", "", "Le quota de soumission de l'expéditeur a été dépassé"), RateLimited},
		// Limites de stockage dans Outlook.com,
		// https://wus.prod.support.services.microsoft.com/fr-fr/office/limites-de-stockage-dans-outlook-com-7ac99134-69e5-4619-ac0b-2d313bba5e9e
		{"fr outlook quota exceeded", failedReply("", "", "RCPT", "Quota dépassé"), MailboxFull},
		{"fr outlook mailbox full", failedReply("", "", "RCPT", "Boîte aux lettres pleine"), MailboxFull},
		// Italian. Correzione dell'errore NDR "la quota di invio del mittente
		// è stata superata" in Exchange Online,
		// https://learn.microsoft.com/it-it/Exchange/mail-flow-best-practices/non-delivery-reports-in-exchange-online/fix-error-for-submission-quota-exceeded-in-exchange-online
		{"it exo sender sending quota exceeded", failedReply("", "", "", "Il messaggio non può essere inviato perché è stata superata la quota di invio del mittente."), RateLimited},
		// Swedish. Åtgärda NDR-felet "avsändarens sändningskvot överskreds"
		// i Exchange Online,
		// https://learn.microsoft.com/sv-se/exchange/troubleshoot/email-delivery/ndr/fix-error-for-submission-quota-exceeded-in-exchange-online
		{"sv exo sending quota exceeded", failedReply("", "", "", "Det går inte att skicka meddelandet eftersom avsändarens sändningskvot har överskridits."), RateLimited},
		{"sv exo sending quota exceeded short", failedReply("", "", "", "Det går inte att skicka meddelandet eftersom avsändarens sändningskvot överskreds."), RateLimited},
		// Korean. Exchange Online "보낸 사람의 제출 할당량을 초과했다"는 NDR 오류 수정,
		// https://docs.microsoft.com/ko-kr/Exchange/mail-flow-best-practices/non-delivery-reports-in-exchange-online/fix-error-for-submission-quota-exceeded-in-exchange-online
		{"ko exo sending quota exceeded", failedReply("", "", "", "보낸 사람의 전송 할당량이 초과되어 메시지를 전송할 수 없습니다."), RateLimited},

		// German. NDR-Fehlercode "550 5.1.8 Zugriff verweigert, ungültiger
		// ausgehender Absender",
		// https://learn.microsoft.com/de-de/exchange/troubleshoot/email-delivery/ndr/fix-error-code-5-1-8-in-exchange-online
		{"de exo not a valid sender", failedReply("", "", "", "Ihre Nachricht konnte nicht übermittelt werden, weil Sie nicht als gültiger Absender erkannt wurden. Der häufigste Grund dafür ist, dass der Verdacht besteht, dass von Ihrer E-Mail-Adresse Spam versandt wurde, und dass deshalb das Senden von E-Mails nicht mehr zugelassen wird."), Rejected},
		// Kontinuierliche Fehlerdrosselung für SMTP AUTH-Übermittlungen,
		// https://learn.microsoft.com/de-de/exchange/mail-flow-best-practices/continuous-error-throttling-smtp-auth-submissions
		{"de exo throttled mailbox full errors", failedReply("", "", "", "Der Absender wurde aufgrund fortlaufender Fehler „Postfach voll“ gedrosselt."), RateLimited},
		{"de exo throttled send as denied", failedReply("", "", "", "Der Absender wurde aufgrund fortlaufender Fehler „Senden als verweigert“ gedrosselt."), RateLimited},
		{"de exo throttled invalid license", failedReply("", "", "", "Der Absender wurde aufgrund fortlaufender Fehler „Ungültige Lizenz“ gedrosselt."), RateLimited},
		{"de exo throttled too many recipients", failedReply("", "", "", "Der Absender wurde aufgrund fortlaufender Fehler „Zu viele Empfänger“ gedrosselt."), RateLimited},
		// German. NDR-Fehlercodes 550 5.7.703, 550 5.7.705, 550 5.7.708 und
		// 550 5.7.750, https://support.microsoft.com/de-de/topic/ndr-fehlercodes-550-5-7-703-550-5-7-705-550-5-7-708-und-550-5-7-750-f5675801-1846-4d1c-9599-5b4e26a9175d
		{"de exo tenant exceeded threshold", failedReply("", "", "", "Zugriff verweigert, Mandant hat den Schwellenwert überschritten."), Rejected},
		// German. bytecamp FAQ, Fehlermeldungen bei Zustellproblemen (its
		// own bilingual replies), https://www.bytecamp.net/de/faq/email/zustellen.html
		{"de bytecamp account storage exceeded", delayedReply("", "", "RCPT", "Speicherplatz des Kontos ueberschritten"), MailboxFull},
		{"de bytecamp classified as spam", failedReply("", "", "DATA", "Nachricht als Spam eingestuft"), SpamDetected},
		// sitepackage.de, Typische Fehlermeldungen bei Unzustellbarkeit
		// (Web.de's bilingual replies),
		// http://www.sitepackage.de/service/dokumentation/auswertung/typische-fehlermeldungen-bei-unzustellbarkeit.html
		{"de webde storage volume exceeded", failedReply("", "", "RCPT", "Benutzer hat das Speichervolumen ueberschritten."), MailboxFull},
		{"de webde user unknown", failedReply("", "", "RCPT", "Benutzer nicht bekannt"), UserUnknown},
		// Spanish. CloudMailin SMTP troubleshooter, 452 (a server's reply,
		// its Spanish half without the accent),
		// https://www.cloudmailin.com/smtp-troubleshooter/452-error
		{"es buzon lleno unaccented", delayedReply("", "", "RCPT", "Recipient address rejected: Error: BUZON LLENO."), MailboxFull},
	}
	checkClear(t, tests)
}
