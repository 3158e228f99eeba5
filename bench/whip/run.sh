#!/usr/bin/env bash
# WHIP ingest, three figures against baselines measured in the same run:
#  1. glass-to-glass latency of a WHIP publisher (Chromium publishing a canvas that shows the clock) against an RTMP
#     publisher (the latency benchmark's stamped frames through FFmpeg), both into the same ./nio up and both watched
#     as LL-HLS with the watch page's player in Chromium; ROUNDS rounds of each, alternating (target: WHIP median
#     within 150 ms of RTMP's);
#  2. POST → connected time of SESSIONS Chromium WHIP sessions, from the start of the POST to the peer connection's
#     'connected' (target: median <= 300 ms);
#  3. Ingest CPU per WHIP publisher: PUBLISHERS Chromium tabs publishing the fake 720p camera capped at
#     PUBLISHER_KBPS into NIO's Ingest, then the same tabs into Janus (Debian's janus, VideoRoom, behind Debian's
#     simple-whip-server); the server's CPU seconds over the same window (target: NIO / Janus <= 1.5).
# PARTS chooses which run ("latency connect cpu" by default). The load average is printed with every figure.
set -euo pipefail

# One benchmark at a time on this machine: the others take the same lock.
if [ -z "${NIO_BENCH_LOCKED:-}" ]; then
  exec env NIO_BENCH_LOCKED=1 flock -o /tmp/nio-bench.lock "$0" "$@"
fi

ROOT=$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)
PARTS=${PARTS:-latency connect cpu}
ROUNDS=${ROUNDS:-3} WARMUP_SECONDS=${WARMUP_SECONDS:-8} MEASURE_SECONDS=${MEASURE_SECONDS:-15}
SESSIONS=${SESSIONS:-20}
PUBLISHERS=${PUBLISHERS:-3} PUBLISHER_KBPS=${PUBLISHER_KBPS:-2500} CPU_WARMUP_SECONDS=${CPU_WARMUP_SECONDS:-10}
CPU_SECONDS=${CPU_SECONDS:-30}
API_PORT=${API_PORT:-15200} PG_PORT=${PG_PORT:-15633} RTMP_PORT=${RTMP_PORT:-11937} INGEST_PORT=${INGEST_PORT:-18381}
TRANSCODER_PORT=${TRANSCODER_PORT:-18382} ORIGIN_PORT=${ORIGIN_PORT:-18380} WEBRTC_PORT=${WEBRTC_PORT:-18389}
JANUS_WS_PORT=${JANUS_WS_PORT:-19388} WHIP_SERVER_PORT=${WHIP_SERVER_PORT:-19390}

work=$(mktemp -d /tmp/nio-bench-whip.XXXXXX)
chmod 755 "$work" # the private PostgreSQL cluster (run as the postgres user when root) lives inside
# shellcheck source=../lib.sh
source "$ROOT/bench/lib.sh"
trap bench_cleanup EXIT

"$ROOT/nio" install "command -v ffmpeg:ffmpeg" "command -v curl:curl" "command -v npm:npm" "command -v chromium:chromium" \
  "command -v janus:janus"
"$ROOT/nio" npm Web tests/EndToEnd/browser

load() { cut -d' ' -f1-3 /proc/loadavg; }
whip_url="http://127.0.0.1:$INGEST_PORT/whip"

# The median and 95th percentile (nearest rank) of the numbers on stdin, one a line.
quantiles() {
  sort -g | awk '{ v[NR] = $1 } END { if (NR == 0) { print "none"; exit }
    printf "median %.1f, p95 %.1f, min %.1f, max %.1f (n=%d)", v[int((NR + 1) / 2)], v[int(NR * 0.95 + 0.999)], v[1], v[NR], NR }'
}

# Starts publish.mjs MODE ARGS… as NAME with its stdin on a pipe this script holds open (fd 3 + n); waits for its
# first line of output, printed. stop_publisher NAME tells it to quit (processes started later hold the pipe too).
declare -A publisher_fd publisher_pid
start_publisher() {
  local name=$1 fd
  shift
  mkfifo "$work/$name.in"
  exec {fd}<>"$work/$name.in"
  publisher_fd[$name]=$fd
  node "$ROOT/bench/whip/publish.mjs" "$@" <"$work/$name.in" >"$work/$name.out" 2>"$work/$name.err" &
  publisher_pid[$name]=$!
  bench_pids+=($!)
  local tries=0
  until [ -s "$work/$name.out" ]; do
    kill -0 "${publisher_pid[$name]}" 2>/dev/null || { cat "$work/$name.err" >&2; echo "publisher $name failed" >&2; exit 1; }
    tries=$((tries + 1)); [ $tries -lt 240 ] || { echo "publisher $name did not start" >&2; exit 1; }
    sleep 0.5
  done
  ! grep -q '"error"' "$work/$name.out" || { cat "$work/$name.out" >&2; exit 1; }
  head -1 "$work/$name.out"
}
stop_publisher() {
  local name=$1
  echo quit >&"${publisher_fd[$name]}"
  wait "${publisher_pid[$name]}" 2>/dev/null || true
}
# Asks the camera publisher NAME for its tabs' video bytes sent so far; prints their sum.
publisher_bytes() {
  local name=$1 lines
  lines=$(wc -l <"$work/$name.out")
  echo stats >&"${publisher_fd[$name]}"
  until [ "$(wc -l <"$work/$name.out")" -gt "$lines" ]; do sleep 0.2; done
  tail -1 "$work/$name.out" | sed -E 's/.*\[(.*)\].*/\1/' | tr ',' '\n' | awk '{ s += $1 } END { print s }'
}

