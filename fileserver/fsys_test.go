package fileserver_test

import (
	"embed"
	"io/fs"
	"net/http"
	"testing"
	"testing/fstest"

	"github.com/stretchr/testify/assert"

	"github.com/simplehttp/simplehttp/fileserver"
)

//go:embed testdata/site
var embedded embed.FS

// TestEmbedFS serves an embed.FS: Python's headers except Last-Modified
// (embedded files have no modification time), a content-hash ETag, and
// ranges, since embedded files can Seek.
func TestEmbedFS(t *testing.T) {
	site, err := fs.Sub(embedded, "testdata/site")
	if !assert.NoError(t, err) {
		return
	}
	h := fileserver.Index(site)(fileserver.New(site))
	tests := []struct {
		name, target string
		header       []string
		status       int
		ctype, body  string
		location     string
	}{
		{"file", "/hello.txt", nil, 200, "text/plain", "hello, embed\n", ""},
		{"css", "/sub/style.css", nil, 200, "text/css", "body{}\n", ""},
		{"index", "/sub/", nil, 200, "text/html", "<h1>sub</h1>\n", ""},
		{"redirect", "/sub?x", nil, 301, "", "", "/sub/?x"},
		{"range", "/hello.txt", []string{"Range: bytes=0-4"}, 206, "text/plain", "hello", ""},
		{"missing", "/nope", nil, 404, "text/plain; charset=utf-8", "File not found\n", ""},
		{"root without index", "/", nil, 404, "text/plain; charset=utf-8", "File not found\n", ""},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			res := serve(t, h, "GET", tt.target, tt.header...)
			assert.Equal(t, tt.status, res.StatusCode)
			assert.Equal(t, tt.ctype, res.Header.Get("Content-Type"))
			assert.Equal(t, tt.body, body(t, res))
			assert.Equal(t, tt.location, res.Header.Get("Location"))
			assert.NotContains(t, res.Header, "Last-Modified")
		})
	}

	t.Run("content ETag", func(t *testing.T) {
		tag := serve(t, h, "GET", "/hello.txt").Header.Get("Etag")
		assert.NotEmpty(t, tag)
		assert.NotEqual(t, tag, serve(t, h, "GET", "/sub/style.css").Header.Get("Etag"))
		res := serve(t, h, "GET", "/hello.txt", "If-None-Match: "+tag)
		assert.Equal(t, http.StatusNotModified, res.StatusCode)
	})
}

// TestMapFS serves a fstest.MapFS, with and without modification times.
func TestMapFS(t *testing.T) {
	fsys := fstest.MapFS{
		"dated.txt":   {Data: []byte("dated"), ModTime: fixedTime},
		"undated.bin": {Data: []byte("undated")},
		"same1.txt":   {Data: []byte("same")},
		"same2.txt":   {Data: []byte("same")},
		"d/e.json":    {Data: []byte("{}"), ModTime: fixedTime},
	}
	h := fileserver.New(fsys)
	tests := []struct {
		target, ctype, lastModified, body string
	}{
		{"/dated.txt", "text/plain", fixedLastModified, "dated"},
		{"/undated.bin", "application/octet-stream", "", "undated"},
		{"/d/e.json", "application/json", fixedLastModified, "{}"},
	}
	for _, tt := range tests {
		t.Run(tt.target, func(t *testing.T) {
			res := serve(t, h, "GET", tt.target)
			assert.Equal(t, 200, res.StatusCode)
			assert.Equal(t, tt.ctype, res.Header.Get("Content-Type"))
			assert.Equal(t, tt.lastModified, res.Header.Get("Last-Modified"))
			assert.Equal(t, tt.body, body(t, res))
		})
	}
	t.Run("content ETag follows the bytes", func(t *testing.T) {
		assert.Equal(t,
			serve(t, h, "GET", "/same1.txt").Header.Get("Etag"),
			serve(t, h, "GET", "/same2.txt").Header.Get("Etag"))
		assert.NotEqual(t,
			serve(t, h, "GET", "/same1.txt").Header.Get("Etag"),
			serve(t, h, "GET", "/undated.bin").Header.Get("Etag"))
	})
}

