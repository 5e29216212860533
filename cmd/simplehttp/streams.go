package main

import (
	"io"
	"net/http"
	"time"

	"github.com/felixge/httpsnoop"
)

// streamChunk is the most an HTTP/2 response write sends under one
// deadline.
const streamChunk = 32 << 10

// streamDeadlines bounds each HTTP/2 response by its client's progress, as
// the listener bounds HTTP/1 connections: a client that stops reading one
// stream (granting it no more flow-control window) while its connection
// stays busy never blocks a write on the connection, so each write of
// the response is sent in pieces of at most 32 KiB, each given timeout to
// go out; when one does not, net/http resets the stream and the handler's
// write fails. HTTP/1 requests, and all of them when timeout is 0, pass
// through unwrapped. The wrapper keeps the writer's optional interfaces
// (httpsnoop); HTTP/2 has no sendfile to lose.
func streamDeadlines(timeout time.Duration, next http.Handler) http.Handler {
	if timeout == 0 {
		return next
	}
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		if r.ProtoMajor != 2 {
			next.ServeHTTP(w, r)
			return
		}
		rc := http.NewResponseController(w)
		bounded := func(write func([]byte) (int, error)) func([]byte) (int, error) {
			return func(p []byte) (int, error) {
				done := 0
				for done < len(p) {
					// An error means the writer takes no deadline; the
					// write then goes unbounded, as before.
					_ = rc.SetWriteDeadline(time.Now().Add(timeout))
					n, err := write(p[done:min(len(p), done+streamChunk)])
					done += n
					if err != nil {
						return done, err
					}
				}
				return done, nil
			}
		}
		next.ServeHTTP(httpsnoop.Wrap(w, httpsnoop.Hooks{
			Write: func(next httpsnoop.WriteFunc) httpsnoop.WriteFunc { return bounded(next) },
			WriteString: func(next httpsnoop.WriteStringFunc) httpsnoop.WriteStringFunc {
				write := bounded(func(p []byte) (int, error) { return next(string(p)) })
				return func(s string) (int, error) { return write([]byte(s)) }
			},
			ReadFrom: func(httpsnoop.ReadFromFunc) httpsnoop.ReadFromFunc {
				write := bounded(w.Write)
				return func(src io.Reader) (int64, error) {
					return io.CopyBuffer(writerFunc(write), src, make([]byte, streamChunk))
				}
			},
		}), r)
	})
}

// writerFunc is a function as an io.Writer.
type writerFunc func([]byte) (int, error)

func (f writerFunc) Write(p []byte) (int, error) { return f(p) }
