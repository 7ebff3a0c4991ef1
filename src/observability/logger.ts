import winston from 'winston';

export type Logger = winston.Logger;

/**
 * JSON lines on stdout. Fixed fields per component; callers never pass
 * credentials, digests or whole requests.
 */
/**
 * Replaces Error values in log metadata by their name, code, message and
 * stack: driver errors also carry SQL and parameters, which may hold keys.
 */
const safeErrors = winston.format((info) => {
  for (const [key, value] of Object.entries(info)) {
    if (value instanceof Error) {
      const { name, message, stack } = value;
      const code = (value as { code?: unknown }).code;
      info[key] = { name, message, stack, ...(typeof code === 'string' ? { code } : {}) };
    }
  }
  return info;
});

export function createLogger(level: string): Logger {
  return winston.createLogger({
    level,
    format: winston.format.combine(winston.format.timestamp(), safeErrors(), winston.format.json()),
    defaultMeta: { service: 'redmine-api-guard' },
    transports: [new winston.transports.Console()],
  });
}

export function componentLogger(root: Logger, component: string): Logger {
  return root.child({ component });
}
