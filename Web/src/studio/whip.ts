import { errorOf } from '../api/problem';

/** Why going live from the browser failed, in terms the studio translates for the person. */
export type WhipFailure =
  | 'wrongKey' // 401: the Ingest did not accept the stream key
  | 'notAvailable' // 404: this server has no WHIP endpoint
  | 'refused' // any other 4xx/5xx; `detail` carries the problem's detail
  | 'unreachable' // no answer at all (network, CORS)
  | 'noPermission' // the person or the browser refused the camera or microphone
  | 'noDevice' // no camera or microphone, or none that fits the constraints
  | 'deviceBusy' // another application holds the camera or microphone
  | 'noH264' // this browser cannot send H.264, the only video the Ingest accepts
  | 'noWebRtc'; // no RTCPeerConnection or getUserMedia here (old browser, insecure page)

export class WhipError extends Error {
  constructor(
    readonly failure: WhipFailure,
    readonly detail: string | null = null,
  ) {
    super(detail ?? failure);
  }
}

/** The capture sizes the studio offers; the browser scales its camera to the nearest it can. */
export const resolutions = { '360p': { width: 640, height: 360 }, '720p': { width: 1280, height: 720 }, '1080p': { width: 1920, height: 1080 } } as const;
export type Resolution = keyof typeof resolutions;

export interface CaptureChoice {
  cameraId: string | null;
  microphoneId: string | null;
  resolution: Resolution;
}

// Gathering against host candidates only takes milliseconds; the bound keeps a stuck network interface from
// holding the offer forever (what was gathered by then is sent).
const iceGatheringLimitMs = 3000;

/** Opens the camera and microphone at the chosen size, translating the browser's refusals. */
export async function openCapture(choice: CaptureChoice): Promise<MediaStream> {
  if (!navigator.mediaDevices?.getUserMedia || typeof RTCPeerConnection === 'undefined') {
    throw new WhipError('noWebRtc');
  }
  const { width, height } = resolutions[choice.resolution];
  try {
    return await navigator.mediaDevices.getUserMedia({
      video: { deviceId: choice.cameraId ? { exact: choice.cameraId } : undefined, width: { ideal: width }, height: { ideal: height }, frameRate: { ideal: 30 } },
      audio: { deviceId: choice.microphoneId ? { exact: choice.microphoneId } : undefined, echoCancellation: true, noiseSuppression: true },
    });
  } catch (error) {
    throw captureFailure(error);
  }
}

function captureFailure(error: unknown): WhipError {
  const name = error instanceof DOMException ? error.name : '';
  if (name === 'NotAllowedError' || name === 'SecurityError') return new WhipError('noPermission');
  if (name === 'NotFoundError' || name === 'OverconstrainedError') return new WhipError('noDevice');
  if (name === 'NotReadableError' || name === 'AbortError') return new WhipError('deviceBusy');
  return new WhipError('noWebRtc', error instanceof Error ? error.message : null);
}

/** The cameras and microphones; their labels are empty until the person has allowed capture once. */
export async function listDevices(): Promise<{ cameras: MediaDeviceInfo[]; microphones: MediaDeviceInfo[] }> {
  const devices = await navigator.mediaDevices.enumerateDevices();
  return { cameras: devices.filter((d) => d.kind === 'videoinput'), microphones: devices.filter((d) => d.kind === 'audioinput') };
}

/**
 * The H.264 codecs this browser can send, packetization-mode=1 with the constrained baseline profile first (what
 * every decoder and the Ingest's passthrough handle best); null when the browser cannot tell (older Firefox).
 */
export function h264Preferences(codecs: RTCRtpCodec[] | undefined): RTCRtpCodec[] | null {
  if (!codecs) return null;
  const rank = (c: RTCRtpCodec) => (c.sdpFmtpLine?.includes('packetization-mode=1') ? 0 : 2) + (c.sdpFmtpLine?.includes('profile-level-id=42e0') ? 0 : 1);
  return codecs.filter((c) => c.mimeType.toLowerCase() === 'video/h264').sort((a, b) => rank(a) - rank(b));
}

/** The answer to a WHIP offer (RFC 9725 §4.2): the SDP answer and the session's URL, absolute. */
export interface WhipAnswer {
  sdp: string;
  session: string;
}

/** POSTs the SDP offer to the WHIP endpoint with the stream key as its bearer token. */
export async function postOffer(endpoint: string, streamKey: string, offer: string, signal?: AbortSignal): Promise<WhipAnswer> {
  let response: Response;
  try {
    response = await fetch(endpoint, {
      method: 'POST',
      headers: { 'Content-Type': 'application/sdp', Authorization: `Bearer ${streamKey}` },
      body: offer,
      signal,
    });
  } catch (error) {
    if (signal?.aborted) throw error;
    throw new WhipError('unreachable');
  }
  if (response.status === 401) throw new WhipError('wrongKey');
  if (response.status === 404) throw new WhipError('notAvailable');
  if (!response.ok) throw new WhipError('refused', (await errorOf(response)).message);
  const location = response.headers.get('Location');
  if (!location) throw new WhipError('refused', 'the answer has no Location');
  // Location may be relative to the endpoint (RFC 9725 §4.2 uses an absolute path).
  return { sdp: await response.text(), session: new URL(location, endpoint).href };
}

