#!/usr/bin/env bash
# Makes the seed inputs of the WebRTC fuzz targets (stun, rtp-rtcp, whip-sdp); make-seeds.sh runs it, and it runs alone
# too (needs ffmpeg with libx264 and python3). Inputs named finding-* are never touched.
set -euo pipefail
HERE="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
FIXTURES="$HERE/../../WebRtc.Tests/Sdp/Fixtures"
WORK=$(mktemp -d)
trap 'rm -rf "$WORK"' EXIT
for target in stun rtp-rtcp whip-sdp; do
  mkdir -p "$HERE/$target"
  find "$HERE/$target" -type f ! -name "finding-*" -delete
done

# A short H.264 stream as a browser's encoder makes one (constrained baseline, a keyframe every other frame).
ffmpeg -hide_banner -loglevel error -y -f lavfi -i "testsrc=size=64x36:rate=10" -t 0.3 -c:v libx264 -preset veryfast \
  -profile:v baseline -pix_fmt yuv420p -g 2 -b:v 40k -f h264 "$WORK/video.h264"

python3 - "$HERE" "$WORK/video.h264" <<'PY'
import hashlib, hmac, re, struct, sys, zlib
out, h264 = sys.argv[1], open(sys.argv[2], "rb").read()

# STUN: RFC 5769's vectors as the RFC prints them (§2.1 request, §2.2 and §2.3 responses, §2.4 long-term request).
vectors = {
    "rfc5769-request": """00 01 00 58 21 12 a4 42 b7 e7 a7 01 bc 34 d6 86 fa 87 df ae 80 22 00 10 53 54 55 4e 20 74 65 73 74 20 63 6c
        69 65 6e 74 00 24 00 04 6e 00 01 ff 80 29 00 08 93 2f f9 b1 51 26 3b 36 00 06 00 09 65 76 74 6a 3a 68 36 76 59 20 20 20
        00 08 00 14 9a ea a7 0c bf d8 cb 56 78 1e f2 b5 b2 d3 f2 49 c1 b5 71 a2 80 28 00 04 e5 7a 3b cf""",
    "rfc5769-ipv4-response": """01 01 00 3c 21 12 a4 42 b7 e7 a7 01 bc 34 d6 86 fa 87 df ae 80 22 00 0b 74 65 73 74 20 76 65 63 74 6f
        72 20 00 20 00 08 00 01 a1 47 e1 12 a6 43 00 08 00 14 2b 91 f5 99 fd 9e 90 c3 8c 74 89 f9 2a f9 ba 53 f0 6b e7 d7
        80 28 00 04 c0 7d 4c 96""",
    "rfc5769-ipv6-response": """01 01 00 48 21 12 a4 42 b7 e7 a7 01 bc 34 d6 86 fa 87 df ae 80 22 00 0b 74 65 73 74 20 76 65 63 74 6f
        72 20 00 20 00 14 00 02 a1 47 01 13 a9 fa a5 d3 f1 79 bc 25 f4 b5 be d2 b9 d9 00 08 00 14 a3 82 95 4e 4b e6 7b f1 17 84
        c9 7c 82 92 c2 75 bf e3 ed 41 80 28 00 04 c8 fb 0b 4c""",
    "rfc5769-long-term-request": """00 01 00 60 21 12 a4 42 78 ad 34 33 c6 ad 72 c0 29 da 41 2e 00 06 00 12 e3 83 9e e3 83 88 e3 83 aa
        e3 83 83 e3 82 af e3 82 b9 00 00 00 15 00 1c 66 2f 2f 34 39 39 6b 39 35 34 64 36 4f 4c 33 34 6f 4c 39 46 53 54 76 79 36
        34 73 41 00 14 00 0b 65 78 61 6d 70 6c 65 2e 6f 72 67 00 00 08 00 14 f6 70 24 65 6d d6 4a 3e 02 b8 e0 71 2e 85 c9 a2 8c
        a8 96 66""",
}
for name, text in vectors.items():
    open(f"{out}/stun/{name}", "wb").write(bytes.fromhex("".join(text.split())))

