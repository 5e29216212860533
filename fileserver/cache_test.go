package fileserver_test

import (
	"bytes"
	"errors"
	"io/fs"
	"math/rand/v2"
	"mime"
	"net/http"
	"net/http/httptest"
	"os"
	"path/filepath"
	"strconv"
	"strings"
	"sync"
	"sync/atomic"
	"syscall"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/simplehttp/simplehttp/fileserver"
)

// testSettle is the settle window of the cache in these tests: longer
// than the granularity of file times (a clock tick), so that a change made
// after a file is cached always gives it another ctime, as the default
// window does in earnest.
const testSettle = 20 * time.Millisecond

// cacheFS are the file systems the cache is tried on.
var cacheFS = []struct {
	name string
	fsys func(t testing.TB, dir string) fs.FS
}{
	{"RootFS", func(t testing.TB, dir string) fs.FS { return fileserver.RootFS(rootFS(t, dir)) }},
	{"os.Root.FS", func(t testing.TB, dir string) fs.FS { return rootFS(t, dir).FS() }},
	{"os.DirFS", func(t testing.TB, dir string) fs.FS { return os.DirFS(dir) }},
}

// writeFiles writes files (name -> content) under dir.
func writeFiles(t testing.TB, dir string, files map[string]string) {
	t.Helper()
	for name, content := range files {
		p := filepath.Join(dir, filepath.FromSlash(name))
		require.NoError(t, os.MkdirAll(filepath.Dir(p), 0o755))
		require.NoError(t, os.WriteFile(p, []byte(content), 0o644))
	}
}

// settle waits until every file under dir last changed testSettle ago.
func settle(t testing.TB, dir string) {
	t.Helper()
	var last time.Time
	require.NoError(t, filepath.WalkDir(dir, func(p string, d fs.DirEntry, err error) error {
		if err != nil {
			return err
		}
		info, err := os.Lstat(p)
		if err != nil {
			return err
		}
		st := info.Sys().(*syscall.Stat_t)
		if c := time.Unix(st.Ctim.Unix()); c.After(last) {
			last = c
		}
		return nil
	}))
	time.Sleep(time.Until(last.Add(testSettle + time.Millisecond)))
}

// newCached returns New's handler on fsys with the test settle window.
func newCached(fsys fs.FS, opts ...fileserver.Option) http.Handler {
	h := fileserver.New(fsys, opts...)
	fileserver.SetCacheSettle(h, testSettle)
	return h
}

// warm requests target until h caches name (the first GET after the
// settle window reads it into the cache).
func warm(t testing.TB, h http.Handler, target, name string) {
	t.Helper()
	res := serve(t, h, "GET", target)
	require.Equal(t, http.StatusOK, res.StatusCode)
	held, fresh := fileserver.CacheState(h, name)
	require.True(t, held && fresh, "%s is cached", name)
}

// sameResponse asserts that got and want have the same status, headers
// (a multipart boundary aside) and body.
func sameResponse(t testing.TB, want, got *http.Response, msgAndArgs ...any) {
	t.Helper()
	wantBody, gotBody := body(t, want), body(t, got)
	if _, params, err := mime.ParseMediaType(want.Header.Get("Content-Type")); err == nil && params["boundary"] != "" {
		_, gotParams, err := mime.ParseMediaType(got.Header.Get("Content-Type"))
		require.NoError(t, err)
		got.Header.Set("Content-Type", strings.ReplaceAll(got.Header.Get("Content-Type"), gotParams["boundary"], params["boundary"]))
		gotBody = strings.ReplaceAll(gotBody, gotParams["boundary"], params["boundary"])
	}
	assert.Equal(t, want.StatusCode, got.StatusCode, msgAndArgs...)
	assert.Equal(t, want.Header, got.Header, msgAndArgs...)
	assert.Equal(t, wantBody, gotBody, msgAndArgs...)
}

