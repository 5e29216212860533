package fileserver_test

// The HTTP-level cases of Go's net/http/fs_test.go that apply to a file
// server, run against fileserver.New over a real connection. Where Python
// 3.12 decides (methods, content types, directories, error statuses) the
// expectation is Python's and the case is listed in README ("Migrating from
// http.FileServer"); everywhere else it is what http.FileServer answers.

import (
	"bytes"
	"fmt"
	"io"
	"io/fs"
	"mime"
	"mime/multipart"
	"net/http"
	"net/http/httptest"
	"os"
	"path/filepath"
	"strings"
	"syscall"
	"testing"
	"testing/fstest"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/simplehttp/simplehttp/conditional"
	"github.com/simplehttp/simplehttp/fileserver"
)

const compatFile = "0123456789\n" // 11 bytes, as Go's testdata/file

// compatServer serves dir through fileserver.New behind a handler that
// sets the response headers a test asks for with X-Set-* request headers,
// as a user's handler in front would.
func compatServer(t *testing.T, fsys fs.FS) *httptest.Server {
	t.Helper()
	files := fileserver.New(fsys)
	ts := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		for k, v := range r.Header {
			if name, ok := strings.CutPrefix(k, "X-Set-"); ok {
				if v[0] == "<nil>" {
					w.Header()[name] = nil
				} else {
					w.Header().Set(name, v[0])
				}
			}
		}
		files.ServeHTTP(w, r)
	}))
	t.Cleanup(ts.Close)
	return ts
}

func compatDir(t *testing.T, modtime time.Time) fs.FS {
	t.Helper()
	dir := t.TempDir()
	for name, content := range map[string]string{
		"file":            compatFile,
		"style.css":       "body {}\n",
		"index.html":      "<p>index</p>\n",
		"dir/x.txt":       "x",
		"img.svg":         "<svg/>",
		"empty.txt":       "",
		"dir/index.html":  "<p>dir</p>",
		"dir2/index.html": "",
	} {
		p := filepath.Join(dir, filepath.FromSlash(name))
		require.NoError(t, os.MkdirAll(filepath.Dir(p), 0o755))
		require.NoError(t, os.WriteFile(p, []byte(content), 0o644))
		require.NoError(t, os.Chtimes(p, modtime, modtime))
	}
	root, err := os.OpenRoot(dir)
	require.NoError(t, err)
	t.Cleanup(func() { root.Close() })
	return root.FS()
}

func compatDo(t *testing.T, ts *httptest.Server, method, target string, header map[string]string) (*http.Response, []byte) {
	t.Helper()
	req, err := http.NewRequest(method, ts.URL+target, nil)
	require.NoError(t, err)
	for k, v := range header {
		req.Header.Set(k, v)
	}
	res, err := ts.Client().Do(req)
	require.NoError(t, err)
	defer res.Body.Close()
	b, err := io.ReadAll(res.Body)
	require.NoError(t, err)
	return res, b
}

