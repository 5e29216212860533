package simplehttp_test

import (
	"io"
	"math/rand/v2"
	"net/http"
	"net/http/httptest"
	"os"
	"path/filepath"
	"runtime"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/stretchr/testify/require"

	"github.com/simplehttp/simplehttp/cgi"
	"github.com/simplehttp/simplehttp/compress"
	"github.com/simplehttp/simplehttp/conditional"
	"github.com/simplehttp/simplehttp/dirlist"
	"github.com/simplehttp/simplehttp/dotfiles"
	"github.com/simplehttp/simplehttp/errorpage"
	"github.com/simplehttp/simplehttp/fileserver"
	"github.com/simplehttp/simplehttp/headers"
	"github.com/simplehttp/simplehttp/logging"
)

// The toolkit's contract (README, "The contract"): every package is correct
// used alone, and any subset of the packages, stacked in any order in front
// of fileserver.New, answers every request with the status code the same
// subset gives in the documented order. Pages and log lines may differ by
// order; status codes never do.

// A layer is one package of the toolkit as a middleware.
type layer struct {
	name string
	mw   func(http.Handler) http.Handler
}

// contractRequest is one request of the contract, with the status the full
// stack in the documented order must give (a sanity check on the baseline).
type contractRequest struct {
	name   string
	method string
	target string
	header map[string]string
	cgi    bool // runs a script: checked on a sample of the stacks only
	// cgiRoute: a request for a CGI directory itself, which cgi claims
	// only when it sees the request before a listing does (README, "The
	// contract": cgi goes in front of dirlist).
	cgiRoute bool
	// dotRoute: a request for a dot-directory, which dotfiles guards only
	// when it sees the request before a listing does.
	dotRoute bool
}

func (c contractRequest) do(h http.Handler) int {
	var body io.Reader
	if c.method == http.MethodPost {
		body = strings.NewReader("x=1")
	}
	r := httptest.NewRequest(c.method, c.target, body)
	r.RemoteAddr = "127.0.0.1:1234"
	for k, v := range c.header {
		r.Header.Set(k, v)
	}
	rec := httptest.NewRecorder()
	h.ServeHTTP(rec, r)
	return rec.Code
}

func contractFixture(t *testing.T) (dir string, modtime time.Time) {
	t.Helper()
	dir = t.TempDir()
	// Scripts run as nobody when the tests run as root: t.TempDir's
	// parent is private.
	require.NoError(t, os.Chmod(filepath.Dir(dir), 0o755))
	require.NoError(t, os.Chmod(dir, 0o755))
	modtime = time.Date(2023, 11, 14, 22, 13, 20, 0, time.UTC)
	files := map[string]string{
		"a.txt":              "hello, world\n",
		"site/index.html":    "<p>index</p>\n",
		"dir/b.txt":          "b\n",
		"cgi-bin/hello.sh":   "#!/bin/sh\nprintf 'Content-Type: text/plain\\n\\nhello\\n'\n",
		"cgi-bin/status.sh":  "#!/bin/sh\nprintf 'Status: 418 Teapot\\nContent-Type: text/plain\\n\\nshort and stout\\n'\n",
		"cgi-bin/sub/x.txt":  "not a script\n",
		"htbin/readme.txt":   "plain\n",
		"dir/sub/index.htm":  "<p>htm</p>\n",
		"site/sub/page.html": "<p>page</p>\n",
	}
	for name, content := range files {
		p := filepath.Join(dir, filepath.FromSlash(name))
		require.NoError(t, os.MkdirAll(filepath.Dir(p), 0o755))
		mode := os.FileMode(0o644)
		if strings.HasSuffix(name, ".sh") {
			mode = 0o755
		}
		require.NoError(t, os.WriteFile(p, []byte(content), mode))
		require.NoError(t, os.Chtimes(p, modtime, modtime))
	}
	return dir, modtime
}