stop_nio() {
  kill -TERM "$nio_pid" 2>/dev/null && wait "$nio_pid" 2>/dev/null || true
}
nio_ports=(PORT="$API_PORT" NIO_PG_PORT="$PG_PORT" NIO_RTMP_PORT="$RTMP_PORT" NIO_INGEST_PORT="$INGEST_PORT"
  NIO_TRANSCODER_PORT="$TRANSCODER_PORT" NIO_ORIGIN_PORT="$ORIGIN_PORT" NIO_WEBRTC_UDP_PORT="$WEBRTC_PORT")

# --- 1 and 2: latency and connect time, with the whole media path ------------------------------------------------
if [[ " $PARTS " == *" latency "* || " $PARTS " == *" connect "* ]]; then
  bench_start_nio NIO_SERVICES="Api Origin Ingest Transcoder" "${nio_ports[@]}"
  nio_pid=${bench_pids[-1]}
  api="http://127.0.0.1:$API_PORT"

  if [[ " $PARTS " == *" connect "* ]]; then
    read -r key _ _ < <(bench_create_stream "$api" connect)
    echo "--- POST → connected, $SESSIONS Chromium sessions one after another (load $(load))"
    start_publisher connect connect "$whip_url" "$key" "$SESSIONS" >/dev/null
    wait "${publisher_pid[connect]}" || true
    ! grep -q '"error"' "$work/connect.out" || { cat "$work/connect.out" >&2; exit 1; }
    times=$(sed -E 's/.*\[(.*)\].*/\1/' "$work/connect.out" | tr ',' '\n')
    echo "every session, ms: $(tr '\n' ' ' <<<"$times")"
    echo "POST → connected: $(quantiles <<<"$times") ms; target median <= 300 ms (load after $(load))"
  fi

  if [[ " $PARTS " == *" latency "* ]]; then
    export PLAYER_JS="$work/player/player.js"
    PLAYER_OUT="$work/player" "$ROOT/Web/node_modules/.bin/vite" build --config "$ROOT/bench/latency/player.vite.config.mjs" >/dev/null
    read -r whip_key _ whip_playback < <(bench_create_stream "$api" whip)
    read -r rtmp_key _ rtmp_playback < <(bench_create_stream "$api" rtmp)
    epoch=$(date +%s%3N)
    echo "--- glass-to-glass, WHIP against RTMP into the same NIO, $ROUNDS rounds each"
    echo "WHIP publisher: Chromium, 640x360 30 fps canvas with the clock, H.264 capped at 1500 kb/s + Opus"
    start_publisher clock clock "$whip_url" "$whip_key" "$epoch"
    (node "$ROOT/bench/latency/source.mjs" "$epoch" | ffmpeg -nostdin -hide_banner -loglevel error \
      -f rawvideo -pix_fmt gray -s 640x360 -framerate 30 -i - -f lavfi -i anullsrc=r=44100:cl=stereo -map 0:v -map 1:a \
      -c:v libx264 -preset veryfast -tune zerolatency -g 30 -pix_fmt yuv420p -b:v 1500k -c:a aac -b:a 64k \
      -f flv "rtmp://127.0.0.1:$RTMP_PORT/live/$rtmp_key" 2>"$work/rtmp-publisher.err") &
    bench_pids+=($!)
    echo "RTMP publisher: FFmpeg, 640x360 30 fps stamped frames, x264 veryfast zerolatency 1 s GOP 1500 kb/s + AAC"
    bench_wait_for "$whip_playback"
    bench_wait_for "$rtmp_playback"
    echo "player: headless Chromium, the watch page's hls.js player; ${WARMUP_SECONDS} s warm-up, ${MEASURE_SECONDS} s of frames per round"
    measure() {
      node "$ROOT/bench/latency/measure.mjs" "$1" "$epoch" "$WARMUP_SECONDS" "$MEASURE_SECONDS"
    }
    median() { sed -E 's/.*"median":([0-9.]+|null).*/\1/' <<<"$1"; }
    whip_medians=() rtmp_medians=()
    for round in $(seq 1 "$ROUNDS"); do
      order=$([ $((round % 2)) = 1 ] && echo "whip rtmp" || echo "rtmp whip")
      for path in $order; do
        if [ "$path" = whip ]; then result=$(measure "$whip_playback"); whip_medians+=("$(median "$result")")
        else result=$(measure "$rtmp_playback"); rtmp_medians+=("$(median "$result")"); fi
        printf 'round %d %-4s (load %s): %s\n' "$round" "$path" "$(load)" "$result"
      done
    done
    stop_publisher clock
    whip_median=$(printf '%s\n' "${whip_medians[@]}" | grep -v null | sort -g | awk '{ v[NR] = $1 } END { print NR ? (v[int((NR + 1) / 2)] + v[int(NR / 2) + 1]) / 2 : "null" }')
    rtmp_median=$(printf '%s\n' "${rtmp_medians[@]}" | grep -v null | sort -g | awk '{ v[NR] = $1 } END { print NR ? (v[int((NR + 1) / 2)] + v[int(NR / 2) + 1]) / 2 : "null" }')
    echo "WHIP medians: ${whip_medians[*]} s; RTMP medians: ${rtmp_medians[*]} s"
    awk -v whip="$whip_median" -v rtmp="$rtmp_median" 'BEGIN {
      if (whip == "null" || rtmp == "null") { print "glass-to-glass: a path had no readable frames"; exit }
      printf "glass-to-glass, median of the rounds: WHIP %.2f s, RTMP %.2f s; WHIP - RTMP = %+d ms (target <= +150 ms: %s); WHIP / RTMP %.2f\n",
        whip, rtmp, (whip - rtmp) * 1000, ((whip - rtmp) * 1000 <= 150 ? "met" : "NOT met"), whip / rtmp
    }'
  fi
  stop_nio
