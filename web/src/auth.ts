// Who is signed in: a tiny observable over the API session plus the `/me` user.
import { useEffect, useState } from 'preact/hooks';
import { api, endpoints, jwtExpiry, type User } from './api';
import { href, navigate } from './router';

type Listener = () => void;
let currentUser: User | null = null;
let expiryTimer: ReturnType<typeof setTimeout> | undefined;
let expiredNotice = false;
const listeners = new Set<Listener>();

function emit() {
  for (const l of listeners) l();
}

export function getUser(): User | null {
  return currentUser;
}

export function setUser(user: User | null) {
  currentUser = user;
  emit();
}

/** True once after the session ended on its own (token expiry or a 401), for the login banner. */
export function takeExpiredNotice(): boolean {
  const v = expiredNotice;
  expiredNotice = false;
  return v;
}

function currentPath(): string {
  return location.hash.replace(/^#/, '') || '/';
}

/** Ends the session because the server or the clock said so, and sends the user to login. */
export function expireSession() {
  api.session.clear();
  clearTimeout(expiryTimer);
  expiredNotice = true;
  setUser(null);
  const path = currentPath();
  if (!path.startsWith('/login')) navigate(href.login(path));
}

function scheduleExpiry(expiresAt?: number) {
  clearTimeout(expiryTimer);
  if (expiresAt === undefined) return;
  // setTimeout overflows past ~24.8 days; such tokens are checked again on the next load.
  const delay = Math.min(expiresAt - Date.now(), 2 ** 31 - 1);
  expiryTimer = setTimeout(expireSession, Math.max(0, delay));
}

api.onUnauthorized = expireSession;

export async function signIn(username: string, password: string): Promise<User> {
  const token = await endpoints.login(api, username, password);
  api.session.set({
    kind: 'bearer',
    token: token.access_token,
    username,
    // The JWT's own `exp`, else the server's `expires_in`.
    expiresAt:
      jwtExpiry(token.access_token) ??
      (typeof token.expires_in === 'number' ? Date.now() + token.expires_in * 1000 : undefined),
  });
  scheduleExpiry(api.session.get()?.expiresAt);
  const user = await endpoints.me(api);
  setUser(user);
  return user;
}

/** Signs in with an API key instead of a password (what the SDK uses). */
export async function signInWithApiKey(key: string): Promise<User> {
  api.session.set({ kind: 'api-key', token: key });
  try {
    const user = await endpoints.me(api);
    setUser(user);
    return user;
  } catch (e) {
    api.session.clear();
    throw e;
  }
}

export function signOut() {
  api.session.clear();
  clearTimeout(expiryTimer);
  setUser(null);
  navigate(href.login());
}

/** Loads `/me` for a stored session at start-up; null when there is none or it is stale. */
export async function restoreSession(): Promise<User | null> {
  const s = api.session.get();
  if (!s) return null;
  scheduleExpiry(s.expiresAt);
  try {
    const user = await endpoints.me(api);
    setUser(user);
    return user;
  } catch {
    return null;
  }
}

export function useUser(): User | null {
  const [user, set] = useState(currentUser);
  useEffect(() => {
    const l = () => set(currentUser);
    listeners.add(l);
    l();
    return () => {
      listeners.delete(l);
    };
  }, []);
  return user;
}

export const canManageDatasets = (u: User | null) => u?.role === 'owner' || u?.role === 'admin';
export const isOwner = (u: User | null) => u?.role === 'owner';
