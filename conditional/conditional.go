package conditional

import (
	"bufio"
	"io"
	"net"
	"net/http"
	"time"

	"github.com/felixge/httpsnoop"

	"github.com/simplehttp/simplehttp/internal/precond"
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
// responses of any handler that sets validators (Last-Modified, ETag).
//
// When the handler commits to a 200 or 206 (WriteHeader, the first Write,
// WriteString, ReadFrom or Flush, or returning without writing), the
// request's If-Match, If-Unmodified-Since, If-None-Match and
// If-Modified-Since are applied in the order of RFC 9110 §13.2.2, with
// Python 3.12's reading of If-Modified-Since ([ParseDate]: GET and HEAD
// only, ignored when If-None-Match is present, compared to the second).
// The answer is a 304 (keeping ETag, Cache-Control, Expires, Vary and
// Content-Location) or a 412 written like [http.Error]; the handler's body
// is then dropped unread (Write and ReadFrom return
// [http.ErrBodyNotAllowed]). Other statuses, and hijacked connections, are
// left alone. [fileserver.New] answers the same preconditions for its files
// by the same rules, so this middleware changes nothing in front of it.
//
// Requests without those four headers reach next with the original
// ResponseWriter. Otherwise the writer is wrapped with httpsnoop, which
// keeps exactly the optional interfaces the original has (http.Flusher,
// http.Hijacker, io.ReaderFrom, ...), so sendfile still happens. The
// decision comes after the handler has run up to its first write: a handler
// that changes state must check If-Match itself before acting.
//
// New panics on a nil Option; the middleware panics when wrapping a nil
// handler.
//
// [fileserver.New]: https://pkg.go.dev/github.com/simplehttp/simplehttp/fileserver#New
func New(opts ...Option) func(http.Handler) http.Handler {
	c := &config{parseDate: ParseDate}
	for _, opt := range opts {
		if opt == nil {
			panic("conditional: nil Option")
		}
		opt(c)
	}
	if c.parseDate == nil {
		panic("conditional: WithDateParser: nil parser")
	}
	return func(next http.Handler) http.Handler {
		if next == nil {
			panic("conditional: nil next handler")
		}
		return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
			if !precond.Present(r.Header) {
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
	cw.dropped = precond.Write(cw.w, cw.c.evaluate(cw.r, code, cw.w.Header()))
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
