package cgi

import (
	"net"
	"net/http"
	"net/url"
	"path/filepath"
	"strings"

	"github.com/simplehttp/simplehttp/internal/urlpath"
)

// environ returns a script's environment (RFC 3875 §4.1 and Python's set):
// the allowlisted part of the server's environment, the request's
// meta-variables, and every request header as HTTP_*, except those that
// carry credentials (Authorization, Proxy-Authorization: RFC 3875 §4.1.18),
// Proxy (HTTP_PROXY would set the script's outgoing proxy: "httpoxy"), the
// body's Content-Type and Content-Length (CONTENT_TYPE, CONTENT_LENGTH),
// and names with characters other than letters, digits and "-" (so that
// "X_Y" cannot pose as "X-Y").
func (c *config) environ(r *http.Request, s *script, contentLength string) []string {
	env := make([]string, 0, len(c.baseEnv)+24+len(r.Header))
	env = append(env, c.baseEnv...)
	set := func(k, v string) { env = append(env, k+"="+v) }

	set("SERVER_SOFTWARE", c.software)
	set("SERVER_NAME", serverName(r))
	set("SERVER_PORT", serverPort(r))
	set("SERVER_PROTOCOL", c.protocol)
	set("GATEWAY_INTERFACE", "CGI/1.1")
	set("REQUEST_METHOD", r.Method)
	set("REQUEST_URI", r.RequestURI)
	set("SCRIPT_NAME", mountPrefix(r)+s.name)
	set("SCRIPT_FILENAME", s.file)
	set("PATH_INFO", s.pathInfo)
	if s.pathInfo != "" {
		// Python maps PATH_INFO like a request path (translate_path).
		t := filepath.Join(c.abs, filepath.FromSlash(urlpath.Clean(s.pathInfo)))
		if strings.HasSuffix(s.pathInfo, "/") {
			t += "/"
		}
		set("PATH_TRANSLATED", t)
	}
	set("QUERY_STRING", r.URL.RawQuery)
	host, port, err := net.SplitHostPort(r.RemoteAddr)
	if err != nil {
		host, port = r.RemoteAddr, ""
	}
	set("REMOTE_ADDR", host)
	// RFC 3875 §4.1.9: the client's host name, or its address when the
	// name is not looked up (it never is here). Python sets it empty.
	set("REMOTE_HOST", host)
	if port != "" {
		set("REMOTE_PORT", port)
	}
	if r.TLS != nil {
		set("HTTPS", "on")
	}
	if ct := r.Header.Values("Content-Type"); len(ct) > 0 {
		set("CONTENT_TYPE", ct[0])
	}
	set("CONTENT_LENGTH", contentLength)
	if scheme, _, ok := strings.Cut(strings.TrimSpace(r.Header.Get("Authorization")), " "); ok && scheme != "" {
		set("AUTH_TYPE", scheme)
		if user, _, ok := r.BasicAuth(); ok && !strings.ContainsRune(user, 0) {
			set("REMOTE_USER", user)
		}
	}
	if r.Host != "" {
		set("HTTP_HOST", r.Host)
	}
	for k, vv := range r.Header {
		switch k {
		case "Content-Type", "Content-Length", "Authorization", "Proxy-Authorization", "Proxy":
			continue
		}
		name, ok := headerVar(k)
		if !ok {
			continue
		}
		sep := ", "
		switch k {
		case "Cookie":
			sep = "; "
		case "Accept":
			sep = "," // as Python joins them
		}
		set(name, strings.Join(vv, sep))
	}
	// Python sets these four even when the request has no such header.
	for _, v := range [...]struct{ header, name string }{
		{"Accept", "HTTP_ACCEPT"}, {"User-Agent", "HTTP_USER_AGENT"},
		{"Cookie", "HTTP_COOKIE"}, {"Referer", "HTTP_REFERER"},
	} {
		if _, ok := r.Header[v.header]; !ok {
			set(v.name, "")
		}
	}
	return env
}

// headerVar returns the HTTP_* name of a request header field, and false
// for a name with characters other than letters, digits and "-".
func headerVar(k string) (string, bool) {
	b := make([]byte, 0, len("HTTP_")+len(k))
	b = append(b, "HTTP_"...)
	for i := 0; i < len(k); i++ {
		switch c := k[i]; {
		case 'a' <= c && c <= 'z':
			b = append(b, c-'a'+'A')
		case 'A' <= c && c <= 'Z', '0' <= c && c <= '9':
			b = append(b, c)
		case c == '-':
			b = append(b, '_')
		default:
			return "", false
		}
	}
	name := string(b)
	return name, name != "HTTP_PROXY" && name != "HTTP_"
}

// serverName is the host the request was sent to, without the port, or
// the local address it arrived on.
func serverName(r *http.Request) string {
	if host := hostOnly(r.Host); host != "" {
		return host
	}
	if a, ok := r.Context().Value(http.LocalAddrContextKey).(net.Addr); ok {
		return hostOnly(a.String())
	}
	return ""
}

// serverPort is the port of the local address the request arrived on, or
// failing that the one in Host, or the scheme's default.
func serverPort(r *http.Request) string {
	if a, ok := r.Context().Value(http.LocalAddrContextKey).(net.Addr); ok {
		if _, port, err := net.SplitHostPort(a.String()); err == nil {
			return port
		}
	}
	if _, port, err := net.SplitHostPort(r.Host); err == nil && port != "" {
		return port
	}
	if r.TLS != nil {
		return "443"
	}
	return "80"
}

func hostOnly(hostport string) string {
	if host, _, err := net.SplitHostPort(hostport); err == nil {
		return host
	}
	return strings.TrimSuffix(strings.TrimPrefix(hostport, "["), "]")
}

// mountKey carries the mount prefix of a request to the requests a
// script's local Location redirects to.
type mountKey struct{}

// mountPrefix returns what a handler outside, such as http.StripPrefix,
// removed from the front of the request's path (decoded, without a
// trailing slash): the request's path as sent, in RequestURI, minus
// r.URL.Path. It is "" when nothing was removed or the two do not fit.
func mountPrefix(r *http.Request) string {
	if p, ok := r.Context().Value(mountKey{}).(string); ok {
		return p
	}
	if r.RequestURI == "" || r.RequestURI == "*" {
		return ""
	}
	u, err := url.ParseRequestURI(r.RequestURI)
	if err != nil {
		return ""
	}
	prefix, ok := strings.CutSuffix(u.Path, r.URL.Path)
	if !ok || strings.IndexByte(prefix, 0) >= 0 {
		return ""
	}
	return strings.TrimSuffix(prefix, "/")
}
