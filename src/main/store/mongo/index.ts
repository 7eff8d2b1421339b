// The MongoDB Store: every port over one MongoClient, in the database the URI names (`pregon` when none).
// Chosen with `pregon serve --mongodb URI` or PREGON_MONGODB_URI; SQLite stays the default.
import { newCallbackKey } from '../correlation'
import type { SecretBox, Store } from '../ports'
import { mongoAccounts } from './accounts'
import { mongoCampaigns } from './campaigns'
import { connectMongo, type ConnectOptions } from './db'
import { mongoEvents } from './events'
import { mongoInbox } from './inbox'
import { installationKey } from './keys'
import { mongoLedger } from './ledger'
import { migrate } from './migrations'
import { mongoSettings } from './settings'
import { mongoSuppressions } from './suppressions'
import { mongoUsers } from './users'

export { databaseNameOf, redactUri } from './db'
export { LATEST_MONGO_SCHEMA_VERSION, NewerMongoSchemaError } from './migrations'

export interface MongoStoreOptions extends ConnectOptions {
  secrets: SecretBox
}

export async function openMongoStore(opts: MongoStoreOptions): Promise<Store> {
  const mongo = await connectMongo(opts)
  try {
    await migrate(mongo)
    const callbackKey = await installationKey(mongo, 'callback', newCallbackKey)
    return {
      users: mongoUsers(mongo),
      accounts: mongoAccounts(mongo, opts.secrets),
      campaigns: mongoCampaigns(mongo),
      ledger: mongoLedger(mongo, callbackKey),
      suppressions: mongoSuppressions(mongo),
      events: mongoEvents(mongo),
      inbox: mongoInbox(mongo),
      settings: mongoSettings(mongo),
      async close() {
        // Writes already queued finish first.
        await mongo.serial(async () => undefined)
        await mongo.client.close()
      },
    }
  } catch (err) {
    await mongo.client.close()
    throw err
  }
}
