import { useState, type ChangeEvent, type FormEvent } from 'react';
import { useTranslation } from 'react-i18next';
import { ApiError } from '../api/http';
import { session, type User } from '../api/session';
import { updateProfile, uploadAvatar } from '../api/users';

const maxAvatarBytes = 5 * 1024 * 1024;
const avatarTypes = ['image/jpeg', 'image/png', 'image/webp', 'image/gif'];

/** Edit my display name, bio and avatar (uploaded; the Api keeps a resized copy). */
export function EditProfile({ user, onSaved }: { user: User; onSaved: () => void }) {
  const { t } = useTranslation();
  const [displayName, setDisplayName] = useState(user.displayName);
  const [bio, setBio] = useState(user.bio);
  const [message, setMessage] = useState<string | null>(null);
  const [busy, setBusy] = useState(false);

  const save = async (event: FormEvent) => {
    event.preventDefault();
    setBusy(true);
    try {
      session.update(await updateProfile({ displayName: displayName.trim(), bio }));
      setMessage(t('common.saved'));
      onSaved();
    } catch (e) {
      const fields = e instanceof ApiError && e.status === 400 ? e.fields : {};
      setMessage(fields.displayName ? t('auth.badDisplayName') : fields.bio ? t('profile.badBio') : t('errors.unexpected'));
    } finally {
      setBusy(false);
    }
  };

  const upload = async (event: ChangeEvent<HTMLInputElement>) => {
    const file = event.target.files?.[0];
    event.target.value = '';
    if (!file) return;
    if (!avatarTypes.includes(file.type)) return setMessage(t('profile.avatarType'));
    if (file.size > maxAvatarBytes) return setMessage(t('profile.avatarSize'));
    setBusy(true);
    try {
      session.update(await uploadAvatar(file));
      setMessage(t('profile.avatarSaved'));
      onSaved();
    } catch (e) {
      setMessage(e instanceof ApiError && e.status === 413 ? t('profile.avatarSize') : e instanceof ApiError && (e.status === 415 || e.status === 400) ? t('profile.avatarType') : t('errors.unexpected'));
    } finally {
      setBusy(false);
    }
  };

  return (
    <details className="panel">
      <summary>{t('profile.edit')}</summary>
      <form className="form" onSubmit={save}>
        <label>
          {t('auth.displayName')}
          <input required maxLength={50} value={displayName} onChange={(e) => setDisplayName(e.target.value)} />
        </label>
        <label>
          {t('profile.bio')}
          <textarea maxLength={500} rows={3} value={bio} onChange={(e) => setBio(e.target.value)} />
        </label>
        <button type="submit" className="primary" disabled={busy || !displayName.trim()}>{t('common.save')}</button>
      </form>
      <label className="file">
        {t('profile.avatar')}
        <input type="file" accept={avatarTypes.join(',')} onChange={(e) => void upload(e)} disabled={busy} />
      </label>
      <p className="hint">{t('profile.avatarHint')}</p>
      {message && <p role="status" className="hint">{message}</p>}
    </details>
  );
}
