#!/usr/bin/python3
"""GStreamer's webrtcbin (with libnice) as a WHIP publisher (RFC 9725) for the Ingest's tests.

/usr/bin/python3 whip.py WHIP_URL STREAM_KEY [ATTEMPTS] -- Debian's Python, for its python3-gi. It sends a test pattern
as H.264 (x264, a keyframe only when the receiver asks for one with a PLI, as browsers do) and a tone as Opus. Prints JSON lines as tests/EndToEnd/browser/whip.mjs:
  with one attempt: {"status", "location", "etag", "state"} once the peer connection is connected (or failed), then it
  keeps publishing and answers stdin commands: "delete" -> {"deleted": status}; end of stdin ends it.
  with ATTEMPTS > 1: {"attempts": [...]} after that many sequential sessions, each POSTed, connected and DELETEd.

The WHIP exchange is this script's own (urllib): Debian's simple-whip-client links libsoup 2 while libnice's UPnP
library links libsoup 3, and GLib aborts a process that loads both.
"""
import ctypes
import json
import sys
import threading
import time
import urllib.error
import urllib.parse
import urllib.request

import gi

gi.require_version("Gst", "1.0")
gi.require_version("GstSdp", "1.0")
gi.require_version("GstWebRTC", "1.0")
gi.require_version("Nice", "0.1")
from gi.repository import Gst, GstSdp, GstWebRTC, Nice  # noqa: E402

PIPELINE = (
    "webrtcbin name=send bundle-policy=max-bundle "
    "videotestsrc is-live=true pattern=ball ! video/x-raw,width=640,height=360,framerate=30/1 ! videoconvert ! "
    "x264enc tune=zerolatency speed-preset=ultrafast key-int-max=100000 bitrate=800 ! video/x-h264,profile=constrained-baseline ! "
    "rtph264pay config-interval=-1 aggregate-mode=zero-latency ! "
    "application/x-rtp,media=video,encoding-name=H264,payload=96,clock-rate=90000 ! send. "
    "audiotestsrc is-live=true wave=sine ! audioconvert ! audioresample ! opusenc ! rtpopuspay ! "
    "application/x-rtp,media=audio,encoding-name=OPUS,payload=111,clock-rate=48000 ! send."
)
DEADLINE_SECONDS = 20


def print_json(value):
    print(json.dumps(value), flush=True)


def wait_for(element, prop, done):
    """Blocks until done(element's prop) holds, or the deadline passes; the last value either way."""
    changed = threading.Event()
    handler = element.connect(f"notify::{prop}", lambda *_: changed.set())
    try:
        for _ in range(DEADLINE_SECONDS * 10):
            value = element.get_property(prop)
            if done(value):
                return value
            changed.wait(0.1)
            changed.clear()
        return element.get_property(prop)
    finally:
        element.disconnect(handler)


def owned(gobject):
    """
    A reference of the caller's own to an object got from a property: GStreamer 1.22's webrtcbin hands out its own
    reference to its ICE agent, which Python's wrapper would otherwise drop, freeing the agent under the running bin.
    """
    capsule = ctypes.pythonapi.PyCapsule_GetPointer
    capsule.restype, capsule.argtypes = ctypes.c_void_p, [ctypes.py_object, ctypes.c_char_p]
    gobject_ref = ctypes.CDLL("libgobject-2.0.so.0").g_object_ref
    gobject_ref.restype, gobject_ref.argtypes = ctypes.c_void_p, [ctypes.c_void_p]
    gobject_ref(capsule(gobject.__gpointer__, None))
    return gobject


def call(webrtc, signal, *args):
    """Emits an action signal with a promise and waits for its answer."""
    promise = Gst.Promise.new()
    webrtc.emit(signal, *args, promise)
    promise.wait()
    return promise


def create_offer(webrtc):
    # A copy, taken while the promise and its reply live: the value in the reply is freed with them.
    promise = call(webrtc, "create-offer", None)
    reply = promise.get_reply()
    offer = reply.get_value("offer")
    return offer.copy()


