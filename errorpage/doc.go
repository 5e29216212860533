// Package errorpage turns the error responses of any handler into the
// HTML page Python 3.12's http.server sends (its error_message_format), or
// into a page of your own.
//
// Handlers report errors the net/http way, with [net/http.Error]: a status
// and a one-line text/plain message. The middleware, outermost in the
// stack, puts that message and Python's explanation of the status into the
// page:
//
//	h := errorpage.New()(mux)
//	// http.Error(w, "File not found", 404) now answers
//	// <p>Message: File not found.</p>
//	// <p>Error code explanation: 404 - Nothing matches the given URI.</p>
//
// Responses below 400, and errors that already carry their own document
// (any Content-Type but text/plain), pass through untouched, sendfile and
// streaming included. See [New] for the rules, [WithTemplate] and
// [WithContentType] for your own page.
package errorpage
