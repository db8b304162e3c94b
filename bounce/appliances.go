package bounce

// applianceDecoders lists the decoders of mail appliances, gateways and smaller providers, in the order they are tried.
var applianceDecoders = []decoder{}
