package fileserver

import (
	"fmt"
	"strings"
)

// An Option configures [New] or [Index]. Options that do not apply to the
// function they are passed to are ignored.
type Option func(*config)

type config struct {
	charset    string   // New: appended to text/* types; "" = none (Python)
	etag       bool     // New: send a strong ETag and honour If-None-Match
	ranges     bool     // New: honour Range and If-Range
	indexNames []string // Index: file names tried in order
}

func newConfig(opts []Option) *config {
	c := &config{
		etag:       true,
		ranges:     true,
		indexNames: []string{"index.html", "index.htm"},
	}
	for _, opt := range opts {
		if opt == nil {
			panic("fileserver: nil Option")
		}
		opt(c)
	}
	return c
}

// WithCharset makes [New] add "; charset=cs" to every text/* Content-Type,
// for example WithCharset("utf-8"). The default is no charset, as Python
// sends. cs must be a non-empty token (letters, digits, "-", "_", ".", ":").
func WithCharset(cs string) Option {
	if !isToken(cs) {
		panic(fmt.Sprintf("fileserver: WithCharset: invalid charset %q", cs))
	}
	return func(c *config) { c.charset = cs }
}

// WithoutETag makes [New] send no ETag header and ignore If-None-Match.
// By default a strong ETag is sent, built from the file's modification time
// and size, or, when the file system reports no modification time, from a
// hash of the file's content (files over 64 MiB then get none). An
// embed.FS file is hashed once, on its first request; a file of another
// file system without modification times (fstest.MapFS) is hashed on every
// request, since it may have changed.
func WithoutETag() Option {
	return func(c *config) { c.etag = false }
}

// WithoutRanges makes [New] ignore Range and If-Range and send no
// Accept-Ranges header, as Python does. By default byte ranges are served
// (206, 416, multipart/byteranges).
func WithoutRanges() Option {
	return func(c *config) { c.ranges = false }
}

// WithIndexNames sets the file names [Index] looks for in a directory, in
// order (Python's index_pages). The default is "index.html", "index.htm".
// Each name must be a single path segment: not empty, not "." or "..", and
// without "/" or NUL.
func WithIndexNames(names ...string) Option {
	for _, n := range names {
		if n == "" || n == "." || n == ".." || strings.ContainsAny(n, "/\x00") {
			panic(fmt.Sprintf("fileserver: WithIndexNames: invalid name %q", n))
		}
	}
	names = append([]string(nil), names...)
	return func(c *config) { c.indexNames = names }
}

func isToken(s string) bool {
	if s == "" {
		return false
	}
	for i := 0; i < len(s); i++ {
		c := s[i]
		if !(c >= 'a' && c <= 'z' || c >= 'A' && c <= 'Z' || c >= '0' && c <= '9' || strings.IndexByte("-_.:+", c) >= 0) {
			return false
		}
	}
	return true
}
