import type { DataSource } from 'typeorm';
import { parse } from 'yaml';
import type { PolicyStore } from '../domain/stores';
import { RedmineSettingEntity } from './entities/redmine-setting-row';
import { guarded } from './storage-errors';

export const PLUGIN_SETTING_NAME = 'plugin_redmine_api_guard';

/**
 * Reads the plugin's settings as Redmine stores them: one `settings` row whose
 * value is YAML, often tagged `!ruby/hash:ActiveSupport::HashWithIndifferentAccess`.
 */
export class MysqlPolicyStore implements PolicyStore {
  constructor(private readonly db: DataSource) {}

  loadSettings(): Promise<Record<string, unknown>> {
    return guarded(async () => {
      const row = await this.db
        .getRepository(RedmineSettingEntity)
        .findOneBy({ name: PLUGIN_SETTING_NAME });
      return row?.value ? parseRubyYamlHash(row.value) : {};
    });
  }
}

export function parseRubyYamlHash(text: string): Record<string, unknown> {
  const untagged = text.replace(/!ruby\/[\w:/]+/g, '');
  const parsed: unknown = parse(untagged, { logLevel: 'silent' });
  if (typeof parsed !== 'object' || parsed === null || Array.isArray(parsed)) return {};
  return parsed as Record<string, unknown>;
}
