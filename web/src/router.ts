// Hash router: `#/path?query`. Hash routing needs no server support beyond serving index.html.
import { useEffect, useState } from 'preact/hooks';

export type Route =
  | { name: 'login'; next?: string }
  | { name: 'home' }
  | { name: 'dataset-new' }
  | { name: 'dataset-settings'; datasetId: string }
  | { name: 'import'; datasetId: string }
  | { name: 'export'; datasetId: string }
  | { name: 'annotate'; datasetId: string; query: URLSearchParams }
  | { name: 'users' }
  | { name: 'not-found'; path: string };

/** Parses `#/datasets/abc/annotate?status=draft` into a Route. */
export function parseHash(hash: string): Route {
  const raw = hash.replace(/^#/, '') || '/';
  const [pathPart, queryPart = ''] = raw.split('?', 2);
  const query = new URLSearchParams(queryPart);
  const parts = pathPart.split('/').filter(Boolean).map(safeDecode);
  if (parts.length === 0) return { name: 'home' };
  if (parts[0] === 'login' && parts.length === 1) return { name: 'login', next: query.get('next') ?? undefined };
  if (parts[0] === 'users' && parts.length === 1) return { name: 'users' };
  if (parts[0] === 'datasets') {
    if (parts.length === 2 && parts[1] === 'new') return { name: 'dataset-new' };
    if (parts.length === 3) {
      const datasetId = parts[1];
      switch (parts[2]) {
        case 'settings':
          return { name: 'dataset-settings', datasetId };
        case 'import':
          return { name: 'import', datasetId };
        case 'export':
          return { name: 'export', datasetId };
        case 'annotate':
          return { name: 'annotate', datasetId, query };
      }
    }
  }
  return { name: 'not-found', path: pathPart };
}

function safeDecode(s: string): string {
  try {
    return decodeURIComponent(s);
  } catch {
    return s;
  }
}

/** Builds hrefs so ids are always encoded. */
export const href = {
  home: () => '#/',
  login: (next?: string) => (next ? `#/login?next=${encodeURIComponent(next)}` : '#/login'),
  users: () => '#/users',
  datasetNew: () => '#/datasets/new',
  settings: (id: string) => `#/datasets/${encodeURIComponent(id)}/settings`,
  import: (id: string) => `#/datasets/${encodeURIComponent(id)}/import`,
  export: (id: string) => `#/datasets/${encodeURIComponent(id)}/export`,
  annotate: (id: string, query?: Record<string, string>) =>
    `#/datasets/${encodeURIComponent(id)}/annotate${query ? `?${new URLSearchParams(query)}` : ''}`,
};

export function navigate(to: string, replace = false): void {
  const target = to.startsWith('#') ? to : `#${to}`;
  if (replace) history.replaceState(null, '', target);
  else location.hash = target;
  if (replace) window.dispatchEvent(new HashChangeEvent('hashchange'));
}

export function useRoute(): Route {
  const [route, setRoute] = useState(() => parseHash(location.hash));
  useEffect(() => {
    const onChange = () => setRoute(parseHash(location.hash));
    window.addEventListener('hashchange', onChange);
    return () => window.removeEventListener('hashchange', onChange);
  }, []);
  return route;
}