// TestCacheNeverStale caches a file, changes it in every way a file can
// change, and checks that the cache no longer matches it and that the next
// answers are those of a handler without a cache, then that the new
// version, once cached in turn, is served right too.
func TestCacheNeverStale(t *testing.T) {
	files := map[string]string{
		"f.txt":          "version 1 of f\n",
		"other.txt":      "version 2 of f\n", // the same size
		"idx/index.html": "<p>index 1</p>\n",
		"t1.txt":         "target one\n",
		"t2.txt":         "target two\n",
	}
	rewrite := func(p, content string, keepTimes bool) error {
		info, err := os.Stat(p)
		if err != nil {
			return err
		}
		f, err := os.OpenFile(p, os.O_WRONLY, 0)
		if err != nil {
			return err
		}
		if _, err := f.WriteAt([]byte(content), 0); err != nil {
			f.Close()
			return err
		}
		if err := f.Close(); err != nil {
			return err
		}
		if keepTimes {
			// The same mtime to the nanosecond: only the ctime tells.
			return os.Chtimes(p, info.ModTime(), info.ModTime())
		}
		return nil
	}
	tests := []struct {
		name, target, cached string
		change               func(dir string) error
	}{
		{"rewritten in place, same size", "/f.txt", "f.txt", func(dir string) error {
			return rewrite(filepath.Join(dir, "f.txt"), "version 2 of f\n", false)
		}},
		{"rewritten in place, same size and mtime", "/f.txt", "f.txt", func(dir string) error {
			return rewrite(filepath.Join(dir, "f.txt"), "version 2 of f\n", true)
		}},
		{"rewritten with O_TRUNC", "/f.txt", "f.txt", func(dir string) error {
			return os.WriteFile(filepath.Join(dir, "f.txt"), []byte("version 3 of f\n"), 0o644)
		}},
		{"another file renamed over it", "/f.txt", "f.txt", func(dir string) error {
			return os.Rename(filepath.Join(dir, "other.txt"), filepath.Join(dir, "f.txt"))
		}},
		{"chmod 000", "/f.txt", "f.txt", func(dir string) error { return os.Chmod(filepath.Join(dir, "f.txt"), 0) }},
		{"chmod 600", "/f.txt", "f.txt", func(dir string) error { return os.Chmod(filepath.Join(dir, "f.txt"), 0o600) }},
		{"touched", "/f.txt", "f.txt", func(dir string) error {
			return os.Chtimes(filepath.Join(dir, "f.txt"), time.Now(), time.Now())
		}},
		{"truncated", "/f.txt", "f.txt", func(dir string) error { return os.Truncate(filepath.Join(dir, "f.txt"), 3) }},
		{"grown", "/f.txt", "f.txt", func(dir string) error {
			f, err := os.OpenFile(filepath.Join(dir, "f.txt"), os.O_WRONLY|os.O_APPEND, 0)
			if err != nil {
				return err
			}
			_, err = f.WriteString("more\n")
			return errors.Join(err, f.Close())
		}},
		{"deleted", "/f.txt", "f.txt", func(dir string) error { return os.Remove(filepath.Join(dir, "f.txt")) }},
		{"replaced by a directory", "/f.txt", "f.txt", func(dir string) error {
			p := filepath.Join(dir, "f.txt")
			return errors.Join(os.Remove(p), os.Mkdir(p, 0o755))
		}},
		{"index.html replaced", "/idx/", "idx/index.html", func(dir string) error {
			p := filepath.Join(dir, "idx", "index.html")
			return errors.Join(os.WriteFile(p+".new", []byte("<p>index 2</p>\n"), 0o644), os.Rename(p+".new", p))
		}},
		{"index.html rewritten in place", "/idx/", "idx/index.html", func(dir string) error {
			return rewrite(filepath.Join(dir, "idx", "index.html"), "<p>index 3</p>\n", true)
		}},
		{"index.html deleted", "/idx/", "idx/index.html", func(dir string) error {
			return os.Remove(filepath.Join(dir, "idx", "index.html"))
		}},
		{"symlink retargeted", "/l.txt", "l.txt", func(dir string) error {
			p := filepath.Join(dir, "l.txt")
			return errors.Join(os.Remove(p), os.Symlink("t2.txt", p))
		}},
		{"symlink's target rewritten", "/l.txt", "l.txt", func(dir string) error {
			return rewrite(filepath.Join(dir, "t1.txt"), "target 1!!\n", true)
		}},
	}
	for _, fsys := range cacheFS {
		for _, tt := range tests {
			t.Run(fsys.name+"/"+tt.name, func(t *testing.T) {
				dir := t.TempDir()
				writeFiles(t, dir, files)
				require.NoError(t, os.Symlink("t1.txt", filepath.Join(dir, "l.txt")))
				h := newCached(fsys.fsys(t, dir))
				plain := fileserver.New(fsys.fsys(t, dir), fileserver.WithCache(0))
				settle(t, dir)
				warm(t, h, tt.target, tt.cached)
				before := body(t, serve(t, h, "GET", tt.target))

				require.NoError(t, tt.change(dir))
				_, fresh := fileserver.CacheState(h, tt.cached)
				assert.False(t, fresh, "the entry no longer matches the file")
				for _, method := range []string{"GET", "HEAD"} {
					want := serve(t, plain, method, tt.target)
					sameResponse(t, want, serve(t, h, method, tt.target), method)
				}
				if res := serve(t, plain, "GET", tt.target); res.StatusCode == http.StatusOK && !strings.HasPrefix(tt.name, "chmod") && tt.name != "touched" {
					assert.NotEqual(t, before, body(t, res), "the change is one a stale answer would show")
				}

				// The new version is cached in its turn, and served right.
				settle(t, dir)
				for range 2 {
					want := serve(t, plain, "GET", tt.target)
					sameResponse(t, want, serve(t, h, "GET", tt.target))
				}
				if res := serve(t, plain, "GET", tt.target); res.StatusCode == http.StatusOK {
					held, fresh := fileserver.CacheState(h, tt.cached)
					assert.True(t, held && fresh, "the new version is cached")
				}
			})
		}
	}
}

