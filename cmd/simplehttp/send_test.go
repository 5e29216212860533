package main

import (
	"bufio"
	"bytes"
	"crypto/sha256"
	"crypto/tls"
	"crypto/x509"
	"io"
	"math/rand/v2"
	"net"
	"net/http"
	"os"
	"runtime"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/simplehttp/simplehttp/internal/sendfiletest"
)

// sendSize is the file the send tests download: far more than loopback's
// socket buffers hold (a few MiB each side), so that a client that does
// not read blocks the server.
const sendSize = 24 << 20

// randomFile is n bytes that repeat nowhere, so that a byte lost or sent
// twice when a sendfile is resumed shows in the checksum.
func randomFile(n int) []byte {
	b := make([]byte, n)
	r := rand.New(rand.NewPCG(1, 2))
	for i := 0; i < n; i += 8 {
		v := r.Uint64()
		for j := 0; j < 8 && i+j < n; j++ {
			b[i+j] = byte(v >> (8 * j))
		}
	}
	return b
}

// download asks for path on a raw connection (TLS if pool is not nil)
// and returns the connection and a reader positioned at the body, after
// checking the status.
func download(t *testing.T, s *server, path string, pool ...*x509.CertPool) (net.Conn, *bufio.Reader) {
	t.Helper()
	conn, err := net.Dial("tcp", s.addr.String())
	require.NoError(t, err)
	if len(pool) > 0 {
		conn = tls.Client(conn, &tls.Config{RootCAs: pool[0], ServerName: "127.0.0.1"})
	}
	t.Cleanup(func() { conn.Close() })
	require.NoError(t, conn.SetDeadline(time.Now().Add(60*time.Second)))
	_, err = io.WriteString(conn, "GET "+path+" HTTP/1.0\r\n\r\n")
	require.NoError(t, err)
	br := bufio.NewReaderSize(conn, 64<<10)
	resp, err := http.ReadResponse(br, nil)
	require.NoError(t, err)
	require.Equal(t, http.StatusOK, resp.StatusCode)
	return conn, br
}

// TestSlowReadersAreClosed pins --send-timeout and --min-send-rate: a
// client that stops reading a download, or reads it at a trickle, is
// closed and everything it held on the server (goroutine, connection,
// file) is freed while the client still holds its end; before them such a
// client kept all of it for as long as it liked.
func TestSlowReadersAreClosed(t *testing.T) {
	dir := fixture(t, map[string]string{"big.bin": string(randomFile(sendSize))})
	certFile, keyFile, pool := writeCertificate(t)
	for _, tt := range []struct {
		name string
		args []string
		read func(r io.Reader, stop <-chan struct{}) // the client's pace
	}{
		{"stops reading", []string{"--send-timeout", "0.3", "--min-send-rate", "0"}, func(io.Reader, <-chan struct{}) {}},
		{"stops reading, TLS", []string{"--send-timeout", "0.3", "--tls-cert", certFile, "--tls-key", keyFile}, func(io.Reader, <-chan struct{}) {}},
		{"stops reading, rate on", []string{"--send-timeout", "0.3"}, func(io.Reader, <-chan struct{}) {}},
		{"trickle below the rate", []string{"--send-timeout", "0.3", "--min-send-rate", "1048576"}, func(r io.Reader, stop <-chan struct{}) {
			buf := make([]byte, 512)
			for {
				select {
				case <-stop:
					return
				case <-time.After(20 * time.Millisecond): // about 25 KiB/s
				}
				if _, err := io.ReadFull(r, buf); err != nil {
					return
				}
			}
		}},
	} {
		t.Run(tt.name, func(t *testing.T) {
			var cmd *command
			s := startServer(t, append(tt.args, "-b", "127.0.0.1", "-d", dir, "0"), func(c *command) { cmd = c })
			baseFDs, baseGoroutines := openFDs(t), runtime.NumGoroutine()

			var conn net.Conn
			var br *bufio.Reader
			if strings.HasSuffix(tt.name, "TLS") {
				conn, br = download(t, s, "/big.bin", pool)
			} else {
				conn, br = download(t, s, "/big.bin")
			}
			stop, stopped := make(chan struct{}), make(chan struct{})
			go func() {
				defer close(stopped)
				tt.read(br, stop)
			}()
			// The client's socket stays open: one descriptor more, and the
			// reading goroutine.
			waitSettled(t, baseFDs+1, baseGoroutines+1)
			assert.Zero(t, cmd.conns.Open(), "connections still open")
			assert.Zero(t, cmd.inflight.Load(), "requests still in flight")
			close(stop)
			<-stopped

			require.NoError(t, conn.SetReadDeadline(time.Now().Add(30*time.Second)))
			n, _ := io.Copy(io.Discard, br)
			assert.Less(t, n, int64(sendSize), "the client got the whole file")
			assert.Contains(t, s.stderr.String(), "closed the connection of 127.0.0.1:")
		})
	}
}

