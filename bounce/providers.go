package bounce

// providerDecoders lists the decoders of large mail providers and sending services (Microsoft, Google, Yahoo, Amazon, ...), in the order they are tried.
var providerDecoders = []decoder{}
