// Package logging is an access log middleware for net/http that writes
// Python 3.12 http.server's lines by default,
//
//	127.0.0.1 - - [21/Nov/2026 15:04:05] "GET /a.txt HTTP/1.1" 200 -
//	127.0.0.1 - - [21/Nov/2026 15:04:05] code 404, message File not found
//	127.0.0.1 - - [21/Nov/2026 15:04:05] "GET /missing HTTP/1.1" 404 -
//
// and, beyond Python, the Common and Combined Log Formats with real byte
// counts (bytes sent through ReadFrom and sendfile included) or one
// log/slog record per request.
//
// Everything a client or a handler can put in a line is scrubbed so that no
// control character reaches a terminal: C0 controls, DEL and C1 controls
// (as code points and as raw bytes) become \xNN, a backslash becomes \\,
// and bytes that are not valid UTF-8 become \xNN. Other UTF-8 passes through.
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
// Middleware that wants to log lines of its own (such as a CGI script's exit
// code) is handed logger.Logf, a func(*http.Request, string, ...any), and
// needs no import of this package.
//
// In the Python-compatible stack the logger sits inside the errorpage
// middleware, so that it sees the plain http.Error message an error page is
// later made of, and outside everything else. The byte counts of the
// Common and Combined lines are those of the writer the logger wraps: there
// an error counts its plain message, not the page the client gets, so a
// Common or Combined logger, which logs no message, belongs outside
// errorpage.
package logging