# A browser's nominating check and its keepalive indication, for the fuzz target's session (RFC 5769's credentials).
def stun(kind, attributes, integrity, fingerprint):
    body = b"".join(struct.pack(">HH", t, len(v)) + v + b"\0" * (-len(v) % 4) for t, v in attributes)
    header = lambda extra: struct.pack(">HHI", kind, len(body) + extra, 0x2112A442) + bytes(range(1, 13))
    message = header(0) + body
    if integrity:
        message = header(24) + body
        message += struct.pack(">HH", 0x0008, 20) + hmac.new(b"VOkJxbRl1RmTxUk/WvJxBt", message, hashlib.sha1).digest()
        body = message[20:]
    if fingerprint:
        message = header(8) + body
        message += struct.pack(">HHI", 0x8028, 4, (zlib.crc32(message) ^ 0x5354554E) & 0xFFFFFFFF)
    return message
check = [(0x0006, b"evtj:h6vY"), (0x0024, struct.pack(">I", 0x6E0001FF)), (0x802A, bytes(8)), (0x0025, b"")]
open(f"{out}/stun/nominating-check", "wb").write(stun(0x0001, check, True, True))
open(f"{out}/stun/check-without-integrity", "wb").write(stun(0x0001, check, False, True))
open(f"{out}/stun/keepalive-indication", "wb").write(stun(0x0011, [], False, True))

# RTP and RTCP: each packet with a 16-bit length before it, as the rtp-rtcp target reads its input.
def framed(packets):
    return b"".join(struct.pack(">H", len(p)) + p for p in packets)