// TestCacheSettle checks that a file is cached only once its last change
// is older than the settle window: with the default window (2 s) a file
// just written is not, a file of the checkout is.
func TestCacheSettle(t *testing.T) {
	dir := t.TempDir()
	writeFiles(t, dir, map[string]string{"new.txt": "just written\n"})
	old := "testdata/site/hello.txt"
	info, err := os.Stat(old)
	require.NoError(t, err)
	// Right after a checkout, wait until the file is 2 s old.
	time.Sleep(time.Until(time.Unix(info.Sys().(*syscall.Stat_t).Ctim.Unix()).Add(2*time.Second + time.Millisecond)))

	tests := []struct {
		name   string
		dir    string
		file   string
		settle time.Duration // 0: the default
		cached bool
	}{
		{"just written, default window", dir, "new.txt", 0, false},
		{"from the checkout, default window", "testdata/site", "hello.txt", 0, true},
		{"just written, no window", dir, "new.txt", -1, true},
		{"from the checkout, window of a day", "testdata/site", "hello.txt", 24 * time.Hour, false},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			h := fileserver.New(os.DirFS(tt.dir))
			switch {
			case tt.settle < 0:
				fileserver.SetCacheSettle(h, 0)
			case tt.settle > 0:
				fileserver.SetCacheSettle(h, tt.settle)
			}
			for range 3 {
				assert.Equal(t, http.StatusOK, serve(t, h, "GET", "/"+tt.file).StatusCode)
			}
			held, _ := fileserver.CacheState(h, tt.file)
			assert.Equal(t, tt.cached, held)
		})
	}
}

