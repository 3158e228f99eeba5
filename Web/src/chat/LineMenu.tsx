import { useState } from 'react';
import { useTranslation } from 'react-i18next';
import { refusalReason } from '../api/chat';
import type { ChatLine } from './useRoom';

/** What a moderator may do from a chat line, and to whom. */
export interface Moderation {
  me: string;
  canAppoint: boolean;
  moderators: Set<string>;
  call: (method: string, ...args: unknown[]) => Promise<unknown>;
  /** Told after an appointment changed, so the list of moderators is read again. */
  changed: () => void;
}

const timeouts = [60, 600, 3600, 86_400];

/** The moderator's menu on one chat line: delete it, time out / ban / unban its author, appoint or remove a moderator. */
export function LineMenu({ line, moderation }: { line: ChatLine; moderation: Moderation }) {
  const { t } = useTranslation();
  const [open, setOpen] = useState(false);
  const [result, setResult] = useState<string | null>(null);
  const userId = line.userId!;
  const own = userId === moderation.me;
  const isModerator = moderation.moderators.has(userId);

  const act = async (method: string, ...args: unknown[]) => {
    try {
      await moderation.call(method, ...args);
      setResult(null);
      setOpen(false);
      if (method.endsWith('Moderator')) {
        moderation.changed();
      }
    } catch (error) {
      setResult(refusalReason(error) || t('chat.cantReach'));
    }
  };

  return (
    <span className="line-menu" onKeyDown={(e) => e.key === 'Escape' && setOpen(false)}>
      <button type="button" className="icon" aria-label={t('moderation.menuFor', { name: line.displayName })} aria-expanded={open} onClick={() => setOpen(!open)}>
        ⋯
      </button>
      {open && (
        <div className="menu" role="group" aria-label={t('moderation.menuFor', { name: line.displayName })}>
          {line.id !== null && <button type="button" onClick={() => void act('DeleteMessage', line.id)}>{t('moderation.delete')}</button>}
          {!own && (
            <>
              <span className="menu-label">{t('moderation.timeout')}</span>
              <div className="menu-row">
                {timeouts.map((seconds) => (
                  <button key={seconds} type="button" onClick={() => void act('TimeoutUser', userId, seconds)} aria-label={t('moderation.timeoutFor', { duration: t(`moderation.duration.${seconds}`) })}>
                    {t(`moderation.duration.${seconds}`)}
                  </button>
                ))}
              </div>
              <button type="button" className="danger" onClick={() => void act('BanUser', userId)}>{t('moderation.ban')}</button>
              <button type="button" onClick={() => void act('UnbanUser', userId)}>{t('moderation.unban')}</button>
              {moderation.canAppoint && (isModerator ? (
                <button type="button" onClick={() => void act('RemoveModerator', userId)}>{t('moderation.removeModerator')}</button>
              ) : (
                <button type="button" onClick={() => void act('AddModerator', userId)}>{t('moderation.addModerator')}</button>
              ))}
            </>
          )}
          {result && <p className="chat-error" role="alert">{result}</p>}
        </div>
      )}
    </span>
  );
}
