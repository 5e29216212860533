// Package watch lets the middleware that watch every response (errorpage,
// headers, compress, logging) share one httpsnoop wrap of the writer.
//
// Each such middleware is a [Layer]: per request it gets an [Observer]
// state, which sees the calls the handler makes on the writer and passes
// them on (or not) to its [Level], the writer as seen from just outside
// that middleware. A layer's middleware ([Middleware]) applied to a handler
// that is itself a chain of layers joins that chain instead of wrapping
// again, so adjacent watching middleware cost one httpsnoop.Wrap between
// them, with one hook per method any of them needs. The calls go through
// the observers in the order the separate wrappers would take them
// (innermost middleware first), and what a middleware writes itself goes to
// its Level, so the observers outside it see it as before.
package watch

import (
	"bufio"
	"fmt"
	"io"
	"net"
	"net/http"
	"reflect"

	"github.com/felixge/httpsnoop"
)

// Methods says which optional methods a layer watches. WriteHeader and
// Write are always watched; a method the writer lacks is never hooked.
type Methods uint8

const (
	WriteString Methods = 1 << iota
	ReadFrom
	Flush
	Hijack
)

// An Observer watches one response for one layer. Each method is called
// for the call of the same name on the writer, from inside (the handler or
// an inner layer); it passes the call on to its Level when it should.
// Methods of the optional interfaces are only called when the writer has
// them (or when an inner observer calls them on its Level). End is called
// once the handler has returned (panicked: it panicked), innermost layer
// first; a panic in one End reaches the layers outside it as a panic.
type Observer interface {
	WriteHeader(code int)
	Write(b []byte) (int, error)
	WriteString(s string) (int, error)
	ReadFrom(src io.Reader) (int64, error)
	Flush()
	Hijack() (net.Conn, *bufio.ReadWriter, error)
	End(panicked bool)
}

// inline is how many layers a chain holds in the same allocation: a
// chain of more gets its observers and levels in two more.
const inline = 5

// chain is the per-request state shared by the layers of one wrap.
type chain struct {
	w         http.ResponseWriter
	obs       []Observer // innermost first; nil for a layer that only begins
	levels    []Level    // levels[i] reaches obs[i]; levels[len(obs)] is w
	flushNext func()     // the writer's flush for the Flush call under way

	oneObs    [1]Observer // a chain of one layer's
	oneLevels [2]Level
}

// longChain is a chain of several layers.
type longChain struct {
	chain
	obs    [inline]Observer
	levels [inline + 1]Level
}

func (c *chain) init(w http.ResponseWriter, n int) {
	c.w = w
	if n == 1 {
		c.obs, c.levels = c.oneObs[:], c.oneLevels[:]
	} else if c.obs == nil {
		c.obs, c.levels = make([]Observer, n), make([]Level, n+1)
	}
	for i := range c.levels {
		c.levels[i] = Level{c: c, i: i}
	}
}

// A Level is the writer as one layer sees it from outside: its calls go to
// the observers of the layers outside that one, then to the writer. It is
// an http.ResponseWriter with every optional method the observers see; a
// method the writer lacks is a no-op at the end (Flush), an error
// (Hijack), or done with the methods it has (WriteString, ReadFrom).
type Level struct {
	c *chain
	i int
}

func (l *Level) observer() Observer {
	for ; l.i < len(l.c.obs); l = &l.c.levels[l.i+1] {
		if o := l.c.obs[l.i]; o != nil {
			return o
		}
	}
	return nil
}

// Header returns the writer's header map.
func (l *Level) Header() http.Header { return l.c.w.Header() }

// WriteHeader passes code on.
func (l *Level) WriteHeader(code int) {
	if o := l.observer(); o != nil {
		o.WriteHeader(code)
		return
	}
	l.c.w.WriteHeader(code)
}

// Write passes b on.
func (l *Level) Write(b []byte) (int, error) {
	if o := l.observer(); o != nil {
		return o.Write(b)
	}
	return l.c.w.Write(b)
}

// WriteString passes s on.
func (l *Level) WriteString(s string) (int, error) {
	if o := l.observer(); o != nil {
		return o.WriteString(s)
	}
	return io.WriteString(l.c.w, s)
}

// ReadFrom passes src on: to the writer's ReadFrom in the end, so that
// sendfile still happens.
func (l *Level) ReadFrom(src io.Reader) (int64, error) {
	if o := l.observer(); o != nil {
		return o.ReadFrom(src)
	}
	if rf, ok := l.c.w.(io.ReaderFrom); ok {
		return rf.ReadFrom(src)
	}
	return io.Copy(writerOnly{l.c.w}, src)
}

