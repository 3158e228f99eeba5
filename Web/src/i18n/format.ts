import { useTranslation } from 'react-i18next';

/** Numbers, dates and durations in the interface's language (Intl), so Russian gets "1 234" and "3 дня". */
export function useFormat(): Formatter {
  const { i18n } = useTranslation();
  return formatter(i18n.resolvedLanguage ?? 'en');
}

export type Formatter = ReturnType<typeof formatter>;

/** The same formats for a given locale, outside React. */
export function formatter(locale: string) {
  return {
    number: (value: number) => new Intl.NumberFormat(locale).format(value),
    /** With `digits` decimals, in the locale's own separator ("1.2", "1,2"). */
    decimal: (value: number, digits = 1) => new Intl.NumberFormat(locale, { minimumFractionDigits: digits, maximumFractionDigits: digits }).format(value),
    dateTime: (iso: string) => new Intl.DateTimeFormat(locale, { dateStyle: 'medium', timeStyle: 'short' }).format(new Date(iso)),
    date: (iso: string) => new Intl.DateTimeFormat(locale, { dateStyle: 'medium' }).format(new Date(iso)),
    time: (iso: string) => new Intl.DateTimeFormat(locale, { hour: '2-digit', minute: '2-digit' }).format(new Date(iso)),
    money: (cents: number, currency: string) => new Intl.NumberFormat(locale, { style: 'currency', currency: currency.toUpperCase() }).format(cents / 100),
    /** How long ago `iso` was, e.g. "1 h 5 min" / "1 ч 5 мин", as the live badge shows it. */
    since: (iso: string, now: number) => duration(locale, Math.max(0, (now - Date.parse(iso)) / 1000)),
    seconds: (value: number) => new Intl.NumberFormat(locale, { style: 'unit', unit: 'second', unitDisplay: 'short', maximumFractionDigits: 1 }).format(value),
  };
}

function duration(locale: string, totalSeconds: number): string {
  const hours = Math.floor(totalSeconds / 3600);
  const minutes = Math.floor((totalSeconds % 3600) / 60);
  const unit = (value: number, unit: 'hour' | 'minute') => new Intl.NumberFormat(locale, { style: 'unit', unit, unitDisplay: 'short' }).format(value);
  return hours > 0 ? `${unit(hours, 'hour')} ${unit(minutes, 'minute')}` : unit(minutes, 'minute');
}