func contractRequests(modtime time.Time) []contractRequest {
	later := modtime.Add(time.Hour).Format(http.TimeFormat)
	earlier := modtime.Add(-time.Hour).Format(http.TimeFormat)
	return []contractRequest{
		{name: "file", method: "GET", target: "/a.txt"},
		{name: "file HEAD", method: "HEAD", target: "/a.txt"},
		{name: "missing", method: "GET", target: "/missing.txt"},
		{name: "file with slash", method: "GET", target: "/a.txt/"},
		{name: "dir without slash", method: "GET", target: "/dir?q=1"},
		{name: "index", method: "GET", target: "/site/"},
		{name: "index.htm", method: "GET", target: "/dir/sub/"},
		{name: "listing", method: "GET", target: "/dir/"},
		{name: "listing HEAD", method: "HEAD", target: "/dir/"},
		{name: "dotdot", method: "GET", target: "/../a.txt"},
		{name: "PUT", method: "PUT", target: "/a.txt"},
		{name: "DELETE dir", method: "DELETE", target: "/dir/"},
		{name: "POST file", method: "POST", target: "/a.txt"},
		{name: "IMS later", method: "GET", target: "/a.txt", header: map[string]string{"If-Modified-Since": later}},
		{name: "IMS earlier", method: "GET", target: "/a.txt", header: map[string]string{"If-Modified-Since": earlier}},
		{name: "IMS same second", method: "HEAD", target: "/a.txt", header: map[string]string{"If-Modified-Since": modtime.Format(http.TimeFormat)}},
		{name: "IMS non-zero zone ignored", method: "GET", target: "/a.txt", header: map[string]string{"If-Modified-Since": "Tue, 14 Nov 2023 23:13:20 +0100"}},
		{name: "IMS on index", method: "GET", target: "/site/", header: map[string]string{"If-Modified-Since": later}},
		{name: "IMS on listing", method: "GET", target: "/dir/", header: map[string]string{"If-Modified-Since": later}},
		{name: "INM star on listing", method: "GET", target: "/dir/", header: map[string]string{"If-None-Match": "*"}},
		{name: "If-Match other on listing", method: "GET", target: "/dir/", header: map[string]string{"If-Match": `"x"`}},
		{name: "If-Match star on listing", method: "HEAD", target: "/dir/", header: map[string]string{"If-Match": "*"}},
		{name: "INM star", method: "GET", target: "/a.txt", header: map[string]string{"If-None-Match": "*"}},
		{name: "INM other", method: "GET", target: "/a.txt", header: map[string]string{"If-None-Match": `"nope"`}},
		{name: "INM star on missing", method: "GET", target: "/missing.txt", header: map[string]string{"If-None-Match": "*"}},
		{name: "If-Match other", method: "GET", target: "/a.txt", header: map[string]string{"If-Match": `"nope"`}},
		{name: "If-Match star", method: "GET", target: "/a.txt", header: map[string]string{"If-Match": "*"}},
		{name: "IUS earlier", method: "GET", target: "/a.txt", header: map[string]string{"If-Unmodified-Since": earlier}},
		{name: "IUS later", method: "GET", target: "/a.txt", header: map[string]string{"If-Unmodified-Since": later}},
		{name: "range", method: "GET", target: "/a.txt", header: map[string]string{"Range": "bytes=0-4"}},
		{name: "multi range", method: "GET", target: "/a.txt", header: map[string]string{"Range": "bytes=0-1,3-4"}},
		{name: "range unsatisfiable", method: "GET", target: "/a.txt", header: map[string]string{"Range": "bytes=100-200"}},
		{name: "range unsatisfiable, IMS later", method: "GET", target: "/a.txt", header: map[string]string{"Range": "bytes=100-200", "If-Modified-Since": later}},
		{name: "range unsatisfiable, If-Match other", method: "GET", target: "/a.txt", header: map[string]string{"Range": "bytes=100-200", "If-Match": `"nope"`}},
		{name: "range, If-Range date", method: "GET", target: "/a.txt", header: map[string]string{"Range": "bytes=0-4", "If-Range": modtime.Format(http.TimeFormat)}},
		{name: "range, If-Range other tag", method: "GET", target: "/a.txt", header: map[string]string{"Range": "bytes=0-4", "If-Range": `"nope"`}},
		{name: "range other unit", method: "GET", target: "/a.txt", header: map[string]string{"Range": "items=0-4"}},
		{name: "cgi dir listing", method: "GET", target: "/htbin/", cgiRoute: true},
		{name: "cgi script", method: "GET", target: "/cgi-bin/hello.sh?a=1", cgi: true},
		{name: "cgi script status", method: "GET", target: "/cgi-bin/status.sh", cgi: true},
		{name: "cgi POST", method: "POST", target: "/cgi-bin/hello.sh", cgi: true},
		{name: "cgi missing", method: "GET", target: "/cgi-bin/nope.sh", cgi: true},
		{name: "cgi not executable", method: "GET", target: "/htbin/readme.txt", cgi: true},
		{name: "cgi script IMS", method: "GET", target: "/cgi-bin/hello.sh", header: map[string]string{"If-Modified-Since": later}, cgi: true},
	}
}

