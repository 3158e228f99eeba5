#!/usr/bin/env bash
# Part delivery behind the glass-to-glass figure: how long after the Transcoder wrote a part into the media store
# the Origin had it and the first viewer held its bytes. NIO runs as ./nio up does (Api, Origin, Ingest; local-disk
# media store) with the Transcoder started beside it from NIO_TRANSCODER_ROOT (default: this tree), so two builds of
# the Transcoder can be compared against the same services. One publisher loops a 720p30 clip (so the ladder has
# three renditions: source, 480p, 240p) and VIEWERS simulated LL-HLS viewers, spread over the renditions, each ask
# for every part with blocking playlist reload. Prints p50 / p90 / p99 / max per rendition and for all of them.
set -euo pipefail

ROOT=$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)
TRANSCODER_ROOT=$(cd "${NIO_TRANSCODER_ROOT:-$ROOT}" && pwd)
VIEWERS=${VIEWERS:-300}
WARMUP_SECONDS=${WARMUP_SECONDS:-10}
MEASURE_SECONDS=${MEASURE_SECONDS:-60}
CLIP_SECONDS=${CLIP_SECONDS:-20}
API_PORT=${API_PORT:-15200} PG_PORT=${PG_PORT:-15633} RTMP_PORT=${RTMP_PORT:-11946} INGEST_PORT=${INGEST_PORT:-18191}
TRANSCODER_PORT=${TRANSCODER_PORT:-18192} ORIGIN_PORT=${ORIGIN_PORT:-18190}

work=$(mktemp -d /tmp/nio-bench-parts.XXXXXX)
chmod 755 "$work" # the private PostgreSQL cluster (run as the postgres user when root) lives inside
# shellcheck source=../lib.sh
source "$ROOT/bench/lib.sh"
trap bench_cleanup EXIT

"$ROOT/nio" install "command -v ffmpeg:ffmpeg" "command -v curl:curl" "command -v npm:npm"
"$ROOT/nio" npm Web
for project in "$TRANSCODER_ROOT/Transcoder/Nio.Transcoder.csproj" "$ROOT/bench/latency/PartDelivery/PartDelivery.csproj"; do
  dotnet build "$project" -c Release -nologo -v quiet >"$work/build.log" 2>&1 || { cat "$work/build.log"; exit 1; }
done
echo "Transcoder: $TRANSCODER_ROOT ($(git -C "$TRANSCODER_ROOT" log -1 --format='%h %s' | cut -c1-80))"

echo "clip: ${CLIP_SECONDS} s of 720p30 H.264 2.5 Mb/s (1 s GOP) + AAC, published in a loop without re-encoding"
ffmpeg -nostdin -hide_banner -loglevel error -f lavfi -i testsrc2=size=1280x720:rate=30 -f lavfi -i sine=frequency=440:sample_rate=44100 \
  -t "$CLIP_SECONDS" -c:v libx264 -preset veryfast -b:v 2500k -g 30 -pix_fmt yuv420p -c:a aac -b:a 128k -f flv "$work/clip.flv"

bench_start_nio NIO_SERVICES="Api Origin Ingest" PORT="$API_PORT" NIO_PG_PORT="$PG_PORT" NIO_RTMP_PORT="$RTMP_PORT" \
  NIO_INGEST_PORT="$INGEST_PORT" NIO_TRANSCODER_PORT="$TRANSCODER_PORT" NIO_ORIGIN_PORT="$ORIGIN_PORT"
# The Transcoder as ./nio up would start it, from the chosen tree, calling the internal listeners ./nio up opened.
(cd "$TRANSCODER_ROOT/Transcoder/bin/Release/net10.0" && NIO_DATA_DIR="$work/nio" NIO_TRANSCODER_PORT="$TRANSCODER_PORT" \
  NIO_INGEST_URL="http://127.0.0.1:$((INGEST_PORT + 10))" NIO_ORIGIN_URL="http://127.0.0.1:$((ORIGIN_PORT + 10))" \
  NIO_API_URL="http://127.0.0.1:$((API_PORT + 10))" \
  exec dotnet Nio.Transcoder.dll) >"$work/transcoder.log" 2>&1 &
bench_pids+=($!)
bench_wait_for "http://127.0.0.1:$TRANSCODER_PORT/healthz"

read -r key stream _ < <(bench_create_stream "http://127.0.0.1:$API_PORT" parts)
ffmpeg -nostdin -hide_banner -loglevel error -re -stream_loop -1 -i "$work/clip.flv" -c copy -f flv "rtmp://127.0.0.1:$RTMP_PORT/live/$key" &
bench_pids+=($!)
bench_wait_for "http://127.0.0.1:$ORIGIN_PORT/live/$stream/master.m3u8"

dotnet "$ROOT/bench/latency/PartDelivery/bin/Release/net10.0/PartDelivery.dll" "http://127.0.0.1:$ORIGIN_PORT" "$stream" \
  "$work/nio/media" "$VIEWERS" "$WARMUP_SECONDS" "$MEASURE_SECONDS"
warnings=$(grep -c 'warn' "$work/transcoder.log" || true)
echo "Transcoder log: $warnings warnings"
