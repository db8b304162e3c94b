package bounce

// mtaDecoders2 lists decoders of MTA and provider formats, tried in order
// after complaints and before the generic RFC 3464 reader.
var mtaDecoders2 = []decoder{}
