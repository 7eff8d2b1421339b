// Application settings: one JSON text per key, so any value (keys with dots or dollars too) comes back as stored.
import { AppError } from '../../../shared/errors'
import type { SettingsStore } from '../ports'
import type { Mongo } from './db'

export function mongoSettings(mongo: Mongo): SettingsStore {
  const { settings } = mongo.col
  return {
    async get<T>(key: string) {
      const doc = await settings.findOne({ _id: key })
      return doc ? (JSON.parse(doc.value as string) as T) : null
    },

    async set<T>(key: string, value: T) {
      const json = JSON.stringify(value)
      if (json === undefined) throw new AppError('invalid_args', `Setting "${key}" needs a JSON value; got ${typeof value}.`)
      await settings.updateOne({ _id: key }, { $set: { value: json } }, { upsert: true })
    },
  }
}
