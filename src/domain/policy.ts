import { z } from 'zod';

export type LegacyKeyPolicy = 'allowed' | 'refused';

/** The admin's token policy, from the plugin's settings page. */
export interface Policy {
  maxLifetimeDays: number;
  defaultLifetimeDays: number;
  legacyKeyPolicy: LegacyKeyPolicy;
}

export const DEFAULT_POLICY: Policy = {
  maxLifetimeDays: 365,
  defaultLifetimeDays: 90,
  legacyKeyPolicy: 'allowed',
};

/** Upper bound on any lifetime: ten years. */
export const LIFETIME_CEILING_DAYS = 3650;

const days = z.coerce.number().int().min(1).max(LIFETIME_CEILING_DAYS);
const fields = {
  max_lifetime_days: days,
  default_lifetime_days: days,
  legacy_key_policy: z.enum(['allowed', 'refused']),
};

export interface ParsedPolicy {
  policy: Policy;
  /** One line per setting that was unreadable and replaced by its default. */
  problems: string[];
}

/**
 * Reads the settings hash the plugin stores. A bad value never disables the
 * guard: it falls back to the default and is reported. The default lifetime
 * is capped by the maximum. A legacy key policy that is set but unreadable
 * refuses the keys: the administrator meant something other than the default.
 */
export function parsePolicy(raw: Record<string, unknown>): ParsedPolicy {
  const problems: string[] = [];
  const pick = <K extends keyof typeof fields>(key: K, fallback: unknown, whenInvalid = fallback) => {
    if (raw[key] === undefined || raw[key] === '') return fallback;
    const parsed = fields[key].safeParse(raw[key]);
    if (parsed.success) return parsed.data;
    problems.push(`setting ${key}=${JSON.stringify(raw[key])} is invalid`);
    return whenInvalid;
  };
  const maxLifetimeDays = pick('max_lifetime_days', DEFAULT_POLICY.maxLifetimeDays) as number;
  const defaultDays = pick('default_lifetime_days', DEFAULT_POLICY.defaultLifetimeDays) as number;
  const legacyKeyPolicy = pick('legacy_key_policy', DEFAULT_POLICY.legacyKeyPolicy, 'refused') as LegacyKeyPolicy;
  return {
    policy: {
      maxLifetimeDays,
      defaultLifetimeDays: Math.min(defaultDays, maxLifetimeDays),
      legacyKeyPolicy,
    },
    problems,
  };
}
