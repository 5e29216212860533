package main

import (
	"bufio"
	"bytes"
	"context"
	"crypto/ecdsa"
	"crypto/elliptic"
	"crypto/rand"
	"crypto/tls"
	"crypto/x509"
	"crypto/x509/pkix"
	"encoding/pem"
	"errors"
	"fmt"
	"io"
	"math/big"
	"net"
	"net/http"
	"net/http/httptrace"
	"os"
	"path/filepath"
	"regexp"
	"strconv"
	"strings"
	"syscall"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

func hasIPv6Loopback() bool {
	l, err := net.Listen("tcp6", "[::1]:0")
	if err != nil {
		return false
	}
	l.Close()
	return true
}

// TestBanner pins Python's banner line, "Serving HTTP on HOST port PORT
// (http://HOST:PORT/) ...", with IPv6 hosts in brackets in the URL and the
// default shown as 0.0.0.0 as Python shows it on Linux, and checks which
// addresses each -b listens on: the default and "::" are dual-stack,
// an IPv4 address is IPv4 only.
func TestBanner(t *testing.T) {
	dir := fixture(t, map[string]string{"a.txt": "a"})
	ipv6 := hasIPv6Loopback()
	tests := []struct {
		name        string
		args        []string
		needsIPv6   bool
		host        string // in the banner
		urlHost     string
		reachable   []string
		unreachable []string
	}{
		{name: "default", args: []string{"0"}, host: "0.0.0.0", urlHost: "0.0.0.0", reachable: []string{"127.0.0.1", "::1"}},
		{name: "ipv4 wildcard", args: []string{"-b", "0.0.0.0", "0"}, host: "0.0.0.0", urlHost: "0.0.0.0", reachable: []string{"127.0.0.1"}, unreachable: []string{"::1"}},
		{name: "ipv4", args: []string{"-b", "127.0.0.1", "0"}, host: "127.0.0.1", urlHost: "127.0.0.1", reachable: []string{"127.0.0.1"}},
		{name: "host name", args: []string{"--bind=localhost", "0"}, host: "127.0.0.1", urlHost: "127.0.0.1", reachable: []string{"127.0.0.1"}},
		{name: "ipv6 wildcard", args: []string{"-b", "::", "0"}, needsIPv6: true, host: "::", urlHost: "[::]", reachable: []string{"127.0.0.1", "::1"}},
		{name: "ipv6", args: []string{"0", "-b", "::1"}, needsIPv6: true, host: "::1", urlHost: "[::1]", reachable: []string{"::1"}, unreachable: []string{"127.0.0.1"}},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			if tc.needsIPv6 && !ipv6 {
				t.Skip("no IPv6 loopback")
			}
			s := startServer(t, append(tc.args, "-d", dir), nil)
			port := s.addr.Port
			assert.Equal(t, fmt.Sprintf("Serving HTTP on %s port %d (http://%s:%d/) ...\n", tc.host, port, tc.urlHost, port), s.stdout.String())
			for _, host := range tc.reachable {
				if strings.Contains(host, ":") && !ipv6 {
					continue
				}
				resp, err := http.Get("http://" + net.JoinHostPort(host, strconv.Itoa(port)) + "/a.txt")
				if assert.NoError(t, err, "via %s", host) {
					resp.Body.Close()
					assert.Equal(t, http.StatusOK, resp.StatusCode)
				}
			}
			for _, host := range tc.unreachable {
				if strings.Contains(host, ":") && !ipv6 {
					continue
				}
				c, err := net.Dial("tcp", net.JoinHostPort(host, strconv.Itoa(port)))
				if err == nil {
					c.Close()
				}
				assert.Error(t, err, "via %s", host)
			}
		})
	}
}

