package testutil

import (
	"io"
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
