// Package errorpage turns the error responses of any handler into the
// HTML page Python 3.12's http.server sends (its error_message_format), or
// into a page of your own.
//
// Handlers report errors the net/http way, with [net/http.Error]: a status
// and a one-line text/plain message. The middleware puts that message and
// Python's explanation of the status into the page:
//
//	h := errorpage.New()(mux)
//	// http.Error(w, "File not found", 404) now answers
//	// <p>Message: File not found.</p>
//	// <p>Error code explanation: 404 - Nothing matches the given URI.</p>
//
// Responses below 400, and errors that carry their own document (any
// Content-Type but text/plain), pass through untouched, sendfile and
// streaming included. [WithPageTemplate] sets a template of your own (HTML,
// JSON or text, escaped for its type), [WithPage] a fixed page per status.
//
// Place it outermost, so that it sees every error of the stack. Used alone
// or in any order with the other packages it changes no status code; a
// Python-format logger inside it sees the handler's message, a Common or
// Combined logger outside it counts the page's bytes.
package errorpage