// TestKeepAlive pins -p: with HTTP/1.0 (Python's default) every response
// closes its connection; with HTTP/1.1 connections are kept alive unless
// the client says "Connection: close".
func TestKeepAlive(t *testing.T) {
	dir := fixture(t, map[string]string{"a.txt": "a"})
	tests := []struct {
		name       string
		args       []string
		clientSays bool // the client sends Connection: close
		wantReused int  // of 3 requests
	}{
		{name: "HTTP/1.0 by default", args: nil, wantReused: 0},
		{name: "HTTP/1.0", args: []string{"-p", "HTTP/1.0"}, wantReused: 0},
		{name: "HTTP/1.1", args: []string{"-p", "HTTP/1.1"}, wantReused: 2},
		{name: "HTTP/1.1 and the client closes", args: []string{"-p", "HTTP/1.1"}, clientSays: true, wantReused: 0},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			s := startServer(t, append(tc.args, "-b", "127.0.0.1", "-d", dir, "0"), nil)
			client := &http.Client{Transport: &http.Transport{}}
			defer client.CloseIdleConnections()
			reused := 0
			for range 3 {
				trace := &httptrace.ClientTrace{GotConn: func(info httptrace.GotConnInfo) {
					if info.Reused {
						reused++
					}
				}}
				req, err := http.NewRequestWithContext(httptrace.WithClientTrace(context.Background(), trace), "GET", s.url()+"/a.txt", nil)
				require.NoError(t, err)
				req.Close = tc.clientSays
				resp, err := client.Do(req)
				require.NoError(t, err)
				body, err := io.ReadAll(resp.Body)
				resp.Body.Close()
				require.NoError(t, err)
				assert.Equal(t, "a", string(body))
				assert.Equal(t, tc.wantReused == 0, resp.Close, "the response closes the connection")
			}
			assert.Equal(t, tc.wantReused, reused)
		})
	}
}

// TestHTTP10Connection pins the Connection header under -p HTTP/1.0 on the
// wire, as Python 3.12 sends it: none on a 200 to an HTTP/1.0 request,
// "close" on an error page (send_error), and every connection closed, even
// when an HTTP/1.0 client asks for keep-alive.
func TestHTTP10Connection(t *testing.T) {
	dir := fixture(t, map[string]string{"a.txt": "a"})
	s := startServer(t, []string{"-b", "127.0.0.1", "-d", dir, "0"}, nil)
	tests := []struct {
		name, request  string
		wantStatus     string
		wantConnection string // the Connection header, "" for none
	}{
		{"1.0 file", "GET /a.txt HTTP/1.0\r\n\r\n", "HTTP/1.0 200 OK", ""},
		{"1.0 error", "GET /nope HTTP/1.0\r\n\r\n", "HTTP/1.0 404 Not Found", "close"},
		{"1.0 keep-alive asked", "GET /a.txt HTTP/1.0\r\nConnection: keep-alive\r\n\r\n", "HTTP/1.0 200 OK", "close"},
		{"1.1 file", "GET /a.txt HTTP/1.1\r\nHost: x\r\n\r\n", "HTTP/1.1 200 OK", "close"},
		{"1.1 error", "GET /nope HTTP/1.1\r\nHost: x\r\n\r\n", "HTTP/1.1 404 Not Found", "close"},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			conn, err := net.DialTimeout("tcp", s.addr.String(), 5*time.Second)
			require.NoError(t, err)
			defer conn.Close()
			require.NoError(t, conn.SetDeadline(time.Now().Add(10*time.Second)))
			_, err = io.WriteString(conn, tc.request)
			require.NoError(t, err)
			// The server closes the connection: reading to EOF ends.
			raw, err := io.ReadAll(conn)
			require.NoError(t, err)
			head, _, _ := strings.Cut(string(raw), "\r\n\r\n")
			lines := strings.Split(head, "\r\n")
			assert.Equal(t, tc.wantStatus, lines[0])
			connection := ""
			for _, line := range lines[1:] {
				if name, value, _ := strings.Cut(line, ": "); strings.EqualFold(name, "Connection") {
					connection = value
				}
			}
			assert.Equal(t, tc.wantConnection, connection)
		})
	}
}