/**
 * Ends a WHIP session (RFC 9725 §4.2: DELETE on the session URL). `keepalive` lets it outlive a closing page;
 * sendBeacon cannot send a DELETE.
 */
export async function deleteSession(session: string, streamKey: string): Promise<void> {
  await fetch(session, { method: 'DELETE', headers: { Authorization: `Bearer ${streamKey}` }, keepalive: true }).catch(() => undefined);
}

export type PublishState = 'connecting' | 'live' | 'failed' | 'stopped';

/** A broadcast from this browser: its connection, its WHIP session and the cap on its video bitrate. */
export class WhipPublisher {
  private session: string | null = null;
  private stopped = false;
  private readonly abort = new AbortController();
  private readonly unload = () => this.stop();

  private constructor(
    private readonly connection: RTCPeerConnection,
    private readonly video: RTCRtpSender,
    private readonly streamKey: string,
    private readonly onState: (state: PublishState) => void,
  ) {}

  /**
   * Offers `media` to `endpoint` with sendonly transceivers (H.264 preferred, Opus), after ICE gathering finishes,
   * and applies the answer. Failures arrive as WhipError.
   */
  static async start(endpoint: string, streamKey: string, media: MediaStream, maxBitrateKbps: number, onState: (state: PublishState) => void) {
    const h264 = h264Preferences(RTCRtpSender.getCapabilities?.('video')?.codecs);
    if (h264 && h264.length === 0) throw new WhipError('noH264');
    const connection = new RTCPeerConnection({ bundlePolicy: 'max-bundle' });
    const [videoTrack] = media.getVideoTracks();
    const [audioTrack] = media.getAudioTracks();
    const videoTransceiver = connection.addTransceiver(videoTrack ?? 'video', { direction: 'sendonly', streams: [media] });
    if (h264 && 'setCodecPreferences' in videoTransceiver) videoTransceiver.setCodecPreferences(h264);
    const audioTransceiver = connection.addTransceiver(audioTrack ?? 'audio', { direction: 'sendonly', streams: [media] });
    const opus = RTCRtpSender.getCapabilities?.('audio')?.codecs.filter((c) => c.mimeType.toLowerCase() === 'audio/opus');
    if (opus?.length && 'setCodecPreferences' in audioTransceiver) audioTransceiver.setCodecPreferences(opus);

    const publisher = new WhipPublisher(connection, videoTransceiver.sender, streamKey, onState);
    connection.addEventListener('connectionstatechange', () => publisher.connectionChanged());
    window.addEventListener('pagehide', publisher.unload);
    try {
      await connection.setLocalDescription(await connection.createOffer());
      await gatheringComplete(connection);
      const answer = await postOffer(endpoint, streamKey, connection.localDescription!.sdp, publisher.abort.signal);
      publisher.session = answer.session;
      await connection.setRemoteDescription({ type: 'answer', sdp: answer.sdp });
      await publisher.setMaxBitrate(maxBitrateKbps);
      return publisher;
    } catch (error) {
      publisher.stop();
      throw error;
    }
  }

  /** Caps the video encoder's bitrate now (RTCRtpSender.setParameters), live or not. */
  async setMaxBitrate(kbps: number) {
    const parameters = this.video.getParameters();
    if (!parameters.encodings?.length) parameters.encodings = [{}];
    parameters.encodings[0].maxBitrate = kbps * 1000;
    await this.video.setParameters(parameters);
  }

  /** Ends the broadcast: DELETE on the session (kept alive past a closing page), then the connection closes. */
  stop() {
    if (this.stopped) return;
    this.stopped = true;
    window.removeEventListener('pagehide', this.unload);
    this.abort.abort();
    if (this.session) void deleteSession(this.session, this.streamKey);
    this.connection.close();
    this.onState('stopped');
  }

  private connectionChanged() {
    if (this.stopped) return;
    const state = this.connection.connectionState;
    if (state === 'connected') this.onState('live');
    else if (state === 'failed') this.onState('failed');
    // "disconnected" is often momentary (consent checks missed): shown as connecting until it recovers or fails.
    else this.onState('connecting');
  }
}

function gatheringComplete(connection: RTCPeerConnection): Promise<void> {
  if (connection.iceGatheringState === 'complete') return Promise.resolve();
  return new Promise((resolve) => {
    const done = () => {
      if (connection.iceGatheringState !== 'complete') return;
      connection.removeEventListener('icegatheringstatechange', done);
      window.clearTimeout(timer);
      resolve();
    };
    const timer = window.setTimeout(() => {
      connection.removeEventListener('icegatheringstatechange', done);
      resolve();
    }, iceGatheringLimitMs);
    connection.addEventListener('icegatheringstatechange', done);
  });
}
