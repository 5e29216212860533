package headers_test

import (
	"fmt"
	"net/http"
	"net/http/httptest"

	"github.com/simplehttp/simplehttp/headers"
)

func Example() {
	files := http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		http.Error(w, "404 page not found", http.StatusNotFound)
	})
	h := headers.New(http.Header{"Access-Control-Allow-Origin": {"*"}})(files)

	rec := httptest.NewRecorder()
	h.ServeHTTP(rec, httptest.NewRequest("GET", "/missing", nil))
	fmt.Println(rec.Code, rec.Header().Get("Access-Control-Allow-Origin"))

	rec = httptest.NewRecorder()
	req := httptest.NewRequest("OPTIONS", "/missing", nil)
	req.Header.Set("Access-Control-Request-Method", "POST")
	h.ServeHTTP(rec, req)
	fmt.Println(rec.Code, rec.Header().Get("Access-Control-Allow-Methods"))
	// Output:
	// 404 *
	// 204 POST
}
