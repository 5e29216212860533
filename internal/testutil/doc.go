// Package testutil holds small helpers shared by the module's tests:
// [Interfaces], which names the optional interfaces a
// [net/http.ResponseWriter] has, and [SyncBuffer], a buffer servers may
// write to from many goroutines while a test reads it. It is imported only
// by tests and by other test-support packages (internal/oracle).
package testutil