// TestShutdown pins Ctrl-C / SIGTERM: new connections are refused, the
// request in flight finishes, "\nKeyboard interrupt received, exiting." is
// printed on stdout (as Python prints it) and the exit status is 0. A
// second interrupt, or the end of the grace period, closes what is left.
func TestShutdown(t *testing.T) {
	dir := fixture(t, map[string]string{"a.txt": "a"})
	tests := []struct {
		name         string
		grace        time.Duration
		interrupts   int
		wantFinished bool // the request in flight gets its whole answer
	}{
		{name: "request in flight finishes", grace: time.Minute, interrupts: 1, wantFinished: true},
		{name: "second interrupt stops waiting", grace: time.Minute, interrupts: 2},
		{name: "grace period ends", grace: 50 * time.Millisecond, interrupts: 1},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			entered, release := make(chan struct{}), make(chan struct{})
			defer func() {
				select {
				case <-release:
				default:
					close(release)
				}
			}()
			s := startServer(t, []string{"-b", "127.0.0.1", "-d", dir, "0"}, func(c *command) {
				c.timeouts.shutdownGrace = tc.grace
				c.timeouts.drain = 50 * time.Millisecond // the probe ignores its context
				c.wrap = func(next http.Handler) http.Handler {
					return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
						if r.URL.Path == "/slow" {
							close(entered)
							<-release
							r.URL.Path = "/a.txt"
						}
						next.ServeHTTP(w, r)
					})
				}
			})
			type result struct {
				body string
				err  error
			}
			done := make(chan result, 1)
			go func() {
				resp, err := http.Get(s.url() + "/slow")
				if err != nil {
					done <- result{err: err}
					return
				}
				defer resp.Body.Close()
				body, err := io.ReadAll(resp.Body)
				done <- result{string(body), err}
			}()
			<-entered
			for range tc.interrupts {
				s.interrupt <- syscall.SIGTERM
			}
			// The listener closes first: poll until a new connection is refused.
			require.Eventually(t, func() bool {
				c, err := net.Dial("tcp", s.addr.String())
				if err == nil {
					c.Close()
				}
				return err != nil
			}, 5*time.Second, 5*time.Millisecond)

			if tc.wantFinished {
				close(release)
				r := <-done
				require.NoError(t, r.err)
				assert.Equal(t, "a", r.body)
			} else {
				r := <-done
				assert.Error(t, r.err, "the connection is closed under the request")
			}
			select {
			case code := <-s.exit:
				s.exit <- code
				assert.Equal(t, 0, code)
			case <-time.After(10 * time.Second):
				t.Fatal("no exit")
			}
			assert.True(t, strings.HasSuffix(s.stdout.String(), ") ...\n\nKeyboard interrupt received, exiting.\n"), "stdout: %q", s.stdout)
		})
	}
}

// TestStartErrors pins the one-line errors (exit 1) for what stops the
// server from starting; Python prints a traceback for most of them.
func TestStartErrors(t *testing.T) {
	dir := fixture(t, map[string]string{"a.txt": "a"})
	busy, err := net.Listen("tcp4", "127.0.0.1:0")
	require.NoError(t, err)
	defer busy.Close()
	busyPort := strconv.Itoa(busy.Addr().(*net.TCPAddr).Port)
	tests := []struct {
		name string
		args []string
		want string
	}{
		{name: "port in use", args: []string{"-b", "127.0.0.1", busyPort}, want: "simplehttp: cannot listen on 127.0.0.1:" + busyPort + ": address already in use\n"},
		{name: "port in use on every interface", args: []string{busyPort}, want: "simplehttp: cannot listen on 0.0.0.0:" + busyPort + ": address already in use\n"},
		{name: "address not here", args: []string{"-b", "192.0.2.1", "0"}, want: "simplehttp: cannot listen on 192.0.2.1:0: cannot assign requested address\n"},
		{name: "missing directory", args: []string{"-d", filepath.Join(dir, "nope"), "0"}, want: "simplehttp: cannot serve " + filepath.Join(dir, "nope") + ": no such file or directory\n"},
		{name: "directory is a file", args: []string{"-d", filepath.Join(dir, "a.txt"), "0"}, want: "simplehttp: cannot serve " + filepath.Join(dir, "a.txt") + ": not a directory\n"},
		{name: "directory is a file, following links", args: []string{"--follow-symlinks", "-d", filepath.Join(dir, "a.txt"), "0"}, want: "simplehttp: cannot serve " + filepath.Join(dir, "a.txt") + ": not a directory\n"},
		{name: "certificate missing", args: []string{"--tls-cert", filepath.Join(dir, "nope.pem"), "-d", dir, "0"}, want: "simplehttp: cannot load the TLS certificate: open " + filepath.Join(dir, "nope.pem") + ": no such file or directory\n"},
		{name: "certificate is not PEM", args: []string{"--tls-cert", filepath.Join(dir, "a.txt"), "-d", dir, "0"}, want: "simplehttp: cannot load the TLS certificate: tls: failed to find any PEM data in certificate input\n"},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			var stdout, stderr bytes.Buffer
			code := run(tc.args, &stdout, &stderr, nil)
			assert.Equal(t, 1, code)
			assert.Empty(t, stdout.String())
			assert.Equal(t, tc.want, stderr.String())
		})
	}
}

