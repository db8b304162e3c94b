package mailbox

import (
	"fmt"

	"github.com/emersion/go-sasl"
)

// xoauth2Client is the client side of the XOAUTH2 SASL mechanism, which
// Gmail, Microsoft 365 and Dovecot (auth_mechanisms = xoauth2) accept. It is
// not standardised; OAUTHBEARER (RFC 7628) is its standard successor.
type xoauth2Client struct {
	user, token string
}

var _ sasl.Client = (*xoauth2Client)(nil)

// Start returns the initial response:
// "user=" user "\x01auth=Bearer " token "\x01\x01".
func (c *xoauth2Client) Start() (mech string, ir []byte, err error) {
	return "XOAUTH2", []byte("user=" + c.user + "\x01auth=Bearer " + c.token + "\x01\x01"), nil
}

// Next is called only when the server rejected the token: its challenge is
// a JSON error report, which is returned as the error. (The protocol would
// have the client answer with an empty line to get the tagged NO; the
// worker drops the connection instead.)
func (c *xoauth2Client) Next(challenge []byte) ([]byte, error) {
	if len(challenge) > 512 {
		challenge = challenge[:512]
	}
	return nil, fmt.Errorf("mailbox: xoauth2 token rejected: %s", challenge)
}
