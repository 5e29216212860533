package logging_test

import (
	"fmt"
	"log/slog"
	"net/http"
	"net/http/httptest"
	"os"
	"time"

	"github.com/simplehttp/simplehttp/errorpage"
	"github.com/simplehttp/simplehttp/logging"
)

// files stands for a file server: one file, and http.Error for the rest.
var files = http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
	if r.URL.Path != "/a.txt" {
		http.Error(w, "File not found", http.StatusNotFound)
		return
	}
	fmt.Fprintln(w, "hello")
})

// get serves a GET for path from 127.0.0.1 with h, the request built as a
// server would hand it over, whatever bytes path holds.
func get(h http.Handler, path string) {
	r := httptest.NewRequest(http.MethodGet, "/", nil)
	r.RequestURI, r.URL.Path = path, path
	r.RemoteAddr = "127.0.0.1:50000"
	h.ServeHTTP(httptest.NewRecorder(), r)
}

var (
	zone  = time.FixedZone("CET", 3600)
	clock = func() time.Time { return time.Date(2026, time.November, 21, 15, 4, 5, 0, zone) }
)

func Example() {
	logger := logging.NewLogger(os.Stdout, logging.WithClock(clock), logging.WithLocation(zone))
	h := logger.Handler(files)
	get(h, "/a.txt")
	get(h, "/missing")
	get(h, "/\x1b[2J")
	// Output:
	// 127.0.0.1 - - [21/Nov/2026 15:04:05] "GET /a.txt HTTP/1.1" 200 -
	// 127.0.0.1 - - [21/Nov/2026 15:04:05] code 404, message File not found
	// 127.0.0.1 - - [21/Nov/2026 15:04:05] "GET /missing HTTP/1.1" 404 -
	// 127.0.0.1 - - [21/Nov/2026 15:04:05] code 404, message File not found
	// 127.0.0.1 - - [21/Nov/2026 15:04:05] "GET /\x1b[2J HTTP/1.1" 404 -
}

func ExampleLogger_Logf() {
	logger := logging.NewLogger(os.Stdout, logging.WithClock(clock), logging.WithLocation(zone))
	cgi := func(logf func(*http.Request, string, ...any)) http.Handler {
		return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
			w.WriteHeader(http.StatusOK)
			logf(r, "CGI script exit code %d", 1)
		})
	}
	get(logger.Handler(cgi(logger.Logf)), "/cgi-bin/fail.py")
	// Output:
	// 127.0.0.1 - - [21/Nov/2026 15:04:05] "GET /cgi-bin/fail.py HTTP/1.1" 200 -
	// 127.0.0.1 - - [21/Nov/2026 15:04:05] CGI script exit code 1
}

// A Combined logger sits outside errorpage, so that it counts the bytes of
// the page the client gets (335), not those of the handler's message (15).
func ExampleWithFormat() {
	h := logging.New(os.Stdout, logging.WithFormat(logging.Combined),
		logging.WithClock(clock), logging.WithLocation(zone))(errorpage.New()(files))
	get(h, "/a.txt")
	get(h, "/missing")
	// Output:
	// 127.0.0.1 - - [21/Nov/2026:15:04:05 +0100] "GET /a.txt HTTP/1.1" 200 6 "-" "-"
	// 127.0.0.1 - - [21/Nov/2026:15:04:05 +0100] "GET /missing HTTP/1.1" 404 335 "-" "-"
}

func ExampleWithSlog() {
	sl := slog.New(slog.NewTextHandler(os.Stdout, &slog.HandlerOptions{
		ReplaceAttr: func(groups []string, a slog.Attr) slog.Attr {
			if a.Key == slog.TimeKey {
				return slog.Attr{}
			}
			return a
		},
	}))
	h := logging.New(nil, logging.WithSlog(sl), logging.WithClock(clock))(files)
	get(h, "/a.txt")
	get(h, "/missing")
	// Output:
	// level=INFO msg=request method=GET path=/a.txt status=200 bytes=6 duration=0s remote_addr=127.0.0.1
	// level=WARN msg=request method=GET path=/missing status=404 bytes=15 duration=0s remote_addr=127.0.0.1 message="File not found"
}
