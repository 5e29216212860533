package cgi

import (
	"bufio"
	"context"
	"errors"
	"fmt"
	"io"
	"io/fs"
	"net/http"
	"os"
	"os/exec"
	"path"
	"path/filepath"
	"strconv"
	"strings"
	"sync"
	"syscall"
	"time"

	"github.com/simplehttp/simplehttp/internal/httperr"
	"github.com/simplehttp/simplehttp/internal/pyrepr"
	"github.com/simplehttp/simplehttp/internal/pystatus"
)

// Why a script was killed before it exited by itself.
var (
	errTimeout    = errors.New("timeout")
	errClientGone = errors.New("client went away")
	errBadBody    = errors.New("the request body could not be read")
	errBadOutput  = errors.New("bad output")
)

// stderrGrace is how long, once a script's process group is gone, its
// stderr is read before giving up on a process outside the group that
// still holds it open.
const stderrGrace = time.Second

// testHookStart, when set by a test, runs just before a script is started;
// an error it returns is taken for the start's.
var testHookStart func() error

// past is a deadline that has passed: it makes blocked reads and writes
// return at once.
var past = time.Unix(1, 0)

// serveScript runs s for r and streams its response to w.
func (h *handler) serveScript(w http.ResponseWriter, r *http.Request, s script) {
	rc := http.NewResponseController(w)
	var (
		stdin  *os.File // the script's stdin; nil for /dev/null
		bodyW  *os.File // our end of the stdin pipe
		length string   // CONTENT_LENGTH
	)
	hasBody := r.Body != nil && r.Body != http.NoBody
	switch {
	case r.ContentLength > 0 && hasBody:
		// A script may answer before it has read all its input; without
		// this net/http would discard the unread body at the first write.
		_ = rc.EnableFullDuplex()
		// In full-duplex mode a body left partly unread when the handler
		// returns makes net/http panic (golang.org/issue/68560) unless the
		// handler closes it itself. Close reads what is left (up to 256 KiB,
		// or gives up and closes the connection after the response).
		defer r.Body.Close()
		// A client that sent "Expect: 100-continue" holds its body back
		// until it hears 100 Continue, which net/http sends at the first
		// read of the body and never once the response has begun: ask for
		// it now (as Python does on reading the headers), before the
		// script can write its header ahead of the body copy's first read.
		_, _ = r.Body.Read(nil)
		pw, pr, err := pipe(false)
		if err != nil {
			h.startFailed(w, r, &s, err)
			return
		}
		stdin, bodyW, length = pr, pw, strconv.FormatInt(r.ContentLength, 10)
	case r.ContentLength < 0 && hasBody:
		f, n, err := h.spool(r)
		if err != nil {
			h.spoolFailed(w, r, err)
			return
		}
		stdin, length = f, strconv.FormatInt(n, 10)
	case len(r.Header.Values("Content-Length")) > 0:
		length = "0"
	}

	p, err := h.start(r, rc, &s, stdin, bodyW, length)
	if err != nil {
		h.startFailed(w, r, &s, err)
		return
	}
	defer p.cancel(nil)

	br := bufio.NewReaderSize(p.stdout, 4<<10)
	hdr, err := readHeader(br, maxHeaderBytes)
	if err != nil {
		if context.Cause(p.ctx) == nil {
			h.logf(r, "CGI script %s: no valid header block: %v", s.name, err)
			p.cancel(errBadOutput)
		}
		p.answerFailed(w, p.finish())
		return
	}

	if hdr.localRedirect() {
		// RFC 3875 §6.2.2: no body; the server serves the path instead.
		_, _ = io.Copy(io.Discard, br)
		if why := p.finish(); why != nil || p.forcedBody {
			p.answerFailed(w, why)
			return
		}
		h.localRedirect(w, r, hdr.location)
		return
	}

	dst := w.Header()
	for k, vv := range hdr.header {
		dst[k] = vv
	}
	if _, ok := hdr.header["Content-Type"]; !ok {
		dst["Content-Type"] = nil // no sniffing: the script said nothing
	}
	code := hdr.status
	if hdr.location != "" {
		dst.Set("Location", hdr.location)
		if code == 0 {
			code = http.StatusFound
		}
	}
	if code == 0 {
		code = http.StatusOK
	}
	if _, ok := hdr.header["Content-Length"]; !ok {
		// Frame the body as Python does, by the end of the connection (or
		// chunked, for HTTP/1.1): net/http would otherwise count a short
		// body that has ended before the first flush and send a length the
		// script never gave.
		dst["Content-Length"] = nil
	}
	w.WriteHeader(code)

	if err := p.copyOut(w, br); err != nil {
		if errors.Is(err, http.ErrContentLength) {
			h.logf(r, "CGI script %s: wrote more than its Content-Length", s.name)
			p.cancel(errBadOutput)
		} else {
			p.cancel(errClientGone)
		}
	}
	if why := p.finish(); (why != nil && why != errBadOutput) || p.forcedBody {
		// Cut the response off so that the client cannot take it for a
		// complete one, and drop the connection, which may still hold
		// part of the request body. A client that has gone may only have
		// half-closed its connection (golang.org/issue/18527): it is
		// still reading.
		panic(http.ErrAbortHandler)
	}
}

