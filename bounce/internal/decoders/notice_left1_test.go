package decoders

import "testing"

// TestNoticeLeft1Helpers has cases for the helpers round left1 of
// testdata/unseen changed: a Japanese notice's reception-setting sentence
// above or after the recipient's paragraph, and the English cause words.
func TestNoticeLeft1Helpers(t *testing.T) {
	above := "配信結果のお知らせ\n\n受信者の受信設定（指定受信）により受け取りを拒否されたため、配信できませんでした。\n\n" +
		"宛先: a@example.ne.jp\n応答: 550 Unknown user a@example.ne.jp (DATA)\n"
	if got, want := jaSettingSentence(above, "a@example.ne.jp"), "受信者の受信設定（指定受信）により受け取りを拒否されたため、配信できませんでした。"; got != want {
		t.Errorf("jaSettingSentence(above) = %q, want %q", got, want)
	}
	after := "配信エラー\n\n宛先: a@example.ne.jp\n応答: 554 5.7.1 Rejected\n\n受信拒否設定により受け取りを拒否されました。\n"
	if got, want := jaSettingSentence(after, "a@example.ne.jp"), "受信拒否設定により受け取りを拒否されました。"; got != want {
		t.Errorf("jaSettingSentence(after) = %q, want %q", got, want)
	}
	// A notice that says only that the mail was not delivered names no
	// setting.
	none := "お送りいただいたメールは、以下の宛先に配送できませんでした。\n\n宛先: a@example.ne.jp\n理由: 宛先不明\n"
	if got := jaSettingSentence(none, "a@example.ne.jp"); got != "" {
		t.Errorf("jaSettingSentence(none) = %q, want \"\"", got)
	}
	// The Japanese words are not the English readers' cause words.
	if hasFailureWords("受信拒否設定により拒否されました") {
		t.Error("hasFailureWords took a Japanese sentence")
	}
	for d, want := range map[string]bool{
		"Subject: Your quotation request":                      false,
		"Mailbox over quota":                                   true,
		"The host mx.example.net is not accepting connections": true,
		"The session ended in a remote protocol error":         true,
	} {
		if got := hasFailureWords(d); got != want {
			t.Errorf("hasFailureWords(%q) = %v, want %v", d, got, want)
		}
	}
}
