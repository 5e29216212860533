package cgi

import (
	"bufio"
	"io"
	"net/http"
	stdcgi "net/http/cgi"
	"net/http/httptest"
	"path/filepath"
	"strings"
	"testing"
)

func BenchmarkCollapse(b *testing.B) {
	b.ReportAllocs()
	for b.Loop() {
		collapse("/cgi-bin/sub/../script.sh/path%20info/x")
	}
}

func BenchmarkReadHeader(b *testing.B) {
	const block = "Status: 200 OK\r\nContent-Type: text/html; charset=utf-8\r\nSet-Cookie: a=1\r\nX-Frame-Options: deny\r\n\r\nbody"
	b.ReportAllocs()
	r := strings.NewReader(block)
	br := bufio.NewReaderSize(r, 4096)
	for b.Loop() {
		r.Reset(block)
		br.Reset(r)
		if _, err := readHeader(br, maxHeaderBytes); err != nil {
			b.Fatal(err)
		}
	}
}

// BenchmarkScript measures a whole request to a trivial script: lookup,
// fork and exec of /bin/sh, header parsing, reaping.
func BenchmarkScript(b *testing.B) {
	dir := benchDir(b)
	f := serveBench(b, dir)
	b.ReportAllocs()
	for b.Loop() {
		resp, err := http.Get(f + "/cgi-bin/hello.sh")
		if err != nil {
			b.Fatal(err)
		}
		_, _ = io.Copy(io.Discard, resp.Body)
		resp.Body.Close()
		if resp.StatusCode != http.StatusOK {
			b.Fatal(resp.Status)
		}
	}
}

// BenchmarkEcho measures streaming a 16 MiB POST through `cat` and back.
func BenchmarkEcho(b *testing.B) {
	dir := benchDir(b)
	f := serveBench(b, dir)
	const size = 16 << 20
	b.SetBytes(size)
	b.ReportAllocs()
	for b.Loop() {
		req, err := http.NewRequest(http.MethodPost, f+"/cgi-bin/echo.sh", chacha(size))
		if err != nil {
			b.Fatal(err)
		}
		req.ContentLength = size
		resp, err := http.DefaultClient.Do(req)
		if err != nil {
			b.Fatal(err)
		}
		n, _ := io.Copy(io.Discard, resp.Body)
		resp.Body.Close()
		if n != size {
			b.Fatalf("echoed %d bytes", n)
		}
	}
}

func benchDir(b *testing.B) string {
	dir := newDir(b)
	writeScript(b, dir, "cgi-bin/hello.sh", "printf 'Content-Type: text/plain\\n\\nhello\\n'\n")
	writeScript(b, dir, "cgi-bin/echo.sh", "printf 'Content-Type: application/octet-stream\\n\\n'\nexec cat\n")
	return dir
}

func serveBench(b *testing.B, dir string) string {
	return serve(b, dir).srv.URL
}

// BenchmarkScriptVsStdlib runs the same trivial script through this
// package and through net/http/cgi, side by side in one run (issue 12's
// target: at least 1.2× net/http/cgi's rate).
func BenchmarkScriptVsStdlib(b *testing.B) {
	dir := benchDir(b)
	ours := serveBench(b, dir)
	std := httptest.NewServer(&stdcgi.Handler{Path: filepath.Join(dir, "cgi-bin", "hello.sh"), Root: "/cgi-bin/hello.sh"})
	b.Cleanup(std.Close)
	for _, s := range []struct{ name, url string }{{"simplehttp", ours}, {"net-http-cgi", std.URL}} {
		b.Run(s.name, func(b *testing.B) {
			b.ReportAllocs()
			for b.Loop() {
				resp, err := http.Get(s.url + "/cgi-bin/hello.sh")
				if err != nil {
					b.Fatal(err)
				}
				_, _ = io.Copy(io.Discard, resp.Body)
				resp.Body.Close()
				if resp.StatusCode != http.StatusOK {
					b.Fatal(resp.Status)
				}
			}
		})
	}
}