// TestSlowClients pins the timeouts Python lacks: a client that trickles its
// request headers (slowloris), or connects and says nothing, or leaves a
// kept-alive connection idle, is disconnected. The timeouts are made small
// here; the test waits far longer than them, and fails if the server keeps
// the connection for the whole trickle.
func TestSlowClients(t *testing.T) {
	dir := fixture(t, map[string]string{"a.txt": "a"})
	s := startServer(t, []string{"-b", "127.0.0.1", "-p", "HTTP/1.1", "-d", dir, "0"}, func(c *command) {
		c.timeouts.readHeader = 200 * time.Millisecond
		c.timeouts.idle = 200 * time.Millisecond
	})
	const trickle = 20 * time.Second // far longer than the timeouts, far shorter than the test's patience
	tests := []struct {
		name  string
		start string        // sent at once
		drip  string        // then one byte at a time, every 20ms
		wait  time.Duration // how long the client keeps the connection open
	}{
		{name: "slow headers", start: "GET /a.txt HTTP/1.1\r\nHost: x\r\n", drip: strings.Repeat("X-Slow: yes\r\n", 1000)},
		{name: "silent client"},
		{name: "idle keep-alive", start: "GET /a.txt HTTP/1.1\r\nHost: x\r\n\r\n"},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			conn, err := net.Dial("tcp", s.addr.String())
			require.NoError(t, err)
			defer conn.Close()
			_, err = io.WriteString(conn, tc.start)
			require.NoError(t, err)
			stopDrip := make(chan struct{})
			defer close(stopDrip)
			go func() {
				for i := 0; i < len(tc.drip); i++ {
					select {
					case <-stopDrip:
						return
					case <-time.After(20 * time.Millisecond):
					}
					if _, err := conn.Write([]byte{tc.drip[i]}); err != nil {
						return
					}
				}
			}()
			require.NoError(t, conn.SetReadDeadline(time.Now().Add(trickle)))
			// Read whatever the server answers until it hangs up.
			_, err = io.Copy(io.Discard, conn)
			var netErr net.Error
			if errors.As(err, &netErr) && netErr.Timeout() {
				t.Fatalf("the server kept the connection for %v", trickle)
			}
		})
	}
}

// writeCertificate writes a self-signed certificate for 127.0.0.1 and its
// key as PEM files and returns their paths and a pool that trusts it.
func writeCertificate(t *testing.T) (certFile, keyFile string, pool *x509.CertPool) {
	t.Helper()
	key, err := ecdsa.GenerateKey(elliptic.P256(), rand.Reader)
	require.NoError(t, err)
	tmpl := &x509.Certificate{
		SerialNumber:          big.NewInt(1),
		Subject:               pkix.Name{CommonName: "simplehttp test"},
		NotBefore:             time.Now().Add(-time.Hour),
		NotAfter:              time.Now().Add(time.Hour),
		KeyUsage:              x509.KeyUsageDigitalSignature | x509.KeyUsageCertSign,
		ExtKeyUsage:           []x509.ExtKeyUsage{x509.ExtKeyUsageServerAuth},
		IPAddresses:           []net.IP{net.ParseIP("127.0.0.1")},
		BasicConstraintsValid: true,
		IsCA:                  true,
	}
	der, err := x509.CreateCertificate(rand.Reader, tmpl, tmpl, &key.PublicKey, key)
	require.NoError(t, err)
	cert, err := x509.ParseCertificate(der)
	require.NoError(t, err)
	keyDER, err := x509.MarshalPKCS8PrivateKey(key)
	require.NoError(t, err)
	dir := t.TempDir()
	certFile, keyFile = filepath.Join(dir, "cert.pem"), filepath.Join(dir, "key.pem")
	require.NoError(t, os.WriteFile(certFile, pem.EncodeToMemory(&pem.Block{Type: "CERTIFICATE", Bytes: der}), 0o644))
	require.NoError(t, os.WriteFile(keyFile, pem.EncodeToMemory(&pem.Block{Type: "PRIVATE KEY", Bytes: keyDER}), 0o600))
	pool = x509.NewCertPool()
	pool.AddCert(cert)
	return certFile, keyFile, pool
}

