package classify

// Reason is the fine cause of a delivery failure, one of the names in the
// table of ../shared/CONTRACT.md.
type Reason string

// Category is the coarse class of a Reason that operators act on.
type Category string

// The reasons.
const (
	UserUnknown        Reason = "user_unknown"
	HasMoved           Reason = "has_moved"
	HostUnknown        Reason = "host_unknown"
	NotAccept          Reason = "not_accept"
	MailboxFull        Reason = "mailbox_full"
	MessageTooBig      Reason = "message_too_big"
	ExceedLimit        Reason = "exceed_limit"
	Blocked            Reason = "blocked"
	Rejected           Reason = "rejected"
	PolicyViolation    Reason = "policy_violation"
	SpamDetected       Reason = "spam_detected"
	VirusDetected      Reason = "virus_detected"
	Filtered           Reason = "filtered"
	AuthFailure        Reason = "auth_failure"
	BadReputation      Reason = "bad_reputation"
	RequirePTR         Reason = "require_ptr"
	NotCompliantRFC    Reason = "not_compliant_rfc"
	SecurityError      Reason = "security_error"
	ContentError       Reason = "content_error"
	NoRelaying         Reason = "no_relaying"
	FailedSTARTTLS     Reason = "failed_starttls"
	Suppressed         Reason = "suppressed"
	RateLimited        Reason = "rate_limited"
	TooManyConnections Reason = "too_many_connections"
	Suspended          Reason = "suspended"
	Expired            Reason = "expired"
	NetworkError       Reason = "network_error"
	SystemError        Reason = "system_error"
	SystemFull         Reason = "system_full"
	MailerError        Reason = "mailer_error"
	SyntaxError        Reason = "syntax_error"
	OnHold             Reason = "on_hold"
	Undefined          Reason = "undefined"
	Complaint          Reason = "complaint"
	AutoReply          Reason = "auto_reply"
	Delivered          Reason = "delivered"
)

// The categories.
const (
	CatUserUnknown  Category = "user_unknown"
	CatHostUnknown  Category = "host_unknown"
	CatMailboxFull  Category = "mailbox_full"
	CatSizeRejected Category = "size_rejected"
	CatPolicyBlock  Category = "policy_block"
	CatTransient    Category = "transient"
	CatSuspended    Category = "suspended"
	CatComplaint    Category = "complaint"
	CatAutoReply    Category = "auto_reply"
	CatDelivered    Category = "delivered"
)

type reasonInfo struct {
	category Category
	hard     bool
}

// reasons is the table of ../shared/CONTRACT.md: every reason, its category
// and whether it is hard by default.
var reasons = map[Reason]reasonInfo{
	UserUnknown:        {CatUserUnknown, true},
	HasMoved:           {CatUserUnknown, true},
	HostUnknown:        {CatHostUnknown, true},
	NotAccept:          {CatHostUnknown, true},
	MailboxFull:        {CatMailboxFull, false},
	MessageTooBig:      {CatSizeRejected, false},
	ExceedLimit:        {CatSizeRejected, false},
	Blocked:            {CatPolicyBlock, false},
	Rejected:           {CatPolicyBlock, false},
	PolicyViolation:    {CatPolicyBlock, false},
	SpamDetected:       {CatPolicyBlock, false},
	VirusDetected:      {CatPolicyBlock, false},
	Filtered:           {CatPolicyBlock, false},
	AuthFailure:        {CatPolicyBlock, false},
	BadReputation:      {CatPolicyBlock, false},
	RequirePTR:         {CatPolicyBlock, false},
	NotCompliantRFC:    {CatPolicyBlock, false},
	SecurityError:      {CatPolicyBlock, false},
	ContentError:       {CatPolicyBlock, false},
	NoRelaying:         {CatPolicyBlock, false},
	FailedSTARTTLS:     {CatPolicyBlock, false},
	Suppressed:         {CatPolicyBlock, false},
	RateLimited:        {CatPolicyBlock, false},
	TooManyConnections: {CatTransient, false},
	Suspended:          {CatSuspended, false},
	Expired:            {CatTransient, false},
	NetworkError:       {CatTransient, false},
	SystemError:        {CatTransient, false},
	SystemFull:         {CatTransient, false},
	MailerError:        {CatTransient, false},
	SyntaxError:        {CatTransient, false},
	OnHold:             {CatTransient, false},
	Undefined:          {CatTransient, false},
	Complaint:          {CatComplaint, false},
	AutoReply:          {CatAutoReply, false},
	Delivered:          {CatDelivered, false},
}

// Valid reports whether r is one of the known reasons.
func (r Reason) Valid() bool { _, ok := reasons[r]; return ok }

// Category returns the category of r (CatTransient for an unknown reason).
func (r Reason) Category() Category {
	if i, ok := reasons[r]; ok {
		return i.category
	}
	return CatTransient
}

// Hard reports whether r is hard by default: retrying can never succeed.
func (r Reason) Hard() bool { return reasons[r].hard }

// Reasons returns every known reason.
func Reasons() []Reason {
	out := make([]Reason, 0, len(reasons))
	for r := range reasons {
		out = append(out, r)
	}
	return out
}
