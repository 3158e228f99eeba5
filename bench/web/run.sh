#!/usr/bin/env bash
# The web app's first load, against the app as it was at BASELINE (default 5a0a246, the two-page app before the
# current one), both served by the same NIO in the same run (two Api processes on one database, each serving its own
# build), in alternating rounds (ROUNDS, default 5), each a cold load in a new headless Chromium context:
#   home:  JavaScript transferred (compressed) and first contentful paint
#   watch: navigation to the first video frame of a live stream (target: median <= 0.8 s)
# Prints every round, the medians and the ratios new / baseline.
# The stream is a 720p30 clip encoded beforehand and published in a loop (-c copy): the streamer's encoder is not on
# the server or the viewer's device. The servers (NIO with its Transcoder's encoders, the baseline's Api, the
# publishing FFmpeg) run at niceness SERVER_NICE (default 10), so that the browser, which stands for a viewer's own
# device, is not starved by the encoders that share these two cores with it. SERVER_NICE=0 measures everything at one
# priority.
set -euo pipefail

if [ -z "${NIO_BENCH_LOCKED:-}" ]; then
  exec env NIO_BENCH_LOCKED=1 flock -o /tmp/nio-bench.lock "$0" "$@"
fi

ROOT=$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)
BASELINE=${BASELINE:-5a0a246}
ROUNDS=${ROUNDS:-5}
SERVER_NICE=${SERVER_NICE:-10}
API_PORT=${API_PORT:-15200} OLD_API_PORT=${OLD_API_PORT:-15201} PG_PORT=${PG_PORT:-15633} RTMP_PORT=${RTMP_PORT:-11937}
INGEST_PORT=${INGEST_PORT:-18281} TRANSCODER_PORT=${TRANSCODER_PORT:-18282} ORIGIN_PORT=${ORIGIN_PORT:-18283}

work=$(mktemp -d /tmp/nio-bench-web.XXXXXX)
chmod 755 "$work"
# shellcheck source=../lib.sh
source "$ROOT/bench/lib.sh"
trap bench_cleanup EXIT

"$ROOT/nio" install "command -v ffmpeg:ffmpeg" "command -v curl:curl" "command -v npm:npm" "command -v chromium:chromium"
"$ROOT/nio" npm tests/EndToEnd/browser

# The baseline app, built from its commit exactly as ./nio up builds the current one.
mkdir -p "$work/baseline"
git -C "$ROOT" archive "$BASELINE" Web | tar -x -C "$work/baseline"
(cd "$work/baseline/Web" && npm ci --no-audit --no-fund >/dev/null && npm run build >/dev/null)

BENCH_NICE=$SERVER_NICE bench_start_nio PORT="$API_PORT" NIO_PG_PORT="$PG_PORT" NIO_RTMP_PORT="$RTMP_PORT" NIO_INGEST_PORT="$INGEST_PORT" \
  NIO_TRANSCODER_PORT="$TRANSCODER_PORT" NIO_ORIGIN_PORT="$ORIGIN_PORT"
# A second Api on the same database and data folder, serving the baseline build.
db_url=$("$ROOT/nio" db start "$work/nio" "$PG_PORT")
(cd "$ROOT/Api/bin/Release/net10.0" && exec nice -n "$SERVER_NICE" env PORT="$OLD_API_PORT" NIO_API_INTERNAL_PORT="$((OLD_API_PORT + 10))" \
  NIO_DATA_DIR="$work/nio" NIO_DATABASE_URL="$db_url" \
  NIO_WEB_ROOT="$work/baseline/Web/dist" NIO_ORIGIN_URL="http://127.0.0.1:$ORIGIN_PORT" \
  NIO_PLAYBACK_URL="http://{host}:$ORIGIN_PORT/live" NIO_RTMP_URL="rtmp://{host}:$RTMP_PORT/live" \
  dotnet Nio.Api.dll >"$work/baseline-api.log" 2>&1) &
bench_pids+=($!)
bench_wait_for "http://127.0.0.1:$OLD_API_PORT/healthz"

read -r key id playback < <(bench_create_stream "http://127.0.0.1:$API_PORT" webbench)
# The clip as the studio page advises (1 s keyframes, x264 veryfast zerolatency, 48 kHz audio).
bench_make_clip 20 "$work/clip.flv" -tune zerolatency -ar 48000
nice -n "$SERVER_NICE" ffmpeg -nostdin -hide_banner -loglevel error -re -stream_loop -1 -i "$work/clip.flv" -c copy -f flv "rtmp://127.0.0.1:$RTMP_PORT/live/$key" &
bench_pids+=($!)
bench_wait_for "$playback"
sleep 3

measure() { node "$ROOT/bench/web/measure.mjs" "$@"; }
field() { sed -E "s/.*\"$1\":([0-9.]+).*/\1/" <<<"$2"; }
declare -A values
for ((round = 1; round <= ROUNDS; round++)); do
  # Alternate which goes first, so drift hits both.
  order=(new baseline); ((round % 2 == 0)) && order=(baseline new)
  for which in "${order[@]}"; do
    port=$API_PORT; [ "$which" = baseline ] && port=$OLD_API_PORT
    home=$(measure home "http://127.0.0.1:$port/")
    watch=$(measure watch "http://127.0.0.1:$port/watch/$id")
    values[$which.js]+="$(field jsBytes "$home") "
    values[$which.fcp]+="$(field fcpMs "$home") "
    values[$which.frame]+="$(field firstFrameMs "$watch") "
    echo "round $round $which: home $home; watch $watch"
  done
done

median() { tr ' ' '\n' | grep -v '^$' | sort -g | awk '{ v[NR] = $1 } END { print (NR % 2 ? v[(NR + 1) / 2] : (v[NR / 2] + v[NR / 2 + 1]) / 2) }'; }
for metric in js fcp frame; do
  new=$(median <<<"${values[new.$metric]}")
  old=$(median <<<"${values[baseline.$metric]}")
  case $metric in
    js) label="home JavaScript transferred (bytes, gzipped)" ;;
    fcp) label="home first contentful paint (ms)" ;;
    frame) label="watch: navigation to first video frame (ms)" ;;
  esac
  awk -v l="$label" -v n="$new" -v o="$old" 'BEGIN { printf "%-46s new %9.0f  baseline %9.0f  ratio %.2f\n", l, n, o, (o > 0 ? n / o : 0) }'
done
echo "targets: home JavaScript < 200 KB gzipped; watch first frame median <= 800 ms"