// TestCacheWriteWhileRead changes a file after the cache has read it and
// before it fstats it again: the bytes read are not kept.
func TestCacheWriteWhileRead(t *testing.T) {
	tests := []struct {
		name   string
		change func(p string) error
	}{
		{"rewritten in place", func(p string) error {
			f, err := os.OpenFile(p, os.O_WRONLY, 0)
			if err != nil {
				return err
			}
			_, err = f.WriteAt([]byte("V2"), 0)
			return errors.Join(err, f.Close())
		}},
		{"chmod", func(p string) error { return os.Chmod(p, 0o600) }},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			dir := t.TempDir()
			p := filepath.Join(dir, "f.txt")
			require.NoError(t, os.WriteFile(p, []byte("v1 of f\n"), 0o644))
			h := newCached(fileserver.RootFS(rootFS(t, dir)))
			settle(t, dir)
			var once sync.Once
			fileserver.SetCacheRead(h, func() { once.Do(func() { require.NoError(t, tt.change(p)) }) })
			res := serve(t, h, "GET", "/f.txt")
			assert.Equal(t, http.StatusOK, res.StatusCode)
			held, _ := fileserver.CacheState(h, "f.txt")
			assert.False(t, held, "what was read before the change is not cached")

			settle(t, dir)
			want, err := os.ReadFile(p)
			require.NoError(t, err)
			warm(t, h, "/f.txt", "f.txt")
			assert.Equal(t, string(want), body(t, serve(t, h, "GET", "/f.txt")))
		})
	}
}

// TestCacheBounds checks the cache's limits: its size in bytes (evicting
// the entry not served since the clock's hand last passed), its number of
// files, the largest file it keeps, and WithCache(0).
func TestCacheBounds(t *testing.T) {
	kib := strings.Repeat("x", 1024)
	t.Run("bytes, CLOCK eviction", func(t *testing.T) {
		dir := t.TempDir()
		writeFiles(t, dir, map[string]string{"a.txt": kib, "b.txt": kib, "c.txt": kib})
		perFile := int64(1024 + fileserver.EntryCost + 100)
		h := newCached(fileserver.RootFS(rootFS(t, dir)), fileserver.WithCache(2*perFile))
		settle(t, dir)
		warm(t, h, "/a.txt", "a.txt")
		warm(t, h, "/b.txt", "b.txt")
		serve(t, h, "GET", "/a.txt") // a is served from the cache: kept
		warm(t, h, "/c.txt", "c.txt")
		for name, want := range map[string]bool{"a.txt": true, "b.txt": false, "c.txt": true} {
			held, _ := fileserver.CacheState(h, name)
			assert.Equal(t, want, held, name)
		}
		entries, size := fileserver.CacheUsage(h)
		assert.Equal(t, 2, entries)
		assert.LessOrEqual(t, size, 2*perFile)
		assert.Equal(t, kib, body(t, serve(t, h, "GET", "/b.txt")))
	})
	t.Run("files", func(t *testing.T) {
		dir := t.TempDir()
		n := fileserver.CacheEntries + 10
		for i := range n {
			require.NoError(t, os.WriteFile(filepath.Join(dir, strconv.Itoa(i)), nil, 0o644))
		}
		h := newCached(fileserver.RootFS(rootFS(t, dir)))
		fileserver.SetCacheSettle(h, 0)
		for i := range n {
			require.Equal(t, http.StatusOK, serve(t, h, "GET", "/"+strconv.Itoa(i)).StatusCode)
		}
		entries, _ := fileserver.CacheUsage(h)
		assert.Equal(t, fileserver.CacheEntries, entries)
		held, _ := fileserver.CacheState(h, strconv.Itoa(n-1))
		assert.True(t, held, "the last one read is cached")
	})
	t.Run("file size", func(t *testing.T) {
		tests := []struct {
			size   int
			opts   []fileserver.Option
			cached bool
		}{
			{0, nil, true},
			{fileserver.CacheFileMax, nil, true},
			{fileserver.CacheFileMax + 1, nil, false},
			{1 << 20, nil, false},
			{8 << 10, []fileserver.Option{fileserver.WithCache(4 << 10)}, false}, // larger than the cache
			{1 << 10, []fileserver.Option{fileserver.WithCache(0)}, false},
		}
		for _, tt := range tests {
			t.Run(strconv.Itoa(tt.size), func(t *testing.T) {
				dir := t.TempDir()
				content := bytes.Repeat([]byte("0123456789abcdef"), tt.size/16+1)[:tt.size]
				require.NoError(t, os.WriteFile(filepath.Join(dir, "f.bin"), content, 0o644))
				h := fileserver.New(fileserver.RootFS(rootFS(t, dir)), tt.opts...)
				fileserver.SetCacheSettle(h, 0)
				for range 2 {
					res := serve(t, h, "GET", "/f.bin")
					require.Equal(t, http.StatusOK, res.StatusCode)
					assert.Equal(t, string(content), body(t, res))
				}
				held, _ := fileserver.CacheState(h, "f.bin")
				assert.Equal(t, tt.cached, held)
				_, size := fileserver.CacheUsage(h)
				assert.LessOrEqual(t, size, int64(fileserver.DefaultCacheSize))
			})
		}
	})
	assert.Panics(t, func() { fileserver.WithCache(-1) })
}