// TestCompatRanges ports ServeFileRangeTests (TestServeFile).
func TestCompatRanges(t *testing.T) {
	ts := compatServer(t, compatDir(t, fixedTime))
	n := len(compatFile)
	type rng struct{ start, end int }
	tests := []struct {
		r      string
		code   int
		ranges []rng
	}{
		{"", 200, nil},
		{"bytes=0-4", 206, []rng{{0, 5}}},
		{"bytes=2-", 206, []rng{{2, n}}},
		{"bytes=-5", 206, []rng{{n - 5, n}}},
		{"bytes=3-7", 206, []rng{{3, 8}}},
		{"bytes=0-0,-2", 206, []rng{{0, 1}, {n - 2, n}}},
		{"bytes=0-1,5-8", 206, []rng{{0, 2}, {5, 9}}},
		{"bytes=0-1,5-", 206, []rng{{0, 2}, {5, n}}},
		{"bytes=5-1000", 206, []rng{{5, n}}},
		{"bytes=0-,1-,2-,3-,4-", 200, nil}, // a wasteful request is ignored
		{"bytes=0-9", 206, []rng{{0, n - 1}}},
		{"bytes=0-10", 206, []rng{{0, n}}},
		{"bytes=0-11", 206, []rng{{0, n}}},
		{"bytes=10-11", 206, []rng{{n - 1, n}}},
		{"bytes=10-", 206, []rng{{n - 1, n}}},
		{"bytes=11-", 416, nil},
		{"bytes=11-12", 416, nil},
		{"bytes=12-12", 416, nil},
		{"bytes=11-100", 416, nil},
		{"bytes=12-100", 416, nil},
		{"bytes=100-", 416, nil},
		{"bytes=100-1000", 416, nil},
	}
	for _, tt := range tests {
		t.Run(tt.r, func(t *testing.T) {
			h := map[string]string{}
			if tt.r != "" {
				h["Range"] = tt.r
			}
			res, body := compatDo(t, ts, "GET", "/file", h)
			require.Equal(t, tt.code, res.StatusCode)
			switch {
			case tt.code == 416:
				assert.Equal(t, fmt.Sprintf("bytes */%d", n), res.Header.Get("Content-Range"))
			case len(tt.ranges) == 1:
				r := tt.ranges[0]
				assert.Equal(t, fmt.Sprintf("bytes %d-%d/%d", r.start, r.end-1, n), res.Header.Get("Content-Range"))
				assert.Equal(t, compatFile[r.start:r.end], string(body))
			case len(tt.ranges) > 1:
				typ, params, err := mime.ParseMediaType(res.Header.Get("Content-Type"))
				require.NoError(t, err)
				assert.Equal(t, "multipart/byteranges", typ)
				assert.Equal(t, int64(len(body)), res.ContentLength)
				mr := multipart.NewReader(bytes.NewReader(body), params["boundary"])
				for _, r := range tt.ranges {
					part, err := mr.NextPart()
					require.NoError(t, err)
					assert.Equal(t, fmt.Sprintf("bytes %d-%d/%d", r.start, r.end-1, n), part.Header.Get("Content-Range"))
					b, err := io.ReadAll(part)
					require.NoError(t, err)
					assert.Equal(t, compatFile[r.start:r.end], string(b))
				}
				_, err = mr.NextPart()
				assert.ErrorIs(t, err, io.EOF)
			default:
				assert.Equal(t, compatFile, string(body))
			}
		})
	}
}

