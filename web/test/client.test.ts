import { describe, expect, it, vi } from 'vitest';
import { ApiClient, ApiError, buildQuery, errorMessage } from '../src/api/client';
import { authHeaders, jwtExpiry, localSessionStore, memorySessionStore } from '../src/api/session';

type Call = { url: string; init: RequestInit };

function fakeFetch(responses: (Response | Error)[]) {
  const calls: Call[] = [];
  const fn = vi.fn(async (url: RequestInfo | URL, init?: RequestInit) => {
    calls.push({ url: String(url), init: init ?? {} });
    const next = responses.shift();
    if (!next) throw new Error('no more responses');
    if (next instanceof Error) throw next;
    return next;
  });
  return { fn: fn as unknown as typeof fetch, calls };
}

const json = (status: number, body: unknown) =>
  new Response(JSON.stringify(body), { status, headers: { 'Content-Type': 'application/json' } });

function client(responses: (Response | Error)[], session = memorySessionStore({ kind: 'bearer', token: 'tok' })) {
  const f = fakeFetch(responses);
  const sleeps: number[] = [];
  const c = new ApiClient({
    session,
    fetch: f.fn,
    sleep: async (ms) => {
      sleeps.push(ms);
    },
  });
  return { c, calls: f.calls, sleeps, session };
}

