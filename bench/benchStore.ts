// A throwaway pregon.db with one user and one account, for benchmarks that work on the store directly.

import { mkdtemp, rm } from 'node:fs/promises'
import { tmpdir } from 'node:os'
import path from 'node:path'
import type { Account, Campaign } from '../src/shared/types'
import type { NewRecipient, Store } from '../src/main/store/ports'
import { createSecretBox } from '../src/main/store/secrets'
import { openSqliteStore } from '../src/main/store/sqlite'

export interface BenchStore {
  dir: string
  store: Store
  account: Account
  /** A pending campaign of `recipients` (hello_world, pacing off). */
  newCampaign(campaignName: string, recipients: NewRecipient[]): Promise<Campaign>
  /** Closes the store and deletes the directory. */
  close(): Promise<void>
}

export async function openBenchStore(name: string): Promise<BenchStore> {
  const dir = await mkdtemp(path.join(tmpdir(), `pregon-bench-${name}-`))
  const store = openSqliteStore({ dataDir: dir, secrets: createSecretBox(Buffer.alloc(32, 1)) })
  const user = await store.users.ensureLocal()
  const account = await store.accounts.create({
    userId: user.id,
    label: 'bench',
    phoneNumberId: 'bench-phone',
    wabaId: 'bench-waba',
    accessToken: 'bench-token',
    defaultCountry: 'CO',
  })
  // The bench measures the engine, not the tier: an unknown tier would hold it to 250 a day.
  await store.accounts.update(account.id, { messagingLimitTier: 'TIER_UNLIMITED' })
  return {
    dir,
    store,
    account,
    newCampaign: (campaignName, recipients) =>
      store.campaigns.create(
        {
          userId: user.id,
          accountId: account.id,
          campaignName,
          batchId: 'bench',
          template: { name: 'hello_world', language: 'es' },
          pacing: { kind: 'off' },
          status: 'pending',
        },
        recipients,
      ),
    async close() {
      await store.close()
      await rm(dir, { recursive: true, force: true })
    },
  }
}