def http(method, url, key, body=None):
    request = urllib.request.Request(url, data=body, method=method, headers={"Authorization": f"Bearer {key}"})
    if body is not None:
        request.add_header("Content-Type", "application/sdp")
    try:
        with urllib.request.urlopen(request, timeout=DEADLINE_SECONDS) as response:
            return response.status, response.headers, response.read()
    except urllib.error.HTTPError as error:
        return error.code, error.headers, error.read()


class Session:
    """One WHIP session: its own pipeline, POSTed offer, applied answer and, once connected, live media."""

    def __init__(self, whip_url, key):
        self.whip_url, self.key, self.location = whip_url, key, None
        self.pipeline = Gst.parse_launch(PIPELINE)
        self.webrtc = self.pipeline.get_by_name("send")
        # libnice leaves loopback out of the host candidates it gathers; the Ingest under test listens there.
        agent = owned(self.webrtc.get_property("ice-agent")).get_property("agent")
        loopback = Nice.Address()
        loopback.set_from_string("127.0.0.1")
        agent.add_local_address(loopback)

    def publish(self):
        self.pipeline.set_state(Gst.State.PLAYING)
        # The offer's media sections (codecs, parameter sets) come from the caps on webrtcbin's inputs.
        for _ in range(DEADLINE_SECONDS * 20):
            if all(pad.has_current_caps() for pad in self.webrtc.sinkpads):
                break
            time.sleep(0.05)
        else:
            raise RuntimeError("the encoders never reached webrtcbin")
        for index in range(2):
            self.webrtc.emit("get-transceiver", index).set_property("direction", GstWebRTC.WebRTCRTPTransceiverDirection.SENDONLY)
        offer = create_offer(self.webrtc)
        call(self.webrtc, "set-local-description", offer)
        # No trickling: the offer goes once its host candidates are in.
        wait_for(self.webrtc, "ice-gathering-state", lambda state: state == GstWebRTC.WebRTCICEGatheringState.COMPLETE)
        sdp = self.webrtc.get_property("local-description").sdp.as_text()
        status, headers, body = http("POST", self.whip_url, self.key, sdp.encode())
        result = {"status": status, "location": headers.get("Location"), "etag": headers.get("ETag")}
        if status != 201:
            result["problem"] = body.decode(errors="replace")
            return result
        self.location = urllib.parse.urljoin(self.whip_url, result["location"])
        _, answer = GstSdp.SDPMessage.new_from_text(body.decode())
        call(self.webrtc, "set-remote-description", GstWebRTC.WebRTCSessionDescription.new(GstWebRTC.WebRTCSDPType.ANSWER, answer))
        state = wait_for(self.webrtc, "connection-state", lambda s: s in (
            GstWebRTC.WebRTCPeerConnectionState.CONNECTED, GstWebRTC.WebRTCPeerConnectionState.FAILED))
        result["state"] = state.value_nick
        return result

    def delete(self):
        status = http("DELETE", self.location, self.key)[0]
        self.close()
        return status

    def close(self):
        self.pipeline.set_state(Gst.State.NULL)


def main():
    Gst.init(None)
    whip_url, key = sys.argv[1], sys.argv[2]
    attempts = int(sys.argv[3]) if len(sys.argv) > 3 else 1
    if attempts > 1:
        results = []
        for _ in range(attempts):
            session = Session(whip_url, key)
            result = session.publish()
            if result["status"] == 201:
                result["deleted"] = session.delete()
            else:
                session.close()
            results.append(result)
        print_json({"attempts": results})
        return
    session = Session(whip_url, key)
    print_json(session.publish())
    for line in sys.stdin:
        if line.strip() == "delete":
            print_json({"deleted": session.delete()})
    session.close()


if __name__ == "__main__":
    try:
        main()
    except Exception as error:  # noqa: BLE001 -- the driver reads every failure as one JSON line
        print_json({"error": repr(error)})
