// The signed-in session: token kind, value and (for JWTs) expiry, kept in localStorage.

export type AuthKind = 'bearer' | 'api-key';

export interface SessionData {
  kind: AuthKind;
  token: string;
  username?: string;
  /** Milliseconds since the epoch; absent when the token does not say. */
  expiresAt?: number;
}

export interface SessionStore {
  get(): SessionData | null;
  set(data: SessionData): void;
  clear(): void;
}

const kStorageKey = 'spanloop.session';

/** Reads `exp` from a JWT without verifying it (the server verifies); undefined if not a JWT. */
export function jwtExpiry(token: string): number | undefined {
  const parts = token.split('.');
  if (parts.length !== 3) return undefined;
  try {
    const json = atob(parts[1].replace(/-/g, '+').replace(/_/g, '/'));
    const payload = JSON.parse(json) as { exp?: unknown };
    return typeof payload.exp === 'number' ? payload.exp * 1000 : undefined;
  } catch {
    return undefined;
  }
}

/** Session kept in localStorage so a reload keeps the user signed in. */
export function localSessionStore(storage: Storage = localStorage): SessionStore {
  return {
    get() {
      try {
        const raw = storage.getItem(kStorageKey);
        if (!raw) return null;
        const data = JSON.parse(raw) as SessionData;
        if (typeof data?.token !== 'string' || !data.token) return null;
        if (data.expiresAt !== undefined && data.expiresAt <= Date.now()) {
          storage.removeItem(kStorageKey);
          return null;
        }
        return data;
      } catch {
        return null;
      }
    },
    set(data) {
      storage.setItem(kStorageKey, JSON.stringify(data));
    },
    clear() {
      storage.removeItem(kStorageKey);
    },
  };
}

/** In-memory store for tests and embedding. */
export function memorySessionStore(initial: SessionData | null = null): SessionStore {
  let data = initial;
  return {
    get: () => (data && data.expiresAt !== undefined && data.expiresAt <= Date.now() ? null : data),
    set: (d) => {
      data = d;
    },
    clear: () => {
      data = null;
    },
  };
}

/** Headers that authenticate a request for the session (Argilla's two schemes). */
export function authHeaders(session: SessionData | null): Record<string, string> {
  if (!session) return {};
  return session.kind === 'api-key'
    ? { 'X-Argilla-Api-Key': session.token }
    : { Authorization: `Bearer ${session.token}` };
}
