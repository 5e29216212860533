package fileserver

import (
	"crypto/sha256"
	"encoding/base64"
	"io"
	"io/fs"
	"strconv"
)

// maxHashSize bounds the files whose ETag is a content hash (files without
// a modification time): larger ones get no ETag rather than a slow one.
const maxHashSize = 64 << 20

// etag returns the strong entity tag of the file: its modification time
// (to the nanosecond) and size, like nginx's, or, when the file system
// reports no modification time (embed.FS, a bare fstest.MapFS), a hash of
// its content. It returns "" when there is no cheap tag to give.
func etag(content io.ReadSeeker, info fs.FileInfo) (string, error) {
	mt := info.ModTime()
	if !mt.IsZero() {
		b := make([]byte, 0, 40)
		b = append(b, '"')
		b = strconv.AppendInt(b, mt.Unix(), 16)
		b = append(b, '.')
		b = strconv.AppendInt(b, int64(mt.Nanosecond()), 16)
		b = append(b, '-')
		b = strconv.AppendInt(b, info.Size(), 16)
		b = append(b, '"')
		return string(b), nil
	}
	if info.Size() > maxHashSize {
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
