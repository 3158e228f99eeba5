import { useSyncExternalStore } from 'react';
import { useTranslation } from 'react-i18next';

const subscribe = (listener: () => void) => {
  window.addEventListener('online', listener);
  window.addEventListener('offline', listener);
  return () => {
    window.removeEventListener('online', listener);
    window.removeEventListener('offline', listener);
  };
};

/** Shown while the device is offline: the app shell still opens (service worker), live data waits for the network. */
export function OfflineNotice() {
  const { t } = useTranslation();
  const online = useSyncExternalStore(subscribe, () => navigator.onLine);
  return online ? null : (
    <div className="offline" role="status" data-testid="offline">
      <strong>{t('offline.title')}</strong> {t('offline.text')}
    </div>
  );
}
