package dirlist

import (
	"bytes"
	"crypto/sha256"
	"encoding/base64"
	"html/template"
	"strconv"
	"time"
)

// richCSS is the rich page's style sheet, inline so the page needs nothing
// else. (No comments: html/template would drop them and the CSP hash would
// no longer match.)
const richCSS = `
:root{color-scheme:light dark;--bg:#fff;--fg:#1f2328;--muted:#59636e;--line:#d1d9e0;--link:#0969da;--hover:#f6f8fa}
@media (prefers-color-scheme:dark){:root{--bg:#0d1117;--fg:#e6edf3;--muted:#9198a1;--line:#3d444d;--link:#4493f8;--hover:#151b23}}
*{box-sizing:border-box}
body{margin:0 auto;max-width:64rem;padding:1rem;font:15px/1.5 system-ui,-apple-system,"Segoe UI",Roboto,sans-serif;background:var(--bg);color:var(--fg)}
h1{font-size:1.25rem;font-weight:600;margin:.25rem 0 1rem;overflow-wrap:anywhere}
input[type=search]{width:100%;padding:.5rem .75rem;font:inherit;color:inherit;background:var(--bg);border:1px solid var(--line);border-radius:6px}
table{width:100%;border-collapse:collapse;margin-top:.75rem}
th,td{padding:.45rem .5rem;border-bottom:1px solid var(--line);text-align:left;vertical-align:top}
th{font-weight:600;white-space:nowrap}
th a{color:inherit}
td.n{overflow-wrap:anywhere}
td.s,td.t{white-space:nowrap;color:var(--muted);font-variant-numeric:tabular-nums}
td.s,th.s{text-align:right}
a{color:var(--link);text-decoration:none}
a:hover,a:focus{text-decoration:underline}
tbody tr:hover{background:var(--hover)}
.tag{font-size:.75rem;color:var(--muted);border:1px solid var(--line);border-radius:1em;padding:0 .45em;margin-left:.5em}
footer{color:var(--muted);font-size:.85rem;margin-top:.75rem}
[hidden]{display:none}
@media (max-width:40rem){body{padding:.5rem;font-size:16px}th.t,td.t{display:none}td,th{padding:.6rem .4rem}}
`

// richJS filters the rows as the filter box is typed into. It reads names
// with textContent and writes only the hidden property and a number, so no
// name is ever parsed as HTML. The rows of a page the server filtered (q,
// the box's default value) are only those that match it, so a filter that
// does not narrow it is submitted to the server instead.
const richJS = `
(function () {
  var box = document.getElementById("filter");
  var form = document.getElementById("filter-form");
  var count = document.getElementById("count");
  if (!box || !form || !count) return;
  var rows = Array.prototype.slice.call(document.querySelectorAll("#listing tbody tr.e"));
  var names = rows.map(function (r) { return r.cells[0].firstChild.textContent.toLowerCase(); });
  var total = count.textContent;
  var served = box.defaultValue.toLowerCase();
  function run() {
    var q = box.value.toLowerCase(), shown = 0;
    for (var i = 0; i < rows.length; i++) {
      var hit = names[i].indexOf(q) !== -1;
      rows[i].hidden = !hit;
      if (hit) shown++;
    }
    count.textContent = q ? shown + " of " + total : total;
  }
  box.addEventListener("input", run);
  form.addEventListener("submit", function (e) {
    if (box.value.toLowerCase().indexOf(served) === -1) return;
    e.preventDefault();
    run();
  });
})();
`

// richPage is the rich page around its rows: "head" up to the first row,
// "foot" after the last, both executed with the *Listing. The rows are
// written between them by [appendRow].
const richPage = `{{define "head"}}<!DOCTYPE html>
<html lang="en">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<meta name="color-scheme" content="light dark">
<title>Directory listing for {{.Path}}</title>
<style>` + richCSS + `</style>
</head>
<body>
<h1>Directory listing for {{.Path}}</h1>
<form id="filter-form" method="get" role="search">
<input type="search" id="filter" name="q" value="{{.Filter}}" placeholder="Filter names" aria-label="Filter names" autocomplete="off" spellcheck="false">
{{- if ne .Sort "name"}}<input type="hidden" name="sort" value="{{.Sort}}">{{end}}
{{- if .Desc}}<input type="hidden" name="order" value="desc">{{end}}
</form>
<table id="listing">
<thead><tr><th class="n"><a href="{{.SortHref "name"}}">Name {{.SortMark "name"}}</a></th><th class="s"><a href="{{.SortHref "size"}}">Size {{.SortMark "size"}}</a></th><th class="t"><a href="{{.SortHref "time"}}">Modified {{.SortMark "time"}}</a></th></tr></thead>
<tbody>
{{- if not .Root}}
<tr><td class="n"><a href="../">../</a></td><td class="s"></td><td class="t"></td></tr>
{{- end}}
{{- end}}{{define "foot"}}
</tbody>
</table>
<footer><span id="count">{{len .Entries}} {{if eq (len .Entries) 1}}entry{{else}}entries{{end}}</span></footer>
<script>` + richJS + `</script>
</body>
</html>
{{end}}`

