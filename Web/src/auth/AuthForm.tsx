import { useState, type FormEvent } from 'react';
import { useTranslation } from 'react-i18next';
import type { TFunction } from 'i18next';
import { Link, useNavigate, useSearchParams } from 'react-router-dom';
import { ApiError } from '../api/http';
import { session } from '../api/session';

/** Why the Api refused, in the person's language: taken email, weak password, wrong password, too many tries. */
function reason(error: unknown, t: TFunction): string {
  if (!(error instanceof ApiError)) {
    return t('errors.unexpected');
  }
  switch (error.status) {
    case 0:
      return t('errors.offline');
    case 409:
      return t('auth.emailTaken');
    case 401:
      return t('auth.wrongPassword');
    case 403:
      return t('auth.banned');
    case 429:
      return t('auth.rateLimited', { count: error.retryAfterSeconds ?? 60 });
    case 400:
      if (error.fields.password) return t('auth.weakPassword');
      if (error.fields.email) return t('auth.badEmail');
      if (error.fields.displayName) return t('auth.badDisplayName');
      return t('errors.unexpected');
    default:
      return t('errors.unexpected');
  }
}

/** Sign in (`mode` signIn) or sign up; afterwards goes back to where the person came from (`?next=`). */
export function AuthForm({ mode }: { mode: 'signIn' | 'signUp' }) {
  const { t } = useTranslation();
  const navigate = useNavigate();
  const [params] = useSearchParams();
  const [email, setEmail] = useState('');
  const [password, setPassword] = useState('');
  const [displayName, setDisplayName] = useState('');
  const [error, setError] = useState<string | null>(null);
  const [busy, setBusy] = useState(false);
  const next = params.get('next')?.startsWith('/') ? params.get('next')! : '/';

  const submit = async (event: FormEvent) => {
    event.preventDefault();
    setBusy(true);
    setError(null);
    try {
      await (mode === 'signIn' ? session.signIn(email.trim(), password) : session.signUp(email.trim(), password, displayName.trim()));
      navigate(next, { replace: true });
    } catch (e) {
      setError(reason(e, t));
    } finally {
      setBusy(false);
    }
  };

  const title = mode === 'signIn' ? t('auth.signIn') : t('auth.signUp');
  return (
    <section className="auth-page">
      <h1>{title}</h1>
      <form onSubmit={submit} className="form" noValidate>
        <label>
          {t('auth.email')}
          <input type="email" autoComplete="email" required value={email} onChange={(e) => setEmail(e.target.value)} />
        </label>
        {mode === 'signUp' && (
          <label>
            {t('auth.displayName')}
            <input autoComplete="nickname" required maxLength={50} value={displayName} onChange={(e) => setDisplayName(e.target.value)} />
          </label>
        )}
        <label>
          {t('auth.password')}
          <input
            type="password"
            autoComplete={mode === 'signIn' ? 'current-password' : 'new-password'}
            required
            minLength={mode === 'signUp' ? 10 : undefined}
            aria-describedby={mode === 'signUp' ? 'password-rule' : undefined}
            value={password}
            onChange={(e) => setPassword(e.target.value)}
          />
        </label>
        {mode === 'signUp' && <p id="password-rule" className="hint">{t('auth.passwordRule')}</p>}
        {error && <p className="error" role="alert">{error}</p>}
        <button type="submit" className="primary" disabled={busy}>{title}</button>
      </form>
      <p className="hint">
        {mode === 'signIn' ? t('auth.noAccount') : t('auth.haveAccount')}{' '}
        <Link to={`${mode === 'signIn' ? '/signup' : '/signin'}${next !== '/' ? `?next=${encodeURIComponent(next)}` : ''}`}>
          {mode === 'signIn' ? t('auth.signUp') : t('auth.signIn')}
        </Link>
      </p>
    </section>
  );
}

export const SignInPage = () => <AuthForm mode="signIn" />;
export const SignUpPage = () => <AuthForm mode="signUp" />;
