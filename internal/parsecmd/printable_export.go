package parsecmd

// Printable returns s fit to print on a terminal, as `bounced parse`
// prints its tables: escape sequences, C0 and C1 controls and the Unicode
// bidirectional controls removed, tabs and line breaks made spaces,
// invalid UTF-8 made U+FFFD (see printable). Other commands' tables of
// attacker-controlled text (bounce diagnostics, addresses) use it too.
func Printable(s string) string { return printable(s) }
