package testutil

import (
	"bufio"
	"bytes"
	"io"
	"net"
	"net/http"
	"testing"
	"time"
)

// Exchange sends request over a new connection to addr byte for byte (so a
// target reaches the server exactly as written, which net/http's client
// does not promise) and returns all the server sent until it closed the
// connection. The request must make the server close it: an HTTP/1.0
// request, or one with "Connection: close". The test fails when the
// connection cannot be made or the exchange takes more than 20 seconds.
func Exchange(t testing.TB, addr, request string) []byte {
	t.Helper()
	conn, err := net.DialTimeout("tcp", addr, 10*time.Second)
	if err != nil {
		t.Fatalf("testutil.Exchange: %v", err)
	}
	defer conn.Close()
	if err := conn.SetDeadline(time.Now().Add(20 * time.Second)); err != nil {
		t.Fatalf("testutil.Exchange: %v", err)
	}
	if _, err := io.WriteString(conn, request); err != nil {
		t.Fatalf("testutil.Exchange: %v", err)
	}
	raw, err := io.ReadAll(conn)
	if err != nil {
		t.Fatalf("testutil.Exchange: reading the response: %v", err)
	}
	return raw
}

// ReadResponse parses raw, an HTTP/1.x response to a request with the
// given method (as [Exchange] returns it), and returns it with its body
// read. The test fails when raw is not such a response.
func ReadResponse(t testing.TB, raw []byte, method string) (*http.Response, string) {
	t.Helper()
	res, err := http.ReadResponse(bufio.NewReader(bytes.NewReader(raw)), &http.Request{Method: method})
	if err != nil {
		t.Fatalf("testutil.ReadResponse: %v in %q", err, raw)
	}
	defer res.Body.Close()
	body, err := io.ReadAll(res.Body)
	if err != nil {
		t.Fatalf("testutil.ReadResponse: reading the body: %v", err)
	}
	return res, string(body)
}
