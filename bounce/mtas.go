package bounce

// mtaDecoders lists the decoders of general-purpose MTAs (Postfix, Sendmail, Exim, qmail, ...), in the order they are tried.
var mtaDecoders = []decoder{}