// contractLayers returns the packages in the documented order, outermost
// first.
func contractLayers(t *testing.T, dir string) []layer {
	t.Helper()
	root, err := os.OpenRoot(dir)
	require.NoError(t, err)
	t.Cleanup(func() { root.Close() })
	fsys := root.FS()
	layers := []layer{
		{"errorpage", errorpage.New()},
		{"logging", logging.New(io.Discard)},
	}
	if runtime.GOOS == "linux" {
		runScripts, err := cgi.New(root, cgi.WithLogf(func(*http.Request, string, ...any) {}))
		require.NoError(t, err)
		layers = append(layers, layer{"cgi", runScripts})
	}
	return append(layers,
		layer{"conditional", conditional.New()},
		layer{"index", fileserver.Index(fsys)},
		layer{"dirlist", dirlist.New(fsys)},
	)
}

func stackOf(layers []layer, terminal http.Handler) http.Handler {
	h := terminal
	for i := len(layers) - 1; i >= 0; i-- {
		h = layers[i].mw(h)
	}
	return h
}

func names(layers []layer) string {
	var s []string
	for _, l := range layers {
		s = append(s, l.name)
	}
	return strings.Join(s, "→")
}

// listsBeforeCGI reports whether dirlist sees requests before cgi.
func listsBeforeCGI(order []layer) bool {
	for _, l := range order {
		switch l.name {
		case "dirlist":
			return true
		case "cgi":
			return false
		}
	}
	return false
}

// permutations calls f with every ordering of layers.
func permutations(layers []layer, f func([]layer)) {
	var rec func(k int)
	rec = func(k int) {
		if k == len(layers) {
			f(layers)
			return
		}
		for i := k; i < len(layers); i++ {
			layers[k], layers[i] = layers[i], layers[k]
			rec(k + 1)
			layers[k], layers[i] = layers[i], layers[k]
		}
	}
	rec(0)
}

// TestContractAnyOrder stacks every subset of the packages in every order
// in front of fileserver.New and checks each request's status against the
// same subset in the documented order. Requests that run a CGI script are
// checked on every subset in the documented order and its reverse only, to
// keep the number of processes small.
func TestContractAnyOrder(t *testing.T) {
	dir, modtime := contractFixture(t)
	root, err := os.OpenRoot(dir)
	require.NoError(t, err)
	defer root.Close()
	files := fileserver.New(root.FS())
	all := contractLayers(t, dir)
	requests := contractRequests(modtime)

	stacks, failures := 0, 0
	byRequest := map[string]int{}
	for mask := 0; mask < 1<<len(all); mask++ {
		var subset []layer
		for i, l := range all {
			if mask&(1<<i) != 0 {
				subset = append(subset, l)
			}
		}
		documented := stackOf(subset, files)
		want := make([]int, len(requests))
		for i, req := range requests {
			want[i] = req.do(documented)
		}
		reversed := slices.Clone(subset)
		slices.Reverse(reversed)
		permutations(slices.Clone(subset), func(order []layer) {
			stacks++
			h := stackOf(order, files)
			sampled := names(order) == names(reversed)
			for i, req := range requests {
				if req.cgi && !sampled || req.cgiRoute && listsBeforeCGI(order) {
					continue
				}
				if got := req.do(h); got != want[i] {
					failures++
					byRequest[req.name]++
					if failures <= 40 {
						t.Errorf("%s: %s %s %v: status %d, documented order (%s) gives %d",
							names(order), req.method, req.target, req.header, got, names(subset), want[i])
					}
				}
			}
		})
	}
	if failures > 40 {
		t.Errorf("... %d failures in all: %v", failures, byRequest)
	}
	t.Logf("%d stacks, %d requests each", stacks, len(requests))
}

