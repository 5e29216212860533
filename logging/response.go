package logging

import (
	"bufio"
	"errors"
	"io"
	"net"
	"net/http"
	"sync/atomic"
	"time"

	"github.com/simplehttp/simplehttp/internal/httperr"
	"github.com/simplehttp/simplehttp/internal/watch"
)

// errAfterReturn is what a writer used after its handler returned gets.
var errAfterReturn = errors.New("logging: ResponseWriter used after its handler returned")

// response follows one request through the handler. It belongs to that
// request alone: nothing in it is reused, so a writer kept past its
// handler's return can reach nothing but its own, finished, response.
type response struct {
	l     *Logger
	r     *http.Request
	inner *watch.Level // where the response goes
	done  atomic.Bool  // the handler has returned

	start   time.Time
	status  int          // the final status sent; 0 until then
	bytes   int64        // body bytes accepted by the inner writer
	pending bool         // an error waits for its message from the body
	body    httperr.Body // the error body, for its message
	buf     []byte       // a line being built, in line at first
	line    [256]byte
}

func (s *response) WriteHeader(code int) {
	if s.done.Load() {
		return
	}
	s.inner.WriteHeader(code) // first, so that an invalid code panics before it is logged
	// 1xx responses other than 101 are informational: the final status follows.
	if s.status == 0 && (code >= 200 || code == http.StatusSwitchingProtocols) {
		s.sent(code)
	}
}

func (s *response) Write(b []byte) (int, error) {
	if s.done.Load() {
		return 0, errAfterReturn
	}
	if s.status == 0 {
		s.sent(http.StatusOK)
	}
	if s.pending && !s.body.Write(b) {
		s.endMessage()
	}
	n, err := s.inner.Write(b)
	s.bytes += int64(n)
	return n, err
}

// WriteString is watched so that a string does not go through Write as a
// copy.
func (s *response) WriteString(str string) (int, error) {
	if s.done.Load() {
		return 0, errAfterReturn
	}
	if s.status == 0 {
		s.sent(http.StatusOK)
	}
	if s.pending && !s.body.WriteString(str) {
		s.endMessage()
	}
	n, err := s.inner.WriteString(str)
	s.bytes += int64(n)
	return n, err
}

func (s *response) Flush() {
	if s.done.Load() {
		return
	}
	if s.status == 0 {
		s.sent(http.StatusOK)
	}
	if s.pending {
		s.body.Lose() // a streamed body is no message
		s.endMessage()
	}
	s.inner.Flush()
}

// Hijack is not watched: the connection is the handler's.
func (s *response) Hijack() (net.Conn, *bufio.ReadWriter, error) { return s.inner.Hijack() }

func (s *response) ReadFrom(src io.Reader) (int64, error) {
	if s.done.Load() {
		return 0, errAfterReturn
	}
	if s.status == 0 {
		s.sent(http.StatusOK)
	}
	var n int64
	if s.pending {
		// The body goes past this writer: read it here, as long as it
		// can still be a message, and send what was read; the rest goes
		// to the original ReadFrom.
		buf := make([]byte, 4<<10)
		for s.pending {
			k, err := src.Read(buf[:min(len(buf), s.body.Room()+1)])
			if k > 0 {
				if !s.body.Write(buf[:k]) {
					s.endMessage()
				}
				w, werr := s.inner.Write(buf[:k])
				s.bytes += int64(w)
				if n += int64(w); werr != nil {
					return n, werr
				}
			}
			if err == io.EOF {
				return n, nil
			} else if err != nil {
				return n, err
			}
		}
	}
	m, err := s.inner.ReadFrom(src)
	s.bytes += m
	return n + m, err
}

// sent records the final status. In the Python format the request line is
// written now, unless it is an error whose message is still to come.
func (s *response) sent(code int) {
	s.status = code
	pyLines := s.l.slog == nil && s.l.format == Python
	if code >= 400 && (pyLines || s.l.slog != nil) {
		if httperr.IsPlainText(s.inner.Header().Get("Content-Type")) {
			s.pending = true
			return
		}
		s.body.Lose()
		if pyLines {
			s.logError()
		}
		return
	}
	if pyLines {
		s.buf = s.l.appendRequestLine(s.buf[:0], s.r, s.l.now(), code)
		s.l.write(s.buf)
	}
}

// endMessage ends the wait for an error's message.
func (s *response) endMessage() {
	if !s.pending {
		return
	}
	s.pending = false
	s.logError()
}

// logError writes the two Python lines of an error, in the Python format.
func (s *response) logError() {
	if s.l.slog != nil || s.l.format != Python {
		return
	}
	t := s.l.now()
	if msg, ok := s.body.Line(); ok {
		s.buf = appendErrorLine(s.l, s.buf[:0], s.r, t, s.status, msg)
	} else {
		s.buf = appendErrorLine(s.l, s.buf[:0], s.r, t, s.status, pythonPhrase(s.status))
	}
	s.buf = s.l.appendRequestLine(s.buf, s.r, t, s.status)
	s.l.write(s.buf)
}

// End runs when the handler has returned, or has panicked: a response
// that sent a status is then logged with what it sent; one that sent none
// got no answer at all and is not logged. From now on the writer refuses
// to be used.
func (s *response) End(panicked bool) {
	s.done.Store(true)
	if s.status == 0 {
		if panicked {
			return
		}
		s.sent(http.StatusOK)
	}
	s.endMessage()
	bytes := s.bytes
	if s.r.Method == http.MethodHead {
		bytes = 0 // the server discarded what the handler wrote
	}
	switch {
	case s.l.slog != nil:
		s.l.logRecord(s, bytes)
	case s.l.format == Common || s.l.format == Combined:
		s.buf = s.l.appendCommon(s.buf[:0], s.r, s.l.now(), s.status, bytes)
		s.l.write(s.buf)
	}
}
