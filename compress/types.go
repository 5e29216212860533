package compress

import "strings"

// compressibleTypes are the media types compressed besides text/* and
// the +json and +xml suffixes: formats of text, and binary formats that
// are not compressed already (fonts, icons, WebAssembly).
var compressibleTypes = map[string]bool{
	"application/javascript":        true,
	"application/x-javascript":      true,
	"application/ecmascript":        true,
	"application/json":              true,
	"application/x-ndjson":          true,
	"application/xml":               true,
	"application/wasm":              true,
	"application/yaml":              true,
	"application/x-yaml":            true,
	"application/toml":              true,
	"application/rtf":               true,
	"application/x-sh":              true,
	"application/x-tex":             true,
	"application/postscript":        true,
	"application/vnd.ms-fontobject": true,
	"font/ttf":                      true,
	"font/otf":                      true,
	"image/bmp":                     true,
	"image/x-icon":                  true,
	"image/vnd.microsoft.icon":      true,
}

// compressible reports whether a response with Content-Type ct is worth
// compressing.
func compressible(ct string) bool {
	mt, _, _ := strings.Cut(ct, ";")
	mt = strings.ToLower(strings.Trim(mt, " \t"))
	switch {
	case mt == "text/event-stream":
		return false // held back for the minimum size, events would stall
	case strings.HasPrefix(mt, "text/"):
		return true
	case strings.HasSuffix(mt, "+json"), strings.HasSuffix(mt, "+xml"):
		return true
	}
	return compressibleTypes[mt]
}
