package dirlist

import (
	"bytes"
	"fmt"
	"io"
	"net/http"
	"net/http/httptest"
	"os"
	"path/filepath"
	"testing"

	"github.com/simplehttp/simplehttp/internal/oracle"
)

// bigDir returns a directory of n files, built once and kept in the
// temporary directory (outside the repository) for later runs. Names mix
// cases, spaces, "%" and non-ASCII so quoting and sorting do real work.
func bigDir(b *testing.B, n int) string {
	b.Helper()
	dir := filepath.Join(os.TempDir(), fmt.Sprintf("simplehttp-dirlist-bench-%d", n))
	done := dir + ".complete"
	if _, err := os.Stat(done); err == nil {
		return dir
	}
	if err := os.RemoveAll(dir); err != nil {
		b.Fatal(err)
	}
	if err := os.Mkdir(dir, 0o755); err != nil {
		b.Fatal(err)
	}
	kinds := []string{"File %07d.txt", "photo %07d é.JPG", "100%% done %07d", "Ünïcode-%07d", "x#%07d?&<y>"}
	for i := range n {
		name := fmt.Sprintf(kinds[i%len(kinds)], (i*7919)%n)
		if err := os.WriteFile(filepath.Join(dir, name), nil, 0o644); err != nil {
			b.Fatal(err)
		}
	}
	if err := os.WriteFile(done, nil, 0o644); err != nil {
		b.Fatal(err)
	}
	return dir
}

// BenchmarkList measures a whole listing request (read the directory, sort,
// render) for 1 000, 10 000 and 100 000 entries: the time per entry stays
// flat, so nothing is quadratic. The forms read the directory through
// os.DirFS, except python-root: through an os.Root, the CLI's default, and
// python-root-cold, the same without the cache (a new middleware for each
// listing). The directories are old enough to be cached.
func BenchmarkList(b *testing.B) {
	forms := []struct {
		name   string
		root   bool
		cold   bool // a new middleware each time: nothing cached
		opts   []Option
		target string
	}{
		{"python", false, false, nil, "/"},
		{"python-root", true, false, nil, "/"},
		{"python-root-cold", true, true, nil, "/"},
		{"rich", false, false, []Option{WithRichListing()}, "/"},
		{"json", false, false, []Option{WithJSON()}, "/?format=json"},
	}
	for _, n := range []int{1000, 10000, 100000} {
		dir := bigDir(b, n)
		for _, f := range forms {
			b.Run(fmt.Sprintf("%s/%d", f.name, n), func(b *testing.B) {
				fsys := os.DirFS(dir)
				if f.root {
					root, err := os.OpenRoot(dir)
					if err != nil {
						b.Fatal(err)
					}
					b.Cleanup(func() { root.Close() })
					fsys = root.FS()
				}
				h := New(fsys, f.opts...)(http.NotFoundHandler())
				req := httptest.NewRequest(http.MethodGet, f.target, nil)
				b.ReportAllocs()
				var size int
				for b.Loop() {
					if f.cold {
						h = New(fsys, f.opts...)(http.NotFoundHandler())
					}
					rec := httptest.NewRecorder()
					h.ServeHTTP(rec, req)
					if rec.Code != http.StatusOK {
						b.Fatalf("status %d", rec.Code)
					}
					size = rec.Body.Len()
				}
				b.ReportMetric(float64(size), "bytes/page")
			})
		}
	}
}

// BenchmarkFileServerList measures net/http's FileServer listing the same
// directories (http.Dir, links followed), the reference for BenchmarkList.
func BenchmarkFileServerList(b *testing.B) {
	for _, n := range []int{1000, 10000, 100000} {
		b.Run(fmt.Sprint(n), func(b *testing.B) {
			h := http.FileServer(http.Dir(bigDir(b, n)))
			req := httptest.NewRequest(http.MethodGet, "/", nil)
			b.ReportAllocs()
			for b.Loop() {
				rec := httptest.NewRecorder()
				h.ServeHTTP(rec, req)
				if rec.Code != http.StatusOK {
					b.Fatalf("status %d", rec.Code)
				}
			}
		})
	}
}

// BenchmarkPythonList measures Python 3.12's http.server answering the same
// listing (one GET over a connection, as a client sees it), for comparison
// with BenchmarkList, and checks that our page is byte for byte Python's,
// through os.DirFS and through an os.Root, read and cached.
// Skipped when Python 3.12 is absent.
func BenchmarkPythonList(b *testing.B) {
	for _, n := range []int{1000, 10000, 100000} {
		b.Run(fmt.Sprint(n), func(b *testing.B) {
			dir := bigDir(b, n)
			py := oracle.Start(b, dir)
			b.ReportAllocs()
			var body []byte
			for b.Loop() {
				resp, err := http.Get(py.URL + "/")
				if err != nil {
					b.Fatal(err)
				}
				body, err = io.ReadAll(resp.Body)
				resp.Body.Close()
				if err != nil || resp.StatusCode != http.StatusOK {
					b.Fatalf("status %d, %v", resp.StatusCode, err)
				}
			}
			b.ReportMetric(float64(len(body)), "bytes/page")
			root, err := os.OpenRoot(dir)
			if err != nil {
				b.Fatal(err)
			}
			defer root.Close()
			rootList := New(root.FS())(http.NotFoundHandler())
			for _, h := range []http.Handler{New(os.DirFS(dir))(http.NotFoundHandler()), rootList, rootList} {
				rec := httptest.NewRecorder() // os.DirFS, os.Root, os.Root cached
				h.ServeHTTP(rec, httptest.NewRequest(http.MethodGet, "/", nil))
				if !bytes.Equal(rec.Body.Bytes(), body) {
					b.Fatalf("our page for %d entries differs from Python's", n)
				}
			}
		})
	}
}

// BenchmarkServerList is BenchmarkList's Python form over a real
// connection, to compare with BenchmarkPythonList like for like.
func BenchmarkServerList(b *testing.B) {
	srv := httptest.NewServer(New(os.DirFS(bigDir(b, 100000)))(http.NotFoundHandler()))
	b.Cleanup(srv.Close)
	b.ReportAllocs()
	for b.Loop() {
		resp, err := http.Get(srv.URL + "/")
		if err != nil {
			b.Fatal(err)
		}
		_, err = io.Copy(io.Discard, resp.Body)
		resp.Body.Close()
		if err != nil || resp.StatusCode != http.StatusOK {
			b.Fatalf("status %d, %v", resp.StatusCode, err)
		}
	}
}
