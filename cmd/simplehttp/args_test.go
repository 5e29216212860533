package main

import (
	"bytes"
	"context"
	"encoding/json"
	"net/http"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/simplehttp/simplehttp/internal/oracle"
)

// argCases pins how the command line is read. Unless pythonDiffers is set,
// each case is also checked against Python 3.12's argparse reading the same
// arguments with our options declared too; with python312, against it
// reading them with only the options of Python 3.12's http.server
// (TestParseArgsMatchesArgparse).
var argCases = []struct {
	name          string
	args          []string
	want          config // compared when err is empty
	err           string // the message after "simplehttp: error: "
	pythonDiffers bool   // we refuse what Python accepts
	python312     bool   // read as Python 3.12's own command line reads it
}{
	{name: "defaults", args: nil, want: config{port: 8000, protocol: http10}},
	{name: "port", args: []string{"9000"}, want: config{port: 9000, protocol: http10}},
	{name: "port before options", args: []string{"9000", "--bind", "127.0.0.1"}, want: config{port: 9000, bind: "127.0.0.1", protocol: http10}},
	{name: "port between options", args: []string{"--cgi", "9000", "-b", "::1"}, want: config{port: 9000, bind: "::1", cgi: true, protocol: http10}},
	{name: "long with equals", args: []string{"--bind=127.0.0.1", "--directory=/srv", "--protocol=HTTP/1.1"}, want: config{port: 8000, bind: "127.0.0.1", directory: "/srv", protocol: http11}},
	{name: "short attached", args: []string{"-b127.0.0.1", "-d/srv", "-pHTTP/1.1"}, want: config{port: 8000, bind: "127.0.0.1", directory: "/srv", protocol: http11}},
	{name: "short with equals", args: []string{"-b=::", "1234"}, want: config{port: 1234, bind: "::", protocol: http10}},
	// pythonDiffers: the mirror, which has --cgi-max-body too, finds "--cg" ambiguous; Python 3.12 reads it as --cgi.
	{name: "abbreviated long", args: []string{"--bi", "::", "--dir", "x", "--prot", "HTTP/1.1", "--cg"}, pythonDiffers: true, python312: true, want: config{port: 8000, bind: "::", directory: "x", protocol: http11, cgi: true}},
	{name: "abbreviated long, cgi in full", args: []string{"--bi", "::", "--dir", "x", "--prot", "HTTP/1.1", "--cgi"}, want: config{port: 8000, bind: "::", directory: "x", protocol: http11, cgi: true}},
	{name: "abbreviated with equals", args: []string{"--b=0.0.0.0"}, want: config{port: 8000, bind: "0.0.0.0", protocol: http10}},
	{name: "empty value with equals", args: []string{"--bind=", "80"}, want: config{port: 80, protocol: http10}},
	{name: "last option wins", args: []string{"-b", "1.2.3.4", "-b", "5.6.7.8"}, want: config{port: 8000, bind: "5.6.7.8", protocol: http10}},
	{name: "double dash then port", args: []string{"--cgi", "--", "8080"}, want: config{port: 8080, cgi: true, protocol: http10}},
	{name: "value that looks like a negative number", args: []string{"-b", "-1", "8001"}, want: config{port: 8001, bind: "-1", protocol: http10}},
	{name: "value with a space", args: []string{"-d", "-my dir"}, want: config{port: 8000, directory: "-my dir", protocol: http10}},
	{name: "int with spaces sign and underscores", args: []string{" +8_0 "}, want: config{port: 80, protocol: http10}},
	{name: "leading zeros", args: []string{"0080"}, want: config{port: 80, protocol: http10}},
	{name: "port zero picks a free port", args: []string{"0"}, want: config{port: 0, protocol: http10}},
	{name: "highest port", args: []string{"65535"}, want: config{port: 65535, protocol: http10}},
	{name: "rich listing", args: []string{"--rich-listing", "9000"}, want: config{port: 9000, protocol: http10, richListing: true}},
	{name: "rich listing abbreviated", args: []string{"--ri"}, want: config{port: 8000, protocol: http10, richListing: true}},
	{name: "cgi timeout", args: []string{"--cgi", "--script-timeout", "30"}, want: config{port: 8000, protocol: http10, cgi: true, cgiTimeout: 30 * time.Second}},
	{name: "cgi timeout fraction", args: []string{"--cgi", "--script-timeout=1.5"}, want: config{port: 8000, protocol: http10, cgi: true, cgiTimeout: 1500 * time.Millisecond}},
	{name: "cgi timeout without cgi", args: []string{"--script-timeout=1.5"}, err: "--script-timeout requires --cgi to be set"},
	{name: "cgi timeout zero without cgi", args: []string{"--script-timeout", "0"}, want: config{port: 8000, protocol: http10}},
	{name: "hide dotfiles", args: []string{"--hide-dotfiles"}, want: config{port: 8000, protocol: http10, hideDotfiles: true}},
	{name: "cgi timeout not a number", args: []string{"--script-timeout", "soon"}, err: "argument --script-timeout: invalid float value: 'soon'"},
	{name: "cgi timeout negative", args: []string{"--script-timeout", "-1"}, pythonDiffers: true, err: "argument --script-timeout: '-1' is not a number of seconds from 0 (no limit) to 604800"},
	{name: "send timeout", args: []string{"--send-timeout", "0.3"}, pythonDiffers: true, want: config{port: 8000, protocol: http10, sendTimeout: ptr(300 * time.Millisecond)}},
	{name: "send timeout off", args: []string{"--send-timeout=0"}, pythonDiffers: true, want: config{port: 8000, protocol: http10, sendTimeout: ptr(time.Duration(0))}},
	{name: "send timeout not a number", args: []string{"--send-timeout", "soon"}, err: "argument --send-timeout: invalid float value: 'soon'"},
	{name: "send timeout negative", args: []string{"--send-timeout", "-1"}, pythonDiffers: true, err: "argument --send-timeout: '-1' is not a number of seconds from 0 (never) to 604800"},
	{name: "min send rate", args: []string{"--min-send-rate", "4096"}, pythonDiffers: true, want: config{port: 8000, protocol: http10, minSendRate: ptr(int64(4096))}},
	{name: "min send rate off", args: []string{"--min-send-rate", "0"}, pythonDiffers: true, want: config{port: 8000, protocol: http10, minSendRate: ptr(int64(0))}},
	{name: "min send rate not a number", args: []string{"--min-send-rate", "fast"}, err: "argument --min-send-rate: invalid int value: 'fast'"},
	{name: "min send rate negative", args: []string{"--min-send-rate", "-5"}, pythonDiffers: true, err: "argument --min-send-rate: '-5' is not a number of bytes per second from 0 (no minimum) to 1099511627776"},
	{name: "max connections", args: []string{"--max-connections", "100"}, pythonDiffers: true, want: config{port: 8000, protocol: http10, maxConns: 100}},
	{name: "max connections not a number", args: []string{"--max-connections", "many"}, err: "argument --max-connections: invalid int value: 'many'"},
	{name: "max connections zero", args: []string{"--max-connections", "0"}, pythonDiffers: true, err: "argument --max-connections: '0' is not a number of connections from 1 to 16777216"},
	{name: "ambiguous m", args: []string{"--m", "1"}, err: "ambiguous option: --m could match --min-send-rate, --max-connections"},
	{name: "cgi timeout infinite", args: []string{"--script-timeout", "inf"}, pythonDiffers: true, err: "argument --script-timeout: 'inf' is not a number of seconds from 0 (no limit) to 604800"},
	{name: "tls", args: []string{"--tls-cert", "c.pem", "--tls-key=k.pem", "8443"}, want: config{port: 8443, protocol: http10, tlsCert: "c.pem", tlsKey: "k.pem"}},
	{name: "tls cert alone", args: []string{"--tls-c", "both.pem"}, want: config{port: 8000, protocol: http10, tlsCert: "both.pem"}},
	{name: "follow symlinks", args: []string{"--follow"}, want: config{port: 8000, protocol: http10, followSymlinks: true}},
	{name: "help", args: []string{"--nope", "-h", "abc"}, want: config{port: 8000, protocol: http10, help: true}},
	{name: "help abbreviated", args: []string{"--hel"}, want: config{port: 8000, protocol: http10, help: true}},
	{name: "help then short option with value", args: []string{"-hbx"}, want: config{port: 8000, protocol: http10, help: true, bind: "x"}},

	{name: "bad int", args: []string{"abc"}, err: "argument port: invalid int value: 'abc'"},
	{name: "bad int before unknown option", args: []string{"abc", "--nope"}, err: "argument port: invalid int value: 'abc'"},
	{name: "float", args: []string{"1e3"}, err: "argument port: invalid int value: '1e3'"},
	{name: "hex", args: []string{"0x10"}, err: "argument port: invalid int value: '0x10'"},
	{name: "empty port", args: []string{""}, err: "argument port: invalid int value: ''"},
	{name: "dash alone", args: []string{"-"}, err: "argument port: invalid int value: '-'"},
	{name: "double underscore", args: []string{"8__0"}, err: "argument port: invalid int value: '8__0'"},
	{name: "quote in value", args: []string{"it's"}, err: `argument port: invalid int value: "it's"`},
	{name: "option after double dash", args: []string{"-b1", "--", "--cgi"}, err: "argument port: invalid int value: '--cgi'"},
	{name: "second double dash is a value", args: []string{"--", "--", "8000"}, err: "argument port: invalid int value: '--'"},
	{name: "unknown option", args: []string{"--nope"}, err: "unrecognized arguments: --nope"},
	{name: "unknown options", args: []string{"--nope", "8000", "-x", "--nope=3"}, err: "unrecognized arguments: --nope -x --nope=3"},
	{name: "triple dash", args: []string{"---x"}, err: "unrecognized arguments: ---x"},
	{name: "second port", args: []string{"1", "2"}, err: "unrecognized arguments: 2"},
	{name: "second port after double dash", args: []string{"--", "8000", "9000"}, err: "unrecognized arguments: 9000"},
	{name: "missing bind", args: []string{"-b"}, err: "argument -b/--bind: expected one argument"},
	{name: "missing bind long", args: []string{"--bind"}, err: "argument -b/--bind: expected one argument"},
	{name: "missing directory", args: []string{"--d"}, err: "argument -d/--directory: expected one argument"},
	{name: "missing protocol", args: []string{"-p"}, err: "argument -p/--protocol: expected one argument"},
	{name: "option as value", args: []string{"-b", "--cgi"}, err: "argument -b/--bind: expected one argument"},
	{name: "double dash as value", args: []string{"-b", "--", "x"}, err: "argument -b/--bind: expected one argument"},
	{name: "missing value beats unknown option", args: []string{"--nope", "-b"}, err: "argument -b/--bind: expected one argument"},
	{name: "bad port beats missing value", args: []string{"x", "-b"}, err: "argument port: invalid int value: 'x'"},
	{name: "flag with value", args: []string{"--cgi=1"}, err: "argument --cgi: ignored explicit argument '1'"},
	{name: "flag with empty value", args: []string{"--cgi="}, err: "argument --cgi: ignored explicit argument ''"},
	{name: "version", args: []string{"--version", "x", "--nope"}, pythonDiffers: true, want: config{port: 8000, protocol: http10, version: true}},
	{name: "version abbreviated", args: []string{"--vers"}, pythonDiffers: true, want: config{port: 8000, protocol: http10, version: true}},
	{name: "help with value", args: []string{"--help=1"}, err: "argument -h/--help: ignored explicit argument '1'"},
	{name: "short flags chained into a missing value", args: []string{"-hb"}, err: "argument -b/--bind: expected one argument"},
	{name: "short flag with unknown letter", args: []string{"-hx"}, err: "argument -h/--help: ignored explicit argument 'x'"},
	{name: "unknown short option", args: []string{"-x"}, err: "unrecognized arguments: -x"},
	{name: "unknown short chain", args: []string{"-ch"}, err: "unrecognized arguments: -ch"},
	{name: "ambiguous", args: []string{"--tls", "x"}, err: "ambiguous option: --tls could match --tls-cert, --tls-key, --tls-password-file"},
	{name: "ambiguous is reported first", args: []string{"abc", "--t=1"}, err: "ambiguous option: --t=1 could match --tls-cert, --tls-key, --tls-password-file"},
	{name: "ambiguous empty long", args: []string{"--=1"}, err: "ambiguous option: --=1 could match --help, --version, --cgi, --bind, --directory, --protocol, --tls-cert, --tls-key, --follow-symlinks, --rich-listing, --hide-dotfiles, --script-timeout, --cgi-max-body, --header, --compress, --tls-password-file, --content-type, --precompressed, --spa, --error-page, --send-timeout, --min-send-rate, --max-connections, --no-cache"},
	// Python 3.12's own abbreviations keep their meaning beside our
	// options (the mirror, which has ours too, finds them ambiguous;
	// python312 checks them against Python 3.12's options alone).
	{name: "he is help, as in Python 3.12", args: []string{"--he"}, pythonDiffers: true, python312: true, want: config{port: 8000, protocol: http10, help: true}},
	{name: "h is help, as in Python 3.12", args: []string{"--h"}, pythonDiffers: true, python312: true, want: config{port: 8000, protocol: http10, help: true}},
	{name: "c is cgi, as in Python 3.12", args: []string{"--c"}, pythonDiffers: true, python312: true, want: config{port: 8000, protocol: http10, cgi: true}},
	{name: "cg is cgi, as in Python 3.12", args: []string{"--cg", "80"}, pythonDiffers: true, python312: true, want: config{port: 80, protocol: http10, cgi: true}},
	{name: "p is protocol, as in Python 3.12", args: []string{"--p", "HTTP/1.1"}, pythonDiffers: true, python312: true, want: config{port: 8000, protocol: http11}},
	{name: "pr is protocol, as in Python 3.12", args: []string{"--pr=HTTP/1.1", "9"}, pythonDiffers: true, python312: true, want: config{port: 9, protocol: http11}},
	// --version is ours: Python 3.12 has no such option, so "--v" is
	// unrecognized there and the version here; no abbreviation of Python's
	// options starts with v.
	{name: "v is version", args: []string{"--v"}, pythonDiffers: true, want: config{port: 8000, protocol: http10, version: true}},
	{name: "co is ambiguous", args: []string{"--co"}, err: "ambiguous option: --co could match --compress, --content-type"},
	{name: "cgi max body", args: []string{"--cgi", "--cgi-max-body", "2G"}, want: config{port: 8000, protocol: http10, cgi: true, cgiMaxBody: 2 << 30}},
	{name: "cgi max body in bytes", args: []string{"--cgi", "--cgi-max-body=65536"}, want: config{port: 8000, protocol: http10, cgi: true, cgiMaxBody: 65536}},
	{name: "cgi max body abbreviated", args: []string{"--cgi", "--cgi-m", "10k"}, want: config{port: 8000, protocol: http10, cgi: true, cgiMaxBody: 10 << 10}},
	{name: "cgi max body without cgi", args: []string{"--cgi-max-body", "1M"}, err: "--cgi-max-body requires --cgi to be set"},
	{name: "cgi max body zero", args: []string{"--cgi", "--cgi-max-body", "0"}, pythonDiffers: true,
		err: "argument --cgi-max-body: '0' is not a size from 1 to 1099511627776 bytes (a number of bytes, or with K, M or G)"},
	{name: "cgi max body not a size", args: []string{"--cgi", "--cgi-max-body", "lots"}, pythonDiffers: true,
		err: "argument --cgi-max-body: 'lots' is not a size from 1 to 1099511627776 bytes (a number of bytes, or with K, M or G)"},
	{name: "cgi max body too large", args: []string{"--cgi", "--cgi-max-body", "1025G"}, pythonDiffers: true,
		err: "argument --cgi-max-body: '1025G' is not a size from 1 to 1099511627776 bytes (a number of bytes, or with K, M or G)"},
	{name: "header", args: []string{"-H", "X-A", "1", "--header", "x-a", "2", "-H", "Access-Control-Allow-Origin", "*"},
		want: config{port: 8000, protocol: http10, headers: http.Header{"X-A": {"1", "2"}, "Access-Control-Allow-Origin": {"*"}}}},
	{name: "header abbreviated with a value like an option's", args: []string{"--hea", "X-A", "-1", "80"},
		want: config{port: 80, protocol: http10, headers: http.Header{"X-A": {"-1"}}}},
	{name: "header missing value", args: []string{"-H", "X-A"}, err: "argument -H/--header: expected 2 arguments"},
	{name: "header value is an option", args: []string{"-H", "X-A", "--cgi"}, err: "argument -H/--header: expected 2 arguments"},
	{name: "header attached", args: []string{"-HX-A", "1"}, err: "argument -H/--header: expected 2 arguments"},
	{name: "header with equals", args: []string{"--header=X-A", "1"}, err: "argument -H/--header: expected 2 arguments"},
	{name: "compress", args: []string{"--compress"}, want: config{port: 8000, protocol: http10, compress: true}},
	{name: "tls password", args: []string{"--tls-cert", "c.pem", "--tls-password-file", "pw"}, want: config{port: 8000, protocol: http10, tlsCert: "c.pem", tlsPassword: "pw"}},
	{name: "content type", args: []string{"--content-type", "text/plain; charset=utf-8"}, want: config{port: 8000, protocol: http10, contentType: "text/plain; charset=utf-8"}},
	{name: "no cache", args: []string{"--no-c"}, want: config{port: 8000, protocol: http10, noCache: true}},
	{name: "precompressed and spa", args: []string{"--pre", "--spa"}, want: config{port: 8000, protocol: http10, precompressed: true, spa: true}},
	{name: "tls password without cert", args: []string{"--tls-password-file", "pw"}, err: "--tls-password-file requires --tls-cert to be set"},
	{name: "key without cert", args: []string{"--tls-key", "k.pem"}, err: "--tls-key requires --tls-cert to be set"},

	// Python accepts these and fails later (or worse); we refuse them here.
	{name: "port too big", args: []string{"70000"}, err: "argument port: 70000 is not a TCP port (choose from 1 to 65535, or 0 for any free port)", pythonDiffers: true},
	{name: "port far too big", args: []string{"99999999999999999999999"}, err: "argument port: 99999999999999999999999 is not a TCP port (choose from 1 to 65535, or 0 for any free port)", pythonDiffers: true},
	{name: "negative port", args: []string{"-1"}, err: "argument port: -1 is not a TCP port (choose from 1 to 65535, or 0 for any free port)", pythonDiffers: true},
	{name: "unknown protocol", args: []string{"-p", "HTTP/2"}, err: "argument -p/--protocol: invalid choice: 'HTTP/2' (choose from 'HTTP/1.0', 'HTTP/1.1')", pythonDiffers: true},
	{name: "header name invalid", args: []string{"-H", "X A", "1"}, err: `argument -H/--header: invalid header name "X A"`, pythonDiffers: true},
	{name: "header value with a newline", args: []string{"-H", "X-A", "1\r\nX-B: 2"}, err: `argument -H/--header: invalid value for X-A: control character '\r'`, pythonDiffers: true},
	{name: "header that frames the body", args: []string{"-H", "Content-Length", "0"}, err: "argument -H/--header: Content-Length cannot be set: it describes the body or the connection", pythonDiffers: true},
	{name: "content type invalid", args: []string{"--content-type", "text"}, err: "argument --content-type: invalid media type: 'text'", pythonDiffers: true},
	{name: "lower-case protocol", args: []string{"--protocol=http/1.1"}, err: "argument -p/--protocol: invalid choice: 'http/1.1' (choose from 'HTTP/1.0', 'HTTP/1.1')", pythonDiffers: true},
}