describe('ApiClient', () => {
  it('sends the bearer token and parses JSON', async () => {
    const { c, calls } = client([json(200, { id: 'u1' })]);
    await expect(c.get('/api/v1/me')).resolves.toEqual({ id: 'u1' });
    expect((calls[0].init.headers as Record<string, string>).Authorization).toBe('Bearer tok');
  });

  it('sends an API key in X-Argilla-Api-Key', () => {
    expect(authHeaders({ kind: 'api-key', token: 'k' })).toEqual({ 'X-Argilla-Api-Key': 'k' });
    expect(authHeaders(null)).toEqual({});
  });

  it('encodes form bodies for the token route', async () => {
    const { c, calls } = client([json(201, { access_token: 'a', token_type: 'bearer' })]);
    await c.request('POST', '/api/v1/token', { form: { username: 'ann', password: 'p&q=1' } });
    expect(calls[0].init.body).toBe('username=ann&password=p%26q%3D1');
    expect((calls[0].init.headers as Record<string, string>)['Content-Type']).toBe('application/x-www-form-urlencoded');
  });

  it('surfaces {detail:{code,message}} and {detail:"..."} errors', async () => {
    const { c } = client([json(422, { detail: { code: 'invalid', message: 'span [3, 2) is empty' } })]);
    const err = (await c.post('/x', {}).then(() => null, (e: ApiError) => e))!;
    expect(err).toBeInstanceOf(ApiError);
    expect(err.status).toBe(422);
    expect(err.code).toBe('invalid');
    expect(err.message).toBe('span [3, 2) is empty');
    expect(errorMessage(409, { detail: 'name taken' }).message).toBe('name taken');
    expect(errorMessage(422, { detail: [{ loc: ['body', 'name'], msg: 'required' }] }).message).toBe('body.name: required');
    expect(errorMessage(500, null).message).toBe('HTTP 500');
  });

  it('retries GET on 5xx and network errors with doubling backoff', async () => {
    const { c, calls, sleeps } = client([new TypeError('offline'), json(503, {}), json(200, { ok: 1 })]);
    await expect(c.get('/x')).resolves.toEqual({ ok: 1 });
    expect(calls).toHaveLength(3);
    expect(sleeps).toEqual([300, 600]);
  });

  it('gives up after the retry budget with a network ApiError', async () => {
    const { c, calls } = client([new TypeError('a'), new TypeError('b'), new TypeError('c'), new TypeError('d')]);
    const err = (await c.get('/x').then(() => null, (e: ApiError) => e))!;
    expect(err).toBeInstanceOf(ApiError);
    expect(err.isNetwork).toBe(true);
    expect(calls).toHaveLength(4);
  });

  it('does not retry POST unless asked, and does not retry 4xx', async () => {
    const a = client([json(500, { detail: 'boom' })]);
    await expect(a.c.post('/x', {})).rejects.toThrow('boom');
    expect(a.calls).toHaveLength(1);
    const b = client([json(502, {}), json(201, { id: 1 })]);
    await expect(b.c.post('/x', {}, { retry: true })).resolves.toEqual({ id: 1 });
    const d = client([json(404, { detail: 'no such record' })]);
    await expect(d.c.get('/x')).rejects.toThrow('no such record');
    expect(d.calls).toHaveLength(1);
  });

  it('ends the session on 401 and calls onUnauthorized once', async () => {
    const { c, session } = client([json(401, { detail: 'expired' })]);
    const onUnauthorized = vi.fn();
    c.onUnauthorized = onUnauthorized;
    await expect(c.get('/x')).rejects.toThrow('expired');
    expect(session.get()).toBeNull();
    expect(onUnauthorized).toHaveBeenCalledTimes(1);
  });

  it('a late 401 never ends a session that did not send the request', async () => {
    // Sent after a sign-out (no credentials); the answer arrives once the next user signed in.
    let answer!: (r: Response) => void;
    const session = memorySessionStore(null);
    const c = new ApiClient({ session, fetch: (() => new Promise<Response>((r) => (answer = r))) as unknown as typeof fetch });
    c.onUnauthorized = vi.fn();
    const late = c.get('/api/v1/me/datasets/d/metrics');
    session.set({ kind: 'bearer', token: 'bob' });
    answer(json(401, { detail: 'missing credentials' }));
    await expect(late).rejects.toThrow('missing credentials');
    expect(session.get()?.token).toBe('bob');
    expect(c.onUnauthorized).not.toHaveBeenCalled();
    // The same with a request that carried an older token.
    session.set({ kind: 'bearer', token: 'anna' });
    const old = c.get('/x');
    session.set({ kind: 'bearer', token: 'bob' });
    answer(json(401, { detail: 'expired' }));
    await expect(old).rejects.toThrow('expired');
    expect(session.get()?.token).toBe('bob');
    expect(c.onUnauthorized).not.toHaveBeenCalled();
  });

  it('keeps the session on a 401 from the login form', async () => {
    const { c, session } = client([json(401, { detail: 'bad password' })]);
    c.onUnauthorized = vi.fn();
    await expect(c.request('POST', '/api/v1/token', { form: {}, noAuthRedirect: true })).rejects.toThrow('bad password');
    expect(session.get()).not.toBeNull();
    expect(c.onUnauthorized).not.toHaveBeenCalled();
  });

  it('builds repeated query parameters and skips empty ones', () => {
    expect(buildQuery({ include: ['responses', 'suggestions'], offset: 0, q: undefined })).toBe(
      '?include=responses&include=suggestions&offset=0',
    );
    expect(buildQuery({})).toBe('');
  });

  it('returns undefined for 204', async () => {
    const { c } = client([new Response(null, { status: 204 })]);
    await expect(c.delete('/x')).resolves.toBeUndefined();
  });
});

describe('session', () => {
  it('reads exp from a JWT', () => {
    const payload = btoa(JSON.stringify({ exp: 2000000000 })).replace(/=+$/, '');
    expect(jwtExpiry(`h.${payload}.s`)).toBe(2000000000 * 1000);
    expect(jwtExpiry('opaque-token')).toBeUndefined();
  });

  it('drops an expired stored session', () => {
    localStorage.clear();
    const s = localSessionStore(localStorage);
    s.set({ kind: 'bearer', token: 't', expiresAt: Date.now() - 1 });
    expect(s.get()).toBeNull();
    s.set({ kind: 'bearer', token: 't', expiresAt: Date.now() + 60000 });
    expect(s.get()?.token).toBe('t');
    s.clear();
    expect(s.get()).toBeNull();
  });
});
