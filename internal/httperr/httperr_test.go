package httperr

import (
	"errors"
	"io/fs"
	"net/http"
	"net/http/httptest"
	"syscall"
	"testing"

	"github.com/stretchr/testify/assert"
)

func TestErrorDropsValidators(t *testing.T) {
	rec := httptest.NewRecorder()
	rec.Header().Set("Cache-Control", "public, max-age=31536000, immutable")
	rec.Header().Set("Etag", `"x"`)
	rec.Header().Set("Last-Modified", "Tue, 14 Nov 2023 22:13:20 GMT")
	rec.Header().Set("Vary", "Accept")
	rec.Header().Set("Content-Encoding", "gzip")
	Error(rec, "File not found", http.StatusNotFound)
	assert.Equal(t, http.StatusNotFound, rec.Code)
	assert.Equal(t, "File not found\n", rec.Body.String())
	for _, k := range []string{"Cache-Control", "Content-Encoding", "Etag", "Last-Modified"} {
		assert.Empty(t, rec.Header().Values(k), k)
	}
	assert.Equal(t, "Accept", rec.Header().Get("Vary"), "other headers stay")
}

func TestTransient(t *testing.T) {
	tests := []struct {
		err  error
		want bool
	}{
		{&fs.PathError{Op: "open", Path: "a", Err: syscall.EMFILE}, true},
		{&fs.PathError{Op: "open", Path: "a", Err: syscall.ENFILE}, true},
		{syscall.ENOMEM, true},
		{&fs.PathError{Op: "open", Path: "a", Err: syscall.ENOENT}, false},
		{fs.ErrNotExist, false},
		{fs.ErrPermission, false},
		{errors.New("other"), false},
	}
	for _, tt := range tests {
		assert.Equal(t, tt.want, Transient(tt.err), "%v", tt.err)
	}
}

func TestUnavailable(t *testing.T) {
	rec := httptest.NewRecorder()
	rec.Header().Set("Cache-Control", "max-age=60")
	Unavailable(rec, &fs.PathError{Op: "open", Path: "/srv/secret", Err: syscall.EMFILE})
	assert.Equal(t, http.StatusServiceUnavailable, rec.Code)
	assert.Equal(t, RetryAfter, rec.Header().Get("Retry-After"))
	assert.Empty(t, rec.Header().Get("Cache-Control"))
	assert.Equal(t, "Temporarily out of resources (too many open files)\n", rec.Body.String())
	assert.NotContains(t, rec.Body.String(), "/srv/secret")
}
