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

func ExampleWithPageTemplate() {
	mw := errorpage.New(errorpage.WithPageTemplate("application/json",
		`{"code":{{.Code}},"message":"{{.Message}}"}`+"\n"))
	h := mw(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		if r.URL.Path == "/private" {
			w.WriteHeader(http.StatusForbidden) // no message: Python's short one
			return
		}
		http.Error(w, `Unsupported method ('P"T')`, http.StatusNotImplemented)
	}))
	for _, path := range []string{"/private", "/"} {
		rec := httptest.NewRecorder()
		h.ServeHTTP(rec, httptest.NewRequest("GET", path, nil))
		fmt.Print(rec.Body.String())
	}
	// Output:
	// {"code":403,"message":"Forbidden"}
	// {"code":501,"message":"Unsupported method ('P\"T')"}
}

func ExampleWithPage() {
	mw := errorpage.New(errorpage.WithPage(http.StatusNotFound, []byte("<h1>Nothing here</h1>\n"), "text/html; charset=utf-8"))
	h := mw(http.NotFoundHandler())
	rec := httptest.NewRecorder()
	h.ServeHTTP(rec, httptest.NewRequest("GET", "/missing", nil))
	fmt.Println(rec.Code, rec.Header().Get("Content-Type"))
	fmt.Print(rec.Body.String())
	// Output:
	// 404 text/html; charset=utf-8
	// <h1>Nothing here</h1>
}
