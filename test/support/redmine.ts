import { connect } from 'node:net';
import mysql from 'mysql2/promise';

/** Where `make test` started the end-to-end Redmine and its sidecar. */
export const E2E = {
  baseUrl: process.env.E2E_BASE_URL ?? 'http://127.0.0.1:3100',
  socket: process.env.E2E_SOCKET ?? '/var/tmp/redmine-api-guard/run/e2e.sock',
  db: process.env.E2E_DB ?? 'apiguard_e2e',
  sidecarCmd: process.env.E2E_SIDECAR_CMD ?? 'bash scripts/sidecar.sh',
  logDir: process.env.E2E_LOGDIR ?? '/var/tmp/redmine-api-guard/logs/e2e',
  redmineLogDir: process.env.E2E_REDMINE_LOGDIR ?? '/var/lib/redmine/apiguard-e2e/log',
  /** Harness instance name, for scripts/sidecar.sh. */
  instance: process.env.E2E_INSTANCE ?? 'e2e',
};

export interface ApiResponse {
  status: number;
  headers: Headers;
  text: string;
  json: () => any; // eslint-disable-line @typescript-eslint/no-explicit-any
}

export async function api(path: string, init: RequestInit = {}): Promise<ApiResponse> {
  const response = await fetch(E2E.baseUrl + path, { redirect: 'manual', ...init });
  const text = await response.text();
  return { status: response.status, headers: response.headers, text, json: () => JSON.parse(text) };
}

export function withKey(key: string): RequestInit {
  return { headers: { 'X-Redmine-API-Key': key } };
}

/**
 * Sends raw bytes as one HTTP request and returns the status code: for
 * headers that fetch refuses to send (non-ASCII, huge).
 */
export function rawStatus(request: Buffer): Promise<number> {
  const url = new URL(E2E.baseUrl);
  return new Promise((resolve, reject) => {
    const socket = connect(Number(url.port), url.hostname, () => socket.write(request));
    let data = '';
    socket.on('data', (chunk) => (data += chunk.toString('latin1')));
    socket.on('end', () => resolve(Number(/^HTTP\/1\.[01] (\d{3})/.exec(data)?.[1] ?? 0)));
    socket.on('error', reject);
  });
}

/** A logged-in browser: cookies and the CSRF token of the last page. */
export class WebSession {
  private cookies = new Map<string, string>();
  private csrf = '';

  static async login(login: string, password: string): Promise<WebSession> {
    const session = new WebSession();
    await session.get('/login');
    const answer = await session.post('/login', { username: login, password });
    if (answer.status !== 302) throw new Error(`login as ${login} failed: ${answer.status}`);
    return session;
  }

  async get(path: string): Promise<ApiResponse> {
    return this.request(path, { method: 'GET' });
  }

  async post(path: string, form: Record<string, string>, method = 'post'): Promise<ApiResponse> {
    const body = new URLSearchParams({ authenticity_token: this.csrf, _method: method, ...form });
    return this.request(path, {
      method: 'POST',
      body: body.toString(),
      headers: { 'Content-Type': 'application/x-www-form-urlencoded' },
    });
  }

  /** Posts a prepared form body (repeated keys allowed) with the CSRF token. */
  async postRaw(path: string, body: URLSearchParams): Promise<ApiResponse> {
    body.set('authenticity_token', this.csrf);
    return this.request(path, {
      method: 'POST',
      body: body.toString(),
      headers: { 'Content-Type': 'application/x-www-form-urlencoded' },
    });
  }

  private async request(path: string, init: RequestInit): Promise<ApiResponse> {
    const cookie = [...this.cookies].map(([k, v]) => `${k}=${v}`).join('; ');
    const response = await api(path, { ...init, headers: { ...(init.headers ?? {}), Cookie: cookie } });
    for (const line of response.headers.getSetCookie()) {
      const [pair] = line.split(';');
      const at = pair.indexOf('=');
      this.cookies.set(pair.slice(0, at), pair.slice(at + 1));
    }
    const token = /<meta name="csrf-token" content="([^"]+)"/.exec(response.text);
    if (token) this.csrf = token[1];
    return response;
  }
}

export async function database(): Promise<mysql.Connection> {
  return mysql.createConnection({
    socketPath: '/run/mysqld/mysqld.sock', user: 'root', database: E2E.db, timezone: 'Z',
  });
}

export async function legacyKeyOf(db: mysql.Connection, login: string): Promise<string> {
  const [rows] = await db.query(
    `SELECT t.value FROM tokens t JOIN users u ON u.id = t.user_id WHERE t.action = 'api' AND u.login = ?`,
    [login],
  );
  const value = (rows as Array<{ value: string }>)[0]?.value;
  if (!value) throw new Error(`${login} has no API key`);
  return value;
}

export async function userIdOf(db: mysql.Connection, login: string): Promise<number> {
  const [rows] = await db.query('SELECT id FROM users WHERE login = ?', [login]);
  return (rows as Array<{ id: number }>)[0].id;
}

const PLAINTEXT = /rmp_[0-9A-Za-z]{49}/;

/**
 * Creates a token through the "My account" form (preset "all") with the
 * given extra fields (project_ids[], with_subprojects, tracker_ids[]...).
 */
export async function restrictedToken(session: WebSession, form: Record<string, string | string[]>): Promise<string> {
  await session.get('/my/api_tokens/new');
  const body = new URLSearchParams({
    name: `restricted ${Date.now()} ${Math.random()}`,
    expires_on: new Date(Date.now() + 5 * 86_400_000).toISOString().slice(0, 10),
    preset: 'all',
  });
  for (const [key, value] of Object.entries(form)) {
    for (const v of Array.isArray(value) ? value : [value]) body.append(key, v);
  }
  const page = await session.postRaw('/my/api_tokens', body);
  const token = PLAINTEXT.exec(page.text)?.[0];
  if (!token) throw new Error(`no token created (${page.status}): ${page.text.slice(0, 300)}`);
  return token;
}
