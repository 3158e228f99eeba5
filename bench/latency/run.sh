#!/usr/bin/env bash
# Glass-to-glass latency: one publisher stamps the wall-clock time into every frame it makes (clock.mjs) and pushes
# the same encoded stream to NIO (./nio up: LL-HLS from the Origin) and to nginx-rtmp (hls_fragment 1s, served by
# nginx). Headless Chromium plays each with the watch page's player (hls.js) and reads the stamp back from every
# frame it shows. Prints median / p10 / p90 latency for both and the ratio NIO / nginx-rtmp
# (targets: NIO median <= 1.5 s and ratio <= 0.3).
set -euo pipefail

ROOT=$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)
WARMUP_SECONDS=${WARMUP_SECONDS:-10}
MEASURE_SECONDS=${MEASURE_SECONDS:-30}
API_PORT=${API_PORT:-15100} PG_PORT=${PG_PORT:-15533} RTMP_PORT=${RTMP_PORT:-11936} INGEST_PORT=${INGEST_PORT:-18181}
TRANSCODER_PORT=${TRANSCODER_PORT:-18182} ORIGIN_PORT=${ORIGIN_PORT:-18180}
# Extra settings for NIO as VAR=value words, e.g. NIO_SETTINGS="Transcoder__PartTargetSeconds=0.3"
NIO_SETTINGS=${NIO_SETTINGS:-}
NGINX_RTMP_PORT=${NGINX_RTMP_PORT:-12936} NGINX_HTTP_PORT=${NGINX_HTTP_PORT:-18280}

work=$(mktemp -d /tmp/nio-bench-latency.XXXXXX)
chmod 755 "$work" # the private PostgreSQL cluster (run as the postgres user when root) lives inside
# shellcheck source=../lib.sh
source "$ROOT/bench/lib.sh"
trap bench_cleanup EXIT

"$ROOT/nio" install "command -v ffmpeg:ffmpeg" "command -v curl:curl" "command -v nginx:nginx" \
  "test -e /usr/lib/nginx/modules/ngx_rtmp_module.so:libnginx-mod-rtmp" "command -v npm:npm" "command -v chromium:chromium"
# The watch page's player as one script, and playwright-core to drive Chromium as the end-to-end tests do.
"$ROOT/nio" npm Web tests/EndToEnd/browser
export PLAYER_JS="$work/player/player.js"
PLAYER_OUT="$work/player" "$ROOT/Web/node_modules/.bin/vite" build --config "$ROOT/bench/latency/player.vite.config.mjs" >/dev/null

# --- NIO ---------------------------------------------------------------------------------------
bench_start_nio PORT="$API_PORT" NIO_PG_PORT="$PG_PORT" NIO_RTMP_PORT="$RTMP_PORT" NIO_INGEST_PORT="$INGEST_PORT" \
  NIO_TRANSCODER_PORT="$TRANSCODER_PORT" NIO_ORIGIN_PORT="$ORIGIN_PORT" \
  ${NIO_SETTINGS:-}
read -r key _ nio_url < <(bench_create_stream "http://127.0.0.1:$API_PORT" latency)

# --- nginx-rtmp with HLS -----------------------------------------------------------------------
mkdir -p "$work/nginx" "$work/hls"
cat >"$work/nginx/nginx.conf" <<CONF
load_module /usr/lib/nginx/modules/ngx_rtmp_module.so;
daemon off;
worker_processes 1;
pid $work/nginx/nginx.pid;
error_log $work/nginx/logs/error.log warn;
events { worker_connections 1024; }
rtmp {
  server {
    listen 127.0.0.1:$NGINX_RTMP_PORT;
    chunk_size 4096;
    application live { live on; record off; hls on; hls_path $work/hls; hls_fragment 1s; hls_playlist_length 6s; }
  }
}
http {
  access_log off;
  server {
    listen 127.0.0.1:$NGINX_HTTP_PORT;
    location /hls/ {
      alias $work/hls/;
      types { application/vnd.apple.mpegurl m3u8; video/mp2t ts; }
      add_header Cache-Control no-cache;
      add_header Access-Control-Allow-Origin *;
    }
  }
}
CONF
bench_start_nginx
nginx_url="http://127.0.0.1:$NGINX_HTTP_PORT/hls/bench.m3u8"

# --- the publisher: stamped frames, encoded once, pushed to both -------------------------------
epoch=$(date +%s%3N)
(node "$ROOT/bench/latency/source.mjs" "$epoch" | ffmpeg -nostdin -hide_banner -loglevel error \
  -f rawvideo -pix_fmt gray -s 640x360 -framerate 30 -i - -f lavfi -i anullsrc=r=44100:cl=stereo -map 0:v -map 1:a \
  -c:v libx264 -preset veryfast -tune zerolatency -g 30 -pix_fmt yuv420p -b:v 1500k -flags:v +global_header \
  -c:a aac -b:a 64k -flags:a +global_header \
  -f tee "[f=flv:onfail=ignore]rtmp://127.0.0.1:$RTMP_PORT/live/$key|[f=flv:onfail=ignore]rtmp://127.0.0.1:$NGINX_RTMP_PORT/live/bench") &
bench_pids+=($!)
bench_wait_for "$nio_url"
bench_wait_for "$nginx_url"

echo "publisher: 640x360 30 fps H.264 (veryfast, zerolatency, 1 s GOP) + AAC, the clock in every frame"
echo "player: headless Chromium, hls.js; ${WARMUP_SECONDS} s warm-up, then ${MEASURE_SECONDS} s of frames each"
measure() {
  node "$ROOT/bench/latency/measure.mjs" "$1" "$epoch" "$WARMUP_SECONDS" "$MEASURE_SECONDS"
}
nio=$(measure "$nio_url")
nginx=$(measure "$nginx_url")
echo "NIO (LL-HLS)        : $nio"
echo "nginx-rtmp (HLS 1 s): $nginx"

median() { sed -E 's/.*"median":([0-9.]+|null).*/\1/' <<<"$1"; }
awk -v nio="$(median "$nio")" -v ngx="$(median "$nginx")" 'BEGIN {
  printf "median glass-to-glass: NIO %.2f s, nginx-rtmp %.2f s\n", nio, ngx
  printf "ratio NIO / nginx-rtmp: %.2f (target <= 0.3); NIO median target <= 1.5 s: %s\n", (ngx > 0 ? nio / ngx : 0), (nio <= 1.5 ? "met" : "NOT met")
}'
