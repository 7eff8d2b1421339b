// WhatsApp sender accounts; the access token is sealed by the SecretBox before it reaches the file.
import { randomUUID } from 'node:crypto'
import { AppError, notFound } from '../../../shared/errors'
import { readTier, type Account, type QualityRating } from '../../../shared/types'
import type { AccountPatch, AccountStore, SecretBox } from '../ports'
import { isoNow, type Statements } from './db'

interface AccountRow {
  id: string
  user_id: string
  label: string
  phone_number_id: string
  waba_id: string
  access_token: string
  default_country: string
  max_mps: number
  verified_name: string | null
  display_phone_number: string | null
  quality_rating: string | null
  messaging_limit_tier: string | null
  user_messaging_limit_tier: string | null
  throughput_level: string | null
  validated_at: string | null
  simulated: number
  graph_url: string | null
  webhook_verify_token: string | null
  created_at: string
}

const DEFAULT_MAX_MPS = 80

const toAccount = (row: AccountRow): Account => ({
  id: row.id,
  userId: row.user_id,
  label: row.label,
  phoneNumberId: row.phone_number_id,
  wabaId: row.waba_id,
  defaultCountry: row.default_country,
  maxMessagesPerSecond: row.max_mps,
  verifiedName: row.verified_name,
  displayPhoneNumber: row.display_phone_number,
  qualityRating: row.quality_rating as QualityRating | null,
  messagingLimitTier: row.messaging_limit_tier,
  userMessagingLimitTier: readTier(row.user_messaging_limit_tier),
  throughputLevel: row.throughput_level,
  validatedAt: row.validated_at,
  simulated: row.simulated === 1,
  graphUrl: row.graph_url,
  webhookVerifyToken: row.webhook_verify_token,
  createdAt: row.created_at,
})

/** Patch field → column; `accessToken` is sealed on the way in. */
const PATCH_COLUMNS: Record<keyof AccountPatch, keyof AccountRow> = {
  label: 'label',
  phoneNumberId: 'phone_number_id',
  wabaId: 'waba_id',
  accessToken: 'access_token',
  defaultCountry: 'default_country',
  maxMessagesPerSecond: 'max_mps',
  verifiedName: 'verified_name',
  displayPhoneNumber: 'display_phone_number',
  qualityRating: 'quality_rating',
  messagingLimitTier: 'messaging_limit_tier',
  userMessagingLimitTier: 'user_messaging_limit_tier',
  throughputLevel: 'throughput_level',
  validatedAt: 'validated_at',
  simulated: 'simulated',
  graphUrl: 'graph_url',
  webhookVerifyToken: 'webhook_verify_token',
}

export function sqliteAccounts(sql: Statements, secrets: SecretBox): AccountStore {
  const byId = (id: string): AccountRow | undefined => sql.prepare<AccountRow>('SELECT * FROM accounts WHERE id = ?').get(id)

  return {
    async create(input) {
      if (!input.accessToken) throw new AppError('invalid_args', 'An account needs its access token.')
      const id = randomUUID()
      sql
        .prepare(
          `INSERT INTO accounts (id, user_id, label, phone_number_id, waba_id, access_token, default_country, max_mps,
             simulated, graph_url, webhook_verify_token, created_at)
           VALUES (@id, @userId, @label, @phoneNumberId, @wabaId, @accessToken, @defaultCountry, @maxMps,
             @simulated, @graphUrl, @webhookVerifyToken, @createdAt)`,
        )
        .run({
          id,
          userId: input.userId,
          label: input.label,
          phoneNumberId: input.phoneNumberId,
          wabaId: input.wabaId,
          accessToken: secrets.seal(input.accessToken),
          defaultCountry: input.defaultCountry,
          maxMps: input.maxMessagesPerSecond ?? DEFAULT_MAX_MPS,
          simulated: input.simulated ? 1 : 0,
          graphUrl: input.graphUrl ?? null,
          webhookVerifyToken: input.webhookVerifyToken ?? null,
          createdAt: isoNow(),
        })
      return toAccount(byId(id) as AccountRow)
    },

    async get(id, userId) {
      const row = byId(id)
      return row && (userId === undefined || row.user_id === userId) ? toAccount(row) : null
    },

    async list(userId) {
      return sql.prepare<AccountRow>('SELECT * FROM accounts WHERE user_id = ? ORDER BY created_at, rowid').all(userId).map(toAccount)
    },

    async listAll() {
      return sql.prepare<AccountRow>('SELECT * FROM accounts ORDER BY created_at, rowid').all().map(toAccount)
    },

    async findByPhoneNumberId(phoneNumberId) {
      return sql
        .prepare<AccountRow>('SELECT * FROM accounts WHERE phone_number_id = ? ORDER BY created_at, rowid')
        .all(phoneNumberId)
        .map(toAccount)
    },

    async update(id, patch) {
      const sets: string[] = []
      const values: unknown[] = []
      for (const [field, value] of Object.entries(patch) as [keyof AccountPatch, unknown][]) {
        if (value === undefined) continue
        const column = PATCH_COLUMNS[field]
        if (!column) throw new AppError('invalid_args', `Accounts have no field "${field}" to update.`)
        sets.push(`${column} = ?`)
        values.push(field === 'accessToken' ? secrets.seal(String(value)) : typeof value === 'boolean' ? Number(value) : value)
      }
      if (sets.length > 0) sql.prepare(`UPDATE accounts SET ${sets.join(', ')} WHERE id = ?`).run(...values, id)
      const row = byId(id)
      if (!row) throw notFound(`Account ${id}`)
      return toAccount(row)
    },

    async getAccessToken(id) {
      const row = byId(id)
      if (!row) throw notFound(`Account ${id}`)
      return secrets.open(row.access_token)
    },

    async remove(id, userId) {
      return sql.prepare('DELETE FROM accounts WHERE id = ? AND user_id = ?').run(id, userId).changes > 0
    },
  }
}