// answerFailed answers a request whose script gave no usable header block
// or was killed before it could, for the reason why (see finish).
func (p *process) answerFailed(w http.ResponseWriter, why error) {
	if p.forcedBody || why == errBadBody {
		// The rest of the body is still on the connection, or the
		// connection is broken.
		w.Header().Set("Connection", "close")
	}
	switch why {
	case errTimeout:
		httperr.Error(w, phrase(http.StatusGatewayTimeout), http.StatusGatewayTimeout)
	case errBadBody:
		httperr.Error(w, phrase(http.StatusBadRequest), http.StatusBadRequest)
	case errBadOutput, nil:
		badGateway(w)
	default:
		// The client has gone, or only half-closed its connection
		// (golang.org/issue/18527), which net/http cannot tell apart:
		// drop the connection rather than let net/http send an empty 200.
		panic(http.ErrAbortHandler)
	}
}

// A process is a running script and the goroutines around it: one feeds
// the request body to its stdin, one logs its stderr, one waits for it to
// exit and one (watch) kills its process group.
type process struct {
	h      *handler
	r      *http.Request
	rc     *http.ResponseController
	cmd    *exec.Cmd
	pid    int
	stdout *os.File // our end of the script's stdout
	stderr *os.File // our end of the script's stderr
	bodyW  *os.File // our end of the script's stdin, nil without a streamed body

	// ctx ends when the client goes away, the timeout passes, or cancel
	// is called with the reason.
	ctx    context.Context
	cancel context.CancelCauseFunc

	exited     chan struct{} // the script has exited (not reaped yet)
	stdinDone  chan struct{} // the body copy has ended
	stderrDone chan struct{} // stderr is at EOF
	stop       chan struct{} // closed by finish: stdout is no longer read
	watchDone  chan struct{} // watch has ended
	killedBy   error         // why watch killed the script; read after watchDone
	bodyErr    error         // why reading the request body failed; read after stdinDone
	forcedBody bool          // finish cut the request body off
	outsider   bool          // watch stopped reading stdout, held open by a process outside the group; read after watchDone

	outMu      sync.Mutex // orders stopOutput and the deadlines readOutput sets
	outStopped bool       // stopOutput was called: stdout is read no more
}

// stopOutput makes reads of stdout, the one waiting and any later, return
// at once.
func (p *process) stopOutput() {
	p.outMu.Lock()
	defer p.outMu.Unlock()
	p.outStopped = true
	_ = p.stdout.SetReadDeadline(past)
}

// stopped reports whether stopOutput has been called.
func (p *process) stopped() bool {
	p.outMu.Lock()
	defer p.outMu.Unlock()
	return p.outStopped
}

