package headers

import (
	"bufio"
	"io"
	"net"
	"net/http"
	"slices"
	"strings"

	"github.com/simplehttp/simplehttp/internal/watch"
)

// An Option configures the middleware returned by [New].
type Option func(*config)

type config struct {
	preflight bool
}

// WithPreflightPassThrough makes the middleware pass CORS preflight requests to the
// handler like any other request. By default an OPTIONS request with an
// Access-Control-Request-Method header is answered 204 by the middleware
// when the configured headers include Access-Control-Allow-Origin.
func WithPreflightPassThrough() Option {
	return func(c *config) { c.preflight = false }
}

// appended are the names whose configured values are added to the
// handler's rather than replacing them: lists that the handler and the
// user may both contribute to.
var appended = []string{"Vary", "Set-Cookie", "Link"}

// New returns middleware that sets the headers h on every response of the
// handler it wraps: successes, redirects, 304s and error responses alike.
// The headers are set when the response's status is written, so they reach
// the client whatever the handler did to the header map before (an error
// response that dropped Cache-Control gets it back). A configured header
// replaces the handler's values of the same name, except Vary, Set-Cookie
// and Link, whose configured values are added to the handler's. h is
// copied; it may be empty.
//
// When h has Access-Control-Allow-Origin, a CORS preflight request
// (OPTIONS with Access-Control-Request-Method) is answered 204 with the
// configured headers, without calling the handler. Unless configured, its
// Access-Control-Allow-Methods repeats the requested method and its
// Access-Control-Allow-Headers the requested headers (the actual request
// then gets the handler's own answer). [WithPreflightPassThrough] turns this off.
//
// New panics, with the package name, when a name is not an HTTP token or
// is one that describes the body or the connection (Content-Length,
// Content-Encoding, Content-Range, Transfer-Encoding, Trailer, Connection,
// Keep-Alive, Proxy-Connection, TE, Upgrade), and when a value holds a
// control character other than tab; use [Check] to test them first.
//
// The writer is wrapped with httpsnoop, which keeps exactly the optional
// interfaces the original has (http.Flusher, http.Hijacker, io.ReaderFrom,
// ...); ReadFrom goes to the original's, so sendfile still happens. Next to
// this module's other watching middleware (errorpage, logging, compress)
// it shares their one wrap. It
// belongs outermost, so that the headers are set after every other
// middleware has written its own.
func New(h http.Header, opts ...Option) func(http.Handler) http.Handler {
	c := config{preflight: true}
	for _, opt := range opts {
		if opt == nil {
			panic("headers: nil Option")
		}
		opt(&c)
	}
	set := make(http.Header, len(h))
	for name, values := range h {
		for _, v := range values {
			if err := Check(name, v); err != nil {
				panic(err.Error())
			}
		}
		set[http.CanonicalHeaderKey(name)] = append(set[http.CanonicalHeaderKey(name)], values...)
	}
	preflight := c.preflight && len(set["Access-Control-Allow-Origin"]) > 0
	if len(set) == 0 {
		return func(next http.Handler) http.Handler {
			if next == nil {
				panic("headers: nil handler")
			}
			return next
		}
	}
	return watch.Middleware("headers", watch.WriteString|watch.ReadFrom|watch.Flush,
		func(a *applier, out *watch.Level, r *http.Request) (*http.Request, bool) {
			if preflight && isPreflight(r) {
				answerPreflight(out, r, set)
				return r, false
			}
			a.out, a.set = out, set
			return r, true
		})
}

// apply writes the configured headers into dst.
func apply(dst, set http.Header) {
	for name, values := range set {
		if slices.Contains(appended, name) {
			dst[name] = append(dst[name], values...)
			continue
		}
		dst[name] = slices.Clone(values)
	}
}

// applier applies the configured headers to one response, once, just
// before the status goes out, or when the handler returns without writing
// anything (net/http then sends a 200 itself).
type applier struct {
	out  *watch.Level
	set  http.Header
	done bool
}

func (a *applier) once() {
	if !a.done {
		a.done = true
		apply(a.out.Header(), a.set)
	}
}

func (a *applier) WriteHeader(code int) {
	// 1xx responses are interim: the final one gets the headers.
	if code >= 200 {
		a.once()
	}
	a.out.WriteHeader(code)
}

func (a *applier) Write(p []byte) (int, error)           { a.once(); return a.out.Write(p) }
func (a *applier) WriteString(s string) (int, error)     { a.once(); return a.out.WriteString(s) }
func (a *applier) ReadFrom(src io.Reader) (int64, error) { a.once(); return a.out.ReadFrom(src) }
func (a *applier) Flush()                                { a.once(); a.out.Flush() }

func (a *applier) Hijack() (net.Conn, *bufio.ReadWriter, error) { return a.out.Hijack() }

func (a *applier) End(panicked bool) {
	if !panicked {
		a.once()
	}
}

// isPreflight reports whether r is a CORS preflight request.
func isPreflight(r *http.Request) bool {
	return r.Method == http.MethodOptions && r.Header.Get("Access-Control-Request-Method") != ""
}

// answerPreflight answers a preflight 204 with the configured headers.
func answerPreflight(w http.ResponseWriter, r *http.Request, set http.Header) {
	h := w.Header()
	apply(h, set)
	vary := []string{}
	if _, ok := set["Access-Control-Allow-Methods"]; !ok {
		if m := r.Header.Get("Access-Control-Request-Method"); isToken(m) {
			h.Set("Access-Control-Allow-Methods", m)
		}
		vary = append(vary, "Access-Control-Request-Method")
	}
	if _, ok := set["Access-Control-Allow-Headers"]; !ok {
		if names := r.Header.Values("Access-Control-Request-Headers"); len(names) > 0 {
			if list, ok := tokenList(names); ok && list != "" {
				h.Set("Access-Control-Allow-Headers", list)
			}
		}
		vary = append(vary, "Access-Control-Request-Headers")
	}
	if len(vary) > 0 {
		h.Add("Vary", strings.Join(vary, ", "))
	}
	w.WriteHeader(http.StatusNoContent)
}

// tokenList joins comma-separated header names, refusing anything that is
// not a list of tokens.
func tokenList(values []string) (string, bool) {
	var names []string
	for _, v := range values {
		for part := range strings.SplitSeq(v, ",") {
			part = strings.Trim(part, " \t")
			if part == "" {
				continue
			}
			if !isToken(part) {
				return "", false
			}
			names = append(names, part)
		}
	}
	return strings.Join(names, ", "), true
}
