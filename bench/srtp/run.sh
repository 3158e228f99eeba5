#!/usr/bin/env bash
# SRTP unprotect throughput on one core: NIO's SrtpContext against Debian's libsrtp2 (P/Invoke, the binding the
# interop tests use) on the same 1200-byte RTP packets, for AES-CM-128/HMAC-SHA1-80 and AEAD-AES-128-GCM, in one
# BenchmarkDotNet run. Prints BenchmarkDotNet's table (Ratio: libsrtp is the baseline), then packets/s for each side
# and NIO / libsrtp (target: NIO >= 100,000 packets/s per core). ROUNDS runs (default 3), alternating which side is
# measured first; each measures ITERATIONS batches of 16,384 packets (default 30) per side and profile.
set -euo pipefail

# One benchmark at a time on this machine: the others take the same lock.
if [ -z "${NIO_BENCH_LOCKED:-}" ]; then
  exec env NIO_BENCH_LOCKED=1 flock -o /tmp/nio-bench.lock "$0" "$@"
fi

ROOT=$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)
ROUNDS=${ROUNDS:-3}
work=$(mktemp -d /tmp/nio-bench-srtp.XXXXXX)
# shellcheck source=../lib.sh
source "$ROOT/bench/lib.sh"
trap bench_cleanup EXIT

"$ROOT/nio" install "ldconfig -p | grep -q libsrtp2.so.1:libsrtp2-1"
dotnet build "$ROOT/bench/srtp/SrtpBench.csproj" -c Release -nologo -v quiet >"$work/build.log" 2>&1 || { cat "$work/build.log"; exit 1; }
for round in $(seq 1 "$ROUNDS"); do
  first=$([ $((round % 2)) = 1 ] && echo nio || echo libsrtp)
  FIRST=$first dotnet "$ROOT/bench/srtp/bin/Release/net10.0/SrtpBench.dll" "$work/artifacts" >"$work/round-$round.log" 2>&1 \
    || { cat "$work/round-$round.log"; exit 1; }
  echo "--- round $round of $ROUNDS"
  # BenchmarkDotNet's table, then the packets/s summary.
  sed -n '/^| Method/,/^$/p' "$work/round-$round.log"
  sed -n '/^SRTP unprotect/,$p' "$work/round-$round.log"
done