func TestParseArgs(t *testing.T) {
	for _, tc := range argCases {
		t.Run(tc.name, func(t *testing.T) {
			got, err := parseArgs(tc.args)
			if tc.err != "" {
				require.Error(t, err)
				assert.IsType(t, usageError(""), err)
				assert.Equal(t, tc.err, err.Error())
				return
			}
			require.NoError(t, err)
			assert.Equal(t, tc.want, got)
		})
	}
}

// TestRunUsageErrors pins argparse's output for a bad command line: the
// usage line and "prog: error: ..." on stderr, nothing on stdout, exit 2.
func TestRunUsageErrors(t *testing.T) {
	for _, tc := range argCases {
		if tc.err == "" {
			continue
		}
		t.Run(tc.name, func(t *testing.T) {
			var stdout, stderr bytes.Buffer
			code := run(tc.args, &stdout, &stderr, nil)
			assert.Equal(t, 2, code)
			assert.Empty(t, stdout.String())
			assert.Equal(t, usage+"simplehttp: error: "+tc.err+"\n", stderr.String())
		})
	}
}

// TestRunHelp pins -h: the help on stdout, exit 0, nothing else done.
func TestRunHelp(t *testing.T) {
	for _, args := range [][]string{{"-h"}, {"--help"}, {"8000", "--hel"}} {
		t.Run(strings.Join(args, " "), func(t *testing.T) {
			var stdout, stderr bytes.Buffer
			assert.Equal(t, 0, run(args, &stdout, &stderr, nil))
			assert.Equal(t, help, stdout.String())
			assert.Empty(t, stderr.String())
		})
	}
}

