package main

import (
	"bufio"
	"context"
	"io"
	"net/http"
	"os"
	"path/filepath"
	"regexp"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

// TestRun starts stdfs on a free port, reads the port from its banner and
// checks that it serves files, listings and 404s, and that
// -keep-alive=false closes every connection.
func TestRun(t *testing.T) {
	dir := t.TempDir()
	require.NoError(t, os.WriteFile(filepath.Join(dir, "a.txt"), []byte("hello\n"), 0o644))
	require.NoError(t, os.Mkdir(filepath.Join(dir, "sub"), 0o755))
	require.NoError(t, os.Mkdir(filepath.Join(dir, "cgi-bin"), 0o755))
	require.NoError(t, os.WriteFile(filepath.Join(dir, "cgi-bin", "hi.sh"),
		[]byte("#!/bin/sh\nprintf 'Content-Type: text/plain\\n\\nhi from cgi\\n'\n"), 0o755))

	for _, keepAlive := range []bool{true, false} {
		t.Run(map[bool]string{true: "keep-alive", false: "close"}[keepAlive], func(t *testing.T) {
			ctx, cancel := context.WithCancel(t.Context())
			out, banner := io.Pipe()
			done := make(chan error, 1)
			go func() {
				args := []string{"-b", "127.0.0.1", "-d", dir, "-cgi", filepath.Join(dir, "cgi-bin"), "0"}
				if !keepAlive {
					args = append([]string{"-keep-alive=false"}, args...)
				}
				done <- run(ctx, args, banner, io.Discard)
				banner.Close()
			}()
			line, err := bufio.NewReader(out).ReadString('\n')
			require.NoError(t, err)
			m := regexp.MustCompile(`^Serving HTTP on 127\.0\.0\.1 port (\d+) \((http://127\.0\.0\.1:(\d+)/)\) \.\.\.\n$`).FindStringSubmatch(line)
			require.NotNil(t, m, "banner %q", line)
			assert.Equal(t, m[1], m[3])
			go io.Copy(io.Discard, out)

			tests := []struct {
				path   string
				status int
				body   string
			}{
				{"a.txt", http.StatusOK, "hello\n"},
				{"sub/", http.StatusOK, ""},
				{"missing", http.StatusNotFound, ""},
				{"cgi-bin/hi.sh", http.StatusOK, "hi from cgi\n"}, // net/http/cgi, with -cgi
			}
			for _, tt := range tests {
				resp, err := http.Get(m[2] + tt.path)
				require.NoError(t, err)
				body, err := io.ReadAll(resp.Body)
				resp.Body.Close()
				require.NoError(t, err)
				assert.Equal(t, tt.status, resp.StatusCode, tt.path)
				assert.Equal(t, !keepAlive, resp.Close, tt.path)
				if tt.body != "" {
					assert.Equal(t, tt.body, string(body))
				}
			}

			cancel()
			assert.NoError(t, <-done)
		})
	}
}

func TestRunBadArguments(t *testing.T) {
	for _, args := range [][]string{{"x"}, {"70000"}, {"1", "2"}, {"-nope"}} {
		t.Run(args[0], func(t *testing.T) {
			assert.Error(t, run(t.Context(), args, io.Discard, io.Discard))
		})
	}
}
