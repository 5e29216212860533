package errorpage_test

import (
	"fmt"
	"net/http"
	"net/http/httptest"

	"github.com/simplehttp/simplehttp/errorpage"
)

func Example() {
	h := errorpage.New()(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		http.Error(w, "File not found", http.StatusNotFound)
	}))
	rec := httptest.NewRecorder()
	h.ServeHTTP(rec, httptest.NewRequest("GET", "/missing", nil))
	fmt.Println(rec.Code, rec.Header().Get("Content-Type"), rec.Header().Get("Content-Length"), rec.Header().Get("Connection"))
	fmt.Print(rec.Body.String())
	// Output:
	// 404 text/html;charset=utf-8 335 close
	// <!DOCTYPE HTML>
	// <html lang="en">
	//     <head>
	//         <meta charset="utf-8">
	//         <title>Error response</title>
	//     </head>
	//     <body>
	//         <h1>Error response</h1>
	//         <p>Error code: 404</p>
	//         <p>Message: File not found.</p>
	//         <p>Error code explanation: 404 - Nothing matches the given URI.</p>
	//     </body>
	// </html>
}

func ExampleWithTemplate() {
	mw := errorpage.New(
		errorpage.WithTemplate("{{.Code}} {{.Message}}: {{.Explain}}.\n"),
		errorpage.WithContentType("text/plain; charset=utf-8"),
	)
	h := mw(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		if r.URL.Path == "/private" {
			w.WriteHeader(http.StatusForbidden) // no message: Python's short one
			return
		}
		http.Error(w, "Unsupported method ('PUT')", http.StatusNotImplemented)
	}))
	for _, path := range []string{"/private", "/"} {
		rec := httptest.NewRecorder()
		h.ServeHTTP(rec, httptest.NewRequest("PUT", path, nil))
		fmt.Print(rec.Body.String())
	}
	// Output:
	// 403 Forbidden: Request forbidden -- authorization will not help.
	// 501 Unsupported method ('PUT'): Server does not support this operation.
}
