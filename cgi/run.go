package cgi

import (
	"bufio"
	"context"
	"errors"
	"io"
	"io/fs"
	"net/http"
	"os"
	"os/exec"
	"path"
	"path/filepath"
	"strconv"
	"strings"
	"time"

	"github.com/simplehttp/simplehttp/internal/pyrepr"
	"github.com/simplehttp/simplehttp/internal/pystatus"
)

// Why a script was killed before it exited by itself.
var (
	errTimeout    = errors.New("timeout")
	errClientGone = errors.New("client went away")
	errBadOutput  = errors.New("bad output")
)

// stderrGrace is how long, once a script's process group is gone, its
// stderr is read before giving up on a process outside the group that
// still holds it open.
const stderrGrace = time.Second

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
		pr, pw, err := os.Pipe()
		if err != nil {
			h.internalError(w, r, err)
			return
		}
		stdin, bodyW, length = pr, pw, strconv.FormatInt(r.ContentLength, 10)
	case r.ContentLength < 0 && hasBody:
		f, n, code := h.spool(r)
		if code != 0 {
			http.Error(w, phrase(code), code)
			return
		}
		stdin, length = f, strconv.FormatInt(n, 10)
	case len(r.Header.Values("Content-Length")) > 0:
		length = "0"
	}

	args := []string{path.Base(s.name)}
	if q := r.URL.RawQuery; q != "" && !strings.Contains(q, "=") {
		// Python's rule: a query that is not a form is also the argument.
		args = append(args, strings.ReplaceAll(q, "+", " "))
	}
	outR, outW, err := os.Pipe()
	if err != nil {
		closeAll(stdin, bodyW)
		h.internalError(w, r, err)
		return
	}
	errR, errW, err := os.Pipe()
	if err != nil {
		closeAll(stdin, bodyW, outR, outW)
		h.internalError(w, r, err)
		return
	}
	cmd := &exec.Cmd{
		Path:   s.file,
		Args:   args,
		Env:    h.environ(r, &s, length),
		Dir:    filepath.Dir(s.file),
		Stdout: outW,
		Stderr: errW,
	}
	if stdin != nil {
		cmd.Stdin = stdin
	}
	err = start(cmd, h.cred)
	closeAll(stdin, outW, errW) // the script has its own copies
	if err != nil {
		closeAll(bodyW, outR, errR)
		h.startFailed(w, r, &s, err)
		return
	}
	pid := cmd.Process.Pid

	ctx, cancel := context.WithCancelCause(r.Context())
	defer cancel(nil)
	if h.timeout > 0 {
		var stop context.CancelFunc
		ctx, stop = context.WithTimeoutCause(ctx, h.timeout, errTimeout)
		defer stop()
	}

	exited := make(chan struct{})
	go func() {
		_ = waitExited(pid)
		close(exited)
	}()

	stdinDone := make(chan struct{})
	if bodyW != nil {
		go func() {
			defer close(stdinDone)
			defer bodyW.Close()
			if err := copyBody(bodyW, r.Body); err != nil {
				// The client went away or broke the body: the script
				// would only see a truncated input.
				cancel(errClientGone)
			}
		}()
	} else {
		close(stdinDone)
	}

	stderrDone := make(chan struct{})
	go func() {
		defer close(stderrDone)
		h.logLines(r, errR)
	}()

	// The watcher kills the script's process group when ctx ends, and once
	// the script has exited it kills what the script left behind. It ends
	// when the script has exited and the main goroutine is done reading.
	stop := make(chan struct{})
	watchDone := make(chan struct{})
	var killedBy error
	go func() {
		defer close(watchDone)
		select {
		case <-exited:
		case <-ctx.Done():
			select {
			case <-exited: // it had finished anyway
			default:
				killedBy = context.Cause(ctx)
				killGroup(pid)
				<-exited
			}
		}
		killGroup(pid) // not reaped yet, so the id is still this group's
		select {
		case <-ctx.Done():
			// A process outside the group still holds stdout open.
			_ = outR.SetReadDeadline(past)
		case <-stop:
		}
	}()

	// finish waits for the script and everything serving it, reaps it and
	// logs how it ended. It returns why it was killed, if it was.
	forcedBody := false // the request body was cut off mid-way
	finish := func() error {
		close(stop)
		<-watchDone
		_ = cmd.Wait()
		// A script that exits without reading all its input leaves the
		// copy blocked until the client sends more (the write then fails)
		// or goes away, as net/http's own discarding of an unread body
		// does; a killed script does not wait for the client.
		select {
		case <-stdinDone:
		case <-ctx.Done():
			forcedBody = true
			_ = rc.SetReadDeadline(past)
			_ = bodyW.SetWriteDeadline(past)
			<-stdinDone
		}
		select {
		case <-stderrDone:
		case <-time.After(stderrGrace):
			_ = errR.SetReadDeadline(past)
			<-stderrDone
		}
		closeAll(outR, errR)
		switch {
		case killedBy == errTimeout:
			h.logf(r, "CGI script timed out after %s", h.timeout)
		case killedBy != nil && killedBy != errBadOutput:
			h.logf(r, "CGI script killed: %s", errClientGone)
		}
		if code := exitCode(cmd.ProcessState); code != 0 {
			h.logf(r, "CGI script exit code %d", code)
		}
		return killedBy
	}

	br := bufio.NewReaderSize(outR, 4<<10)
	hdr, err := readHeader(br, maxHeaderBytes)
	if err != nil {
		if context.Cause(ctx) == nil {
			h.logf(r, "CGI script %s: no valid header block: %v", s.name, err)
			cancel(errBadOutput)
		}
		why := finish()
		if forcedBody {
			// The rest of the body is still on the connection.
			w.Header().Set("Connection", "close")
		}
		switch why {
		case errTimeout:
			http.Error(w, phrase(http.StatusGatewayTimeout), http.StatusGatewayTimeout)
		case errBadOutput, nil:
			badGateway(w)
		}
		return
	}

	if hdr.localRedirect() {
		// RFC 3875 §6.2.2: no body; the server serves the path instead.
		_, _ = io.Copy(io.Discard, br)
		why := finish()
		if forcedBody {
			w.Header().Set("Connection", "close")
		}
		switch why {
		case errTimeout:
			http.Error(w, phrase(http.StatusGatewayTimeout), http.StatusGatewayTimeout)
		case nil:
			h.localRedirect(w, r, hdr.location)
		}
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
	w.WriteHeader(code)
	_ = rc.Flush()

	if err := copyOut(w, rc, br); err != nil {
		if errors.Is(err, http.ErrContentLength) {
			h.logf(r, "CGI script %s: wrote more than its Content-Length", s.name)
			cancel(errBadOutput)
		} else {
			cancel(errClientGone)
		}
	}
	if finish() == errTimeout || forcedBody {
		// Cut the response off so that the client cannot take it for a
		// complete one, and drop the connection, which may still hold
		// part of the request body.
		panic(http.ErrAbortHandler)
	}
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

// copyOut streams the script's body to w, flushing after every read so
// that the client gets output as the script writes it. A body the response
// may not have (204, 304) is read and dropped.
func copyOut(w http.ResponseWriter, rc *http.ResponseController, src io.Reader) error {
	buf := make([]byte, 32<<10)
	discard := false
	for {
		n, err := src.Read(buf)
		if n > 0 && !discard {
			if _, werr := w.Write(buf[:n]); errors.Is(werr, http.ErrBodyNotAllowed) {
				discard = true
			} else if werr != nil {
				return werr
			} else {
				_ = rc.Flush()
			}
		}
		if err != nil {
			return nil // EOF, or the read was stopped
		}
	}
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

// spool copies a chunked request body to an unlinked temporary file, so
// that its length is known. It returns the file at offset 0 and the
// length, or the status to answer with.
func (c *config) spool(r *http.Request) (*os.File, int64, int) {
	f, err := os.CreateTemp("", "simplehttp-cgi-body-")
	if err != nil {
		c.logf(r, "CGI: spooling the request body: %v", err)
		return nil, 0, http.StatusInternalServerError
	}
	_ = os.Remove(f.Name())
	var n int64
	buf := make([]byte, 32<<10)
	for {
		m, rerr := r.Body.Read(buf)
		if int64(m) > c.maxSpool-n {
			f.Close()
			return nil, 0, http.StatusRequestEntityTooLarge
		}
		if m > 0 {
			if _, err := f.Write(buf[:m]); err != nil {
				f.Close()
				c.logf(r, "CGI: spooling the request body: %v", err)
				return nil, 0, http.StatusInternalServerError
			}
			n += int64(m)
		}
		if rerr == io.EOF {
			break
		}
		if rerr != nil {
			f.Close()
			return nil, 0, http.StatusBadRequest
		}
	}
	if _, err := f.Seek(0, io.SeekStart); err != nil {
		f.Close()
		c.logf(r, "CGI: spooling the request body: %v", err)
		return nil, 0, http.StatusInternalServerError
	}
	return f, n, 0
}

// startFailed answers a script that could not be started: 403 when it may
// not be executed (for example a directory on its path is closed to the
// user scripts run as), 502 otherwise (a missing interpreter, a file that
// is neither a binary nor a "#!" script).
func (h *handler) startFailed(w http.ResponseWriter, r *http.Request, s *script, err error) {
	h.logf(r, "CGI script %s could not be started: %v", s.name, err)
	if errors.Is(err, fs.ErrPermission) {
		http.Error(w, "CGI script is not executable ("+pyrepr.String(s.name)+")", http.StatusForbidden)
		return
	}
	badGateway(w)
}

func (h *handler) internalError(w http.ResponseWriter, r *http.Request, err error) {
	h.logf(r, "CGI: %v", err)
	http.Error(w, phrase(http.StatusInternalServerError), http.StatusInternalServerError)
}

func badGateway(w http.ResponseWriter) {
	http.Error(w, phrase(http.StatusBadGateway), http.StatusBadGateway)
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
