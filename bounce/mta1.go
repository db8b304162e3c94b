package bounce

// mtaDecoders1 lists decoders of MTA and provider formats, tried in order
// after complaints and before the generic RFC 3464 reader.
var mtaDecoders1 = []decoder{}
