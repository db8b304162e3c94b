package verp_test

import (
	"errors"
	"fmt"
	"time"

	"github.com/bounced-dev/bounced/verp"
)

func Example() {
	s, err := verp.New(verp.Config{
		Pattern: "bounces+{token}+{local}={domain}@shop.example",
		// The first secret signs; the others (older ones) still verify.
		Secrets: [][]byte{[]byte("5f2c8e1a9b7d4c3e6f0a1b2c3d4e5f60"), []byte("0123456789abcdef0123456789abcdef")},
		MaxAge:  90 * 24 * time.Hour,
		Now:     func() time.Time { return time.Date(2026, 12, 2, 9, 0, 0, 0, time.UTC) },
	})
	if err != nil {
		panic(err)
	}
	rp, _ := s.Sign("Taro@docomo.ne.jp", verp.Options{SendID: "order-1042"})
	fmt.Println(rp) // the envelope sender (MAIL FROM) of the mail to taro

	a, err := s.Verify(rp)
	fmt.Println(a.Recipient, a.SendID, a.Day.Format(time.DateOnly), a.Key, err)

	_, err = s.Verify("bounces+aaaaaaaaaaaaaaaa+victim=example.com@shop.example")
	fmt.Println(errors.Is(err, verp.ErrBadSignature))
	// Output:
	// bounces+ke2xfsq7het4shtj.order-1042+taro=docomo.ne.jp@shop.example
	// taro@docomo.ne.jp order-1042 2026-12-02 0 <nil>
	// true
}