// TestTLS pins --tls-cert/--tls-key (Python 3.14's options): HTTPS in the
// banner, HTTP/2 for a client that offers it, HTTP/1.1 for one that does
// not, and a certificate file that holds the key as well.
func TestTLS(t *testing.T) {
	dir := fixture(t, map[string]string{"a.txt": "hello"})
	certFile, keyFile, pool := writeCertificate(t)
	both := filepath.Join(t.TempDir(), "both.pem")
	certPEM, err := os.ReadFile(certFile)
	require.NoError(t, err)
	keyPEM, err := os.ReadFile(keyFile)
	require.NoError(t, err)
	require.NoError(t, os.WriteFile(both, append(certPEM, keyPEM...), 0o600))

	tests := []struct {
		name      string
		args      []string
		http2     bool
		wantProto string
	}{
		{name: "http2", args: []string{"--tls-cert", certFile, "--tls-key", keyFile}, http2: true, wantProto: "HTTP/2.0"},
		{name: "http2 with HTTP/1.1", args: []string{"--tls-cert", certFile, "--tls-key", keyFile, "-p", "HTTP/1.1"}, http2: true, wantProto: "HTTP/2.0"},
		{name: "http1 client", args: []string{"--tls-cert", certFile, "--tls-key", keyFile}, wantProto: "HTTP/1.1"},
		{name: "key in the certificate file", args: []string{"--tls-cert", both}, http2: true, wantProto: "HTTP/2.0"},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			s := startServer(t, append(tc.args, "-b", "127.0.0.1", "-d", dir, "0"), nil)
			port := s.addr.Port
			assert.Equal(t, fmt.Sprintf("Serving HTTPS on 127.0.0.1 port %d (https://127.0.0.1:%d/) ...\n", port, port), s.stdout.String())

			transport := &http.Transport{TLSClientConfig: &tls.Config{RootCAs: pool}, ForceAttemptHTTP2: tc.http2}
			defer transport.CloseIdleConnections()
			for range 2 {
				resp, err := (&http.Client{Transport: transport}).Get(fmt.Sprintf("https://127.0.0.1:%d/a.txt", port))
				require.NoError(t, err)
				body, err := io.ReadAll(resp.Body)
				resp.Body.Close()
				require.NoError(t, err)
				assert.Equal(t, tc.wantProto, resp.Proto)
				assert.Equal(t, "hello", string(body))
				assert.Equal(t, "text/plain", resp.Header.Get("Content-Type"))
			}
			// Plain HTTP on the TLS port is refused, not served.
			resp, err := http.Get(fmt.Sprintf("http://127.0.0.1:%d/a.txt", port))
			if err == nil {
				resp.Body.Close()
				assert.Equal(t, http.StatusBadRequest, resp.StatusCode)
			}
		})
	}
}

// TestFollowSymlinks pins --follow-symlinks: by default a link that leads
// out of the directory is 404 (Python would follow it); with the flag it is
// followed, as Python does.
func TestFollowSymlinks(t *testing.T) {
	outside := fixture(t, map[string]string{"secret.txt": "outside"})
	dir := fixture(t, map[string]string{"a.txt": "a"})
	require.NoError(t, os.Symlink(filepath.Join(outside, "secret.txt"), filepath.Join(dir, "link.txt")))
	require.NoError(t, os.Symlink("a.txt", filepath.Join(dir, "inside.txt")))
	tests := []struct {
		name       string
		args       []string
		path       string
		wantStatus int
	}{
		{name: "link inside", path: "/inside.txt", wantStatus: http.StatusOK},
		{name: "link outside refused", path: "/link.txt", wantStatus: http.StatusNotFound},
		{name: "link outside followed", args: []string{"--follow-symlinks"}, path: "/link.txt", wantStatus: http.StatusOK},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			s := startServer(t, append(tc.args, "-b", "127.0.0.1", "-d", dir, "0"), nil)
			resp, err := http.Get(s.url() + tc.path)
			require.NoError(t, err)
			resp.Body.Close()
			assert.Equal(t, tc.wantStatus, resp.StatusCode)
		})
	}
}