// readOutput reads stdout, waiting until deadline (zero: for as long as
// it takes) unless reading has been stopped. The deadline holds for this
// read only.
func (p *process) readOutput(b []byte, deadline time.Time) (int, error) {
	p.setOutputDeadline(deadline)
	n, err := p.stdout.Read(b)
	if !deadline.IsZero() {
		p.setOutputDeadline(time.Time{})
	}
	return n, err
}

func (p *process) setOutputDeadline(t time.Time) {
	p.outMu.Lock()
	defer p.outMu.Unlock()
	if !p.outStopped {
		_ = p.stdout.SetReadDeadline(t)
	}
}

// start starts the script with stdin (nil: /dev/null), and the goroutines
// that copy the request body to bodyW when it is not nil.
func (h *handler) start(r *http.Request, rc *http.ResponseController, s *script, stdin, bodyW *os.File, length string) (*process, error) {
	args := []string{path.Base(s.name)}
	if q := r.URL.RawQuery; q != "" && !strings.Contains(q, "=") {
		// Python's rule: a query that is not a form is also the argument.
		args = append(args, strings.ReplaceAll(q, "+", " "))
	}
	p := &process{h: h, r: r, rc: rc, bodyW: bodyW}
	outW, errW, err := p.pipes()
	if err != nil {
		closeAll(stdin, bodyW)
		return nil, err
	}
	// The script is run from the descriptor lookup checked, which the
	// child holds as fd 3 (kept open across exec: an interpreter named by
	// "#!" opens the script by that name), in the directory lookup
	// opened, which the child changes to while it still has our
	// descriptors.
	dir := filepath.Dir(s.file)
	if wd := fdPath(s.dir); wd != "" {
		dir = wd
	}
	p.cmd = &exec.Cmd{
		Path:       execPath,
		Args:       args,
		Env:        h.environ(r, s, length),
		Dir:        dir,
		Stdout:     outW,
		Stderr:     errW,
		ExtraFiles: []*os.File{s.exe},
	}
	p.cmd.Stdin = h.devNull
	if stdin != nil {
		p.cmd.Stdin = stdin
	}
	if testHookStart != nil {
		if err := testHookStart(); err != nil {
			closeAll(stdin, outW, errW, bodyW, p.stdout, p.stderr, s.exe)
			return nil, err
		}
	}
	err = start(p.cmd, h.cred)
	closeAll(stdin, outW, errW, s.exe) // the script has its own copies
	if err != nil {
		closeAll(bodyW, p.stdout, p.stderr)
		return nil, err
	}
	p.pid = p.cmd.Process.Pid

	p.ctx, p.cancel = context.WithCancelCause(r.Context())
	if h.timeout > 0 {
		ctx, stop := context.WithTimeoutCause(p.ctx, h.timeout, errTimeout)
		parent := p.cancel
		p.ctx, p.cancel = ctx, func(cause error) { parent(cause); stop() }
	}
	p.exited = make(chan struct{})
	p.stdinDone = make(chan struct{})
	p.stderrDone = make(chan struct{})
	p.stop = make(chan struct{})
	p.watchDone = make(chan struct{})
	go func() {
		_ = waitExited(p.pid)
		close(p.exited)
	}()
	if bodyW != nil {
		go p.feed()
	} else {
		close(p.stdinDone)
	}
	go func() {
		defer close(p.stderrDone)
		h.logLines(r, p.stderr)
	}()
	go p.watch()
	return p, nil
}

// pipes makes the stdout and stderr pipes and returns the script's ends.
func (p *process) pipes() (outW, errW *os.File, err error) {
	p.stdout, outW, err = pipe(true)
	if err != nil {
		return nil, nil, err
	}
	p.stderr, errW, err = pipe(true)
	if err != nil {
		closeAll(p.stdout, outW)
		return nil, nil, err
	}
	return outW, errW, nil
}

