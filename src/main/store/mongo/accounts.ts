// WhatsApp sender accounts; the access token is sealed by the SecretBox before it reaches the database.
import { ObjectId, type Document } from 'mongodb'
import { AppError, notFound } from '../../../shared/errors'
import { readTier, type Account, type QualityRating } from '../../../shared/types'
import type { AccountPatch, AccountStore, SecretBox } from '../ports'
import { isoNow, type Mongo } from './db'
import { fromMongoId, toMongoId } from './seedDocuments'

const DEFAULT_MAX_MPS = 80

const PATCH_FIELDS: readonly (keyof AccountPatch)[] = [
  'label',
  'phoneNumberId',
  'wabaId',
  'accessToken',
  'defaultCountry',
  'maxMessagesPerSecond',
  'verifiedName',
  'displayPhoneNumber',
  'qualityRating',
  'messagingLimitTier',
  'userMessagingLimitTier',
  'throughputLevel',
  'validatedAt',
  'simulated',
  'graphUrl',
  'webhookVerifyToken',
]

/** The document minus the sealed token: an Account never carries it. */
const toAccount = (doc: Document): Account => ({
  id: fromMongoId(doc._id),
  userId: fromMongoId(doc.userId),
  label: doc.label,
  phoneNumberId: doc.phoneNumberId,
  wabaId: doc.wabaId,
  defaultCountry: doc.defaultCountry,
  maxMessagesPerSecond: doc.maxMessagesPerSecond,
  verifiedName: doc.verifiedName ?? null,
  displayPhoneNumber: doc.displayPhoneNumber ?? null,
  qualityRating: (doc.qualityRating ?? null) as QualityRating | null,
  messagingLimitTier: doc.messagingLimitTier ?? null,
  userMessagingLimitTier: readTier(doc.userMessagingLimitTier ?? null),
  throughputLevel: doc.throughputLevel ?? null,
  validatedAt: doc.validatedAt ?? null,
  simulated: doc.simulated === true,
  graphUrl: doc.graphUrl ?? null,
  webhookVerifyToken: doc.webhookVerifyToken ?? null,
  createdAt: doc.createdAt,
})

export function mongoAccounts(mongo: Mongo, secrets: SecretBox): AccountStore {
  const { accounts } = mongo.col
  const byId = (id: string) => accounts.findOne({ _id: toMongoId(id) })
  const sorted = (filter: Document) => accounts.find(filter).sort({ createdAt: 1, _id: 1 }).toArray()

  return {
    async create(input) {
      if (!input.accessToken) throw new AppError('invalid_args', 'An account needs its access token.')
      const doc = {
        _id: new ObjectId(),
        userId: toMongoId(input.userId),
        label: input.label,
        phoneNumberId: input.phoneNumberId,
        wabaId: input.wabaId,
        accessToken: secrets.seal(input.accessToken),
        defaultCountry: input.defaultCountry,
        maxMessagesPerSecond: input.maxMessagesPerSecond ?? DEFAULT_MAX_MPS,
        verifiedName: null,
        displayPhoneNumber: null,
        qualityRating: null,
        messagingLimitTier: null,
        userMessagingLimitTier: null,
        throughputLevel: null,
        validatedAt: null,
        simulated: input.simulated === true,
        graphUrl: input.graphUrl ?? null,
        webhookVerifyToken: input.webhookVerifyToken ?? null,
        createdAt: isoNow(),
      }
      await accounts.insertOne(doc)
      return toAccount(doc)
    },

    async get(id, userId) {
      const doc = await byId(id)
      return doc && (userId === undefined || fromMongoId(doc.userId) === userId) ? toAccount(doc) : null
    },

    async list(userId) {
      return (await sorted({ userId: toMongoId(userId) })).map(toAccount)
    },

    async listAll() {
      return (await sorted({})).map(toAccount)
    },

    async findByPhoneNumberId(phoneNumberId) {
      return (await sorted({ phoneNumberId })).map(toAccount)
    },

    async update(id, patch) {
      const set: Document = {}
      for (const [field, value] of Object.entries(patch) as [keyof AccountPatch, unknown][]) {
        if (value === undefined) continue
        if (!PATCH_FIELDS.includes(field)) throw new AppError('invalid_args', `Accounts have no field "${field}" to update.`)
        set[field] = field === 'accessToken' ? secrets.seal(String(value)) : value
      }
      if (Object.keys(set).length > 0) await accounts.updateOne({ _id: toMongoId(id) }, { $set: set })
      const doc = await byId(id)
      if (!doc) throw notFound(`Account ${id}`)
      return toAccount(doc)
    },

    async getAccessToken(id) {
      const doc = await byId(id)
      if (!doc) throw notFound(`Account ${id}`)
      return secrets.open(doc.accessToken)
    },

    async remove(id, userId) {
      const removed = await accounts.deleteOne({ _id: toMongoId(id), userId: toMongoId(userId) })
      if (removed.deletedCount === 0) return false
      // SQLite's foreign key cascade: an account's opt-out list goes with it.
      await mongo.col.suppressions.deleteMany({ accountId: toMongoId(id) })
      return true
    },
  }
}
