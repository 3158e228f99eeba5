#!/usr/bin/env bash
# Soak: all of NIO (./nio up: Api, Origin, Ingest, Transcoder) with one publisher, VIEWERS LL-HLS viewers coming and
# going and chat for SOAK_MINUTES (30; QUICK=1: 10). Every SAMPLE_SECONDS it prints each service's resident memory,
# open file descriptors and threads (and those of the Transcoder's FFmpeg); at the end how much each grew after
# WARMUP_MINUTES, the viewer stalls and a verdict. Target: growth under 5 % after the warm-up, 0 viewer stalls.
set -euo pipefail

# One benchmark at a time on this machine (benchmarks take the same lock); -o: the servers started below do not hold it.
if [ -z "${NIO_BENCH_LOCKED:-}" ]; then
  exec env NIO_BENCH_LOCKED=1 flock -o /tmp/nio-bench.lock bash "$0" "$@"
fi

ROOT=$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)
if [ "${QUICK:-0}" = 1 ]; then SOAK_MINUTES=${SOAK_MINUTES:-10}; fi
SOAK_MINUTES=${SOAK_MINUTES:-30}
WARMUP_MINUTES=${WARMUP_MINUTES:-5}
SAMPLE_SECONDS=${SAMPLE_SECONDS:-30}
VIEWERS=${VIEWERS:-200}
VIEWER_MINUTES=${VIEWER_MINUTES:-5} # each viewer stays 0.5-1.5 times this, then another takes its seat; 0: the whole run
CHAT_VIEWERS=${CHAT_VIEWERS:-50}    # viewers that also read the chat
CHATTERS=${CHATTERS:-20}
CHAT_SECONDS=${CHAT_SECONDS:-3} # each chatter sends a message this often
CLIP_SECONDS=${CLIP_SECONDS:-20}
API_PORT=${API_PORT:-15500} PG_PORT=${PG_PORT:-15933} RTMP_PORT=${RTMP_PORT:-12246} INGEST_PORT=${INGEST_PORT:-18491}
TRANSCODER_PORT=${TRANSCODER_PORT:-18492} ORIGIN_PORT=${ORIGIN_PORT:-18490}

work=$(mktemp -d /tmp/nio-bench-soak.XXXXXX)
chmod 755 "$work" # the private PostgreSQL cluster (run as the postgres user when root) lives inside
# shellcheck source=../lib.sh
source "$ROOT/bench/lib.sh"
trap bench_cleanup EXIT

"$ROOT/nio" install "command -v ffmpeg:ffmpeg" "command -v curl:curl" "command -v npm:npm"
"$ROOT/nio" npm Web
dotnet build "$ROOT/bench/soak/SoakBench.csproj" -c Release -nologo -v quiet >"$work/build.log" 2>&1 || { cat "$work/build.log"; exit 1; }

echo "clip: ${CLIP_SECONDS} s of 720p30 H.264 2.5 Mb/s (1 s GOP) + AAC, published in a loop without re-encoding"
bench_make_clip "$CLIP_SECONDS" "$work/clip.flv"

# All chat comes from 127.0.0.1. Access tokens outlive the run, so the chatters' hub connections are not closed
# when their tokens expire (what the soak watches is the services, not sign-in).
: >"$work/nio.log" # bench_start_nio polls it before ./nio up has written a line
bench_start_nio PORT="$API_PORT" NIO_PG_PORT="$PG_PORT" NIO_RTMP_PORT="$RTMP_PORT" NIO_INGEST_PORT="$INGEST_PORT" \
  NIO_TRANSCODER_PORT="$TRANSCODER_PORT" NIO_ORIGIN_PORT="$ORIGIN_PORT" \
  Chat__MaxConnectionsPerAddress=$((CHAT_VIEWERS + CHATTERS + 100)) Jwt__AccessTokenMinutes=1440
api="http://127.0.0.1:$API_PORT" origin="http://127.0.0.1:$ORIGIN_PORT"

read -r key stream _ < <(bench_create_stream "$api" soak-streamer)
NIO_BENCH_SENDER_TOKENS=""
for i in $(seq 1 "$CHATTERS"); do
  NIO_BENCH_SENDER_TOKENS+=" $(bench_register "$api" "soak-chatter-$i" "chatter $i")"
done
export NIO_BENCH_SENDER_TOKENS # in the environment only, never on a command line

ffmpeg -nostdin -hide_banner -loglevel error -re -stream_loop -1 -i "$work/clip.flv" -c copy -f flv "rtmp://127.0.0.1:$RTMP_PORT/live/$key" &
bench_pids+=($!)
bench_wait_for "$origin/live/$stream/master.m3u8"
bench_wait_for "$origin/live/$stream/$(curl -fsS "$origin/live/$stream/master.m3u8" | grep -m1 '/index.m3u8$')"

services=()
for name in Api Ingest Transcoder Origin; do services+=("$name=$(cat "$work/nio/$name.pid")"); done
dotnet "$ROOT/bench/soak/bin/Release/net10.0/SoakBench.dll" "$origin" "$stream" "$api/hubs/stream" "$SOAK_MINUTES" "$WARMUP_MINUTES" \
  "$SAMPLE_SECONDS" "$VIEWERS" "$VIEWER_MINUTES" "$CHAT_VIEWERS" "$CHATTERS" "$CHAT_SECONDS" "${services[@]}"

# What the services said meanwhile (their output is in ./nio up's log).
echo "services' log: $(grep -c 'warn:' "$work/nio.log" || true) warnings, $(grep -cE 'fail:|crit:' "$work/nio.log" || true) errors"
grep -E -A2 'warn:|fail:|crit:' "$work/nio.log" | head -30 || true
