#!/usr/bin/env bash
# Origin viewers served and segment throughput.
#  1. The real Origin (Release, disk media store) is fed a synthetic live stream the way the Transcoder feeds it
#     (parts stored and announced over POST /internal/playlists in real time, PART-TARGET 0.25 s, 1 s segments),
#     while VIEWERS simulated LL-HLS viewers in another process loop over blocking playlist request + part GET.
#     Prints the delay from each part's announcement to a viewer having its bytes (target: p99 <= PART-TARGET + 100 ms).
#  2. wrk fetches one segment from the Origin, then the same file from nginx (sendfile) in the same folder, with the
#     same settings, ROUNDS times in turn. Prints requests/s for both (median of the rounds) and the ratio NIO / nginx
#     (target: >= 1.0).
set -euo pipefail

ROOT=$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)
VIEWERS=${VIEWERS:-500}
WARMUP_SECONDS=${WARMUP_SECONDS:-5}
MEASURE_SECONDS=${MEASURE_SECONDS:-30}
WRK_SECONDS=${WRK_SECONDS:-10}
WRK_THREADS=${WRK_THREADS:-2}
WRK_CONNECTIONS=${WRK_CONNECTIONS:-50}
ROUNDS=${ROUNDS:-3}
ORIGIN_PORT=${ORIGIN_PORT:-18180}
NGINX_PORT=${NGINX_PORT:-18181}

work=$(mktemp -d /tmp/nio-bench-origin.XXXXXX)
chmod 755 "$work" # nginx's workers (an unprivileged user when started as root) read the media folder inside
source "$ROOT/bench/lib.sh"
trap bench_cleanup EXIT

# Requests per second of one wrk run against a URL.
requests_per_second() {
  wrk -t "$WRK_THREADS" -c "$WRK_CONNECTIONS" -d "${WRK_SECONDS}s" "$1" >"$work/wrk.txt"
  grep -q 'Non-2xx' "$work/wrk.txt" && { cat "$work/wrk.txt" >&2; echo "wrk got error answers from $1" >&2; exit 1; }
  awk '/^Requests\/sec:/ { print $2 }' "$work/wrk.txt"
}

"$ROOT/nio" install "command -v curl:curl" "command -v wrk:wrk" "command -v nginx:nginx"
for project in Origin/Nio.Origin.csproj bench/origin/OriginBench.csproj; do
  dotnet build "$ROOT/$project" -c Release -nologo -v quiet >"$work/build.log" 2>&1 || { cat "$work/build.log"; exit 1; }
done
bench="$ROOT/bench/origin/bin/Release/net10.0/OriginBench.dll"

# The feeder plays the Transcoder: its secret for the Origin travels in the environment only, never on a command line
# or in the output.
NIO_TRANSCODER_TO_ORIGIN_SECRET=$(head -c 32 /dev/urandom | base64)
export NIO_TRANSCODER_TO_ORIGIN_SECRET
media="$work/media"
stream=$(cat /proc/sys/kernel/random/uuid)

(cd "$ROOT/Origin/bin/Release/net10.0" && NIO_DATA_DIR="$work/origin" NIO_STORAGE=disk NIO_STORAGE_DIR="$media" \
  NIO_ORIGIN_PORT=$ORIGIN_PORT NIO_ORIGIN_INTERNAL_PORT=$((ORIGIN_PORT + 10)) exec dotnet Nio.Origin.dll) >"$work/origin.log" 2>&1 &
bench_pids+=($!)
bench_wait_for "http://127.0.0.1:$ORIGIN_PORT/healthz"

# --- 1. viewers served ---------------------------------------------------------------------------
feed_seconds=$((WARMUP_SECONDS + MEASURE_SECONDS + 10))
dotnet "$bench" feed "http://127.0.0.1:$((ORIGIN_PORT + 10))" "$media" "$stream" "$feed_seconds" "$work/announcements" >"$work/feeder.log" 2>&1 &
feeder_pid=$!
bench_pids+=("$feeder_pid")
bench_wait_for "http://127.0.0.1:$ORIGIN_PORT/live/$stream/source/index.m3u8"
echo "viewers: $VIEWERS LL-HLS viewers of one rendition (about 1.6 Mb/s: parts of 35-75 KB and a short one, 1 s segments)"
dotnet "$bench" view "http://127.0.0.1:$ORIGIN_PORT" "$stream" "$VIEWERS" "$WARMUP_SECONDS" "$MEASURE_SECONDS" "$work/announcements"
kill -TERM "$feeder_pid" && wait "$feeder_pid" 2>/dev/null || true
if grep -q 'warn' "$work/feeder.log"; then cat "$work/feeder.log" >&2; fi

# --- 2. segment GET throughput against nginx ------------------------------------------------------
segment=$(cd "$media/live/$stream/source" && ls -- *seg*.m4s | sort -V | tail -n 1)
mkdir -p "$work/nginx"
cat >"$work/nginx/nginx.conf" <<CONF
daemon off;
# One worker per core, as Kestrel uses the thread pool on every core.
worker_processes auto;
pid $work/nginx/nginx.pid;
error_log $work/nginx/logs/error.log warn;
events { worker_connections 1024; }
http {
  sendfile on;
  tcp_nopush on;
  access_log off;
  # Kestrel keeps a connection for any number of requests; so does nginx here.
  keepalive_requests 1000000;
  types { video/mp4 m4s; }
  server {
    listen 127.0.0.1:$NGINX_PORT;
    root $media;
  }
}
CONF
bench_start_nginx
bench_wait_for "http://127.0.0.1:$NGINX_PORT/live/$stream/source/$segment"

path="live/$stream/source/$segment"
echo "segment throughput: $(stat -c %s "$media/$path") bytes, wrk -t $WRK_THREADS -c $WRK_CONNECTIONS -d ${WRK_SECONDS}s"
nio_runs=() nginx_runs=()
for round in $(seq 1 "$ROUNDS"); do
  nio_runs+=("$(requests_per_second "http://127.0.0.1:$ORIGIN_PORT/$path")")
  nginx_runs+=("$(requests_per_second "http://127.0.0.1:$NGINX_PORT/$path")")
  echo "round $round: NIO ${nio_runs[-1]} requests/s, nginx ${nginx_runs[-1]} requests/s"
done

# Other work on the machine makes single runs noisy: the median of the rounds.
median() { printf '%s\n' "$@" | sort -g | awk '{ v[NR] = $1 } END { print (NR % 2 ? v[(NR + 1) / 2] : (v[NR / 2] + v[NR / 2 + 1]) / 2) }'; }
awk -v nio="$(median "${nio_runs[@]}")" -v ngx="$(median "${nginx_runs[@]}")" 'BEGIN {
  printf "NIO Origin : %10.0f requests/s (median)\n", nio
  printf "nginx      : %10.0f requests/s (median)\n", ngx
  printf "ratio NIO / nginx: %.2f (target >= 1.0)\n", nio / ngx
}'
