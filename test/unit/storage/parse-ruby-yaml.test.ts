import { parseRubyYamlHash } from '../../../src/storage/mysql-policy-store';

describe('parseRubyYamlHash()', () => {
  test('reads the hash Redmine stores for plugin settings', () => {
    const stored =
      '--- !ruby/hash:ActiveSupport::HashWithIndifferentAccess\n' +
      "max_lifetime_days: '30'\nlegacy_key_policy: refused\nsidecar_address: ''\n";

    expect(parseRubyYamlHash(stored)).toEqual({
      max_lifetime_days: '30',
      legacy_key_policy: 'refused',
      sidecar_address: '',
    });
  });

  test('returns an empty hash for anything that is not a hash', () => {
    expect(parseRubyYamlHash('--- just a string\n')).toEqual({});
    expect(parseRubyYamlHash('- a\n- b\n')).toEqual({});
  });
});
