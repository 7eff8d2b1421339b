// Installation keys: secrets made once per database, on first open, and kept in it.
import type { Statements } from './db'

/** The key named `name`, made by `make` the first time; every connection to the file gets the same one. */
export function installationKey(sql: Statements, name: string, make: () => Buffer): Buffer {
  const read = () => sql.prepare<{ key: Buffer }>('SELECT key FROM installation_keys WHERE name = ?').get(name)?.key
  const found = read()
  if (found) return found
  // OR IGNORE: another process may have made it meanwhile; both then read the one that was kept.
  sql.prepare('INSERT OR IGNORE INTO installation_keys (name, key) VALUES (?, ?)').run(name, make())
  const made = read()
  if (!made) throw new Error(`The installation key "${name}" could not be stored.`)
  return made
}
