package dotfiles_test

import (
	"fmt"
	"net/http"
	"net/http/httptest"

	"github.com/simplehttp/simplehttp/dotfiles"
)

func ExampleNew() {
	files := http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		fmt.Fprintln(w, "serving", r.URL.Path)
	})
	h := dotfiles.New()(files)
	for _, target := range []string{"/index.html", "/.env", "/a/%2Egit/config"} {
		rec := httptest.NewRecorder()
		h.ServeHTTP(rec, httptest.NewRequest(http.MethodGet, target, nil))
		fmt.Print(rec.Code, " ", rec.Body.String())
	}
	// Output:
	// 200 serving /index.html
	// 404 File not found
	// 404 File not found
}
