package compress

import (
	"bufio"
	"fmt"
	"io"
	"net"
	"net/http"
	"strconv"
	"strings"

	codings "github.com/simplehttp/simplehttp/internal/coding"
	"github.com/simplehttp/simplehttp/internal/watch"
)

// An Option configures the middleware returned by [New].
type Option func(*config)

type config struct {
	minSize int
}

// DefaultMinSize is the size below which responses are not compressed.
const DefaultMinSize = 1024

// sniffLen is how many bytes net/http looks at to guess a Content-Type.
const sniffLen = 512

// WithMinSize sets the size, in bytes, below which a response is sent
// uncompressed. The default is [DefaultMinSize]. New panics when n is
// negative.
func WithMinSize(n int) Option {
	return func(c *config) { c.minSize = n }
}

// New returns middleware that compresses responses with brotli, zstd or
// gzip, whichever the request's Accept-Encoding accepts with the highest
// quality (ties go to zstd, then brotli, then gzip; identity wins only
// when the client prefers it explicitly).
//
// A response is compressed when its status is 200, its Content-Type is
// compressible (text/*, JSON, JavaScript, XML and the +json and +xml
// types such as SVG, WebAssembly, YAML, TOML, TrueType and OpenType
// fonts, icons, BMP), it has no Content-Encoding, neither it nor the
// request carries Cache-Control: no-transform, and it is at least the
// minimum size ([WithMinSize]). The size is read from Content-Length when
// the handler sets it; otherwise the first minimum-size bytes are held
// back until the decision (a Flush meanwhile is put off until then), and
// a response that ends before that goes out uncompressed. Nothing else is
// buffered: the body is compressed as it is written, and Flush flushes the
// encoder. text/event-stream is never compressed, so that events are not
// held back. A response
// without a Content-Type gets the one net/http would have sniffed.
//
// A compressed response has Content-Encoding, Vary: Accept-Encoding, no
// Content-Length and no Accept-Ranges, and its ETag is made weak and
// marked with the coding (W/"tag-gz", "-br", "-zst"), so that each
// variant has its own. The mark is taken off If-None-Match before the
// handler sees it, so a conditional request for a compressed variant is
// answered 304 (with the variant's ETag) by a handler or middleware that
// compares ETags. Range requests are answered by the handler on the
// uncompressed bytes (206 is never compressed). A HEAD response gets the
// headers a GET would have, when the handler sets Content-Length. Every
// compressible response of sufficient size gets Vary: Accept-Encoding,
// compressed or not.
//
// The writer is wrapped with httpsnoop, which keeps exactly the optional
// interfaces the original has (http.Flusher, http.Hijacker, io.ReaderFrom
// and the rest). A response that is not compressed goes to the original's
// ReadFrom, so sendfile still happens; a compressed one is read through
// the encoder. Next to this module's other watching middleware
// (headers, errorpage, logging) it shares their one wrap. Encoders are
// pooled and reused. It belongs in front of
// whatever answers conditional requests (conditional, fileserver), which
// then see If-None-Match without the marks; in this module's stack it sits
// outside cgi and conditional, inside errorpage and logging.
func New(opts ...Option) func(http.Handler) http.Handler {
	c := config{minSize: DefaultMinSize}
	for _, opt := range opts {
		if opt == nil {
			panic("compress: nil Option")
		}
		opt(&c)
	}
	if c.minSize < 0 {
		panic(fmt.Sprintf("compress: WithMinSize: negative size %d", c.minSize))
	}
	all := newCodings()
	names := make([]string, len(all))
	for i, cd := range all {
		names[i] = cd.name
	}
	return watch.Middleware("compress", watch.WriteString|watch.ReadFrom|watch.Flush|watch.Hijack,
		func(cw *writer, out *watch.Level, r *http.Request) (*http.Request, bool) {
			var chosen *coding
			if name := codings.Negotiate(r.Header.Values("Accept-Encoding"), names); name != "" {
				for _, cd := range all {
					if cd.name == name {
						chosen = cd
					}
				}
			}
			*cw = writer{w: out, cfg: &c, coding: chosen, head: r.Method == http.MethodHead}
			cw.noTransform = hasToken(r.Header.Values("Cache-Control"), "no-transform")
			if chosen != nil {
				r = cw.unmarkConditions(r)
			}
			return r, true
		})
}

type state int

