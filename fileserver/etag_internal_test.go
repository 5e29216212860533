package fileserver

import (
	"embed"
	"io/fs"
	"net/http"
	"net/http/httptest"
	"os"
	"path/filepath"
	"testing"
	"testing/fstest"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

//go:embed testdata/site
var site embed.FS

// TestEmbedETagHashedOnce: an embed.FS file cannot change, so its content
// hash is computed on the first request and remembered; a file of another
// FS without a modification time is hashed every time (it may change).
func TestEmbedETagHashedOnce(t *testing.T) {
	sub, err := fs.Sub(site, "testdata/site")
	require.NoError(t, err)
	tests := []struct {
		name   string
		fsys   fs.FS
		cached bool
	}{
		{"embed.FS", site, true},
		{"fs.Sub of an embed.FS", sub, true},
		{"fstest.MapFS", fstest.MapFS{"testdata/site/hello.txt": {Data: []byte("hello, embed\n")}}, false},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			h := New(tt.fsys).(*handler)
			target := "/testdata/site/hello.txt"
			if tt.fsys == sub {
				target = "/hello.txt"
			}
			get := func() string {
				rec := httptest.NewRecorder()
				h.ServeHTTP(rec, httptest.NewRequest(http.MethodHead, target, nil))
				require.Equal(t, http.StatusOK, rec.Code)
				return rec.Header().Get("Etag")
			}
			first := get()
			require.NotEmpty(t, first)
			assert.Equal(t, first, get(), "stable")

			// Replace what the cache holds: a cached tag is served as is.
			name := target[1:]
			_, ok := h.tags.m.Load(name)
			assert.Equal(t, tt.cached, ok, "cached")
			h.tags.m.Store(name, cachedTag{size: int64(len("hello, embed\n")), tag: `"planted"`})
			if tt.cached {
				assert.Equal(t, `"planted"`, get())
			} else {
				assert.Equal(t, first, get())
			}
			// A size that does not match is never served from the cache.
			h.tags.m.Store(name, cachedTag{size: 1, tag: `"planted"`})
			assert.Equal(t, first, get())
		})
	}
}

func TestIsEmbedded(t *testing.T) {
	dir := t.TempDir()
	require.NoError(t, os.WriteFile(filepath.Join(dir, "a"), nil, 0o644))
	sub, err := fs.Sub(site, "testdata/site")
	require.NoError(t, err)
	tests := []struct {
		name string
		fsys fs.FS
		file string
		want bool
	}{
		{"embed.FS", site, "testdata/site/hello.txt", true},
		{"fs.Sub", sub, "hello.txt", true},
		{"os.DirFS", os.DirFS(dir), "a", false},
		{"fstest.MapFS", fstest.MapFS{"a": {}}, "a", false},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			f, err := tt.fsys.Open(tt.file)
			require.NoError(t, err)
			defer f.Close()
			assert.Equal(t, tt.want, isEmbedded(f))
		})
	}
}
