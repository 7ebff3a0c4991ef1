import { join } from 'node:path';
import { loadConfig } from '../../../src/config/sidecar-config';

const fixture = (name: string) => join(__dirname, '../../fixtures/database-yml', name);

describe('loadConfig()', () => {
  test('reads a socket connection from database.yml, as Rails does for localhost', () => {
    const config = loadConfig({ APIGUARD_DATABASE_YML: fixture('socket.yml') });

    expect(config.database).toMatchObject({
      socket: '/run/mysqld/mysqld.sock',
      username: 'redmine',
      password: 's3cret',
      database: 'redmine',
    });
    expect(config.socketPath).toBe('/run/redmine-api-guard/sidecar.sock');
    expect(config.tcp).toBeNull();
    expect(config.metrics).toEqual({ host: '127.0.0.1', port: 9464 });
  });

  test('reads a TCP connection and a numeric password', () => {
    const config = loadConfig({ APIGUARD_DATABASE_YML: fixture('tcp.yml') });

    expect(config.database).toMatchObject({ host: 'db.internal', port: 3307, password: '1234' });
  });

  test('lets APIGUARD_DB_* override the file', () => {
    const config = loadConfig({
      APIGUARD_DATABASE_YML: fixture('tcp.yml'),
      APIGUARD_DB_NAME: 'other',
      APIGUARD_DB_HOST: '127.0.0.2',
    });

    expect(config.database).toMatchObject({ host: '127.0.0.2', port: 3307, database: 'other' });
  });

  test('parses listen addresses and the socket mode', () => {
    const config = loadConfig({
      APIGUARD_DB_NAME: 'x',
      APIGUARD_TCP: '127.0.0.1:50051',
      APIGUARD_METRICS: '',
      APIGUARD_SOCKET: '',
      APIGUARD_SOCKET_MODE: '0600',
    });

    expect(config.tcp).toEqual({ host: '127.0.0.1', port: 50051 });
    expect(config.metrics).toBeNull();
    expect(config.socketPath).toBeNull();
    expect(config.socketMode).toBe(0o600);
  });

  test.each([
    ['postgresql.yml', /postgresql.yml: production: adapter postgresql is not supported/],
    ['erb.yml', /erb.yml: uses ERB/],
    ['no-production.yml', /no-production.yml: has no "production" section/],
    ['no-database.yml', /no-database.yml: production: database/],
    ['missing.yml', /missing.yml: cannot be read/],
  ])('refuses %s with a message naming the file', (name, message) => {
    expect(() => loadConfig({ APIGUARD_DATABASE_YML: fixture(name) })).toThrow(message);
  });

  test('refuses unknown APIGUARD_ variables', () => {
    expect(() => loadConfig({ APIGUARD_DB_NAME: 'x', APIGUARD_CACHE_SIZE: '5' })).toThrow(
      'unknown environment variables: APIGUARD_CACHE_SIZE',
    );
  });

  test('refuses bad values with the variable name', () => {
    expect(() => loadConfig({ APIGUARD_DB_NAME: 'x', APIGUARD_TCP: 'nowhere' })).toThrow(
      /APIGUARD_TCP: must be host:port or empty/,
    );
    expect(() => loadConfig({ APIGUARD_DB_NAME: 'x', APIGUARD_CACHE_MAX: '-1' })).toThrow(/APIGUARD_CACHE_MAX/);
    expect(() => loadConfig({ APIGUARD_DB_NAME: 'x', APIGUARD_TCP: '0.0.0.0:50051' })).toThrow(
      'APIGUARD_TCP: 0.0.0.0 is not a loopback address (use the unix socket)',
    );
  });

  test('requires a database', () => {
    expect(() => loadConfig({})).toThrow(/no database/);
  });
});