def rtp(seq, ts, pt, payload, marker=False, ssrc=0x11223344, extension=None, csrcs=(), padding=0):
    first = 0x80 | (0x20 if padding else 0) | (0x10 if extension is not None else 0) | len(csrcs)
    packet = struct.pack(">BBHII", first, (0x80 if marker else 0) | pt, seq & 0xFFFF, ts & 0xFFFFFFFF, ssrc)
    packet += b"".join(struct.pack(">I", c) for c in csrcs)
    if extension is not None:
        packet += struct.pack(">HH", 0xBEDE, len(extension) // 4) + extension
    return packet + payload + (bytes(padding - 1) + bytes([padding]) if padding else b"")

# RFC 6184 packetization-mode 1 of the encoder's NAL units: SPS and PPS in a STAP-A, large units in FU-As, the rest single.
nals = [n for n in re.split(b"\x00\x00\x00?\x01", h264) if n and n[0] & 0x1F != 6]
frames, current = [], []
for nal in nals:
    current.append(nal)
    if nal[0] & 0x1F in (1, 5):
        frames.append(current); current = []
packets, seq = [], 1000
for index, frame in enumerate(frames):
    ts = 90000 * index // 10
    parameter_sets = [n for n in frame if n[0] & 0x1F in (7, 8)]
    if parameter_sets:
        packets.append(rtp(seq, ts, 96, bytes([0x78]) + b"".join(struct.pack(">H", len(n)) + n for n in parameter_sets), ssrc=0xAABBCCDD)); seq += 1
    slice_ = frame[-1]
    if len(slice_) <= 200:
        packets.append(rtp(seq, ts, 96, slice_, marker=True, ssrc=0xAABBCCDD)); seq += 1
        continue
    indicator, kind, rest = (slice_[0] & 0xE0) | 28, slice_[0] & 0x1F, slice_[1:]
    for start in range(0, len(rest), 200):
        last = start + 200 >= len(rest)
        header = (0x80 if start == 0 else 0) | (0x40 if last else 0) | kind
        packets.append(rtp(seq, ts, 96, bytes([indicator, header]) + rest[start:start + 200], marker=last, ssrc=0xAABBCCDD)); seq += 1
open(f"{out}/rtp-rtcp/h264-stap-a-fu-a", "wb").write(framed(packets))
# The same packets reordered, one lost, one duplicated, as a network delivers them.
shaken = packets[:2] + [packets[3], packets[2]] + packets[5:] + [packets[5]]
open(f"{out}/rtp-rtcp/h264-reordered-lost-duplicated", "wb").write(framed(shaken))

# Opus (RFC 7587) as browsers send it: 20 ms CELT and SILK frames, a two-frame packet, an arbitrary-count packet;
# with the audio-level header extension, a CSRC, padding; across a sequence number and timestamp wrap.
opus = [bytes([0xFC]) + bytes(range(40)), bytes([0x78, 0x11, 0x22]), bytes([0xF9]) + bytes(30), bytes([0xFB, 0x83, 5]) + bytes(15)]
audio = [rtp(65534 + i, 0xFFFFF000 + 960 * i, 111, p, marker=i == 0, ssrc=0x01020304, extension=bytes([0x10, 0x7F, 0, 0]),
             csrcs=(7,) if i == 2 else (), padding=4 if i == 3 else 0) for i, p in enumerate(opus)]
open(f"{out}/rtp-rtcp/opus-wrap", "wb").write(framed(audio))

# RTCP (RFC 3550, RFC 4585, RFC 5104, REMB): what a browser sends the receiver, compound and alone.
def rtcp(count, pt, body):
    # "length: ... in 32-bit words minus one, including the header and any padding" (RFC 3550 §6.4.1).
    return struct.pack(">BBH", 0x80 | count, pt, (len(body) + 4) // 4 - 1) + body
block = struct.pack(">IIIIII", 0xAABBCCDD, 0x01000005, 1005, 12, 0x11112222, 100)
sender = rtcp(1, 200, struct.pack(">IQIII", 0xAABBCCDD, 0xE6A1B2C3D4E5F607, 90000, 42, 4200) + block)
cname = b"\x01\x10" + b"abcdefghijklmnop"
sdes = rtcp(1, 202, struct.pack(">I", 0xAABBCCDD) + cname + bytes(4 - len(cname) % 4))
receiver = rtcp(1, 201, struct.pack(">I", 0x0BADCAFE) + block)
nack = rtcp(1, 205, struct.pack(">IIHH", 1, 0xAABBCCDD, 1003, 0b101))
twcc = rtcp(15, 205, struct.pack(">IIHHI", 1, 0xAABBCCDD, 7, 2, 0x00010203) + bytes(4))
pli = rtcp(1, 206, struct.pack(">II", 1, 0xAABBCCDD))
fir = rtcp(4, 206, struct.pack(">IIIB3x", 1, 0, 0xAABBCCDD, 3))
remb = rtcp(15, 206, struct.pack(">II4sBBHII", 1, 0, b"REMB", 2, 0x0F, 0x4240, 0xAABBCCDD, 0x01020304))
bye = rtcp(1, 203, struct.pack(">I", 0xAABBCCDD) + b"\x04gone" + bytes(3))
app = rtcp(0, 204, struct.pack(">I4s", 0xAABBCCDD, b"NIO!") + bytes(4))
open(f"{out}/rtp-rtcp/rtcp-sender-report-sdes", "wb").write(framed([sender + sdes]))
open(f"{out}/rtp-rtcp/rtcp-receiver-report-feedback", "wb").write(framed([receiver + sdes, receiver + nack, receiver + twcc, pli, fir, remb]))
open(f"{out}/rtp-rtcp/rtcp-bye-app", "wb").write(framed([receiver + app, sender + sdes + bye]))
open(f"{out}/rtp-rtcp/mixed", "wb").write(framed(packets[:3] + audio[:2] + [sender + sdes, nack]))

# A PATCH body: RFC 8840's example fragment as a WHIP client sends it.
open(f"{out}/whip-sdp/trickle-fragment", "w", newline="").write(
    "a=ice-ufrag:H82V\r\na=ice-pwd:R/LoF7rTaL1KANj2DKDI88VN\r\nm=audio 9 UDP/TLS/RTP/SAVPF 111\r\na=mid:0\r\n"
    "a=candidate:1399007710 1 udp 2122063615 192.0.2.2 60339 typ host generation 0 network-id 1\r\n"
    "a=candidate:842163049 1 udp 1677729535 203.0.113.77 41000 typ srflx raddr 192.0.2.2 rport 60339\r\n"
    "a=end-of-candidates\r\n")
PY

# The offers the SDP tests read: Chromium's, OBS's, GStreamer's (see tests/WebRtc.Tests/Sdp/Fixtures/README.md).
for client in chromium obs gstreamer; do
  cp "$FIXTURES/$client-offer.sdp" "$HERE/whip-sdp/$client-offer.sdp"
done
ls -l "$HERE/stun" "$HERE/rtp-rtcp" "$HERE/whip-sdp"
