import i18n from 'i18next';
import LanguageDetector from 'i18next-browser-languagedetector';
import { initReactI18next } from 'react-i18next';
import { en } from './en';
import { ru } from './ru';

/** The languages the app ships, by their own names (the Language selector shows these). */
export const languages = [
  { code: 'en', name: 'English' },
  { code: 'ru', name: 'Русский' },
] as const;

const storageKey = 'nio.language';

// Chosen from the browser's languages on the first visit, then remembered once the person picks one.
void i18n
  .use(LanguageDetector)
  .use(initReactI18next)
  .init({
    resources: { en: { translation: en }, ru: { translation: ru } },
    supportedLngs: languages.map((l) => l.code),
    nonExplicitSupportedLngs: true,
    fallbackLng: 'en',
    interpolation: { escapeValue: false },
    detection: { order: ['localStorage', 'navigator'], lookupLocalStorage: storageKey, caches: ['localStorage'] },
  });

const setDocumentLanguage = (language: string) => {
  document.documentElement.lang = language;
};
setDocumentLanguage(i18n.resolvedLanguage ?? 'en');
i18n.on('languageChanged', () => setDocumentLanguage(i18n.resolvedLanguage ?? 'en'));

export default i18n;
