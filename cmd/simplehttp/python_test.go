package main

import (
	"bufio"
	"fmt"
	"io"
	"net"
	"net/http"
	"net/url"
	"os"
	"path/filepath"
	"regexp"
	"strings"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/simplehttp/simplehttp/internal/oracle"
)

// pythonTree is the fixture both servers serve.
var pythonTree = map[string]string{
	"a.txt":            "hello\n",
	"page.html":        "<!doctype html><p>page</p>\n",
	"data.json":        `{"a": 1}`,
	"style.CSS":        "p {}\n",
	"archive.tar.gz":   "not really gzip",
	"readme.txt.br":    "brotli?",
	"noext":            "no extension",
	".hidden":          "hidden",
	"space name.txt":   "space",
	"ünï.txt":          "unicode",
	"100%.txt":         "percent",
	"site/index.html":  "<p>site index</p>",
	"site/other.txt":   "other",
	"old/index.htm":    "<p>old index</p>",
	"both/index.html":  "html",
	"both/index.htm":   "htm",
	"deep/er/file.txt": "deep",
}

// TestMatchesPython is the differential test: Python 3.12's
// `python -m http.server` and this command serve the same tree, get the
// same raw requests, and must agree on the status, Content-Type,
// Content-Length, Last-Modified, Location (resolved against the request)
// and, where compareBody is set, the body: files, index pages,
// redirects, error pages, listings and If-Modified-Since 304s.
func TestMatchesPython(t *testing.T) {
	oracle.Require(t)
	dir := fixture(t, pythonTree)
	require.NoError(t, os.Mkdir(filepath.Join(dir, "empty"), 0o755))
	// Fixed modification times, so Last-Modified is not a matter of luck.
	stamp := time.Date(2023, 11, 14, 22, 13, 20, 0, time.UTC)
	require.NoError(t, filepath.Walk(dir, func(p string, _ os.FileInfo, err error) error {
		if err != nil {
			return err
		}
		return os.Chtimes(p, stamp, stamp)
	}))
	py := oracle.Start(t, dir)
	ours := startServer(t, []string{"-b", "127.0.0.1", "-d", dir, "0"}, nil)

	tests := []struct {
		name        string
		method      string // GET when empty
		target      string // the request target, sent as is
		compareBody bool   // status-only otherwise
		header      string // one extra request header line
		// pythonDrops marks a request Python answers by dropping the
		// connection (an exception in its handler); ours must answer 404.
		pythonDrops bool
	}{
		// Files and their content types.
		{name: "text", target: "/a.txt", compareBody: true},
		{name: "html", target: "/page.html", compareBody: true},
		{name: "json", target: "/data.json", compareBody: true},
		{name: "upper-case extension", target: "/style.CSS", compareBody: true},
		{name: "tar.gz", target: "/archive.tar.gz", compareBody: true},
		{name: "encoding suffix", target: "/readme.txt.br", compareBody: true},
		{name: "no extension", target: "/noext", compareBody: true},
		{name: "dot file", target: "/.hidden", compareBody: true},
		{name: "escaped space", target: "/space%20name.txt", compareBody: true},
		{name: "escaped utf-8", target: "/%C3%BCn%C3%AF.txt", compareBody: true},
		{name: "escaped percent", target: "/100%25.txt", compareBody: true},
		{name: "query ignored", target: "/a.txt?x=1&y", compareBody: true},
		{name: "dot segments", target: "/site/../a.txt", compareBody: true},
		{name: "dot dot above the root", target: "/../../a.txt", compareBody: true},
		{name: "double slash inside", target: "/site//other.txt", compareBody: true},
		{name: "leading double slash", target: "//a.txt", compareBody: true},
		{name: "escaped slash", target: "/site%2fother.txt", compareBody: true},
		{name: "deep", target: "/deep/er/file.txt", compareBody: true},
		{name: "head", method: "HEAD", target: "/a.txt", compareBody: true},

		// Index pages.
		{name: "index.html", target: "/site/", compareBody: true},
		{name: "index.htm", target: "/old/", compareBody: true},
		{name: "index.html before index.htm", target: "/both/", compareBody: true},
		{name: "index with query", target: "/site/?q=1", compareBody: true},
		{name: "head index", method: "HEAD", target: "/site/", compareBody: true},

		// The trailing-slash redirect.
		{name: "redirect", target: "/site", compareBody: true},
		{name: "redirect keeps the query", target: "/site?q=1&r=%20", compareBody: true},
		{name: "redirect keeps an empty query", target: "/site?", compareBody: true},
		{name: "redirect after double slash", target: "//site", compareBody: true},
		{name: "redirect after many slashes", target: "///site?q", compareBody: true},
		{name: "redirect of a deep directory", target: "/deep/er", compareBody: true},
		{name: "redirect keeps escapes", target: "/%73ite", compareBody: true},
		{name: "head redirect", method: "HEAD", target: "/site", compareBody: true},

		// Errors: Python's page and headers (errorpage).
		{name: "missing", target: "/nope.txt", compareBody: true},
		{name: "missing in a directory", target: "/site/nope", compareBody: true},
		{name: "file with a trailing slash", target: "/a.txt/", compareBody: true},
		{name: "nul", target: "/a%00.txt", pythonDrops: true},
		{name: "head missing", method: "HEAD", target: "/nope.txt", compareBody: true},
		{name: "put", method: "PUT", target: "/a.txt", compareBody: true},
		{name: "post", method: "POST", target: "/a.txt", compareBody: true},
		{name: "delete", method: "DELETE", target: "/site/", compareBody: true},
		{name: "lower-case get", method: "get", target: "/a.txt", compareBody: true},
		{name: "options", method: "OPTIONS", target: "/a.txt", compareBody: true},

		// Listings (dirlist).
		{name: "root listing", target: "/", compareBody: true},
		{name: "listing", target: "/deep/", compareBody: true},
		{name: "nested listing", target: "/deep/er/", compareBody: true},
		{name: "empty listing", target: "/empty/", compareBody: true},
		{name: "listing after double slash", target: "//deep/", compareBody: true},
		{name: "head listing", method: "HEAD", target: "/deep/", compareBody: true},

		// Conditional GET (conditional): Python's If-Modified-Since rule.
		{name: "not modified", target: "/a.txt", header: "If-Modified-Since: Tue, 14 Nov 2023 22:13:20 GMT", compareBody: true},
		{name: "not modified, rfc 850", target: "/a.txt", header: "If-Modified-Since: Tuesday, 14-Nov-23 22:13:20 GMT", compareBody: true},
		{name: "not modified, asctime", target: "/a.txt", header: "If-Modified-Since: Tue Nov 14 22:13:20 2023", compareBody: true},
		{name: "modified since", target: "/a.txt", header: "If-Modified-Since: Tue, 14 Nov 2023 22:13:19 GMT", compareBody: true},
		{name: "zone other than UTC ignored", target: "/a.txt", header: "If-Modified-Since: Tue, 14 Nov 2023 23:13:20 +0100", compareBody: true},
		{name: "garbage date ignored", target: "/a.txt", header: "If-Modified-Since: yesterday", compareBody: true},
		{name: "listing never 304", target: "/deep/", header: "If-Modified-Since: Fri, 01 Jan 2100 00:00:00 GMT", compareBody: true},
		{name: "index page 304", target: "/site/", header: "If-Modified-Since: Fri, 01 Jan 2100 00:00:00 GMT", compareBody: true},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			method := tc.method
			if method == "" {
				method = http.MethodGet
			}
			got, gotBody := rawRequest(t, ours.addr.String(), method, tc.target, tc.header)
			if tc.pythonDrops {
				assert.Equal(t, http.StatusNotFound, got.StatusCode)
				return
			}
			want, wantBody := rawRequest(t, py.Addr, method, tc.target, tc.header)

			assert.Equal(t, want.StatusCode, got.StatusCode, "status")
			assert.Equal(t, resolve(t, tc.target, want), resolve(t, tc.target, got), "Location")
			if !tc.compareBody {
				return
			}
			for _, h := range []string{"Content-Type", "Content-Length", "Last-Modified"} {
				assert.Equal(t, want.Header.Values(h), got.Header.Values(h), h)
			}
			assert.Equal(t, string(wantBody), string(gotBody), "body")
		})
	}
}