// feed copies the request body to the script's stdin.
func (p *process) feed() {
	defer close(p.stdinDone)
	if err := copyBody(p.bodyW, p.r.Body); err != nil {
		// The client went away or sent less than its Content-Length.
		// The script's stdin stays open until it has been killed: at EOF
		// it would take the truncated input for the whole of it and
		// could answer as if it were.
		p.bodyErr = err
		p.cancel(errBadBody)
		<-p.exited
	}
	_ = p.bodyW.Close()
}

// watch kills the script's process group when ctx ends, and once the
// script has exited kills whatever it left behind in its group. It ends
// when the script has exited and finish has been called.
func (p *process) watch() {
	defer close(p.watchDone)
	select {
	case <-p.exited:
	case <-p.ctx.Done():
		select {
		case <-p.exited: // it had finished anyway
		default:
			p.killedBy = context.Cause(p.ctx)
			killGroup(p.pid)
			<-p.exited
		}
	}
	killGroup(p.pid) // not reaped yet, so the id is still this group's
	// The script and its group are gone, so stdout ends once what they
	// wrote has been passed on, unless a process that left the group
	// (setsid) holds it open. Such a process must not hold the response
	// open too: once the pipe has stayed empty for a grace period, stop
	// reading (Python ends the response when the script exits).
	tick := time.NewTicker(stderrGrace)
	defer tick.Stop()
	for {
		select {
		case <-p.ctx.Done():
			p.stopOutput()
			return
		case <-p.stop:
			return
		case <-tick.C:
			if pipeEmpty(p.stdout) {
				p.outsider = true
				p.stopOutput()
				return
			}
		}
	}
}

// finish waits for the script and everything serving it, reaps it and logs
// how it ended. It returns why the script was killed, or nil.
func (p *process) finish() error {
	close(p.stop)
	<-p.watchDone
	_ = p.cmd.Wait()
	// A script that exits without reading all its input leaves the copy
	// blocked until the client sends more (the write then fails) or goes
	// away, as net/http's own discarding of an unread body does; a killed
	// script does not wait for the client.
	cut := false
	select {
	case <-p.stdinDone:
	default:
		select {
		case <-p.stdinDone:
		case <-p.ctx.Done():
			cut = true
			_ = p.rc.SetReadDeadline(past)
			_ = p.bodyW.SetWriteDeadline(past)
			<-p.stdinDone
		}
	}
	switch {
	case p.bodyErr != nil && !(cut && errors.Is(p.bodyErr, os.ErrDeadlineExceeded)):
		// The body could not be read to its end (a truncated upload, a
		// broken connection): whatever the script made of it, the answer
		// must not look complete. This holds however the script ended:
		// net/http cancels the request's context for the same broken
		// read, and the script may exit at EOF on its stdin, either of
		// which can be seen before the copy reports the error.
		if p.killedBy != errTimeout {
			p.killedBy = errBadBody
		}
	case cut:
		p.forcedBody = true
	}
	select {
	case <-p.stderrDone:
	case <-time.After(stderrGrace):
		_ = p.stderr.SetReadDeadline(past)
		<-p.stderrDone
	}
	closeAll(p.stdout, p.stderr)
	switch {
	case p.killedBy == errTimeout:
		p.h.logf(p.r, "CGI script timed out after %s", p.h.timeout)
	case p.killedBy == errBadBody:
		p.h.logf(p.r, "CGI script killed: reading the request body: %v", p.bodyErr)
	case p.killedBy != nil && p.killedBy != errBadOutput:
		p.h.logf(p.r, "CGI script killed: %s", errClientGone)
	}
	if p.outsider {
		p.h.logf(p.r, "CGI script left a process outside its group holding its output open: response ended when the script exited")
	}
	if code := exitCode(p.cmd.ProcessState); code != 0 {
		p.h.logf(p.r, "CGI script exit code %d", code)
	}
	return p.killedBy
}