const (
	undecided   state = iota
	buffering         // the first bytes are held until the size (or type) is known
	passing           // the response goes out as the handler writes it
	compressing       // the body goes through the encoder
)

// writer decides, once per response, whether to compress it.
type writer struct {
	w           *watch.Level // where the response goes
	cfg         *config
	coding      *coding // the negotiated coding; nil for identity
	head        bool
	noTransform bool // the request said Cache-Control: no-transform

	// variants are the opaque tags of If-None-Match that carried the
	// chosen coding's mark, with the mark taken off.
	variants map[string]bool

	state state
	code  int
	sniff bool   // no Content-Type: set it from the held bytes
	buf   []byte // the held bytes while buffering
	enc   encoder

	pendingFlush flushWant // what a Flush put off while buffering asked for
	encWritten   bool      // bytes went into enc since it was last flushed
}

// A flushWant is what a Flush made while the first bytes are held asks
// for once the decision is made: the headers alone when none of the body
// had been written yet, else also the body held then.
type flushWant uint8

const (
	noFlush flushWant = iota
	flushHeaders
	flushHeld
)

// WriteString is watched so that a string is not copied twice.
func (cw *writer) WriteString(s string) (int, error) { return cw.Write([]byte(s)) }

// Hijack ends buffering: the held bytes go out before the connection is
// handed over.
func (cw *writer) Hijack() (net.Conn, *bufio.ReadWriter, error) {
	if cw.state == buffering {
		cw.settle()
	}
	return cw.w.Hijack()
}

func (cw *writer) WriteHeader(code int) {
	if cw.state != undecided {
		if cw.state != buffering {
			cw.w.WriteHeader(code) // superfluous: net/http says so
		}
		return
	}
	if code >= 100 && code < 200 && code != http.StatusSwitchingProtocols {
		cw.w.WriteHeader(code) // interim responses pass
		return
	}
	cw.decide(code)
}

// decide looks at the status and headers the handler commits to.
func (cw *writer) decide(code int) {
	cw.code = code
	h := cw.w.Header()
	if code == http.StatusNotModified {
		cw.markNotModified(h)
	}
	ct := h.Get("Content-Type")
	switch {
	case code != http.StatusOK,
		h.Get("Content-Encoding") != "",
		cw.noTransform || hasToken(h.Values("Cache-Control"), "no-transform"),
		ct != "" && !compressible(ct):
		cw.pass()
		return
	}
	if cl := h.Get("Content-Length"); cl != "" {
		n, err := strconv.ParseInt(cl, 10, 64)
		if err != nil || n < int64(cw.cfg.minSize) {
			cw.pass()
			return
		}
		if ct != "" {
			cw.start()
			return
		}
	}
	if ct != "" && cw.coding == nil {
		// Unknown size, and the client takes no coding: a larger response
		// would vary all the same.
		addVary(h)
		cw.pass()
		return
	}
	cw.sniff = ct == ""
	cw.state = buffering
}

// threshold is how many bytes to hold before deciding.
func (cw *writer) threshold() int {
	if cw.sniff && cw.cfg.minSize < sniffLen {
		return sniffLen
	}
	return cw.cfg.minSize
}

// settle ends buffering: with the held bytes, the response is compressed
// when there are at least the minimum size of them and their type is
// compressible.
func (cw *writer) settle() {
	h := cw.w.Header()
	if cw.sniff {
		ct := http.DetectContentType(cw.buf)
		if !compressible(ct) {
			cw.pass() // net/http sniffs the same bytes again
			cw.writeHeld()
			return
		}
		if len(cw.buf) >= cw.cfg.minSize {
			h.Set("Content-Type", ct)
		}
	}
	if len(cw.buf) < cw.cfg.minSize {
		cw.pass()
		cw.writeHeld()
		return
	}
	if cw.coding == nil {
		addVary(h)
		cw.pass()
		cw.writeHeld()
		return
	}
	cw.start()
	cw.writeHeld()
}

// writeHeld sends what was held back while buffering, and a flush that
// was put off. A flush put off before any byte of the body was written
// asked for the headers alone: the encoder is not flushed for it, which
// would cut the stream with a sync block (an empty one, 5 bytes for
// deflate, when nothing was held).
func (cw *writer) writeHeld() {
	if len(cw.buf) > 0 {
		cw.bodyWrite(cw.buf)
	}
	cw.buf = nil
	switch cw.pendingFlush {
	case flushHeld:
		cw.Flush()
	case flushHeaders:
		cw.w.Flush()
	}
	cw.pendingFlush = noFlush
}

