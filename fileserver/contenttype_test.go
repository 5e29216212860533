package fileserver_test

import (
	"bytes"
	"context"
	"encoding/json"
	"fmt"
	"maps"
	"os"
	"slices"
	"strings"
	"testing"
	"time"
	"unicode/utf8"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/simplehttp/simplehttp/fileserver"
	"github.com/simplehttp/simplehttp/internal/needs"
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
// replaced by the embedded one, for each JSON name on stdin: it checks the
// algorithm (overrides, suffixes, encodings, case) on any host, whatever
// its /etc/mime.types; TestContentTypeTableIsPythons checks the table.
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

// TestGuessTypeMatchesPython asks Python 3.12's http.server for the type
// of every extension of the table, in both cases, with every encoding and
// suffix, and the fixed cases above.
func TestGuessTypeMatchesPython(t *testing.T) {
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

// pythonTableScript reports, from Python 3.12's own mimetypes as
// http.server uses it (mimetypes.init() with its default files, no table
// of ours), the files it read, its built-in table, and the type
// http.server's guess_type gives "x"+ext for every extension of the full
// table, each as JSON.
const pythonTableScript = `
import json, os, sys, mimetypes, http.server
mimetypes.init()
h = http.server.SimpleHTTPRequestHandler
def matchable(table):
    return {k: v for k, v in table.items() if k == k.lower() and k.count(".") == 1}
full = matchable(mimetypes.types_map)
json.dump({
    "read": [f for f in mimetypes.knownfiles if os.path.isfile(f)],
    "builtin": matchable(mimetypes.MimeTypes(filenames=()).types_map[True]),
    "table": full,
    "served": {ext: h.guess_type(h, "/srv/www/x" + ext) for ext in full},
}, sys.stdout)
`

// TestContentTypeTableIsPythons compares the embedded table with Python
// 3.12's own mimetypes, nothing of ours loaded into it: the rows marked
// "python" with its built-in table, and, where Python reads the
// file the other rows come from (Debian's /etc/mime.types), the whole
// table both ways and the type http.server serves for each extension. A
// wrong, missing or extra entry fails it.
func TestContentTypeTableIsPythons(t *testing.T) {
	oracle.Require(t)
	ctx, cancel := context.WithTimeout(context.Background(), 60*time.Second)
	defer cancel()
	cmd := oracle.Command(ctx, "-c", pythonTableScript)
	var stderr bytes.Buffer
	cmd.Stderr = &stderr
	out, err := cmd.Output()
	require.NoError(t, err, stderr.String())
	var py struct {
		Read    []string
		Builtin map[string]string
		Table   map[string]string
		Served  map[string]string
	}
	require.NoError(t, json.Unmarshal(out, &py))

	ours, bySource := embeddedTable(t)
	t.Run("built in", func(t *testing.T) {
		// A "python" row is Python's built-in entry; every built-in
		// extension is in the table (as a "system" row where
		// /etc/mime.types gives it another type).
		require.NotEmpty(t, py.Builtin)
		for ext, typ := range bySource["python"] {
			assert.Equal(t, py.Builtin[ext], typ, "built-in type of %s", ext)
		}
		for ext := range py.Builtin {
			assert.Contains(t, ours, ext, "built-in extension missing")
		}
	})
	t.Run("with /etc/mime.types", func(t *testing.T) {
		if len(py.Read) != 1 || py.Read[0] != "/etc/mime.types" {
			// Counted, so that the test command's summary shows it.
			needs.Skip(t, "python3.12", false, fmt.Sprintf("Python reads %q here, not just /etc/mime.types, which the table's system rows come from", py.Read))
		}
		diffTables(t, py.Table, ours)
		mismatches := 0
		for ext, want := range py.Served {
			if got := fileserver.ContentType("x" + ext); got != want {
				mismatches++
				if mismatches <= 20 {
					t.Errorf("ContentType(%q) = %q, Python serves %q", "x"+ext, got, want)
				}
			}
		}
		t.Logf("compared %d extensions with Python's own mimetypes, %d differ", len(py.Served), mismatches)
	})
}

// diffTables reports each extension whose type differs between Python's
// table and ours, or that only one of them has (the first 20).
func diffTables(t *testing.T, python, ours map[string]string) {
	t.Helper()
	var diffs []string
	for ext, want := range python {
		if got, ok := ours[ext]; !ok {
			diffs = append(diffs, fmt.Sprintf("%s: missing (Python: %s)", ext, want))
		} else if got != want {
			diffs = append(diffs, fmt.Sprintf("%s: %s (Python: %s)", ext, got, want))
		}
	}
	for ext, got := range ours {
		if _, ok := python[ext]; !ok {
			diffs = append(diffs, fmt.Sprintf("%s: %s, not in Python's table", ext, got))
		}
	}
	slices.Sort(diffs)
	if len(diffs) > 0 {
		t.Errorf("%d entries differ from Python's, the first: %s", len(diffs), strings.Join(diffs[:min(len(diffs), 20)], "; "))
	}
}

// embeddedTable reads the embedded table: extension → type, all rows and
// by source ("python", "system").
func embeddedTable(t *testing.T) (map[string]string, map[string]map[string]string) {
	t.Helper()
	data, err := os.ReadFile("python-mimetypes.tsv")
	require.NoError(t, err)
	all := map[string]string{}
	bySource := map[string]map[string]string{}
	for line := range strings.Lines(string(data)) {
		line = strings.TrimRight(line, "\n")
		if line == "" || line[0] == '#' {
			continue
		}
		f := strings.Split(line, "\t")
		require.Len(t, f, 3, "row %q", line)
		all[f[0]] = f[1]
		if bySource[f[2]] == nil {
			bySource[f[2]] = map[string]string{}
		}
		bySource[f[2]][f[0]] = f[1]
	}
	return all, bySource
}

func pythonComparisonNames(t *testing.T) []string {
	t.Helper()
	table, _ := embeddedTable(t)
	exts := slices.Sorted(maps.Keys(table))
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
