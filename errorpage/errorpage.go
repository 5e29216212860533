package errorpage

import (
	"bufio"
	"io"
	"mime"
	"net"
	"net/http"
	"strconv"

	"github.com/felixge/httpsnoop"

	"github.com/simplehttp/simplehttp/internal/httperr"
)

// An Option configures the middleware returned by [New].
type Option func(*config)

type config struct {
	template    string
	contentType string
}

// WithTemplate sets the page as a [text/template] executed with a [Page]:
// {{.Code}}, {{.Message}} and {{.Explain}}. When the content type is HTML
// (text/html or application/xhtml+xml), Message and Explain arrive already
// escaped the way Python escapes them (&, < and >), so the template must
// not escape them again. The default is [DefaultTemplate], Python's page.
// New panics when the template does not parse or does not execute; should
// it fail on a request all the same, Python's page is sent instead.
func WithTemplate(text string) Option {
	return func(c *config) { c.template = text }
}

// WithContentType sets the Content-Type of the page. The default is
// [DefaultContentType], Python's "text/html;charset=utf-8". New panics when
// ct is not a valid media type.
func WithContentType(ct string) Option {
	return func(c *config) { c.contentType = ct }
}

// New returns middleware that replaces the body of every error response
// (status 400 and above) with a page, by default the one Python 3.12's
// http.server sends, with its headers: Connection: close, Content-Type:
// text/html;charset=utf-8 and the page's Content-Length.
//
// The handler reports errors the http.Error way: a status and a
// text/plain one-line message. The page's Message is that message when the
// response's Content-Type is text/plain and its body is one line ending in
// a single "\n" (at most 64 KiB, with no other \n or \r); otherwise it is
// Python's short message for the status, or "???" when Python has none.
// Explain is Python's explanation for the status, or "???".
//
// A response whose Content-Type is anything but text/plain (an HTML page,
// JSON, an image) is the handler's own error document and passes
// through untouched, as do all responses below 400 (so 1xx, 204, 205 and
// 304 never get a page, a Content-Type or a Content-Length from it).
//
// A replaced response keeps the handler's other headers (Allow,
// WWW-Authenticate, Retry-After, Set-Cookie, ...) except those describing
// the replaced body (Content-Encoding, Content-Range but a 416's,
// Content-Language, Content-Disposition, Accept-Ranges, the
// X-Content-Type-Options that http.Error adds) and those of a successful
// response (Cache-Control, ETag, Last-Modified).
// Changes the handler makes to the headers after its WriteHeader are
// ignored, as net/http ignores them. For HEAD the headers are the same,
// Content-Length included, and no body is sent.
//
// The writer is wrapped with httpsnoop, which keeps exactly the optional
// interfaces the original has (http.Flusher, http.Hijacker, io.ReaderFrom
// and the rest). Responses below 400 and untouched error documents go
// straight through, ReadFrom included, so sendfile still happens; for an
// error being replaced, the middleware keeps at most 64 KiB of the
// text/plain body the handler writes (Write and ReadFrom report success),
// reads no further from a ReadFrom source, nothing at all when the
// body has no Content-Type, and ignores Flush until the page is sent after
// the handler returns (or when it hijacks the connection: the page goes out
// first, as net/http sends a written status first). It belongs outermost,
// so that it sees every error of the stack.
func New(opts ...Option) func(http.Handler) http.Handler {
	c := config{template: DefaultTemplate, contentType: DefaultContentType}
	for _, opt := range opts {
		opt(&c)
	}
	if !validContentType(c.contentType) {
		panic("errorpage: WithContentType: invalid media type " + strconv.Quote(c.contentType))
	}
	rd, err := newRenderer(c.template, c.contentType)
	if err != nil {
		panic("errorpage: WithTemplate: " + err.Error())
	}
	fallback := rd
	if c.template != DefaultTemplate || c.contentType != DefaultContentType {
		fallback, _ = newRenderer(DefaultTemplate, DefaultContentType)
	}
	return func(next http.Handler) http.Handler {
		return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
			ew := &writer{w: w, r: r, rd: rd, fallback: fallback}
			next.ServeHTTP(ew.wrap(), r)
			if ew.state == capturing {
				ew.sendPage()
			}
		})
	}
}

type state int

const (
	undecided state = iota
	passing         // the handler's response goes out as it is
	capturing       // an error: its body is kept to read the message, the page goes out later
)

// writer watches one response and holds back an error's body.
type writer struct {
	w            http.ResponseWriter
	r            *http.Request
	rd, fallback *renderer // the page's renderer, and Python's for when it fails
	state        state

	code     int
	header   http.Header // the headers at WriteHeader time
	plain    bool        // the error was declared text/plain
	body     []byte      // at most maxMessage+1 bytes of the error body
	overflow bool        // the body was longer than maxMessage
}

