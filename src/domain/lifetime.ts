import { InvalidArgumentError } from './errors/invalid-argument-error';
import type { Policy } from './policy';
import { utcDay } from './token';

export const DAY_MS = 86_400_000;

/** End of the UTC day that lies `days` days after `now`. */
export function endOfUtcDayAfter(now: Date, days: number): Date {
  const start = Date.UTC(now.getUTCFullYear(), now.getUTCMonth(), now.getUTCDate());
  return new Date(start + (days + 1) * DAY_MS - 1000);
}

/**
 * Returns the expiry to store: the requested one when it lies in the future
 * and within the maximum lifetime (whole UTC days), else an error that says
 * the latest allowed day. No request value: the default lifetime.
 */
export function resolveExpiry(requested: Date | undefined, now: Date, policy: Policy): Date {
  if (!requested) return endOfUtcDayAfter(now, policy.defaultLifetimeDays);

  if (Number.isNaN(requested.getTime())) {
    throw new InvalidArgumentError('expiry date is not a valid date');
  }
  if (requested.getTime() <= now.getTime()) {
    throw new InvalidArgumentError(`expiry date ${utcDay(requested)} is not in the future`);
  }
  const latest = endOfUtcDayAfter(now, policy.maxLifetimeDays);
  if (requested.getTime() > latest.getTime()) {
    throw new InvalidArgumentError(
      `expiry date ${utcDay(requested)} exceeds the maximum lifetime of ` +
        `${policy.maxLifetimeDays} days (latest allowed: ${utcDay(latest)})`,
    );
  }
  return requested;
}
