package logging

import (
	"bytes"
	"errors"
	"io"
	"net/http"
	"strings"
	"time"

	"github.com/felixge/httpsnoop"
)

// maxMessage bounds the error message taken from a response body.
const maxMessage = 4096

// errAfterReturn is what a writer used after its handler returned gets.
var errAfterReturn = errors.New("logging: ResponseWriter used after its handler returned")

// response follows one request through the handler. Responses are pooled by
// their Logger, together with the hooks and the functions the hooks return,
// so that wrapping a writer allocates only what httpsnoop itself needs.
type response struct {
	l *Logger
	r *http.Request

	hooks         httpsnoop.Hooks
	onWriteHeader httpsnoop.WriteHeaderFunc
	onWrite       httpsnoop.WriteFunc
	onWriteString httpsnoop.WriteStringFunc
	onReadFrom    httpsnoop.ReadFromFunc
	inner         http.ResponseWriter
	nextHeader    httpsnoop.WriteHeaderFunc
	nextWrite     httpsnoop.WriteFunc
	nextWriteStr  httpsnoop.WriteStringFunc
	nextReadFrom  httpsnoop.ReadFromFunc
	start         time.Time
	status        int   // the final status sent; 0 until then
	bytes         int64 // body bytes accepted by the inner writer
	pending       bool  // an error waits for its message from the body
	haveMessage   bool  // msg holds (the start of) the handler's message
	msg           []byte
	peek          []byte // the start of a body sent through ReadFrom
	buf           []byte
}

func newResponse(l *Logger) *response {
	s := &response{l: l}
	s.onWriteHeader = s.writeHeader
	s.onWrite = s.write
	s.onWriteString = s.writeString
	s.onReadFrom = s.readFrom
	s.hooks = httpsnoop.Hooks{
		WriteHeader: func(next httpsnoop.WriteHeaderFunc) httpsnoop.WriteHeaderFunc {
			s.nextHeader = next
			return s.onWriteHeader
		},
		Write: func(next httpsnoop.WriteFunc) httpsnoop.WriteFunc {
			s.nextWrite = next
			return s.onWrite
		},
		// httpsnoop calls this hook only when the inner writer has
		// WriteString; without it, WriteString would go through Write with
		// a copy of the string.
		WriteString: func(next httpsnoop.WriteStringFunc) httpsnoop.WriteStringFunc {
			s.nextWriteStr = next
			return s.onWriteString
		},
		ReadFrom: func(next httpsnoop.ReadFromFunc) httpsnoop.ReadFromFunc {
			s.nextReadFrom = next
			return s.onReadFrom
		},
	}
	return s
}

func (s *response) begin(w http.ResponseWriter, r *http.Request) {
	s.r = r
	s.inner = w
	if s.l.slog != nil {
		s.start = s.l.now()
	}
}

func (s *response) wrap(w http.ResponseWriter) http.ResponseWriter {
	return httpsnoop.Wrap(w, s.hooks)
}

func (s *response) writeHeader(code int) {
	if s.r == nil {
		return
	}
	s.nextHeader(code) // first, so that an invalid code panics before it is logged
	// 1xx responses other than 101 are informational: the final status follows.
	if s.status == 0 && (code >= 200 || code == http.StatusSwitchingProtocols) {
		s.sent(code)
	}
}

func (s *response) write(b []byte) (int, error) {
	if s.r == nil {
		return 0, errAfterReturn
	}
	bodyStarts(s, b)
	n, err := s.nextWrite(b)
	s.bytes += int64(n)
	return n, err
}

func (s *response) writeString(str string) (int, error) {
	if s.r == nil {
		return 0, errAfterReturn
	}
	bodyStarts(s, str)
	n, err := s.nextWriteStr(str)
	s.bytes += int64(n)
	return n, err
}

