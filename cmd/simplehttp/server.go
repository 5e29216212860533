package main

import (
	"context"
	"crypto/tls"
	"errors"
	"fmt"
	"io"
	"io/fs"
	"log"
	"net"
	"net/http"
	"os"
	"strconv"
	"strings"
	"sync/atomic"
	"time"

	"github.com/simplehttp/simplehttp"
	"github.com/simplehttp/simplehttp/internal/connguard"
)

// timeouts bound how long a client may hold a connection.
type timeouts struct {
	// readHeader bounds the time from accepting a connection (or from the
	// end of the previous response) to the end of the request headers: a
	// client that trickles its headers (slowloris) is cut off. It also
	// bounds the TLS handshake.
	readHeader time.Duration
	// idle bounds the wait for the next request on a kept-alive connection.
	idle time.Duration
	// body bounds the wait for each part of a request body: a client that
	// announces a body and stalls is cut off, one that keeps sending is
	// not, however long the upload.
	body time.Duration
	// shutdownGrace bounds the wait for requests in flight after Ctrl-C.
	shutdownGrace time.Duration
	// drain bounds the wait for handlers to return once their
	// connections were closed at the end of the grace period.
	drain time.Duration
	// logEvery is how often, at most, a condition of the connections
	// (the limit reached, accept failing, clients closed for not
	// reading) is logged.
	logEvery time.Duration
}

// defaultTimeouts are the command's timeouts. Python has none. There is
// deliberately no overall read or write timeout: it would cut off a large
// download or a large CGI upload over a slow link. A response is bounded
// by --send-timeout and --min-send-rate instead (a client that stops
// reading, or reads at a trickle, is closed), a request body by the body
// timeout, and a dead peer is found by TCP keep-alive probes.
var defaultTimeouts = timeouts{
	readHeader:    10 * time.Second,
	idle:          60 * time.Second,
	body:          60 * time.Second,
	shutdownGrace: 10 * time.Second,
	drain:         2 * time.Second,
	logEvery:      time.Minute,
}

// command is one run of simplehttp. Tests set the hooks.
type command struct {
	stdout, stderr io.Writer
	interrupt      <-chan os.Signal
	timeouts       timeouts

	// listening, if set, is called with the address once the server
	// accepts connections.
	listening func(net.Addr)
	// wrap, if set, wraps the handler (tests put probes in front).
	wrap func(http.Handler) http.Handler

	inflight atomic.Int64 // requests being served
	// conns is the listener once serving, for tests.
	conns *connguard.Listener
}

