// Application settings: one JSON value per key.
import { AppError } from '../../../shared/errors'
import type { SettingsStore } from '../ports'
import type { Statements } from './db'

export function sqliteSettings(sql: Statements): SettingsStore {
  return {
    async get<T>(key: string) {
      const row = sql.prepare<{ value: string }>('SELECT value FROM settings WHERE key = ?').get(key)
      return row ? (JSON.parse(row.value) as T) : null
    },

    async set<T>(key: string, value: T) {
      const json = JSON.stringify(value)
      if (json === undefined) throw new AppError('invalid_args', `Setting "${key}" needs a JSON value; got ${typeof value}.`)
      sql.prepare('INSERT INTO settings (key, value) VALUES (?, ?) ON CONFLICT (key) DO UPDATE SET value = excluded.value').run(key, json)
    },
  }
}
