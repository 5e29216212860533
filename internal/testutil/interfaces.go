package testutil

import (
	"io"
	"net/http"
)

// Interfaces lists the optional interfaces w has, among http.Flusher,
// http.Hijacker, io.ReaderFrom and io.StringWriter, in that order, by the
// short names "Flusher", "Hijacker", "ReaderFrom" and "StringWriter". A
// wrapper that keeps its writer's interfaces lists the same as the writer.
func Interfaces(w http.ResponseWriter) []string {
	var out []string
	if _, ok := w.(http.Flusher); ok {
		out = append(out, "Flusher")
	}
	if _, ok := w.(http.Hijacker); ok {
		out = append(out, "Hijacker")
	}
	if _, ok := w.(io.ReaderFrom); ok {
		out = append(out, "ReaderFrom")
	}
	if _, ok := w.(io.StringWriter); ok {
		out = append(out, "StringWriter")
	}
	return out
}
