package simplehttp

import (
	"bufio"
	"bytes"
	"fmt"
	"io"
	"net/http"
	"net/http/httptest"
	"net/url"
	"os"
	"path/filepath"
	"strconv"
	"strings"
	"testing"
	"unicode/utf8"

	"github.com/simplehttp/simplehttp/internal/testutil"
)

// stackFixture writes the tree FuzzStack serves: files, directories with
// and without an index page, an empty directory, links that stay inside and
// links that leave, and a cgi-bin with quick scripts. The directories are
// open to the user scripts run as (nobody, when the tests run as root).
func stackFixture(tb testing.TB) string {
	tb.Helper()
	dir := tb.TempDir()
	outside := tb.TempDir()
	for _, d := range []string{filepath.Dir(dir), dir} {
		if err := os.Chmod(d, 0o755); err != nil {
			tb.Fatal(err)
		}
	}
	files := []struct {
		name, content string
		mode          os.FileMode
	}{
		{"a.txt", "hello\n", 0o644},
		{"big.bin", strings.Repeat("0123456789abcdef", 4096), 0o644},
		{"sp ace & <b>.html", "<p>x</p>", 0o644},
		{"index/index.html", "<h1>index</h1>", 0o644},
		{"htm/index.htm", "<h1>htm</h1>", 0o644},
		{"sub/b.txt", "b", 0o644},
		{"sub/deeper/c.css", "c{}", 0o644},
		{"cgi-bin/env.sh", "#!/bin/sh\nprintf 'Content-Type: text/plain\\n\\n'\nprintf '%s\\n' \"$REQUEST_METHOD\" \"$PATH_INFO\" \"$QUERY_STRING\" \"$CONTENT_LENGTH\"\n", 0o755},
		{"cgi-bin/cat.sh", "#!/bin/sh\nprintf 'Content-Type: application/octet-stream\\n\\n'\nexec cat\n", 0o755},
		{"cgi-bin/status.sh", "#!/bin/sh\nprintf 'Status: 404 Gone Fishing\\nContent-Type: text/plain\\n\\nnot here\\n'\n", 0o755},
		{"cgi-bin/redirect.sh", "#!/bin/sh\nprintf 'Location: /a.txt\\n\\n'\n", 0o755},
		{"cgi-bin/noexec.sh", "#!/bin/sh\necho no\n", 0o644},
		{"cgi-bin/sub/inner.sh", "#!/bin/sh\nprintf 'Content-Type: text/plain\\n\\ninner\\n'\n", 0o755},
		{"htbin/h.sh", "#!/bin/sh\nprintf 'Content-Type: text/plain\\n\\nh\\n'\n", 0o755},
	}
	for _, f := range files {
		p := filepath.Join(dir, filepath.FromSlash(f.name))
		if err := os.MkdirAll(filepath.Dir(p), 0o755); err != nil {
			tb.Fatal(err)
		}
		if err := os.WriteFile(p, []byte(f.content), f.mode); err != nil {
			tb.Fatal(err)
		}
		if err := os.Chmod(p, f.mode); err != nil {
			tb.Fatal(err)
		}
	}
	if err := os.Mkdir(filepath.Join(dir, "empty"), 0o755); err != nil {
		tb.Fatal(err)
	}
	if err := os.WriteFile(filepath.Join(outside, "secret.txt"), []byte("secret"), 0o644); err != nil {
		tb.Fatal(err)
	}
	links := map[string]string{
		"link.txt":    "a.txt",
		"linkdir":     "sub",
		"dangling":    "nowhere",
		"out.txt":     filepath.Join(outside, "secret.txt"),
		"outdir":      outside,
		"sub/up.txt":  "../a.txt",
		"cgi-bin/l":   "env.sh",
		"cgi-bin/out": filepath.Join(outside, "secret.txt"),
	}
	for name, target := range links {
		if err := os.Symlink(target, filepath.Join(dir, filepath.FromSlash(name))); err != nil {
			tb.Fatal(err)
		}
	}
	return dir
}

// rawRequest lays out an HTTP/1.1 request as a client would send it;
// headers with an empty value are left out.
func rawRequest(method, target string, headers [][2]string, body []byte) []byte {
	var b bytes.Buffer
	fmt.Fprintf(&b, "%s %s HTTP/1.1\r\nHost: example.com\r\n", method, target)
	for _, h := range headers {
		if h[1] != "" {
			fmt.Fprintf(&b, "%s: %s\r\n", h[0], h[1])
		}
	}
	if len(body) > 0 {
		fmt.Fprintf(&b, "Content-Length: %d\r\n", len(body))
	}
	b.WriteString("\r\n")
	b.Write(body)
	return b.Bytes()
}