// pass sends the status and lets the rest of the response through.
func (cw *writer) pass() {
	cw.state = passing
	cw.w.WriteHeader(cw.code)
}

// start sends the headers of a compressed response and, for a body,
// takes an encoder.
func (cw *writer) start() {
	h := cw.w.Header()
	addVary(h)
	if cw.coding == nil {
		cw.pass()
		return
	}
	h.Del("Content-Length")
	h.Del("Accept-Ranges")
	h.Set("Content-Encoding", cw.coding.name)
	if tag := h.Get("ETag"); tag != "" {
		h.Set("ETag", mark(tag, cw.coding.suffix))
	}
	cw.state = compressing
	cw.w.WriteHeader(cw.code)
	if !cw.head {
		cw.enc = cw.coding.get(cw.w)
	}
}

// bodyWrite writes p according to the decision.
func (cw *writer) bodyWrite(p []byte) (int, error) {
	switch cw.state {
	case compressing:
		if cw.enc == nil { // HEAD
			return len(p), nil
		}
		cw.encWritten = cw.encWritten || len(p) > 0
		return cw.enc.Write(p)
	default:
		return cw.w.Write(p)
	}
}

func (cw *writer) Write(p []byte) (int, error) {
	if cw.state == undecided {
		cw.decide(http.StatusOK)
	}
	if cw.state != buffering {
		return cw.bodyWrite(p)
	}
	room := cw.threshold() - len(cw.buf)
	if len(p) < room {
		cw.buf = append(cw.buf, p...)
		return len(p), nil
	}
	cw.buf = append(cw.buf, p[:room]...)
	cw.settle()
	if _, err := cw.bodyWrite(p[room:]); err != nil {
		return room, err
	}
	return len(p), nil
}

func (cw *writer) ReadFrom(src io.Reader) (int64, error) {
	if cw.state == undecided {
		cw.decide(http.StatusOK)
	}
	var held int64
	if cw.state == buffering {
		buf := make([]byte, cw.threshold()-len(cw.buf))
		n, err := io.ReadFull(src, buf)
		cw.buf = append(cw.buf, buf[:n]...)
		held = int64(n)
		if err != nil {
			if err == io.EOF || err == io.ErrUnexpectedEOF {
				return held, nil // all of it held; finish decides
			}
			return held, err
		}
		cw.settle()
	}
	if cw.state == passing {
		n, err := cw.w.ReadFrom(src)
		return held + n, err
	}
	if cw.enc == nil { // HEAD
		n, err := io.Copy(io.Discard, src)
		return held + n, err
	}
	n, err := io.Copy(cw.enc, src)
	cw.encWritten = cw.encWritten || n > 0
	return held + n, err
}

// Flush flushes the encoder (if anything was written to it since it was
// last flushed), then the connection. While the first bytes are held, it
// is put off until the decision.
func (cw *writer) Flush() {
	switch cw.state {
	case buffering:
		want := flushHeaders
		if len(cw.buf) > 0 {
			want = flushHeld
		}
		cw.pendingFlush = max(cw.pendingFlush, want)
		return
	case compressing:
		// With nothing written since the last flush, flushing the
		// encoder would only add an empty sync block.
		if cw.enc != nil && cw.encWritten {
			cw.encWritten = false
			_ = cw.enc.Flush() // a write error shows on the next Write
		}
	}
	cw.w.Flush()
}

// End completes the response after the handler returned, or panicked.
func (cw *writer) End(bool) {
	switch cw.state {
	case buffering:
		cw.settle()
	}
	if cw.enc != nil {
		cw.enc.Close()
		cw.coding.put(cw.enc)
		cw.enc = nil
	}
}

// addVary adds Accept-Encoding to Vary unless it is there.
func addVary(h http.Header) {
	if hasToken(h.Values("Vary"), "accept-encoding") || hasToken(h.Values("Vary"), "*") {
		return
	}
	h.Add("Vary", "Accept-Encoding")
}

// hasToken reports whether the comma-separated values hold token,
// compared without case (parameters, as in "max-age=0", are not tokens).
func hasToken(values []string, token string) bool {
	for _, v := range values {
		for t := range strings.SplitSeq(v, ",") {
			if strings.EqualFold(strings.Trim(t, " \t"), token) {
				return true
			}
		}
	}
	return false
}
