import { parseScopes } from '../../../src/storage/token-mapper';

describe('parseScopes()', () => {
  test('reads NULL as every permission of the owner', () => {
    expect(parseScopes(null)).toBeNull();
  });

  test('reads a JSON list', () => {
    expect(parseScopes('["view_issues","log_time"]')).toEqual(['view_issues', 'log_time']);
  });

  test.each(['', 'not json', '{"a":1}', '"view_issues"', '[', 'null'])(
    'grants nothing for the unreadable list %p',
    (raw) => {
      expect(parseScopes(raw)).toEqual([]);
    },
  );
});
