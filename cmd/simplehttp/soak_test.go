package main

import (
	"bytes"
	"fmt"
	"io"
	"net/http"
	"os"
	"path/filepath"
	"runtime"
	"runtime/debug"
	"strconv"
	"strings"
	"sync"
	"sync/atomic"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

// soakEnv sets TestSoak's number of requests: a few thousand by default,
// SIMPLEHTTP_SOAK=1000000 for the long run whose figures are in README.
const soakEnv = "SIMPLEHTTP_SOAK"

// soakRequest is one kind of request of the mix and what must come back.
type soakRequest struct {
	name   string
	weight int
	method string
	path   string
	header map[string]string
	status int
	body   func() []byte // the exact body expected
}

// footprint is what the soak reads of the process at a quiet moment.
type footprint struct {
	goroutines, fds int
	rssKiB          int64
}

func (u footprint) String() string {
	return fmt.Sprintf("%d goroutines, %d fds, RSS %d KiB", u.goroutines, u.fds, u.rssKiB)
}

// measure waits until the server holds no connection, collects garbage,
// returns freed memory to the system, then reads goroutines, descriptors
// and the resident set of this process (server and client both).
func measure(t *testing.T, cmd *command, client *http.Client) footprint {
	t.Helper()
	client.CloseIdleConnections()
	deadline := time.Now().Add(10 * time.Second)
	for cmd.conns.Open() > 0 || cmd.inflight.Load() > 0 {
		require.True(t, time.Now().Before(deadline), "connections still open: %d", cmd.conns.Open())
		time.Sleep(10 * time.Millisecond)
	}
	runtime.GC()
	debug.FreeOSMemory()
	status, err := os.ReadFile("/proc/self/status")
	require.NoError(t, err)
	var rss int64
	for line := range strings.Lines(string(status)) {
		if v, ok := strings.CutPrefix(line, "VmRSS:"); ok {
			rss, err = strconv.ParseInt(strings.Fields(v)[0], 10, 64)
			require.NoError(t, err)
		}
	}
	return footprint{goroutines: runtime.NumGoroutine(), fds: openFDs(t), rssKiB: rss}
}

// logTally is the command's stderr during the soak: it keeps no line (a
// million would grow the heap it measures), only counts them and keeps
// the first that shows a failure.
type logTally struct {
	mu    sync.Mutex
	lines int
	bad   []string
}

func (l *logTally) Write(p []byte) (int, error) {
	l.mu.Lock()
	defer l.mu.Unlock()
	for line := range strings.Lines(string(p)) {
		l.lines++
		if !strings.Contains(line, `" 200 `) && !strings.Contains(line, `" 206 `) &&
			!strings.Contains(line, `" 304 `) && !strings.Contains(line, `" 404 `) &&
			!strings.Contains(line, "code 404, message File not found") && len(l.bad) < 5 {
			l.bad = append(l.bad, line)
		}
	}
	return len(p), nil
}

// TestSoak sends a mix of requests (files small and large, ranges,
// listings, 404s, CGI, conditional requests, HEAD) over keep-alive
// connections on loopback, checks every status and body, and compares
// goroutines, descriptors and RSS after the warm-up (a fifth of the run)
// with the end: within 10%. SIMPLEHTTP_SOAK sets the number of requests.
func TestSoak(t *testing.T) {
	total := 2000
	if v := os.Getenv(soakEnv); v != "" {
		n, err := strconv.Atoi(v)
		require.NoError(t, err, soakEnv)
		total = n
	} else if testing.Short() {
		total = 500
	}
	small := []byte("a small file\n")
	large := randomFile(256 << 10)
	dir := cgiFixture(t)
	require.NoError(t, os.WriteFile(filepath.Join(dir, "small.txt"), small, 0o644))
	require.NoError(t, os.WriteFile(filepath.Join(dir, "large.bin"), large, 0o644))
	require.NoError(t, os.MkdirAll(filepath.Join(dir, "list"), 0o755))
	for i := range 50 {
		require.NoError(t, os.WriteFile(filepath.Join(dir, "list", fmt.Sprintf("entry-%02d.txt", i)), nil, 0o644))
	}
	script := "#!/bin/sh\nprintf 'Content-Type: text/plain\\n\\n'\nprintf 'query=%s\\n' \"$QUERY_STRING\"\n"
	require.NoError(t, os.WriteFile(filepath.Join(dir, "cgi-bin", "q.sh"), []byte(script), 0o755))

	var cmd *command
	tally := &logTally{}
	s := startServer(t, []string{"--cgi", "-b", "127.0.0.1", "-p", "HTTP/1.1", "-d", dir, "0"}, func(c *command) {
		cmd = c
		c.stderr = tally
	})
	const workers = 8
	client := &http.Client{Transport: &http.Transport{MaxIdleConnsPerHost: workers, DisableCompression: true}}
	defer client.CloseIdleConnections()

	// The reference listing and validators, fetched once.
	fetch := func(path string) *http.Response {
		resp, err := client.Get(s.url() + path)
		require.NoError(t, err)
		return resp
	}
	resp := fetch("/list/")
	listing, err := io.ReadAll(resp.Body)
	resp.Body.Close()
	require.NoError(t, err)
	require.Equal(t, http.StatusOK, resp.StatusCode)
	require.Contains(t, string(listing), `<a href="entry-49.txt">entry-49.txt</a>`)
	resp = fetch("/large.bin")
	resp.Body.Close()
	lastModified := resp.Header.Get("Last-Modified")
	require.NotEmpty(t, lastModified)
	etag := resp.Header.Get("Etag")

	bodyOf := func(b []byte) func() []byte { return func() []byte { return b } }
	notFound := func() []byte { return nil } // checked by status; the page is Python's
	mix := []soakRequest{
		{"small", 4, "GET", "/small.txt", nil, 200, bodyOf(small)},
		{"large", 3, "GET", "/large.bin", nil, 200, bodyOf(large)},
		{"range", 2, "GET", "/large.bin", map[string]string{"Range": "bytes=1000-70999"}, 206, bodyOf(large[1000:71000])},
		{"suffix range", 1, "GET", "/large.bin", map[string]string{"Range": "bytes=-513"}, 206, bodyOf(large[len(large)-513:])},
		{"listing", 2, "GET", "/list/", nil, 200, bodyOf(listing)},
		{"404", 1, "GET", "/missing.txt", nil, 404, notFound},
		{"cgi", 1, "GET", "/cgi-bin/q.sh?x=1", nil, 200, bodyOf([]byte("query=x=1\n"))},
		{"if-modified-since", 2, "GET", "/large.bin", map[string]string{"If-Modified-Since": lastModified}, 304, bodyOf(nil)},
		{"head", 1, "HEAD", "/large.bin", nil, 200, bodyOf(nil)},
	}
	if etag != "" {
		mix = append(mix, soakRequest{"if-none-match", 2, "GET", "/large.bin", map[string]string{"If-None-Match": etag}, 304, bodyOf(nil)})
	}
	var plan []int
	for i, r := range mix {
		for range r.weight {
			plan = append(plan, i)
		}
	}

	var errs, notFounds atomic.Int64
	var firstErrs sync.Map
	run := func(n int) time.Duration {
		start := time.Now()
		var next atomic.Int64
		var wg sync.WaitGroup
		for range workers {
			wg.Go(func() {
				for {
					i := next.Add(1) - 1
					if i >= int64(n) {
						return
					}
					r := mix[plan[i%int64(len(plan))]]
					if r.status == http.StatusNotFound {
						notFounds.Add(1) // Python logs a 404 twice
					}
					if err := soakOnce(client, s.url(), r); err != nil {
						errs.Add(1)
						firstErrs.LoadOrStore(r.name, err.Error())
					}
				}
			})
		}
		wg.Wait()
		return time.Since(start)
	}

	warmup := max(total/5, 200)
	run(warmup)
	warm := measure(t, cmd, client)
	// The rest in tenths, each followed by a reading, so that a long run
	// shows how the footprint moves (and how far it got, if stopped).
	var took time.Duration
	var end footprint
	for i := range 10 {
		took += run((total-warmup)*(i+1)/10 - (total-warmup)*i/10)
		end = measure(t, cmd, client)
		if total >= 100000 {
			t.Logf("%d requests, %d errors: %v", warmup+(total-warmup)*(i+1)/10, errs.Load(), end)
		}
	}
	t.Logf("%d requests (%d after warm-up) in %v, %.0f req/s; after warm-up: %v; at the end: %v; %d log lines",
		total, total-warmup, took.Round(time.Millisecond), float64(total-warmup)/took.Seconds(), warm, end, tally.lines)

	firstErrs.Range(func(k, v any) bool {
		t.Errorf("%s: %s", k, v)
		return true
	})
	assert.Zero(t, errs.Load(), "failed requests")
	tally.mu.Lock()
	assert.Empty(t, tally.bad, "unexpected log lines")
	assert.Equal(t, int64(total+2)+notFounds.Load(), int64(tally.lines), "one log line per request, two per 404")
	tally.mu.Unlock()
	within := func(name string, before, after int64) {
		assert.LessOrEqual(t, float64(after), float64(before)*1.1, "%s grew by more than 10%%: %d, then %d", name, before, after)
	}
	within("goroutines", int64(warm.goroutines), int64(end.goroutines))
	within("descriptors", int64(warm.fds), int64(end.fds))
	within("RSS", warm.rssKiB, end.rssKiB)
}

// soakOnce sends r and checks what comes back.
func soakOnce(client *http.Client, base string, r soakRequest) error {
	req, err := http.NewRequest(r.method, base+r.path, nil)
	if err != nil {
		return err
	}
	for k, v := range r.header {
		req.Header.Set(k, v)
	}
	resp, err := client.Do(req)
	if err != nil {
		return err
	}
	defer resp.Body.Close()
	body, err := io.ReadAll(resp.Body)
	if err != nil {
		return err
	}
	if resp.StatusCode != r.status {
		return fmt.Errorf("status %d, want %d", resp.StatusCode, r.status)
	}
	if r.status == http.StatusNotFound {
		if !bytes.Contains(body, []byte("<p>Message: File not found.</p>")) {
			return fmt.Errorf("404 page %q", body)
		}
		return nil
	}
	if want := r.body(); !bytes.Equal(body, want) {
		return fmt.Errorf("body of %d bytes differs from the %d expected", len(body), len(want))
	}
	return nil
}