// TestCacheUnderRewrites serves a file from many goroutines while it is
// rewritten, with pauses longer than the settle window so that versions get
// cached. Replaced whole (renamed over), every answer is one complete
// version; rewritten in place, a read may catch a write half done as it
// would without the cache, but once the writer stops, every answer is the
// last version.
func TestCacheUnderRewrites(t *testing.T) {
	const size, versions = 1024, 40
	version := func(i int) []byte { return bytes.Repeat([]byte{byte('a' + i%26)}, size) }
	tests := []struct {
		name  string
		write func(p string, content []byte) error
		whole bool // every answer is one complete version
	}{
		{"renamed over", func(p string, content []byte) error {
			return errors.Join(os.WriteFile(p+".tmp", content, 0o644), os.Rename(p+".tmp", p))
		}, true},
		{"in place", func(p string, content []byte) error {
			f, err := os.OpenFile(p, os.O_WRONLY, 0)
			if err != nil {
				return err
			}
			_, err = f.WriteAt(content, 0)
			return errors.Join(err, f.Close())
		}, false},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			dir := t.TempDir()
			p := filepath.Join(dir, "f.txt")
			require.NoError(t, os.WriteFile(p, version(0), 0o644))
			h := newCached(fileserver.RootFS(rootFS(t, dir)))
			get := func() (int, []byte) {
				rec := httptest.NewRecorder()
				h.ServeHTTP(rec, httptest.NewRequest("GET", "/f.txt", nil))
				return rec.Code, rec.Body.Bytes()
			}

			done := make(chan struct{})
			var readers sync.WaitGroup
			for range 4 {
				readers.Go(func() {
					for {
						select {
						case <-done:
							return
						default:
						}
						code, b := get()
						if !assert.Equal(t, http.StatusOK, code) {
							return
						}
						if tt.whole {
							if !assert.Len(t, b, size) || !assert.Equal(t, bytes.Repeat(b[:1], size), b, "one version") {
								return
							}
						}
					}
				})
			}
			for i := 1; i < versions; i++ {
				require.NoError(t, tt.write(p, version(i)))
				time.Sleep(time.Duration(rand.IntN(int(2 * testSettle))))
			}
			close(done)
			readers.Wait()

			// Requests before, across and after the settle window.
			final := version(versions - 1)
			deadline := time.Now().Add(3 * testSettle)
			for n := 0; n < 20 || time.Now().Before(deadline); n++ {
				code, b := get()
				require.Equal(t, http.StatusOK, code)
				require.Equal(t, final, b, "request %d after the last write", n)
			}
			held, fresh := fileserver.CacheState(h, "f.txt")
			assert.True(t, held && fresh, "the last version is cached")
		})
	}
}

