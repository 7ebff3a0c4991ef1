import winston from 'winston';

export type Logger = winston.Logger;

/**
 * JSON lines on stdout. Fixed fields per component; callers never pass
 * credentials, digests or whole requests.
 */
export function createLogger(level: string): Logger {
  return winston.createLogger({
    level,
    format: winston.format.combine(
      winston.format.timestamp(),
      winston.format.errors({ stack: true }),
      winston.format.json(),
    ),
    defaultMeta: { service: 'redmine-api-guard' },
    transports: [new winston.transports.Console()],
  });
}

export function componentLogger(root: Logger, component: string): Logger {
  return root.child({ component });
}