// TestSteadyReaderIsNotClosed pins the other side: a client that reads
// well above --min-send-rate, pausing for less than --send-timeout (but
// longer than the server's deadline steps, so every sendfile is cut and
// resumed), gets the whole file, byte for byte.
func TestSteadyReaderIsNotClosed(t *testing.T) {
	content := randomFile(sendSize)
	dir := fixture(t, map[string]string{"big.bin": string(content)})
	for _, tt := range []struct {
		name string
		args []string
	}{
		{"rate on", []string{"--send-timeout", "2", "--min-send-rate", "65536"}},
		{"rate off", []string{"--send-timeout", "2", "--min-send-rate", "0"}},
		{"checks off", []string{"--send-timeout", "0"}},
	} {
		t.Run(tt.name, func(t *testing.T) {
			s := startServer(t, append(tt.args, "-b", "127.0.0.1", "-d", dir, "0"), nil)
			_, br := download(t, s, "/big.bin")
			h := sha256.New()
			buf := make([]byte, 256<<10)
			var got int64
			for pause := 0; ; pause++ {
				n, err := io.ReadFull(br, buf)
				h.Write(buf[:n])
				got += int64(n)
				if err != nil {
					break
				}
				if pause%40 == 20 {
					// Longer than a deadline step (a quarter of the
					// timeout), well within the timeout.
					time.Sleep(700 * time.Millisecond)
				}
			}
			assert.Equal(t, int64(sendSize), got)
			sum := sha256.Sum256(content)
			assert.True(t, bytes.Equal(sum[:], h.Sum(nil)), "the body differs from the file")
			assert.NotContains(t, s.stderr.String(), "closed the connection of")
		})
	}
}

// sendfileArgsEnv holds the send options TestSendfileChild runs the
// command with.
const sendfileArgsEnv = "SIMPLEHTTP_SENDFILE_ARGS"

// TestSendfile proves that the command's connections (which bound how
// long a client may stall) still let net/http send files with
// sendfile(2): all of an 8 MiB file but the 512 bytes net/http writes
// itself goes out through sendfile, with the send checks on (the
// default), on with a minimum rate, and off.
func TestSendfile(t *testing.T) {
	const size = 8 << 20
	for _, args := range []string{"", "--min-send-rate=0", "--send-timeout=0"} {
		t.Run("args="+args, func(t *testing.T) {
			res := sendfiletest.Run(t, "TestSendfileChild", sendfileArgsEnv+"="+args)
			assert.Positive(t, res.Calls, "no sendfile call")
			assert.GreaterOrEqual(t, res.Bytes, int64(size-512), "the file did not go out through sendfile")
			assert.LessOrEqual(t, res.Bytes, int64(size))
		})
	}
}

// TestSendfileChild runs the command in-process and downloads an 8 MiB
// file from it. It runs only under TestSendfile.
func TestSendfileChild(t *testing.T) {
	sendfiletest.Child(t)
	content := randomFile(8 << 20)
	dir := fixture(t, map[string]string{"big.bin": string(content)})
	args := []string{"-b", "127.0.0.1", "-d", dir, "0"}
	if a := os.Getenv(sendfileArgsEnv); a != "" {
		args = append([]string{a}, args...)
	}
	s := startServer(t, args, nil)
	_, br := download(t, s, "/big.bin")
	got, err := io.ReadAll(br)
	require.NoError(t, err)
	assert.True(t, bytes.Equal(content, got), "the body differs from the file")
}

// TestStalledHTTP2Stream pins --send-timeout for HTTP/2: a client that
// stops reading one stream (its connection stays open and could carry
// others) has that stream reset once the timeout passes, and the handler
// (with its file) is freed; before, it waited for flow-control window
// forever.
func TestStalledHTTP2Stream(t *testing.T) {
	dir := fixture(t, map[string]string{"big.bin": string(randomFile(sendSize)), "a.txt": "hello\n"})
	certFile, keyFile, pool := writeCertificate(t)
	var cmd *command
	s := startServer(t, []string{"--send-timeout", "0.3", "--tls-cert", certFile, "--tls-key", keyFile,
		"-b", "127.0.0.1", "-d", dir, "0"}, func(c *command) { cmd = c })
	client := &http.Client{Transport: &http.Transport{
		TLSClientConfig:   &tls.Config{RootCAs: pool},
		ForceAttemptHTTP2: true,
	}}
	defer client.CloseIdleConnections()
	url := "https://127.0.0.1:" + strconv.Itoa(s.addr.Port)

	resp, err := client.Get(url + "/big.bin")
	require.NoError(t, err)
	defer resp.Body.Close()
	require.Equal(t, 2, resp.ProtoMajor)
	require.Equal(t, http.StatusOK, resp.StatusCode)
	require.Eventually(t, func() bool { return cmd.inflight.Load() == 0 }, 10*time.Second, 10*time.Millisecond,
		"the handler still waits for the stalled stream")

	n, err := io.Copy(io.Discard, resp.Body)
	assert.Error(t, err, "the stream was not reset")
	assert.Less(t, n, int64(sendSize))

	// The connection is still good for other streams.
	resp, err = client.Get(url + "/a.txt")
	require.NoError(t, err)
	b, err := io.ReadAll(resp.Body)
	resp.Body.Close()
	require.NoError(t, err)
	assert.Equal(t, "hello\n", string(b))
}
