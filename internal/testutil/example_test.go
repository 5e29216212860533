package testutil_test

import (
	"fmt"
	"net/http/httptest"

	"github.com/simplehttp/simplehttp/internal/testutil"
)

func ExampleInterfaces() {
	fmt.Println(testutil.Interfaces(httptest.NewRecorder()))
	// Output:
	// [Flusher StringWriter]
}