// rawRequest sends method and target exactly as given, with the extra
// header lines, and reads the answer.
func rawRequest(t *testing.T, addr, method, target string, header ...string) (*http.Response, []byte) {
	t.Helper()
	return send(t, addr, method, target, "", header...)
}

// send writes one HTTP/1.1 request by hand, so that the target reaches the
// server exactly as given, with body (and its Content-Length) when there is
// one, and reads the answer.
func send(t *testing.T, addr, method, target, body string, header ...string) (*http.Response, []byte) {
	t.Helper()
	conn, err := net.DialTimeout("tcp", addr, 5*time.Second)
	require.NoError(t, err)
	defer conn.Close()
	require.NoError(t, conn.SetDeadline(time.Now().Add(10*time.Second)))
	var req strings.Builder
	fmt.Fprintf(&req, "%s %s HTTP/1.1\r\nHost: %s\r\nConnection: close\r\n", method, target, addr)
	for _, h := range header {
		if h != "" {
			req.WriteString(h + "\r\n")
		}
	}
	if body != "" {
		fmt.Fprintf(&req, "Content-Length: %d\r\n", len(body))
	}
	req.WriteString("\r\n" + body)
	_, err = io.WriteString(conn, req.String())
	require.NoError(t, err)
	resp, err := http.ReadResponse(bufio.NewReader(conn), &http.Request{Method: method})
	require.NoError(t, err)
	defer resp.Body.Close()
	got, err := io.ReadAll(resp.Body)
	require.NoError(t, err)
	return resp, got
}

