package simplehttp

import (
	"net/http/httptest"
	"testing"
)

// BenchmarkStack measures a GET of a small file through the composed stack,
// without a network.
func BenchmarkStack(b *testing.B) {
	for _, path := range []string{"/a.txt", "/site/", "/site"} {
		b.Run(path, func(b *testing.B) {
			dir := writeFiles(b, map[string]string{"a.txt": "hello\n", "site/index.html": "<p>index</p>"})
			h, err := NewHandler(dir)
			if err != nil {
				b.Fatal(err)
			}
			req := httptest.NewRequest("GET", path, nil)
			b.ReportAllocs()
			for b.Loop() {
				h.ServeHTTP(httptest.NewRecorder(), req)
			}
		})
	}
}
