// Package httperrtest holds the table of error bodies that the message rule
// of [github.com/simplehttp/simplehttp/internal/httperr.Body] is tested
// with, in every package that applies it.
package httperrtest

import (
	"encoding/json"
	"io"
	"net/http"
	"os"
	"path/filepath"
	"runtime"
	"strings"
	"testing"
)

// A Case is an error body and the message it makes, if any.
type Case struct {
	Name        string
	ContentType string // "" sets none
	Steps       []Step // how the handler sends the body
	IsMessage   bool
	Message     string
}

// A Step is one call the handler makes on its writer.
type Step struct {
	Op     string // "write", "writeString", "readFrom" or "flush"
	Prefix string
	Data   string
	Repeat int // Data is repeated this many times when above 1
}

func (s Step) text() string {
	if s.Repeat > 1 {
		return s.Prefix + strings.Repeat(s.Data, s.Repeat)
	}
	return s.Prefix + s.Data
}

// Cases reads the table from testdata/messages.json.
func Cases(t testing.TB) []Case {
	t.Helper()
	_, file, _, _ := runtime.Caller(0)
	data, err := os.ReadFile(filepath.Join(filepath.Dir(file), "..", "testdata", "messages.json"))
	if err != nil {
		t.Fatal(err)
	}
	var raw []struct {
		Case
		MessageRepeat int
	}
	if err := json.Unmarshal(data, &raw); err != nil {
		t.Fatal(err)
	}
	cases := make([]Case, len(raw))
	for i, c := range raw {
		if c.MessageRepeat > 1 {
			c.Message = strings.Repeat(c.Message, c.MessageRepeat)
		}
		cases[i] = c.Case
	}
	return cases
}

// Body is the whole body the steps send.
func (c Case) Body() string {
	var b strings.Builder
	for _, s := range c.Steps {
		b.WriteString(s.text())
	}
	return b.String()
}

// Serve answers 404 with the case's Content-Type and sends its body step by
// step. A ReadFrom step needs a writer with ReadFrom, a flush one a Flusher.
func (c Case) Serve(w http.ResponseWriter) {
	if c.ContentType != "" {
		w.Header().Set("Content-Type", c.ContentType)
	}
	w.WriteHeader(http.StatusNotFound)
	for _, s := range c.Steps {
		switch s.Op {
		case "write":
			_, _ = w.Write([]byte(s.text()))
		case "writeString":
			_, _ = io.WriteString(w, s.text())
		case "readFrom":
			// Through a plain io.Reader, which has no WriterTo to bypass
			// the writer's ReadFrom.
			_, _ = w.(io.ReaderFrom).ReadFrom(struct{ io.Reader }{strings.NewReader(s.text())})
		case "flush":
			w.(http.Flusher).Flush()
		default:
			panic("httperrtest: unknown step " + s.Op)
		}
	}
}

// HasFlush reports whether the handler flushes the body.
func (c Case) HasFlush() bool {
	for _, s := range c.Steps {
		if s.Op == "flush" {
			return true
		}
	}
	return false
}
