// Login: username/password -> token (POST /api/v1/token), or an API key.
import { useState } from 'preact/hooks';
import { signIn, signInWithApiKey, takeExpiredNotice } from '../auth';
import { ErrorBanner, Notice } from '../components/ui';
import { navigate } from '../router';

/** Only in-app paths are accepted as `next`, so a crafted link cannot send users elsewhere. */
export function safeNext(next: string | undefined): string {
  if (!next || !next.startsWith('/') || next.startsWith('//') || next.startsWith('/login')) return '/';
  return next;
}

export function LoginView({ next }: { next?: string }) {
  const [expired] = useState(takeExpiredNotice);
  const [mode, setMode] = useState<'password' | 'key'>('password');
  const [username, setUsername] = useState('');
  const [password, setPassword] = useState('');
  const [apiKey, setApiKey] = useState('');
  const [error, setError] = useState<unknown>(null);
  const [busy, setBusy] = useState(false);

  const submit = async (e: Event) => {
    e.preventDefault();
    setBusy(true);
    setError(null);
    try {
      if (mode === 'password') await signIn(username.trim(), password);
      else await signInWithApiKey(apiKey.trim());
      navigate(safeNext(next), true);
    } catch (err) {
      setError(err);
    } finally {
      setBusy(false);
    }
  };

  return (
    <main class="login">
      <form class="card login-card" onSubmit={submit} aria-label="Sign in">
        <h1>spanloop</h1>
        {expired && <Notice kind="warn">Your session ended. Sign in again to continue.</Notice>}
        <ErrorBanner error={error} />
        {mode === 'password' ? (
          <>
            <label>
              Username
              <input
                name="username"
                autoComplete="username"
                value={username}
                onInput={(e) => setUsername(e.currentTarget.value)}
                required
                autoFocus
              />
            </label>
            <label>
              Password
              <input
                name="password"
                type="password"
                autoComplete="current-password"
                value={password}
                onInput={(e) => setPassword(e.currentTarget.value)}
                required
              />
            </label>
          </>
        ) : (
          <label>
            API key
            <input
              name="api_key"
              type="password"
              value={apiKey}
              onInput={(e) => setApiKey(e.currentTarget.value)}
              required
              autoFocus
            />
          </label>
        )}
        <button type="submit" class="btn btn-primary" disabled={busy}>
          {busy ? 'Signing in…' : 'Sign in'}
        </button>
        <button
          type="button"
          class="btn btn-link"
          onClick={() => setMode(mode === 'password' ? 'key' : 'password')}
        >
          {mode === 'password' ? 'Use an API key instead' : 'Use username and password'}
        </button>
      </form>
    </main>
  );
}
