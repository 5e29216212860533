package logging

import (
	"context"
	"fmt"
	"io"
	"log/slog"
	"net"
	"net/http"
	"sync"
	"time"

	"github.com/simplehttp/simplehttp/internal/scrub"
	"github.com/simplehttp/simplehttp/internal/watch"
)

// A Logger writes an access log line for every request that passes through
// its [Logger.Handler], and lets other middleware add lines of their own with
// [Logger.Logf]. A Logger is safe for concurrent use: it builds each line in
// a buffer of its own and hands it to the io.Writer in a single Write call,
// under a mutex, so the io.Writer need not be safe for concurrent use and
// lines from concurrent requests never interleave.
type Logger struct {
	w      io.Writer
	mu     sync.Mutex // serialises the Writes on w
	format Format
	slog   *slog.Logger
	now    func() time.Time

	middleware func(http.Handler) http.Handler

	pyStamp  stampCache // for Python lines and Logf
	clfStamp stampCache // for Common and Combined lines
}

// NewLogger returns a Logger writing to w, configured by opts. By default it
// writes Python 3.12's lines ([Python]), in time.Local, reading the time
// from time.Now. NewLogger panics, with a message starting "logging: ", on a
// nil option, a nil w (unless [WithSlog] is given), an unknown [Format], a
// nil clock, location or slog logger.
func NewLogger(w io.Writer, opts ...Option) *Logger {
	c := config{format: Python, clock: time.Now, loc: time.Local}
	for _, opt := range opts {
		if opt == nil {
			panic("logging: nil Option")
		}
		opt(&c)
	}
	switch {
	case c.slogSet && c.slog == nil:
		panic("logging: WithSlog: nil *slog.Logger")
	case c.format < Python || c.format > Combined:
		panic("logging: unknown format " + c.format.String())
	case c.clock == nil:
		panic("logging: nil clock")
	case c.loc == nil:
		panic("logging: nil location")
	case w == nil && c.slog == nil:
		panic("logging: nil io.Writer")
	}
	l := &Logger{
		w:        w,
		format:   c.format,
		slog:     c.slog,
		now:      c.clock,
		pyStamp:  stampCache{layout: pythonLayout, loc: c.loc},
		clfStamp: stampCache{layout: commonLayout, loc: c.loc},
	}
	l.middleware = watch.Middleware("logging", watch.WriteString|watch.ReadFrom|watch.Flush,
		func(s *response, out *watch.Level, r *http.Request) (*http.Request, bool) {
			s.l, s.r, s.inner = l, r, out
			s.buf = s.line[:0]
			if l.slog != nil {
				s.start = l.now()
			}
			return r, true
		})
	return l
}

// New returns the logging middleware: NewLogger(w, opts...).Handler. Use
// [NewLogger] instead when other middleware needs [Logger.Logf].
func New(w io.Writer, opts ...Option) func(http.Handler) http.Handler {
	return NewLogger(w, opts...).Handler
}

// Handler returns a handler that serves the request with next and logs it.
//
// In the [Python] format the request line is written when next sends the
// status, so lines next logs with [Logger.Logf] after that follow it, as in
// Python. For a status of 400 or more the line "code N, message M" comes
// first, M being the handler's message when its body is one (the rule
// errorpage applies: see README), else Python's short message; both lines
// wait until that is known: when next returns, flushes, or writes what
// cannot be a message. The [Common] and [Combined] lines and the slog
// records are written when next returns.
//
// The writer next sees keeps exactly the optional interfaces of the
// original (httpsnoop): io.ReaderFrom (sendfile, counted), http.Flusher,
// http.Hijacker and the rest; next to this module's other watching
// middleware (headers, errorpage, compress) it shares their one wrap. A
// request whose handler panics is logged with
// what it sent, and the panic goes on; one that sent nothing is not logged.
// Each request has a writer state of its own: used after next returned, the
// writer reports an error and reaches nothing. Handler panics on a nil next.
func (l *Logger) Handler(next http.Handler) http.Handler {
	return l.middleware(next)
}

// Logf writes one line about r the way Python's log_message does:
//
//	ADDR - - [21/Nov/2026 15:04:05] MESSAGE
//
// where ADDR is r's client address without the port and MESSAGE is format
// and args formatted as by fmt.Sprintf, scrubbed of control characters.
// It writes this form whatever the [Format]; with [WithSlog] the message
// becomes a record instead. r may be nil (the address is then "-").
func (l *Logger) Logf(r *http.Request, format string, args ...any) {
	if l.slog != nil {
		ctx := context.Background()
		if r != nil {
			ctx = r.Context()
		}
		l.slog.LogAttrs(ctx, slog.LevelInfo, fmt.Sprintf(format, args...),
			slog.String("remote_addr", clientAddr(r)))
		return
	}
	msg := fmt.Appendf(nil, format, args...)
	line := l.appendPythonPrefix(make([]byte, 0, 64+len(msg)), r, l.now())
	line = scrub.Append(line, msg, false)
	l.write(append(line, '\n'))
}

func (l *Logger) write(b []byte) {
	l.mu.Lock()
	defer l.mu.Unlock()
	_, _ = l.w.Write(b)
}

// clientAddr returns the host part of r.RemoteAddr, as Python's
// address_string returns client_address[0] (an IPv6 address without
// brackets), or the whole of it when it has no port.
func clientAddr(r *http.Request) string {
	if r == nil || r.RemoteAddr == "" {
		return "-"
	}
	if host, _, err := net.SplitHostPort(r.RemoteAddr); err == nil {
		return host
	}
	return r.RemoteAddr
}
