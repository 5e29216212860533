package sendfiletest_test

import (
	"fmt"
	"strings"

	"github.com/simplehttp/simplehttp/internal/sendfiletest"
)

// Parse sums up a trace as strace -f -o FILE writes it.
func ExampleParse() {
	trace := `6081  sendfile(9, 11, NULL, 4193792 <unfinished ...>
6082  futex(0xc000100148, FUTEX_WAKE_PRIVATE, 1) = 1
6081  <... sendfile resumed>)           = 4021760
6081  sendfile(9, 11, NULL, 172032)     = -1 EAGAIN (Resource temporarily unavailable)
6081  sendfile(9, 11, NULL, 172032)     = 172032
`
	res, err := sendfiletest.Parse(strings.NewReader(trace))
	if err != nil {
		panic(err)
	}
	fmt.Println(res)
	// Output:
	// 2 sendfile calls moved 4193792 bytes (1 failed)
}