// TestUndatedETagLimit pins the README's bound on hashing: a file without a
// modification time gets a content-hash ETag up to 64 MiB, and none beyond
// (hashing it would be slow). Python sends no ETag at all.
func TestUndatedETagLimit(t *testing.T) {
	const limit = 64 << 20
	data := make([]byte, limit+1) // shared by both files
	fsys := fstest.MapFS{
		"limit.bin": {Data: data[:limit]},
		"over.bin":  {Data: data},
	}
	h := fileserver.New(fsys)
	tests := []struct {
		target   string
		wantETag bool
	}{
		{"/limit.bin", true},
		{"/over.bin", false},
	}
	for _, tt := range tests {
		t.Run(tt.target, func(t *testing.T) {
			res := serve(t, h, "HEAD", tt.target) // HEAD: no body to buffer
			assert.Equal(t, 200, res.StatusCode)
			if tt.wantETag {
				assert.Regexp(t, `^"[A-Za-z0-9_-]+"$`, res.Header.Get("Etag"))
			} else {
				assert.NotContains(t, res.Header, "Etag")
			}
		})
	}
}

// noSeekFS hides Seek: such files are sent whole, as Python sends them,
// without ETag or ranges.
type noSeekFS struct{ fs.FS }

type noSeekFile struct{ fs.File }

func (n noSeekFS) Open(name string) (fs.File, error) {
	f, err := n.FS.Open(name)
	if err != nil {
		return nil, err
	}
	return noSeekFile{f}, nil
}

func TestNotSeekable(t *testing.T) {
	h := fileserver.New(noSeekFS{fstest.MapFS{"a.txt": {Data: []byte("abcdef"), ModTime: fixedTime}}})
	tests := []struct {
		method string
		header []string
		body   string
	}{
		{"GET", nil, "abcdef"},
		{"GET", []string{"Range: bytes=0-1"}, "abcdef"},
		{"HEAD", nil, ""},
	}
	for _, tt := range tests {
		t.Run(tt.method+" "+tt.body, func(t *testing.T) {
			res := serve(t, h, tt.method, "/a.txt", tt.header...)
			assert.Equal(t, 200, res.StatusCode)
			assert.Equal(t, "6", res.Header.Get("Content-Length"))
			assert.Equal(t, "text/plain", res.Header.Get("Content-Type"))
			assert.Equal(t, fixedLastModified, res.Header.Get("Last-Modified"))
			assert.NotContains(t, res.Header, "Etag")
			assert.Equal(t, tt.body, body(t, res))
		})
	}
}

// grownFS reports every file as 3 bytes shorter than it is, like a file
// that grew between Stat and Read.
type grownFS struct{ fs.FS }

type grownFile struct{ fs.File }

type shrunkInfo struct{ fs.FileInfo }

func (i shrunkInfo) Size() int64 { return i.FileInfo.Size() - 3 }

func (g grownFS) Open(name string) (fs.File, error) {
	f, err := g.FS.Open(name)
	if err != nil {
		return nil, err
	}
	return grownFile{f}, nil
}

func (f grownFile) Stat() (fs.FileInfo, error) {
	info, err := f.File.Stat()
	if err != nil {
		return nil, err
	}
	return shrunkInfo{info}, nil
}

// TestNotSeekableGrowing: a file that cannot Seek and grew after its size
// was taken is sent up to the Content-Length announced, never past it.
func TestNotSeekableGrowing(t *testing.T) {
	h := fileserver.New(grownFS{fstest.MapFS{"a.txt": {Data: []byte("abcdefgh"), ModTime: fixedTime}}})
	res := serve(t, h, "GET", "/a.txt")
	assert.Equal(t, 200, res.StatusCode)
	assert.Equal(t, "5", res.Header.Get("Content-Length"))
	assert.Equal(t, "abcde", body(t, res))
}
