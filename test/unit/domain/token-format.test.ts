import {
  classifyCredential,
  digestOf,
  displayPrefixOf,
  generateToken,
  hasValidChecksum,
  TOKEN_PATTERN,
} from '../../../src/domain/token-format';

describe('token format', () => {
  test('generates tokens that match the documented pattern', () => {
    for (let i = 0; i < 200; i++) {
      const token = generateToken();

      expect(token).toMatch(TOKEN_PATTERN);
      expect(hasValidChecksum(token)).toBe(true);
    }
  });

  test('never generates the same token twice', () => {
    const seen = new Set(Array.from({ length: 1000 }, generateToken));

    expect(seen.size).toBe(1000);
  });

  test('rejects a token with one character changed', () => {
    const token = generateToken();
    const at = 10;
    const swapped = token[at] === 'a' ? 'b' : 'a';
    const typo = token.slice(0, at) + swapped + token.slice(at + 1);

    expect(hasValidChecksum(typo)).toBe(false);
    expect(classifyCredential(typo)).toBe('malformed');
  });

  test('classifies legacy keys and garbage', () => {
    expect(classifyCredential('a'.repeat(40))).toBe('legacy');
    expect(classifyCredential('rmp_short')).toBe('malformed');
    expect(classifyCredential('')).toBe('malformed');
    expect(classifyCredential('ключ')).toBe('malformed');
    expect(classifyCredential(generateToken())).toBe('token');
  });

  test('digests are hex SHA-256 and the display prefix holds no secret part', () => {
    const token = generateToken();

    expect(digestOf(token)).toMatch(/^[0-9a-f]{64}$/);
    expect(displayPrefixOf(token)).toHaveLength(12);
    expect(token.startsWith(displayPrefixOf(token))).toBe(true);
  });
});
