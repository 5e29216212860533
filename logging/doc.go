// Package logging is an access log middleware for net/http that writes
// Python 3.12 http.server's lines by default,
//
//	127.0.0.1 - - [21/Nov/2026 15:04:05] "GET /a.txt HTTP/1.1" 200 -
//	127.0.0.1 - - [21/Nov/2026 15:04:05] code 404, message File not found
//	127.0.0.1 - - [21/Nov/2026 15:04:05] "GET /missing HTTP/1.1" 404 -
//
// and, beyond Python, the Common and Combined Log Formats with real byte
// counts (sendfile included) or one log/slog record per request. Whatever a
// client or a handler puts in a line is scrubbed of control characters.
//
// Usage:
//
//	logger := logging.NewLogger(os.Stderr)
//	handler := logger.Handler(files)
//
// or, when nothing else needs [Logger.Logf]:
//
//	handler := logging.New(os.Stderr, logging.WithFormat(logging.Combined))(files)
//
// Middleware that logs lines of its own (such as a CGI script's exit code)
// is handed logger.Logf, a func(*http.Request, string, ...any).
//
// Place a Python-format logger inside the errorpage middleware, so that its
// "message" is the handler's http.Error text, and a Common or Combined
// logger outside it, so that it counts the page the client gets. Used alone
// or in any order with the other packages it changes no response.
package logging
