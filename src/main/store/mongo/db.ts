// The connection to MongoDB: which database, whether it offers transactions, the collections, and the
// in-process write queue every mutating method goes through.
import type { MongoId } from './seedDocuments'
import { MongoClient, MongoServerError, type ClientSession, type CommandStartedEvent, type Collection, type Db, type Document, type WriteConcernSettings } from 'mongodb'

/** The database named in the URI's path, `pregon` when none (or the driver's `test` default). */
export function databaseNameOf(uri: string): string {
  const afterHosts = uri.replace(/^mongodb(\+srv)?:\/\/[^/]*/, '')
  const name = decodeURIComponent(afterHosts.replace(/^\//, '').split('?')[0] ?? '')
  return name || 'pregon'
}

/** The URI without its user and password: what may be logged or shown back. */
export function redactUri(uri: string): string {
  return uri.replace(/^(mongodb(?:\+srv)?:\/\/)[^@/]*@/, '$1')
}

/**
 * What must survive a power cut before the caller goes on (a claim before its request leaves, a webhook
 * delivery before Meta gets its 200): acknowledged by a majority and in the journal.
 */
export const DURABLE: WriteConcernSettings = { w: 'majority', j: true }

/** A document of ours: `_id` an ObjectId or a string (seedDocuments.ts), any fields. */
export interface Doc extends Document {
  _id?: MongoId
}

/** The webhook inbox numbers its deliveries by `_id`. */
export interface InboxDoc extends Document {
  _id: number
}

export interface Collections {
  meta: Collection<Doc>
  users: Collection<Doc>
  apiKeys: Collection<Doc>
  accounts: Collection<Doc>
  campaigns: Collection<Doc>
  campaignDrafts: Collection<Doc>
  recipients: Collection<Doc>
  sendLogs: Collection<Doc>
  messageEvents: Collection<Doc>
  suppressions: Collection<Doc>
  accountRecipients: Collection<Doc>
  inbox: Collection<InboxDoc>
  settings: Collection<Doc>
  installationKeys: Collection<Doc>
}

/** The seed's names where it has them (campaigns, send_logs, message_events); ours beside them. */
const COLLECTION_NAMES: Record<keyof Collections, string> = {
  meta: 'pregon_meta',
  users: 'users',
  apiKeys: 'api_keys',
  accounts: 'accounts',
  campaigns: 'campaigns',
  campaignDrafts: 'campaign_drafts',
  recipients: 'recipients',
  sendLogs: 'send_logs',
  messageEvents: 'message_events',
  suppressions: 'suppressions',
  accountRecipients: 'account_recipients',
  inbox: 'webhook_inbox',
  settings: 'settings',
  installationKeys: 'installation_keys',
}

export interface Mongo {
  client: MongoClient
  db: Db
  col: Collections
  /** A replica set or sharded cluster: multi-document writes commit together. A standalone mongod cannot. */
  transactions: boolean
  /** Runs mutations one at a time in this process (as SQLite's single writer does). */
  serial<T>(work: () => Promise<T>): Promise<T>
}

export interface ConnectOptions {
  uri: string
  /** `auto` uses transactions when the server offers them; `off` writes as on a standalone mongod. */
  transactions?: 'auto' | 'off'
  /** Sees every command sent (tests check what a write asks of the server). */
  onCommand?: (event: CommandStartedEvent) => void
}

export async function connectMongo(opts: ConnectOptions): Promise<Mongo> {
  // Polling, not the streaming heartbeat: simpler servers (and some proxies) do not keep an exhaust cursor open.
  let client: MongoClient
  try {
    client = new MongoClient(opts.uri, { serverMonitoringMode: 'poll', serverSelectionTimeoutMS: 10_000, monitorCommands: Boolean(opts.onCommand) })
  } catch (err) {
    throw new Error(`The MongoDB URI is not valid (${(err as Error).message}); write it as mongodb://[user:password@]host[:port]/database.`)
  }
  if (opts.onCommand) client.on('commandStarted', opts.onCommand)
  try {
    await client.connect()
  } catch (err) {
    // The driver's words name hosts, never the password; the URI is shown without its credentials.
    throw new Error(`Could not reach MongoDB at ${redactUri(opts.uri)}: ${(err as Error).message}`)
  }
  const db = client.db(databaseNameOf(opts.uri))
  const hello = await db.admin().command({ hello: 1 })
  const offersTransactions = Boolean(hello.setName) || hello.msg === 'isdbgrid'
  const col = Object.fromEntries(Object.entries(COLLECTION_NAMES).map(([key, name]) => [key, db.collection(name)])) as unknown as Collections
  return { client, db, col, transactions: offersTransactions && opts.transactions !== 'off', serial: serialQueue() }
}

/** A queue that runs each piece of work after the one before has settled. */
export function serialQueue(): <T>(work: () => Promise<T>) => Promise<T> {
  let queue: Promise<unknown> = Promise.resolve()
  return <T>(work: () => Promise<T>): Promise<T> => {
    const run = queue.then(work, work)
    queue = run.catch(() => undefined)
    return run
  }
}

/** Runs `work` in a transaction when the server has them, else as plain writes (no session). */
export async function inTransaction<T>(mongo: Mongo, work: (session: ClientSession | undefined) => Promise<T>): Promise<T> {
  if (!mongo.transactions) return work(undefined)
  const session = mongo.client.startSession()
  try {
    return await session.withTransaction(() => work(session))
  } finally {
    await session.endSession()
  }
}

export const isDuplicateKey = (err: unknown): boolean => err instanceof MongoServerError && err.code === 11000

export const isoNow = (): string => new Date().toISOString()
export const isoAt = (epochMs: number): string => new Date(epochMs).toISOString()
