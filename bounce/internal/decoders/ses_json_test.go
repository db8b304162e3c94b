package decoders

import (
	"bytes"
	"reflect"
	"testing"
)

// FuzzReadSESNotification checks readSESNotification, which reads the
// JSON once, against readSESNotificationSlow, the three reads it
// replaces (the first value, then as an envelope, then as the
// notification): the same notification, or none, for any body.
func FuzzReadSESNotification(f *testing.F) {
	f.Add(`{"notificationType":"Bounce","bounce":{"bounceType":"Permanent","bouncedRecipients":[{"emailAddress":"a@example.org","status":"5.1.1"}]},"mail":{"messageId":"x"}}`)
	f.Add(`{"Type":"Notification","Message":"{\"notificationType\":\"Complaint\",\"complaint\":{\"complainedRecipients\":[{\"emailAddress\":\"a@example.org\"}]}}"}`)
	f.Add(`{"Type":"Notification","Message":"{\"notificationType\":\"Bounce\"} x"}`)
	f.Add(`{"Type":"Notification","Message":"{\"notificationType\":\"Bounce\"} \n"}`)
	f.Add(`{"Type":5,"notificationType":"Bounce","bounce":{}}`)
	f.Add(`{"Message":{"a":1},"notificationType":"Delivery","delivery":{"recipients":["a@example.org"]}}`)
	f.Add(`{"Message":"{}","bounce":"x"}`)
	f.Add(`{"notificationType":"Bounce","bounce":[]}`)
	f.Add(`junk {"eventType":"Bounce","bou!` + "\n " + `nce":{"bouncedRecipients":[{"emailAddress":"a@b.c"}]}} trailing`)
	f.Add(`{"message":"null"}`)
	f.Add(`{"Message":"  {\"eventType\":\"x\"}  "}`)
	f.Add(`{"notificationType":"Bounce"`)
	f.Fuzz(func(t *testing.T, body string) {
		got, gotOK := readSESNotification(body)
		var want sesNotification
		wantOK := false
		raw := sesJSON(body)
		if start := bytes.IndexByte(raw, '{'); start >= 0 {
			want, wantOK = readSESNotificationSlow(raw[start:])
		}
		if gotOK != wantOK || !reflect.DeepEqual(got, want) {
			t.Errorf("readSESNotification(%q) = %+v, %v; the three reads give %+v, %v", body, got, gotOK, want, wantOK)
		}
	})
}
