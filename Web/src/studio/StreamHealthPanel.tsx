import { useCallback, useState } from 'react';
import { useTranslation } from 'react-i18next';
import { getStreamHealth, type StreamHealth } from '../api/streams';
import { useFormat } from '../i18n/format';
import { usePolling } from '../ui/usePolling';

const refreshMs = 5000;

/**
 * The stream's health while `streamId` is set (null while the stream is not live), refreshed every few seconds; one
 * poll for the whole studio, read by the health panel and by the browser broadcast's status line.
 */
export function useStreamHealth(streamId: string | null) {
  const [health, setHealth] = useState<StreamHealth | null>(null);
  const [unavailable, setUnavailable] = useState(false);

  const load = useCallback(
    async (signal: AbortSignal) => {
      if (!streamId) {
        setHealth(null);
        return;
      }
      try {
        setHealth(await getStreamHealth(streamId, signal));
        setUnavailable(false);
      } catch {
        if (!signal.aborted) setUnavailable(true);
      }
    },
    [streamId],
  );
  usePolling(load, refreshMs);
  return { health, unavailable };
}

/** What the Ingest measures of the stream's media, with warnings a streamer can act on. */
export function StreamHealthPanel({ health, unavailable }: { health: StreamHealth | null; unavailable: boolean }) {
  const { t } = useTranslation();
  const format = useFormat();

  const video = health?.video;
  const audio = health?.audio;
  const rows: [string, string][] = [];
  if (video) {
    rows.push([t('health.video'), [video.codec, video.profile, video.level].filter(Boolean).join(' ')]);
    rows.push([t('health.resolution'), `${video.width}×${video.height}`]);
    rows.push([t('health.frameRate'), t('health.fps', { value: format.number(Math.round(video.frameRate * 100) / 100) })]);
    rows.push([t('health.videoBitrate'), t('health.kbps', { value: format.number(Math.round(video.bitrateKbps)) })]);
    if (video.keyframeIntervalSeconds !== null) rows.push([t('health.keyframeInterval'), format.seconds(video.keyframeIntervalSeconds)]);
  }
  if (audio) {
    rows.push([t('health.audio'), `${audio.codec} · ${format.number(audio.sampleRate)} Hz · ${audio.channels === 1 ? t('health.mono') : t('health.stereo')}`]);
    rows.push([t('health.audioBitrate'), t('health.kbps', { value: format.number(Math.round(audio.bitrateKbps)) })]);
  }
  if (health?.secondsSinceLastMedia != null) rows.push([t('health.lastMedia'), format.seconds(health.secondsSinceLastMedia)]);
  if (health?.glassToGlassEstimateSeconds != null) rows.push([t('health.latency'), format.seconds(health.glassToGlassEstimateSeconds)]);

  return (
    <section className="panel" aria-labelledby="health-heading" data-testid="stream-health">
      <h2 id="health-heading">{t('health.title')}</h2>
      {unavailable && !health && <p className="notice">{t('health.unavailable')}</p>}
      {health && !health.live && <p className="notice">{t('health.notReceiving')}</p>}
      {health?.warnings.map((w) => (
        <p key={w} className="warning" role="alert" data-warning={w}>
          {t(`health.warnings.${w}`, { defaultValue: w })}
        </p>
      ))}
      {rows.length > 0 && (
        <dl className="facts">
          {rows.map(([label, value]) => (
            <div key={label}>
              <dt>{label}</dt>
              <dd>{value}</dd>
            </div>
          ))}
        </dl>
      )}
    </section>
  );
}
