package main

import (
	"errors"
	"fmt"
	"io/fs"
	"math"
	"mime"
	"net/http"
	"os"
	"regexp"
	"strconv"
	"strings"
	"time"

	"github.com/simplehttp/simplehttp/fileserver"
	"github.com/simplehttp/simplehttp/headers"
	"github.com/simplehttp/simplehttp/internal/pyrepr"
)

// config is what the command line asks for.
type config struct {
	port           int    // 0 picks a free port
	bind           string // "" listens on every interface
	directory      string // "" serves the current directory
	protocol       string // "HTTP/1.0" or "HTTP/1.1"
	cgi            bool
	tlsCert        string
	tlsKey         string
	followSymlinks bool
	richListing    bool
	hideDotfiles   bool
	cgiTimeout     time.Duration
	cgiMaxBody     int64          // --cgi-max-body; 0: cgi.DefaultMaxSpool
	sendTimeout    *time.Duration // nil: defaultSendTimeout; 0: no send checks
	minSendRate    *int64         // bytes/s; nil: defaultMinSendRate; 0: none
	maxConns       int            // 0: derived from the descriptor limit
	headers        http.Header    // -H/--header, in the order given
	compress       bool
	tlsPassword    string // --tls-password-file
	contentType    string // --content-type; "" is application/octet-stream
	precompressed  bool
	spa            bool
	noCache        bool        // --no-cache: no cache of small files
	errorPages     []errorPage // --error-page, in the order given
	help           bool        // -h/--help: print help and exit 0
	version        bool        // --version: print the version and exit 0
}

// errorPage is one --error-page CODE=FILE: the file's bytes, read at
// start-up, and its content type.
type errorPage struct {
	code        int
	body        []byte
	contentType string
}

// Protocol versions -p/--protocol accepts.
const (
	http10 = "HTTP/1.0"
	http11 = "HTTP/1.1"
)

// usage is Python's usage line with our program name. The options that
// Python's http.server lacks are listed by -h only, so that every error
// reads exactly as Python's does.
const usage = "usage: simplehttp [-h] [--cgi] [-b ADDRESS] [-d DIRECTORY] [-p VERSION] [port]\n"

// help is what -h/--help prints, laid out as argparse lays out Python's.
const help = usage + `
positional arguments:
  port                  bind to this port (default: 8000)

options:
  -h, --help            show this help message and exit
  --cgi                 run as CGI server
  -b ADDRESS, --bind ADDRESS
                        bind to this address (default: all interfaces)
  -d DIRECTORY, --directory DIRECTORY
                        serve this directory (default: current directory)
  -p VERSION, --protocol VERSION
                        conform to this HTTP version (default: HTTP/1.0)

beyond Python's http.server:
  --tls-cert PATH       serve HTTPS (and HTTP/2) with this certificate chain
                        (PEM)
  --tls-key PATH        the certificate's private key (PEM; default: read it
                        from --tls-cert)
  --follow-symlinks     follow symbolic links that lead out of the directory
                        (Python follows every link)
  --rich-listing        list directories with sizes, dates, sorting and a
                        filter box instead of Python's plain page
  --hide-dotfiles       leave names starting with "." out of listings and
                        answer 404 for them
  --script-timeout SECONDS
                        kill a CGI script that runs longer (default: 0, no
                        limit; needs --cgi)
  --version             print the version and exit
  --cgi-max-body SIZE   refuse with 413 a chunked request body (one without
                        Content-Length) larger than SIZE for a CGI script
                        (bytes, or with K, M or G; default: 64M; needs --cgi)
  -H HEADER VALUE, --header HEADER VALUE
                        add this header to every response (repeatable)
  --compress            compress text responses with brotli, zstd or gzip
                        as the client accepts
  --tls-password-file PATH
                        read the password of an encrypted --tls-key from
                        this file
  --content-type TYPE   the type of files whose extension is unknown
                        (default: application/octet-stream)
  --precompressed       serve a.js.br, a.js.zst or a.js.gz for a.js to
                        clients that accept them
  --spa                 answer a browser's request for a missing page with
                        /index.html (single-page applications)
  --error-page CODE=FILE
                        answer status CODE (400-599) with the file FILE
                        instead of Python's error page (repeatable)
  --send-timeout SECONDS
                        close a connection whose client accepts nothing of a
                        response for this long (default: 60; 0: never)
  --min-send-rate BYTES
                        close a connection whose client reads slower than this
                        many bytes per second, measured over the send timeout
                        (default: 1024; 0: no minimum)
  --max-connections N   serve at most N connections at once; more wait to be
                        accepted (default: from the open-file limit)
  --no-cache            read every file from disk on every request instead of
                        keeping small, unchanged files in memory
`

