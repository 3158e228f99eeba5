import { useId, useState } from 'react';
import { useTranslation } from 'react-i18next';

/** A read-only field with a Copy button; `secret` hides the value until "Show" is pressed. */
export function CopyField({ label, value, secret = false, onReveal }: { label: string; value: string | null; secret?: boolean; onReveal?: () => void }) {
  const { t } = useTranslation();
  const id = useId();
  const [shown, setShown] = useState(!secret);
  const [copied, setCopied] = useState(false);
  const copy = async () => {
    if (value === null) {
      return;
    }
    await navigator.clipboard?.writeText(value).catch(() => undefined);
    setCopied(true);
    window.setTimeout(() => setCopied(false), 1500);
  };
  return (
    <div className="copy-field">
      <label htmlFor={id}>{label}</label>
      <div className="copy-row">
        <input id={id} readOnly type={shown ? 'text' : 'password'} value={value ?? ''} onFocus={(e) => shown && e.currentTarget.select()} />
        {secret && (
          <button type="button" onClick={() => { setShown(!shown); if (!shown) onReveal?.(); }} aria-pressed={shown}>
            {shown ? t('common.hide') : t('common.show')}
          </button>
        )}
        <button type="button" onClick={() => void copy()} aria-label={t('common.copyNamed', { name: label })} disabled={value === null}>
          {copied ? t('common.copied') : t('common.copy')}
        </button>
      </div>
      <span className="visually-hidden" role="status">{copied ? t('common.copied') : ''}</span>
    </div>
  );
}
