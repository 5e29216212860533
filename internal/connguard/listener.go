package connguard

import (
	"errors"
	"net"
	"sync"
	"sync/atomic"
	"time"

	"github.com/simplehttp/simplehttp/internal/httperr"
)

// Config is what a [Listener] enforces.
type Config struct {
	// MaxConns is the number of connections open at once; it must be at
	// least 1.
	MaxConns int
	// SendTimeout is how long a client may accept none of what the
	// server sends before its connection is closed; 0 turns the send
	// checks off (MinSendRate included).
	SendTimeout time.Duration
	// MinSendRate, in bytes per second, is the pace below which a client
	// that reads at a trickle is closed too; 0 turns it off. It is
	// measured only while the server waits to send: a client reading at
	// r < MinSendRate is closed after SendTimeout / (1 - r/MinSendRate).
	MinSendRate int64
	// LogInterval is how often, at most, each condition (the connection
	// limit reached, accepting failing, clients closed for not reading)
	// is logged; default one minute.
	LogInterval time.Duration
	// Logf logs those conditions; nil logs nothing.
	Logf func(format string, args ...any)
}

// A Listener caps the connections open at once and guards each one as
// [Config] says. It is safe for concurrent use.
type Listener struct {
	net.Listener
	cfg   Config
	slots chan struct{} // one token per open connection
	done  chan struct{} // closed by Close
	once  sync.Once
	open  atomic.Int64

	mu    sync.Mutex
	notes map[string]*note
}

// note is the rate limit of one logged condition.
type note struct {
	last   time.Time // when it was last logged
	missed int       // occurrences since, not logged
}

// NewListener wraps l. It panics if cfg.MaxConns is below 1 or a
// duration or rate is negative.
func NewListener(l net.Listener, cfg Config) *Listener {
	switch {
	case l == nil:
		panic("connguard: nil listener")
	case cfg.MaxConns < 1:
		panic("connguard: MaxConns must be at least 1")
	case cfg.SendTimeout < 0 || cfg.MinSendRate < 0 || cfg.LogInterval < 0:
		panic("connguard: negative SendTimeout, MinSendRate or LogInterval")
	}
	if cfg.LogInterval == 0 {
		cfg.LogInterval = time.Minute
	}
	return &Listener{
		Listener: l,
		cfg:      cfg,
		slots:    make(chan struct{}, cfg.MaxConns),
		done:     make(chan struct{}),
		notes:    make(map[string]*note),
	}
}

// Open reports the number of connections accepted and not yet closed.
func (l *Listener) Open() int { return int(l.open.Load()) }

// Accept waits until fewer than MaxConns connections are open, then
// accepts the next one. A shortage of resources (EMFILE, ENFILE, ENOBUFS,
// ENOMEM) is waited out, with a growing pause up to one second between
// tries; any other error is returned. After Close it returns an error
// wrapping net.ErrClosed.
func (l *Listener) Accept() (net.Conn, error) {
	select {
	case l.slots <- struct{}{}:
	default:
		l.logf("full", "%d connections open, the limit (--max-connections); new ones wait until one closes", l.cfg.MaxConns)
		select {
		case l.slots <- struct{}{}:
		case <-l.done:
			return nil, &net.OpError{Op: "accept", Net: l.Addr().Network(), Addr: l.Addr(), Err: net.ErrClosed}
		}
	}
	pause := 5 * time.Millisecond
	for {
		c, err := l.Listener.Accept()
		if err == nil {
			l.open.Add(1)
			return newConn(c, l), nil
		}
		if !httperr.Transient(err) || errors.Is(err, net.ErrClosed) {
			<-l.slots
			return nil, err
		}
		l.logf("accept", "cannot accept connections: %v; waiting for descriptors to be freed", err)
		t := time.NewTimer(pause)
		select {
		case <-t.C:
		case <-l.done:
			t.Stop()
			<-l.slots
			return nil, &net.OpError{Op: "accept", Net: l.Addr().Network(), Addr: l.Addr(), Err: net.ErrClosed}
		}
		pause = min(2*pause, time.Second)
	}
}

// Close closes the listener; an Accept waiting for a free slot returns.
// Connections already accepted stay open.
func (l *Listener) Close() error {
	l.once.Do(func() { close(l.done) })
	return l.Listener.Close()
}

// release frees the slot of a connection that closed.
func (l *Listener) release() {
	l.open.Add(-1)
	<-l.slots
}

// logf logs a condition named key unless it was logged less than
// LogInterval ago; the next line says how often it happened meanwhile.
func (l *Listener) logf(key, format string, args ...any) {
	if l.cfg.Logf == nil {
		return
	}
	l.mu.Lock()
	n := l.notes[key]
	if n == nil {
		n = &note{}
		l.notes[key] = n
	}
	now := time.Now()
	if !n.last.IsZero() && now.Sub(n.last) < l.cfg.LogInterval {
		n.missed++
		l.mu.Unlock()
		return
	}
	missed := n.missed
	n.last, n.missed = now, 0
	l.mu.Unlock()
	if missed > 0 {
		format += " (%d more times since the last such message)"
		args = append(args, missed)
	}
	l.cfg.Logf(format, args...)
}
