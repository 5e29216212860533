package logging

import (
	"bytes"
	"io"
	"log"
	"regexp"
	"sync"
)

func regexpQuote(s string) string { return regexp.QuoteMeta(s) }

func newLog(w io.Writer) *log.Logger { return log.New(w, "", 0) }

// lockedBuffer is a bytes.Buffer safe for concurrent use.
type lockedBuffer struct {
	mu  sync.Mutex
	buf bytes.Buffer
}

func (b *lockedBuffer) Write(p []byte) (int, error) {
	b.mu.Lock()
	defer b.mu.Unlock()
	return b.buf.Write(p)
}

func (b *lockedBuffer) String() string {
	b.mu.Lock()
	defer b.mu.Unlock()
	return b.buf.String()
}
