// Users (tenants) and their API keys, of which only sha256 hashes are stored (`api_keys`, keyed by hash).
import { createHash, randomBytes } from 'node:crypto'
import { ObjectId, type Document } from 'mongodb'
import { AppError } from '../../../shared/errors'
import type { User, UserStore } from '../ports'
import { isDuplicateKey, isoNow, type Mongo } from './db'
import { fromMongoId, toMongoId } from './seedDocuments'

export const LOCAL_USER_ID = 'local'

const hashKey = (apiKey: string): string => createHash('sha256').update(apiKey, 'utf8').digest('hex')
const toUser = (doc: Document): User => ({ id: fromMongoId(doc._id), name: doc.name, createdAt: doc.createdAt })

export function mongoUsers(mongo: Mongo): UserStore {
  const { users, apiKeys } = mongo.col
  const byId = async (id: string): Promise<User | null> => {
    const doc = await users.findOne({ _id: toMongoId(id) })
    return doc ? toUser(doc) : null
  }
  const byName = async (name: string): Promise<User | null> => {
    const doc = await users.findOne({ name })
    return doc ? toUser(doc) : null
  }
  /** Null when the name is taken (the unique index decides, also against another process). */
  const insertUser = async (_id: ObjectId | string, name: string): Promise<User | null> => {
    const createdAt = isoNow()
    try {
      await users.insertOne({ _id: _id, name, createdAt })
    } catch (err) {
      if (isDuplicateKey(err)) return null
      throw err
    }
    return { id: fromMongoId(_id), name, createdAt }
  }
  /** The user owning this key after the call: `userId` when the key was free. */
  const claimKey = async (userId: string, apiKey: string): Promise<string> => {
    try {
      await apiKeys.insertOne({ _id: hashKey(apiKey), userId: toMongoId(userId), createdAt: isoNow() })
      return userId
    } catch (err) {
      if (!isDuplicateKey(err)) throw err
      const owner = await apiKeys.findOne({ _id: hashKey(apiKey) })
      return owner ? fromMongoId(owner.userId) : userId
    }
  }
  const requireName = (name: string): string => {
    const trimmed = name.trim()
    if (!trimmed) throw new AppError('invalid_args', 'A user needs a name; pass a non-empty name.')
    return trimmed
  }

  return {
    async create(name) {
      const clean = requireName(name)
      const user = await insertUser(new ObjectId(), clean)
      if (!user) throw new AppError('conflict', `A user named "${clean}" already exists; choose another name.`)
      const apiKey = 'pk_' + randomBytes(32).toString('base64url')
      await claimKey(user.id, apiKey)
      return { user, apiKey }
    },

    async upsertWithKey(name, apiKey) {
      const clean = requireName(name)
      if (!apiKey) throw new AppError('invalid_args', `The API key for user "${clean}" is empty.`)
      const user = (await byName(clean)) ?? (await insertUser(new ObjectId(), clean)) ?? (await byName(clean))
      if (!user) throw new Error(`The user "${clean}" could not be stored.`)
      if ((await claimKey(user.id, apiKey)) !== user.id) {
        throw new AppError('conflict', `This API key already belongs to another user than "${clean}"; give each user its own key.`)
      }
      return user
    },

    async findByApiKey(apiKey) {
      const key = await apiKeys.findOne({ _id: hashKey(apiKey) })
      return key ? byId(fromMongoId(key.userId)) : null
    },

    async ensureLocal() {
      const found = (await byId(LOCAL_USER_ID)) ?? (await byName(LOCAL_USER_ID))
      if (found) return found
      // A user someone named 'local' by hand is the local user too.
      return ((await insertUser(LOCAL_USER_ID, LOCAL_USER_ID)) ?? (await byId(LOCAL_USER_ID)) ?? (await byName(LOCAL_USER_ID))) as User
    },

    async get(id) {
      return byId(id)
    },

    async list() {
      return (await users.find({}).sort({ createdAt: 1, _id: 1 }).toArray()).map(toUser)
    },
  }
}