// run parses args, serves, and returns the exit status: 0 after Ctrl-C or
// SIGTERM (or -h), 2 for a usage error, 1 when serving cannot start.
func (c *command) run(args []string) int {
	cfg, err := parseArgs(args)
	if err != nil {
		fmt.Fprintf(c.stderr, "%ssimplehttp: error: %v\n", usage, err)
		return 2
	}
	if cfg.help {
		fmt.Fprint(c.stdout, help)
		return 0
	}
	if cfg.version {
		fmt.Fprintln(c.stdout, "simplehttp", version())
		return 0
	}

	handler, files, err := c.handler(cfg)
	if err != nil {
		fmt.Fprintf(c.stderr, "simplehttp: %v\n", err)
		return 1
	}
	// Every return is after the server stopped serving.
	defer files.Close()
	guard := c.guard(cfg)
	srv := &http.Server{
		Handler:           c.track(c.bodyDeadlines(streamDeadlines(guard.SendTimeout, handler))),
		ReadHeaderTimeout: c.timeouts.readHeader,
		IdleTimeout:       c.timeouts.idle,
		ErrorLog:          log.New(c.stderr, "simplehttp: ", 0),
	}
	if cfg.protocol == http10 {
		// Python's HTTP/1.0 answers one request per connection.
		srv.Handler = closeEach(srv.Handler)
	}
	scheme := "HTTP"
	if cfg.tlsCert != "" {
		cert, err := loadCertificate(cfg.tlsCert, cfg.tlsKey, cfg.tlsPassword)
		if err != nil {
			fmt.Fprintf(c.stderr, "simplehttp: cannot load the TLS certificate: %v\n", err)
			return 1
		}
		srv.TLSConfig = &tls.Config{Certificates: []tls.Certificate{cert}}
		srv.Protocols = new(http.Protocols)
		srv.Protocols.SetHTTP1(true)
		srv.Protocols.SetHTTP2(true)
		scheme = "HTTPS"
	}

	network, address := listenAddress(cfg.bind, cfg.port)
	l, err := net.Listen(network, address)
	if err != nil {
		fmt.Fprintf(c.stderr, "simplehttp: cannot listen on %s: %s\n",
			net.JoinHostPort(displayHost(cfg.bind, nil), strconv.Itoa(cfg.port)), reason(err))
		return 1
	}
	host, port := displayHost(cfg.bind, l.Addr()), l.Addr().(*net.TCPAddr).Port
	c.conns = connguard.NewListener(l, guard)
	l = c.conns
	urlHost := host
	if strings.Contains(host, ":") {
		urlHost = "[" + host + "]"
	}
	fmt.Fprintf(c.stdout, "Serving %s on %s port %d (%s://%s:%d/) ...\n",
		scheme, host, port, strings.ToLower(scheme), urlHost, port)

	served := make(chan error, 1)
	go func() {
		if srv.TLSConfig != nil {
			served <- srv.ServeTLS(l, "", "")
		} else {
			served <- srv.Serve(l)
		}
	}()
	if c.listening != nil {
		c.listening(l.Addr())
	}

	select {
	case err := <-served:
		fmt.Fprintf(c.stderr, "simplehttp: %v\n", err)
		return 1
	case <-c.interrupt:
	}
	fmt.Fprint(c.stdout, "\nKeyboard interrupt received, exiting.\n")
	c.shutdown(srv)
	return 0
}

// guard is what the listener enforces for cfg: the connection limit
// (--max-connections, else derived from the open-file limit) and the send
// checks (--send-timeout, --min-send-rate).
func (c *command) guard(cfg config) connguard.Config {
	g := connguard.Config{
		MaxConns:    cfg.maxConns,
		SendTimeout: defaultSendTimeout,
		MinSendRate: defaultMinSendRate,
		LogInterval: c.timeouts.logEvery,
		Logf:        log.New(c.stderr, "simplehttp: ", 0).Printf,
	}
	if g.MaxConns == 0 {
		g.MaxConns = defaultMaxConns(openFileLimit(), cfg.cgi)
	}
	if cfg.sendTimeout != nil {
		g.SendTimeout = *cfg.sendTimeout
	}
	if cfg.minSendRate != nil {
		g.MinSendRate = *cfg.minSendRate
	}
	return g
}

// defaultMaxConns is the connection limit for an open-file limit of
// nofile (0: unknown): what is left after a reserve for the process's own
// descriptors (listener, poller, standard streams, the served directory),
// divided by what one busy connection may use: its socket and a file or
// directory being sent; with --cgi, the pipes to a script (three, and
// three more for the child while it starts) and the process's pidfd.
func defaultMaxConns(nofile uint64, cgi bool) int {
	const reserve = 32
	if nofile == 0 {
		return 1024
	}
	perConn := uint64(2)
	if cgi {
		perConn = 8
	}
	if nofile <= reserve+perConn {
		return 1
	}
	return int(min((nofile-reserve)/perConn, maxConnections))
}

// closeEach makes every response close its connection, as Python's
// HTTP/1.0 server does. It says so with "Connection: close" rather than by
// disabling keep-alive on the server, because net/http then strips the
// header from every response to an HTTP/1.0 request, error pages included,
// where Python's send_error sends it. An HTTP/1.0 request that does not ask
// for keep-alive is closed by net/http anyway, and Python's response to it
// carries no Connection header, so neither does ours.
func closeEach(next http.Handler) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		if r.ProtoAtLeast(1, 1) || asksKeepAlive(r.Header["Connection"]) {
			w.Header().Set("Connection", "close")
		}
		next.ServeHTTP(w, r)
	})
}

