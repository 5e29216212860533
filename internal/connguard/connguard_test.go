package connguard

import (
	"io"
	"net"
	"os"
	"path/filepath"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

func listen(t *testing.T, cfg Config) *Listener {
	t.Helper()
	l, err := net.Listen("tcp", "127.0.0.1:0")
	require.NoError(t, err)
	g := NewListener(l, cfg)
	t.Cleanup(func() { g.Close() })
	return g
}

func TestNewListenerPanics(t *testing.T) {
	l, err := net.Listen("tcp", "127.0.0.1:0")
	require.NoError(t, err)
	defer l.Close()
	for _, tt := range []struct {
		name string
		l    net.Listener
		cfg  Config
		want string
	}{
		{"nil listener", nil, Config{MaxConns: 1}, "connguard: nil listener"},
		{"no connections", l, Config{}, "connguard: MaxConns must be at least 1"},
		{"negative timeout", l, Config{MaxConns: 1, SendTimeout: -1}, "connguard: negative SendTimeout, MinSendRate or LogInterval"},
		{"negative rate", l, Config{MaxConns: 1, MinSendRate: -1}, "connguard: negative SendTimeout, MinSendRate or LogInterval"},
	} {
		t.Run(tt.name, func(t *testing.T) {
			assert.PanicsWithValue(t, tt.want, func() { NewListener(tt.l, tt.cfg) })
		})
	}
}

// TestListenerCapsConnections pins that Accept hands out at most MaxConns
// connections at once, takes the next one when one closes (Close twice
// frees one slot), logs the limit once per interval, and returns once
// the listener is closed.
func TestListenerCapsConnections(t *testing.T) {
	var mu sync.Mutex
	var lines []string
	g := listen(t, Config{MaxConns: 2, LogInterval: time.Hour, Logf: func(f string, a ...any) {
		mu.Lock()
		defer mu.Unlock()
		lines = append(lines, f)
	}})
	accepted := make(chan net.Conn)
	acceptErr := make(chan error, 1)
	go func() {
		for {
			c, err := g.Accept()
			if err != nil {
				acceptErr <- err
				return
			}
			accepted <- c
		}
	}()
	for range 4 {
		c, err := net.Dial("tcp", g.Addr().String())
		require.NoError(t, err)
		defer c.Close()
	}
	first, second := <-accepted, <-accepted
	assert.Equal(t, 2, g.Open())
	select {
	case <-accepted:
		t.Fatal("a third connection was accepted while two were open")
	case <-time.After(50 * time.Millisecond):
	}
	require.NoError(t, first.Close())
	require.NoError(t, first.Close())
	third := <-accepted
	assert.Equal(t, 2, g.Open(), "closing twice freed two slots")
	require.NoError(t, second.Close())
	require.NoError(t, third.Close())
	fourth := <-accepted
	defer fourth.Close()

	require.NoError(t, g.Close())
	for {
		select {
		case c := <-accepted:
			c.Close()
			continue
		case err := <-acceptErr:
			assert.ErrorIs(t, err, net.ErrClosed)
		}
		break
	}
	mu.Lock()
	defer mu.Unlock()
	assert.Len(t, lines, 1, "%q", lines)
}

// TestStalledReaderCut pins the send checks on a raw pair of connections:
// a peer that reads nothing makes ReadFrom (a sendfile) and Write fail
// with ErrSendTimeout after about SendTimeout, and closes the connection.
func TestStalledReaderCut(t *testing.T) {
	big := filepath.Join(t.TempDir(), "big")
	require.NoError(t, os.WriteFile(big, make([]byte, 32<<20), 0o644))
	for _, tt := range []struct {
		name string
		send func(c net.Conn) error
	}{
		{"ReadFrom", func(c net.Conn) error {
			f, err := os.Open(big)
			require.NoError(t, err)
			defer f.Close()
			_, err = c.(io.ReaderFrom).ReadFrom(f)
			return err
		}},
		{"Write", func(c net.Conn) error {
			_, err := c.Write(make([]byte, 32<<20))
			return err
		}},
	} {
		t.Run(tt.name, func(t *testing.T) {
			var logged strings.Builder
			var mu sync.Mutex
			g := listen(t, Config{MaxConns: 1, SendTimeout: 200 * time.Millisecond, Logf: func(f string, a ...any) {
				mu.Lock()
				defer mu.Unlock()
				logged.WriteString(f)
			}})
			client, err := net.Dial("tcp", g.Addr().String())
			require.NoError(t, err)
			defer client.Close()
			c, err := g.Accept()
			require.NoError(t, err)
			assert.ErrorIs(t, tt.send(c), ErrSendTimeout)
			assert.Zero(t, g.Open(), "the connection was not closed")
			mu.Lock()
			assert.Contains(t, logged.String(), "closed the connection of")
			mu.Unlock()
		})
	}
}

// TestUserWriteDeadline pins that a deadline set by the server (net/http
// does for HTTP/2) still applies on top of the send checks.
func TestUserWriteDeadline(t *testing.T) {
	g := listen(t, Config{MaxConns: 1, SendTimeout: time.Hour})
	client, err := net.Dial("tcp", g.Addr().String())
	require.NoError(t, err)
	defer client.Close()
	c, err := g.Accept()
	require.NoError(t, err)
	defer c.Close()
	require.NoError(t, c.SetWriteDeadline(time.Now().Add(100*time.Millisecond)))
	_, err = c.Write(make([]byte, 64<<20))
	assert.ErrorIs(t, err, os.ErrDeadlineExceeded)
	assert.NotErrorIs(t, err, ErrSendTimeout)
}

// BenchmarkWrite measures what the send checks cost a small write (a
// deadline set per write) against the bare connection.
func BenchmarkWrite(b *testing.B) {
	for _, tt := range []struct {
		name    string
		timeout time.Duration
	}{{"bare", 0}, {"checked", time.Minute}} {
		b.Run(tt.name, func(b *testing.B) {
			l, err := net.Listen("tcp", "127.0.0.1:0")
			require.NoError(b, err)
			g := NewListener(l, Config{MaxConns: 1, SendTimeout: tt.timeout, MinSendRate: 1024})
			defer g.Close()
			client, err := net.Dial("tcp", g.Addr().String())
			require.NoError(b, err)
			defer client.Close()
			go func() { _, _ = io.Copy(io.Discard, client) }()
			c, err := g.Accept()
			require.NoError(b, err)
			defer c.Close()
			buf := make([]byte, 4096)
			b.SetBytes(int64(len(buf)))
			b.ReportAllocs()
			for b.Loop() {
				if _, err := c.Write(buf); err != nil {
					b.Fatal(err)
				}
			}
		})
	}
}
