package logging

import (
	"log/slog"
	"net/http"
	"strconv"
	"time"

	"github.com/simplehttp/simplehttp/internal/pystatus"
	"github.com/simplehttp/simplehttp/internal/scrub"
)

// appendPythonPrefix appends "ADDR - - [DATE] ", the start of every line
// Python's log_message writes. The address is scrubbed too: middleware such
// as chi's RealIP may have copied it from a request header.
func (l *Logger) appendPythonPrefix(b []byte, r *http.Request, t time.Time) []byte {
	b = scrub.Append(b, clientAddr(r), false)
	b = append(b, " - - ["...)
	b = append(b, l.pyStamp.format(t)...)
	return append(b, "] "...)
}

// appendRequestLine appends Python's log_request line:
//
//	ADDR - - [DATE] "METHOD URI PROTO" CODE -
func (l *Logger) appendRequestLine(b []byte, r *http.Request, t time.Time, code int) []byte {
	b = l.appendPythonPrefix(b, r, t)
	b = append(b, '"')
	b = appendRequestLine(b, r, false)
	b = append(b, `" `...)
	b = strconv.AppendInt(b, int64(code), 10)
	return append(b, " -\n"...)
}

// appendErrorLine appends the line Python's send_error logs first:
//
//	ADDR - - [DATE] code N, message M
func appendErrorLine[S string | []byte](l *Logger, b []byte, r *http.Request, t time.Time, code int, msg S) []byte {
	b = l.appendPythonPrefix(b, r, t)
	b = append(b, "code "...)
	b = strconv.AppendInt(b, int64(code), 10)
	b = append(b, ", message "...)
	b = scrub.Append(b, msg, false)
	return append(b, '\n')
}

// appendRequestLine appends the request line as the client sent it, as far
// as net/http lets us know it: method, request URI and protocol joined by
// single spaces, scrubbed.
func appendRequestLine(b []byte, r *http.Request, quote bool) []byte {
	b = scrub.Append(b, r.Method, quote)
	b = append(b, ' ')
	if r.RequestURI != "" {
		b = scrub.Append(b, r.RequestURI, quote)
	} else { // a request built by hand rather than read by a server
		b = scrub.Append(b, r.URL.RequestURI(), quote)
	}
	b = append(b, ' ')
	return scrub.Append(b, r.Proto, quote)
}

// appendCommon appends a Common or Combined Log Format line:
//
//	ADDR - - [21/Nov/2026:15:04:05 +0100] "GET /a.txt HTTP/1.1" 200 1234 "REFERER" "USER-AGENT"
//
// The identity and user fields are always "-".
func (l *Logger) appendCommon(b []byte, r *http.Request, t time.Time, code int, bytes int64) []byte {
	b = scrub.Append(b, clientAddr(r), false)
	b = append(b, " - - ["...)
	b = append(b, l.clfStamp.format(t)...)
	b = append(b, `] "`...)
	b = appendRequestLine(b, r, true)
	b = append(b, `" `...)
	b = strconv.AppendInt(b, int64(code), 10)
	b = append(b, ' ')
	if bytes == 0 {
		b = append(b, '-')
	} else {
		b = strconv.AppendInt(b, bytes, 10)
	}
	if l.format == Combined {
		b = appendQuotedHeader(b, r.Header, "Referer")
		b = appendQuotedHeader(b, r.Header, "User-Agent")
	}
	return append(b, '\n')
}

func appendQuotedHeader(b []byte, h http.Header, key string) []byte {
	b = append(b, ` "`...)
	if v := h.Get(key); v != "" {
		b = scrub.Append(b, v, true)
	} else {
		b = append(b, '-')
	}
	return append(b, '"')
}

// logRecord emits the slog record of a finished request.
func (l *Logger) logRecord(s *response, bytes int64) {
	level := slog.LevelInfo
	switch {
	case s.status >= 500:
		level = slog.LevelError
	case s.status >= 400:
		level = slog.LevelWarn
	}
	attrs := [7]slog.Attr{
		slog.String("method", s.r.Method),
		slog.String("path", s.r.URL.Path),
		slog.Int("status", s.status),
		slog.Int64("bytes", bytes),
		slog.Duration("duration", l.now().Sub(s.start)),
		slog.String("remote_addr", clientAddr(s.r)),
	}
	n := 6
	if s.status >= 400 {
		msg, ok := s.body.Message()
		if !ok {
			msg = pythonPhrase(s.status)
		}
		attrs[n] = slog.String("message", msg)
		n++
	}
	l.slog.LogAttrs(s.r.Context(), level, "request", attrs[:n]...)
}

// pythonPhrase returns the short message Python's send_error uses when it is
// given none: the code's entry in Python's status table, or "???".
func pythonPhrase(code int) string {
	if st, ok := pystatus.Lookup(code); ok {
		return st.Phrase
	}
	return "???"
}
