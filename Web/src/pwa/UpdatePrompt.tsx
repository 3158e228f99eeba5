import { useTranslation } from 'react-i18next';
import { useRegisterSW } from 'virtual:pwa-register/react';

/** Registers the service worker and, when a new version of the app is deployed, offers to reload into it. */
export function UpdatePrompt() {
  const { t } = useTranslation();
  const {
    needRefresh: [needRefresh, setNeedRefresh],
    updateServiceWorker,
  } = useRegisterSW();
  return needRefresh ? (
    <div className="toast" role="alert">
      <span>{t('pwa.update')}</span>
      <button type="button" className="primary" onClick={() => void updateServiceWorker(true)}>
        {t('pwa.reload')}
      </button>
      <button type="button" onClick={() => setNeedRefresh(false)}>
        {t('pwa.later')}
      </button>
    </div>
  ) : null;
}