// TestContractDocumentedOrder pins the statuses of the whole stack in the
// documented order, and of fileserver.New alone: the baseline the
// any-order test compares with must itself be right.
func TestContractDocumentedOrder(t *testing.T) {
	dir, modtime := contractFixture(t)
	root, err := os.OpenRoot(dir)
	require.NoError(t, err)
	defer root.Close()
	files := fileserver.New(root.FS())
	all := contractLayers(t, dir)
	full := stackOf(all, files)

	want := map[string][2]int{ // name: {full stack, fileserver.New alone}
		"file":                                {200, 200},
		"file HEAD":                           {200, 200},
		"missing":                             {404, 404},
		"file with slash":                     {404, 404},
		"dir without slash":                   {301, 301},
		"index":                               {200, 200},
		"index.htm":                           {200, 200},
		"listing":                             {200, 404},
		"listing HEAD":                        {200, 404},
		"dotdot":                              {404, 200}, // too many ".." with CGI on (README)
		"PUT":                                 {501, 501},
		"DELETE dir":                          {501, 501},
		"POST file":                           {501, 501},
		"IMS later":                           {304, 304},
		"IMS earlier":                         {200, 200},
		"IMS same second":                     {304, 304},
		"IMS non-zero zone ignored":           {200, 200},
		"IMS on index":                        {304, 304},
		"INM star on listing":                 {304, 404},
		"If-Match other on listing":           {412, 404},
		"If-Match star on listing":            {200, 404},
		"IMS on listing":                      {200, 404},
		"INM star":                            {304, 304},
		"INM other":                           {200, 200},
		"INM star on missing":                 {404, 404},
		"If-Match other":                      {412, 412},
		"If-Match star":                       {200, 200},
		"IUS earlier":                         {412, 412},
		"IUS later":                           {200, 200},
		"range":                               {206, 206},
		"multi range":                         {206, 206},
		"range unsatisfiable":                 {416, 416},
		"range unsatisfiable, IMS later":      {304, 304},
		"range unsatisfiable, If-Match other": {412, 412},
		"range, If-Range date":                {206, 206},
		"range, If-Range other tag":           {200, 200},
		"range other unit":                    {200, 200},
		"cgi dir listing":                     {403, 404},
		"cgi script":                          {200, 200},
		"cgi script status":                   {418, 200},
		"cgi POST":                            {200, 501},
		"cgi missing":                         {404, 404},
		"cgi not executable":                  {403, 200},
		"cgi script IMS":                      {200, 304},
	}
	for _, req := range contractRequests(modtime) {
		w, ok := want[req.name]
		require.True(t, ok, req.name)
		if req.cgi && runtime.GOOS != "linux" {
			continue
		}
		t.Run(req.name, func(t *testing.T) {
			if got := req.do(full); got != w[0] {
				t.Errorf("documented stack: %s %s: status %d, want %d", req.method, req.target, got, w[0])
			}
			if got := req.do(files); got != w[1] {
				t.Errorf("fileserver.New alone: %s %s: status %d, want %d", req.method, req.target, got, w[1])
			}
		})
	}
}

