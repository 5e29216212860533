package compress

import (
	"io"
	"sync"

	"github.com/andybalholm/brotli"
	"github.com/klauspost/compress/gzip"
	"github.com/klauspost/compress/zstd"
)

// An encoder is a streaming compressor that can be reused with Reset.
type encoder interface {
	io.Writer
	Flush() error
	Close() error
	Reset(w io.Writer)
}

// A coding is one content coding the middleware can produce, with a pool
// of its encoders. Encoders are reset before each use and hold no state
// of a request after it.
type coding struct {
	name   string // Content-Encoding token
	suffix string // added to a compressed variant's ETag
	pool   sync.Pool
}

func (c *coding) get(w io.Writer) encoder {
	e := c.pool.Get().(encoder)
	e.Reset(w)
	return e
}

func (c *coding) put(e encoder) {
	e.Reset(io.Discard)
	c.pool.Put(e)
}

// Levels for on-the-fly compression: fast settings that still beat gzip's
// default ratio (see the benchmarks and the README's figures).
const (
	brotliQuality = 4
	gzipLevel     = gzip.DefaultCompression
	// zstdWindow stays below the 8 MiB RFC 9659 lets a client demand.
	zstdWindow = 1 << 22
)

// newCodings returns the codings in the server's order of preference:
// zstd first, as it compresses about as well as brotli at the level used
// here in a fraction of the time (see BenchmarkCompress), then brotli,
// then gzip.
func newCodings() []*coding {
	br := &coding{name: "br", suffix: "-br"}
	br.pool.New = func() any { return brotli.NewWriterLevel(io.Discard, brotliQuality) }
	zs := &coding{name: "zstd", suffix: "-zst"}
	zs.pool.New = func() any {
		e, err := zstd.NewWriter(io.Discard,
			zstd.WithEncoderConcurrency(1),
			zstd.WithEncoderLevel(zstd.SpeedDefault),
			zstd.WithWindowSize(zstdWindow),
			zstd.WithLowerEncoderMem(true))
		if err != nil {
			panic("compress: " + err.Error()) // only for invalid options
		}
		return e
	}
	gz := &coding{name: "gzip", suffix: "-gz"}
	gz.pool.New = func() any {
		e, err := gzip.NewWriterLevel(io.Discard, gzipLevel)
		if err != nil {
			panic("compress: " + err.Error())
		}
		return e
	}
	return []*coding{zs, br, gz}
}
