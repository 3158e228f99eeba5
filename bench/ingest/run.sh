#!/usr/bin/env bash
# Ingest CPU per publisher: PUBLISHERS concurrent RTMP publishers (FFmpeg, stream copy of one clip, no transcoding)
# into NIO's Ingest, then the same publishers into nginx-rtmp, each server's CPU time measured over the same window.
# Prints CPU seconds per publisher-minute for both and the NIO / nginx-rtmp ratio (target: <= 1.5).
set -euo pipefail

ROOT=$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)
PUBLISHERS=${PUBLISHERS:-50}
MEASURE_SECONDS=${MEASURE_SECONDS:-30}
WARMUP_SECONDS=${WARMUP_SECONDS:-8}
API_PORT=${API_PORT:-15000} PG_PORT=${PG_PORT:-15433} RTMP_PORT=${RTMP_PORT:-11935} INGEST_PORT=${INGEST_PORT:-18081}
NGINX_PORT=${NGINX_PORT:-12935}

work=$(mktemp -d /tmp/nio-bench-ingest.XXXXXX)
chmod 755 "$work" # the private PostgreSQL cluster (run as the postgres user when root) lives inside
# shellcheck source=../lib.sh
source "$ROOT/bench/lib.sh"
publisher_pids=()
trap 'stop_publishers; bench_cleanup' EXIT

stop_publishers() {
  if [ ${#publisher_pids[@]} -gt 0 ]; then
    kill "${publisher_pids[@]}" 2>/dev/null || true
    wait "${publisher_pids[@]}" 2>/dev/null || true
  fi
  publisher_pids=()
}

# Publishes the clip in a loop to each URL given.
start_publishers() {
  local url
  for url in "$@"; do
    ffmpeg -nostdin -hide_banner -loglevel error -re -stream_loop -1 -i "$work/clip.flv" -c copy -f flv "$url" &
    publisher_pids+=($!)
  done
}

# CPU seconds the processes use over the measuring window, after the warm-up.
measure() {
  local before after
  sleep "$WARMUP_SECONDS"
  before=$(bench_cpu_ticks "$@")
  sleep "$MEASURE_SECONDS"
  after=$(bench_cpu_ticks "$@")
  awk -v t=$((after - before)) -v hz="$(getconf CLK_TCK)" 'BEGIN { printf "%.3f", t / hz }'
}

"$ROOT/nio" install "command -v ffmpeg:ffmpeg" "command -v curl:curl" "command -v nginx:nginx" \
  "test -e /usr/lib/nginx/modules/ngx_rtmp_module.so:libnginx-mod-rtmp"

echo "clip: 720p30 H.264 2.5 Mb/s + AAC, 10 s, looped by every publisher"
bench_make_clip 10 "$work/clip.flv" -g 60

# --- NIO ---------------------------------------------------------------------------------------
# Only the Api and the Ingest: no Transcoder pulling the streams, so the Ingest does what nginx-rtmp does. Every
# publisher connects from this machine's one address, so that address may hold them all.
bench_start_nio NIO_SERVICES="Api Ingest" PORT="$API_PORT" NIO_PG_PORT="$PG_PORT" NIO_RTMP_PORT="$RTMP_PORT" NIO_INGEST_PORT="$INGEST_PORT" \
  Rtmp__MaxConnectionsPerAddress="$PUBLISHERS"

urls=()
for i in $(seq 1 "$PUBLISHERS"); do
  read -r key _ _ < <(bench_create_stream "http://127.0.0.1:$API_PORT" "bench$i")
  urls+=("rtmp://127.0.0.1:$RTMP_PORT/live/$key")
done

start_publishers "${urls[@]}"
ingest_pid=$(cat "$work/nio/Ingest.pid")
nio_cpu=$(measure "$ingest_pid")
live=$(curl -fsS "http://127.0.0.1:$API_PORT/api/streams?pageSize=100" | sed -E 's/.*"totalCount":([0-9]+).*/\1/')
stop_publishers
[ "$live" = "$PUBLISHERS" ] || { echo "only $live of $PUBLISHERS NIO streams were live" >&2; exit 1; }

# --- nginx-rtmp --------------------------------------------------------------------------------
mkdir -p "$work/nginx"
cat >"$work/nginx/nginx.conf" <<EOF
load_module /usr/lib/nginx/modules/ngx_rtmp_module.so;
daemon off;
worker_processes auto;
pid $work/nginx/nginx.pid;
error_log $work/nginx/logs/error.log warn;
events { worker_connections 1024; }
rtmp {
  server {
    listen 127.0.0.1:$NGINX_PORT;
    chunk_size 4096;
    application live { live on; record off; }
  }
}
EOF
bench_start_nginx
nginx_pid=${bench_pids[-1]}
nginx_urls=()
for i in $(seq 1 "$PUBLISHERS"); do nginx_urls+=("rtmp://127.0.0.1:$NGINX_PORT/live/s$i"); done
start_publishers "${nginx_urls[@]}"
# shellcheck disable=SC2046
nginx_cpu=$(measure "$nginx_pid" $(pgrep -P "$nginx_pid"))
stop_publishers

# --- results -----------------------------------------------------------------------------------
awk -v n="$PUBLISHERS" -v s="$MEASURE_SECONDS" -v nio="$nio_cpu" -v ngx="$nginx_cpu" 'BEGIN {
  per = 60 / s / n
  printf "publishers: %d, measured: %d s after %s s warm-up\n", n, s, ENVIRON["WARMUP_SECONDS"] ? ENVIRON["WARMUP_SECONDS"] : 8
  printf "NIO Ingest : %7.3f CPU s  = %6.4f CPU s per publisher-minute (%5.1f%% of one core)\n", nio, nio * per, 100 * nio / s
  printf "nginx-rtmp : %7.3f CPU s  = %6.4f CPU s per publisher-minute (%5.1f%% of one core)\n", ngx, ngx * per, 100 * ngx / s
  printf "ratio NIO / nginx-rtmp: %.2f (target <= 1.5)\n", (ngx > 0 ? nio / ngx : 0)
}'