// TestDefaultDirectory pins that without -d the current directory is
// served, as Python does.
func TestDefaultDirectory(t *testing.T) {
	dir := fixture(t, map[string]string{"here.txt": "here"})
	t.Chdir(dir)
	s := startServer(t, []string{"-b", "127.0.0.1", "0"}, nil)
	resp, err := http.Get(s.url() + "/here.txt")
	require.NoError(t, err)
	defer resp.Body.Close()
	body, err := io.ReadAll(bufio.NewReader(resp.Body))
	require.NoError(t, err)
	assert.Equal(t, "here", string(body))
}

// TestShutdownKillsScripts pins that no CGI script outlives the command:
// when the grace period ends with a script still running, the server
// closes its connection and waits (briefly) for the cgi middleware to kill
// the script's process group before exiting. The scripts run in their own
// process group, so a Ctrl-C in the terminal does not reach them.
func TestShutdownKillsScripts(t *testing.T) {
	pids := t.TempDir()
	require.NoError(t, os.Chmod(pids, 0o777)) // the script may run as nobody
	dir := fixture(t, map[string]string{
		"cgi-bin/hang.sh": "#!/bin/sh\necho $$ > " + filepath.Join(pids, "pid") + "\nexec sleep 300\n",
	})
	require.NoError(t, filepath.Walk(dir, func(p string, _ os.FileInfo, err error) error {
		if err != nil {
			return err
		}
		return os.Chmod(p, 0o755)
	}))
	for d := dir; d != "/"; d = filepath.Dir(d) {
		info, err := os.Stat(d)
		require.NoError(t, err)
		require.NoError(t, os.Chmod(d, info.Mode().Perm()|0o011))
	}
	s := startServer(t, []string{"--cgi", "-b", "127.0.0.1", "-d", dir, "0"}, func(c *command) {
		c.timeouts.shutdownGrace = 50 * time.Millisecond
	})
	go func() {
		if resp, err := http.Get(s.url() + "/cgi-bin/hang.sh"); err == nil {
			resp.Body.Close()
		}
	}()
	var pid int
	require.Eventually(t, func() bool {
		b, err := os.ReadFile(filepath.Join(pids, "pid"))
		if err != nil {
			return false
		}
		pid, err = strconv.Atoi(strings.TrimSpace(string(b)))
		return err == nil
	}, 10*time.Second, 10*time.Millisecond, "the script did not start")

	assert.Equal(t, 0, s.stop(t))
	// The script was this process's child and has been reaped by now: its
	// pid is gone (or, at worst, reused by an unrelated process).
	status, err := os.ReadFile(fmt.Sprintf("/proc/%d/cmdline", pid))
	assert.True(t, err != nil || !strings.Contains(string(status), "sleep"),
		"the script (pid %d) outlived the server: %q", pid, status)
}