// FuzzStack drives the whole Python-compatible stack, CGI included, with
// requests net/http would accept, and checks the project's ground rule: no
// panic, never a 500 (a 502 or 504 only from a script), every error
// answered with Python's error page, an access log free of control bytes,
// no Location that a browser would read as another host, and a POST body
// that reaches a script whole.
func FuzzStack(f *testing.F) {
	dir := stackFixture(f)
	var log testutil.SyncBuffer
	h, err := NewHandler(dir, WithCGI(), WithAccessLog(&log), WithCGIProtocol("HTTP/1.1"))
	if err != nil {
		f.Fatal(err)
	}

	type seed struct {
		method, target                                 string
		rng, ims, inm, ifRange, accept, auth, encoding string
		body                                           []byte
	}
	for _, s := range []seed{
		{method: "GET", target: "/"},
		{method: "GET", target: "/a.txt", rng: "bytes=0-1,3-4", ims: "Tue, 14 Nov 2023 22:13:20 GMT"},
		{method: "GET", target: "/big.bin", rng: "bytes=-1", ifRange: `"x"`},
		{method: "GET", target: "/big.bin", rng: "bytes=99999999999999999999-"},
		{method: "GET", target: "/big.bin", rng: "bytes=" + strings.Repeat("0-0,", 200)},
		{method: "HEAD", target: "/a.txt", inm: "*", ims: "Sunday, 06-Nov-94 08:49:37 GMT"},
		{method: "PUT", target: "/a.txt", body: []byte("x")},
		{method: "P\x7fT", target: "/a.txt"},
		{method: "GET", target: "//evil.example/%2e%2e"},
		{method: "GET", target: "/\\evil.example"},
		{method: "GET", target: "//evil.example"},
		{method: "GET", target: "/%2f%2fevil.example"},
		{method: "GET", target: "/%5cevil.example/"},
		{method: "GET", target: "/sub"},
		{method: "GET", target: "//sub"},
		{method: "GET", target: "/linkdir"},
		{method: "GET", target: "/%2e%2e/%2e%2e/etc/passwd"},
		{method: "GET", target: "/out.txt"},
		{method: "GET", target: "/outdir/"},
		{method: "GET", target: "/dangling"},
		{method: "GET", target: "/a.txt%00"},
		{method: "GET", target: "/%zz"},
		{method: "GET", target: "/%1b[31mred"},
		{method: "GET", target: "/empty/?sort=size&order=desc&q=%1b"},
		{method: "GET", target: "/sub/", accept: "application/json"},
		{method: "GET", target: "http://example.com/sub/"},
		{method: "GET", target: "*"},
		{method: "OPTIONS", target: "*"},
		{method: "GET", target: "/cgi-bin"},
		{method: "GET", target: "/cgi-bin/"},
		{method: "GET", target: "/cgi-bin/env.sh/p%20i/../x?a=b+c&d"},
		{method: "GET", target: "/cgi-bin/env.sh?%1b%5b"},
		{method: "GET", target: "/cgi-bin/../cgi-bin/env.sh"},
		{method: "GET", target: "/x/..%2f..%2fcgi-bin/env.sh"},
		{method: "GET", target: "/cgi-bin/noexec.sh"},
		{method: "GET", target: "/cgi-bin/sub/inner.sh/extra"},
		{method: "GET", target: "/cgi-bin/l"},
		{method: "GET", target: "/cgi-bin/out"},
		{method: "GET", target: "/cgi-bin/status.sh"},
		{method: "GET", target: "/cgi-bin/redirect.sh", rng: "bytes=0-0"},
		{method: "HEAD", target: "/cgi-bin/redirect.sh", ims: "Tue, 14 Nov 2023 22:13:20 GMT"},
		{method: "GET", target: "/htbin/h.sh", auth: "Basic " + "dXNlcjpwYXNz"},
		{method: "GET", target: "/cgi-bin/env.sh", auth: "Basic !!!"},
		{method: "GET", target: "/cgi-bin/env.sh", auth: "Basic OnB3"},
		{method: "POST", target: "/cgi-bin/cat.sh", body: []byte("a=1&b=\x00\xff\r\n\r\n")},
		{method: "POST", target: "/cgi-bin/cat.sh", encoding: "chunked", body: []byte("chunk")},
		{method: "POST", target: "/a.txt", body: []byte("x")},
		{method: "POST", target: "/cgi-bin/nope.sh", body: []byte("x")},
		{method: "GET", target: "/a.txt", body: []byte("body on a GET")},
		{method: "HEAD", target: "/cgi-bin/cat.sh", body: []byte("body on a HEAD")},
		{method: "GET", target: "/sp%20ace%20&%20%3Cb%3E.html", ims: "garbage", inm: `W/"x", "y"`},
		{method: "GET", target: "/a.txt", inm: `"` + strings.Repeat("a", 1000)},
	} {
		f.Add(s.method, s.target, s.rng, s.ims, s.inm, s.ifRange, s.accept, s.auth, s.encoding, s.body)
	}

	f.Fuzz(func(t *testing.T, method, target, rng, ims, inm, ifRange, accept, auth, encoding string, body []byte) {
		headers := [][2]string{
			{"Range", rng}, {"If-Modified-Since", ims}, {"If-None-Match", inm},
			{"If-Range", ifRange}, {"Accept", accept}, {"Authorization", auth},
		}
		var raw []byte
		if encoding == "chunked" {
			chunked := fmt.Sprintf("%x\r\n%s\r\n0\r\n\r\n", len(body), body)
			if len(body) == 0 {
				chunked = "0\r\n\r\n"
			}
			raw = rawRequest(method, target, append(headers, [2]string{"Transfer-Encoding", "chunked"}), nil)
			raw = append(raw, chunked...)
		} else {
			raw = rawRequest(method, target, headers, body)
		}
		r, err := http.ReadRequest(bufio.NewReader(bytes.NewReader(raw)))
		if err != nil {
			t.Skip("net/http refuses it")
		}
		r.RemoteAddr = "192.0.2.1:1234"

		before := len(log.String())
		w := httptest.NewRecorder()
		h.ServeHTTP(w, r)
		res := w.Result()
		got, _ := io.ReadAll(res.Body)

		script := involvesScript(r)
		switch res.StatusCode {
		case http.StatusInternalServerError:
			t.Errorf("%q: 500", raw)
		case http.StatusBadGateway, http.StatusGatewayTimeout:
			if !script {
				t.Errorf("%q: %d without a script", raw, res.StatusCode)
			}
		}
		if res.StatusCode >= 400 {
			if ct := res.Header.Get("Content-Type"); ct != "text/html;charset=utf-8" {
				t.Errorf("%q: error %d with Content-Type %q", raw, res.StatusCode, ct)
			}
			if cl := res.Header.Get("Content-Length"); cl == "" {
				t.Errorf("%q: error %d without Content-Length", raw, res.StatusCode)
			} else if n, _ := strconv.Atoi(cl); r.Method != http.MethodHead && n != len(got) {
				t.Errorf("%q: Content-Length %s for a %d-byte page", raw, cl, len(got))
			}
			if r.Method != http.MethodHead && !bytes.Contains(got, []byte("<title>Error response</title>")) {
				t.Errorf("%q: error %d without Python's page: %q", raw, res.StatusCode, got)
			}
		}
		for _, loc := range res.Header.Values("Location") {
			if strings.HasPrefix(loc, "//") || strings.HasPrefix(loc, `/\`) {
				t.Errorf("%q: Location %q leads to another host", raw, loc)
			}
		}
		if r.Method == http.MethodPost && r.URL.Path == "/cgi-bin/cat.sh" && res.StatusCode == http.StatusOK && !bytes.Equal(got, body) {
			t.Errorf("%q: the script read %q, the client sent %q", raw, got, body)
		}

		lines := log.String()[before:]
		if lines == "" {
			t.Errorf("%q: nothing logged", raw)
		}
		for line := range strings.SplitSeq(strings.TrimSuffix(lines, "\n"), "\n") {
			if !utf8.ValidString(line) {
				t.Errorf("log line %q is not UTF-8", line)
			}
			for _, c := range line {
				if c < 0x20 || (c >= 0x7f && c <= 0x9f) {
					t.Errorf("log line %q holds control %U", line, c)
					break
				}
			}
		}
	})
}

// involvesScript reports whether a request names something under a CGI
// directory, however it is spelled, so that a script may have answered.
func involvesScript(r *http.Request) bool {
	p, err := url.PathUnescape(r.URL.EscapedPath())
	if err != nil {
		p = r.URL.Path
	}
	return strings.Contains(p, "cgi-bin") || strings.Contains(p, "htbin")
}
