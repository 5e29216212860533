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

# Tests that need a tool outside Go (Python 3.12, strace, chromium, curl,
# openssl) report here whether they ran or why they skipped
# (internal/needs); the summary ends this script. Under CI=true a tool
# that is installed but unusable fails its tests instead.
needslog=$(mktemp)
fuzzlog=$(mktemp)
trap 'rm -f "$needslog" "$fuzzlog"' EXIT
export SIMPLEHTTP_NEEDS_LOG=$needslog

go vet ./...
# staticcheck, pinned, from the Go module proxy (built once into the
# module cache; about 45 s the first time on a fresh machine).
go run honnef.co/go/tools/cmd/staticcheck@v0.8.2 ./...
go test -race -timeout 20m ./...
# Allocation tests cannot run under the race detector (it allocates): run
# them once more without it.
go test -count=1 -run 'Alloc' $(grep -rl --include='*_test.go' 'AllocsPerRun' . | xargs -n1 dirname | sort -u)

# Each fuzz target runs briefly on top of its seed corpus (testdata/fuzz).
fuzztime=${FUZZTIME:-4s}
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

# The benchmark script's smoke test: that bench/run works end to end (it
# installs wrk and nginx, or says it goes without), not how fast anything is.
echo "bench/run --quick"
bash bench/run --quick

echo "tests that need a tool outside Go:"
for tool in python3.12 strace chromium curl openssl; do
  ran=$(awk -F'\t' -v t="$tool" '$1==t && $2=="ran" {print $3}' "$needslog" | sort -u | wc -l)
  skipped=$(awk -F'\t' -v t="$tool" '$1==t && $2=="skipped" {print $3}' "$needslog" | sort -u | wc -l)
  line="  $tool: $ran ran, $skipped skipped"
  if [ "$skipped" -gt 0 ]; then
    why=$(awk -F'\t' -v t="$tool" '$1==t && $2=="skipped" {print $4}' "$needslog" | sort | uniq -c | sed 's/^ *//' | head -3 | paste -sd ';' -)
    line="$line ($why)"
  fi
  echo "$line"
done
echo "all tests passed"
