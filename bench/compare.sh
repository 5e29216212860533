#!/usr/bin/env bash
# compare.sh measures simplehttp against Python 3.12's http.server and a plain
# net/http FileServer (bench/cmd/stdfs), side by side on 127.0.0.1.
#
# Each server runs twice: as Python runs by default (HTTP/1.0, one request per
# connection; stdfs with keep-alives off) and with -p HTTP/1.1 (keep-alive).
# For each case (a 1 KiB file, a 1 MiB file, a listing of 1000 entries, a 404)
# it runs `wrk -t2 -c16 -d$DURATION --timeout 5s` against each server in
# turn, interleaved so that noise on the machine hits every server alike, then
# reads each server's peak RSS (VmHWM). Last, it times one curl download of a 100 MiB file
# from every server.
#
# Usage: bench/compare.sh            (from anywhere in the checkout)
#   DURATION=5s   length of each wrk run, in seconds (1s..600s)
#   ROUNDS=1      wrk runs per server and case (1..10); the median is shown
#   PYTHON=...    a Python 3.12 interpreter (default: PYENV_VERSION=3.12.1 python3)
#   RESULTS=...   also write the report to this file
#                 (default: bench/results/compare-DATE.txt; "-" for none)
#
# It installs wrk with apt-get when it is missing (as root), and exits non-zero
# only when it cannot set up: no wrk/curl/go/Python 3.12, a build failure, a
# server that does not start or answers wrongly before the measurements. Every
# process it starts is killed on exit, by PID.
set -euo pipefail

repo=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
cd "$repo"

die() {
	echo "compare.sh: $*" >&2
	exit 1
}

duration=${DURATION:-5s}
[[ $duration =~ ^([1-9][0-9]{0,2})s?$ ]] && ((BASH_REMATCH[1] <= 600)) ||
	die "DURATION must be a number of seconds from 1 to 600 (like 5s), not '$duration'"
seconds=${BASH_REMATCH[1]}
rounds=${ROUNDS:-1}
[[ $rounds =~ ^([1-9]|10)$ ]] || die "ROUNDS must be from 1 to 10, not '$rounds'"

# --- tools ---------------------------------------------------------------

