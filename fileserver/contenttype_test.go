package fileserver_test

import (
	"bufio"
	"bytes"
	"context"
	"encoding/json"
	"os"
	"strings"
	"testing"
	"time"
	"unicode/utf8"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/simplehttp/simplehttp/fileserver"
	"github.com/simplehttp/simplehttp/internal/oracle"
)

// contentTypeCases pins SimpleHTTPRequestHandler.guess_type: its own
// overrides first (exact, then lower-cased), then mimetypes.guess_type with
// suffix_map, the case-sensitive encodings and the lower-cased extension.
var contentTypeCases = []struct{ name, want string }{
	{"a.txt", "text/plain"},
	{"A.TXT", "text/plain"},
	{"a.Html", "text/html"},
	{"dir/a.css", "text/css"},
	{"a.js", "text/javascript"},
	{"a.json", "application/json"},
	{"a.png", "image/png"},
	{"a.svg", "image/svg+xml"},
	// The handler's overrides.
	{"a.gz", "application/gzip"},
	{"a.GZ", "application/gzip"},
	{"a.tar.gz", "application/gzip"},
	{"a.Z", "application/octet-stream"},
	{"a.tar.Z", "application/octet-stream"},
	{"a.bz2", "application/x-bzip2"},
	{"a.xz", "application/x-xz"},
	{"a.XZ", "application/x-xz"},
	// suffix_map, then the encoding is dropped.
	{"x.tgz", "application/x-tar"},
	{"x.TGZ", "application/x-tar"},
	{"x.taz", "application/x-tar"},
	{"x.tz", "application/x-tar"},
	{"x.tbz2", "application/x-tar"},
	{"x.txz", "application/x-tar"},
	{"x.svgz", "image/svg+xml"},
	// Encodings are case-sensitive; .br is not overridden.
	{"t.txt.br", "text/plain"},
	{"t.TXT.br", "text/plain"},
	{"t.txt.BR", "application/octet-stream"},
	{"t.br", "application/octet-stream"},
	{"t.tgz.br", "application/x-gtar-compressed"}, // suffix_map applies to the last extension only; .tgz is in the table
	// No extension, or none that counts.
	{".hidden", "application/octet-stream"},
	{"..hidden", "application/octet-stream"},
	{"dir.d/.bashrc", "application/octet-stream"},
	{"dir.txt/noext", "application/octet-stream"},
	{"noext", "application/octet-stream"},
	{"x.", "application/octet-stream"},
	{"x.unknownext", "application/octet-stream"},
	{"", "application/octet-stream"},
	{"a..txt", "text/plain"},
	{".a.txt", "text/plain"},
	// Python's str.lower, not Go's simple mapping.
	{"x.\u212Aml", "application/vnd.google-earth.kml+xml"}, // KELVIN SIGN lowers to k in both
	{"x.\u0130", "application/octet-stream"},               // İ lowers to "i̇" in Python
}

func TestContentType(t *testing.T) {
	for _, tt := range contentTypeCases {
		t.Run(tt.name, func(t *testing.T) {
			assert.Equal(t, tt.want, fileserver.ContentType(tt.name))
		})
	}
}

// guessTypeScript runs http.server's own guess_type with mimetypes' table
// replaced by the embedded one (so the answer depends on the algorithm, not
// on the host's /etc/mime.types), for each JSON name on stdin.
const guessTypeScript = `
import json, sys, mimetypes, http.server
db = mimetypes.MimeTypes(filenames=())
table = db.types_map[True]
table.clear()
for line in open(sys.argv[1], encoding="utf-8"):
    if line.startswith("#") or not line.strip():
        continue
    ext, typ, _ = line.rstrip("\n").split("\t")
    table[ext] = typ
db.types_map_inv[True].clear()
mimetypes._db = db
mimetypes.inited = True
h = http.server.SimpleHTTPRequestHandler
names = json.load(sys.stdin)
json.dump([h.guess_type(h, "/srv/www/" + n) for n in names], sys.stdout)
`

// TestContentTypeMatchesPython asks Python 3.12's http.server for the type
// of every extension of the table, in both cases, with every encoding and
// suffix, and the fixed cases above.
func TestContentTypeMatchesPython(t *testing.T) {
	oracle.Require(t)
	names := pythonComparisonNames(t)
	in, err := json.Marshal(names)
	require.NoError(t, err)

	ctx, cancel := context.WithTimeout(context.Background(), 60*time.Second)
	defer cancel()
	cmd := oracle.Command(ctx, "-c", guessTypeScript, "python-mimetypes.tsv")
	cmd.Stdin = bytes.NewReader(in)
	var stderr bytes.Buffer
	cmd.Stderr = &stderr
	out, err := cmd.Output()
	require.NoError(t, err, stderr.String())
	var want []string
	require.NoError(t, json.Unmarshal(out, &want))
	require.Len(t, want, len(names))

	mismatches := 0
	for i, name := range names {
		if got := fileserver.ContentType(name); got != want[i] {
			mismatches++
			if mismatches <= 20 {
				t.Errorf("ContentType(%q) = %q, Python says %q", name, got, want[i])
			}
		}
	}
	t.Logf("compared %d names with Python, %d differ", len(names), mismatches)
}

// TestEmbeddedTableMatchesShared checks that the embedded table is the
// shared copy (when the shared directory is present).
func TestEmbeddedTableMatchesShared(t *testing.T) {
	shared, err := os.ReadFile("../../shared/python-mimetypes.tsv")
	if err != nil {
		t.Skipf("shared table not available: %v", err)
	}
	ours, err := os.ReadFile("python-mimetypes.tsv")
	require.NoError(t, err)
	assert.Equal(t, string(shared), string(ours))
}

func pythonComparisonNames(t *testing.T) []string {
	t.Helper()
	f, err := os.Open("python-mimetypes.tsv")
	require.NoError(t, err)
	defer f.Close()
	var exts []string
	sc := bufio.NewScanner(f)
	for sc.Scan() {
		line := sc.Text()
		if line == "" || line[0] == '#' {
			continue
		}
		ext, _, _ := strings.Cut(line, "\t")
		exts = append(exts, ext)
	}
	require.NoError(t, sc.Err())
	exts = append(exts, ".tgz", ".taz", ".tz", ".tbz2", ".txz", ".svgz", ".Z", ".z", ".br", ".BR", ".unknown", ".", "")

	var names []string
	for _, tt := range contentTypeCases {
		names = append(names, tt.name)
	}
	for _, seed := range fuzzContentTypeSeeds {
		if utf8.ValidString(seed) && !strings.ContainsRune(seed, 0) {
			names = append(names, seed)
		}
	}
	suffixes := []string{"", ".gz", ".Z", ".bz2", ".xz", ".br", ".GZ", ".Br", ".tgz"}
	for _, ext := range exts {
		for _, e := range []string{ext, strings.ToUpper(ext), strings.ToUpper(ext[:min(len(ext), 2)]) + ext[min(len(ext), 2):]} {
			for _, s := range suffixes {
				names = append(names, "f"+e+s)
			}
		}
	}
	return names
}
