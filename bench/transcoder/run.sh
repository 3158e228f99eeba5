#!/usr/bin/env bash
# Transcoder CPU per media second: NIO's ladder (one FFmpeg making source passthrough + 480p + 240p as fragmented
# MP4, packaged into LL-HLS by NIO) against one plain FFmpeg command with the same encoders writing HLS itself.
# Both read the same clip as fast as they can; CPU is user + system time of the whole process tree.
# Prints CPU seconds per media second for both and the ratio NIO / FFmpeg (target: <= 1.10).
set -euo pipefail

ROOT=$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)
CLIP_SECONDS=${CLIP_SECONDS:-30}
RUNS=${RUNS:-3}
work=$(mktemp -d /tmp/nio-bench-transcoder.XXXXXX)
trap 'rm -rf "$work"' EXIT
# shellcheck source=../lib.sh
source "$ROOT/bench/lib.sh"

"$ROOT/nio" install "command -v ffmpeg:ffmpeg"
dotnet build "$ROOT/bench/transcoder/TranscoderBench.csproj" -c Release -nologo -v quiet >"$work/build.log" 2>&1 \
  || { cat "$work/build.log"; exit 1; }
bench="$ROOT/bench/transcoder/bin/Release/net10.0/TranscoderBench.dll"

echo "clip: ${CLIP_SECONDS} s of 720p30 H.264 2.5 Mb/s (1 s GOP) + AAC, as the Ingest serves it (FLV)"
bench_make_clip "$CLIP_SECONDS" "$work/clip.flv"

# CPU seconds (user + system, children included) of one command.
cpu_of() {
  /usr/bin/time -f '%U %S' -o "$work/time" "$@" >/dev/null 2>"$work/stderr" || { cat "$work/stderr" >&2; exit 1; }
  awk '{ printf "%.2f", $1 + $2 }' "$work/time"
}

"$ROOT/nio" install "test -x /usr/bin/time:time"
nio_total=0 ffmpeg_total=0
for run in $(seq 1 "$RUNS"); do
  rm -rf "$work/nio" "$work/hls"
  nio=$(cpu_of dotnet "$bench" nio "$work/clip.flv" "$work/nio")
  plain=$(cpu_of dotnet "$bench" ffmpeg-hls "$work/clip.flv" "$work/hls")
  [ -s "$work/nio/live/00000000-0000-0000-0000-000000000000/master.m3u8" ] || { echo "NIO wrote no playlist" >&2; exit 1; }
  echo "run $run: NIO ${nio} CPU s, FFmpeg HLS ${plain} CPU s"
  nio_total=$(awk -v a="$nio_total" -v b="$nio" 'BEGIN { print a + b }')
  ffmpeg_total=$(awk -v a="$ffmpeg_total" -v b="$plain" 'BEGIN { print a + b }')
done

awk -v n="$nio_total" -v f="$ffmpeg_total" -v runs="$RUNS" -v s="$CLIP_SECONDS" 'BEGIN {
  printf "NIO ladder + LL-HLS packager : %.3f CPU s per media second\n", n / runs / s
  printf "plain FFmpeg ladder, -f hls  : %.3f CPU s per media second\n", f / runs / s
  printf "ratio NIO / FFmpeg: %.3f (target <= 1.10)\n", n / f
}'