// richCSP allows exactly the page's own style and script, nothing from
// elsewhere, and forms only to the page's origin.
func richCSP() string {
	return "default-src 'none'; style-src '" + cspHash(richCSS) + "'; script-src '" + cspHash(richJS) +
		"'; img-src data:; form-action 'self'; base-uri 'none'; frame-ancestors 'self'"
}

func cspHash(s string) string {
	sum := sha256.Sum256([]byte(s))
	return "sha256-" + base64.StdEncoding.EncodeToString(sum[:])
}

// writeRich writes the rich page for l to buf with t, the parsed
// [richPage]. html/template would spend some 30 µs per row in reflection
// (3 s for 100 000 entries), so the rows are appended straight to buf by
// [appendRow], which escapes every value the way html/template does in text
// and quoted attributes (FuzzRichRow checks that no name escapes).
func writeRich(buf *bytes.Buffer, t *template.Template, l *Listing) error {
	size := 4096
	for i := range l.Entries {
		size += 200 + len(l.Entries[i].Href) + len(l.Entries[i].Name)
	}
	buf.Grow(size)
	if err := t.ExecuteTemplate(buf, "head", l); err != nil {
		return err
	}
	for i := range l.Entries {
		buf.Write(appendRow(buf.AvailableBuffer(), &l.Entries[i]))
	}
	return t.ExecuteTemplate(buf, "foot", l)
}

func appendRow(b []byte, e *Entry) []byte {
	b = append(b, "\n<tr class=\"e\"><td class=\"n\"><a href=\""...)
	b = appendHTML(b, e.Href)
	b = append(b, "\">"...)
	b = appendHTML(b, e.Name)
	if e.IsDir {
		b = append(b, '/')
	}
	b = append(b, "</a>"...)
	if e.IsSymlink {
		b = append(b, `<span class="tag">link</span>`...)
	}
	if e.IsDir {
		b = append(b, `</td><td class="s">—</td><td class="t">`...)
	} else {
		b = append(b, `</td><td class="s" title="`...)
		b = strconv.AppendInt(b, e.Size, 10)
		b = append(b, ` bytes">`...)
		b = append(b, e.HumanSize()...)
		b = append(b, `</td><td class="t">`...)
	}
	if !e.ModTime.IsZero() {
		b = append(b, `<time datetime="`...)
		b = e.ModTime.AppendFormat(b, time.RFC3339)
		b = append(b, `">`...)
		b = e.ModTime.AppendFormat(b, "2006-01-02 15:04")
		b = append(b, `</time>`...)
	}
	return append(b, "</td></tr>"...)
}

// appendHTML appends s escaped as html/template escapes text and quoted
// attribute values: & < > " ' as entities, NUL as U+FFFD.
func appendHTML(b []byte, s string) []byte {
	last := 0
	for i := 0; i < len(s); i++ {
		var esc string
		switch s[i] {
		case '&':
			esc = "&amp;"
		case '<':
			esc = "&lt;"
		case '>':
			esc = "&gt;"
		case '"':
			esc = "&#34;"
		case '\'':
			esc = "&#39;"
		case 0:
			esc = "\uFFFD"
		default:
			continue
		}
		b = append(b, s[last:i]...)
		b = append(b, esc...)
		last = i + 1
	}
	return append(b, s[last:]...)
}

// richTemplate parses the rich page; it is a constant, so a failure is a
// bug and panics.
func richTemplate() *template.Template {
	return template.Must(template.New("rich").Parse(richPage))
}
