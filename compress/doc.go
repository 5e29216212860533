// Package compress is middleware that compresses responses on the fly
// with brotli, zstd or gzip, as the client's Accept-Encoding allows.
//
//	handler := compress.New()(http.FileServer(http.Dir(".")))
//
// Only 200 responses of compressible types (text, JSON, JavaScript, XML,
// SVG, WebAssembly, ...) of at least the minimum size are compressed; the
// rest go through untouched, sendfile included.
//
// Used alone or stacked in any order with the module's other packages, it
// changes no status code (README, "The contract").
package compress
