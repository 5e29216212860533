package sendfiletest_test

import (
	"strings"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/simplehttp/simplehttp/internal/sendfiletest"
)

func TestParse(t *testing.T) {
	for _, tt := range []struct {
		name  string
		trace string
		want  sendfiletest.Result
	}{
		{"empty", "", sendfiletest.Result{}},
		{
			// As strace 6.1 writes a file: pid, two spaces, padded "=".
			"strace -o",
			"6081  sendfile(9, 11, NULL, 4193792)    = 4021760\n" +
				"6081  sendfile(9, 11, NULL, 172032)     = -1 EAGAIN (Resource temporarily unavailable)\n" +
				"6081  sendfile(9, 11, NULL, 172032)     = 172032\n",
			sendfiletest.Result{Calls: 2, Bytes: 4193792, Errors: 1},
		},
		{
			"one process, no pid",
			"sendfile(1, 3, NULL, 512) = 512\n",
			sendfiletest.Result{Calls: 1, Bytes: 512},
		},
		{
			"terminal pid prefix",
			"[pid  4242] sendfile(7, 8, NULL, 100) = 100\n",
			sendfiletest.Result{Calls: 1, Bytes: 100},
		},
		{
			"unfinished and resumed count once",
			"101 sendfile(7, 8, NULL, 4194304 <unfinished ...>\n" +
				"102 futex(0xc000100148, FUTEX_WAKE_PRIVATE, 1) = 1\n" +
				"101 <... sendfile resumed>)       = 2097152\n",
			sendfiletest.Result{Calls: 1, Bytes: 2097152},
		},
		{
			"resumed with an error",
			"101 sendfile(7, 8, NULL, 4194304 <unfinished ...>\n" +
				"101 <... sendfile resumed>) = -1 EPIPE (Broken pipe)\n",
			sendfiletest.Result{Errors: 1},
		},
		{
			"cut short by the exit",
			"101 sendfile(7, 8, NULL, 4194304 <unfinished ...>\n" +
				"101 <... sendfile resumed> <unfinished ...>) = ?\n",
			sendfiletest.Result{Errors: 1},
		},
		{
			"offset argument",
			"7 sendfile(7, 8, [0] => [65536], 65536) = 65536\n",
			sendfiletest.Result{Calls: 1, Bytes: 65536},
		},
		{
			"sendfile64",
			"7 sendfile64(7, 8, NULL, 10) = 10\n",
			sendfiletest.Result{Calls: 1, Bytes: 10},
		},
		{
			"end of file",
			"7 sendfile(7, 8, NULL, 4096) = 0\n",
			sendfiletest.Result{},
		},
		{
			"restarted after a signal",
			"7 sendfile(7, 8, NULL, 4096) = ? ERESTARTSYS (To be restarted if SA_RESTART is set)\n" +
				"7 sendfile(7, 8, NULL, 4096) = 4096\n",
			sendfiletest.Result{Calls: 1, Bytes: 4096, Errors: 1},
		},
		{
			"other lines",
			"7 --- SIGURG {si_signo=SIGURG, si_code=SI_TKILL, si_pid=7, si_uid=0} ---\n" +
				"7 +++ exited with 0 +++\n" +
				"7 write(1, \"sendfile(1, 2) = 3\", 18) = 18\n" +
				"\n",
			sendfiletest.Result{},
		},
		{
			"CRLF and trailing blanks",
			"7 sendfile(7, 8, NULL, 9) = 9 \r\n",
			sendfiletest.Result{Calls: 1, Bytes: 9},
		},
	} {
		t.Run(tt.name, func(t *testing.T) {
			got, err := sendfiletest.Parse(strings.NewReader(tt.trace))
			require.NoError(t, err)
			assert.Equal(t, tt.want, got)
		})
	}
}

// TestParseUnknown checks that a sendfile line Parse cannot read is an
// error, not a call silently left out.
func TestParseUnknown(t *testing.T) {
	for _, trace := range []string{
		"7 sendfile(7, 8, NULL, 9\n",
		"7 sendfile(7, 8, NULL, 9) = \n",
		"7 <... sendfile resumed>\n",
		"7 sendfile(7, 8, NULL, 9) = 9223372036854775807\n7 sendfile(7, 8, NULL, 9) = 1\n",
	} {
		_, err := sendfiletest.Parse(strings.NewReader(trace))
		assert.Error(t, err, "%q", trace)
	}
}

// FuzzParse checks that Parse never panics and that its sums are
// consistent: every call that moved bytes moved at least one.
func FuzzParse(f *testing.F) {
	f.Add("6081  sendfile(9, 11, NULL, 4193792)    = 4021760\n")
	f.Add("101 sendfile(7, 8, NULL, 4194304 <unfinished ...>\n101 <... sendfile resumed>) = 2097152\n")
	f.Add("6081  sendfile(9, 11, NULL, 172032)     = -1 EAGAIN (Resource temporarily unavailable)\n")
	f.Add("7 sendfile(7, 8, NULL, 9) = 99999999999999999999\n")
	f.Fuzz(func(t *testing.T, trace string) {
		res, err := sendfiletest.Parse(strings.NewReader(trace))
		if err != nil {
			assert.Zero(t, res)
			return
		}
		assert.GreaterOrEqual(t, res.Bytes, int64(res.Calls))
		assert.GreaterOrEqual(t, res.Calls, 0)
		assert.GreaterOrEqual(t, res.Errors, 0)
		if res.Calls == 0 {
			assert.Zero(t, res.Bytes)
		}
	})
}
