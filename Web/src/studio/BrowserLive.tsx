import { useEffect, useRef, useState } from 'react';
import { useTranslation } from 'react-i18next';
import { getStreamKey, type OwnStream, type StreamHealth } from '../api/streams';
import { useFormat } from '../i18n/format';
import { listDevices, openCapture, resolutions, WhipError, WhipPublisher, type CaptureChoice, type PublishState, type Resolution } from './whip';

/** Video bitrate caps offered, in kbps; 2500 suits 720p at 30 fps. */
const bitrates = [800, 1500, 2500, 4500] as const;
const defaultBitrate = 2500;

type Phase = 'idle' | PublishState;

function stopTracks(media: MediaStream | null) {
  media?.getTracks().forEach((track) => track.stop());
}

/**
 * "Go live from the browser": the camera and microphone pickers, a preview, the size and bitrate, Start / Stop over
 * the stream's WHIP URL with its key, and while live the state, the viewers and the glass-to-glass estimate.
 */
export function BrowserLive({ stream, health, labelledBy }: { stream: OwnStream; health: StreamHealth | null; labelledBy: string }) {
  const { t } = useTranslation();
  const format = useFormat();
  const [choice, setChoice] = useState<CaptureChoice>({ cameraId: null, microphoneId: null, resolution: '720p' });
  const [bitrate, setBitrate] = useState<number>(defaultBitrate);
  const [media, setMedia] = useState<MediaStream | null>(null);
  const [devices, setDevices] = useState<{ cameras: MediaDeviceInfo[]; microphones: MediaDeviceInfo[] }>({ cameras: [], microphones: [] });
  const [phase, setPhase] = useState<Phase>('idle');
  const [error, setError] = useState<string | null>(null);
  const [attempt, setAttempt] = useState(0);
  const publisher = useRef<WhipPublisher | null>(null);
  const preview = useRef<HTMLVideoElement>(null);

  const describe = (e: unknown) =>
    e instanceof WhipError ? t(`browser.errors.${e.failure}`, { detail: e.detail ?? '' }) : t('errors.unexpected');

  // The capture follows the pickers (they are locked while live); device labels are readable once it is allowed.
  useEffect(() => {
    let cancelled = false;
    let opened: MediaStream | null = null;
    openCapture(choice)
      .then(async (captured) => {
        if (cancelled) return stopTracks(captured);
        opened = captured;
        setMedia(captured);
        setError(null);
        setDevices(await listDevices());
      })
      .catch((e) => !cancelled && setError(describe(e)));
    return () => {
      cancelled = true;
      stopTracks(opened);
      // No Start with a stopped capture while the next one opens.
      setMedia((shown) => (shown === opened ? null : shown));
    };
    // `describe` only reads the language, which does not need the camera reopened.
  }, [choice, attempt]);

  useEffect(() => {
    if (preview.current) preview.current.srcObject = media;
  }, [media]);

  // Leaving the studio ends the broadcast (closing the page does too: WhipPublisher listens for pagehide).
  useEffect(() => () => publisher.current?.stop(), []);

  const start = async () => {
    if (!media) return;
    setError(null);
    setPhase('connecting');
    try {
      const { streamKey } = await getStreamKey(stream.id);
      publisher.current = await WhipPublisher.start(stream.whipUrl, streamKey, media, bitrate, (state) => {
        if (state === 'failed') {
          setError(t('browser.errors.connectionLost'));
          publisher.current?.stop();
          publisher.current = null;
          return;
        }
        setPhase(state === 'stopped' ? 'idle' : state);
      });
    } catch (e) {
      setPhase('idle');
      setError(describe(e));
    }
  };

  const stop = () => {
    publisher.current?.stop();
    publisher.current = null;
    setPhase('idle');
  };

  const changeBitrate = (kbps: number) => {
    setBitrate(kbps);
    void publisher.current?.setMaxBitrate(kbps).catch(() => undefined);
  };

  const busy = phase !== 'idle';
  const onAir = phase === 'live' && stream.status === 'live';
  const stateText = phase === 'idle' ? t('browser.state.idle') : phase === 'connecting' ? t('browser.state.connecting') : onAir ? t('browser.state.live') : t('browser.state.connected');
  const deviceOptions = (list: MediaDeviceInfo[]) =>
    list.map((device, index) => (
      <option key={device.deviceId || index} value={device.deviceId}>
        {device.label || t('browser.deviceN', { n: index + 1 })}
      </option>
    ));
  const current = (kind: 'video' | 'audio') => media?.getTracks().find((track) => track.kind === kind)?.getSettings().deviceId ?? '';

  return (
    <section id="browser-live" className="panel browser-live" aria-labelledby={labelledBy} data-testid="browser-live">
      <div className="camera-preview">
        <video ref={preview} autoPlay muted playsInline aria-label={t('browser.preview')} data-testid="camera-preview" />
        {onAir && <span className="badge live on-air">{t('stream.live')}</span>}
      </div>
      <div className="browser-controls">
        <label>
          {t('browser.camera')}
          <select value={current('video')} disabled={busy || devices.cameras.length === 0} onChange={(e) => setChoice({ ...choice, cameraId: e.target.value })}>
            {deviceOptions(devices.cameras)}
          </select>
        </label>
        <label>
          {t('browser.microphone')}
          <select value={current('audio')} disabled={busy || devices.microphones.length === 0} onChange={(e) => setChoice({ ...choice, microphoneId: e.target.value })}>
            {deviceOptions(devices.microphones)}
          </select>
        </label>
        <label>
          {t('browser.resolution')}
          <select value={choice.resolution} disabled={busy} onChange={(e) => setChoice({ ...choice, resolution: e.target.value as Resolution })}>
            {Object.keys(resolutions).map((name) => <option key={name} value={name}>{name}</option>)}
          </select>
        </label>
        <label>
          {t('browser.bitrate')}
          <select value={bitrate} onChange={(e) => changeBitrate(Number(e.target.value))}>
            {bitrates.map((kbps) => <option key={kbps} value={kbps}>{t('health.kbps', { value: format.number(kbps) })}</option>)}
          </select>
        </label>
      </div>
      <div className="actions">
        {busy ? (
          <button type="button" className="danger" onClick={stop}>{t('browser.stop')}</button>
        ) : (
          <button type="button" className="primary" onClick={() => void start()} disabled={!media}>{t('browser.start')}</button>
        )}
        {!media && error && <button type="button" onClick={() => setAttempt(attempt + 1)}>{t('common.tryAgain')}</button>}
      </div>
      {error && <p className="error" role="alert">{error}</p>}
      <p className="meta" role="status" data-testid="browser-live-state" data-phase={onAir ? 'on-air' : phase}>
        <span>{stateText}</span>
        {onAir && <span>{t('stream.viewers', { count: stream.viewerCount, formatted: format.number(stream.viewerCount) })}</span>}
        {onAir && health?.glassToGlassEstimateSeconds != null && (
          <span>{t('health.latency')}: {format.seconds(health.glassToGlassEstimateSeconds)}</span>
        )}
      </p>
    </section>
  );
}
