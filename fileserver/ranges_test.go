package fileserver_test

import (
	"io"
	"mime"
	"mime/multipart"
	"net/http"
	"net/http/httptest"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/simplehttp/simplehttp/conditional"
	"github.com/simplehttp/simplehttp/fileserver"
)

const digits = "0123456789abcdefghij" // 20 bytes

func rangeFixture(t *testing.T) (http.Handler, string) {
	t.Helper()
	dir := t.TempDir()
	p := filepath.Join(dir, "d.txt")
	require.NoError(t, os.WriteFile(p, []byte(digits), 0o644))
	require.NoError(t, os.Chtimes(p, fixedTime, fixedTime))
	h := fileserver.New(rootFS(t, dir).FS())
	tag := serve(t, h, "HEAD", "/d.txt").Header.Get("Etag")
	require.NotEmpty(t, tag)
	return h, tag
}

// TestRanges covers what Python does not have: byte ranges, If-Range and
// If-None-Match against a strong ETag.
func TestRanges(t *testing.T) {
	h, tag := rangeFixture(t)
	assert.False(t, strings.HasPrefix(tag, "W/"), "ETag %s must be strong", tag)
	assert.True(t, strings.HasPrefix(tag, `"`) && strings.HasSuffix(tag, `"`), "ETag %s must be quoted", tag)

	tests := []struct {
		name, method string
		header       []string
		status       int
		contentRange string
		body         string
	}{
		{"first bytes", "GET", []string{"Range: bytes=0-4"}, 206, "bytes 0-4/20", "01234"},
		{"open end", "GET", []string{"Range: bytes=15-"}, 206, "bytes 15-19/20", "fghij"},
		{"suffix", "GET", []string{"Range: bytes=-3"}, 206, "bytes 17-19/20", "hij"},
		{"end past the size", "GET", []string{"Range: bytes=18-100"}, 206, "bytes 18-19/20", "ij"},
		{"HEAD range", "HEAD", []string{"Range: bytes=0-4"}, 206, "bytes 0-4/20", ""},
		{"unsatisfiable", "GET", []string{"Range: bytes=20-"}, 416, "bytes */20", "invalid range: failed to overlap\n"},
		{"malformed", "GET", []string{"Range: bytes=x-y"}, 416, "", "invalid range\n"},
		{"another spelling of the unit: ignored, not 416", "GET", []string{"Range: Bytes=0-1"}, 200, "", digits},
		{"two Range headers: ignored", "GET", []string{"Range: bytes=0-1", "Range: bytes=2-3"}, 200, "", digits},
		{"not bytes: ignored", "GET", []string{"Range: lines=1-2"}, 200, "", digits},
		{"If-Range with the ETag", "GET", []string{"Range: bytes=0-1", "If-Range: " + tag}, 206, "bytes 0-1/20", "01"},
		{"If-Range with another ETag", "GET", []string{"Range: bytes=0-1", `If-Range: "other"`}, 200, "", digits},
		{"If-Range with the date", "GET", []string{"Range: bytes=0-1", "If-Range: " + fixedLastModified}, 206, "bytes 0-1/20", "01"},
		{"If-Range with an older date", "GET", []string{"Range: bytes=0-1", "If-Range: Mon, 13 Nov 2023 22:13:20 GMT"}, 200, "", digits},
		{"If-Range without Range", "GET", []string{"If-Range: " + tag}, 200, "", digits},
		{"If-None-Match matches", "GET", []string{"If-None-Match: " + tag}, 304, "", ""},
		{"If-None-Match weak comparison", "GET", []string{"If-None-Match: W/" + tag}, 304, "", ""},
		{"If-None-Match in a list", "GET", []string{`If-None-Match: "x", ` + tag}, 304, "", ""},
		{"If-None-Match star", "HEAD", []string{"If-None-Match: *"}, 304, "", ""},
		{"If-None-Match other", "GET", []string{`If-None-Match: "x"`}, 200, "", digits},
		{"If-None-Match wins over a Range", "GET", []string{"If-None-Match: " + tag, "Range: bytes=0-1"}, 304, "", ""},
		{"If-None-Match and an old If-Modified-Since: INM decides", "GET", []string{`If-None-Match: "x"`, "If-Modified-Since: " + fixedLastModified}, 200, "", digits},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			res := serve(t, h, tt.method, "/d.txt", tt.header...)
			assert.Equal(t, tt.status, res.StatusCode)
			assert.Equal(t, tt.contentRange, res.Header.Get("Content-Range"))
			assert.Equal(t, tt.body, body(t, res))
			if tt.status == 304 {
				assert.NotContains(t, res.Header, "Content-Type")
				assert.NotContains(t, res.Header, "Content-Length")
				assert.Equal(t, tag, res.Header.Get("Etag"))
			}
			if tt.status == 206 {
				assert.Equal(t, fixedLastModified, res.Header.Get("Last-Modified"))
				assert.Equal(t, tag, res.Header.Get("Etag"))
			}
			if tt.status == 416 {
				// An error: no validators (the preconditions were
				// evaluated before the Range, RFC 9110 §14.2); an
				// unsatisfiable range has the length in Content-Range
				// (RFC 9110 §15.5.17), checked above.
				assert.Empty(t, res.Header.Get("Last-Modified"))
				assert.Empty(t, res.Header.Get("Etag"))
			}
			if tt.status == 206 {
				assert.Equal(t, "text/plain", res.Header.Get("Content-Type"))
			}
		})
	}
}

