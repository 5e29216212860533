// Package testutil holds small helpers shared by the module's tests:
// [Interfaces], which names the optional interfaces a
// [net/http.ResponseWriter] has; [SyncBuffer], a buffer servers may write to
// from many goroutines while a test reads it; [DiscardWriter] and
// [ServerWriter], for benchmarks; [Routers], the ways middleware tests mount what they test;
// and [Exchange] with
// [ReadResponse], which send a request exactly as written and parse the
// answer. It is imported only by tests and by other test-support packages
// (internal/oracle).
package testutil
