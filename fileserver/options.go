package fileserver

import (
	"fmt"
	"strconv"
	"strings"

	"github.com/simplehttp/simplehttp/internal/indexpage"
)

// An Option configures [New].
type Option func(*config)

// An IndexOption configures [Index].
type IndexOption func(*indexConfig)

type config struct {
	charset   string // appended to text/* types; "" = none (Python)
	python    bool   // Python's headers only: no ETag, no ranges
	cacheSize int64  // bytes; 0: no cache

	features features // beyond Python: see features.go
}

type indexConfig struct {
	names []string // file names tried in order
}

func newConfig(opts []Option) *config {
	c := &config{cacheSize: DefaultCacheSize}
	for _, opt := range opts {
		if opt == nil {
			panic("fileserver: nil Option")
		}
		opt(c)
	}
	if c.charset != "" && !isToken(c.charset) {
		panic(fmt.Sprintf("fileserver: WithCharset: invalid charset %q", c.charset))
	}
	return c
}

func newIndexConfig(opts []IndexOption) *indexConfig {
	c := &indexConfig{names: indexpage.DefaultNames}
	for _, opt := range opts {
		if opt == nil {
			panic("fileserver: nil IndexOption")
		}
		opt(c)
	}
	for _, n := range c.names {
		if n == "" || n == "." || n == ".." || strings.ContainsAny(n, "/\x00") {
			panic(fmt.Sprintf("fileserver: WithIndexNames: invalid name %q", n))
		}
	}
	return c
}

// WithCharset makes [New] add "; charset=cs" to every text/* Content-Type
// it chooses, for example WithCharset("utf-8"). The default is no charset,
// as Python sends. cs must be a token (letters, digits, "-", "_", ".", ":",
// "+").
func WithCharset(cs string) Option {
	if cs == "" {
		cs = " " // invalid: New panics
	}
	return func(c *config) { c.charset = cs }
}

// WithPythonHeaders makes [New] send exactly the headers Python 3.12 sends
// for a file: no ETag and no Accept-Ranges, with Range and If-Range
// ignored. By default a strong ETag and Accept-Ranges are added and byte
// ranges are served (206, 416, multipart/byteranges).
func WithPythonHeaders() Option {
	return func(c *config) { c.python = true }
}

// WithCache sets the size in bytes of [New]'s cache of small files (see
// [New]), counting each file's bytes and its header values; 0 turns the
// cache off, so that every request opens and reads its file. The default
// is [DefaultCacheSize]. It panics when size is negative.
func WithCache(size int64) Option {
	if size < 0 {
		panic("fileserver: WithCache: negative size " + strconv.FormatInt(size, 10))
	}
	return func(c *config) { c.cacheSize = size }
}

// WithIndexNames sets the file names [Index] looks for in a directory, in
// order (Python's index_pages). The default is "index.html", "index.htm".
// Each name must be a single path segment.
func WithIndexNames(names ...string) IndexOption {
	names = append([]string{}, names...) // never nil: no names means none
	return func(c *indexConfig) { c.names = names }
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