// TestCompatServeContent ports TestServeContent's cases that a file server
// meets: an ETag or Content-Type set in front, every precondition, If-Range.
// Our file always has a modification time, so Last-Modified is always
// sent; the CSS type is Python's "text/css" (Go adds "; charset=utf-8").
func TestCompatServeContent(t *testing.T) {
	modtime := time.Date(2014, 6, 25, 17, 12, 18, 123, time.UTC)
	lastMod := "Wed, 25 Jun 2014 17:12:18 GMT"
	ts := compatServer(t, compatDir(t, modtime))
	tests := map[string]struct {
		etag, contentType string // set in front
		req               map[string]string
		status            int
		wantType, wantCR  string
	}{
		"plain":                     {status: 200, wantType: "text/css"},
		"not_modified_modtime":      {etag: `"foo"`, req: map[string]string{"If-Modified-Since": lastMod}, status: 304},
		"not_modified_with_type":    {etag: `"foo"`, contentType: "text/css", req: map[string]string{"If-Modified-Since": lastMod}, status: 304},
		"not_modified_etag":         {etag: `"foo"`, req: map[string]string{"If-None-Match": `"foo"`}, status: 304},
		"not_modified_weak_etag":    {etag: `W/"foo"`, req: map[string]string{"If-None-Match": `"baz", W/"foo"`}, status: 304},
		"if_none_match_mismatch":    {etag: `"foo"`, req: map[string]string{"If-None-Match": `"Foo"`}, status: 200, wantType: "text/css"},
		"if_none_match_malformed":   {etag: `"foo"`, req: map[string]string{"If-None-Match": `,`}, status: 200, wantType: "text/css"},
		"range_good":                {etag: `"A"`, req: map[string]string{"Range": "bytes=0-4"}, status: 206, wantType: "text/css", wantCR: "bytes 0-4/8"},
		"range_match":               {etag: `"A"`, req: map[string]string{"Range": "bytes=0-4", "If-Range": `"A"`}, status: 206, wantType: "text/css", wantCR: "bytes 0-4/8"},
		"range_match_weak_etag":     {etag: `W/"A"`, req: map[string]string{"Range": "bytes=0-4", "If-Range": `W/"A"`}, status: 200, wantType: "text/css"},
		"range_no_overlap":          {etag: `"A"`, req: map[string]string{"Range": "bytes=10-20"}, status: 416, wantType: "text/plain; charset=utf-8", wantCR: "bytes */8"},
		"range_no_match":            {etag: `"A"`, req: map[string]string{"Range": "bytes=0-4", "If-Range": `"B"`}, status: 200, wantType: "text/css"},
		"range_with_modtime":        {req: map[string]string{"Range": "bytes=0-4", "If-Range": lastMod}, status: 206, wantType: "text/css", wantCR: "bytes 0-4/8"},
		"range_with_modtime_later":  {req: map[string]string{"Range": "bytes=0-4", "If-Range": "Wed, 25 Jun 2014 17:12:19 GMT"}, status: 200, wantType: "text/css"},
		"ifmatch_matches":           {etag: `"A"`, req: map[string]string{"If-Match": `"Z", "A"`}, status: 200, wantType: "text/css"},
		"ifmatch_star":              {etag: `"A"`, req: map[string]string{"If-Match": `*`}, status: 200, wantType: "text/css"},
		"ifmatch_failed":            {etag: `"A"`, req: map[string]string{"If-Match": `"B"`}, status: 412, wantType: "text/plain; charset=utf-8"},
		"ifmatch_fails_on_weak":     {etag: `W/"A"`, req: map[string]string{"If-Match": `W/"A"`}, status: 412, wantType: "text/plain; charset=utf-8"},
		"if_unmodified_since_true":  {req: map[string]string{"If-Unmodified-Since": lastMod}, status: 200, wantType: "text/css"},
		"if_unmodified_since_false": {req: map[string]string{"If-Unmodified-Since": "Wed, 25 Jun 2014 17:12:16 GMT"}, status: 412, wantType: "text/plain; charset=utf-8"},
		"type_in_front":             {contentType: "text/javascript; charset=utf-8", status: 200, wantType: "text/javascript; charset=utf-8"},
		"type_in_front_ranged":      {contentType: "text/x-mine", req: map[string]string{"Range": "bytes=0-4"}, status: 206, wantType: "text/x-mine", wantCR: "bytes 0-4/8"},
		"type_in_front_nil":         {contentType: "<nil>", status: 200, wantType: ""},
	}
	for name, tt := range tests {
		t.Run(name, func(t *testing.T) {
			for _, method := range []string{"GET", "HEAD"} {
				h := map[string]string{}
				for k, v := range tt.req {
					h[k] = v
				}
				if tt.etag != "" {
					h["X-Set-Etag"] = tt.etag
				}
				if tt.contentType != "" {
					h["X-Set-Content-Type"] = tt.contentType
				}
				res, _ := compatDo(t, ts, method, "/style.css", h)
				assert.Equal(t, tt.status, res.StatusCode, method)
				assert.Equal(t, tt.wantType, res.Header.Get("Content-Type"), method)
				assert.Equal(t, tt.wantCR, res.Header.Get("Content-Range"), method)
				switch {
				case res.StatusCode < 300:
					assert.Equal(t, lastMod, res.Header.Get("Last-Modified"), method)
					if tt.etag != "" {
						assert.Equal(t, tt.etag, res.Header.Get("Etag"), "%s: the ETag set in front is kept", method)
					}
				case res.StatusCode == 304:
					if tt.etag != "" {
						assert.Equal(t, tt.etag, res.Header.Get("Etag"), method)
					}
				default: // an error carries no validators
					assert.Empty(t, res.Header.Get("Etag"), method)
					assert.Empty(t, res.Header.Get("Last-Modified"), method)
				}
			}
		})
	}
}