// resolve returns the response's Location resolved against the request
// target, without scheme and host (the two servers' hosts differ).
func resolve(t *testing.T, target string, resp *http.Response) string {
	t.Helper()
	loc := resp.Header.Get("Location")
	if loc == "" {
		return ""
	}
	base, err := url.Parse("http://host" + target)
	if err != nil {
		base = &url.URL{Scheme: "http", Host: "host", Path: "/"}
	}
	ref, err := url.Parse(loc)
	require.NoError(t, err, "Location %q", loc)
	u := base.ResolveReference(ref)
	u.Scheme, u.Host = "", ""
	return u.String()
}

// TestLogMatchesPython compares the access log: the command's stderr and
// Python 3.12's, for the same sequence of requests, with the timestamps
// masked. It pins Python's line shapes (`ADDR - - [DATE] "LINE" CODE -`),
// the `code N, message M` line before each error, and the order of lines.
func TestLogMatchesPython(t *testing.T) {
	oracle.Require(t)
	dir := fixture(t, pythonTree)
	py := oracle.Start(t, dir)
	ours := startServer(t, []string{"-b", "127.0.0.1", "-d", dir, "0"}, nil)

	requests := []struct{ method, target string }{
		{"GET", "/a.txt"},
		{"HEAD", "/a.txt"},
		{"GET", "/a.txt?q=1&x=%1b"},
		{"GET", "/nope.txt"},
		{"HEAD", "/nope.txt"},
		{"GET", "/a.txt/"},
		{"GET", "/site"},
		{"GET", "/site/"},
		{"GET", "/%C3%BCn%C3%AF.txt"},
		{"PUT", "/a.txt"},
		{"POST", "/a.txt"},
		{"DELETE", "/site/"},
		{"GET", `/back\slash`},
	}
	for _, rq := range requests {
		rawRequest(t, py.Addr, rq.method, rq.target)
		rawRequest(t, ours.addr.String(), rq.method, rq.target)
	}

	// Each request logs one line, each error one more.
	want, got := accessLogs(py, ours, len(requests))
	assert.Len(t, want, len(requests)+7, "Python's log: one line a request, one more an error")
	assert.Equal(t, want, got)
}