// decide looks at the status the handler commits to.
func (ew *writer) decide(code int) {
	ct := ew.w.Header()["Content-Type"]
	typed := len(ct) > 0
	switch {
	case code < 400:
		ew.state = passing
	case typed && !isPlainText(ct[0]):
		ew.state = passing // the handler's own error document
	default:
		ew.state = capturing
		ew.code = code
		ew.plain = typed
		ew.header = ew.w.Header().Clone()
	}
}

// keep adds p to the captured body, up to the bound.
func (ew *writer) keep(p []byte) {
	if ew.overflow || !ew.plain {
		return
	}
	if len(ew.body)+len(p) > maxMessage {
		ew.overflow = true
		ew.body = nil
		return
	}
	ew.body = append(ew.body, p...)
}

func (ew *writer) wrap() http.ResponseWriter {
	return httpsnoop.Wrap(ew.w, httpsnoop.Hooks{
		WriteHeader: func(next httpsnoop.WriteHeaderFunc) httpsnoop.WriteHeaderFunc {
			return func(code int) {
				if ew.state == undecided && !informational(code) {
					ew.decide(code)
				}
				if ew.state != capturing {
					next(code)
				}
			}
		},
		Write: func(next httpsnoop.WriteFunc) httpsnoop.WriteFunc {
			return func(b []byte) (int, error) {
				if ew.state == undecided {
					ew.decide(http.StatusOK)
				}
				if ew.state == capturing {
					ew.keep(b)
					return len(b), nil
				}
				return next(b)
			}
		},
		WriteString: func(next httpsnoop.WriteStringFunc) httpsnoop.WriteStringFunc {
			return func(s string) (int, error) {
				if ew.state == undecided {
					ew.decide(http.StatusOK)
				}
				if ew.state == capturing {
					ew.keep([]byte(s))
					return len(s), nil
				}
				return next(s)
			}
		},
		ReadFrom: func(next httpsnoop.ReadFromFunc) httpsnoop.ReadFromFunc {
			return func(src io.Reader) (int64, error) {
				if ew.state == undecided {
					ew.decide(http.StatusOK)
				}
				if ew.state == capturing {
					// Read no more than could still make a message, and
					// nothing when the body cannot be one.
					if !ew.plain || ew.overflow {
						return 0, nil
					}
					b, err := io.ReadAll(io.LimitReader(src, int64(maxMessage+1-len(ew.body))))
					ew.keep(b)
					return int64(len(b)), err
				}
				return next(src)
			}
		},
		Flush: func(next httpsnoop.FlushFunc) httpsnoop.FlushFunc {
			return func() {
				if ew.state == undecided {
					ew.decide(http.StatusOK)
				}
				if ew.state != capturing {
					next()
				}
			}
		},
		Hijack: func(next httpsnoop.HijackFunc) httpsnoop.HijackFunc {
			return func() (net.Conn, *bufio.ReadWriter, error) {
				if ew.state == capturing {
					// net/http sends a status already written before it
					// hands the connection over: send the page, whole.
					ew.sendPage()
					_ = http.NewResponseController(ew.w).Flush()
				}
				ew.state = passing // the connection is the handler's now
				return next()
			}
		},
	})
}

// describingBody are the handler's headers that described the body the page
// replaces; the headers of a successful response go too
// (httperr.DropSuccessHeaders). A 416's Content-Range ("bytes */N") is
// about the representation, not the body, and stays (RFC 9110 §15.5.17).
var describingBody = [...]string{
	"Content-Range", "Content-Language", "Content-Disposition",
	"Accept-Ranges", "Transfer-Encoding", "X-Content-Type-Options",
}

// sendPage writes the page for the captured error.
func (ew *writer) sendPage() {
	msg, ok := "", false
	if ew.plain && !ew.overflow {
		msg, ok = message(ew.body)
	}
	rd := ew.rd
	page, err := rd.render(newPage(ew.code, msg, ok, rd.html))
	if err != nil {
		rd = ew.fallback
		page, _ = rd.render(newPage(ew.code, msg, ok, rd.html))
	}
	h := ew.w.Header()
	clear(h)
	for k, v := range ew.header {
		h[k] = v
	}
	contentRange := h["Content-Range"]
	for _, k := range describingBody {
		delete(h, k)
	}
	httperr.DropSuccessHeaders(h)
	if ew.code == http.StatusRequestedRangeNotSatisfiable && contentRange != nil {
		h["Content-Range"] = contentRange
	}
	h.Set("Connection", "close")
	h.Set("Content-Type", rd.contentType)
	h.Set("Content-Length", strconv.Itoa(len(page)))
	ew.w.WriteHeader(ew.code)
	if ew.r.Method != http.MethodHead {
		_, _ = ew.w.Write(page)
	}
}

// informational reports whether code is a 1xx status that precedes the
// final one (101 Switching Protocols is final).
func informational(code int) bool {
	return code >= 100 && code < 200 && code != http.StatusSwitchingProtocols
}

func validContentType(ct string) bool {
	_, _, err := mime.ParseMediaType(ct)
	return err == nil
}
