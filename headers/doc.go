// Package headers is middleware that adds fixed response headers to every
// response of a handler, as `python -m http.server -H NAME VALUE` does
// (Python 3.15), and answers CORS preflight requests when
// Access-Control-Allow-Origin is among them.
//
//	h := http.Header{}
//	h.Add("Access-Control-Allow-Origin", "*")
//	h.Add("Cache-Control", "no-cache")
//	handler := headers.New(h)(http.FileServer(http.Dir(".")))
//
// Used alone or stacked in any order with the module's other packages, it
// changes no status code but a CORS preflight's (README, "The contract").
package headers
