package compress_test

import (
	"fmt"
	"net/http"
	"net/http/httptest"
	"strings"

	"github.com/simplehttp/simplehttp/compress"
)

func Example() {
	page := strings.Repeat("<p>Hello, world!</p>\n", 100)
	h := compress.New()(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		w.Header().Set("Content-Type", "text/html")
		w.Header().Set("ETag", `"v1"`)
		fmt.Fprint(w, page)
	}))

	req := httptest.NewRequest("GET", "/", nil)
	req.Header.Set("Accept-Encoding", "gzip, br;q=0.5")
	rec := httptest.NewRecorder()
	h.ServeHTTP(rec, req)
	fmt.Println(rec.Header().Get("Content-Encoding"), rec.Header().Get("Vary"), rec.Header().Get("ETag"))
	fmt.Println(len(page), "bytes sent as", rec.Body.Len() < len(page)/10, "less than a tenth")
	// Output:
	// gzip Accept-Encoding W/"v1-gz"
	// 2100 bytes sent as true less than a tenth
}
