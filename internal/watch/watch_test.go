package watch

import (
	"bufio"
	"errors"
	"fmt"
	"io"
	"net"
	"net/http"
	"net/http/httptest"
	"strings"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

// tracer is an observer that records each call in a shared trace and passes
// it on.
type tracer struct {
	name  string
	trace *[]string
	out   *Level
}

func (t *tracer) log(format string, args ...any) {
	*t.trace = append(*t.trace, t.name+" "+fmt.Sprintf(format, args...))
}

func (t *tracer) WriteHeader(code int) { t.log("WriteHeader %d", code); t.out.WriteHeader(code) }
func (t *tracer) Write(b []byte) (int, error) {
	t.log("Write %q", b)
	return t.out.Write(b)
}
func (t *tracer) WriteString(s string) (int, error) {
	t.log("WriteString %q", s)
	return t.out.WriteString(s)
}
func (t *tracer) ReadFrom(src io.Reader) (int64, error) {
	t.log("ReadFrom")
	return t.out.ReadFrom(src)
}
func (t *tracer) Flush() { t.log("Flush"); t.out.Flush() }
func (t *tracer) Hijack() (net.Conn, *bufio.ReadWriter, error) {
	t.log("Hijack")
	return t.out.Hijack()
}
func (t *tracer) End(panicked bool) {
	t.log("End %v", panicked)
	if t.name == "inner" && !panicked {
		_, _ = t.out.Write([]byte("trailer")) // a layer's own write, at its level
	}
}

// tracing returns a layer named name that traces into trace, answering
// the request itself when answer is set.
func tracing(name string, trace *[]string, m Methods, answer bool) func(http.Handler) http.Handler {
	return Middleware(name, m, func(t *tracer, out *Level, r *http.Request) (*http.Request, bool) {
		*t = tracer{name: name, trace: trace, out: out}
		t.log("Begin")
		if answer {
			out.WriteHeader(http.StatusNoContent)
			return r, false
		}
		return r, true
	})
}

// fullRecorder is a recorder with ReadFrom.
type fullRecorder struct{ *httptest.ResponseRecorder }

func (r fullRecorder) ReadFrom(src io.Reader) (int64, error) {
	return io.Copy(r.ResponseRecorder, src)
}

// unjoined keeps the layers around it apart, as any other middleware does.
func unjoined(next http.Handler) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) { next.ServeHTTP(w, r) })
}

// TestChain checks that a joined chain takes the calls in the order
// separately wrapped layers would (innermost first, a layer's own writes
// from its level outward), begins them outermost first and ends them
// innermost first, with one wrap.
func TestChain(t *testing.T) {
	handler := http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		w.WriteHeader(http.StatusOK)
		_, _ = io.WriteString(w, "a")
		_, _ = io.Copy(w, struct{ io.Reader }{strings.NewReader("b")}) // no WriteTo
		w.(http.Flusher).Flush()
	})
	want := []string{
		"outer Begin", "inner Begin",
		"inner WriteHeader 200", "outer WriteHeader 200",
		`inner WriteString "a"`, `outer WriteString "a"`,
		"inner ReadFrom", "outer ReadFrom",
		"inner Flush", "outer Flush",
		"inner End false", `outer Write "trailer"`, "outer End false",
	}
	for _, join := range []bool{true, false} {
		t.Run(fmt.Sprint("joined=", join), func(t *testing.T) {
			var trace []string
			m := WriteString | ReadFrom | Flush
			inner := tracing("inner", &trace, m, false)(handler)
			if !join {
				inner = unjoined(inner)
			}
			h := tracing("outer", &trace, m, false)(inner)
			_, isChain := h.(*Handler)
			require.True(t, isChain)
			assert.Equal(t, join, len(h.(*Handler).layers) == 2)
			rec := httptest.NewRecorder()
			h.ServeHTTP(fullRecorder{rec}, httptest.NewRequest("GET", "/", nil))
			assert.Equal(t, want, trace)
			assert.Equal(t, "abtrailer", rec.Body.String())
			assert.True(t, rec.Flushed)
		})
	}
}

// TestChainAnswers checks that a layer that answers the request itself
// stops the layers inside it and the handler, and that the layers outside
// it see its answer and end.
func TestChainAnswers(t *testing.T) {
	var trace []string
	h := tracing("inner", &trace, 0, false)(http.NotFoundHandler())
	h = tracing("middle", &trace, 0, true)(h)
	h = tracing("outer", &trace, 0, false)(h)
	rec := httptest.NewRecorder()
	h.ServeHTTP(rec, httptest.NewRequest("GET", "/", nil))
	assert.Equal(t, http.StatusNoContent, rec.Code)
	assert.Equal(t, []string{"outer Begin", "middle Begin", "outer WriteHeader 204", "outer End false"}, trace)
}

