import { execSync } from 'node:child_process';
import type mysql from 'mysql2/promise';
import { SidecarApi } from '../support/grpc-client';
import { api, database, E2E, legacyKeyOf, userIdOf, WebSession, withKey } from '../support/redmine';

function sidecar(action: 'start' | 'stop'): void {
  execSync(`${E2E.sidecarCmd} ${action} ${E2E.instance}`, { stdio: 'ignore' });
}

describe('when the sidecar is down', () => {
  let db: mysql.Connection;
  let token = '';
  let legacyKey = '';
  let alice: WebSession;

  beforeAll(async () => {
    db = await database();
    const grpc = new SidecarApi(`unix:${E2E.socket}`);
    token = (await grpc.createToken({ userId: await userIdOf(db, 'alice'), name: `outage ${Date.now()}` })).plaintext;
    grpc.close();
    legacyKey = await legacyKeyOf(db, 'alice');
    alice = await WebSession.login('alice', 'alice-demo-pass');
    expect((await api('/users/current.json', withKey(token))).status).toBe(200);
    sidecar('stop');
  });

  afterAll(async () => {
    sidecar('start');
    await db.end();
  });

  test.each([
    ['a personal token', () => token],
    ['a legacy key', () => legacyKey],
    ['garbage', () => 'garbage'],
  ])('a request with %s answers 503 with Retry-After, never anonymous data', async (_label, credential) => {
    const response = await api('/projects.json', withKey(credential()));

    expect(response.status).toBe(503);
    expect(response.headers.get('retry-after')).toBe('5');
    expect(response.json().errors[0]).toMatch(/unavailable/);
  });

  test('a request without credential still gets anonymous access', async () => {
    expect((await api('/projects.json')).status).toBe(200);
  });

  test('the web UI keeps working and the token page says the service is down', async () => {
    const home = await alice.get('/my/page');
    const tokens = await alice.get('/my/api_tokens');

    expect(home.status).toBe(200);
    expect(tokens.status).toBe(503);
    expect(tokens.text).toContain('The API token service is unavailable');
  });

  test('once the sidecar is back, the same Redmine process serves the token again', async () => {
    sidecar('start');

    // The plugin reconnects within about a second; poll briefly for it.
    let response = await api('/users/current.json', withKey(token));
    for (let i = 0; i < 20 && response.status === 503; i++) {
      await new Promise((resolve) => setTimeout(resolve, 100));
      response = await api('/users/current.json', withKey(token));
    }

    expect(response.status).toBe(200);
    expect(response.json().user.login).toBe('alice');
  });
});
