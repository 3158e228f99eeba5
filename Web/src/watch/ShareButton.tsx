import { useState } from 'react';
import { useTranslation } from 'react-i18next';

/** Shares the page through the device's share sheet, or copies its link where there is none. */
export function ShareButton({ title }: { title: string }) {
  const { t } = useTranslation();
  const [copied, setCopied] = useState(false);
  const share = async () => {
    const url = window.location.href;
    if (navigator.share) {
      await navigator.share({ title, url }).catch(() => undefined);
      return;
    }
    await navigator.clipboard?.writeText(url).catch(() => undefined);
    setCopied(true);
    window.setTimeout(() => setCopied(false), 2000);
  };
  return (
    <>
      <button type="button" className="share" onClick={() => void share()}>
        <span aria-hidden="true">↗</span>
        <span className="share-text">{t('watch.share')}</span>
      </button>
      <span role="status" className={copied ? 'hint' : 'visually-hidden'}>{copied ? t('watch.linkCopied') : ''}</span>
    </>
  );
}