// usageError is a command-line mistake: printed after the usage line as
// "simplehttp: error: ...", exit status 2, as argparse does.
type usageError string

func (e usageError) Error() string { return string(e) }

func usageErrorf(format string, args ...any) error {
	return usageError(fmt.Sprintf(format, args...))
}

// option is one optional argument. Options are matched the way argparse
// matches them: exactly, by an unambiguous prefix of the long name
// ("--bi"), with the value attached ("--bind=x", "-bx", "-b=x") or in
// the next argument.
type option struct {
	short, long string // "-b", "--bind"; either may be empty
	takesValue  bool
	apply       func(c *config, value string) error
	// pair, when set, makes the option take two values (argparse's
	// nargs=2) and is called instead of apply.
	pair func(c *config, a, b string) error
	// python312 marks the options of Python 3.12's command line, whose
	// abbreviations keep their Python meaning next to ours ("--c" is
	// --cgi, though --compress and --content-type start the same).
	python312 bool
}

// name is how argparse names the option in errors: "-b/--bind".
func (o *option) name() string {
	if o.short == "" {
		return o.long
	}
	return o.short + "/" + o.long
}

var options = []*option{
	{short: "-h", long: "--help", python312: true, apply: func(c *config, _ string) error { c.help = true; return nil }},
	{long: "--version", apply: func(c *config, _ string) error { c.version = true; return nil }},
	{long: "--cgi", python312: true, apply: func(c *config, _ string) error { c.cgi = true; return nil }},
	{short: "-b", long: "--bind", takesValue: true, python312: true, apply: func(c *config, v string) error { c.bind = v; return nil }},
	{short: "-d", long: "--directory", takesValue: true, python312: true, apply: func(c *config, v string) error { c.directory = v; return nil }},
	{short: "-p", long: "--protocol", takesValue: true, python312: true, apply: func(c *config, v string) error {
		if v != http10 && v != http11 {
			return usageErrorf("argument -p/--protocol: invalid choice: %s (choose from %s, %s)",
				pyrepr.String(v), pyrepr.String(http10), pyrepr.String(http11))
		}
		c.protocol = v
		return nil
	}},
	{long: "--tls-cert", takesValue: true, apply: func(c *config, v string) error { c.tlsCert = v; return nil }},
	{long: "--tls-key", takesValue: true, apply: func(c *config, v string) error { c.tlsKey = v; return nil }},
	{long: "--follow-symlinks", apply: func(c *config, _ string) error { c.followSymlinks = true; return nil }},
	{long: "--rich-listing", apply: func(c *config, _ string) error { c.richListing = true; return nil }},
	{long: "--hide-dotfiles", apply: func(c *config, _ string) error { c.hideDotfiles = true; return nil }},
	{long: "--script-timeout", takesValue: true, apply: func(c *config, v string) error {
		// Read as argparse's type=float reads it, then refused where
		// Python would accept a value no timeout can have.
		secs, err := strconv.ParseFloat(strings.TrimSpace(v), 64)
		if err != nil || strings.ContainsAny(v, "xXpP") {
			return usageErrorf("argument --script-timeout: invalid float value: %s", pyrepr.String(v))
		}
		if secs < 0 || math.IsInf(secs, 0) || math.IsNaN(secs) || secs > maxCGITimeout.Seconds() {
			return usageErrorf("argument --script-timeout: %s is not a number of seconds from 0 (no limit) to %d",
				pyrepr.String(v), int(maxCGITimeout.Seconds()))
		}
		c.cgiTimeout = time.Duration(secs * float64(time.Second))
		return nil
	}},
	{long: "--cgi-max-body", takesValue: true, apply: func(c *config, v string) error {
		n, ok := parseSize(v)
		if !ok || n < 1 || n > maxCGIBody {
			return usageErrorf("argument --cgi-max-body: %s is not a size from 1 to %d bytes (a number of bytes, or with K, M or G)",
				pyrepr.String(v), int64(maxCGIBody))
		}
		c.cgiMaxBody = n
		return nil
	}},
	{short: "-H", long: "--header", pair: func(c *config, name, value string) error {
		if err := headers.Check(name, value); err != nil {
			return usageErrorf("argument -H/--header: %s", strings.TrimPrefix(err.Error(), "headers: "))
		}
		if c.headers == nil {
			c.headers = http.Header{}
		}
		c.headers.Add(name, value)
		return nil
	}},
	{long: "--compress", apply: func(c *config, _ string) error { c.compress = true; return nil }},
	{long: "--tls-password-file", takesValue: true, apply: func(c *config, v string) error { c.tlsPassword = v; return nil }},
	{long: "--content-type", takesValue: true, apply: func(c *config, v string) error {
		if _, _, err := mime.ParseMediaType(v); err != nil || !strings.Contains(v, "/") || strings.ContainsAny(v, "\r\n") {
			return usageErrorf("argument --content-type: invalid media type: %s", pyrepr.String(v))
		}
		c.contentType = v
		return nil
	}},
	{long: "--precompressed", apply: func(c *config, _ string) error { c.precompressed = true; return nil }},
	{long: "--spa", apply: func(c *config, _ string) error { c.spa = true; return nil }},
	{long: "--error-page", takesValue: true, apply: addErrorPage},
	{long: "--send-timeout", takesValue: true, apply: func(c *config, v string) error {
		secs, err := strconv.ParseFloat(strings.TrimSpace(v), 64)
		if err != nil || strings.ContainsAny(v, "xXpP") {
			return usageErrorf("argument --send-timeout: invalid float value: %s", pyrepr.String(v))
		}
		if secs < 0 || math.IsInf(secs, 0) || math.IsNaN(secs) || secs > maxSendTimeout.Seconds() {
			return usageErrorf("argument --send-timeout: %s is not a number of seconds from 0 (never) to %d",
				pyrepr.String(v), int(maxSendTimeout.Seconds()))
		}
		d := time.Duration(secs * float64(time.Second))
		c.sendTimeout = &d
		return nil
	}},
	{long: "--min-send-rate", takesValue: true, apply: func(c *config, v string) error {
		n, err := strconv.ParseInt(strings.TrimSpace(v), 10, 64)
		if err != nil && !errors.Is(err, strconv.ErrRange) {
			return usageErrorf("argument --min-send-rate: invalid int value: %s", pyrepr.String(v))
		}
		if err != nil || n < 0 || n > maxSendRate {
			return usageErrorf("argument --min-send-rate: %s is not a number of bytes per second from 0 (no minimum) to %d",
				pyrepr.String(v), maxSendRate)
		}
		c.minSendRate = &n
		return nil
	}},
	{long: "--max-connections", takesValue: true, apply: func(c *config, v string) error {
		n, err := strconv.Atoi(strings.TrimSpace(v))
		if err != nil && !errors.Is(err, strconv.ErrRange) {
			return usageErrorf("argument --max-connections: invalid int value: %s", pyrepr.String(v))
		}
		if err != nil || n < 1 || n > maxConnections {
			return usageErrorf("argument --max-connections: %s is not a number of connections from 1 to %d",
				pyrepr.String(v), maxConnections)
		}
		c.maxConns = n
		return nil
	}},
	{long: "--no-cache", apply: func(c *config, _ string) error { c.noCache = true; return nil }},
}