// asksKeepAlive reports whether Connection header values hold the token
// "keep-alive".
func asksKeepAlive(values []string) bool {
	for _, v := range values {
		for token := range strings.SplitSeq(v, ",") {
			if strings.EqualFold(strings.TrimSpace(token), "keep-alive") {
				return true
			}
		}
	}
	return false
}

// handler builds the Python-compatible stack for cfg. The directory stays
// open until files is closed.
func (c *command) handler(cfg config) (h http.Handler, files io.Closer, err error) {
	dir := cfg.directory
	if dir == "" {
		dir = "."
	}
	opts := []simplehttp.Option{simplehttp.WithAccessLog(c.stderr)}
	if cfg.followSymlinks {
		opts = append(opts, simplehttp.WithFollowSymlinks())
	}
	if cfg.richListing {
		opts = append(opts, simplehttp.WithRichListing())
	}
	if cfg.hideDotfiles {
		opts = append(opts, simplehttp.WithHideDotfiles())
	}
	if cfg.cgi {
		opts = append(opts, simplehttp.WithCGI(), simplehttp.WithCGIProtocol(cfg.protocol))
		if cfg.cgiTimeout > 0 {
			opts = append(opts, simplehttp.WithCGITimeout(cfg.cgiTimeout))
		}
		if cfg.cgiMaxBody > 0 {
			opts = append(opts, simplehttp.WithCGIMaxBody(cfg.cgiMaxBody))
		}
	}
	if cfg.headers != nil {
		opts = append(opts, simplehttp.WithHeaders(cfg.headers))
	}
	if cfg.compress {
		opts = append(opts, simplehttp.WithCompression())
	}
	if cfg.contentType != "" {
		opts = append(opts, simplehttp.WithDefaultContentType(cfg.contentType))
	}
	if cfg.precompressed {
		opts = append(opts, simplehttp.WithPrecompressed())
	}
	if cfg.spa {
		opts = append(opts, simplehttp.WithSPA())
	}
	if cfg.noCache {
		opts = append(opts, simplehttp.WithCache(0))
	}
	for _, p := range cfg.errorPages {
		opts = append(opts, simplehttp.WithErrorPage(p.code, p.body, p.contentType))
	}
	sh, err := simplehttp.NewHandler(dir, opts...)
	var pathErr *fs.PathError
	switch {
	case errors.As(err, &pathErr):
		return nil, nil, fmt.Errorf("cannot serve %s: %v", dir, pathErr.Err)
	case err != nil:
		return nil, nil, errors.New(strings.TrimPrefix(err.Error(), "simplehttp: "))
	}
	h = sh
	if c.wrap != nil {
		h = c.wrap(h)
	}
	return h, sh, nil
}

// shutdown stops accepting connections and waits for the requests in
// flight, for at most the grace period or until a second interrupt, then
// closes whatever is left.
func (c *command) shutdown(srv *http.Server) {
	ctx, cancel := context.WithTimeout(context.Background(), c.timeouts.shutdownGrace)
	defer cancel()
	go func() {
		select {
		case <-c.interrupt:
			cancel()
		case <-ctx.Done():
		}
	}()
	if err := srv.Shutdown(ctx); err != nil {
		fmt.Fprintln(c.stderr, "simplehttp: closing the connections that are still busy")
		srv.Close()
		// Closing cancels the requests' contexts; give their handlers a
		// moment to clean up (the CGI middleware kills each script's
		// process group), so that no script outlives the server.
		for deadline := time.Now().Add(c.timeouts.drain); c.inflight.Load() > 0 && time.Now().Before(deadline); {
			time.Sleep(5 * time.Millisecond)
		}
	}
}

