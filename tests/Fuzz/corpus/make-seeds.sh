#!/usr/bin/env bash
# Makes the seed inputs of every fuzz target from real FFmpeg output (run from anywhere; needs ffmpeg and python3).
# The seeds are kept small (a few KiB): the fuzzer mutates them, and a short input executes fast. Inputs that once made
# a finding live beside the seeds (named finding-*) and are never regenerated.
set -euo pipefail
HERE="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
WORK=$(mktemp -d)
trap 'rm -rf "$WORK"; [ -z "${server:-}" ] || kill "$server" 2>/dev/null || true' EXIT
ff() { ffmpeg -hide_banner -loglevel error -y "$@"; }
VIDEO=(-f lavfi -i "testsrc=size=64x36:rate=10")
AUDIO=(-f lavfi -i "sine=frequency=440:sample_rate=44100")
H264=(-c:v libx264 -preset veryfast -profile:v main -pix_fmt yuv420p -g 5 -b:v 40k)

# FLV files as FFmpeg writes them: the tag bodies are what an RTMP publisher sends as audio, video and data messages.
mkdir -p "$HERE/flv-tags"
ff "${VIDEO[@]}" "${AUDIO[@]}" -t 0.6 "${H264[@]}" -c:a aac -b:a 24k -f flv "$HERE/flv-tags/h264-aac.flv"
ff "${VIDEO[@]}" -t 0.5 -c:v flv -b:v 30k -f flv "$HERE/flv-tags/sorenson.flv"
ff "${AUDIO[@]}" -t 0.3 -c:a libmp3lame -b:a 32k -f flv "$HERE/flv-tags/mp3.flv"
ff "${AUDIO[@]}" -t 0.2 -ar 8000 -c:a pcm_alaw -f flv "$HERE/flv-tags/g711a.flv"
ff "${AUDIO[@]}" -t 0.2 -ar 16000 -c:a libspeex -f flv "$HERE/flv-tags/speex.flv"

# Fragmented MP4 with the Transcoder's muxer flags (see Transcoder/Live/FfmpegLadder.cs).
mkdir -p "$HERE/fmp4"
FRAG=(-f mp4 -movflags +empty_moov+default_base_moof+frag_keyframe -frag_duration 210000)
ff "${VIDEO[@]}" "${AUDIO[@]}" -t 0.6 "${H264[@]}" -c:a aac -b:a 24k "${FRAG[@]}" "$HERE/fmp4/h264-aac.mp4"
ff "${VIDEO[@]}" -t 0.5 "${H264[@]}" -c:v libx264 -profile:v high "${FRAG[@]}" "$HERE/fmp4/h264-high.mp4"
ff "${AUDIO[@]}" -t 0.4 -c:a aac -b:a 24k -ac 1 "${FRAG[@]}" "$HERE/fmp4/aac-mono.mp4"

# What FFmpeg sends as an RTMP publisher after the handshake: recorded by a relay between it and FFmpeg listening as
# an RTMP server. The stream key is "fuzz", the one the fuzz target's stand-in Api accepts.
python3 - "$WORK" <<'PY' &
import socket, sys, threading
work = sys.argv[1]
listener = socket.socket(); listener.bind(("127.0.0.1", 0)); listener.listen(1)
open(f"{work}/relay-port", "w").write(str(listener.getsockname()[1]))
client, _ = listener.accept()
server = socket.create_connection(("127.0.0.1", int(open(f"{work}/server-port").read())))
recorded = open(f"{work}/client.bin", "wb")
def pump(src, dst, record):
    while (data := src.recv(65536)):
        if record: recorded.write(data); recorded.flush()
        dst.sendall(data)
    dst.shutdown(socket.SHUT_WR)