// addErrorPage reads --error-page CODE=FILE: CODE an error status, FILE
// read now, so that a mistake stops the command before it serves.
func addErrorPage(c *config, v string) error {
	codeText, name, ok := strings.Cut(v, "=")
	code, err := strconv.Atoi(codeText)
	if !ok || err != nil || name == "" || codeText != strconv.Itoa(code) {
		return usageErrorf("argument --error-page: invalid CODE=FILE value: %s", pyrepr.String(v))
	}
	if code < 400 || code > 599 {
		return usageErrorf("argument --error-page: %d is not an error status (choose from 400 to 599)", code)
	}
	body, err := os.ReadFile(name)
	if err != nil {
		var pe *fs.PathError
		if errors.As(err, &pe) {
			err = pe.Err
		}
		return usageErrorf("argument --error-page: can't open %s: %v", pyrepr.String(name), err)
	}
	c.errorPages = append(c.errorPages, errorPage{code: code, body: body, contentType: fileserver.ContentType(name)})
	return nil
}

// Bounds of --send-timeout, --min-send-rate and --max-connections: far
// beyond any use, well within what the types hold.
const (
	maxSendTimeout = 7 * 24 * time.Hour
	maxSendRate    = 1 << 40
	maxConnections = 1 << 24
)

// Defaults of --send-timeout (nginx's send_timeout) and --min-send-rate.
const (
	defaultSendTimeout = 60 * time.Second
	defaultMinSendRate = 1024
)