// panicky panics in End.
type panicky struct{ tracer }

func (p *panicky) End(panicked bool) { p.log("End %v", panicked); panic("in End") }

// TestChainPanics checks that a panic of the handler or of a layer's End
// reaches the layers outside as a panicked response, and goes on.
func TestChainPanics(t *testing.T) {
	var trace []string
	h := Middleware("inner", 0, func(p *panicky, out *Level, r *http.Request) (*http.Request, bool) {
		p.tracer = tracer{name: "inner", trace: &trace, out: out}
		return r, true
	})(http.HandlerFunc(func(http.ResponseWriter, *http.Request) {}))
	h = tracing("outer", &trace, 0, false)(h)
	assert.PanicsWithValue(t, "in End", func() {
		h.ServeHTTP(httptest.NewRecorder(), httptest.NewRequest("GET", "/", nil))
	})
	assert.Equal(t, []string{"outer Begin", "inner End false", "outer End true"}, trace)

	trace = nil
	h = tracing("inner", &trace, 0, false)(http.HandlerFunc(func(http.ResponseWriter, *http.Request) { panic("in handler") }))
	h = tracing("outer", &trace, 0, false)(h)
	assert.PanicsWithValue(t, "in handler", func() {
		h.ServeHTTP(httptest.NewRecorder(), httptest.NewRequest("GET", "/", nil))
	})
	assert.Equal(t, []string{"outer Begin", "inner Begin", "inner End true", "outer End true"}, trace)
}

// flushErrorWriter is a recorder whose FlushError fails.
type flushErrorWriter struct{ *httptest.ResponseRecorder }

var errFlush = errors.New("flush failed")

func (w flushErrorWriter) FlushError() error { return errFlush }

// TestChainFlushError checks that FlushError, routed through the Flush
// hook, keeps the writer's error, and that the observers see it as a
// Flush.
func TestChainFlushError(t *testing.T) {
	var trace []string
	var got error
	h := tracing("only", &trace, Flush, false)(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		got = http.NewResponseController(w).Flush()
	}))
	h.ServeHTTP(flushErrorWriter{httptest.NewRecorder()}, httptest.NewRequest("GET", "/", nil))
	assert.ErrorIs(t, got, errFlush)
	assert.Equal(t, []string{"only Begin", "only Flush", "only End false"}, trace)
}

// TestChainMethods checks that only the methods some layer watches are
// hooked, and that the writer keeps the optional interfaces it has.
func TestChainMethods(t *testing.T) {
	var trace []string
	var w http.ResponseWriter
	capture := http.HandlerFunc(func(ww http.ResponseWriter, r *http.Request) {
		w = ww
		_, _ = io.WriteString(ww, "x")
		ww.(http.Flusher).Flush()
	})
	h := tracing("outer", &trace, Flush, false)(tracing("inner", &trace, 0, false)(capture))
	h.ServeHTTP(httptest.NewRecorder(), httptest.NewRequest("GET", "/", nil))
	_, hijacker := w.(http.Hijacker)
	_, flusher := w.(http.Flusher)
	_, stringWriter := w.(io.StringWriter)
	assert.False(t, hijacker)
	assert.True(t, flusher)
	assert.True(t, stringWriter)
	// WriteString is not watched: httpsnoop sends it through Write.
	assert.Equal(t, []string{"outer Begin", "inner Begin", `inner Write "x"`, `outer Write "x"`, "inner Flush", "outer Flush",
		"inner End false", `outer Write "trailer"`, "outer End false"}, trace)
}

// TestBegin checks that a Begin layer runs before the layers inside it and
// keeps the layers around it one chain.
func TestBegin(t *testing.T) {
	var trace []string
	h := tracing("inner", &trace, 0, false)(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		_, _ = io.WriteString(w, w.Header().Get("X-Begun"))
	}))
	h = Begin("test", func(w http.ResponseWriter, r *http.Request) { w.Header().Set("X-Begun", "yes") })(h)
	h = tracing("outer", &trace, 0, false)(h)
	assert.Len(t, h.(*Handler).layers, 3)
	rec := httptest.NewRecorder()
	h.ServeHTTP(rec, httptest.NewRequest("GET", "/", nil))
	assert.Equal(t, "yestrailer", rec.Body.String())
	assert.Equal(t, []string{"outer Begin", "inner Begin", `inner Write "yes"`, `outer Write "yes"`, "inner End false", `outer Write "trailer"`, "outer End false"}, trace)
	assert.PanicsWithValue(t, "test: nil handler", func() { Begin("test", func(http.ResponseWriter, *http.Request) {})(nil) })
}
