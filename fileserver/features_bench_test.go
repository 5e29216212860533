package fileserver_test

import (
	"bytes"
	"compress/gzip"
	"net/http"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/simplehttp/simplehttp/fileserver"
	"github.com/simplehttp/simplehttp/internal/testutil"
)

// BenchmarkPrecompressed measures the cost per MiB of original text of
// serving its gzip sidecar (what WithPrecompressed sends), against the
// same text compressed on the fly (compress's BenchmarkCompress).
func BenchmarkPrecompressed(b *testing.B) {
	text := []byte(strings.Repeat("func (h *handler) ServeHTTP(w http.ResponseWriter, r *http.Request) {}\n", (1<<20)/71+1))[:1<<20]
	var gz bytes.Buffer
	zw := gzip.NewWriter(&gz)
	zw.Write(text)
	zw.Close()
	dir := b.TempDir()
	if err := os.WriteFile(filepath.Join(dir, "a.txt"), text, 0o644); err != nil {
		b.Fatal(err)
	}
	if err := os.WriteFile(filepath.Join(dir, "a.txt.gz"), gz.Bytes(), 0o644); err != nil {
		b.Fatal(err)
	}
	root, err := os.OpenRoot(dir)
	if err != nil {
		b.Fatal(err)
	}
	defer root.Close()
	h := fileserver.New(root.FS(), fileserver.WithPrecompressed())
	req := parseRequest(b, "GET", "/a.txt", "Accept-Encoding: gzip")
	w := &testutil.DiscardWriter{H: http.Header{}}
	b.SetBytes(int64(len(text)))
	b.ReportAllocs()
	for b.Loop() {
		clear(w.H)
		h.ServeHTTP(w, req)
	}
	if w.H.Get("Content-Encoding") != "gzip" {
		b.Fatal("the sidecar was not served")
	}
}