// accessLogs returns Python's and our access-log lines, dates masked, once
// Python has logged at least min lines and we as many as Python (or after
// 10 s): both servers log after they answer.
func accessLogs(py *oracle.Server, ours *server, min int) (want, got []string) {
	lines := func(log string) []string {
		var out []string
		for line := range strings.Lines(log) {
			if strings.Contains(line, " - - [") {
				out = append(out, maskDate(line))
			}
		}
		return out
	}
	for deadline := time.Now().Add(10 * time.Second); ; time.Sleep(20 * time.Millisecond) {
		want, got = lines(py.Stderr()), lines(ours.stderr.String())
		if len(want) >= min && len(got) == len(want) || time.Now().After(deadline) {
			return want, got
		}
	}
}

var logDate = regexp.MustCompile(`\[\d\d/[A-Z][a-z]{2}/\d{4} \d\d:\d\d:\d\d\]`)

func maskDate(line string) string { return logDate.ReplaceAllString(line, "[DATE]") }

// TestCGIMatchesPython runs the command and Python 3.12 with --cgi on the
// same scripts and compares statuses, bodies and the access log (dates
// masked). It pins Python's lookup messages, the 501 for a POST outside
// cgi-bin, and the `CGI script exit code N` line after the request line.
func TestCGIMatchesPython(t *testing.T) {
	oracle.Require(t)
	dir := fixture(t, map[string]string{
		"a.txt":                 "hello\n",
		"cgi-bin/ok.sh":         "#!/bin/sh\nprintf 'Content-Type: text/plain\\n\\n'\necho \"q=$QUERY_STRING p=$PATH_INFO m=$REQUEST_METHOD\"\n",
		"cgi-bin/fail.sh":       "#!/bin/sh\nprintf 'Content-Type: text/plain\\n\\nfailing\\n'\nexit 3\n",
		"cgi-bin/post.sh":       "#!/bin/sh\nprintf 'Content-Type: text/plain\\n\\n'\nhead -c \"$CONTENT_LENGTH\"\n",
		"cgi-bin/noexec.sh":     "#!/bin/sh\necho nope\n",
		"cgi-bin/sub/deeper.sh": "#!/bin/sh\nprintf 'Content-Type: text/plain\\n\\ndeeper %s\\n' \"$PATH_INFO\"\n",
	})
	// The scripts run as nobody when the tests run as root: every
	// directory on the way must be searchable, the scripts executable.
	require.NoError(t, filepath.Walk(dir, func(p string, info os.FileInfo, err error) error {
		if err != nil || strings.HasSuffix(p, "noexec.sh") {
			return err
		}
		return os.Chmod(p, 0o755)
	}))
	for d := dir; d != "/"; d = filepath.Dir(d) {
		info, err := os.Stat(d)
		require.NoError(t, err)
		require.NoError(t, os.Chmod(d, info.Mode().Perm()|0o011))
	}
	py := oracle.Start(t, dir, "--cgi")
	ours := startServer(t, []string{"--cgi", "-b", "127.0.0.1", "-d", dir, "0"}, nil)

	requests := []struct{ method, target, body string }{
		{"GET", "/cgi-bin/ok.sh?a=1", ""},
		{"GET", "/cgi-bin/ok.sh/extra/path", ""},
		{"GET", "/cgi-bin/fail.sh", ""},
		{"GET", "/cgi-bin/sub/deeper.sh/x", ""},
		{"POST", "/cgi-bin/post.sh", "posted=yes"},
		{"GET", "/cgi-bin/missing.sh", ""},
		{"GET", "/cgi-bin/noexec.sh", ""},
		{"GET", "/cgi-bin/sub", ""},
		{"POST", "/a.txt", "x=1"},
		{"GET", "/a.txt", ""},
	}
	for _, rq := range requests {
		t.Run(rq.method+" "+rq.target, func(t *testing.T) {
			want, wantBody := send(t, py.Addr, rq.method, rq.target, rq.body, "Content-Type: application/x-www-form-urlencoded")
			got, gotBody := send(t, ours.addr.String(), rq.method, rq.target, rq.body, "Content-Type: application/x-www-form-urlencoded")
			assert.Equal(t, want.StatusCode, got.StatusCode, "status")
			assert.Equal(t, string(wantBody), string(gotBody), "body")
		})
	}

	want, got := accessLogs(py, ours, len(requests))
	assert.Contains(t, want, `127.0.0.1 - - [DATE] CGI script exit code 3`+"\n")
	assert.Equal(t, want, got)
}