fi

# --- 3: Ingest CPU per WHIP publisher against Janus --------------------------------------------------------------
# Prints "CPU_SECONDS VIDEO_MEGABITS_RECEIVED" for the publisher NAME's tabs over the window, PIDS being the server.
measure_cpu() {
  local name=$1 before after bytes_before bytes_after
  shift
  sleep "$CPU_WARMUP_SECONDS"
  bytes_before=$(publisher_bytes "$name")
  before=$(bench_cpu_ticks "$@")
  sleep "$CPU_SECONDS"
  after=$(bench_cpu_ticks "$@")
  bytes_after=$(publisher_bytes "$name")
  awk -v t=$((after - before)) -v hz="$(getconf CLK_TCK)" -v b=$((bytes_after - bytes_before)) 'BEGIN { printf "%.3f %.1f\n", t / hz, b * 8 / 1e6 }'
}

if [[ " $PARTS " == *" cpu "* ]]; then
  echo "--- Ingest CPU: $PUBLISHERS Chromium tabs, fake camera 1280x720 30 fps, H.264 capped at $PUBLISHER_KBPS kb/s + Opus"
  # Only the Api and the Ingest: no Transcoder reading the streams, so the Ingest does what Janus does (receive).
  rm -f "$work/nio.log"
  bench_start_nio NIO_SERVICES="Api Ingest" "${nio_ports[@]}"
  nio_pid=${bench_pids[-1]}
  targets=()
  for i in $(seq 1 "$PUBLISHERS"); do
    read -r key _ _ < <(bench_create_stream "http://127.0.0.1:$API_PORT" "cpu$i")
    targets+=("$whip_url" "$key")
  done
  start_publisher nio_cameras camera "$PUBLISHER_KBPS" "${targets[@]}" >/dev/null
  read -r nio_cpu nio_mbit < <(measure_cpu nio_cameras "$(cat "$work/nio/Ingest.pid")")
  nio_load=$(load)
  live=$(curl -fsS "http://127.0.0.1:$API_PORT/api/streams?pageSize=100" | sed -E 's/.*"totalCount":([0-9]+).*/\1/')
  stop_publisher nio_cameras
  stop_nio
  [ "$live" = "$PUBLISHERS" ] || { echo "only $live of $PUBLISHERS NIO streams were live" >&2; exit 1; }

  # Janus 1.1 (VideoRoom, H.264 + Opus, no bitrate cap of its own) with only the WebSocket transport, and Debian's
  # simple-whip-server in front of it, one endpoint per publisher.
  server_dir=$(bash "$ROOT/bench/whip/simple-whip-server.sh")
  mkdir -p "$work/janus"
  cat >"$work/janus/janus.jcfg" <<EOF
