package logging

import (
	"io"
	"log"
	"log/slog"
	"net/http"
	"testing"

	"github.com/felixge/httpsnoop"
	"github.com/go-chi/chi/v5/middleware"

	"github.com/simplehttp/simplehttp/internal/testutil"
)

// BenchmarkLogger serves the same request through a bare handler, through
// httpsnoop.Wrap alone with the same four hooks (the floor), through each
// form of this logger, and through chi's middleware.Logger.
func BenchmarkLogger(b *testing.B) {
	hello := http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		w.WriteHeader(http.StatusOK)
		w.Write([]byte("hello\n"))
	})
	notFound := http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		w.Header()["Content-Type"] = []string{"text/plain; charset=utf-8"}
		w.WriteHeader(http.StatusNotFound)
		io.WriteString(w, "File not found\n")
	})
	snoop := func(next http.Handler) http.Handler {
		hooks := httpsnoop.Hooks{
			WriteHeader: func(f httpsnoop.WriteHeaderFunc) httpsnoop.WriteHeaderFunc { return f },
			Write:       func(f httpsnoop.WriteFunc) httpsnoop.WriteFunc { return f },
			WriteString: func(f httpsnoop.WriteStringFunc) httpsnoop.WriteStringFunc { return f },
			ReadFrom:    func(f httpsnoop.ReadFromFunc) httpsnoop.ReadFromFunc { return f },
		}
		return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
			next.ServeHTTP(httpsnoop.Wrap(w, hooks), r)
		})
	}
	chiLogger := middleware.RequestLogger(&middleware.DefaultLogFormatter{
		Logger: log.New(io.Discard, "", log.LstdFlags), NoColor: true,
	})
	slogger := slog.New(slog.NewTextHandler(io.Discard, nil))

	for _, bb := range []struct {
		name string
		h    http.Handler
	}{
		{"bare", hello},
		{"httpsnoop-only", snoop(hello)},
		{"python", New(io.Discard)(hello)},
		{"python-404", New(io.Discard)(notFound)},
		{"common", New(io.Discard, WithFormat(Common))(hello)},
		{"combined", New(io.Discard, WithFormat(Combined))(hello)},
		{"slog-text", New(nil, WithSlog(slogger))(hello)},
		{"chi-Logger", chiLogger(hello)},
	} {
		b.Run(bb.name, func(b *testing.B) {
			r := request("GET", "/a.txt", "127.0.0.1:50000")
			w := &testutil.DiscardWriter{H: http.Header{}}
			b.ReportAllocs()
			for b.Loop() {
				bb.h.ServeHTTP(w, r)
			}
		})
	}
	b.Run("python-parallel", func(b *testing.B) {
		h := New(io.Discard)(hello)
		b.ReportAllocs()
		b.RunParallel(func(pb *testing.PB) {
			r := request("GET", "/a.txt", "127.0.0.1:50000")
			w := &testutil.DiscardWriter{H: http.Header{}}
			for pb.Next() {
				h.ServeHTTP(w, r)
			}
		})
	})
}
