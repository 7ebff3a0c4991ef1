import { readFileSync } from 'node:fs';
import { parse } from 'yaml';
import { z } from 'zod';
import { ConfigError } from './config-error';

export interface DatabaseConfig {
  host?: string;
  port?: number;
  socket?: string;
  username: string;
  password?: string;
  database: string;
  poolSize: number;
  connectTimeoutMs: number;
  /** Test harness only: see the fixtures Redmine's tests keep uncommitted. */
  readUncommitted: boolean;
}

export interface DatabaseOverrides {
  host?: string;
  port?: number;
  socket?: string;
  username?: string;
  password?: string;
  database?: string;
}

export const DEFAULT_MYSQL_SOCKET = '/run/mysqld/mysqld.sock';

const railsEntry = z.object({
  adapter: z.string(),
  database: z.string().min(1),
  host: z.string().optional(),
  port: z.coerce.number().int().positive().optional(),
  socket: z.string().optional(),
  username: z.string().optional(),
  password: z.union([z.string(), z.number()]).optional(),
});

/** Reads one environment of a Rails database.yml (Redmine's own file). */
export function readDatabaseYml(path: string, railsEnv: string): DatabaseOverrides {
  let text: string;
  try {
    text = readFileSync(path, 'utf8');
  } catch (error) {
    throw new ConfigError(`${path}: cannot be read (${(error as Error).message})`);
  }
  if (text.includes('<%')) {
    throw new ConfigError(`${path}: uses ERB, which the sidecar cannot evaluate; set APIGUARD_DB_* instead`);
  }
  const doc = parse(text) as Record<string, unknown> | null;
  const section = doc?.[railsEnv];
  if (!section) throw new ConfigError(`${path}: has no "${railsEnv}" section`);

  const entry = railsEntry.safeParse(section);
  if (!entry.success) {
    throw new ConfigError(`${path}: ${railsEnv}: ${entry.error.issues.map((i) => `${i.path.join('.')} ${i.message}`).join(', ')}`);
  }
  if (!/^(mysql2|trilogy)$/.test(entry.data.adapter)) {
    throw new ConfigError(`${path}: ${railsEnv}: adapter ${entry.data.adapter} is not supported (MySQL/MariaDB only)`);
  }
  const { host, port, socket, username, database } = entry.data;
  const password = entry.data.password === undefined ? undefined : String(entry.data.password);
  return { host, port, socket, username, password, database };
}

/**
 * Like the MySQL client library that Rails uses, "localhost" (or no host at
 * all) means the unix socket.
 */
export function resolveEndpoint(merged: DatabaseOverrides): Pick<DatabaseConfig, 'host' | 'port' | 'socket'> {
  if (merged.socket) return { socket: merged.socket };

  if (!merged.host || merged.host === 'localhost') {
    return merged.port && merged.host !== 'localhost'
      ? { host: '127.0.0.1', port: merged.port }
      : { socket: DEFAULT_MYSQL_SOCKET };
  }
  return { host: merged.host, port: merged.port ?? 3306 };
}
