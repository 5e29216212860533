package cgi_test

import (
	"fmt"
	"log"
	"net/http"
	"net/http/httptest"
	"os"
	"path/filepath"
	"time"

	"github.com/simplehttp/simplehttp/cgi"
)

func Example() {
	// A served directory with one script in cgi-bin.
	dir, err := os.MkdirTemp("", "cgi-example-")
	if err != nil {
		log.Fatal(err)
	}
	defer os.RemoveAll(dir)
	_ = os.Chmod(dir, 0o755) // scripts run as nobody when the server is root
	_ = os.Mkdir(filepath.Join(dir, "cgi-bin"), 0o755)
	script := "#!/bin/sh\nprintf 'Content-Type: text/plain\\n\\n'\necho \"hello from $SCRIPT_NAME, PATH_INFO=$PATH_INFO, argument: $1\"\n"
	if err := os.WriteFile(filepath.Join(dir, "cgi-bin", "hello.sh"), []byte(script), 0o755); err != nil {
		log.Fatal(err)
	}

	root, err := os.OpenRoot(dir)
	if err != nil {
		log.Fatal(err)
	}
	defer root.Close()
	runScripts, err := cgi.New(root, cgi.WithTimeout(10*time.Second))
	if err != nil {
		log.Fatal(err)
	}
	files := http.FileServerFS(root.FS()) // anything else goes here
	h := runScripts(files)

	for _, target := range []string{"/cgi-bin/hello.sh/extra?two+words", "/cgi-bin/missing.sh"} {
		rec := httptest.NewRecorder()
		h.ServeHTTP(rec, httptest.NewRequest(http.MethodGet, target, nil))
		fmt.Print(rec.Code, " ", rec.Body.String())
	}
	// Output:
	// 200 hello from /cgi-bin/hello.sh, PATH_INFO=/extra, argument: two words
	// 404 No such CGI script ('/cgi-bin/missing.sh')
}
