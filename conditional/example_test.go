package conditional_test

import (
	"fmt"
	"net/http"
	"net/http/httptest"
	"strings"
	"time"

	"github.com/simplehttp/simplehttp/conditional"
)

func Example() {
	modtime := time.Date(2001, 2, 3, 4, 5, 6, 0, time.UTC)
	// Any handler that sets Last-Modified or ETag will do; this one hides
	// the preconditions from http.ServeContent so the middleware answers.
	files := http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		r = r.Clone(r.Context())
		r.Header.Del("If-Modified-Since")
		http.ServeContent(w, r, "hello.txt", modtime, strings.NewReader("hello\n"))
	})
	h := conditional.New()(files)

	for _, ims := range []string{
		"Sat, 03 Feb 2001 04:05:06 GMT",   // not modified since
		"Sat Feb  3 04:05:06 2001",        // asctime, no zone: UTC
		"Sat, 03 Feb 2001 05:05:06 +0100", // Python ignores non-UTC zones
		"Fri, 02 Feb 2001 00:00:00 GMT",   // modified since
	} {
		req := httptest.NewRequest("GET", "/hello.txt", nil)
		req.Header.Set("If-Modified-Since", ims)
		rec := httptest.NewRecorder()
		h.ServeHTTP(rec, req)
		fmt.Printf("%d %q Content-Type=%q\n", rec.Code, rec.Body.String(), rec.Header().Get("Content-Type"))
	}
	// Output:
	// 304 "" Content-Type=""
	// 304 "" Content-Type=""
	// 200 "hello\n" Content-Type="text/plain; charset=utf-8"
	// 200 "hello\n" Content-Type="text/plain; charset=utf-8"
}

func ExampleParseDate() {
	for _, v := range []string{
		"Sun, 06 Nov 1994 08:49:37 GMT",
		"Sunday, 06-Nov-94 08:49:37 GMT",
		"Sun Nov  6 08:49:37 1994",
		"Sun, 06 Nov 1994 08:49:37 +0100",
		"yesterday",
	} {
		t, ok := conditional.ParseDate(v)
		fmt.Println(t.Format(time.RFC3339), ok)
	}
	// Output:
	// 1994-11-06T08:49:37Z true
	// 1994-11-06T08:49:37Z true
	// 1994-11-06T08:49:37Z true
	// 0001-01-01T00:00:00Z false
	// 0001-01-01T00:00:00Z false
}

func ExampleNew_etag() {
	h := conditional.New()(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		w.Header().Set("Etag", `"v2"`)
		fmt.Fprintln(w, "version 2")
	}))
	for _, inm := range []string{`"v1", W/"v2"`, `"v1"`} {
		req := httptest.NewRequest("GET", "/", nil)
		req.Header.Set("If-None-Match", inm)
		rec := httptest.NewRecorder()
		h.ServeHTTP(rec, req)
		fmt.Println(rec.Code, rec.Header().Get("Etag"))
	}
	// Output:
	// 304 "v2"
	// 200 "v2"
}
