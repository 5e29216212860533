package dirlist

import (
	"bufio"
	"context"
	"encoding/base64"
	"encoding/json"
	"net/http"
	"net/http/httptest"
	"net/url"
	"os"
	"os/exec"
	"path/filepath"
	"regexp"
	"strings"
	"syscall"
	"testing"
	"time"

	"github.com/simplehttp/simplehttp/fileserver"
	"github.com/simplehttp/simplehttp/internal/needs"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

// startChromium runs headless Chromium with DevTools on a free port and
// returns a session on its page. It skips t when Chromium is not installed.
func startChromium(t *testing.T, ctx context.Context) *cdp {
	t.Helper()
	bin, err := exec.LookPath("chromium")
	if err != nil {
		needs.Skip(t, "chromium", false, "chromium not installed (scripts/test.sh installs it)")
	}
	needs.Ran(t, "chromium")
	cmd := exec.Command(bin, "--headless", "--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run",
		"--disable-background-networking", "--disable-component-update", "--disable-sync",
		"--disable-extensions", "--disable-dev-shm-usage", "--hide-scrollbars", "--mute-audio",
		"--user-data-dir="+t.TempDir(), "--remote-debugging-address=127.0.0.1", "--remote-debugging-port=0",
		"--window-size=1000,900", "about:blank")
	cmd.SysProcAttr = &syscall.SysProcAttr{Setpgid: true} // its helpers die with it
	stderr, err := cmd.StderrPipe()
	require.NoError(t, err)
	require.NoError(t, cmd.Start())
	t.Cleanup(func() {
		_ = syscall.Kill(-cmd.Process.Pid, syscall.SIGKILL)
		_ = cmd.Wait()
	})

	wsURL := make(chan string, 1)
	exited := make(chan struct{}) // closed when chromium closes its stderr
	var lines []string            // its stderr until then; read after exited
	go func() {
		defer close(exited)
		sc := bufio.NewScanner(stderr)
		re := regexp.MustCompile(`DevTools listening on (ws://\S+)`)
		for sc.Scan() {
			lines = append(lines, sc.Text())
			if m := re.FindStringSubmatch(sc.Text()); m != nil {
				select {
				case wsURL <- m[1]:
				default:
				}
			}
		}
	}()
	var browserURL string
	select {
	case browserURL = <-wsURL:
	case <-exited:
		t.Fatalf("chromium exited before starting its DevTools server:\n%s", strings.Join(lines, "\n"))
	case <-ctx.Done():
		t.Fatal("chromium did not start its DevTools server")
	}
	u, err := url.Parse(browserURL)
	require.NoError(t, err)

	// The page target opened with about:blank.
	var pageWS string
	for pageWS == "" {
		req, err := http.NewRequestWithContext(ctx, http.MethodGet, "http://"+u.Host+"/json/list", nil)
		require.NoError(t, err)
		resp, err := http.DefaultClient.Do(req)
		require.NoError(t, err)
		var targets []struct{ Type, WebSocketDebuggerURL string }
		err = json.NewDecoder(resp.Body).Decode(&targets)
		resp.Body.Close()
		require.NoError(t, err)
		for _, tg := range targets {
			if tg.Type == "page" {
				pageWS = tg.WebSocketDebuggerURL
			}
		}
		if pageWS == "" {
			select {
			case <-ctx.Done():
				t.Fatal("no page target")
			case <-time.After(50 * time.Millisecond):
			}
		}
	}
	ws, err := dialWS(ctx, pageWS)
	require.NoError(t, err)
	t.Cleanup(func() { ws.c.Close() })
	return newCDP(ws)
}

// artifactDir is where screenshots are kept after the test:
// $SIMPLEHTTP_ARTIFACTS, or simplehttp-artifacts in the system's temporary
// directory (outside the repository; a t.TempDir would be removed).
func artifactDir(t *testing.T) string {
	dir := os.Getenv("SIMPLEHTTP_ARTIFACTS")
	if dir == "" {
		dir = filepath.Join(os.TempDir(), "simplehttp-artifacts")
	}
	require.NoError(t, os.MkdirAll(dir, 0o755))
	return dir
}

func screenshot(t *testing.T, ctx context.Context, c *cdp, name string) {
	t.Helper()
	var shot struct{ Data string }
	require.NoError(t, c.call(ctx, "Page.captureScreenshot", map[string]any{"format": "png"}, &shot))
	png, err := base64.StdEncoding.DecodeString(shot.Data)
	require.NoError(t, err)
	require.True(t, len(png) > 8 && string(png[1:4]) == "PNG", "a PNG")
	file := filepath.Join(artifactDir(t), name)
	require.NoError(t, os.WriteFile(file, png, 0o644))
	t.Logf("screenshot: %s", file)
}

// TestBrowser opens the rich listing in headless Chromium, served by a real
// server running dirlist in front of the file handler; checks that every
// name shows as itself and that no script from a name runs (no element,
// handler, dialog or CSP violation); filters with the filter box; clicks
// through to a file whose name has spaces, "#", "%" and non-ASCII
// characters and gets its bytes; and keeps screenshots as artifacts.
func TestBrowser(t *testing.T) {
	ctx, cancel := context.WithTimeout(context.Background(), 20*time.Second)
	defer cancel()

	dir := makeTree(t)
	root, err := os.OpenRoot(dir)
	require.NoError(t, err)
	t.Cleanup(func() { root.Close() })
	srv := httptest.NewServer(New(root.FS(), WithRichListing())(fileserver.New(root.FS())))
	t.Cleanup(srv.Close)

	c := startChromium(t, ctx)
	require.NoError(t, c.call(ctx, "Page.enable", nil, nil))
	require.NoError(t, c.call(ctx, "Runtime.enable", nil, nil))
	// Record, in every document, anything a file name could make run.
	require.NoError(t, c.call(ctx, "Page.addScriptToEvaluateOnNewDocument", map[string]any{"source": `
		window.__ran = [];
		window.alert = function (m) { window.__ran.push("alert " + m); };
		document.addEventListener("securitypolicyviolation", function (e) {
			window.__ran.push("csp " + e.violatedDirective + " " + e.blockedURI);
		});`}, nil))
	var dialogs []string
	watch := func(e cdpEvent) {
		if e.Method == "Page.javascriptDialogOpening" {
			dialogs = append(dialogs, string(e.Params))
			_ = c.call(ctx, "Page.handleJavaScriptDialog", map[string]any{"accept": true}, nil)
		}
	}

	require.NoError(t, c.call(ctx, "Page.navigate", map[string]any{"url": srv.URL + "/"}, nil))
	_, err = c.waitEvent(ctx, "Page.loadEventFired", watch)
	require.NoError(t, err)

	var state struct {
		Links   [][2]string
		Imgs    int
		Scripts int
		Ran     []string
		Title   string
	}
	require.NoError(t, c.eval(ctx, `({
		links: Array.from(document.querySelectorAll("#listing tbody a")).map(a => [a.getAttribute("href"), a.textContent]),
		imgs: document.getElementsByTagName("img").length,
		scripts: document.scripts.length,
		ran: window.__ran,
		title: document.title,
	})`, &state))
	assert.Equal(t, "Directory listing for /", state.Title)
	assert.Zero(t, state.Imgs, "no <img> from a name")
	assert.Equal(t, 1, state.Scripts, "the page's own script only")
	assert.Empty(t, state.Ran)
	texts := map[string]string{}
	for _, l := range state.Links {
		texts[l[1]] = l[0]
	}
	for _, name := range fixtureFiles {
		assert.Equal(t, quote(name), texts[name], "the link shown as %q", name)
	}

	screenshot(t, ctx, c, "dirlist-rich-full.png")

	// The filter box, as typed into.
	require.NoError(t, c.eval(ctx, `document.getElementById("filter").focus()`, nil))
	require.NoError(t, c.call(ctx, "Input.insertText", map[string]any{"text": "#1 %"}, nil))
	var filtered struct {
		Shown []string
		Count string
	}
	require.NoError(t, c.eval(ctx, `({
		shown: Array.from(document.querySelectorAll("#listing tbody tr.e")).filter(r => !r.hidden).map(r => r.cells[0].firstChild.textContent),
		count: document.getElementById("count").textContent,
	})`, &filtered))
	assert.Equal(t, []string{"a b #1 % ü.txt"}, filtered.Shown)
	assert.Equal(t, "1 of 30 entries", filtered.Count)

	screenshot(t, ctx, c, "dirlist-rich-light.png")
	require.NoError(t, c.call(ctx, "Emulation.setEmulatedMedia", map[string]any{
		"features": []map[string]string{{"name": "prefers-color-scheme", "value": "dark"}}}, nil))
	var bg string
	require.NoError(t, c.eval(ctx, `getComputedStyle(document.body).backgroundColor`, &bg))
	assert.Equal(t, "rgb(13, 17, 23)", bg, "dark mode")
	screenshot(t, ctx, c, "dirlist-rich-dark.png")

	// On a phone: the time column gives way, names wrap.
	require.NoError(t, c.eval(ctx, `(() => { const b = document.getElementById("filter"); b.value = ""; b.dispatchEvent(new Event("input")); })()`, nil))
	require.NoError(t, c.call(ctx, "Emulation.setDeviceMetricsOverride", map[string]any{
		"width": 390, "height": 844, "deviceScaleFactor": 2, "mobile": true}, nil))
	var phone struct {
		TimeColumn string
		Overflow   bool
	}
	require.NoError(t, c.eval(ctx, `({
		timeColumn: getComputedStyle(document.querySelector("th.t")).display,
		overflow: document.documentElement.scrollWidth > window.innerWidth,
	})`, &phone))
	assert.Equal(t, "none", phone.TimeColumn)
	assert.False(t, phone.Overflow, "no sideways scrolling on a phone")
	screenshot(t, ctx, c, "dirlist-rich-phone.png")
	require.NoError(t, c.call(ctx, "Emulation.clearDeviceMetricsOverride", nil, nil))

	// A page filtered by the server (?q=, as a shared link or a sort link
	// carries it) holds only the matching rows: a filter that is not
	// narrower must go back to the server when submitted, not filter
	// those rows in the page.
	require.NoError(t, c.call(ctx, "Page.navigate", map[string]any{"url": srv.URL + "/?q=%231"}, nil))
	_, err = c.waitEvent(ctx, "Page.loadEventFired", watch)
	require.NoError(t, err)
	shown := `Array.from(document.querySelectorAll("#listing tbody tr.e")).filter(r => !r.hidden).map(r => r.cells[0].firstChild.textContent)`
	var before []string
	require.NoError(t, c.eval(ctx, shown, &before))
	assert.Equal(t, []string{"a b #1 % ü.txt"}, before)
	require.NoError(t, c.eval(ctx, `(() => {
		document.getElementById("filter").value = "A B";
		document.getElementById("filter-form").requestSubmit();
	})()`, nil))
	submitCtx, cancelSubmit := context.WithTimeout(ctx, 5*time.Second)
	_, err = c.waitEvent(submitCtx, "Page.loadEventFired", watch)
	cancelSubmit()
	require.NoError(t, err, "submitting a broader filter loads the page again")
	var after struct {
		Search string
		Shown  []string
	}
	require.NoError(t, c.eval(ctx, `({search: location.search, shown: `+shown+`})`, &after))
	assert.Equal(t, "?q=A+B", after.Search)
	assert.Equal(t, []string{"a b #1 % ü.txt", "a b.txt"}, after.Shown)

	// Click the link with the mouse, as a person would.
	var at struct{ X, Y float64 }
	require.NoError(t, c.eval(ctx, `(() => {
		const a = Array.from(document.querySelectorAll("#listing a")).find(a => a.textContent === "a b #1 % ü.txt");
		a.scrollIntoView();
		const r = a.getBoundingClientRect();
		return {x: r.left + r.width / 2, y: r.top + r.height / 2};
	})()`, &at))
	for _, typ := range []string{"mouseMoved", "mousePressed", "mouseReleased"} {
		require.NoError(t, c.call(ctx, "Input.dispatchMouseEvent", map[string]any{
			"type": typ, "x": at.X, "y": at.Y, "button": "left", "clickCount": 1}, nil))
	}
	_, err = c.waitEvent(ctx, "Page.loadEventFired", watch)
	require.NoError(t, err)
	var file struct {
		Path  string
		Bytes string
		Ran   []string
	}
	require.NoError(t, c.eval(ctx, `fetch(location.href).then(r => r.text()).then(text => ({
		path: decodeURIComponent(location.pathname), bytes: text, ran: window.__ran}))`, &file))
	assert.Equal(t, "/a b #1 % ü.txt", file.Path)
	want, err := os.ReadFile(filepath.Join(dir, "a b #1 % ü.txt"))
	require.NoError(t, err)
	assert.Equal(t, string(want), file.Bytes)
	assert.Empty(t, file.Ran)
	assert.Empty(t, dialogs, "no dialog opened")
	assert.False(t, strings.Contains(file.Bytes, "<"), "a text file, not a page")
}
