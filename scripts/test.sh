#!/usr/bin/env bash
# Runs the whole test suite: vet, every test under the race detector, then
# each fuzz target for a few seconds. On a fresh machine, run as root, it
# first installs the tools some tests drive (strace for the sendfile proof,
# chromium for the browser tests, curl for the command's --compress and
# --precompressed test, openssl for the encrypted TLS keys); without them
# those tests skip.
set -euo pipefail
cd "$(dirname "$0")/.."

need=()
command -v strace >/dev/null 2>&1 || need+=(strace)
command -v chromium >/dev/null 2>&1 || need+=(chromium)
command -v curl >/dev/null 2>&1 || need+=(curl)
command -v openssl >/dev/null 2>&1 || need+=(openssl)
if [ ${#need[@]} -gt 0 ]; then
  if [ "$(id -u)" = 0 ] && command -v apt-get >/dev/null 2>&1; then
    echo "installing ${need[*]}" >&2
    { apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq --no-install-recommends "${need[@]}" >/dev/null; } ||
      echo "warning: could not install ${need[*]}; the tests that need them will skip" >&2
  else
    echo "note: ${need[*]} not installed; the tests that need them will skip" >&2
  fi
fi

# The browser test keeps its screenshots here (see dirlist/browser_test.go).
export SIMPLEHTTP_ARTIFACTS=${SIMPLEHTTP_ARTIFACTS:-$PWD/artifacts}
mkdir -p "$SIMPLEHTTP_ARTIFACTS"

go vet ./...
go test -race -timeout 20m ./...

# Each fuzz target runs briefly on top of its seed corpus (testdata/fuzz).
fuzztime=${FUZZTIME:-4s}
fuzzlog=$(mktemp)
trap 'rm -f "$fuzzlog"' EXIT
grep -rl --include='*_test.go' '^func Fuzz' . | sort | while read -r file; do
  pkg=./$(dirname "${file#./}")
  for target in $(sed -n 's/^func \(Fuzz[A-Za-z0-9_]*\)(.*/\1/p' "$file"); do
    echo "fuzz $pkg $target ($fuzztime)"
    # A second try only gets past the fuzzing engine's own hiccups on a
    # loaded machine (a worker that did not answer in time): an input that
    # fails was saved to testdata/fuzz and fails the second try as a seed.
    if ! go test -run='^$' -fuzz="^${target}\$" -fuzztime="$fuzztime" "$pkg" >"$fuzzlog" 2>&1; then
      cat "$fuzzlog"
      echo "fuzz $pkg $target: trying once more" >&2
      if ! go test -run='^$' -fuzz="^${target}\$" -fuzztime="$fuzztime" "$pkg" >"$fuzzlog" 2>&1; then
        cat "$fuzzlog"
        exit 1
      fi
    fi
  done
done
echo "all tests passed"
