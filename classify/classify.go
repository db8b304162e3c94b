// Package classify turns a failed recipient (enhanced status code, SMTP
// reply code, the remote server's words) into a reason, a category and
// whether the failure is hard, through a readable rule table.
//
// It stands on its own: the input may come from a decoded bounce (package
// bounce) or from an SMTP-time rejection in a send log.
package classify

// Input is what the classifier knows of one failed recipient.
type Input struct {
	// Status is the RFC 3463 enhanced status code, e.g. "5.1.1".
	Status string
	// ReplyCode is the SMTP reply code, e.g. "550".
	ReplyCode string
	// Diagnostic is the remote server's text.
	Diagnostic string
	// Action is the RFC 3464 action: failed, delayed, delivered, relayed, expanded.
	Action string
	// Command is the SMTP command that was refused (RCPT, DATA, MAIL, CONN...).
	Command string
	// RemoteMTA is the host that refused the message, when known; some
	// providers' wordings only mean something coming from them.
	RemoteMTA string
	// Recipient is the failed address, when known (its domain can select
	// provider rules).
	Recipient string
	// Hint is a reason the decoder read from the report itself; used when
	// no stronger evidence contradicts it.
	Hint Reason
	// FeedbackType marks an ARF complaint when not empty.
	FeedbackType string
}

// Verdict is the classifier's answer.
type Verdict struct {
	Reason   Reason
	Category Category
	Hard     bool
	// Rule names the rule that decided, e.g. "status:5.1.1" or
	// "text:mailbox_full/mailbox is full".
	Rule string
}
