#!/usr/bin/env bash
# Chat fan-out: CLIENTS viewers in one room, one sender (SENDERS) sending RATE messages a second for SECONDS (after
# WARMUP_SECONDS), on two servers in turn:
#  floor — the smallest ASP.NET Core WebSocket broadcast server (Kestrel, UseWebSockets, a bounded send queue per
#          client), written in the benchmark itself: the transport's floor;
#  NIO   — the Api's room hub (/hubs/stream, SignalR over WebSockets), started with ./nio up.
# The clients run in their own process (one for each server). Every text carries the sender's clock; each viewer
# notes when it arrived. Prints messages lost (target: 0) and p50/p90/p99/max delivery latency for both, and the
# ratio NIO p99 / floor p99 (target: <= 2.0).
set -euo pipefail

# One benchmark at a time on this machine (benchmarks take the same lock); -o: the servers started below do not hold it.
if [ -z "${NIO_BENCH_LOCKED:-}" ]; then
  exec env NIO_BENCH_LOCKED=1 flock -o /tmp/nio-bench.lock bash "$0" "$@"
fi

ROOT=$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)
CLIENTS=${CLIENTS:-2000}
RATE=${RATE:-20}
# SECONDS is also bash's own clock (seconds since the shell started): read the one the caller put in the environment.
SECONDS_MEASURED=$(printenv SECONDS || true)
SECONDS_MEASURED=${SECONDS_MEASURED:-60}
WARMUP_SECONDS=${WARMUP_SECONDS:-5}
BATCH=${BATCH:-50}
SENDERS=${SENDERS:-1} # more than 1: the messages take turns over that many senders (users)
QUEUE_LIMIT=${QUEUE_LIMIT:-256}
API_PORT=${API_PORT:-15200} PG_PORT=${PG_PORT:-15633} FLOOR_PORT=${FLOOR_PORT:-18380}

# Every client is a socket in the client process and another in the server: raise the open-file limit.
ulimit -n 65536 2>/dev/null || ulimit -n "$(ulimit -Hn)"
needed=$((CLIENTS + 1000))
[ "$(ulimit -n)" -ge "$needed" ] || { echo "open-file limit $(ulimit -n) is below $needed for $CLIENTS clients" >&2; exit 1; }
read -r port_low port_high </proc/sys/net/ipv4/ip_local_port_range
[ $((port_high - port_low)) -ge $((CLIENTS + 1000)) ] || { echo "local port range $port_low-$port_high is too small for $CLIENTS clients" >&2; exit 1; }

work=$(mktemp -d /tmp/nio-bench-chat.XXXXXX)
source "$ROOT/bench/lib.sh"
trap bench_cleanup EXIT

"$ROOT/nio" install "command -v curl:curl"
dotnet build "$ROOT/bench/chat/ChatBench/ChatBench.csproj" -c Release -nologo -v quiet >"$work/build.log" 2>&1 || { cat "$work/build.log"; exit 1; }
bench="$ROOT/bench/chat/ChatBench/bin/Release/net10.0/ChatBench.dll"
measure=("$CLIENTS" "$RATE" "$WARMUP_SECONDS" "$SECONDS_MEASURED" "$BATCH" "$SENDERS")
echo "chat fan-out: $CLIENTS viewers in one room, $RATE messages/s from $SENDERS sender(s) for $SECONDS_MEASURED s after $WARMUP_SECONDS s warm-up"

# --- floor ---------------------------------------------------------------------------------------
# Server GC, as the Api has it (Microsoft.NET.Sdk.Web turns it on).
DOTNET_gcServer=1 dotnet "$bench" floor "$FLOOR_PORT" "$QUEUE_LIMIT" >"$work/floor.log" 2>&1 &
floor_pid=$!
bench_pids+=("$floor_pid")
bench_wait_for "http://127.0.0.1:$FLOOR_PORT/healthz"
NIO_BENCH_SERVER_PID=$floor_pid dotnet "$bench" clients floor "ws://127.0.0.1:$FLOOR_PORT/ws" "${measure[@]}" "$work/floor.result"
kill -TERM "$floor_pid" && wait "$floor_pid" 2>/dev/null || true
grep '^floor server:' "$work/floor.log" || true

# --- NIO -----------------------------------------------------------------------------------------
# All clients come from 127.0.0.1, and the senders must not be rate limited.
: >"$work/nio.log" # bench_start_nio polls it before ./nio up has written a line
bench_start_nio NIO_SERVICES=Api PORT="$API_PORT" NIO_PG_PORT="$PG_PORT" \
  Chat__MaxConnectionsPerAddress=100000 Chat__MessagesPerWindow=1000000
api="http://127.0.0.1:$API_PORT"
read -r _ stream_id _ < <(bench_create_stream "$api" chat-bench-streamer)
NIO_BENCH_SENDER_TOKENS=""
for i in $(seq 1 "$SENDERS"); do
  NIO_BENCH_SENDER_TOKENS+=" $(bench_register "$api" "chat-bench-sender-$i" "sender $i")"
done
export NIO_BENCH_SENDER_TOKENS # in the environment only, never on a command line
NIO_BENCH_SERVER_PID=$(cat "$work/nio/Api.pid") dotnet "$bench" clients nio "$api/hubs/stream" "$stream_id" "${measure[@]}" "$work/nio.result"
if grep -qE 'warn|fail' "$work/nio.log"; then grep -E -A3 'warn|fail' "$work/nio.log" | head -40 >&2; fi

# --- both ----------------------------------------------------------------------------------------
field() { sed -E "s/.*$2=([^ ]+).*/\1/" "$1"; }
awk -v fp50="$(field "$work/floor.result" p50)" -v fp99="$(field "$work/floor.result" p99)" -v fmax="$(field "$work/floor.result" max)" \
  -v flost="$(field "$work/floor.result" lost)" -v np50="$(field "$work/nio.result" p50)" -v np99="$(field "$work/nio.result" p99)" \
  -v nmax="$(field "$work/nio.result" max)" -v nlost="$(field "$work/nio.result" lost)" 'BEGIN {
  printf "\n%-6s %8s %8s %8s %8s\n", "", "p50 ms", "p99 ms", "max ms", "lost"
  printf "%-6s %8.1f %8.1f %8.1f %8d\n", "floor", fp50, fp99, fmax, flost
  printf "%-6s %8.1f %8.1f %8.1f %8d\n", "NIO", np50, np99, nmax, nlost
  ratio = np99 / fp99
  printf "ratio NIO p99 / floor p99: %.2f (target <= 2.0): %s\n", ratio, ratio <= 2.0 ? "met" : "NOT met"
  printf "NIO messages lost: %d (target 0): %s\n", nlost, nlost == 0 ? "met" : "NOT met"
}'
