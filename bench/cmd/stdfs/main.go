// Command stdfs serves a directory with nothing but net/http's
// [http.FileServer]: the reference point bench/run measures Python's
// http.server and simplehttp against. It writes no access log.
//
//	stdfs [-b ADDRESS] [-d DIRECTORY] [-keep-alive=false] [-cgi DIR] [port]
//
// The arguments mirror simplehttp's: port 0 picks a free port, and the
// first line on standard output is the same "Serving HTTP on HOST port N
// (URL) ..." banner, so a script can read the port from it. With
// -keep-alive=false every connection carries one request, as Python's
// HTTP/1.0 server does. With -cgi, each file of DIR also runs at
// /cgi-bin/NAME through net/http/cgi (the CGI reference of bench/run).
// SIGINT or SIGTERM stops it.
package main

import (
	"context"
	"errors"
	"flag"
	"fmt"
	"io"
	"net"
	"net/http"
	"net/http/cgi"
	"os"
	"os/signal"
	"path/filepath"
	"strconv"
	"syscall"
	"time"
)

func main() {
	ctx, stop := signal.NotifyContext(context.Background(), os.Interrupt, syscall.SIGTERM)
	defer stop()
	if err := run(ctx, os.Args[1:], os.Stdout, os.Stderr); err != nil {
		fmt.Fprintln(os.Stderr, "stdfs:", err)
		os.Exit(1)
	}
}

// run parses args and serves until ctx is done.
func run(ctx context.Context, args []string, stdout, stderr io.Writer) error {
	flags := flag.NewFlagSet("stdfs", flag.ContinueOnError)
	flags.SetOutput(stderr)
	bind := flags.String("b", "", "bind to this `address` (default: all interfaces)")
	dir := flags.String("d", ".", "serve this `directory`")
	keepAlive := flags.Bool("keep-alive", true, "keep connections open between requests")
	cgiDir := flags.String("cgi", "", "also run every executable in this `directory` with net/http/cgi, at /cgi-bin/NAME")
	if err := flags.Parse(args); err != nil {
		return err
	}
	port := 8000
	switch flags.NArg() {
	case 0:
	case 1:
		p, err := strconv.Atoi(flags.Arg(0))
		if err != nil || p < 0 || p > 65535 {
			return fmt.Errorf("invalid port %q", flags.Arg(0))
		}
		port = p
	default:
		return fmt.Errorf("unexpected arguments %q", flags.Args()[1:])
	}

	l, err := net.Listen("tcp", net.JoinHostPort(*bind, strconv.Itoa(port)))
	if err != nil {
		return err
	}
	mux := http.NewServeMux()
	mux.Handle("/", http.FileServer(http.Dir(*dir)))
	if *cgiDir != "" {
		entries, err := os.ReadDir(*cgiDir)
		if err != nil {
			return err
		}
		for _, e := range entries {
			if e.Type().IsRegular() {
				name := "/cgi-bin/" + e.Name()
				mux.Handle(name, &cgi.Handler{Path: filepath.Join(*cgiDir, e.Name()), Root: name})
			}
		}
	}
	srv := &http.Server{
		Handler:           mux,
		ReadHeaderTimeout: 10 * time.Second,
	}
	srv.SetKeepAlivesEnabled(*keepAlive)
	addr := l.Addr().(*net.TCPAddr)
	fmt.Fprintf(stdout, "Serving HTTP on %s port %d (http://%s/) ...\n", addr.IP, addr.Port, addr)

	go func() {
		<-ctx.Done()
		srv.Close()
	}()
	if err := srv.Serve(l); !errors.Is(err, http.ErrServerClosed) {
		return err
	}
	return nil
}
