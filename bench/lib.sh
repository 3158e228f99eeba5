# What the benchmark scripts share: sourced after they set ROOT and work (their temporary folder).
# Each script keeps its own process ids in bench_pids; bench_cleanup stops them newest first and removes $work
# (unless KEEP_WORK is set).

bench_pids=()

bench_cleanup() {
  set +e # a server that already exited must not stop the clean-up half way
  local i
  for ((i = ${#bench_pids[@]} - 1; i >= 0; i--)); do
    # TERM, not INT: a background job of a script ignores SIGINT.
    kill -TERM "${bench_pids[i]}" 2>/dev/null && wait "${bench_pids[i]}" 2>/dev/null
  done
  # KEEP_WORK=1 leaves the servers' logs and media for a look afterwards.
  if [ -n "${KEEP_WORK:-}" ]; then echo "kept: $work" >&2; else rm -rf "$work"; fi
}

# Waits until URL answers 2xx (up to 2 minutes).
bench_wait_for() {
  local url=$1 tries=0
  until curl -fsS "$url" >/dev/null 2>&1; do
    tries=$((tries + 1)); [ $tries -lt 240 ] || { echo "no answer from $url" >&2; exit 1; }
    sleep 0.5
  done
}

# Starts ./nio up with its data in $work/nio on the ports given as VAR=value arguments (PORT, NIO_PG_PORT, …) and
# waits for its banner (up to 10 minutes: it builds every service it starts, and the web app, first). Its log is
# $work/nio.log. With BENCH_NICE set, NIO and everything it starts (PostgreSQL, FFmpeg) run at that niceness.
bench_start_nio() {
  nice -n "${BENCH_NICE:-0}" env NIO_DATA_DIR="$work/nio" RateLimits__RegistrationsPerMinute=100000 "$@" "$ROOT/nio" up >"$work/nio.log" 2>&1 &
  bench_pids+=($!)
  local tries=0
  until grep -qs "NIO is up." "$work/nio.log"; do
    kill -0 "${bench_pids[-1]}" 2>/dev/null || { tail -20 "$work/nio.log" >&2; echo "nio up failed" >&2; exit 1; }
    tries=$((tries + 1)); [ $tries -lt 1200 ] || { tail -20 "$work/nio.log" >&2; echo "nio up did not come up" >&2; exit 1; }
    sleep 0.5
  done
}

# Registers a user NAME (display name DISPLAY_NAME, default NAME) on the Api at API_URL; prints its access token.
bench_register() {
  local api=$1 name=$2 display=${3:-$2}
  curl -fsS -X POST "$api/api/auth/register" -H 'Content-Type: application/json' \
    -d "{\"email\":\"$name@example.com\",\"password\":\"bench-password-1\",\"displayName\":\"$display\"}" | sed -E 's/.*"accessToken":"([^"]+)".*/\1/'
}

# Registers a user NAME on the Api at API_URL and creates a stream; prints "streamKey streamId playbackUrl".
bench_create_stream() {
  local api=$1 name=$2 token
  token=$(bench_register "$api" "$name")
  curl -fsS -X POST "$api/api/streams" -H "Authorization: Bearer $token" -H 'Content-Type: application/json' \
    -d "{\"title\":\"$name\"}" | sed -E 's/.*"id":"([^"]+)".*"streamKey":"([^"]+)".*"playbackUrl":"([^"]+)".*/\2 \1 \3/'
  echo # the answer has no final newline, and read wants one
}

# Writes SECONDS of 720p30 H.264 at 2.5 Mb/s (1 s GOP, test pattern) + AAC as FLV to FILE: what a streamer's encoder
# would send, encoded once, so that publishing it in a loop (-c copy) costs this machine no encoding. Further
# arguments are more FFmpeg output options (e.g. -tune zerolatency -ar 48000, the studio page's OBS advice).
bench_make_clip() {
  local seconds=$1 file=$2
  shift 2
  ffmpeg -nostdin -hide_banner -loglevel error -f lavfi -i testsrc2=size=1280x720:rate=30 -f lavfi -i sine=frequency=440:sample_rate=44100 \
    -t "$seconds" -c:v libx264 -preset veryfast -b:v 2500k -g 30 -pix_fmt yuv420p -c:a aac -b:a 128k "$@" -f flv "$file"
}

# Starts nginx (Debian's, with libnginx-mod-rtmp) on $work/nginx/nginx.conf, which the caller wrote with the
# module loaded and "daemon off".
bench_start_nginx() {
  mkdir -p "$work/nginx/logs"
  nginx -p "$work/nginx" -c "$work/nginx/nginx.conf" &
  bench_pids+=($!)
  sleep 1
  kill -0 "${bench_pids[-1]}" 2>/dev/null || { cat "$work/nginx/logs/error.log" >&2; echo "nginx failed" >&2; exit 1; }
}

# CPU ticks (user + system) of the given processes, from /proc/PID/stat fields 14 and 15.
bench_cpu_ticks() {
  local total=0 pid
  for pid in "$@"; do
    total=$((total + $(awk '{print $14 + $15}' "/proc/$pid/stat")))
  done
  echo "$total"
}