// TestCompatErrorHeaders ports TestServeContentHeadersWithError: headers
// set in front for a successful response do not survive onto an error.
func TestCompatErrorHeaders(t *testing.T) {
	ts := compatServer(t, compatDir(t, fixedTime))
	set := map[string]string{
		"X-Set-Cache-Control":    "public, max-age=31536000, immutable",
		"X-Set-Etag":             `"abc"`,
		"X-Set-Last-Modified":    "Wed, 21 Oct 2015 07:28:00 GMT",
		"X-Set-Content-Encoding": "gzip",
		"X-Set-Vary":             "Accept",
	}
	for _, tc := range []struct {
		name, method, target, rng string
		status                    int
	}{
		{"missing", "GET", "/missing", "", 404},
		{"file with slash", "GET", "/file/", "", 404},
		{"method", "PUT", "/file", "", 501},
		{"unsatisfiable", "GET", "/file", "bytes=100-", 416},
		{"If-Match", "GET", "/file", "", 412},
	} {
		t.Run(tc.name, func(t *testing.T) {
			h := map[string]string{}
			for k, v := range set {
				h[k] = v
			}
			if tc.rng != "" {
				h["Range"] = tc.rng
			}
			if tc.status == 412 {
				h["If-Match"] = `"other"`
			}
			res, _ := compatDo(t, ts, tc.method, tc.target, h)
			assert.Equal(t, tc.status, res.StatusCode)
			for _, k := range []string{"Cache-Control", "Etag", "Last-Modified", "Content-Encoding"} {
				assert.Empty(t, res.Header.Values(k), k)
			}
			assert.Equal(t, "Accept", res.Header.Get("Vary"), "headers that do not describe the body stay")
			assert.Equal(t, "nosniff", res.Header.Get("X-Content-Type-Options"))
		})
	}
}

// TestCompatPaths ports the path cases of fs_test.go (TestFileServerCleans,
// TestFSRedirect, TestFileServerNullByte, TestFileServerZeroByte,
// TestServeDirWithoutTrailingSlash, TestFileServerNotDirError,
// TestServeIndexHtml, TestFileServerMethods, TestServeFileMimeType,
// TestServeFileContentType), with Python's answers where Python decides.
func TestCompatPaths(t *testing.T) {
	ts := compatServer(t, compatDir(t, fixedTime))
	for _, tc := range []struct {
		method, target string
		status         int
		location, body string
		contentType    string
	}{
		{method: "GET", target: "/dir/../file", status: 200, body: compatFile},
		{method: "GET", target: "/../file", status: 200, body: compatFile},
		{method: "GET", target: "/%2e%2e/file", status: 200, body: compatFile},
		{method: "GET", target: "/file%00", status: 404},
		{method: "GET", target: "/..%00", status: 404},
		{method: "GET", target: "/dir", status: 301, location: "/dir/"},
		{method: "GET", target: "/file/", status: 404},
		{method: "GET", target: "/file/x", status: 404},
		{method: "GET", target: "/index.html", status: 200, body: "<p>index</p>\n"}, // Go: 301 to ./ (Python serves it)
		{method: "GET", target: "/dir/index.html", status: 200, body: "<p>dir</p>"},
		{method: "GET", target: "/", status: 200, body: "<p>index</p>\n"},
		{method: "GET", target: "/dir2/", status: 200, body: ""},
		{method: "POST", target: "/file", status: 501},   // Go serves every method
		{method: "DELETE", target: "/file", status: 501}, // Python: 501
		{method: "OPTIONS", target: "/file", status: 501},
		{method: "GET", target: "/img.svg", status: 200, contentType: "image/svg+xml", body: "<svg/>"},
		{method: "GET", target: "/empty.txt", status: 200, contentType: "text/plain", body: ""},
	} {
		t.Run(tc.method+" "+tc.target, func(t *testing.T) {
			req, err := http.NewRequest(tc.method, ts.URL+tc.target, nil)
			require.NoError(t, err)
			res, err := ts.Client().Transport.RoundTrip(req)
			require.NoError(t, err)
			defer res.Body.Close()
			b, err := io.ReadAll(res.Body)
			require.NoError(t, err)
			assert.Equal(t, tc.status, res.StatusCode)
			assert.Equal(t, tc.location, res.Header.Get("Location"))
			if tc.status == 200 {
				assert.Equal(t, tc.body, string(b))
			}
			if tc.contentType != "" {
				assert.Equal(t, tc.contentType, res.Header.Get("Content-Type"))
			}
		})
	}
}

