package testutil

import (
	"bufio"
	"errors"
	"io"
	"net"
	"net/http"
)

// A DiscardWriter is an http.ResponseWriter that keeps nothing and
// allocates nothing, for benchmarks that measure a middleware rather than a
// recorder. Besides Header, Write and WriteHeader it has the optional
// interfaces of net/http's own writer that wrappers hook: io.StringWriter,
// io.ReaderFrom and http.Flusher (not http.Hijacker). Create it with a
// header map, as in &DiscardWriter{H: http.Header{}}, and clear the map
// between requests.
type DiscardWriter struct{ H http.Header }

// Header returns w.H.
func (w *DiscardWriter) Header() http.Header { return w.H }

// Write reports len(b) bytes written.
func (w *DiscardWriter) Write(b []byte) (int, error) { return len(b), nil }

// WriteString reports len(s) bytes written.
func (w *DiscardWriter) WriteString(s string) (int, error) { return len(s), nil }

// WriteHeader does nothing.
func (w *DiscardWriter) WriteHeader(int) {}

// ReadFrom reads r to its end and reports how many bytes it read.
func (w *DiscardWriter) ReadFrom(r io.Reader) (int64, error) { return io.Copy(io.Discard, r) }

// Flush does nothing.
func (w *DiscardWriter) Flush() {}

// A ServerWriter is a DiscardWriter with the whole method set of net/http's
// HTTP/1 response writer: besides DiscardWriter's, FlushError, CloseNotify
// and Hijack (which fails). A wrapper that hooks every optional method pays
// its full price on it, as it does in a server.
type ServerWriter struct{ DiscardWriter }

// FlushError does nothing.
func (w *ServerWriter) FlushError() error { return nil }

// CloseNotify returns a channel that never receives.
func (w *ServerWriter) CloseNotify() <-chan bool { return nil }

// Hijack fails: there is no connection.
func (w *ServerWriter) Hijack() (net.Conn, *bufio.ReadWriter, error) {
	return nil, nil, errors.New("testutil: ServerWriter cannot be hijacked")
}
