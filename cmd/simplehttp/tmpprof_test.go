package main

import (
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"testing"
)

func TestTmpProfile(t *testing.T) {
	dir := t.TempDir()
	os.WriteFile(filepath.Join(dir, "100k.bin"), []byte(strings.Repeat("y", 100<<10)), 0o644)
	os.WriteFile(filepath.Join(dir, "1k.bin"), []byte(strings.Repeat("y", 1<<10)), 0o644)
	logf, _ := os.Create(filepath.Join(dir, "access.log"))
	s := startServer(t, []string{"-p", "HTTP/1.1", "--cgi", "-b", "127.0.0.1", "-d", dir, "0"}, func(c *command) { c.stderr = logf })
	out, err := exec.Command("wrk", "-t1", "-c32", "-d6s", s.url()+"/"+os.Getenv("TMPFILE")).CombinedOutput()
	t.Logf("%s %v", out, err)
}