// maxCGITimeout bounds --script-timeout far below time.Duration's range.
const maxCGITimeout = 7 * 24 * time.Hour

// maxCGIBody bounds --cgi-max-body: a terabyte, far below int64's range.
const maxCGIBody = 1 << 40

// parseSize reads a number of bytes, optionally followed by K, M or G
// (powers of 1024, either case): "65536", "64M", "2g".
func parseSize(v string) (int64, bool) {
	v = strings.TrimSpace(v)
	shift := 0
	if v != "" {
		switch v[len(v)-1] {
		case 'k', 'K':
			shift = 10
		case 'm', 'M':
			shift = 20
		case 'g', 'G':
			shift = 30
		}
	}
	if shift != 0 {
		v = v[:len(v)-1]
	}
	n, err := strconv.ParseInt(v, 10, 64)
	if err != nil || n < 0 || n > maxCGIBody>>shift {
		return 0, false
	}
	return n << shift, true
}

// negativeNumber is argparse's test for an argument that is a value even
// though it starts with "-" (our parser has no option that looks like one).
var negativeNumber = regexp.MustCompile(`^-\d+$|^-\d*\.\d+$`)

// match is an argument recognised as an option, with the value attached to
// it if there was one ("--bind=x", "-bx").
type match struct {
	opt      *option
	flag     string // the option string it matched: "-b" or "--bind"
	explicit *string
}

// classify tells whether arg is an option. It returns a nil match for a
// positional argument, a match with a nil opt for something that looks like
// an option but is none (argparse's "unrecognized arguments"), and an error
// for a prefix that fits several options.
func classify(arg string) (*match, error) {
	if arg == "" || arg[0] != '-' {
		return nil, nil
	}
	for _, o := range options {
		if arg == o.short || arg == o.long {
			return &match{opt: o, flag: arg}, nil
		}
	}
	if len(arg) == 1 {
		return nil, nil
	}
	if name, value, ok := strings.Cut(arg, "="); ok {
		for _, o := range options {
			if name == o.short || name == o.long {
				return &match{opt: o, flag: name, explicit: &value}, nil
			}
		}
	}
	var found []*match
	if strings.HasPrefix(arg, "--") {
		name, value, hasValue := strings.Cut(arg, "=")
		for _, o := range options {
			if strings.HasPrefix(o.long, name) {
				m := &match{opt: o, flag: o.long}
				if hasValue {
					m.explicit = &value
				}
				found = append(found, m)
			}
		}
	} else {
		for _, o := range options {
			if o.short != "" && arg[:2] == o.short {
				value := arg[2:]
				found = append(found, &match{opt: o, flag: o.short, explicit: &value})
			}
		}
	}
	if len(found) > 1 {
		// An abbreviation Python 3.12 understands means what it means
		// there, whatever options of ours share its prefix.
		var py []*match
		for _, m := range found {
			if m.opt.python312 {
				py = append(py, m)
			}
		}
		if len(py) == 1 {
			found = py
		}
	}
	switch {
	case len(found) == 1:
		return found[0], nil
	case len(found) > 1:
		flags := make([]string, len(found))
		for i, m := range found {
			flags[i] = m.flag
		}
		return nil, usageErrorf("ambiguous option: %s could match %s", arg, strings.Join(flags, ", "))
	}
	if negativeNumber.MatchString(arg) || strings.Contains(arg, " ") {
		return nil, nil
	}
	return &match{}, nil
}

