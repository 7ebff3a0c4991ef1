import { z } from 'zod';
import { ConfigError } from './config-error';
import {
  readDatabaseYml,
  resolveEndpoint,
  type DatabaseConfig,
  type DatabaseOverrides,
} from './database-config';

export interface ListenAddress {
  host: string;
  port: number;
}

export interface SidecarConfig {
  socketPath: string | null;
  socketMode: number;
  tcp: ListenAddress | null;
  metrics: ListenAddress | null;
  database: DatabaseConfig;
  cache: {
    maxEntries: number;
    ttlMs: number;
    maxMisses: number;
    missTtlMs: number;
    userTtlMs: number;
  };
  policyRefreshMs: number;
  logLevel: string;
}

/** "host:port", or empty to switch the listener off. */
const optionalHostPort = z
  .string()
  .regex(/^([^:\s]+:\d{1,5})?$/, 'must be host:port or empty')
  .transform((value): ListenAddress | null => {
    if (value === '') return null;
    const at = value.lastIndexOf(':');
    return { host: value.slice(0, at), port: Number(value.slice(at + 1)) };
  });
const count = z.coerce.number().int().min(0);
const flag = z.enum(['0', '1', 'true', 'false']).transform((v) => v === '1' || v === 'true');

/** Every variable the sidecar reads; any other APIGUARD_* variable is an error. */
const schema = z.object({
  APIGUARD_SOCKET: z.string().default('/run/redmine-api-guard/sidecar.sock'),
  APIGUARD_SOCKET_MODE: z.string().regex(/^0?[0-7]{3}$/, 'must be an octal mode').default('0660'),
  APIGUARD_TCP: optionalHostPort.prefault(''),
  APIGUARD_METRICS: optionalHostPort.prefault('127.0.0.1:9464'),
  APIGUARD_DATABASE_YML: z.string().optional(),
  APIGUARD_RAILS_ENV: z.string().default('production'),
  APIGUARD_DB_HOST: z.string().optional(),
  APIGUARD_DB_PORT: z.coerce.number().int().positive().optional(),
  APIGUARD_DB_SOCKET: z.string().optional(),
  APIGUARD_DB_USER: z.string().optional(),
  APIGUARD_DB_PASSWORD: z.string().optional(),
  APIGUARD_DB_NAME: z.string().optional(),
  APIGUARD_DB_POOL_SIZE: z.coerce.number().int().min(1).max(200).default(10),
  APIGUARD_DB_CONNECT_TIMEOUT_MS: count.default(5000),
  APIGUARD_DB_READ_UNCOMMITTED: flag.default(false),
  APIGUARD_CACHE_MAX: count.default(100_000),
  APIGUARD_CACHE_TTL_MS: count.default(60_000),
  APIGUARD_MISS_CACHE_MAX: count.default(10_000),
  APIGUARD_MISS_CACHE_TTL_MS: count.default(30_000),
  APIGUARD_USER_TTL_MS: count.default(5_000),
  APIGUARD_POLICY_REFRESH_MS: z.coerce.number().int().min(100).default(5_000),
  APIGUARD_LOG_LEVEL: z.enum(['error', 'warn', 'info', 'debug']).default('info'),
});

export function loadConfig(env: NodeJS.ProcessEnv): SidecarConfig {
  const ours = Object.fromEntries(Object.entries(env).filter(([k]) => k.startsWith('APIGUARD_')));
  const unknown = Object.keys(ours).filter((k) => !(k in schema.shape));
  if (unknown.length > 0) throw new ConfigError(`unknown environment variables: ${unknown.join(', ')}`);

  const parsed = schema.safeParse(ours);
  if (!parsed.success) {
    const lines = parsed.error.issues.map((i) => `${i.path.join('.')}: ${i.message}`);
    throw new ConfigError(`invalid environment: ${lines.join('; ')}`);
  }
  const e = parsed.data;
  if (e.APIGUARD_TCP && !isLoopback(e.APIGUARD_TCP.host)) {
    // The gRPC API can mint tokens for any user: never on a shared network
    // without transport security, which the sidecar does not offer yet.
    throw new ConfigError(`APIGUARD_TCP: ${e.APIGUARD_TCP.host} is not a loopback address (use the unix socket)`);
  }
  return {
    socketPath: e.APIGUARD_SOCKET === '' ? null : e.APIGUARD_SOCKET,
    socketMode: parseInt(e.APIGUARD_SOCKET_MODE, 8),
    tcp: e.APIGUARD_TCP,
    metrics: e.APIGUARD_METRICS,
    database: databaseConfig(e),
    cache: {
      maxEntries: e.APIGUARD_CACHE_MAX,
      ttlMs: e.APIGUARD_CACHE_TTL_MS,
      maxMisses: e.APIGUARD_MISS_CACHE_MAX,
      missTtlMs: e.APIGUARD_MISS_CACHE_TTL_MS,
      userTtlMs: e.APIGUARD_USER_TTL_MS,
    },
    policyRefreshMs: e.APIGUARD_POLICY_REFRESH_MS,
    logLevel: e.APIGUARD_LOG_LEVEL,
  };
}

function databaseConfig(e: z.infer<typeof schema>): DatabaseConfig {
  const fromYml: DatabaseOverrides = e.APIGUARD_DATABASE_YML
    ? readDatabaseYml(e.APIGUARD_DATABASE_YML, e.APIGUARD_RAILS_ENV)
    : {};
  const merged: DatabaseOverrides = {
    host: e.APIGUARD_DB_HOST ?? fromYml.host,
    port: e.APIGUARD_DB_PORT ?? fromYml.port,
    socket: e.APIGUARD_DB_SOCKET ?? fromYml.socket,
    username: e.APIGUARD_DB_USER ?? fromYml.username,
    password: e.APIGUARD_DB_PASSWORD ?? fromYml.password,
    database: e.APIGUARD_DB_NAME ?? fromYml.database,
  };
  if (!merged.database) {
    throw new ConfigError('no database: set APIGUARD_DATABASE_YML (Redmine\'s config/database.yml) or APIGUARD_DB_NAME');
  }
  return {
    ...resolveEndpoint(merged),
    username: merged.username ?? 'root',
    password: merged.password,
    database: merged.database,
    poolSize: e.APIGUARD_DB_POOL_SIZE,
    connectTimeoutMs: e.APIGUARD_DB_CONNECT_TIMEOUT_MS,
    readUncommitted: e.APIGUARD_DB_READ_UNCOMMITTED,
  };
}

function isLoopback(host: string): boolean {
  return host === 'localhost' || host === '::1' || host === '[::1]' || /^127\.\d+\.\d+\.\d+$/.test(host);
}
