package smtp

import "strings"

// Command is the SMTP stage a server answered: the command it refused, or
// the connection itself. The zero value means unknown.
type Command string

// The stages of an SMTP session, in session order (RFC 5321 section 3).
const (
	// Conn is the connection and the server's greeting (RFC 5321 section 3.1).
	Conn Command = "CONN"
	// Helo is the client's identification. EHLO, HELO (RFC 5321 section
	// 4.1.1.1) and LHLO (RFC 2033) are one stage: the server judges the
	// client's name whichever verb carried it.
	Helo Command = "HELO"
	// StartTLS is the TLS negotiation (RFC 3207).
	StartTLS Command = "STARTTLS"
	// Auth is SMTP authentication (RFC 4954).
	Auth Command = "AUTH"
	// Mail is MAIL FROM, the envelope sender (RFC 5321 section 4.1.1.2).
	Mail Command = "MAIL"
	// Rcpt is RCPT TO, one recipient (RFC 5321 section 4.1.1.3).
	Rcpt Command = "RCPT"
	// Data is DATA or BDAT and the end of the message (RFC 5321 section
	// 4.1.1.4, RFC 3030).
	Data Command = "DATA"
)

// String returns the command's name ("RCPT"), or "" when unknown.
func (c Command) String() string { return string(c) }

// commandNames maps the ways MTAs name a stage in their notices, upper
// case and with "_" and "-" read as spaces, to the stage. Each is matched
// at the start of the phrase and must end there or before a character
// that is not a letter, so that "MAILBOX" is not MAIL and "DATABASE" not
// DATA. Longer names come before their prefixes. MAIL followed by a
// space is the command only as "MAIL FROM" or "MAIL command": "mail
// server" is prose.
var commandNames = []struct {
	name string
	cmd  Command
}{
	{"RCPT", Rcpt}, {"RECIPIENT", Rcpt},
	{"MAIL FROM", Mail}, {"MAIL COMMAND", Mail}, {"MAIL", Mail}, {"SENDER", Mail},
	{"DATA", Data}, {"BDAT", Data}, {"BODY", Data}, {"END OF DATA", Data}, {"FINAL DATA", Data},
	{"EOD", Data}, {"END OF MESSAGE", Data}, {"MESSAGE BODY", Data}, {"MESSAGE TEXT", Data},
	{"TEXT COMMAND", Data}, {"CONTENT", Data},
	{"EHLO", Helo}, {"HELO", Helo}, {"LHLO", Helo},
	{"STARTTLS", StartTLS}, {"TLS", StartTLS},
	{"AUTH", Auth},
	{"INITIAL CONNECTION", Conn}, {"CONNECT", Conn}, {"CONNECTION", Conn}, {"CONNECTING", Conn},
	{"CONN", Conn}, {"GREETING", Conn}, {"BANNER", Conn}, {"THE INITIAL SERVER GREETING", Conn},
	{"SERVER GREETING", Conn},
}

// ParseCommand maps a command or a stage as MTAs name it ("RCPT TO:<a@b>",
// "rcpt_to", "MAIL FROM", "end of data", "final DATA", "BDAT", "EHLO",
// "initial connection", "greeting") to its Command, or "" when s names
// none. Leading white space, "<", ">", ":" and "(" are skipped.
func ParseCommand(s string) Command {
	u := strings.ToUpper(strings.TrimLeft(s, " \t\r\n<>:("))
	if u == "" {
		return ""
	}
	if strings.ContainsAny(u, "_-") {
		u = strings.NewReplacer("_", " ", "-", " ").Replace(u)
	}
	for _, n := range commandNames {
		if !strings.HasPrefix(u, n.name) || len(u) > len(n.name) && isLetter(u[len(n.name)]) {
			continue
		}
		if n.name == "MAIL" && len(u) > 4 && u[4] == ' ' {
			continue // "mail server", "mail delivery": not the command
		}
		return n.cmd
	}
	return ""
}

func isLetter(c byte) bool { return 'A' <= c && c <= 'Z' || 'a' <= c && c <= 'z' }
