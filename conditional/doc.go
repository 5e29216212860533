// Package conditional answers conditional requests (If-Modified-Since,
// If-None-Match, If-Match, If-Unmodified-Since) in front of any handler
// that sets Last-Modified or ETag, the way Python 3.12's http.server
// answers If-Modified-Since, and RFC 9110's way for the rest.
//
// The handler runs unchanged and serves the full response; the middleware
// watches for the moment it commits to a 200 and turns that into a 304 or a
// 412 when the preconditions say so, without the body ever being read:
//
//	files := fileserver.New(root.FS())
//	http.ListenAndServe(":8000", conditional.New()(files))
//
// In the Python-compatible stack it sits inside logging and cgi and outside
// the file handlers, so the access log shows the 304:
//
//	errorpage → logging → cgi → conditional → index → dirlist → files
//
// See [New] for the rules and [ParseDate] for the dates Python accepts.
//
// Used alone or stacked in any order with the module's other packages, it
// gives every request the status code the documented order gives (README,
// "The contract"): fileserver and dirlist answer their own preconditions
// by the same rules, so it changes nothing in front of them.
package conditional