// bodyDeadlines gives each read of a request body c.timeouts.body to
// bring data, so that a client that announces a body and never sends it
// cannot hold its connection: not while a handler (a CGI script) reads
// the body, and not after a handler that ignored it, when net/http reads
// what is left before it can reuse or close the connection. Once the body
// has been read to its end, net/http lifts the deadline itself as it starts
// watching the connection for the client going away, so a long response
// (a CGI script still writing) is not cut off.
func (c *command) bodyDeadlines(next http.Handler) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		if r.Body == nil || r.Body == http.NoBody {
			next.ServeHTTP(w, r)
			return
		}
		body := &deadlineBody{
			ReadCloser: r.Body,
			rc:         http.NewResponseController(w),
			timeout:    c.timeouts.body,
		}
		body.extend()
		r.Body = body
		next.ServeHTTP(w, r)
		if !body.done.Load() {
			body.extend()
		}
	})
}

// deadlineBody is a request body whose every Read extends the
// connection's read deadline until the end of the body.
type deadlineBody struct {
	io.ReadCloser
	rc      *http.ResponseController
	timeout time.Duration
	done    atomic.Bool // the body was read to its end
}

func (b *deadlineBody) extend() {
	// An error means the connection cannot take a deadline (it is
	// hijacked, or gone); there is nothing to bound then.
	_ = b.rc.SetReadDeadline(time.Now().Add(b.timeout))
}

func (b *deadlineBody) Read(p []byte) (int, error) {
	if b.done.Load() {
		// No deadline after the end: net/http has lifted it to watch for
		// the client going away, and one set now would cancel the request
		// when it passed, however busy the response still is.
		return b.ReadCloser.Read(p)
	}
	b.extend()
	n, err := b.ReadCloser.Read(p)
	if err == io.EOF {
		b.done.Store(true)
	}
	return n, err
}

// track counts the requests in flight, for shutdown.
func (c *command) track(next http.Handler) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		c.inflight.Add(1)
		defer c.inflight.Add(-1)
		next.ServeHTTP(w, r)
	})
}

// listenAddress returns what to pass to net.Listen for -b bind and the
// port. The default listens on every interface, IPv6 and IPv4 (one
// dual-stack socket); an IPv4 address listens on IPv4 only ("0.0.0.0":
// every IPv4 interface, as Python's default); "::" is dual-stack, as in
// Python; a host name listens on one of its addresses.
func listenAddress(bind string, port int) (network, address string) {
	bind = strings.TrimSuffix(strings.TrimPrefix(bind, "["), "]")
	p := strconv.Itoa(port)
	if bind == "" {
		return "tcp", ":" + p
	}
	if ip := net.ParseIP(bind); ip != nil && ip.To4() != nil && !strings.Contains(bind, ":") {
		return "tcp4", net.JoinHostPort(bind, p)
	}
	return "tcp", net.JoinHostPort(bind, p)
}

// displayHost is the host the banner shows: the address listened on, as
// Python shows its socket's, except that the default dual-stack socket is
// shown as 0.0.0.0, which is what Python's default is on Linux.
func displayHost(bind string, addr net.Addr) string {
	if bind == "" {
		return "0.0.0.0"
	}
	if a, ok := addr.(*net.TCPAddr); ok {
		if a.Zone != "" {
			return a.IP.String() + "%" + a.Zone
		}
		return a.IP.String()
	}
	return strings.TrimSuffix(strings.TrimPrefix(bind, "["), "]")
}

// reason is the part of a listen error worth a user's reading, such as
// "address already in use".
func reason(err error) string {
	var syscallErr *os.SyscallError
	if errors.As(err, &syscallErr) {
		return syscallErr.Err.Error()
	}
	var dnsErr *net.DNSError
	if errors.As(err, &dnsErr) {
		return dnsErr.Err
	}
	var opErr *net.OpError
	if errors.As(err, &opErr) && opErr.Err != nil {
		return opErr.Err.Error()
	}
	return err.Error()
}