// TestSlowBodies pins the body timeout: a client that announces a request
// body and stalls is cut off, whether the handler ignores the body (a
// file, a 501) or a CGI script waits for it, under HTTP/1.0 and HTTP/1.1;
// while an upload that keeps coming, and a script that goes on writing
// long after it has read its whole body, are not cut off.
func TestSlowBodies(t *testing.T) {
	dir := fixture(t, map[string]string{
		"a.txt":          "a",
		"cgi-bin/cat.sh": "#!/bin/sh\nprintf 'Content-Type: text/plain\\n\\n'\ncat\n",
		"cgi-bin/late.sh": "#!/bin/sh\nprintf 'Content-Type: text/plain\\n\\n'\ncat\n" +
			"sleep 0.7; echo one; sleep 0.7; echo two\n",
	})
	makeRunnable(t, dir)
	// Twelve times the drip's pace: a 150 ms timeout cut the slow upload
	// once in five runs of the suite beside two CPU hogs.
	const timeout = 600 * time.Millisecond
	for _, protocol := range []string{"HTTP/1.0", "HTTP/1.1"} {
		s := startServer(t, []string{"--cgi", "-b", "127.0.0.1", "-p", protocol, "-d", dir, "0"}, func(c *command) {
			c.timeouts.body = timeout
		})
		tests := []struct {
			name     string
			request  string
			drip     int    // body bytes then sent one every 50 ms (under the timeout)
			wantBody string // "" when the server must hang up without a full answer
		}{
			{name: "file, body never sent", request: "GET /a.txt HTTP/1.1\r\nHost: x\r\nContent-Length: 5\r\n\r\n"},
			{name: "501, body never sent", request: "POST /a.txt HTTP/1.1\r\nHost: x\r\nContent-Length: 5\r\n\r\n"},
			{name: "file, waiting for 100 Continue", request: "GET /a.txt HTTP/1.1\r\nHost: x\r\nExpect: 100-continue\r\nContent-Length: 5\r\n\r\n"},
			{name: "script waits for a body never sent", request: "POST /cgi-bin/cat.sh HTTP/1.1\r\nHost: x\r\nContent-Length: 5\r\n\r\n"},
			{name: "script gets a slow upload", request: "POST /cgi-bin/cat.sh HTTP/1.1\r\nHost: x\r\nContent-Length: 8\r\nConnection: close\r\n\r\n", drip: 8, wantBody: "xxxxxxxx"},
			{name: "script writes long after its body", request: "POST /cgi-bin/late.sh HTTP/1.1\r\nHost: x\r\nContent-Length: 2\r\nConnection: close\r\n\r\nhi", wantBody: "hione\ntwo\n"},
		}
		for _, tc := range tests {
			t.Run(protocol+" "+tc.name, func(t *testing.T) {
				conn, err := net.Dial("tcp", s.addr.String())
				require.NoError(t, err)
				defer conn.Close()
				_, err = io.WriteString(conn, tc.request)
				require.NoError(t, err)
				go func() {
					for range tc.drip {
						time.Sleep(50 * time.Millisecond)
						if _, err := conn.Write([]byte("x")); err != nil {
							return
						}
					}
				}()
				require.NoError(t, conn.SetReadDeadline(time.Now().Add(20*time.Second)))
				raw, err := io.ReadAll(conn)
				var netErr net.Error
				if errors.As(err, &netErr) && netErr.Timeout() {
					t.Fatalf("the server kept the connection; got %q", raw)
				}
				if tc.wantBody == "" {
					return
				}
				resp, err := http.ReadResponse(bufio.NewReader(bytes.NewReader(raw)), nil)
				require.NoError(t, err)
				body, err := io.ReadAll(resp.Body)
				require.NoError(t, err)
				assert.Equal(t, tc.wantBody, string(body))
			})
		}
	}
}

// makeRunnable makes every file under dir executable and every directory
// on the way to it searchable: CGI scripts run as nobody under root.
func makeRunnable(t *testing.T, dir string) {
	t.Helper()
	require.NoError(t, filepath.Walk(dir, func(p string, _ os.FileInfo, err error) error {
		if err != nil {
			return err
		}
		return os.Chmod(p, 0o755)
	}))
	for d := filepath.Dir(dir); d != "/"; d = filepath.Dir(d) {
		info, err := os.Stat(d)
		require.NoError(t, err)
		require.NoError(t, os.Chmod(d, info.Mode().Perm()|0o011))
	}
}

// TestLogClientAddress pins the client's address in the access log on a
// dual-stack listener: an IPv4 client is logged as 127.0.0.1, where Python
// logs ::ffff:127.0.0.1 (its address_string is the socket's v4-mapped
// address); an IPv6 client as ::1, as Python does.
func TestLogClientAddress(t *testing.T) {
	if !hasIPv6Loopback() {
		t.Skip("no IPv6 loopback")
	}
	dir := fixture(t, map[string]string{"a.txt": "a"})
	tests := []struct {
		name   string
		args   []string
		client string
	}{
		{name: "-b ::, IPv4 client", args: []string{"-b", "::"}, client: "127.0.0.1"},
		{name: "-b ::, IPv6 client", args: []string{"-b", "::"}, client: "::1"},
		{name: "default, IPv4 client", client: "127.0.0.1"},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			s := startServer(t, append(tc.args, "-d", dir, "0"), nil)
			resp, err := http.Get("http://" + net.JoinHostPort(tc.client, strconv.Itoa(s.addr.Port)) + "/a.txt")
			require.NoError(t, err)
			resp.Body.Close()
			require.Equal(t, http.StatusOK, resp.StatusCode)
			// The line is written when the handler returns, which may be
			// after the client has read the response.
			deadline := time.Now().Add(10 * time.Second)
			for !strings.Contains(s.stderr.String(), "\n") && time.Now().Before(deadline) {
				time.Sleep(10 * time.Millisecond)
			}
			assert.Regexp(t, `^`+regexp.QuoteMeta(tc.client)+` - - \[[^]]+\] "GET /a\.txt HTTP/1\.1" 200 -\n$`, s.stderr.String())
		})
	}
}

