// Users (tenants) and their API keys, of which only sha256 hashes are stored.
import { createHash, randomBytes, randomUUID } from 'node:crypto'
import { AppError } from '../../../shared/errors'
import type { User, UserStore } from '../ports'
import { isoNow, type Statements } from './db'

interface UserRow {
  id: string
  name: string
  created_at: string
}

export const LOCAL_USER_ID = 'local'

const hashKey = (apiKey: string): string => createHash('sha256').update(apiKey, 'utf8').digest('hex')
const toUser = (row: UserRow): User => ({ id: row.id, name: row.name, createdAt: row.created_at })

export function sqliteUsers(sql: Statements): UserStore {
  const byId = (id: string): User | null => {
    const row = sql.prepare<UserRow>('SELECT * FROM users WHERE id = ?').get(id)
    return row ? toUser(row) : null
  }
  const byName = (name: string): User | null => {
    const row = sql.prepare<UserRow>('SELECT * FROM users WHERE name = ?').get(name)
    return row ? toUser(row) : null
  }
  const insertUser = (id: string, name: string): User => {
    const createdAt = isoNow()
    sql.prepare('INSERT INTO users (id, name, created_at) VALUES (?, ?, ?)').run(id, name, createdAt)
    return { id, name, createdAt }
  }
  const addKey = (userId: string, apiKey: string): void => {
    sql.prepare('INSERT INTO api_keys (key_hash, user_id, created_at) VALUES (?, ?, ?)').run(hashKey(apiKey), userId, isoNow())
  }
  const requireName = (name: string): string => {
    const trimmed = name.trim()
    if (!trimmed) throw new AppError('invalid_args', 'A user needs a name; pass a non-empty name.')
    return trimmed
  }

  return {
    async create(name) {
      const clean = requireName(name)
      return sql.db.transaction(() => {
        if (byName(clean)) throw new AppError('conflict', `A user named "${clean}" already exists; choose another name.`)
        const user = insertUser(randomUUID(), clean)
        const apiKey = 'pk_' + randomBytes(32).toString('base64url')
        addKey(user.id, apiKey)
        return { user, apiKey }
      })()
    },

    async upsertWithKey(name, apiKey) {
      const clean = requireName(name)
      if (!apiKey) throw new AppError('invalid_args', `The API key for user "${clean}" is empty.`)
      return sql.db.transaction(() => {
        const user = byName(clean) ?? insertUser(randomUUID(), clean)
        const owner = sql.prepare<{ user_id: string }>('SELECT user_id FROM api_keys WHERE key_hash = ?').get(hashKey(apiKey))
        if (!owner) addKey(user.id, apiKey)
        else if (owner.user_id !== user.id) {
          throw new AppError('conflict', `This API key already belongs to another user than "${clean}"; give each user its own key.`)
        }
        return user
      })()
    },

    async findByApiKey(apiKey) {
      const row = sql
        .prepare<UserRow>('SELECT users.* FROM api_keys JOIN users ON users.id = api_keys.user_id WHERE api_keys.key_hash = ?')
        .get(hashKey(apiKey))
      return row ? toUser(row) : null
    },

    async ensureLocal() {
      sql.prepare('INSERT OR IGNORE INTO users (id, name, created_at) VALUES (?, ?, ?)').run(LOCAL_USER_ID, LOCAL_USER_ID, isoNow())
      // A user someone named 'local' by hand is the local user too.
      return (byId(LOCAL_USER_ID) ?? byName(LOCAL_USER_ID)) as User
    },

    async get(id) {
      return byId(id)
    },

    async list() {
      return sql.prepare<UserRow>('SELECT * FROM users ORDER BY created_at, rowid').all().map(toUser)
    },
  }
}