// Flush passes the flush on.
func (l *Level) Flush() {
	if o := l.observer(); o != nil {
		o.Flush()
		return
	}
	if l.c.flushNext != nil {
		l.c.flushNext() // FlushError's, when that is what was called
	} else if f, ok := l.c.w.(http.Flusher); ok {
		f.Flush()
	}
}

// Hijack passes the hijack on.
func (l *Level) Hijack() (net.Conn, *bufio.ReadWriter, error) {
	if o := l.observer(); o != nil {
		return o.Hijack()
	}
	if h, ok := l.c.w.(http.Hijacker); ok {
		return h.Hijack()
	}
	return nil, nil, http.ErrNotSupported
}

// writerOnly hides a writer's ReadFrom from io.Copy.
type writerOnly struct{ io.Writer }

// wrap returns w wrapped once for the chain, hooking WriteHeader, Write and
// the methods of m that w has. Each hook costs three allocations
// (httpsnoop's method value of w's method, the hook, the function it
// returns), so only the methods some layer watches are hooked.
func (c *chain) wrap(m Methods) http.ResponseWriter {
	top := &c.levels[0]
	hooks := httpsnoop.Hooks{
		WriteHeader: func(httpsnoop.WriteHeaderFunc) httpsnoop.WriteHeaderFunc { return top.WriteHeader },
		Write:       func(httpsnoop.WriteFunc) httpsnoop.WriteFunc { return top.Write },
	}
	if _, ok := c.w.(io.StringWriter); ok && m&WriteString != 0 {
		hooks.WriteString = func(httpsnoop.WriteStringFunc) httpsnoop.WriteStringFunc { return top.WriteString }
	}
	if _, ok := c.w.(io.ReaderFrom); ok && m&ReadFrom != 0 {
		hooks.ReadFrom = func(httpsnoop.ReadFromFunc) httpsnoop.ReadFromFunc { return top.ReadFrom }
	}
	if _, ok := c.w.(http.Flusher); ok && m&Flush != 0 {
		// httpsnoop routes FlushError through this hook with a next that
		// keeps its error: the chain's end calls that next.
		hooks.Flush = func(next httpsnoop.FlushFunc) httpsnoop.FlushFunc {
			return func() {
				prev := c.flushNext
				c.flushNext = next
				defer func() { c.flushNext = prev }()
				top.Flush()
			}
		}
	}
	if _, ok := c.w.(http.Hijacker); ok && m&Hijack != 0 {
		hooks.Hijack = func(httpsnoop.HijackFunc) httpsnoop.HijackFunc { return top.Hijack }
	}
	return httpsnoop.Wrap(c.w, hooks)
}

// A layer is one watching middleware, built once.
type layer interface {
	// alone returns a chain of this layer alone with its observer state,
	// in one allocation.
	alone() (*chain, Observer)
	// stateType is the type of the layer's observer state, nil for a
	// layer that only begins; at returns the observer whose state p
	// points to.
	stateType() reflect.Type
	at(p reflect.Value) Observer
	// begin starts watching r with o, whose writes go to out. It returns
	// the request to pass on, and false when the layer has answered r
	// itself: then nothing inside it runs and o's End is not called.
	begin(o Observer, out *Level, r *http.Request) (*http.Request, bool)
	methods() Methods
}

// typed is a layer whose observer state is an S.
type typed[S any, P interface {
	*S
	Observer
}] struct {
	beginFunc func(s P, out *Level, r *http.Request) (*http.Request, bool)
	m         Methods
}

func (t *typed[S, P]) alone() (*chain, Observer) {
	both := &struct {
		c chain
		s S
	}{}
	return &both.c, P(&both.s)
}

func (t *typed[S, P]) stateType() reflect.Type { return reflect.TypeFor[S]() }

func (t *typed[S, P]) at(p reflect.Value) Observer { return P(p.Interface().(*S)) }

func (t *typed[S, P]) begin(o Observer, out *Level, r *http.Request) (*http.Request, bool) {
	return t.beginFunc(o.(P), out, r)
}

func (t *typed[S, P]) methods() Methods { return t.m }

// Middleware returns the middleware of a layer whose observer state is an
// S, set up per request by begin (given a zero S, the Level its writes go
// to and the request; it returns the request to pass on, or false when it
// answered the request itself, writing to out) and watching WriteHeader,
// Write and the methods m. name prefixes the panic for a nil handler.
func Middleware[S any, P interface {
	*S
	Observer
}](name string, m Methods, begin func(s P, out *Level, r *http.Request) (*http.Request, bool)) func(http.Handler) http.Handler {
	return join(name, &typed[S, P]{beginFunc: begin, m: m})
}

