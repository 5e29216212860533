package connguard_test

import (
	"fmt"
	"io"
	"net"
	"net/http"
	"time"

	"github.com/simplehttp/simplehttp/internal/connguard"
)

// A server that keeps at most 100 connections and closes clients that
// accept nothing of a response for 30 s or read it slower than 1 KiB/s.
func ExampleNewListener() {
	l, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		panic(err)
	}
	g := connguard.NewListener(l, connguard.Config{
		MaxConns:    100,
		SendTimeout: 30 * time.Second,
		MinSendRate: 1024,
	})
	srv := &http.Server{Handler: http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		io.WriteString(w, "hello\n")
	})}
	go srv.Serve(g)
	defer srv.Close()

	resp, err := http.Get("http://" + l.Addr().String() + "/")
	if err != nil {
		panic(err)
	}
	defer resp.Body.Close()
	b, _ := io.ReadAll(resp.Body)
	fmt.Print(string(b))
	// Output:
	// hello
}
