package httperr

import (
	"errors"
	"io/fs"
	"net/http"
	"net/http/httptest"
	"strings"
	"syscall"
	"testing"

	"github.com/stretchr/testify/assert"

	"github.com/simplehttp/simplehttp/internal/httperr/httperrtest"
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

// TestBody applies the message rule to the shared table, the way a
// middleware that sees each call does.
func TestBody(t *testing.T) {
	for _, c := range httperrtest.Cases(t) {
		t.Run(c.Name, func(t *testing.T) {
			var b Body
			for _, s := range c.Steps {
				switch s.Op {
				case "flush":
					b.Lose()
				case "writeString":
					b.WriteString(s.Prefix + strings.Repeat(s.Data, max(s.Repeat, 1)))
				default:
					b.Write([]byte(s.Prefix + strings.Repeat(s.Data, max(s.Repeat, 1))))
				}
			}
			msg, ok := b.Message()
			if !IsPlainText(c.ContentType) {
				msg, ok = "", false
			}
			assert.Equal(t, c.IsMessage, ok)
			assert.Equal(t, c.Message, msg)
			if !c.HasFlush() {
				msg, ok = Message(c.ContentType, []byte(c.Body()))
				assert.Equal(t, c.IsMessage, ok, "Message")
				assert.Equal(t, c.Message, msg, "Message")
			}
		})
	}
}

func TestIsPlainText(t *testing.T) {
	for ct, want := range map[string]bool{
		"text/plain; charset=utf-8": true,
		"text/plain":                true,
		"Text/Plain;charset=UTF-8":  true,
		"text/plainx":               false,
		" text/plain ; charset":     true,
		"text/plain\t":              true,
		"text/html":                 false,
		"":                          false,
	} {
		assert.Equal(t, want, IsPlainText(ct), ct)
	}
}

// FuzzBody checks that the message rule does not depend on how the body is
// split into writes, and that a message is the body's one line.
func FuzzBody(f *testing.F) {
	for _, s := range []string{"File not found\n", "two\nlines\n", "a\r\n", "\n", "", "x\n\n"} {
		f.Add([]byte(s), uint16(1))
	}
	f.Fuzz(func(t *testing.T, body []byte, cut uint16) {
		i := int(cut) % (len(body) + 1)
		var b Body
		b.Write(body[:i])
		b.WriteString(string(body[i:]))
		got, ok := b.Message()
		want, wantOK := Message("text/plain", body)
		if got != want || ok != wantOK {
			t.Fatalf("%q split at %d: %q %v, whole: %q %v", body, i, got, ok, want, wantOK)
		}
		if ok && (got+"\n" != string(body) || strings.ContainsAny(got, "\r\n")) {
			t.Fatalf("%q: message %q", body, got)
		}
	})
}