// TestCompatStackedConditional: the conditional middleware in front of the
// file server changes no status, whatever the preconditions.
func TestCompatStackedConditional(t *testing.T) {
	fsys := compatDir(t, fixedTime)
	alone := fileserver.New(fsys)
	stacked := conditional.New()(fileserver.New(fsys))
	etag := serve(t, alone, "GET", "/file").Header.Get("Etag")
	later := fixedTime.Add(time.Hour).Format(http.TimeFormat)
	earlier := fixedTime.Add(-time.Hour).Format(http.TimeFormat)
	headers := [][]string{
		{"If-Modified-Since: " + later}, {"If-Modified-Since: " + earlier},
		{"If-Unmodified-Since: " + earlier}, {"If-Unmodified-Since: " + later},
		{"If-None-Match: " + etag}, {"If-None-Match: *"}, {`If-None-Match: "x"`},
		{"If-Match: " + etag}, {`If-Match: "x"`}, {"If-Match: *"},
		{"Range: bytes=100-", "If-Modified-Since: " + later},
		{"Range: bytes=100-", "If-None-Match: " + etag},
		{"Range: bytes=0-1", "If-Range: " + etag, "If-Modified-Since: " + earlier},
		{"Range: bytes=100-", `If-Match: "x"`},
	}
	for _, hdr := range headers {
		for _, method := range []string{"GET", "HEAD"} {
			a := serve(t, alone, method, "/file", hdr...)
			b := serve(t, stacked, method, "/file", hdr...)
			assert.Equal(t, a.StatusCode, b.StatusCode, "%s %v", method, hdr)
			assert.Equal(t, a.Header, b.Header, "%s %v", method, hdr)
		}
	}
}

// failingFS fails every Stat and Open with err.
type failingFS struct{ err error }

func (e failingFS) Open(name string) (fs.File, error) {
	return nil, &fs.PathError{Op: "open", Path: name, Err: e.err}
}

// openErrFS stats fine but fails Open with err.
type openErrFS struct {
	fstest.MapFS
	err error
}

func (e openErrFS) Open(name string) (fs.File, error) {
	if name == "." {
		return e.MapFS.Open(name)
	}
	return nil, &fs.PathError{Op: "open", Path: name, Err: e.err}
}

func (e openErrFS) Stat(name string) (fs.FileInfo, error) { return e.MapFS.Stat(name) }

// TestTransientOpenFailure: a process out of descriptors is a 503 with
// Retry-After, never the permanent, cacheable 404 a missing file gets.
func TestTransientOpenFailure(t *testing.T) {
	files := fstest.MapFS{"a.txt": {Data: []byte("a")}, "d/index.html": {Data: []byte("i")}}
	for _, tc := range []struct {
		name   string
		fsys   fs.FS
		status int
	}{
		{"stat EMFILE", failingFS{syscall.EMFILE}, 503},
		{"stat ENFILE", failingFS{syscall.ENFILE}, 503},
		{"open EMFILE", openErrFS{files, syscall.EMFILE}, 503},
		{"stat ENOENT", failingFS{syscall.ENOENT}, 404},
		{"stat EACCES", failingFS{syscall.EACCES}, 404},
		{"open EACCES", openErrFS{files, syscall.EACCES}, 404},
	} {
		t.Run(tc.name, func(t *testing.T) {
			for _, h := range []http.Handler{fileserver.New(tc.fsys), fileserver.Index(tc.fsys)(fileserver.New(files))} {
				target := "/a.txt"
				if _, isIndex := h.(http.HandlerFunc); isIndex {
					target = "/d/"
					if _, statFails := tc.fsys.(failingFS); !statFails || tc.status == 404 {
						continue // Index only stats; what it cannot find it passes on
					}
				}
				rec := httptest.NewRecorder()
				rec.Header().Set("Cache-Control", "max-age=600")
				h.ServeHTTP(rec, httptest.NewRequest("GET", target, nil))
				assert.Equal(t, tc.status, rec.Code, target)
				assert.Empty(t, rec.Header().Get("Cache-Control"), target)
				if tc.status == 503 {
					assert.Equal(t, "1", rec.Header().Get("Retry-After"), target)
					assert.Contains(t, rec.Body.String(), "Temporarily out of resources")
				}
			}
		})
	}
}
