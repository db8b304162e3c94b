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
	// report is the server's JSON error report, when it refused the token.
	report string
}

var _ sasl.Client = (*xoauth2Client)(nil)

// Start returns the initial response:
// "user=" user "\x01auth=Bearer " token "\x01\x01".
func (c *xoauth2Client) Start() (mech string, ir []byte, err error) {
	return "XOAUTH2", []byte("user=" + c.user + "\x01auth=Bearer " + c.token + "\x01\x01"), nil
}

// Next is called only when the server rejected the token: its challenge is
// a JSON error report (for example {"status":"401","schemes":"bearer"}),
// which is kept, and the answer is the empty response the protocol asks
// for, after which the server ends the command
// (developers.google.com/gmail/imap/xoauth2-protocol, "Error response").
// go-imap sends an empty response as "=", which Dovecot answers with a BAD
// rather than a NO; either way the command is over and the connection
// stays usable for another attempt.
func (c *xoauth2Client) Next(challenge []byte) ([]byte, error) {
	if c.report != "" {
		return nil, fmt.Errorf("mailbox: xoauth2: unexpected second challenge after %s", c.report)
	}
	if len(challenge) > 512 {
		challenge = challenge[:512]
	}
	c.report = string(challenge)
	if c.report == "" {
		c.report = "{}"
	}
	return []byte{}, nil
}
