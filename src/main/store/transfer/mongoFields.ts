// How each portable collection (SQLite's rows) maps to the MongoDB store's documents (store/mongo): field by
// field, with the few conversions the two need — ids, dates, booleans, contact variables, JSON text, bytes.

import { Binary, type Document } from 'mongodb'
import { fromMongoId, toMongoId, type MongoId } from '../mongo/seedDocuments'

/**
 * `ref`: an id (ObjectId when 24 hex digits, else the string); `rowId`: SQLite's integer row id, kept in MongoDB
 * as its decimal string; `date`: epoch ms ↔ a BSON date; `bool`: 0/1 ↔ boolean; `variables`: an object ↔
 * name/value pairs; `jsonText`: a value ↔ its JSON text; `bytes`: base64 ↔ BSON binary.
 */
export type FieldKind = 'plain' | 'ref' | 'rowId' | 'date' | 'bool' | 'variables' | 'jsonText' | 'bytes'

export interface CollectionMap {
  /** The MongoDB store's collection. */
  collection: string
  /** [SQLite column, MongoDB field, kind]; the key columns come first, in the CollectionSpec's order. */
  fields: readonly (readonly [string, string, FieldKind?])[]
  /** Fields the MongoDB store keeps beside the data (a row's write version), set on a fresh write. */
  extra?: Document
  /** `_id` made from the key, where the store makes it so (not one of the fields). */
  syntheticId?: (doc: Document) => string
}

export class ForeignIdError extends Error {}

export const MONGO_COLLECTIONS: Record<string, CollectionMap> = {
  users: { collection: 'users', fields: [['id', '_id', 'ref'], ['name', 'name'], ['created_at', 'createdAt']] },
  api_keys: { collection: 'api_keys', fields: [['key_hash', '_id'], ['user_id', 'userId', 'ref'], ['created_at', 'createdAt']] },
  accounts: {
    collection: 'accounts',
    fields: [
      ['id', '_id', 'ref'], ['user_id', 'userId', 'ref'], ['label', 'label'], ['phone_number_id', 'phoneNumberId'], ['waba_id', 'wabaId'],
      ['access_token', 'accessToken'], ['default_country', 'defaultCountry'], ['max_mps', 'maxMessagesPerSecond'], ['verified_name', 'verifiedName'],
      ['display_phone_number', 'displayPhoneNumber'], ['quality_rating', 'qualityRating'], ['messaging_limit_tier', 'messagingLimitTier'],
      ['user_messaging_limit_tier', 'userMessagingLimitTier'], ['throughput_level', 'throughputLevel'], ['validated_at', 'validatedAt'],
      ['simulated', 'simulated', 'bool'], ['graph_url', 'graphUrl'], ['webhook_verify_token', 'webhookVerifyToken'], ['created_at', 'createdAt'],
    ],
  },
  campaigns: {
    collection: 'campaigns',
    fields: [
      ['id', '_id', 'ref'], ['user_id', 'userId', 'ref'], ['account_id', 'accountId', 'ref'], ['campaign_name', 'campaignName'], ['batch_id', 'batchId'],
      ['template', 'template'], ['status', 'status'], ['pacing', 'pacing'], ['processed', 'processed'], ['success_count', 'successCount'],
      ['failed_count', 'failedCount'], ['contacts_count', 'contactsCount'], ['delivered_count', 'deliveredCount'], ['read_count', 'readCount'],
      ['replied_count', 'repliedCount'], ['skipped_count', 'skippedCount'], ['uncertain_count', 'uncertainCount'], ['created_at', 'createdAt'],
      ['started_at', 'startedAt'], ['last_processed_at', 'lastProcessedAt'], ['completed_at', 'completedAt'], ['paused_at', 'pausedAt'],
      ['resume_at', 'resumeAt'], ['error', 'error'], ['error_detail', 'errorDetail'],
      // Columns of later SQLite schemas (migrations 70, 80): null where a side does not have them yet.
      ['import_summary', 'importSummary'], ['archived_at', 'archivedAt'],
    ],
    extra: { writesInFlight: 0 },
  },
  recipients: {
    collection: 'recipients',
    fields: [
      ['id', '_id', 'rowId'], ['campaign_id', 'campaignId', 'ref'], ['position', 'position'], ['phone', 'phone'], ['name', 'name'],
      ['variables', 'variables', 'variables'], ['state', 'state'], ['attempts', 'attempts'], ['next_attempt_at', 'nextAttemptAt'], ['wamid', 'wamid'],
      ['wa_id', 'waId'], ['error_code', 'errorCode'], ['error_message', 'errorMessage'], ['skip_reason', 'skipReason'], ['sent_at', 'sentAt'],
      ['delivered_at', 'deliveredAt'], ['read_at', 'readAt'], ['failed_at', 'failedAt'], ['replied_at', 'repliedAt'], ['updated_at', 'updatedAt'],
      ['resolution', 'resolution'],
    ],
    extra: { v: 0 },
  },
  send_logs: {
    collection: 'send_logs',
    fields: [
      ['id', '_id', 'rowId'], ['campaign_id', 'campaignId', 'ref'], ['recipient_id', 'recipientId', 'rowId'], ['at', 'at', 'date'], ['outcome', 'outcome'],
      ['http_status', 'httpStatus'], ['error_code', 'errorCode'], ['wamid', 'wamid'], ['latency_ms', 'latencyMs'], ['summary', 'summary'],
    ],
  },
  message_events: {
    collection: 'message_events',
    fields: [
      ['id', '_id', 'rowId'], ['wamid', 'wamid'], ['kind', 'kind'], ['status', 'status'], ['campaign_id', 'campaignId', 'ref'],
      ['recipient_id', 'recipientId', 'ref'], ['phone', 'phone'], ['at', 'at', 'date'], ['error_code', 'errorCode'], ['payload', 'payload'],
    ],
  },
  suppressions: {
    collection: 'suppressions',
    fields: [['account_id', 'accountId', 'ref'], ['phone', 'phone'], ['reason', 'reason'], ['source', 'source'], ['created_at', 'createdAt']],
  },
  account_recipients: {
    collection: 'account_recipients',
    fields: [['account_id', 'accountId', 'ref'], ['phone', 'phone'], ['last_sent_at', 'lastSentAt']],
    syntheticId: (doc) => `${doc.account_id}:${doc.phone}`,
  },
  webhook_inbox: { collection: 'webhook_inbox', fields: [['seq', '_id'], ['body', 'body'], ['received_at', 'receivedAt'], ['processed_at', 'processedAt']] },
  settings: { collection: 'settings', fields: [['key', '_id'], ['value', 'value', 'jsonText']] },
  installation_keys: { collection: 'installation_keys', fields: [['name', '_id'], ['key', 'key', 'bytes']] },
}

