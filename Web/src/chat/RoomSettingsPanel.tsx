import { useEffect, useState, type FormEvent } from 'react';
import { useTranslation } from 'react-i18next';
import { refusalReason, type RoomSettings } from '../api/chat';

const slowModes = [0, 5, 10, 30, 60, 300];

/** Slow mode and blocked words of the room, for its moderators. */
export function RoomSettingsPanel({ settings, call, onSaved }: { settings: RoomSettings; call: (method: string, ...args: unknown[]) => Promise<unknown>; onSaved: () => void }) {
  const { t } = useTranslation();
  const [words, setWords] = useState(settings.blockedWords.join('\n'));
  const [message, setMessage] = useState<string | null>(null);
  useEffect(() => setWords(settings.blockedWords.join('\n')), [settings.blockedWords]);

  const run = async (work: () => Promise<unknown>) => {
    try {
      await work();
      setMessage(t('common.saved'));
      onSaved();
    } catch (error) {
      setMessage(refusalReason(error) || t('chat.cantReach'));
    }
  };

  const saveWords = (event: FormEvent) => {
    event.preventDefault();
    void run(() => call('SetBlockedWords', words.split(/[\n,]/).map((w) => w.trim()).filter(Boolean)));
  };

  return (
    <details className="room-settings">
      <summary>{t('moderation.settings')}</summary>
      <label>
        {t('moderation.slowMode')}
        <select value={settings.slowModeSeconds} onChange={(e) => void run(() => call('SetSlowMode', Number(e.target.value)))}>
          {[...new Set([...slowModes, settings.slowModeSeconds])].sort((a, b) => a - b).map((s) => (
            <option key={s} value={s}>{s === 0 ? t('moderation.slowOff') : t('moderation.slowEvery', { count: s })}</option>
          ))}
        </select>
      </label>
      <form onSubmit={saveWords}>
        <label>
          {t('moderation.blockedWords')}
          <textarea rows={3} value={words} onChange={(e) => setWords(e.target.value)} aria-describedby="blocked-hint" />
        </label>
        <p id="blocked-hint" className="hint">{t('moderation.blockedHint')}</p>
        <button type="submit">{t('common.save')}</button>
      </form>
      {message && <p className="hint" role="status">{message}</p>}
    </details>
  );
}
