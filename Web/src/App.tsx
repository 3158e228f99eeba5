import { lazy, Suspense, useState, type ComponentType, type FormEvent } from 'react';
import { useTranslation } from 'react-i18next';
import { BrowserRouter, Link, NavLink, Route, Routes, useNavigate } from 'react-router-dom';
import { RequireUser } from './auth/RequireUser';
import { SignInPage, SignUpPage } from './auth/AuthForm';
import { useUser } from './auth/useAuth';
import { HomePage } from './home/HomePage';
import { languages } from './i18n';
import { SignOutButton } from './auth/SignOutButton';
import { OfflineNotice } from './pwa/OfflineNotice';
import { UpdatePrompt } from './pwa/UpdatePrompt';
import { Avatar } from './ui/Avatar';
import { loadedWatchPage, loadWatchPage } from './watch/preload';

// hls.js, the SignalR client and Stripe.js load only with the pages that use them.
const LazyWatchPage = lazy(loadWatchPage);
const StudioPage = lazy(() => import('./studio/StudioPage'));
const WalletPage = lazy(() => import('./wallet/WalletPage'));
const ProfilePage = lazy(() => import('./profile/ProfilePage'));
const SearchPage = lazy(() => import('./search/SearchPage'));

function LanguageSelect() {
  const { t, i18n } = useTranslation();
  return (
    <select className="language" aria-label={t('nav.language')} value={i18n.resolvedLanguage} onChange={(e) => void i18n.changeLanguage(e.target.value)}>
      {languages.map((l) => (
        <option key={l.code} value={l.code} lang={l.code}>
          {l.name}
        </option>
      ))}
    </select>
  );
}

function SearchBox() {
  const { t } = useTranslation();
  const navigate = useNavigate();
  const [q, setQ] = useState('');
  const submit = (event: FormEvent) => {
    event.preventDefault();
    if (q.trim()) {
      navigate(`/search?q=${encodeURIComponent(q.trim())}`);
    }
  };
  return (
    <form role="search" className="search-box" onSubmit={submit}>
      <input type="search" aria-label={t('nav.search')} placeholder={t('nav.searchPlaceholder')} value={q} onChange={(e) => setQ(e.target.value)} maxLength={100} />
    </form>
  );
}

function TopBar() {
  const { t } = useTranslation();
  const user = useUser();
  return (
    <header className="topbar">
      <Link className="brand" to="/" aria-label={t('nav.home')}>
        NIO
      </Link>
      <SearchBox />
      <nav className="nav" aria-label={t('nav.main')}>
        <NavLink to="/studio" className="go-live">
          {t('nav.goLive')}
        </NavLink>
        {user ? (
          <>
            <NavLink to="/wallet" className="wallet-link">{t('nav.wallet')}</NavLink>
            <NavLink to={`/u/${user.id}`} className="me" aria-label={t('nav.profile')}>
              <Avatar name={user.displayName} url={user.avatarUrl} size={28} />
            </NavLink>
            <SignOutButton className="link sign-out" />
          </>
        ) : (
          <>
            <NavLink to="/signin">{t('auth.signIn')}</NavLink>
            <NavLink to="/signup" className="primary-link">
              {t('auth.signUp')}
            </NavLink>
          </>
        )}
        <LanguageSelect />
      </nav>
    </header>
  );
}

/** The watch page, drawn straight away when its code is already in (opened from a watch link), lazily otherwise. */
function WatchRoute() {
  // Chosen once per visit of the route: switching component types later would restart the player.
  const [Page] = useState<ComponentType>(() => loadedWatchPage()?.default ?? LazyWatchPage);
  return <Page />;
}

function NotFound() {
  const { t } = useTranslation();
  return (
    <section>
      <h1>{t('errors.notFoundTitle')}</h1>
      <p>
        <Link to="/">{t('nav.home')}</Link>
      </p>
    </section>
  );
}

/**
 * The whole app. The session is picked up again from its cookie while the first page draws (a reload keeps people
 * signed in); pages for signed-in people wait for it, public ones (home, watch) do not.
 */
export function App() {
  const { t } = useTranslation();

  return (
    <BrowserRouter>
      <a className="skip-link" href="#main">
        {t('nav.skip')}
      </a>
      <TopBar />
      <OfflineNotice />
      <main id="main">
        <Suspense fallback={<p className="notice">{t('common.loading')}</p>}>
            <Routes>
              <Route path="/" element={<HomePage />} />
              <Route path="/signin" element={<SignInPage />} />
              <Route path="/signup" element={<SignUpPage />} />
              <Route path="/search" element={<SearchPage />} />
              <Route path="/watch/:id" element={<WatchRoute />} />
              <Route path="/u/:id" element={<ProfilePage />} />
              <Route path="/studio" element={<RequireUser><StudioPage /></RequireUser>} />
              <Route path="/wallet" element={<RequireUser><WalletPage /></RequireUser>} />
              <Route path="*" element={<NotFound />} />
            </Routes>
        </Suspense>
      </main>
      <UpdatePrompt />
    </BrowserRouter>
  );
}