func (s *response) readFrom(src io.Reader) (int64, error) {
	if s.r == nil {
		return 0, errAfterReturn
	}
	if s.status == 0 {
		s.sent(http.StatusOK)
	}
	var n int64
	if s.pending {
		// The body goes past this writer: read its start here for the
		// message and send it, then the rest as the handler asked.
		if s.peek == nil {
			s.peek = make([]byte, maxMessage)
		}
		k, err := io.ReadAtLeast(src, s.peek, 1)
		bodyStarts(s, s.peek[:k])
		s.endMessage() // when nothing was read: Python's phrase
		if k > 0 {
			w, werr := s.write(s.peek[:k])
			if n = int64(w); werr != nil {
				return n, werr
			}
		}
		if err == io.EOF {
			return n, nil
		} else if err != nil {
			return n, err
		}
	}
	m, err := s.nextReadFrom(src)
	s.bytes += m
	return n + m, err
}

// bodyStarts notes that the handler writes b: an implicit 200 when no status
// was sent, or part of the message of an error waiting for it.
func bodyStarts[S string | []byte](s *response, b S) {
	if s.status == 0 {
		s.sent(http.StatusOK)
	}
	if !s.pending || len(b) == 0 {
		return
	}
	// The message is the first line of the first write, up to maxMessage
	// bytes. Waiting for more writes to complete the line would delay the
	// lines past what the handler logs meanwhile (a CGI script's exit
	// code, which writes its body as it comes), and no flush can end the
	// wait without hooking Flush, which costs two allocations a request.
	s.haveMessage = true
	i := 0
	for i < len(b) && b[i] != '\n' && i < maxMessage {
		i++
	}
	s.msg = append(s.msg[:0], b[:i]...)
	s.endMessage()
}

// sent records the final status. In the Python format the request line is
// written now, unless it is an error whose message is still to come.
func (s *response) sent(code int) {
	s.status = code
	pyLines := s.l.slog == nil && s.l.format == Python
	if code >= 400 && (pyLines || s.l.slog != nil) {
		if isPlainText(s.inner.Header().Get("Content-Type")) {
			s.pending = true
			return
		}
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

// endMessage ends the wait for an error's message: the first line of the
// body's first write when there was one, else Python's phrase.
func (s *response) endMessage() {
	if !s.pending {
		return
	}
	s.pending = false
	s.msg = bytes.TrimSuffix(s.msg, []byte{'\r'})
	s.logError()
}

// logError writes the two Python lines of an error, in the Python format.
func (s *response) logError() {
	if s.l.slog != nil || s.l.format != Python {
		return
	}
	t := s.l.now()
	s.buf = s.l.appendErrorLine(s.buf[:0], s.r, t, s.status, s.message())
	s.buf = s.l.appendRequestLine(s.buf, s.r, t, s.status)
	s.l.write(s.buf)
}

// message returns the handler's message for the error, or Python's.
func (s *response) message() []byte {
	if !s.haveMessage {
		s.msg = append(s.msg[:0], pythonPhrase(s.status)...)
		s.haveMessage = true
	}
	return s.msg
}

// end runs when the handler has returned, or has panicked: a response
// that sent a status is then logged with what it sent; one that sent none
// got no answer at all and is not logged.
func (s *response) end(panicked bool) {
	if s.status == 0 {
		if panicked {
			s.closed()
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
	s.closed()
}

// closed resets s for the next request. A writer the handler kept past
// its return (net/http forbids it) then gets errAfterReturn, as long as s
// is not serving another request.
func (s *response) closed() {
	s.r = nil
	s.inner = nil
	s.nextHeader, s.nextWrite, s.nextWriteStr, s.nextReadFrom = nil, nil, nil, nil
	s.status, s.bytes = 0, 0
	s.pending, s.haveMessage = false, false
	s.msg = s.msg[:0]
	if cap(s.buf) > maxPooled {
		s.buf = nil
	}
}

func isPlainText(contentType string) bool {
	const plain = "text/plain"
	return len(contentType) >= len(plain) && strings.EqualFold(contentType[:len(plain)], plain)
}
