package logging

import (
	"fmt"
	"log/slog"
	"time"
)

// Format selects the shape of the access log lines a [Logger] writes.
type Format int

const (
	// Python is the default: Python 3.12 http.server's log_message lines,
	//
	//	127.0.0.1 - - [21/Nov/2026 15:04:05] "GET /a.txt HTTP/1.1" 200 -
	//
	// written when the status is sent, preceded for a status of 400 or more by
	//
	//	127.0.0.1 - - [21/Nov/2026 15:04:05] code 404, message File not found
	Python Format = iota

	// Common is the Common Log Format, written when the handler returns,
	// with the number of body bytes sent ("-" for none):
	//
	//	127.0.0.1 - - [21/Nov/2026:15:04:05 +0100] "GET /a.txt HTTP/1.1" 200 1234
	Common

	// Combined is the Combined Log Format: Common plus the quoted Referer and
	// User-Agent request headers ("-" when absent).
	Combined
)

// String returns the name of f.
func (f Format) String() string {
	switch f {
	case Python:
		return "Python"
	case Common:
		return "Common"
	case Combined:
		return "Combined"
	}
	return fmt.Sprintf("Format(%d)", int(f))
}

// An Option configures a [Logger].
type Option func(*config)

type config struct {
	format  Format
	slog    *slog.Logger
	slogSet bool
	clock   func() time.Time
	loc     *time.Location
}

// WithFormat selects the line format. The default is [Python].
func WithFormat(f Format) Option {
	return func(c *config) { c.format = f }
}

// WithSlog makes the Logger emit one structured record per request on l
// instead of writing lines to its io.Writer (which may then be nil; the
// [Format] is then unused). The
// record's message is "request" and its attributes are method, path, status,
// bytes, duration and remote_addr, plus message (the handler's error text)
// when the status is 400 or more. Its level is Info, Warn for a 4xx status
// and Error for a 5xx. [Logger.Logf] messages become Info records with a
// remote_addr attribute. Escaping the values is left to l's handler (the
// standard text and JSON handlers quote control characters). The default is
// no slog logger: lines go to the io.Writer in the chosen [Format].
func WithSlog(l *slog.Logger) Option {
	return func(c *config) { c.slog, c.slogSet = l, true }
}

// WithClock sets the function the Logger reads the time from, for tests.
// The default is time.Now.
func WithClock(now func() time.Time) Option {
	return func(c *config) { c.clock = now }
}

// WithLocation sets the time zone of the logged dates. The default is
// time.Local, as Python logs local time.
func WithLocation(loc *time.Location) Option {
	return func(c *config) { c.loc = loc }
}
