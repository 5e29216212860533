// Package connguard bounds what clients can hold of a server through its
// connections, for cmd/simplehttp.
//
// [NewListener] wraps a net.Listener. It keeps at most a fixed number of
// connections open at once: beyond that, Accept waits until one closes,
// and new clients wait in the kernel's listen queue. When accepting fails
// for lack of resources (no file descriptor left, EMFILE), it waits and
// tries again, logging the condition at most once per interval, and never
// hands the error to the server.
//
// Every connection it returns cuts off a client that stops reading what
// the server sends, or reads it at a trickle: see [Config.SendTimeout] and
// [Config.MinSendRate]. It implements io.ReaderFrom the way *net.TCPConn
// does, so net/http still sends files with sendfile(2).
//
//	l, err := net.Listen("tcp", ":8000")
//	...
//	srv.Serve(connguard.NewListener(l, connguard.Config{
//		MaxConns:    500,
//		SendTimeout: 60 * time.Second,
//		MinSendRate: 1024,
//		Logf:        log.Printf,
//	}))
package connguard
