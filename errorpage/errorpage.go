package errorpage

import (
	"bufio"
	"fmt"
	"io"
	"mime"
	"net"
	"net/http"
	"strconv"

	"github.com/simplehttp/simplehttp/internal/httperr"
	"github.com/simplehttp/simplehttp/internal/watch"
)

// An Option configures the middleware returned by [New].
type Option func(*config)

type config struct {
	template    string
	contentType string
	pages       map[int]fixedPage
	errs        []string
}

// fixedPage is a page of WithPage.
type fixedPage struct {
	body        []byte
	contentType string
}

// WithPageTemplate sets the page as a [text/template] executed with a
// [Page] and sent as contentType. Message and Explain are escaped for that
// type: for HTML and XML as Python escapes them (&, < and >; fit for
// element content, not attribute values), for JSON as the inside of a JSON
// string (the template supplies the quotes), for any other type with their
// control characters written as \xNN. The default is [DefaultTemplate] as
// [DefaultContentType], Python's page.
func WithPageTemplate(contentType, text string) Option {
	return func(c *config) { c.contentType, c.template = contentType, text }
}

// WithPage sends body as the page of every error with status code, as
// contentType, instead of the templated page. Several WithPage options
// may be given, one per code.
func WithPage(code int, body []byte, contentType string) Option {
	return func(c *config) {
		if code < 400 || code > 599 {
			c.errs = append(c.errs, fmt.Sprintf("WithPage: status %d is not an error (400-599)", code))
			return
		}
		if _, _, err := mime.ParseMediaType(contentType); err != nil {
			c.errs = append(c.errs, fmt.Sprintf("WithPage: invalid media type %q", contentType))
			return
		}
		if c.pages == nil {
			c.pages = make(map[int]fixedPage)
		}
		c.pages[code] = fixedPage{body: append([]byte(nil), body...), contentType: contentType}
	}
}

// New returns middleware that replaces the body of every error response
// (status 400 and above) that a handler sends the [http.Error] way (text/plain,
// or no Content-Type) with a page: by default Python 3.12's, with its
// headers Connection: close, Content-Type: text/html;charset=utf-8 and
// Content-Length. The page's Message is the handler's message when the body
// is one (see README), else Python's short message for the status; an
// error with any other Content-Type, and every response below 400, passes
// through untouched.
//
// A page keeps the handler's other headers except those that described the
// replaced body or a successful response (Content-Encoding, Content-Range but
// a 416's, ETag, Last-Modified, Cache-Control, ...). For HEAD it sends the
// same headers and no body.
//
// The writer keeps the optional interfaces of the original (httpsnoop):
// http.Flusher, http.Hijacker, io.ReaderFrom (sendfile) and the rest; next
// to this module's other watching middleware (headers, logging, compress)
// it shares their one wrap. New
// panics, with a message starting "errorpage: ", on a nil option or an
// invalid one; the middleware panics on a nil handler. It belongs outermost,
// so that it sees every error of the stack.
func New(opts ...Option) func(http.Handler) http.Handler {
	c := config{template: DefaultTemplate, contentType: DefaultContentType}
	for _, opt := range opts {
		if opt == nil {
			panic("errorpage: nil Option")
		}
		opt(&c)
	}
	if len(c.errs) > 0 {
		panic("errorpage: " + c.errs[0])
	}
	rd, err := newRenderer(c.template, c.contentType)
	if err != nil {
		panic("errorpage: WithPageTemplate: " + err.Error())
	}
	fallback := rd
	if c.template != DefaultTemplate || c.contentType != DefaultContentType {
		fallback, _ = newRenderer(DefaultTemplate, DefaultContentType)
	}
	return watch.Middleware("errorpage", watch.WriteString|watch.ReadFrom|watch.Flush|watch.Hijack,
		func(ew *writer, out *watch.Level, r *http.Request) (*http.Request, bool) {
			*ew = writer{w: out, r: r, rd: rd, fallback: fallback, pages: c.pages}
			return r, true
		})
}

type state int

const (
	undecided state = iota
	passing         // the handler's response goes out as it is
	capturing       // an error: its body is kept to read the message, the page goes out later
)

// writer watches one response and holds back an error's body.
type writer struct {
	w            *watch.Level // where the response goes
	r            *http.Request
	rd, fallback *renderer // the page's renderer, and Python's for when it fails
	pages        map[int]fixedPage
	state        state

	code   int
	header http.Header // the headers at WriteHeader time
	body   httperr.Body
}

// decide looks at the status the handler commits to.
func (ew *writer) decide(code int) {
	ct := ew.w.Header()["Content-Type"]
	switch {
	case code < 400:
		ew.state = passing
	case len(ct) > 0 && !httperr.IsPlainText(ct[0]):
		ew.state = passing // the handler's own error document
	default:
		ew.state = capturing
		ew.code = code
		if len(ct) == 0 {
			ew.body.Lose() // no Content-Type: no message
		}
		ew.header = ew.w.Header().Clone()
	}
}

func (ew *writer) WriteHeader(code int) {
	if ew.state == undecided && !informational(code) {
		ew.decide(code)
	}
	if ew.state != capturing {
		ew.w.WriteHeader(code)
	}
}

func (ew *writer) Write(b []byte) (int, error) {
	if ew.state == undecided {
		ew.decide(http.StatusOK)
	}
	if ew.state == capturing {
		ew.body.Write(b)
		return len(b), nil
	}
	return ew.w.Write(b)
}

func (ew *writer) WriteString(s string) (int, error) {
	if ew.state == undecided {
		ew.decide(http.StatusOK)
	}
	if ew.state == capturing {
		ew.body.WriteString(s)
		return len(s), nil
	}
	return ew.w.WriteString(s)
}

func (ew *writer) ReadFrom(src io.Reader) (int64, error) {
	if ew.state == undecided {
		ew.decide(http.StatusOK)
	}
	if ew.state == capturing {
		// Read no more than could still make a message, and nothing when
		// the body cannot be one.
		if !ew.body.Possible() {
			return 0, nil
		}
		b, err := io.ReadAll(io.LimitReader(src, int64(ew.body.Room()+1)))
		ew.body.Write(b)
		return int64(len(b)), err
	}
	return ew.w.ReadFrom(src)
}

func (ew *writer) Flush() {
	if ew.state == undecided {
		ew.decide(http.StatusOK)
	}
	if ew.state == capturing {
		ew.body.Lose() // a streamed body is no message
		return
	}
	ew.w.Flush()
}

func (ew *writer) Hijack() (net.Conn, *bufio.ReadWriter, error) {
	if ew.state == capturing {
		// net/http sends a status already written before it hands the
		// connection over: send the page, whole.
		ew.sendPage()
		ew.w.Flush()
	}
	ew.state = passing // the connection is the handler's now
	return ew.w.Hijack()
}

// End sends the page of an error the handler returned from.
func (ew *writer) End(panicked bool) {
	if !panicked && ew.state == capturing {
		ew.sendPage()
	}
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
	var page []byte
	var contentType string
	if fp, ok := ew.pages[ew.code]; ok {
		page, contentType = fp.body, fp.contentType
	} else {
		msg, ok := ew.body.Message()
		rd := ew.rd
		var err error
		page, err = rd.render(ew.code, msg, ok)
		if err != nil {
			rd = ew.fallback
			page, _ = rd.render(ew.code, msg, ok)
		}
		contentType = rd.contentType
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
	h.Set("Content-Type", contentType)
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