// copyBody copies the request body to the script's stdin. It returns an
// error only when reading the body fails; when the script stops reading,
// the rest of the body is left unread.
func copyBody(dst io.Writer, body io.Reader) error {
	buf := make([]byte, 32<<10)
	for {
		n, err := body.Read(buf)
		if n > 0 {
			if _, werr := dst.Write(buf[:n]); werr != nil {
				return nil
			}
		}
		if err == io.EOF {
			return nil
		}
		if err != nil {
			return err
		}
	}
}

// copyOut streams the script's body to w: what br holds past the header
// block, then what the script writes to stdout. When the script has
// written nothing more for coalesceWait, w is flushed before the wait goes
// on, so that the client has everything the script has written so far
// (Python's CGI script writes to the connection itself); output that
// follows at once (the end of a short script) goes out with the header
// in one piece. A body the response may not have (204, 304) is read and
// dropped.
func (p *process) copyOut(w http.ResponseWriter, br *bufio.Reader) error {
	discard := false
	write := func(b []byte) error {
		if discard {
			return nil
		}
		_, err := w.Write(b)
		if errors.Is(err, http.ErrBodyNotAllowed) {
			discard = true
			return nil
		}
		return err
	}
	if n := br.Buffered(); n > 0 {
		b, _ := br.Peek(n)
		if err := write(b); err != nil {
			return err
		}
	}
	raw, err := p.stdout.SyscallConn()
	if err != nil {
		return nil
	}
	buf := copyBufs.Get().(*[copyBufSize]byte)
	defer copyBufs.Put(buf)
	for {
		n, err := readReady(raw, buf[:])
		if err == errNotReady {
			n, err = p.readOutput(buf[:], time.Now().Add(coalesceWait))
			if errors.Is(err, os.ErrDeadlineExceeded) && !p.stopped() {
				if !discard {
					_ = p.rc.Flush()
				}
				n, err = p.readOutput(buf[:], time.Time{})
			}
		}
		if n > 0 {
			if werr := write(buf[:n]); werr != nil {
				return werr
			}
		}
		if err != nil {
			return nil // EOF, or the read was stopped
		}
	}
}

// coalesceWait is how long copyOut waits for more of a script's output
// before it flushes what it has: long enough for a script that has
// written its last bytes to exit, short next to any pause a person could
// see.
const coalesceWait = time.Millisecond

// copyBufSize is the size of the buffers the script's output is copied
// through.
const copyBufSize = 32 << 10

var copyBufs = sync.Pool{New: func() any { return new([copyBufSize]byte) }}

// errNotReady is readReady's answer when nothing can be read without
// waiting.
var errNotReady = errors.New("no output ready")

// readReady reads what can be read from raw at once: io.EOF at the end,
// errNotReady when the script has written nothing more yet, the
// deadline's error once reading has been stopped.
func readReady(raw syscall.RawConn, p []byte) (n int, err error) {
	cerr := raw.Read(func(fd uintptr) bool {
		for {
			n, err = syscall.Read(int(fd), p)
			if err != syscall.EINTR {
				return true
			}
		}
	})
	switch {
	case cerr != nil:
		return 0, cerr
	case err == syscall.EAGAIN:
		return 0, errNotReady
	case err != nil:
		return 0, err
	case n == 0:
		return 0, io.EOF
	}
	return n, nil
}

// logLines logs what the script writes to stderr, one call per line
// (lines longer than 4 KiB are cut into pieces).
func (c *config) logLines(r *http.Request, rd io.Reader) {
	br := bufio.NewReaderSize(rd, 4<<10)
	for {
		line, err := br.ReadSlice('\n')
		if s := strings.TrimRight(string(line), "\r\n"); s != "" {
			c.logf(r, "%s", s)
		}
		if err != nil && err != bufio.ErrBufferFull {
			return
		}
	}
}

// errTooLarge is spool's error for a body over the limit.
var errTooLarge = errors.New("too large")

