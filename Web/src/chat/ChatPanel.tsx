import { useCallback, useEffect, useMemo, useState } from 'react';
import { useTranslation } from 'react-i18next';
import type { RoomSettings } from '../api/chat';
import type { GiftEvent } from '../api/gifts';
import { useUser } from '../auth/useAuth';
import { useFormat } from '../i18n/format';
import { ChatLines } from './ChatLines';
import { Composer } from './Composer';
import type { Moderation } from './LineMenu';
import { ReactionBar } from './ReactionBar';
import { RoomSettingsPanel } from './RoomSettingsPanel';
import { useRoom } from './useRoom';

/**
 * The stream's live room: viewers, messages, reactions, the message box, and for moderators their tools. Once the
 * stream has ended (`closed`) its lines stay readable and the room says it is closed instead of offering a message box
 * the hub would refuse.
 */
export function ChatPanel({ streamId, closed = false, onGift, onViewers }: {
  streamId: string;
  closed?: boolean;
  onGift?: (event: GiftEvent) => void;
  onViewers?: (count: number) => void;
}) {
  const { t } = useTranslation();
  const format = useFormat();
  const user = useUser();
  const room = useRoom(streamId, user?.id ?? null, onGift);
  const [settings, setSettings] = useState<RoomSettings | null>(null);
  const { canModerate, canAppoint, moderate, status } = room;

  useEffect(() => {
    if (room.viewerCount !== null) {
      onViewers?.(room.viewerCount);
    }
  }, [room.viewerCount, onViewers]);

  const loadSettings = useCallback(() => {
    moderate<RoomSettings>('GetRoomSettings').then(setSettings, () => setSettings(null));
  }, [moderate]);
  useEffect(() => {
    if (canModerate && status === 'joined') {
      loadSettings();
    }
  }, [canModerate, status, loadSettings]);

  const moderation = useMemo<Moderation | null>(
    () => (canModerate && user ? { me: user.id, canAppoint, moderators: new Set(settings?.moderators ?? []), call: moderate, changed: loadSettings } : null),
    [canModerate, canAppoint, user, settings, moderate, loadSettings],
  );

  const notice = closed ? t('chat.refusals.streamEnded') : room.notice === 'offline' ? t('chat.cantReach') : room.notice;
  const open = room.signedIn && room.status === 'joined' && !closed;
  return (
    <aside className="chat" data-testid="chat" data-status={room.status} aria-label={t('chat.title')}>
      <header className="chat-header">
        <span>{t(`chat.status.${room.status}`)}</span>
        {room.viewerCount !== null && (
          <span data-testid="viewer-count">{t('stream.viewers', { count: room.viewerCount, formatted: format.number(room.viewerCount) })}</span>
        )}
      </header>
      {notice && <p className="chat-notice" role="status">{notice}</p>}
      {moderation && settings && <RoomSettingsPanel settings={settings} call={moderate} onSaved={loadSettings} />}
      <ChatLines lines={room.lines} moderation={moderation} />
      <ReactionBar bursts={room.bursts} enabled={open} onReact={room.react} />
      {room.signedIn ? <Composer enabled={open} onSend={room.send} /> : <p className="chat-notice">{t('chat.signInToChat')}</p>}
    </aside>
  );
}