// TestUnsatisfiableRangeAfterPreconditions pins RFC 9110 §14.2 through
// the conditional middleware: the preconditions come before the Range, so
// a request whose range cannot be satisfied but whose If-Modified-Since
// matches is a 304, as Python (which ignores Range) and http.ServeContent
// answer; with an older date, the 416 stands.
func TestUnsatisfiableRangeAfterPreconditions(t *testing.T) {
	files, _ := rangeFixture(t)
	h := conditional.New()(files)
	tests := []struct {
		name   string
		ims    string
		status int
	}{
		{"date matches", fixedLastModified, http.StatusNotModified},
		{"older date", "Mon, 13 Nov 2023 22:13:20 GMT", http.StatusRequestedRangeNotSatisfiable},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			res := serve(t, h, "GET", "/d.txt", "Range: bytes=100-200", "If-Modified-Since: "+tt.ims)
			assert.Equal(t, tt.status, res.StatusCode)
		})
	}
}

// TestMultipleRanges checks multipart/byteranges.
func TestMultipleRanges(t *testing.T) {
	h, _ := rangeFixture(t)
	res := serve(t, h, "GET", "/d.txt", "Range: bytes=0-1,5-6,-2")
	require.Equal(t, http.StatusPartialContent, res.StatusCode)
	mt, params, err := mime.ParseMediaType(res.Header.Get("Content-Type"))
	require.NoError(t, err)
	assert.Equal(t, "multipart/byteranges", mt)

	mr := multipart.NewReader(res.Body, params["boundary"])
	want := []struct{ contentRange, body string }{
		{"bytes 0-1/20", "01"}, {"bytes 5-6/20", "56"}, {"bytes 18-19/20", "ij"},
	}
	for _, w := range want {
		part, err := mr.NextPart()
		require.NoError(t, err)
		assert.Equal(t, "text/plain", part.Header.Get("Content-Type"))
		assert.Equal(t, w.contentRange, part.Header.Get("Content-Range"))
		b, err := io.ReadAll(part)
		require.NoError(t, err)
		assert.Equal(t, w.body, string(b))
	}
	_, err = mr.NextPart()
	assert.ErrorIs(t, err, io.EOF)
}

// TestETagChanges checks that the tag follows the file: a new modification
// time or size gives a new tag, so a stale If-None-Match gets the bytes.
func TestETagChanges(t *testing.T) {
	dir := t.TempDir()
	p := filepath.Join(dir, "f.txt")
	require.NoError(t, os.WriteFile(p, []byte("one"), 0o644))
	require.NoError(t, os.Chtimes(p, fixedTime, fixedTime))
	h := fileserver.New(rootFS(t, dir).FS())
	first := serve(t, h, "GET", "/f.txt").Header.Get("Etag")
	assert.Equal(t, first, serve(t, h, "GET", "/f.txt").Header.Get("Etag"), "stable")

	require.NoError(t, os.Chtimes(p, fixedTime, fixedTime.Add(time.Nanosecond)))
	second := serve(t, h, "GET", "/f.txt").Header.Get("Etag")
	assert.NotEqual(t, first, second, "modification time")

	require.NoError(t, os.WriteFile(p, []byte("three"), 0o644))
	require.NoError(t, os.Chtimes(p, fixedTime, fixedTime.Add(time.Nanosecond)))
	third := serve(t, h, "GET", "/f.txt").Header.Get("Etag")
	assert.NotEqual(t, second, third, "size")

	res := serve(t, h, "GET", "/f.txt", "If-None-Match: "+first)
	assert.Equal(t, 200, res.StatusCode)
	assert.Equal(t, "three", body(t, res))
}