/** A portable value → what the MongoDB store keeps. */
export function toMongoValue(kind: FieldKind | undefined, value: unknown): unknown {
  if (value === null || value === undefined) return kind === 'jsonText' ? 'null' : null
  switch (kind ?? 'plain') {
    case 'ref':
      return toMongoId(String(value))
    case 'rowId':
      return String(value)
    case 'date':
      return new Date(Number(value))
    case 'bool':
      return Boolean(value)
    case 'variables':
      return Object.entries(value as Record<string, string>).map(([name, v]) => ({ name, value: v }))
    case 'jsonText':
      return JSON.stringify(value)
    case 'bytes':
      return new Binary(Buffer.from(String(value), 'base64'))
    default:
      return value
  }
}

/** What the MongoDB store keeps → the portable value (SQLite's). */
export function fromMongoValue(kind: FieldKind | undefined, value: unknown, where: string): unknown {
  if (value === null || value === undefined) return null
  switch (kind ?? 'plain') {
    case 'ref':
      return fromMongoId(value as MongoId)
    case 'rowId': {
      const text = typeof value === 'string' ? value : fromMongoId(value as MongoId)
      if (!/^\d{1,15}$/.test(text)) {
        throw new ForeignIdError(
          `${where} has ids made by MongoDB (${text}): this Pregón copies ledger rows, send logs and events only ` +
            'with the numbered ids a data folder gives them, so it cannot copy this installation yet. To move it to ' +
            'another MongoDB, use mongodump and mongorestore.',
        )
      }
      return Number(text)
    }
    case 'date':
      return value instanceof Date ? value.getTime() : Number(value)
    case 'bool':
      return value ? 1 : 0
    case 'variables':
      return Object.fromEntries((value as { name: string; value: string }[]).map((v) => [v.name, v.value]))
    case 'jsonText':
      return JSON.parse(String(value))
    case 'bytes':
      return Buffer.from((value as Binary).buffer).toString('base64')
    default:
      return value
  }
}