// TestRunVersion pins --version on the built binary: "simplehttp" and the
// module version from the build info on stdout, exit 0, nothing served.
func TestRunVersion(t *testing.T) {
	out, err := exec.Command(binary(t), "--version", "8000").Output()
	require.NoError(t, err, "exit status 0")
	// A build in a checkout has no module version: "(devel)", then the
	// commit when git recorded it.
	assert.Regexp(t, `^simplehttp (v\d+\.\d+\.\d+\S*|\(devel\)( [0-9a-f]{40}(\+dirty)?)?)\n$`, string(out))

	var stdout, stderr bytes.Buffer
	assert.Equal(t, 0, run([]string{"--vers"}, &stdout, &stderr, nil))
	assert.Equal(t, "simplehttp "+version()+"\n", stdout.String())
	assert.Empty(t, stderr.String())
}

// argparseMirror builds, with Python's own argparse, the parser of
// `python3.12 -m http.server` (the same add_argument calls), plus, when
// "ours" is set, our own options, declared as Python 3.14 declares
// --tls-cert and --tls-key, and prints how it reads each argument vector
// ("argv") given on stdin as JSON.
const argparseMirror = `
import argparse, contextlib, io, json, sys
def size(v):
    n = int(v[:-1]) << {'k': 10, 'm': 20, 'g': 30}[v[-1].lower()] if v[-1:].lower() in 'kmg' and v[-1:] else int(v)
    if not 1 <= n <= 1 << 40:
        raise ValueError(v)
    return n
def parse(argv, ours):
    p = argparse.ArgumentParser(prog='simplehttp',
        usage='simplehttp [-h] [--cgi] [-b ADDRESS] [-d DIRECTORY] [-p VERSION] [port]')
    if ours:
        p.add_argument('--version', action='store_true')
    p.add_argument('--cgi', action='store_true')
    p.add_argument('-b', '--bind', metavar='ADDRESS')
    p.add_argument('-d', '--directory')
    p.add_argument('-p', '--protocol', metavar='VERSION', default='HTTP/1.0')
    if ours:
        add_ours(p)
    p.add_argument('port', default=8000, type=int, nargs='?')
    err, out = io.StringIO(), io.StringIO()
    try:
        with contextlib.redirect_stderr(err), contextlib.redirect_stdout(out):
            a = p.parse_args(argv)
            if ours:
                check_ours(p, a)
    except SystemExit as e:
        return {'code': e.code, 'stderr': err.getvalue(), 'help': out.getvalue() != ''}
    g = lambda name, default: getattr(a, name, None) or default
    return {'code': None, 'port': a.port, 'bind': a.bind or '', 'directory': a.directory or '',
            'protocol': a.protocol, 'cgi': a.cgi, 'tlsCert': g('tls_cert', ''),
            'tlsKey': g('tls_key', ''), 'followSymlinks': g('follow_symlinks', False),
            'richListing': g('rich_listing', False), 'hideDotfiles': g('hide_dotfiles', False),
            'cgiTimeout': g('script_timeout', 0), 'headers': g('header', []), 'compress': g('compress', False),
            'tlsPassword': g('tls_password_file', ''), 'contentType': g('content_type', ''),
            'precompressed': g('precompressed', False), 'spa': g('spa', False),
            'cgiMaxBody': g('cgi_max_body', 0), 'noCache': g('no_cache', False)}
def add_ours(p):
    p.add_argument('--tls-cert', metavar='PATH')
    p.add_argument('--tls-key', metavar='PATH')
    p.add_argument('--follow-symlinks', action='store_true')
    p.add_argument('--rich-listing', action='store_true')
    p.add_argument('--hide-dotfiles', action='store_true')
    p.add_argument('--script-timeout', metavar='SECONDS', type=float, default=0)
    p.add_argument('--cgi-max-body', metavar='SIZE', type=size)
    p.add_argument('-H', '--header', nargs=2, action='append', metavar=('HEADER', 'VALUE'))
    p.add_argument('--compress', action='store_true')
    p.add_argument('--tls-password-file', metavar='PATH')
    p.add_argument('--content-type', metavar='TYPE')
    p.add_argument('--precompressed', action='store_true')
    p.add_argument('--spa', action='store_true')
    p.add_argument('--error-page', metavar='CODE=FILE', action='append')
    p.add_argument('--send-timeout', metavar='SECONDS', type=float)
    p.add_argument('--min-send-rate', metavar='BYTES', type=int)
    p.add_argument('--max-connections', metavar='N', type=int)
    p.add_argument('--no-cache', action='store_true')
def check_ours(p, a):
    if a.tls_password_file and not a.tls_cert:
        p.error('--tls-password-file requires --tls-cert to be set')
    if a.tls_key and not a.tls_cert:
        p.error('--tls-key requires --tls-cert to be set')
    if a.script_timeout and not a.cgi:
        p.error('--script-timeout requires --cgi to be set')
    if a.cgi_max_body and not a.cgi:
        p.error('--cgi-max-body requires --cgi to be set')
print(json.dumps([parse(v['argv'], v['ours']) for v in json.load(sys.stdin)]))
`

