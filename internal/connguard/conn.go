package connguard

import (
	"errors"
	"fmt"
	"io"
	"io/fs"
	"net"
	"os"
	"sync"
	"sync/atomic"
	"syscall"
	"time"
)

// ErrSendTimeout is returned by a write to a connection closed because
// its client stopped reading, or read too slowly.
var ErrSendTimeout = errors.New("connguard: the client stopped reading")

// conn is an accepted connection. Each write (and each sendfile) gets a
// deadline a fraction of SendTimeout away; when it passes, the client's
// credit is charged the time waited and refunded for the bytes it took,
// and the write goes on unless the credit is spent.
type conn struct {
	net.Conn
	l *Listener

	closeOnce sync.Once
	closeErr  error

	// user is the write deadline set through SetWriteDeadline or
	// SetDeadline, in Unix nanoseconds (0: none); it is kept on top of
	// the send checks.
	user atomic.Int64

	wmu    sync.Mutex    // held by Write and ReadFrom
	credit time.Duration // how much longer the client may fall behind
}

func newConn(c net.Conn, l *Listener) *conn {
	return &conn{Conn: c, l: l, credit: l.cfg.SendTimeout}
}

// Close closes the connection and frees its slot; later calls return
// the first call's result.
func (c *conn) Close() error {
	c.closeOnce.Do(func() {
		c.closeErr = c.Conn.Close()
		c.l.release()
	})
	return c.closeErr
}

// CloseWrite shuts down the sending side, as *net.TCPConn's does;
// net/http uses it to close a connection gracefully.
func (c *conn) CloseWrite() error {
	if cw, ok := c.Conn.(interface{ CloseWrite() error }); ok {
		return cw.CloseWrite()
	}
	return c.Close()
}

// SetDeadline sets the read and write deadlines.
func (c *conn) SetDeadline(t time.Time) error {
	if err := c.Conn.SetReadDeadline(t); err != nil {
		return err
	}
	return c.SetWriteDeadline(t)
}

// SetWriteDeadline sets a deadline for writes on top of the send checks.
// It takes effect at once, on a write already waiting too.
func (c *conn) SetWriteDeadline(t time.Time) error {
	if c.l.cfg.SendTimeout == 0 {
		return c.Conn.SetWriteDeadline(t)
	}
	var ns int64
	if !t.IsZero() {
		ns = t.UnixNano()
	}
	c.user.Store(ns)
	if ns != 0 && time.Until(t) < c.step() {
		return c.Conn.SetWriteDeadline(t)
	}
	return nil
}

func (c *conn) Write(p []byte) (int, error) {
	if c.l.cfg.SendTimeout == 0 {
		return c.Conn.Write(p)
	}
	c.wmu.Lock()
	defer c.wmu.Unlock()
	n, err := c.send(func(done int64) (int64, error) {
		n, err := c.Conn.Write(p[done:])
		return int64(n), err
	})
	return int(n), err
}

// ReadFrom copies src to the connection. A regular file (one with a
// syscall.Conn, alone or in an *io.LimitedReader, as net/http hands it
// over) goes out through the inner connection's ReadFrom, that is
// sendfile(2), resumed after each deadline from where the kernel left the
// descriptor's offset; anything else is copied through Write.
func (c *conn) ReadFrom(src io.Reader) (int64, error) {
	rf, ok := c.Conn.(io.ReaderFrom)
	if !ok {
		return io.Copy(writerOnly{c}, src)
	}
	lr, limited := src.(*io.LimitedReader)
	inner := src
	if limited {
		inner = lr.R
	}
	f, ok := inner.(interface {
		syscall.Conn
		Stat() (fs.FileInfo, error)
	})
	if !ok {
		return io.Copy(writerOnly{c}, src)
	}
	if fi, err := f.Stat(); err != nil || !fi.Mode().IsRegular() {
		// A generic copy cut by a deadline would drop what it had read
		// but not written: only sendfile can be resumed.
		return io.Copy(writerOnly{c}, src)
	}
	if c.l.cfg.SendTimeout == 0 {
		return rf.ReadFrom(src)
	}
	// The descriptor is asked for once: a file type may put its offset
	// in place each time it hands it out, which would send the same
	// bytes again on a resumed step.
	rc, err := f.SyscallConn()
	if err != nil {
		return io.Copy(writerOnly{c}, src)
	}
	c.wmu.Lock()
	defer c.wmu.Unlock()
	return c.send(func(int64) (int64, error) {
		if !limited {
			return rf.ReadFrom(rawFile{rc})
		}
		step := &io.LimitedReader{R: rawFile{rc}, N: lr.N}
		n, err := rf.ReadFrom(step)
		lr.N -= n
		return n, err
	})
}

