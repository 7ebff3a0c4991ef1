import { EntitySchema } from 'typeorm';

/** Redmine's `settings` table; plugin settings are one YAML-serialized row. */
export interface RedmineSettingRow {
  id: number;
  name: string;
  value: string | null;
}

export const RedmineSettingEntity = new EntitySchema<RedmineSettingRow>({
  name: 'RedmineSetting',
  tableName: 'settings',
  columns: {
    id: { type: 'int', primary: true },
    name: { type: 'varchar' },
    value: { type: 'text', nullable: true },
  },
});