// TestParseArgsMatchesArgparse pins that the command line is read as
// Python 3.12's argparse reads `python -m http.server`'s: the same values,
// or the same error text and exit status 2.
func TestParseArgsMatchesArgparse(t *testing.T) {
	oracle.Require(t)
	type vector struct {
		Argv []string `json:"argv"`
		Ours bool     `json:"ours"` // our options declared too
	}
	var vectors []vector
	for _, tc := range argCases {
		if !tc.pythonDiffers || tc.python312 {
			vectors = append(vectors, vector{Argv: append([]string{}, tc.args...), Ours: !tc.python312})
		}
	}
	in, err := json.Marshal(vectors)
	require.NoError(t, err)
	ctx, cancel := context.WithTimeout(context.Background(), 30*time.Second)
	defer cancel()
	cmd := oracle.Command(ctx, "-c", argparseMirror)
	cmd.Stdin = bytes.NewReader(in)
	out, err := cmd.Output()
	require.NoError(t, err)
	var results []struct {
		Code           *int
		Stderr         string
		Help           bool
		Port           int
		Bind           string
		Directory      string
		Protocol       string
		CGI            bool `json:"cgi"`
		TLSCert        string
		TLSKey         string
		FollowSymlinks bool
		RichListing    bool
		HideDotfiles   bool
		CGITimeout     float64 `json:"cgiTimeout"`
		Headers        [][2]string
		Compress       bool
		TLSPassword    string
		ContentType    string
		Precompressed  bool
		SPA            bool  `json:"spa"`
		CGIMaxBody     int64 `json:"cgiMaxBody"`
		NoCache        bool  `json:"noCache"`
	}
	require.NoError(t, json.Unmarshal(out, &results))
	require.Len(t, results, len(vectors))

	i := 0
	for _, tc := range argCases {
		if tc.pythonDiffers && !tc.python312 {
			continue
		}
		py := results[i]
		i++
		t.Run(tc.name, func(t *testing.T) {
			got, err := parseArgs(tc.args)
			switch {
			case py.Help:
				require.NoError(t, err)
				assert.True(t, got.help, "Python prints the help")
			case py.Code != nil:
				require.Error(t, err, "Python says %q", py.Stderr)
				assert.Equal(t, 2, *py.Code)
				assert.Equal(t, py.Stderr, usage+"simplehttp: error: "+err.Error()+"\n")
			default:
				require.NoError(t, err)
				var headers http.Header
				for _, h := range py.Headers {
					if headers == nil {
						headers = http.Header{}
					}
					headers.Add(h[0], h[1])
				}
				assert.Equal(t, config{
					headers: headers, compress: py.Compress, tlsPassword: py.TLSPassword,
					contentType: py.ContentType, precompressed: py.Precompressed, spa: py.SPA,
					port: py.Port, bind: py.Bind, directory: py.Directory, protocol: py.Protocol,
					cgi: py.CGI, tlsCert: py.TLSCert, tlsKey: py.TLSKey, followSymlinks: py.FollowSymlinks,
					richListing: py.RichListing, hideDotfiles: py.HideDotfiles, cgiTimeout: time.Duration(py.CGITimeout * float64(time.Second)),
					cgiMaxBody: py.CGIMaxBody, noCache: py.NoCache,
				}, got)
			}
		})
	}
}