// beginOnly is a layer that does something to each request and watches
// nothing.
type beginOnly func(out *Level, r *http.Request)

func (b beginOnly) alone() (*chain, Observer) { return new(chain), nil }
func (b beginOnly) stateType() reflect.Type   { return nil }
func (b beginOnly) at(reflect.Value) Observer { return nil }
func (b beginOnly) methods() Methods          { return 0 }
func (b beginOnly) begin(_ Observer, out *Level, r *http.Request) (*http.Request, bool) {
	b(out, r)
	return r, true
}

// Begin returns middleware that calls f for each request, with the writer
// as seen from it, before passing the request on. Between layers it keeps
// them one chain.
func Begin(name string, f func(w http.ResponseWriter, r *http.Request)) func(http.Handler) http.Handler {
	return join(name, beginOnly(func(out *Level, r *http.Request) { f(out, r) }))
}

func join(name string, l layer) func(http.Handler) http.Handler {
	return func(next http.Handler) http.Handler {
		if next == nil {
			panic(name + ": nil handler")
		}
		if h, ok := next.(*Handler); ok {
			layers := make([]layer, 0, len(h.layers)+1)
			return newHandler(append(append(layers, h.layers...), l), h.next)
		}
		return newHandler([]layer{l}, next)
	}
}

// A Handler serves requests through a chain of layers, innermost first,
// and then next.
type Handler struct {
	layers []layer
	next   http.Handler
	m      Methods

	// For a chain of several layers: state is a struct of the chain
	// (a longChain, or a chain when there are more layers than inline)
	// and the layers' observer states, field[i] being layer i's (0: it
	// has none), so that a request's states are one allocation.
	state reflect.Type
	field []int
}

func newHandler(layers []layer, next http.Handler) *Handler {
	h := &Handler{layers: layers, next: next}
	for _, l := range layers {
		h.m |= l.methods()
	}
	if len(layers) == 1 {
		return h
	}
	fields := []reflect.StructField{{Name: "Chain", Type: reflect.TypeFor[longChain]()}}
	if len(layers) > inline {
		fields[0].Type = reflect.TypeFor[chain]()
	}
	h.field = make([]int, len(layers))
	for i, l := range layers {
		if t := l.stateType(); t != nil {
			h.field[i] = len(fields)
			fields = append(fields, reflect.StructField{Name: fmt.Sprintf("Layer%d", i), Type: t})
		}
	}
	h.state = reflect.StructOf(fields)
	return h
}

// ServeHTTP serves r through the layers, outermost first, and next.
func (h *Handler) ServeHTTP(w http.ResponseWriter, r *http.Request) {
	n := len(h.layers)
	var c *chain
	if n == 1 {
		var o Observer
		c, o = h.layers[0].alone()
		c.init(w, 1)
		c.obs[0] = o
	} else {
		state := reflect.New(h.state).Elem()
		if n <= inline {
			lc := state.Field(0).Addr().Interface().(*longChain)
			c = &lc.chain
			c.obs, c.levels = lc.obs[:n], lc.levels[:n+1]
		} else {
			c = state.Field(0).Addr().Interface().(*chain)
		}
		c.init(w, n)
		for i, l := range h.layers {
			if f := h.field[i]; f > 0 {
				c.obs[i] = l.at(state.Field(f).Addr())
			}
		}
	}
	// Outermost first, each layer begins; one that answers stops the rest.
	for i := n - 1; i >= 0; i-- {
		var ok bool
		if r, ok = h.layers[i].begin(c.obs[i], &c.levels[i+1], r); !ok {
			c.obs[i] = nil // it has answered: it watches nothing
			c.end(i+1, false)
			return
		}
	}
	ww := w
	if c.watching() {
		ww = c.wrap(h.m)
	}
	panicked := true
	defer func() { c.end(0, panicked) }()
	h.next.ServeHTTP(ww, r)
	panicked = false
}

// watching reports whether some layer has an observer.
func (c *chain) watching() bool {
	for _, o := range c.obs {
		if o != nil {
			return true
		}
	}
	return false
}

// end ends the observers from i outward. One whose End panics leaves the
// ones outside it a panicked response, as nested middleware would.
func (c *chain) end(i int, panicked bool) {
	for ; i < len(c.obs) && c.obs[i] == nil; i++ {
	}
	if i >= len(c.obs) {
		return
	}
	done := false
	defer func() { c.end(i+1, panicked || !done) }()
	c.obs[i].End(panicked)
	done = true
}
