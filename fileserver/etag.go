package fileserver

import (
	"crypto/sha256"
	"encoding/base64"
	"io"
	"io/fs"
	"reflect"
	"strconv"
	"sync"
	"time"
)

// maxHashSize bounds the files whose ETag is a content hash (files without
// a modification time): larger ones get no ETag rather than a slow one.
const maxHashSize = 64 << 20

// etagCache remembers the content-hash ETags of embed.FS files, whose bytes
// cannot change while the program runs, so each is hashed once rather than
// on every request. It is keyed by name and holds at most one entry per
// embedded file.
type etagCache struct {
	m sync.Map // name -> cachedTag
}

type cachedTag struct {
	size int64
	tag  string
}

// appendModTag appends the entity tag of a file modified at mt with size
// bytes to b.
func appendModTag(b []byte, mt time.Time, size int64) []byte {
	b = append(b, '"')
	b = strconv.AppendInt(b, mt.Unix(), 16)
	b = append(b, '.')
	b = strconv.AppendInt(b, int64(mt.Nanosecond()), 16)
	b = append(b, '-')
	b = strconv.AppendInt(b, size, 16)
	return append(b, '"')
}

// etag returns the strong entity tag of the file f called name: its
// modification time (to the nanosecond) and size, like nginx's, or, when
// the file system reports no modification time (embed.FS, a bare
// fstest.MapFS), a hash of its content, computed once for an embed.FS file
// and on every request otherwise. It returns "" when there is no cheap tag
// to give.
func (c *etagCache) etag(name string, f fs.File, content io.ReadSeeker, info fs.FileInfo) (string, error) {
	if mt := info.ModTime(); !mt.IsZero() {
		return string(appendModTag(make([]byte, 0, 40), mt, info.Size())), nil
	}
	embedded := isEmbedded(f)
	if embedded {
		if v, ok := c.m.Load(name); ok && v.(cachedTag).size == info.Size() {
			return v.(cachedTag).tag, nil
		}
	}
	tag, err := contentTag(content, info.Size())
	if err == nil && embedded {
		c.m.Store(name, cachedTag{size: info.Size(), tag: tag})
	}
	return tag, err
}

// contentTag hashes the content (then seeks back to its start), or returns
// "" when it is larger than maxHashSize.
func contentTag(content io.ReadSeeker, size int64) (string, error) {
	if size > maxHashSize {
		return "", nil
	}
	h := sha256.New()
	if _, err := io.Copy(h, content); err != nil {
		return "", err
	}
	if _, err := content.Seek(0, io.SeekStart); err != nil {
		return "", err
	}
	var sum [sha256.Size]byte
	return `"` + base64.RawURLEncoding.EncodeToString(h.Sum(sum[:0])[:18]) + `"`, nil
}

// isEmbedded reports whether f was opened from an embed.FS (also through
// fs.Sub), whose files are immutable. The embed package exports no file
// type, so its package path is checked.
func isEmbedded(f fs.File) bool {
	t := reflect.TypeOf(f)
	if t.Kind() == reflect.Pointer {
		t = t.Elem()
	}
	return t.PkgPath() == "embed"
}