// TestContractAllPackages adds the opt-in packages (headers, compress,
// dotfiles) to the six: every subset of the nine, each in the documented
// order, its reverse and two seeded random orders (all orders for three
// packages or fewer); subsets of the six alone are TestContractAnyOrder's. dotfiles, like cgi, guards the paths it claims only
// when it sees them first: its requests are compared on the orders that
// put it in front of dirlist.
func TestContractAllPackages(t *testing.T) {
	dir, modtime := contractFixture(t)
	for name, content := range map[string]string{".env": "SECRET=1\n", ".hidden/x.txt": "x\n", "big.js": strings.Repeat("var a = 1;\n", 400)} {
		p := filepath.Join(dir, filepath.FromSlash(name))
		require.NoError(t, os.MkdirAll(filepath.Dir(p), 0o755))
		require.NoError(t, os.WriteFile(p, []byte(content), 0o644))
	}
	root, err := os.OpenRoot(dir)
	require.NoError(t, err)
	defer root.Close()
	files := fileserver.New(root.FS())
	all := append([]layer{
		{"headers", headers.New(http.Header{"Access-Control-Allow-Origin": {"*"}, "X-Frame-Options": {"DENY"}})},
		{"dotfiles", dotfiles.New()},
		{"compress", compress.New()},
	}, contractLayers(t, dir)...)
	requests := append(contractRequests(modtime),
		contractRequest{name: "dotfile", method: "GET", target: "/.env"},
		contractRequest{name: "dotfile encoded", method: "GET", target: "/%2eenv"},
		contractRequest{name: "dot directory", method: "GET", target: "/.hidden/", dotRoute: true},
		contractRequest{name: "preflight", method: "OPTIONS", target: "/a.txt", header: map[string]string{"Origin": "https://x.test", "Access-Control-Request-Method": "PUT"}},
		contractRequest{name: "compressible", method: "GET", target: "/big.js", header: map[string]string{"Accept-Encoding": "gzip, br"}},
		contractRequest{name: "compressible range", method: "GET", target: "/big.js", header: map[string]string{"Accept-Encoding": "gzip", "Range": "bytes=0-9"}},
		contractRequest{name: "compressible IMS", method: "GET", target: "/big.js", header: map[string]string{"Accept-Encoding": "gzip", "If-Modified-Since": modtime.Add(time.Hour).Format(http.TimeFormat)}},
	)
	rng := rand.New(rand.NewPCG(9, 110))
	stacks, failures := 0, 0
	for mask := 0; mask < 1<<len(all); mask++ {
		if mask&0b111 == 0 {
			continue // none of the opt-in packages (the first three of all)
		}
		var subset []layer
		for _, i := range contractOrder(all) {
			if mask&(1<<i) != 0 {
				subset = append(subset, all[i])
			}
		}
		documented := stackOf(subset, files)
		want := make([]int, len(requests))
		for i, req := range requests {
			want[i] = req.do(documented)
		}
		var orders [][]layer
		if len(subset) <= 3 {
			permutations(slices.Clone(subset), func(o []layer) { orders = append(orders, slices.Clone(o)) })
		} else {
			reversed := slices.Clone(subset)
			slices.Reverse(reversed)
			orders = append(orders, reversed)
			for range 2 {
				o := slices.Clone(subset)
				rng.Shuffle(len(o), func(i, j int) { o[i], o[j] = o[j], o[i] })
				orders = append(orders, o)
			}
		}
		for _, order := range orders {
			stacks++
			h := stackOf(order, files)
			for i, req := range requests {
				if req.cgi && len(subset) > 3 || req.cgiRoute && listsBefore(order, "cgi") || req.dotRoute && listsBefore(order, "dotfiles") {
					continue
				}
				if got := req.do(h); got != want[i] {
					failures++
					if failures <= 40 {
						t.Errorf("%s: %s %s %v: status %d, documented order (%s) gives %d",
							names(order), req.method, req.target, req.header, got, names(subset), want[i])
					}
				}
			}
		}
	}
	if failures > 40 {
		t.Errorf("... %d failures in all", failures)
	}
	t.Logf("%d stacks, %d requests each", stacks, len(requests))
}

// contractOrder returns the indexes of all in the documented order:
// headers, errorpage, logging, compress, dotfiles, cgi, conditional, index,
// dirlist.
func contractOrder(all []layer) []int {
	rank := map[string]int{"headers": 0, "errorpage": 1, "logging": 2, "compress": 3, "dotfiles": 4, "cgi": 5, "conditional": 6, "index": 7, "dirlist": 8}
	idx := make([]int, len(all))
	for i := range idx {
		idx[i] = i
	}
	slices.SortFunc(idx, func(a, b int) int { return rank[all[a].name] - rank[all[b].name] })
	return idx
}

// listsBefore reports whether dirlist sees requests before the named
// layer (which must be present to matter).
func listsBefore(order []layer, name string) bool {
	for _, l := range order {
		switch l.name {
		case "dirlist":
			return true
		case name:
			return false
		}
	}
	return false
}
