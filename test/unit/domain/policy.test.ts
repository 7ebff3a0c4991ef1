import { DEFAULT_POLICY, parsePolicy } from '../../../src/domain/policy';

describe('parsePolicy()', () => {
  test('uses the defaults for an empty settings hash', () => {
    expect(parsePolicy({})).toEqual({ policy: DEFAULT_POLICY, problems: [] });
  });

  test('reads the string values Redmine stores', () => {
    const { policy } = parsePolicy({
      max_lifetime_days: '30',
      default_lifetime_days: '7',
      legacy_key_policy: 'refused',
    });

    expect(policy).toEqual({ maxLifetimeDays: 30, defaultLifetimeDays: 7, legacyKeyPolicy: 'refused' });
  });

  test('caps the default lifetime by the maximum', () => {
    const { policy } = parsePolicy({ max_lifetime_days: '10', default_lifetime_days: '90' });

    expect(policy.defaultLifetimeDays).toBe(10);
  });

  test('replaces invalid values by defaults, refuses legacy keys on an unreadable policy, and reports each', () => {
    const { policy, problems } = parsePolicy({
      max_lifetime_days: 'soon',
      legacy_key_policy: 'maybe',
      default_lifetime_days: '-4',
    });

    expect(policy).toEqual({ ...DEFAULT_POLICY, legacyKeyPolicy: 'refused' });
    expect(problems).toEqual([
      'setting max_lifetime_days="soon" is invalid',
      'setting default_lifetime_days="-4" is invalid',
      'setting legacy_key_policy="maybe" is invalid',
    ]);
  });
});