install_missing() {
	local need=()
	command -v wrk >/dev/null 2>&1 || need+=(wrk)
	command -v curl >/dev/null 2>&1 || need+=(curl)
	[ ${#need[@]} -eq 0 ] && return 0
	if [ "$(id -u)" != 0 ] || ! command -v apt-get >/dev/null 2>&1; then
		die "${need[*]} missing; install it (e.g. 'sudo apt-get install ${need[*]}') or run this script as root on a Debian/Ubuntu machine"
	fi
	echo "installing ${need[*]} with apt-get" >&2
	export DEBIAN_FRONTEND=noninteractive
	timeout 300 apt-get install -y -qq --no-install-recommends "${need[@]}" >/dev/null 2>&1 ||
		{ timeout 300 apt-get update -qq && timeout 300 apt-get install -y -qq --no-install-recommends "${need[@]}" >/dev/null; } ||
		die "apt-get could not install ${need[*]}"
	for tool in "${need[@]}"; do
		command -v "$tool" >/dev/null 2>&1 || die "$tool still missing after apt-get"
	done
}
install_missing
command -v go >/dev/null 2>&1 || die "go is not on PATH"
[ -r /proc/self/status ] || die "needs Linux /proc to read peak RSS"

# The interpreter itself, not the pyenv shim, so that the PID we hold is the
# server's and its VmHWM is Python's.
if [ -n "${PYTHON:-}" ]; then
	python=$PYTHON
else
	python=$(PYENV_VERSION=3.12.1 python3 -c 'import sys; print(sys.executable)' 2>/dev/null) ||
		die "no Python 3.12 (tried PYENV_VERSION=3.12.1 python3); set PYTHON=/path/to/python3.12"
fi
pyversion=$("$python" -c 'import sys; print("%d.%d.%d" % sys.version_info[:3])' 2>/dev/null) ||
	die "cannot run $python"
[[ $pyversion == 3.12.* ]] || die "$python is Python $pyversion, not 3.12"

# --- clean-up -------------------------------------------------------------

tmp=$(mktemp -d "${TMPDIR:-/tmp}/simplehttp-bench.XXXXXX")
pids=()
cleanup() {
	local pid i
	for pid in "${pids[@]}"; do
		kill -TERM "$pid" 2>/dev/null || true
	done
	for pid in "${pids[@]}"; do
		for ((i = 0; i < 50; i++)); do
			kill -0 "$pid" 2>/dev/null || break
			sleep 0.1
		done
		kill -KILL "$pid" 2>/dev/null || true
		wait "$pid" 2>/dev/null || true
	done
	rm -rf "$tmp"
}
trap cleanup EXIT
trap 'exit 130' INT
trap 'exit 143' TERM

# --- build ----------------------------------------------------------------

echo "building simplehttp and stdfs" >&2
go build -o "$tmp/bin/simplehttp" ./cmd/simplehttp || die "cannot build ./cmd/simplehttp"
go build -o "$tmp/bin/stdfs" ./bench/cmd/stdfs || die "cannot build ./bench/cmd/stdfs"

# --- fixtures -------------------------------------------------------------

echo "writing fixtures" >&2
root=$tmp/root
mkdir -p "$root/list"
head -c 1024 /dev/urandom >"$root/1k.bin"
head -c $((1 << 20)) /dev/urandom >"$root/1m.bin"
head -c $((100 << 20)) /dev/urandom >"$root/100m.bin"
(cd "$root/list" && for ((i = 0; i < 1000; i++)); do : >"entry-$(printf %04d "$i").txt"; done)
[ "$(find "$root/list" -mindepth 1 | wc -l)" -eq 1000 ] || die "fixture directory has not 1000 entries"

# --- servers --------------------------------------------------------------

# Servers by key: py = Python http.server, sh = simplehttp, std = stdfs;
# 10 = one request per connection (HTTP/1.0), 11 = keep-alive (HTTP/1.1).
servers=(py10 sh10 std10 py11 sh11 std11)
declare -A pid_of port_of

start() {
	local key=$1
	shift
	"$@" >"$tmp/$key.out" 2>/dev/null &
	pids+=($!)
	pid_of[$key]=$!
}
start py10 env PYTHONUNBUFFERED=1 "$python" -m http.server -b 127.0.0.1 -d "$root" 0
start py11 env PYTHONUNBUFFERED=1 "$python" -m http.server -b 127.0.0.1 -d "$root" -p HTTP/1.1 0
start sh10 "$tmp/bin/simplehttp" -b 127.0.0.1 -d "$root" 0
start sh11 "$tmp/bin/simplehttp" -b 127.0.0.1 -d "$root" -p HTTP/1.1 0
start std10 "$tmp/bin/stdfs" -b 127.0.0.1 -d "$root" -keep-alive=false 0
start std11 "$tmp/bin/stdfs" -b 127.0.0.1 -d "$root" 0

# Port 0 lets each server pick a free port; read it from the banner
# ("Serving HTTP on 127.0.0.1 port N ..."), waiting at most 10 s.
for key in "${servers[@]}"; do
	for ((i = 0; i < 100; i++)); do
		if [[ $(head -n1 "$tmp/$key.out") =~ ^Serving\ HTTP\ on\ 127\.0\.0\.1\ port\ ([0-9]+) ]]; then
			port_of[$key]=${BASH_REMATCH[1]}
			break
		fi
		kill -0 "${pid_of[$key]}" 2>/dev/null || die "server $key exited at start"
		sleep 0.1
	done
	[ -n "${port_of[$key]:-}" ] || die "server $key did not print its port within 10 s"
done

# The cases: label, path, expected status.
cases=("1 KiB file|/1k.bin|200" "1 MiB file|/1m.bin|200" "listing of 1000|/list/|200" "404|/missing|404")

# Before measuring, every server must answer every case as expected (this
# also warms the page cache).
for key in "${servers[@]}"; do
	for c in "${cases[@]}" "100 MiB file|/100m.bin|200"; do
		IFS='|' read -r label path want <<<"$c"
		got=$(curl -s -o /dev/null --max-time 60 -w '%{http_code}' "http://127.0.0.1:${port_of[$key]}$path") || true
		[ "$got" = "$want" ] || die "$key answered $path with '$got', want $want"
	done
done

rss_kib() { # rss_kib PID FIELD: VmHWM or VmRSS in KiB
	awk -v f="$2:" '$1 == f { print $2 }' "/proc/$1/status" 2>/dev/null || echo 0
}
mib() { awk -v k="$1" 'BEGIN { printf "%.1f", k / 1024 }'; }
declare -A idle_rss
for key in "${servers[@]}"; do
	idle_rss[$key]=$(rss_kib "${pid_of[$key]}" VmRSS)
done

# --- wrk ------------------------------------------------------------------

# wrk reports through done(): requests, duration (µs), latency mean, p50,
# p99 (µs), and the error counts, on one line.
cat >"$tmp/report.lua" <<'EOF'
done = function(summary, latency, requests)
  local e = summary.errors
  io.write(string.format("RESULT %d %d %.1f %.1f %.1f %d %d %d %d %d\n",
    summary.requests, summary.duration, latency.mean,
    latency:percentile(50), latency:percentile(99),
    e.connect, e.read, e.write, e.timeout, e.status))
end
EOF

# Measurements by "case#key": lists of req/s, p50 ms and p99 ms per round.
declare -A rps p50 p99 rss_after
notes=()
load_before=$(cut -d' ' -f1-3 /proc/loadavg)
wrk_timeout=$((seconds + 30))
total=$((${#cases[@]} * ${#servers[@]} * rounds))
n=0
for ci in "${!cases[@]}"; do
	IFS='|' read -r label path want <<<"${cases[$ci]}"
	for ((round = 0; round < rounds; round++)); do
		for proto in 10 11; do
			order=(py sh std)
			# Rotate the order each round so that no server always goes first.
			order=("${order[@]:round%3}" "${order[@]:0:round%3}")
			for s in "${order[@]}"; do
				key=$s$proto
				n=$((n + 1))
				printf '[%d/%d] %s, %s\n' "$n" "$total" "$label" "$key" >&2
				out=$(timeout "$wrk_timeout" wrk -t2 -c16 -d"${seconds}s" --timeout 5s -s "$tmp/report.lua" \
					"http://127.0.0.1:${port_of[$key]}$path" 2>&1) || true
				line=$(grep '^RESULT ' <<<"$out" || true)
				if [ -z "$line" ]; then
					notes+=("$label, $key: wrk gave no result: $(tr '\n' ' ' <<<"$out" | cut -c1-200)")
					continue
				fi
				read -r _ reqs dur mean q50 q99 econn eread ewrite etime estatus <<<"$line"
				rps[$ci#$key]+="$(awk -v r="$reqs" -v d="$dur" 'BEGIN { printf "%.0f", r / (d / 1e6) }') "
				p50[$ci#$key]+="$(awk -v v="$q50" 'BEGIN { printf "%.2f", v / 1000 }') "
				p99[$ci#$key]+="$(awk -v v="$q99" 'BEGIN { printf "%.2f", v / 1000 }') "
				# In the 404 case every response is a "status error"; elsewhere none may be.
				bad_status=$estatus
				[ "$want" = 404 ] && bad_status=$((reqs - estatus))
				if ((econn + eread + ewrite + etime + bad_status > 0)); then
					notes+=("$label, $key: $reqs requests; socket errors connect $econn, read $eread, write $ewrite, timeout $etime; unexpected status $bad_status")
				fi
			done
		done
	done
	for key in "${servers[@]}"; do
		rss_after[$ci#$key]=$(rss_kib "${pid_of[$key]}" VmHWM)
	done
done

# --- 100 MiB download -----------------------------------------------------

declare -A dl_secs dl_speed
for key in "${servers[@]}"; do
	printf 'download 100 MiB, %s\n' "$key" >&2
	res=$(curl -s -o /dev/null --max-time 120 -w '%{http_code} %{size_download} %{time_total} %{speed_download}' \
		"http://127.0.0.1:${port_of[$key]}/100m.bin") || true
	read -r code size secs speed <<<"$res"
	if [ "${code:-}" != 200 ] || [ "${size:-}" != $((100 << 20)) ]; then
		notes+=("100 MiB download, $key: status '${code:-}', ${size:-0} bytes")
		dl_secs[$key]=-
		dl_speed[$key]=-
		continue
	fi
	dl_secs[$key]=$(awk -v t="$secs" 'BEGIN { printf "%.3f", t }')
	dl_speed[$key]=$(awk -v s="$speed" 'BEGIN { printf "%.0f", s / 1048576 }')
done
declare -A peak_rss
for key in "${servers[@]}"; do
	peak_rss[$key]=$(rss_kib "${pid_of[$key]}" VmHWM)
done

# --- report ---------------------------------------------------------------

median() { # median of whitespace-separated numbers, or "-"
	tr ' ' '\n' <<<"$1" | awk 'NF' | sort -g | awk '{ v[NR] = $1 } END {
		if (NR == 0) print "-"; else if (NR % 2) print v[(NR + 1) / 2]; else print (v[NR / 2] + v[NR / 2 + 1]) / 2 }'
}
ratio() { awk -v a="$1" -v b="$2" 'BEGIN { if (a == "-" || b == "-" || b == 0) print "-"; else printf "%.2fx", a / b }'; }
proto_name() { [ "$1" = 10 ] && echo "HTTP/1.0 close" || echo "HTTP/1.1 keep-alive"; }

report() {
	echo "simplehttp load comparison, $(date -u '+%Y-%m-%d %H:%M UTC')"
	echo "wrk -t2 -c16 -d${seconds}s --timeout 5s on 127.0.0.1, ${rounds} round(s) (median shown); $(nproc) CPU(s): $(grep -m1 'model name' /proc/cpuinfo | cut -d: -f2- | sed 's/^ *//')"
	echo "python: Python $pyversion http.server; simplehttp: ./cmd/simplehttp @ $(git rev-parse --short HEAD 2>/dev/null || echo '?')$(git diff --quiet HEAD -- 2>/dev/null || echo '+dirty'); stdfs: net/http FileServer, $(go env GOVERSION)"
	echo "load average before: $load_before; after: $(cut -d' ' -f1-3 /proc/loadavg)"
	echo "HTTP/1.0 close = one request per connection (Python's default; stdfs with keep-alives off)."
	echo
	echo "Requests per second; peak RSS in MiB (VmHWM so far: python / simplehttp / stdfs)"
	printf '%-16s %-20s %10s %11s %10s %18s %22s\n' case protocol python simplehttp stdfs simplehttp/python "peak RSS MiB py/sh/std"
	for ci in "${!cases[@]}"; do
		IFS='|' read -r label _ _ <<<"${cases[$ci]}"
		for proto in 10 11; do
			py=$(median "${rps[$ci#py$proto]:-}")
			sh=$(median "${rps[$ci#sh$proto]:-}")
			std=$(median "${rps[$ci#std$proto]:-}")
			rss="$(mib "${rss_after[$ci#py$proto]}") / $(mib "${rss_after[$ci#sh$proto]}") / $(mib "${rss_after[$ci#std$proto]}")"
			printf '%-16s %-20s %10s %11s %10s %18s %22s\n' "$label" "$(proto_name $proto)" "$py" "$sh" "$std" "$(ratio "$sh" "$py")" "$rss"
		done
	done
	echo
	echo "Latency in ms, p50 / p99"
	printf '%-16s %-20s %17s %17s %17s\n' case protocol python simplehttp stdfs
	for ci in "${!cases[@]}"; do
		IFS='|' read -r label _ _ <<<"${cases[$ci]}"
		for proto in 10 11; do
			cells=()
			for s in py sh std; do
				cells+=("$(median "${p50[$ci#$s$proto]:-}") / $(median "${p99[$ci#$s$proto]:-}")")
			done
			printf '%-16s %-20s %17s %17s %17s\n' "$label" "$(proto_name $proto)" "${cells[@]}"
		done
	done
	echo
	echo "100 MiB file, one curl download each: seconds (MiB/s)"
	printf '%-20s %17s %17s %17s %18s\n' protocol python simplehttp stdfs simplehttp/python
	for proto in 10 11; do
		cells=()
		for s in py sh std; do
			cells+=("${dl_secs[$s$proto]} (${dl_speed[$s$proto]})")
		done
		printf '%-20s %17s %17s %17s %18s\n' "$(proto_name $proto)" "${cells[@]}" "$(ratio "${dl_speed[sh$proto]}" "${dl_speed[py$proto]}")"
	done
	echo
	echo "Memory in MiB: RSS when idle after start-up, peak RSS (VmHWM) at the end"
	printf '%-20s %17s %17s %17s\n' protocol python simplehttp stdfs
	for proto in 10 11; do
		cells=()
		for s in py sh std; do
			cells+=("$(mib "${idle_rss[$s$proto]}") / $(mib "${peak_rss[$s$proto]}")")
		done
		printf '%-20s %17s %17s %17s\n' "$(proto_name $proto)" "${cells[@]}"
	done
	echo
	if [ ${#notes[@]} -eq 0 ]; then
		echo "No socket errors, timeouts or unexpected statuses."
	else
		echo "Notes:"
		printf '  %s\n' "${notes[@]}"
	fi
}

results=${RESULTS:-bench/results/compare-$(date -u +%Y%m%d-%H%M%S).txt}
if [ "$results" = - ]; then
	report
else
	mkdir -p "$(dirname "$results")"
	report | tee "$results"
	echo "(written to $results)" >&2
fi
