package conditional

import (
	"bufio"
	"io"
	"net"
	"net/http"
	"time"

	"github.com/felixge/httpsnoop"
)

// An Option configures the middleware returned by [New].
type Option func(*config)

type config struct {
	parseDate func(string) (time.Time, bool)
}

// WithDateParser sets how If-Modified-Since and If-Unmodified-Since values
// are read. parse returns the instant the value names and whether the
// header is to be used at all. The default is [ParseDate], Python's rule.
// For RFC 9110's strict HTTP-date, wrap [http.ParseTime]. New panics when
// parse is nil.
func WithDateParser(parse func(value string) (time.Time, bool)) Option {
	return func(c *config) { c.parseDate = parse }
}

// New returns middleware that answers conditional requests for the
// responses of any handler that sets validators.
//
// It decides when the handler commits to a status (WriteHeader, or the
// first Write, WriteString, ReadFrom or Flush, or returning without writing,
// which all mean 200; a handler that hijacks the connection is left alone).
// For a 200 or 206 response, and a 416 to a request with Range (RFC 9110
// §14.2 evaluates Range after the preconditions), it reads the response's
// Last-Modified and ETag headers and applies the request's If-Match,
// If-Unmodified-Since, If-None-Match and If-Modified-Since in the order of
// RFC 9110 §13.2.2:
//
//   - If-Modified-Since follows Python's http.server exactly: it is used
//     only for GET and HEAD, only when there is no If-None-Match header
//     (even an empty one), and only when its date reads as UTC ([ParseDate]);
//     a Last-Modified (whole seconds) that is not after it gives 304.
//     Responses without Last-Modified, such as directory listings, are
//     never 304 by this rule.
//   - If-None-Match compares entity tags weakly, takes lists and "*", and
//     gives 304 for GET and HEAD, 412 for other methods. "*" matches any
//     response evaluated, with validators or without (a listing too), as
//     RFC 9110 §13.1.2 says.
//   - If-Match compares strongly; If-Unmodified-Since (ignored when
//     If-Match is present, or without Last-Modified) fails when
//     Last-Modified is after it. Both give 412.
//
// A 304 keeps the handler's headers except Content-Type, Content-Length,
// Content-Encoding, Content-Range, Content-Language, Accept-Ranges,
// Transfer-Encoding and Last-Modified, so a response from a Python-like
// file handler is answered with the headers Python sends (Date and Server
// only); ETag, Cache-Control, Expires and Vary stay, as RFC 9110 §15.4.5
// asks. A 412 is written like [http.Error] with the message "Precondition
// Failed".
//
// After a 304 or 412 the handler's body is dropped without being read:
// Write and WriteString return [http.ErrBodyNotAllowed], and ReadFrom
// returns it without reading from its source, so a file served through
// io.Copy or [http.ServeContent] is never read.
//
// Requests without any of these four headers go straight to the handler
// with the original ResponseWriter. Otherwise the writer is wrapped with
// httpsnoop, which keeps exactly the optional interfaces the original has
// (http.Flusher, http.Hijacker, io.ReaderFrom and the rest); ReadFrom
// reaches the original's, so sendfile still happens.
//
// The middleware decides after the handler has run up to its first write.
// For GET and HEAD that costs nothing, but for a method that changes state
// the change has already happened when a 412 is sent: such handlers must
// check If-Match themselves before acting.
func New(opts ...Option) func(http.Handler) http.Handler {
	c := &config{parseDate: ParseDate}
	for _, opt := range opts {
		opt(c)
	}
	if c.parseDate == nil {
		panic("conditional: WithDateParser: nil parser")
	}
	return func(next http.Handler) http.Handler {
		return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
			if !hasPreconditions(r.Header) {
				next.ServeHTTP(w, r)
				return
			}
			cw := &writer{w: w, r: r, c: c}
			next.ServeHTTP(cw.wrap(), r)
			// A handler that returns without writing has answered 200.
			cw.commit()
		})
	}
}

// writer watches one response for the moment its status is decided.
type writer struct {
	w http.ResponseWriter
	r *http.Request
	c *config

	decided bool // the status has been committed
	dropped bool // a 304 or 412 was written here: the handler's output is dropped
}

// decide evaluates the preconditions once the handler commits to code, and
// writes the 304 or 412 when they call for one.
func (cw *writer) decide(code int) {
	cw.decided = true
	switch cw.c.evaluate(cw.r, code, cw.w.Header()) {
	case notModified:
		cw.dropped = true
		writeNotModified(cw.w)
	case preconditionFailed:
		cw.dropped = true
		writePreconditionFailed(cw.w)
	}
}

// commit decides for an implicit 200 if nothing has been decided yet.
func (cw *writer) commit() {
	if !cw.decided {
		cw.decide(http.StatusOK)
	}
}

func (cw *writer) wrap() http.ResponseWriter {
	return httpsnoop.Wrap(cw.w, httpsnoop.Hooks{
		WriteHeader: func(next httpsnoop.WriteHeaderFunc) httpsnoop.WriteHeaderFunc {
			return func(code int) {
				if !cw.decided && !informational(code) {
					cw.decide(code)
				}
				if !cw.dropped {
					next(code)
				}
			}
		},
		Write: func(next httpsnoop.WriteFunc) httpsnoop.WriteFunc {
			return func(b []byte) (int, error) {
				if cw.commit(); cw.dropped {
					return 0, http.ErrBodyNotAllowed
				}
				return next(b)
			}
		},
		WriteString: func(next httpsnoop.WriteStringFunc) httpsnoop.WriteStringFunc {
			return func(s string) (int, error) {
				if cw.commit(); cw.dropped {
					return 0, http.ErrBodyNotAllowed
				}
				return next(s)
			}
		},
		ReadFrom: func(next httpsnoop.ReadFromFunc) httpsnoop.ReadFromFunc {
			return func(src io.Reader) (int64, error) {
				if cw.commit(); cw.dropped {
					return 0, http.ErrBodyNotAllowed
				}
				return next(src)
			}
		},
		Flush: func(next httpsnoop.FlushFunc) httpsnoop.FlushFunc {
			return func() {
				cw.commit()
				next()
			}
		},
		Hijack: func(next httpsnoop.HijackFunc) httpsnoop.HijackFunc {
			return func() (net.Conn, *bufio.ReadWriter, error) {
				cw.decided = true // the connection is the handler's now
				return next()
			}
		},
	})
}

// informational reports whether code is a 1xx status that precedes the
// final one (101 Switching Protocols is final).
func informational(code int) bool {
	return code >= 100 && code < 200 && code != http.StatusSwitchingProtocols
}
