package simplehttp

import (
	"io"
	"net/http"
	"net/http/httptest"
	"strings"
	"testing"
	"time"

	"github.com/simplehttp/simplehttp/internal/testutil"
)

// BenchmarkStack measures a GET of a small file through the composed stack,
// without a network.
func BenchmarkStack(b *testing.B) {
	for _, path := range []string{"/a.txt", "/site/", "/site"} {
		b.Run(path, func(b *testing.B) {
			dir := writeFiles(b, map[string]string{"a.txt": "hello\n", "site/index.html": "<p>index</p>"})
			h, err := NewHandler(dir)
			if err != nil {
				b.Fatal(err)
			}
			req := httptest.NewRequest("GET", path, nil)
			b.ReportAllocs()
			for b.Loop() {
				h.ServeHTTP(httptest.NewRecorder(), req)
			}
		})
	}
}

// stackForms are the stacks BenchmarkStack1KiB and TestStackAlloc serve a
// 1 KiB file through: NewHandler's default, and the CLI's (an access log,
// as `simplehttp` always has) with and without the optional middleware.
var stackForms = []struct {
	name string
	opts []Option
}{
	{"default", nil},
	{"cli", []Option{WithAccessLog(io.Discard)}},
	{"cli-all", []Option{WithAccessLog(io.Discard), WithServerHeader("simplehttp"),
		WithHeaders(http.Header{"X-Frame-Options": {"DENY"}}), WithCompression(), WithHideDotfiles()}},
}

// BenchmarkStack1KiB serves a 1 KiB file through each of stackForms, into
// a writer that keeps nothing (what the stack costs) and into a recorder:
// from the file server's cache (the file is 2 s old first, as the cache
// wants), and without it (-nocache, fileserver.WithCache(0)).
func BenchmarkStack1KiB(b *testing.B) {
	dir := writeFiles(b, map[string]string{"small.txt": strings.Repeat("x", 1024)})
	time.Sleep(2100 * time.Millisecond) // the cache's settle window
	for _, form := range stackForms {
		for _, cache := range []struct {
			suffix string
			opts   []Option
		}{{"", nil}, {"-nocache", []Option{WithCache(0)}}} {
			h, err := NewHandler(dir, append(form.opts[:len(form.opts):len(form.opts)], cache.opts...)...)
			if err != nil {
				b.Fatal(err)
			}
			b.Cleanup(func() { h.Close() })
			req := httptest.NewRequest("GET", "/small.txt", nil)
			req.RemoteAddr = "127.0.0.1:50000"
			b.Run(form.name+cache.suffix+"/discard", func(b *testing.B) {
				w := &testutil.DiscardWriter{H: http.Header{}}
				b.ReportAllocs()
				for b.Loop() {
					clear(w.H)
					h.ServeHTTP(w, req)
				}
			})
			b.Run(form.name+cache.suffix+"/recorder", func(b *testing.B) {
				b.ReportAllocs()
				for b.Loop() {
					h.ServeHTTP(httptest.NewRecorder(), req)
				}
			})
		}
	}
}