// spool copies a chunked request body to an unlinked temporary file, so
// that its length is known. It returns the file at offset 0 and the
// length, errTooLarge for a body over the limit, a *bodyError when the
// body could not be read, or the temporary file's error.
func (c *config) spool(r *http.Request) (*os.File, int64, error) {
	f, err := os.CreateTemp("", "simplehttp-cgi-body-")
	if err != nil {
		return nil, 0, err
	}
	_ = os.Remove(f.Name())
	var n int64
	buf := make([]byte, 32<<10)
	for {
		m, rerr := r.Body.Read(buf)
		if int64(m) > c.maxSpool-n {
			f.Close()
			return nil, 0, errTooLarge
		}
		if m > 0 {
			if _, err := f.Write(buf[:m]); err != nil {
				f.Close()
				return nil, 0, err
			}
			n += int64(m)
		}
		if rerr == io.EOF {
			break
		}
		if rerr != nil {
			f.Close()
			return nil, 0, &bodyError{rerr}
		}
	}
	if _, err := f.Seek(0, io.SeekStart); err != nil {
		f.Close()
		return nil, 0, err
	}
	return f, n, nil
}

// A bodyError is a request body that could not be read.
type bodyError struct{ err error }

func (e *bodyError) Error() string { return "reading the request body: " + e.err.Error() }
func (e *bodyError) Unwrap() error { return e.err }

// spoolFailed answers a chunked body that could not be spooled, and logs
// why: 413 over the limit, 400 for a body that could not be read, 503 for
// a shortage that passes, 500 for any other failure of the temporary file.
func (h *handler) spoolFailed(w http.ResponseWriter, r *http.Request, err error) {
	var be *bodyError
	switch {
	case err == errTooLarge:
		h.logf(r, "CGI: chunked request body over the %d-byte limit: refused with 413", h.maxSpool)
		w.Header().Set("Connection", "close") // the rest of the body is unread
		httperr.Error(w, phrase(http.StatusRequestEntityTooLarge), http.StatusRequestEntityTooLarge)
	case errors.As(err, &be):
		h.logf(r, "CGI: %v", err)
		w.Header().Set("Connection", "close")
		httperr.Error(w, phrase(http.StatusBadRequest), http.StatusBadRequest)
	case httperr.Transient(err):
		h.logf(r, "CGI: spooling the request body: %v", err)
		httperr.Unavailable(w, err)
	default:
		h.internalError(w, r, fmt.Errorf("spooling the request body: %w", err))
	}
}

// startFailed answers a script that could not be started: 503 for a
// shortage that passes (no descriptor for its pipes, no process slot),
// 403 when it may not be executed (for example a directory on its path is
// closed to the user scripts run as), 502 otherwise (a missing
// interpreter, a file that is neither a binary nor a "#!" script).
func (h *handler) startFailed(w http.ResponseWriter, r *http.Request, s *script, err error) {
	h.logf(r, "CGI script %s could not be started: %v", s.name, err)
	if httperr.Transient(err) {
		// No descriptor for a pipe, no process slot: try again later.
		httperr.Unavailable(w, err)
		return
	}
	if errors.Is(err, fs.ErrPermission) {
		httperr.Error(w, "CGI script is not executable ("+pyrepr.String(s.name)+")", http.StatusForbidden)
		return
	}
	badGateway(w)
}

func (h *handler) internalError(w http.ResponseWriter, r *http.Request, err error) {
	h.logf(r, "CGI: %v", err)
	httperr.Error(w, phrase(http.StatusInternalServerError), http.StatusInternalServerError)
}

func badGateway(w http.ResponseWriter) {
	httperr.Error(w, phrase(http.StatusBadGateway), http.StatusBadGateway)
}

// phrase is Python's short message for code, the message Python's
// send_error uses when it is given none.
func phrase(code int) string {
	if s, ok := pystatus.Lookup(code); ok {
		return s.Phrase
	}
	return http.StatusText(code)
}

func closeAll(files ...*os.File) {
	for _, f := range files {
		if f != nil {
			_ = f.Close()
		}
	}
}
