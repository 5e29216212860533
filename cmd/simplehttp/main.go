// Command simplehttp serves a directory over HTTP the way
// `python -m http.server` does, with the same command line:
//
//	simplehttp [-h] [--cgi] [-b ADDRESS] [-d DIRECTORY] [-p VERSION] [port]
//
// It serves the current directory on port 8000 of every interface (IPv4 and
// IPv6), speaking HTTP/1.0 (one request per connection) unless
// -p HTTP/1.1 is given. Beyond Python it can serve HTTPS, HTTP/2 included
// (--tls-cert, --tls-key), it cuts off clients that are slow to send their
// request headers, that sit idle, or that stop reading their responses
// (--send-timeout, --min-send-rate), it serves at most as many connections
// at once as its descriptors allow (--max-connections), and on Ctrl-C or
// SIGTERM it lets the requests in flight finish before it exits. Run `simplehttp -h` for the
// options.
package main

import (
	"io"
	"os"
	"os/signal"
	"syscall"
)

func main() {
	interrupt := make(chan os.Signal, 2)
	signal.Notify(interrupt, os.Interrupt, syscall.SIGTERM)
	os.Exit(run(os.Args[1:], os.Stdout, os.Stderr, interrupt))
}

// run is the whole command: it parses args, serves until a value arrives on
// interrupt, and returns the exit status. A second value on interrupt stops
// waiting for the requests in flight.
func run(args []string, stdout, stderr io.Writer, interrupt <-chan os.Signal) int {
	c := command{
		stdout:    stdout,
		stderr:    stderr,
		interrupt: interrupt,
		timeouts:  defaultTimeouts,
	}
	return c.run(args)
}
