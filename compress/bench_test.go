package compress

import (
	"bytes"
	"net/http"
	"net/http/httptest"
	"os"
	"os/exec"
	"path/filepath"
	"strconv"
	"strings"
	"testing"

	"github.com/simplehttp/simplehttp/internal/testutil"
)

// benchText returns 1 MiB of real text: the module's own Go source,
// repeated as needed.
func benchText(b *testing.B) []byte {
	b.Helper()
	out, err := exec.Command("go", "list", "-f", "{{.Dir}}", "-m").Output()
	if err != nil {
		b.Skipf("go list: %v", err)
	}
	root := strings.TrimSpace(string(out))
	var buf bytes.Buffer
	err = filepath.WalkDir(root, func(p string, d os.DirEntry, err error) error {
		if err != nil || buf.Len() >= 1<<20 {
			return err
		}
		if !d.IsDir() && strings.HasSuffix(p, ".go") {
			src, err := os.ReadFile(p)
			if err != nil {
				return err
			}
			buf.Write(src)
		}
		return nil
	})
	if err != nil {
		b.Fatal(err)
	}
	for buf.Len() < 1<<20 {
		buf.Write(buf.Bytes()[:min(buf.Len(), 1<<20-buf.Len())])
	}
	return buf.Bytes()[:1<<20]
}

// BenchmarkCompress measures the cost per MiB of compressing a text
// response on the fly, for each coding; ratio is compressed/original
// bytes. Compare with fileserver's BenchmarkPrecompressed, which sends a
// sidecar compressed beforehand.
func BenchmarkCompress(b *testing.B) {
	text := benchText(b)
	next := http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		w.Header().Set("Content-Type", "text/plain; charset=utf-8")
		w.Header().Set("Content-Length", strconv.Itoa(len(text)))
		for i := 0; i < len(text); i += 32 << 10 {
			w.Write(text[i:min(i+32<<10, len(text))])
		}
	})
	h := New()(next)
	for _, coding := range []string{"identity", "gzip", "zstd", "br"} {
		b.Run(coding, func(b *testing.B) {
			req := httptest.NewRequest("GET", "/", nil)
			req.Header.Set("Accept-Encoding", coding)
			cw := &countingWriter{DiscardWriter: testutil.DiscardWriter{H: http.Header{}}}
			b.SetBytes(int64(len(text)))
			b.ReportAllocs()
			for b.Loop() {
				clear(cw.H)
				cw.n = 0
				h.ServeHTTP(cw, req)
			}
			b.ReportMetric(float64(cw.n)/float64(len(text)), "ratio")
		})
	}
}

// countingWriter counts the bytes written.
type countingWriter struct {
	testutil.DiscardWriter
	n int
}

func (w *countingWriter) Write(p []byte) (int, error) { w.n += len(p); return len(p), nil }