// parseArgs reads the command line the way Python's argparse reads
// `python -m http.server`'s: options and the port in any order, "--" ends
// the options, the first error in argument order wins, and arguments left
// over are reported last as "unrecognized arguments". The result is
// validated beyond Python: the port must be 0-65535 and the protocol
// HTTP/1.0 or HTTP/1.1.
func parseArgs(args []string) (config, error) {
	cfg := config{port: 8000, protocol: http10}

	// Like argparse, recognise every option before acting on any, so an
	// ambiguous abbreviation is reported whatever precedes it.
	matches := make([]*match, len(args))
	for i, arg := range args {
		if arg == "--" {
			break
		}
		m, err := classify(arg)
		if err != nil {
			return cfg, err
		}
		matches[i] = m
	}

	var extras []string
	portSeen, optionsEnded := false, false
	for i := 0; i < len(args); i++ {
		arg := args[i]
		switch {
		case !optionsEnded && arg == "--":
			optionsEnded = true
		case optionsEnded || matches[i] == nil:
			if portSeen {
				extras = append(extras, arg)
				continue
			}
			port, err := parsePort(arg)
			if err != nil {
				return cfg, err
			}
			cfg.port, portSeen = port, true
		case matches[i].opt == nil:
			extras = append(extras, arg)
		default:
			consumed, err := applyOption(&cfg, matches[i], args[i+1:], matches[i+1:])
			if err != nil {
				return cfg, err
			}
			i += consumed
		}
		if cfg.help || cfg.version {
			return cfg, nil
		}
	}
	if len(extras) > 0 {
		return cfg, usageErrorf("unrecognized arguments: %s", strings.Join(extras, " "))
	}
	if cfg.tlsPassword != "" && cfg.tlsCert == "" {
		return cfg, usageErrorf("--tls-password-file requires --tls-cert to be set")
	}
	if cfg.tlsKey != "" && cfg.tlsCert == "" {
		return cfg, usageErrorf("--tls-key requires --tls-cert to be set")
	}
	if cfg.cgiTimeout != 0 && !cfg.cgi {
		return cfg, usageErrorf("--script-timeout requires --cgi to be set")
	}
	if cfg.cgiMaxBody != 0 && !cfg.cgi {
		return cfg, usageErrorf("--cgi-max-body requires --cgi to be set")
	}
	return cfg, nil
}

// applyOption applies m to cfg and returns how many of the following
// arguments it used as its value (0 or 1). A flag with letters attached
// ("-hb") is read as several short options, as argparse does.
func applyOption(cfg *config, m *match, rest []string, restMatches []*match) (int, error) {
	o := m.opt
	if o.pair != nil {
		// argparse's nargs=2: an attached value is never one of the two.
		if m.explicit != nil || len(rest) < 2 || rest[0] == "--" || restMatches[0] != nil || rest[1] == "--" || restMatches[1] != nil {
			return 0, usageErrorf("argument %s: expected 2 arguments", o.name())
		}
		return 2, o.pair(cfg, rest[0], rest[1])
	}
	if !o.takesValue {
		if m.explicit != nil {
			// Only a single-dash flag may carry more flags: "-hb" is -h -b.
			value := *m.explicit
			if strings.HasPrefix(m.flag, "--") || value == "" {
				return 0, usageErrorf("argument %s: ignored explicit argument %s", o.name(), pyrepr.String(value))
			}
			if err := o.apply(cfg, ""); err != nil {
				return 0, err
			}
			next, err := classify("-" + value)
			if err != nil || next == nil || next.opt == nil || next.flag != "-"+value[:1] {
				return 0, usageErrorf("argument %s: ignored explicit argument %s", o.name(), pyrepr.String(value))
			}
			return applyOption(cfg, next, rest, restMatches)
		}
		return 0, o.apply(cfg, "")
	}
	if m.explicit != nil {
		return 0, o.apply(cfg, *m.explicit)
	}
	if len(rest) == 0 || rest[0] == "--" || restMatches[0] != nil {
		return 0, usageErrorf("argument %s: expected one argument", o.name())
	}
	return 1, o.apply(cfg, rest[0])
}

// parsePort reads the port as Python's int() reads a string (surrounding
// white space, a sign, and "_" between digits are allowed; only ASCII
// digits are), then refuses what is not a TCP port. Python would wrap
// 70000 around to 4464; 0 asks the system for a free port, as in Python.
func parsePort(s string) (int, error) {
	invalid := usageErrorf("argument port: invalid int value: %s", pyrepr.String(s))
	digits := strings.TrimSpace(s)
	negative := false
	if digits != "" && (digits[0] == '+' || digits[0] == '-') {
		negative = digits[0] == '-'
		digits = digits[1:]
	}
	if digits == "" || digits[0] == '_' || digits[len(digits)-1] == '_' || strings.Contains(digits, "__") {
		return 0, invalid
	}
	n, tooBig := 0, false
	for _, r := range digits {
		switch {
		case r == '_':
		case r >= '0' && r <= '9':
			n = n*10 + int(r-'0')
			if n > 65535 {
				n, tooBig = 65536, true
			}
		default:
			return 0, invalid
		}
	}
	if negative && n != 0 {
		n = -n
	}
	if n < 0 || tooBig {
		return 0, usageErrorf("argument port: %s is not a TCP port (choose from 1 to 65535, or 0 for any free port)", strings.TrimSpace(s))
	}
	return n, nil
}