threading.Thread(target=pump, args=(server, client, False), daemon=True).start()
pump(client, server, True)
PY
relay=$!
port=$(python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1",0)); print(s.getsockname()[1])')
echo "$port" >"$WORK/server-port"
ffmpeg -hide_banner -loglevel error -listen 1 -timeout 20 -i "rtmp://127.0.0.1:$port/live/fuzz" -f null - &
server=$!
for _ in $(seq 100); do [ -s "$WORK/relay-port" ] && break; sleep 0.1; done
sleep 1
ff -re "${VIDEO[@]}" "${AUDIO[@]}" -t 0.5 "${H264[@]}" -c:a aac -b:a 24k -f flv "rtmp://127.0.0.1:$(cat "$WORK/relay-port")/live/fuzz"
wait "$relay" || true
wait "$server" || true
server=
mkdir -p "$HERE/rtmp-connection" "$HERE/amf0"
# C0 + C1 + C2 are 3073 bytes; the target adds a valid handshake itself.
python3 - "$WORK/client.bin" "$HERE" <<'PY'
import struct, sys
data = open(sys.argv[1], "rb").read()[3073:]
out = sys.argv[2]
open(f"{out}/rtmp-connection/ffmpeg-publish", "wb").write(data[:16384])
# Reassembles the messages (RTMP 1.0 §5.3) to carve out the AMF0 payloads of commands (20) and data (18).
pos, chunk, streams, amf = 0, 128, {}, []
while pos < len(data):
    first = data[pos]; fmt, csid = first >> 6, first & 0x3F; pos += 1
    if csid == 0: csid = 64 + data[pos]; pos += 1
    elif csid == 1: csid = 64 + data[pos] + 256 * data[pos + 1]; pos += 2
    s = streams.setdefault(csid, {"len": 0, "type": 0, "buf": b""})
    if fmt <= 2:
        ts = int.from_bytes(data[pos:pos + 3], "big")
        if fmt <= 1: s["len"] = int.from_bytes(data[pos + 3:pos + 6], "big"); s["type"] = data[pos + 6]
        pos += (11, 7, 3)[fmt]
        if ts == 0xFFFFFF: pos += 4
    take = min(chunk, s["len"] - len(s["buf"]))
    s["buf"] += data[pos:pos + take]; pos += take
    if len(s["buf"]) == s["len"]:
        if s["type"] == 1: chunk = struct.unpack(">I", s["buf"][:4])[0]
        if s["type"] in (18, 20): amf.append(s["buf"])
        s["buf"] = b""
for i, payload in enumerate(amf):
    open(f"{out}/amf0/ffmpeg-{i}", "wb").write(payload)
PY

# Request targets as players send them to the Origin: playlists with blocking reload directives, and media files.
mkdir -p "$HERE/playlist-query"
find "$HERE/playlist-query" -type f ! -name "finding-*" -delete
LIVE=/live/6f1c1b7e-8d2a-4c55-9a57-1f0e3c2b9d40
printf '%s' "$LIVE/720p/index.m3u8?_HLS_msn=12&_HLS_part=3" >"$HERE/playlist-query/msn-part"
printf '%s' "$LIVE/480p/index.m3u8?_HLS_msn=13" >"$HERE/playlist-query/msn"
printf '%s' "$LIVE/240p/index.m3u8?_HLS_part=1" >"$HERE/playlist-query/part-only"
printf '%s' "$LIVE/720p/index.m3u8?_HLS_msn=14&_HLS_part=0&_HLS_skip=YES" >"$HERE/playlist-query/skip"
printf '%s' "$LIVE/720p/index.m3u8?_HLS_msn=011&_HLS_part=%32&_HLS_msn=2" >"$HERE/playlist-query/encoded"
printf '%s' "$LIVE/720p/b3f9c2a1-part41.m4s" >"$HERE/playlist-query/part-file"
printf '%s' "$LIVE/source/init.mp4" >"$HERE/playlist-query/init-file"

# Stripe webhook events, shaped as Stripe sends them (data.object a PaymentIntent or a Charge).
mkdir -p "$HERE/stripe-webhook"
cat >"$HERE/stripe-webhook/payment-intent-succeeded.json" <<'JSON'
{"id":"evt_1","object":"event","api_version":"2025-01-27.acacia","created":1700000000,"livemode":false,"pending_webhooks":1,"request":{"id":null,"idempotency_key":null},"type":"payment_intent.succeeded","data":{"object":{"id":"pi_1","object":"payment_intent","amount":499,"amount_received":499,"currency":"usd","status":"succeeded","metadata":{"package":"coins-500"}}}}
JSON
cat >"$HERE/stripe-webhook/charge-refunded.json" <<'JSON'
{"id":"evt_2","object":"event","api_version":"2025-01-27.acacia","created":1700000000,"livemode":false,"pending_webhooks":1,"request":{"id":null,"idempotency_key":null},"type":"charge.refunded","data":{"object":{"id":"ch_1","object":"charge","amount":499,"amount_refunded":250,"currency":"usd","payment_intent":"pi_1","refunded":false,"status":"succeeded","refunds":{"object":"list","data":[],"has_more":false}}}}
JSON
cat >"$HERE/stripe-webhook/dispute-created.json" <<'JSON'
{"id":"evt_3","object":"event","api_version":"2025-01-27.acacia","created":1700000000,"livemode":false,"pending_webhooks":1,"type":"charge.dispute.created","data":{"object":{"id":"dp_1","object":"dispute","amount":499,"charge":"ch_1","currency":"usd","payment_intent":{"id":"pi_1","object":"payment_intent","amount":499}},"previous_attributes":{"status":"needs_response"}}}
JSON
bash "$HERE/make-webrtc-seeds.sh"
ls -l "$HERE"/*/
