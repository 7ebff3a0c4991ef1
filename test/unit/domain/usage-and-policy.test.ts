import { PolicyProvider } from '../../../src/domain/policy-provider';
import { normalizeIp } from '../../../src/domain/usage-recorder';

describe('normalizeIp()', () => {
  test.each([
    ['10.1.2.3', '10.1.2.3'],
    ['2001:db8::1', '2001:db8::1'],
    ['fe80::1%eth0' + 'a'.repeat(60), 'fe80::1'],
    ['not an address', null],
    [null, null],
  ])('stores %p as %p', (input, stored) => {
    expect(normalizeIp(input)).toBe(stored);
  });
});

describe('PolicyProvider', () => {
  test('a slow refresh that finishes last does not undo a newer one', async () => {
    let releaseSlow!: (v: Record<string, unknown>) => void;
    const answers = [
      new Promise<Record<string, unknown>>((resolve) => (releaseSlow = resolve)),
      Promise.resolve({ legacy_key_policy: 'refused' }),
    ];
    const provider = new PolicyProvider({ loadSettings: () => answers.shift()! }, () => undefined);

    const slow = provider.refresh();
    await provider.refresh();
    releaseSlow({ legacy_key_policy: 'allowed' });
    await slow;

    expect(provider.current().legacyKeyPolicy).toBe('refused');
  });
});