// TestPythonHeadersUnchanged proves the contract of the extras: for
// requests with no Range, If-None-Match or If-Range, the response (status,
// body, every header but ETag and Accept-Ranges) is the same with the
// extras on (the default) and off (WithPythonHeaders). The preconditions
// are answered the same way in both.
func TestPythonHeadersUnchanged(t *testing.T) {
	f := newFixture(t)
	fsys := rootFS(t, f.dir).FS()
	withExtras := fileserver.Index(fsys)(fileserver.New(fsys))
	plain := fileserver.Index(fsys)(fileserver.New(fsys, fileserver.WithPythonHeaders()))

	future := time.Now().Add(48 * time.Hour).UTC().Format(http.TimeFormat)
	headers := [][]string{
		nil,
		{"If-Modified-Since: " + fixedLastModified},
		{"If-Modified-Since: " + future},
		{"If-Unmodified-Since: Mon, 01 Jan 2001 00:00:00 GMT"},
		{`If-Match: "nope"`},
		{"If-Match: *"},
		{"Accept-Encoding: gzip"},
		{"Cache-Control: no-cache"},
	}
	targets := []string{"/a.txt", "/epoch.txt", "/idx/", "/dir", "/dir/", "/missing", "/t.txt.br", "/link-in"}
	for _, method := range []string{"GET", "HEAD"} {
		for _, target := range targets {
			for _, hdr := range headers {
				t.Run(method+" "+target+" "+strings.Join(hdr, ","), func(t *testing.T) {
					a := serve(t, withExtras, method, target, hdr...)
					b := serve(t, plain, method, target, hdr...)
					assert.Equal(t, b.StatusCode, a.StatusCode)
					assert.Equal(t, body(t, b), body(t, a))
					ha, hb := a.Header.Clone(), b.Header.Clone()
					if a.StatusCode == 200 {
						assert.NotEmpty(t, ha.Get("Etag"))
						assert.Equal(t, "bytes", ha.Get("Accept-Ranges"))
					}
					assert.NotContains(t, hb, "Etag")
					assert.NotContains(t, hb, "Accept-Ranges")
					ha.Del("Etag")
					ha.Del("Accept-Ranges")
					assert.Equal(t, hb, ha)
				})
			}
		}
	}
}

// TestPreconditions: New answers every precondition itself, as
// http.FileServer does, with Python's If-Modified-Since rule, so that the
// conditional middleware in front changes nothing for files.
func TestPreconditions(t *testing.T) {
	h, _ := rangeFixture(t)
	future := time.Now().Add(48 * time.Hour).UTC().Format(http.TimeFormat)
	etag := serve(t, h, "GET", "/d.txt").Header.Get("Etag")
	for _, tc := range []struct {
		hdr  []string
		want int
	}{
		{[]string{"If-Modified-Since: " + future}, 304},
		{[]string{"If-Modified-Since: " + fixedLastModified}, 304},
		{[]string{"If-Modified-Since: Mon, 01 Jan 2001 00:00:00 GMT"}, 200},
		{[]string{"If-Modified-Since: " + future, `If-None-Match: "other"`}, 200}, // Python: INM turns IMS off
		{[]string{"If-Modified-Since: Sat, 03 Feb 2001 05:05:06 +0100"}, 200},     // Python: a non-UTC zone is ignored
		{[]string{"If-Unmodified-Since: Mon, 01 Jan 2001 00:00:00 GMT"}, 412},
		{[]string{"If-Unmodified-Since: " + future}, 200},
		{[]string{`If-Match: "nope"`}, 412},
		{[]string{"If-Match: " + etag}, 200},
		{[]string{"If-None-Match: " + etag}, 304},
		{[]string{"If-None-Match: W/" + etag}, 304},
		{[]string{"Range: bytes=100-", "If-Modified-Since: " + future}, 304},
		{[]string{"Range: bytes=100-", `If-Match: "nope"`}, 412},
		{[]string{"Range: bytes=100-", "If-None-Match: " + etag}, 304},
	} {
		t.Run(strings.Join(tc.hdr, ","), func(t *testing.T) {
			for _, method := range []string{"GET", "HEAD"} {
				res := serve(t, h, method, "/d.txt", tc.hdr...)
				assert.Equal(t, tc.want, res.StatusCode, method)
				if tc.want == 304 {
					assert.Empty(t, res.Header.Get("Content-Length"), method)
					assert.Empty(t, res.Header.Get("Content-Range"), method)
				}
				if tc.want == 412 {
					assert.Empty(t, res.Header.Get("Etag"), method)
					assert.Empty(t, res.Header.Get("Last-Modified"), method)
				}
			}
			r := parseRequest(t, "GET", "/d.txt", tc.hdr...)
			before := r.Header.Clone()
			h.ServeHTTP(httptest.NewRecorder(), r)
			assert.Equal(t, before, r.Header, "the caller's request is not changed")
		})
	}
}

// TestPythonHeaders: WithPythonHeaders drops ETag and Accept-Ranges and
// ignores Range and If-Range, as Python does; the preconditions stay.
func TestPythonHeaders(t *testing.T) {
	dir := t.TempDir()
	require.NoError(t, os.WriteFile(filepath.Join(dir, "d.txt"), []byte(digits), 0o644))
	fsys := rootFS(t, dir).FS()
	h := fileserver.New(fsys, fileserver.WithPythonHeaders())
	tests := []struct {
		name   string
		header []string
		status int
	}{
		{"Range ignored", []string{"Range: bytes=0-1"}, 200},
		{"If-Range ignored", []string{"Range: bytes=0-1", `If-Range: "x"`}, 200},
		{"star matches any representation", []string{"If-None-Match: *"}, 304},
		{"no tag to match", []string{`If-None-Match: "x"`}, 200},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			res := serve(t, h, "GET", "/d.txt", tt.header...)
			assert.Equal(t, tt.status, res.StatusCode)
			assert.Empty(t, res.Header.Get("Etag"))
			assert.Empty(t, res.Header.Get("Accept-Ranges"))
		})
	}
}