general: { configs_folder = "$work/janus", plugins_folder = "/usr/lib/x86_64-linux-gnu/janus/plugins",
  transports_folder = "/usr/lib/x86_64-linux-gnu/janus/transports", events_folder = "/usr/lib/x86_64-linux-gnu/janus/events",
  loggers_folder = "/usr/lib/x86_64-linux-gnu/janus/loggers", debug_level = 3 }
media: { rtp_port_range = "40000-40999" }
nat: { nice_debug = false, ice_ignore_list = "vmnet" }
plugins: { disable = "libjanus_audiobridge.so,libjanus_duktape.so,libjanus_echotest.so,libjanus_lua.so,libjanus_nosip.so,libjanus_recordplay.so,libjanus_sip.so,libjanus_streaming.so,libjanus_textroom.so,libjanus_videocall.so,libjanus_voicemail.so" }
transports: { disable = "libjanus_http.so,libjanus_mqtt.so,libjanus_nanomsg.so,libjanus_pfunix.so,libjanus_rabbitmq.so" }
events: { broadcast = false }
loggers: { disable = "libjanus_jsonlog.so" }
EOF
  cat >"$work/janus/janus.transport.websockets.jcfg" <<EOF
general: { ws = true, ws_port = $JANUS_WS_PORT, ws_interface = "lo", wss = false }
admin: { admin_ws = false, admin_wss = false }
EOF
  cat >"$work/janus/janus.plugin.videoroom.jcfg" <<EOF
general: { }
room-1234: { description = "bench", publishers = $((PUBLISHERS + 1)), bitrate = 0, videocodec = "h264", audiocodec = "opus" }
EOF
  janus -C "$work/janus/janus.jcfg" -F "$work/janus" >"$work/janus.log" 2>&1 &
  janus_pid=$!
  bench_pids+=($!)
  sws="$work/simple-whip-server"
  cp -r "$server_dir/root/usr/share/simple-whip-server/src" "$sws"
  cat >"$sws/config.js" <<EOF
module.exports = { janus: { address: 'ws://127.0.0.1:$JANUS_WS_PORT' }, port: $WHIP_SERVER_PORT, rest: '/whip',
  allowTrickle: true, strictETags: false, iceServers: [] };
EOF
  (cd "$sws" && NODE_PATH=$(cat "$server_dir/node_path") exec node server.js) >"$work/simple-whip-server.log" 2>&1 &
  bench_pids+=($!)
  bench_wait_for "http://127.0.0.1:$WHIP_SERVER_PORT/whip/healthcheck"
  sleep 2 # until simple-whip-server's WebSocket to Janus is up
  targets=()
  for i in $(seq 1 "$PUBLISHERS"); do
    curl -fsS -X POST "http://127.0.0.1:$WHIP_SERVER_PORT/whip/create" -H 'Content-Type: application/json' \
      -d "{\"id\":\"p$i\",\"room\":1234,\"label\":\"bench $i\",\"token\":\"token$i\"}" >/dev/null
    targets+=("http://127.0.0.1:$WHIP_SERVER_PORT/whip/endpoint/p$i" "token$i")
  done
  start_publisher janus_cameras camera "$PUBLISHER_KBPS" "${targets[@]}" >/dev/null
  read -r janus_cpu janus_mbit < <(measure_cpu janus_cameras "$janus_pid")
  janus_load=$(load)
  stop_publisher janus_cameras

  awk -v n="$PUBLISHERS" -v s="$CPU_SECONDS" -v nio="$nio_cpu" -v janus="$janus_cpu" -v nm="$nio_mbit" -v jm="$janus_mbit" \
    -v nl="$nio_load" -v jl="$janus_load" -v w="$CPU_WARMUP_SECONDS" 'BEGIN {
    per = 60 / s / n
    printf "measured: %d s after %d s warm-up\n", s, w
    printf "NIO Ingest: %7.3f CPU s = %6.4f CPU s per publisher-minute (%5.1f%% of one core); video received %.2f Mb/s per publisher (load %s)\n", nio, nio * per, 100 * nio / s, nm / s / n, nl
    printf "Janus     : %7.3f CPU s = %6.4f CPU s per publisher-minute (%5.1f%% of one core); video received %.2f Mb/s per publisher (load %s)\n", janus, janus * per, 100 * janus / s, jm / s / n, jl
    printf "ratio NIO / Janus: %.2f (target <= 1.5); per megabit received: %.2f\n", (janus > 0 ? nio / janus : 0), (janus > 0 && jm > 0 && nm > 0 ? (nio / nm) / (janus / jm) : 0)
  }'
fi
