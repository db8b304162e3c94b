package decoders

// carrierDecoders lists the decoders of Japanese mobile carriers and ISPs, in the order they are tried.
var carrierDecoders = []decoder{
	{name: "ezweb", match: matchEZweb, decode: decodeEZweb},
	{name: "kddi", match: matchKDDI, decode: decodeKDDI},
}
