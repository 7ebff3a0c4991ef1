import { translateStorageError } from '../../../src/storage/storage-errors';
import { createLogger } from '../../../src/observability/logger';

describe('translateStorageError()', () => {
  test('drops the SQL and parameters of driver errors', () => {
    const driverError = Object.assign(new Error("Unknown column in 'where' clause"), {
      code: 'ER_SOMETHING',
      sql: "SELECT * FROM tokens WHERE value = '0123456789abcdef0123456789abcdef01234567'",
      parameters: ['0123456789abcdef0123456789abcdef01234567'],
    });

    let thrown: unknown;
    try {
      translateStorageError(driverError);
    } catch (error) {
      thrown = error;
    }

    expect(String(thrown)).toBe('Error: database error ER_SOMETHING');
    expect(JSON.stringify(thrown)).not.toContain('0123456789abcdef');
  });

  test('maps lost connections and missing tables', () => {
    expect(() => translateStorageError(Object.assign(new Error('x'), { code: 'ECONNREFUSED' }))).toThrow(
      'database unavailable (ECONNREFUSED)',
    );
    expect(() => translateStorageError(Object.assign(new Error('x'), { code: 'ER_NO_SUCH_TABLE' }))).toThrow(
      /redmine:plugins:migrate/,
    );
  });
});

describe('the logger', () => {
  test('writes only name, code, message and stack of an error', () => {
    const lines: string[] = [];
    const logger = createLogger('info');
    logger.transports[0].log = (info: unknown, next: () => void) => {
      lines.push(JSON.stringify(info));
      next();
    };
    const error = Object.assign(new Error('boom'), { code: 'E1', parameters: ['secret-value'] });

    logger.error('failed', { err: error });

    expect(lines[0]).toContain('"message":"boom"');
    expect(lines[0]).toContain('"code":"E1"');
    expect(lines[0]).not.toContain('secret-value');
  });
});