// TestBodyReadAgainAfterEnd pins that the body timeout ends with the body:
// a handler that reads its body to the end, reads once more (as many
// copiers do), then answers slowly for longer than the timeout keeps its
// request alive; a deadline set by that last read would cancel it.
func TestBodyReadAgainAfterEnd(t *testing.T) {
	dir := fixture(t, map[string]string{"a.txt": "a"})
	const timeout = 100 * time.Millisecond
	s := startServer(t, []string{"-b", "127.0.0.1", "-p", "HTTP/1.1", "-d", dir, "0"}, func(c *command) {
		c.timeouts.body = timeout
		c.wrap = func(next http.Handler) http.Handler {
			return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
				if r.URL.Path != "/probe" {
					next.ServeHTTP(w, r)
					return
				}
				body, _ := io.ReadAll(r.Body)
				_, _ = r.Body.Read(make([]byte, 1)) // after the end
				for range 5 {
					select {
					case <-r.Context().Done():
						return
					case <-time.After(timeout):
					}
					fmt.Fprintf(w, "%s;", body)
					http.NewResponseController(w).Flush()
				}
			})
		}
	})
	resp, err := http.Post(s.url()+"/probe", "text/plain", strings.NewReader("hi"))
	require.NoError(t, err)
	defer resp.Body.Close()
	got, err := io.ReadAll(resp.Body)
	require.NoError(t, err)
	assert.Equal(t, "hi;hi;hi;hi;hi;", string(got))
}

// TestErrorPageFlag serves with --error-page over a real connection: a 404
// gets the file's bytes with its content type and keeps its status (HEAD
// too, without a body), other errors keep Python's page, and the access log
// still says Python's lines.
func TestErrorPageFlag(t *testing.T) {
	pages := fixture(t, map[string]string{"404.html": "<h1>Nothing here</h1>\n"})
	dir := fixture(t, map[string]string{"a.txt": "a"})
	s := startServer(t, []string{"-b", "127.0.0.1", "-d", dir, "--error-page", "404=" + filepath.Join(pages, "404.html"), "0"}, nil)

	resp, err := http.Get(s.url() + "/missing")
	require.NoError(t, err)
	body, err := io.ReadAll(resp.Body)
	resp.Body.Close()
	require.NoError(t, err)
	assert.Equal(t, http.StatusNotFound, resp.StatusCode)
	assert.Equal(t, "text/html", resp.Header.Get("Content-Type"))
	assert.Equal(t, "<h1>Nothing here</h1>\n", string(body))

	resp, err = http.Head(s.url() + "/missing")
	require.NoError(t, err)
	resp.Body.Close()
	assert.Equal(t, http.StatusNotFound, resp.StatusCode)
	assert.Equal(t, strconv.Itoa(len("<h1>Nothing here</h1>\n")), resp.Header.Get("Content-Length"))

	resp, err = http.Get(s.url() + "/a.txt")
	require.NoError(t, err)
	body, err = io.ReadAll(resp.Body)
	resp.Body.Close()
	require.NoError(t, err)
	assert.Equal(t, "a", string(body))

	req, err := http.NewRequest("PUT", s.url()+"/a.txt", nil)
	require.NoError(t, err)
	resp, err = http.DefaultClient.Do(req)
	require.NoError(t, err)
	body, err = io.ReadAll(resp.Body)
	resp.Body.Close()
	require.NoError(t, err)
	assert.Equal(t, http.StatusNotImplemented, resp.StatusCode)
	assert.Contains(t, string(body), "<p>Message: Unsupported method ('PUT').</p>")

	assert.Contains(t, s.stderr.String(), "code 404, message File not found\n")
}
