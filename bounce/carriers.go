package bounce

// carrierDecoders lists the decoders of Japanese mobile carriers and ISPs, in the order they are tried.
var carrierDecoders = []decoder{}
