package httperr

import (
	"bytes"
	"strings"
)

// MaxMessage bounds an error body that can be a message: 64 KiB, the
// longest request line Python accepts, which bounds what its messages quote.
const MaxMessage = 64 << 10

// IsPlainText reports whether the Content-Type ct has the media type
// text/plain (what comes before any ";", in any case, spaces around it
// ignored), the type http.Error gives its message ("text/plainx" has not).
func IsPlainText(ct string) bool {
	mt, _, _ := strings.Cut(ct, ";")
	return strings.EqualFold(strings.Trim(mt, " \t"), "text/plain")
}

// A Body collects an error body as a handler sends it and applies the
// message rule shared by errorpage and logging. The body is the handler's
// message when it is written the [http.Error] way: under a text/plain
// Content-Type (checked by the caller with [IsPlainText]), one line of at
// most [MaxMessage] bytes ending in a single "\n", with no "\r" and no other
// "\n", and no flush before the handler returns (http.Error never flushes;
// a streamed body, such as a CGI script's, is not a message). Any number of
// writes may make it up. The zero Body is empty and may still become a
// message.
type Body struct {
	buf  []byte
	lost bool // it can no longer be a message
}

// Write adds p to the body and reports whether it can still be a message.
func (b *Body) Write(p []byte) bool {
	if b.lost {
		return false
	}
	// A line break already written, followed by more, ends the chance.
	if len(b.buf) > 0 && len(p) > 0 && b.buf[len(b.buf)-1] == '\n' ||
		len(b.buf)+len(p) > MaxMessage {
		return b.Lose()
	}
	if i := bytes.IndexAny(p, "\r\n"); i >= 0 && (p[i] == '\r' || i != len(p)-1) {
		return b.Lose()
	}
	b.buf = append(b.buf, p...)
	return true
}

// WriteString is [Body.Write] for a string.
func (b *Body) WriteString(s string) bool {
	if b.lost {
		return false
	}
	if len(b.buf)+len(s) > MaxMessage {
		return b.Lose()
	}
	return b.Write([]byte(s))
}

// Lose records that the body is no message (it was flushed, or went on
// where the handler sent it without a copy here). It returns false.
func (b *Body) Lose() bool {
	b.lost, b.buf = true, nil
	return false
}

// Possible reports whether the body can still be a message.
func (b *Body) Possible() bool { return !b.lost }

// Room is how many more bytes the body can take and still be a message.
func (b *Body) Room() int {
	if b.lost {
		return 0
	}
	return MaxMessage - len(b.buf)
}

// Message returns the message once the body is complete: the line without
// its "\n", as the handler wrote it (not necessarily valid UTF-8), or false
// when the body is no message.
func (b *Body) Message() (string, bool) {
	line, ok := b.Line()
	return string(line), ok
}

// Line is [Body.Message] without a copy: the slice is b's own.
func (b *Body) Line() ([]byte, bool) {
	if b.lost || len(b.buf) == 0 || b.buf[len(b.buf)-1] != '\n' {
		return nil, false
	}
	return b.buf[:len(b.buf)-1], true
}

// Message returns the message of a complete error body sent with the
// Content-Type ct, by the rule of [Body].
func Message(ct string, body []byte) (string, bool) {
	if !IsPlainText(ct) {
		return "", false
	}
	var b Body
	b.Write(body)
	return b.Message()
}