// TestCacheSameAnswers compares, on a table of requests, the answers of a
// handler serving a file from its cache with those of a handler without a
// cache, under every option that changes how a file is answered and with
// headers set in front.
func TestCacheSameAnswers(t *testing.T) {
	content := strings.Repeat("<p>0123456789</p>\n", 60)
	dir := t.TempDir()
	writeFiles(t, dir, map[string]string{
		"page.html":    content,
		"page.html.gz": "not really gzip",
		"index.html":   "<p>spa</p>\n",
		"d/index.html": "<p>d</p>\n",
	})
	require.NoError(t, os.Chtimes(filepath.Join(dir, "page.html"), fixedTime, fixedTime))
	front := func(key, value string) func(http.Handler) http.Handler {
		return func(next http.Handler) http.Handler {
			return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
				w.Header().Set(key, value)
				next.ServeHTTP(w, r)
			})
		}
	}
	none := func(h http.Handler) http.Handler { return h }
	variants := []struct {
		name string
		opts []fileserver.Option
		wrap func(http.Handler) http.Handler
	}{
		{"default", nil, none},
		{"WithPythonHeaders", []fileserver.Option{fileserver.WithPythonHeaders()}, none},
		{"WithCharset", []fileserver.Option{fileserver.WithCharset("utf-8")}, none},
		{"WithPrecompressed", []fileserver.Option{fileserver.WithPrecompressed()}, none},
		{"WithSPA", []fileserver.Option{fileserver.WithSPA()}, none},
		{"Content-Type in front", nil, front("Content-Type", "text/x-front")},
		{"ETag in front", nil, front("Etag", `"front"`)},
		{"Content-Encoding in front", nil, front("Content-Encoding", "gzip")},
	}
	ref := serve(t, fileserver.New(os.DirFS(dir), fileserver.WithCache(0)), "GET", "/page.html")
	etag, lastModified := ref.Header.Get("Etag"), ref.Header.Get("Last-Modified")
	require.NotEmpty(t, etag)
	gzRef := serve(t, fileserver.New(os.DirFS(dir), fileserver.WithCache(0), fileserver.WithPrecompressed()), "GET", "/page.html", "Accept-Encoding: gzip")
	gzTag := gzRef.Header.Get("Etag")
	require.True(t, strings.HasSuffix(gzTag, `-gz"`), "the sidecar's ETag %q", gzTag)
	requests := []struct {
		method, target string
		header         []string
	}{
		{"GET", "/page.html", nil},
		{"HEAD", "/page.html", nil},
		{"GET", "/page.html/", nil},
		{"GET", "/d/", nil},
		{"GET", "/missing", []string{"Accept: text/html"}},
		{"GET", "/page.html", []string{"Accept-Encoding: gzip"}},
		{"HEAD", "/page.html", []string{"Accept-Encoding: gzip"}},
		{"GET", "/page.html", []string{"Accept-Encoding: gzip", "Range: bytes=2-5"}},
		{"GET", "/page.html", []string{"Accept-Encoding: gzip", "If-None-Match: " + gzTag}},
		{"GET", "/page.html", []string{"Accept-Encoding: gzip"}}, // from the cache, once filled
		{"GET", "/page.html", []string{"Range: bytes=0-9"}},
		{"GET", "/page.html", []string{"Range: bytes=100-"}},
		{"GET", "/page.html", []string{"Range: bytes=-7"}},
		{"HEAD", "/page.html", []string{"Range: bytes=0-9"}},
		{"GET", "/page.html", []string{"Range: bytes=0-1,5-8"}},
		{"GET", "/page.html", []string{"Range: bytes=99999-"}},
		{"GET", "/page.html", []string{"Range: items=0-1"}},
		{"GET", "/page.html", []string{"If-None-Match: " + etag}},
		{"GET", "/page.html", []string{"If-None-Match: \"other\""}},
		{"HEAD", "/page.html", []string{"If-None-Match: *"}},
		{"GET", "/page.html", []string{"If-Modified-Since: " + lastModified}},
		{"GET", "/page.html", []string{"If-Modified-Since: Mon, 02 Jan 2006 15:04:05 GMT"}},
		{"GET", "/page.html", []string{"If-Unmodified-Since: Mon, 02 Jan 2006 15:04:05 GMT"}},
		{"GET", "/page.html", []string{"If-Match: \"other\""}},
		{"GET", "/page.html", []string{"If-Match: " + etag, "Range: bytes=1-2"}},
		{"GET", "/page.html", []string{"If-Range: " + etag, "Range: bytes=1-2"}},
		{"GET", "/page.html", []string{"If-Range: \"other\"", "Range: bytes=1-2"}},
		{"GET", "/page.html", []string{"If-Range: " + lastModified, "Range: bytes=1-2"}},
	}
	for _, fsys := range cacheFS {
		for _, v := range variants {
			t.Run(fsys.name+"/"+v.name, func(t *testing.T) {
				cached := fileserver.New(fsys.fsys(t, dir), v.opts...)
				fileserver.SetCacheSettle(cached, 0)
				plain := v.wrap(fileserver.New(fsys.fsys(t, dir), append(v.opts, fileserver.WithCache(0))...))
				warm(t, cached, "/page.html", "page.html")
				warm(t, cached, "/d/", "d/index.html")
				warm(t, cached, "/index.html", "index.html")
				h := v.wrap(cached)
				for _, rq := range requests {
					want := serve(t, plain, rq.method, rq.target, rq.header...)
					got := serve(t, h, rq.method, rq.target, rq.header...)
					sameResponse(t, want, got, "%s %s %q", rq.method, rq.target, rq.header)
				}
				names := []string{"page.html", "d/index.html", "index.html"}
				if v.name == "WithPrecompressed" {
					names = append(names, "page.html.gz")
				}
				for _, name := range names {
					held, fresh := fileserver.CacheState(cached, name)
					assert.True(t, held && fresh, "%s was answered from the cache", name)
				}
			})
		}
	}
}

