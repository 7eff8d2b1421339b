// What a whole installation is, collection by collection, in the order a copy writes them (parents before
// the rows that name them), with the fields that identify a document and the fields that hold JSON.

export interface CollectionSpec {
  /** The SQLite table's name, and the collection's name in a portable copy. */
  name: string
  /** The fields that identify a document; the copy resumes after the last key it wrote. */
  key: readonly string[]
  /** Fields stored as JSON text in SQLite, compared as values (their key order is not data). */
  json?: readonly string[]
  /** Fields holding bytes; carried as base64 text. */
  bytes?: readonly string[]
}

export const COLLECTIONS: readonly CollectionSpec[] = [
  { name: 'users', key: ['id'] },
  { name: 'api_keys', key: ['key_hash'] },
  { name: 'accounts', key: ['id'] },
  { name: 'campaigns', key: ['id'], json: ['template', 'pacing', 'import_summary'] },
  { name: 'recipients', key: ['id'], json: ['variables'] },
  { name: 'send_logs', key: ['id'] },
  { name: 'message_events', key: ['id'] },
  { name: 'suppressions', key: ['account_id', 'phone'] },
  { name: 'account_recipients', key: ['account_id', 'phone'] },
  { name: 'webhook_inbox', key: ['seq'] },
  { name: 'settings', key: ['key'], json: ['value'] },
  // The key that signs each send's callback data: without it a copied installation could not match
  // late statuses of the messages it sent before the copy.
  { name: 'installation_keys', key: ['name'], bytes: ['key'] },
]

/** Collections whose documents are what a person would miss: a target holding any of them is not empty. */
export const VALUABLE_COLLECTIONS = ['accounts', 'campaigns', 'suppressions'] as const

export type Doc = Record<string, unknown>
/** The key fields' values of one document, in `CollectionSpec.key` order. */
export type DocKey = unknown[]

export const keyOf = (spec: CollectionSpec, doc: Doc): DocKey => spec.key.map((field) => doc[field])

export function collectionSpec(name: string): CollectionSpec {
  const spec = COLLECTIONS.find((c) => c.name === name)
  if (!spec) throw new Error(`Unknown collection "${name}".`)
  return spec
}