// TestHelpMatchesPython pins that -h prints Python's help, word for word up
// to our own options, which follow in a group of their own.
func TestHelpMatchesPython(t *testing.T) {
	oracle.Require(t)
	ctx, cancel := context.WithTimeout(context.Background(), 30*time.Second)
	defer cancel()
	cmd := oracle.Command(ctx, "-m", "http.server", "-h")
	cmd.Env = append(cmd.Env, "COLUMNS=80")
	out, err := cmd.Output()
	require.NoError(t, err)
	python := strings.Replace(string(out), "usage: server.py", "usage: simplehttp", 1)
	ours, extra, ok := strings.Cut(help, "\nbeyond Python's http.server:\n")
	require.True(t, ok)
	assert.Equal(t, python, ours)
	assert.Contains(t, extra, "--tls-cert PATH")
}

// TestErrorPageArgs pins --error-page CODE=FILE: repeatable, the file read
// at start-up with its content type, and a bad CODE or an unreadable FILE a
// usage error in argparse's shape (exit 2, nothing served).
func TestErrorPageArgs(t *testing.T) {
	dir := t.TempDir()
	notFound := filepath.Join(dir, "404.html")
	require.NoError(t, os.WriteFile(notFound, []byte("<h1>gone</h1>\n"), 0o644))
	denied := filepath.Join(dir, "403.txt")
	require.NoError(t, os.WriteFile(denied, []byte("no\n"), 0o644))

	cfg, err := parseArgs([]string{"--error-page", "404=" + notFound, "--error-p=403=" + denied, "9000"})
	require.NoError(t, err)
	assert.Equal(t, []errorPage{
		{code: 404, body: []byte("<h1>gone</h1>\n"), contentType: "text/html"},
		{code: 403, body: []byte("no\n"), contentType: "text/plain"},
	}, cfg.errorPages)

	missing := filepath.Join(dir, "missing.html")
	for _, tc := range []struct {
		args []string
		err  string
	}{
		{[]string{"--error-page", "404"}, "argument --error-page: invalid CODE=FILE value: '404'"},
		{[]string{"--error-page", "x=" + notFound}, "argument --error-page: invalid CODE=FILE value: 'x=" + notFound + "'"},
		{[]string{"--error-page", "404="}, "argument --error-page: invalid CODE=FILE value: '404='"},
		{[]string{"--error-page", "+404=" + notFound}, "argument --error-page: invalid CODE=FILE value: '+404=" + notFound + "'"},
		{[]string{"--error-page", "200=" + notFound}, "argument --error-page: 200 is not an error status (choose from 400 to 599)"},
		{[]string{"--error-page", "600=" + notFound}, "argument --error-page: 600 is not an error status (choose from 400 to 599)"},
		{[]string{"--error-page", "404=" + missing}, "argument --error-page: can't open '" + missing + "': no such file or directory"},
		{[]string{"--error-page", "404=" + dir}, "argument --error-page: can't open '" + dir + "': is a directory"},
		{[]string{"--error-page"}, "argument --error-page: expected one argument"},
	} {
		t.Run(strings.Join(tc.args, " "), func(t *testing.T) {
			var stdout, stderr bytes.Buffer
			assert.Equal(t, 2, run(tc.args, &stdout, &stderr, nil))
			assert.Empty(t, stdout.String())
			assert.Equal(t, usage+"simplehttp: error: "+tc.err+"\n", stderr.String())
		})
	}
}

func FuzzParseArgs(f *testing.F) {
	for _, tc := range argCases {
		f.Add(strings.Join(tc.args, "\x00"))
	}
	f.Fuzz(func(t *testing.T, joined string) {
		args := strings.Split(joined, "\x00")
		cfg, err := parseArgs(args)
		if err != nil {
			if _, ok := err.(usageError); !ok {
				t.Fatalf("parseArgs(%q) = %T %v, want a usageError", args, err, err)
			}
			return
		}
		if cfg.port < 0 || cfg.port > 65535 {
			t.Fatalf("parseArgs(%q) port %d", args, cfg.port)
		}
		if cfg.protocol != http10 && cfg.protocol != http11 {
			t.Fatalf("parseArgs(%q) protocol %q", args, cfg.protocol)
		}
	})
}

func BenchmarkParseArgs(b *testing.B) {
	args := []string{"9000", "--bind=127.0.0.1", "-d", "/srv", "-pHTTP/1.1", "--cgi"}
	b.ReportAllocs()
	for b.Loop() {
		if _, err := parseArgs(args); err != nil {
			b.Fatal(err)
		}
	}
}

func ptr[T any](v T) *T { return &v }