// TestCacheSidecar checks that under WithPrecompressed a small file and
// its sidecar are both cached by a request that is sent the sidecar, so
// that the next one needs no open and no stat beyond the original's and
// the candidate sidecars', and that a changed sidecar is read again.
func TestCacheSidecar(t *testing.T) {
	dir := t.TempDir()
	writeFiles(t, dir, map[string]string{"app.js": "let a = 1;\n", "app.js.gz": "gzip v1"})
	fsys := &fsCounter{FS: os.DirFS(dir)}
	h := fileserver.New(fsys, fileserver.WithPrecompressed())
	fileserver.SetCacheSettle(h, 0)
	get := func() *http.Response {
		t.Helper()
		res := serve(t, h, "GET", "/app.js", "Accept-Encoding: gzip")
		require.Equal(t, http.StatusOK, res.StatusCode)
		assert.Equal(t, "gzip", res.Header.Get("Content-Encoding"))
		assert.Equal(t, "text/javascript", res.Header.Get("Content-Type"))
		return res
	}
	first := get()
	assert.Equal(t, "gzip v1", body(t, first))
	for _, name := range []string{"app.js", "app.js.gz"} {
		held, fresh := fileserver.CacheState(h, name)
		assert.True(t, held && fresh, "%s is cached after one request for the sidecar", name)
	}
	opened, stated := fsys.opens.Load(), fsys.stats.Load()
	second := get()
	assert.Equal(t, "gzip v1", body(t, second))
	assert.Zero(t, fsys.opens.Load()-opened, "files opened for the second request")
	assert.Equal(t, int64(1+3), fsys.stats.Load()-stated, "stats for the second request: the original's and the three candidate sidecars'")
	assert.Equal(t, first.Header.Get("Etag"), second.Header.Get("Etag"), "the same ETag from the cache")
	assert.Equal(t, first.Header.Get("Content-Length"), second.Header.Get("Content-Length"))

	writeFiles(t, dir, map[string]string{"app.js.gz": "gzip version 2"})
	third := get()
	assert.Equal(t, "gzip version 2", body(t, third), "a changed sidecar is never served stale")
	assert.Equal(t, "14", third.Header.Get("Content-Length"))
}

// fsCounter counts the files opened and stat'ed through it.
type fsCounter struct {
	fs.FS
	opens, stats atomic.Int64
}

func (c *fsCounter) Open(name string) (fs.File, error) {
	c.opens.Add(1)
	return c.FS.Open(name)
}

func (c *fsCounter) Stat(name string) (fs.FileInfo, error) {
	c.stats.Add(1)
	return fs.Stat(c.FS, name)
}