// writerOnly hides conn's ReadFrom from io.Copy.
type writerOnly struct{ io.Writer }

// rawFile is a file seen only through its descriptor, read from the
// descriptor's offset, which sendfile(2) advances.
type rawFile struct{ rc syscall.RawConn }

func (f rawFile) SyscallConn() (syscall.RawConn, error) { return f.rc, nil }

// Read is what net falls back to should sendfile not take the file.
func (f rawFile) Read(p []byte) (n int, err error) {
	if cerr := f.rc.Read(func(fd uintptr) bool {
		for {
			n, err = syscall.Read(int(fd), p)
			if err != syscall.EINTR {
				return true
			}
		}
	}); cerr != nil {
		return 0, cerr
	}
	if n < 0 {
		n = 0
	}
	if n == 0 && err == nil && len(p) > 0 {
		return 0, io.EOF
	}
	return n, err
}

// step is how long one attempt to send waits before the client's credit
// is settled: a quarter of the send timeout, so that a stalled client is
// closed at most that long after its time is up.
func (c *conn) step() time.Duration { return max(c.l.cfg.SendTimeout/4, time.Millisecond) }

// send runs op until it succeeds, fails for another reason than a
// deadline, hits the caller's own deadline, or the client's credit is
// spent; op gets the bytes sent so far and returns those it sent.
func (c *conn) send(op func(done int64) (int64, error)) (int64, error) {
	var done int64
	for {
		start := time.Now()
		deadline := start.Add(max(min(c.credit, c.step()), time.Millisecond))
		user := false
		if ns := c.user.Load(); ns != 0 && ns <= deadline.UnixNano() {
			deadline, user = time.Unix(0, ns), true
		}
		if err := c.Conn.SetWriteDeadline(deadline); err != nil {
			return done, err
		}
		n, err := op(done)
		done += n
		c.charge(time.Since(start), n)
		if err == nil || !errors.Is(err, os.ErrDeadlineExceeded) || user {
			return done, err
		}
		if ns := c.user.Load(); ns != 0 && ns <= time.Now().UnixNano() {
			return done, err
		}
		if c.credit <= 0 {
			c.l.logf("send", "closed the connection of %v: it took %s", c.RemoteAddr(), c.fault())
			c.Close()
			return done, fmt.Errorf("%w (%s)", ErrSendTimeout, c.fault())
		}
	}
}

// charge settles the client's credit after it took n bytes in elapsed.
// Without a minimum rate any byte restores the whole send timeout; with
// one, each byte earns 1/MinSendRate seconds, up to the send timeout.
func (c *conn) charge(elapsed time.Duration, n int64) {
	cfg := c.l.cfg
	switch {
	case cfg.MinSendRate > 0:
		earned := time.Duration(float64(n) / float64(cfg.MinSendRate) * float64(time.Second))
		c.credit = min(c.credit+earned-elapsed, cfg.SendTimeout)
	case n > 0:
		c.credit = cfg.SendTimeout
	default:
		c.credit -= elapsed
	}
}

// fault says why a client was closed, for the log.
func (c *conn) fault() string {
	if c.l.cfg.MinSendRate > 0 {
		return fmt.Sprintf("nothing for %v or less than %d bytes/s", c.l.cfg.SendTimeout, c.l.cfg.MinSendRate)
	}
	return fmt.Sprintf("nothing for %v", c.l.cfg.SendTimeout)
}
