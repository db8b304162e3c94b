package decoders

import "testing"

func TestSESLegacyDiagnostic(t *testing.T) {
	tests := []struct {
		name                   string
		in                     Recipient
		wantDiag, wantSt, want string
	}{
		{
			name:     "remote status",
			in:       Recipient{Status: "5.0.0", Diagnostic: "5.1.0 - Unknown address error 550-'5.7.1 <x@example.com>... Access denied' (delivery attempts: 0)"},
			wantDiag: "550 5.7.1 <x@example.com>... Access denied", wantSt: "5.7.1", want: "550",
		},
		{
			name:     "ses status kept",
			in:       Recipient{Status: "5.0.0", Diagnostic: "5.3.0 - Other mail system problem 550-'Unknown user a@example.jp' (delivery attempts: 0)"},
			wantDiag: "550 Unknown user a@example.jp", wantSt: "5.3.0", want: "550",
		},
		{
			name:     "modern untouched",
			in:       Recipient{Status: "5.1.1", ReplyCode: "550", Diagnostic: "550 5.1.1 user unknown"},
			wantDiag: "550 5.1.1 user unknown", wantSt: "5.1.1", want: "550",
		},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			r := tc.in
			sesLegacyDiagnostic(&r)
			if r.Diagnostic != tc.wantDiag || r.Status != tc.wantSt || r.ReplyCode != tc.want {
				t.Errorf("sesLegacyDiagnostic() = (%q, %q, %q), want (%q, %q, %q)", r.Diagnostic, r.Status, r.ReplyCode, tc.wantDiag, tc.wantSt, tc.want)
			}
		})
	}
}

func TestDecodeSESNotification_kinds(t *testing.T) {
	tests := []struct {
		name, body string
		kind       Kind
		addr       string
	}{
		{"delivery", `{"notificationType":"Delivery","mail":{"source":"a@example.com"},"delivery":{"recipients":["b@example.net"],"smtpResponse":"250 2.6.0 Message received"}}`, KindDelivered, "b@example.net"},
		{"bounce in sns", `{"Type":"Notification","Message":"{\"notificationType\":\"Bounce\",\"bounce\":{\"bounceType\":\"Permanent\",\"bounceSubType\":\"Suppressed\",\"bouncedRecipients\":[{\"emailAddress\":\"c@example.org\"}]},\"mail\":{}}"}`, KindBounce, "c@example.org"},
		{"event publishing", `{"eventType":"Complaint","complaint":{"complainedRecipients":[{"emailAddress":"d@example.jp"}]},"mail":{}}`, KindComplaint, "d@example.jp"},
		{"delivery delay", `{"eventType":"DeliveryDelay","deliveryDelay":{"delayType":"TransientCommunicationFailure","delayedRecipients":[{"emailAddress":"f@example.de","status":"4.4.1","diagnosticCode":"smtp; 421 4.4.1 Unable to connect"}]},"mail":{}}`, KindDelay, "f@example.de"},
		{"line split", "{\"notificationType\":\"Bounce\",\"bounce\":{\"bouncedRecipients\":[{\"emailAddress\":\"e@exam!\n ple.com\"}]},\"mail\":{}}", KindBounce, "e@example.com"},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			rep := decodeSESNotification(tc.body)
			if rep == nil || len(rep.Recipients) != 1 {
				t.Fatalf("decodeSESNotification() = %+v, want one recipient", rep)
			}
			if rep.Kind != tc.kind || rep.Recipients[0].Address != tc.addr {
				t.Errorf("decodeSESNotification() = %s %s, want %s %s", rep.Kind, rep.Recipients[0].Address, tc.kind, tc.addr)
			}
		})
	}
	if rep := decodeSESNotification("not json at all"); rep != nil {
		t.Errorf("decodeSESNotification(garbage) = %+v, want nil", rep)
	}
}
