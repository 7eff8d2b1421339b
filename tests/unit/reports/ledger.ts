// A real SQLite ledger with one finished campaign whose outcomes are known: sent, delivered, read, replied, failed, skipped, uncertain.
import { mkdtemp, rm } from 'node:fs/promises'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import type { NewRecipient, SendOutcome, Store } from '../../../src/main/store/ports'
import { createSecretBox } from '../../../src/main/store/secrets'
import { openSqliteStore } from '../../../src/main/store/sqlite'
import type { Campaign } from '../../../src/shared/types'

/** 2025-03-10 14:00:00 UTC, 09:00 in Bogotá. */
export const T0 = Date.UTC(2025, 2, 10, 14, 0, 0)
export const STEP_MS = 10_000

export interface ReportLedger {
  store: Store
  campaign: Campaign
  userId: string
  close: () => Promise<void>
}

/**
 * `size` recipients: the first opted out (skipped at creation); then every 10th fails with 131026, the
 * 15th with 132001, the 34th is uncertain; the rest are sent 10 s apart; of those, i % 3 != 0 are
 * delivered, i % 6 == 1 read and i % 12 == 1 replied.
 */
export async function buildReportLedger(size = 60, campaignName = 'Promoción Día de la Madre'): Promise<ReportLedger> {
  const dataDir = await mkdtemp(join(tmpdir(), 'pregon-report-'))
  const store = openSqliteStore({ dataDir, secrets: createSecretBox(Buffer.alloc(32, 3)) })
  const user = await store.users.ensureLocal()
  const account = await store.accounts.create({
    userId: user.id,
    label: 'Panadería La Espiga',
    phoneNumberId: '1098765',
    wabaId: 'waba-77',
    accessToken: 'EAAG-test-token',
    defaultCountry: 'CO',
  })
  await store.accounts.update(account.id, { displayPhoneNumber: '+57 601 555 0000', verifiedName: 'La Espiga' })
  const recipients: NewRecipient[] = Array.from({ length: size }, (_, i) => ({
    phone: `+5730012${String(i).padStart(5, '0')}`,
    name: `Cliente ${i}`,
    variables: { Nombre: `Cliente ${i}` },
    skipReason: i === 0 ? 'opted_out' : null,
    skipDetail: i === 0 ? 'opted out before' : null,
  }))
  const created = await store.campaigns.create(
    {
      userId: user.id,
      accountId: account.id,
      campaignName,
      batchId: 'batch-report',
      template: { name: 'promo_madre', language: 'es', category: 'MARKETING', bodyParams: [{ type: 'text', text: '{{Nombre}}' }] },
      pacing: { kind: 'standard' },
      status: 'pending',
    },
    recipients,
  )
  await store.campaigns.transition(created.id, ['pending'], 'processing', { startedAt: new Date(T0).toISOString() })
  const rows = await store.ledger.claim(created.id, size, T0)
  const log = { httpStatus: 200, latencyMs: 120 }
  const sentIndexes: number[] = []
  for (const row of rows) {
    const i = row.position
    const at = T0 + i * STEP_MS
    let outcome: SendOutcome
    if (i % 10 === 9) outcome = { kind: 'failed', recipientId: row.id, errorCode: 131026, errorMessage: 'Message undeliverable', log: { ...log, httpStatus: 400 } }
    else if (i === 14) outcome = { kind: 'failed', recipientId: row.id, errorCode: 132001, errorMessage: 'Template name does not exist in the translation', log: { ...log, httpStatus: 404 } }
    else if (i === 33) outcome = { kind: 'uncertain', recipientId: row.id, errorMessage: 'timeout', log: null }
    else {
      outcome = { kind: 'sent', recipientId: row.id, wamid: `wamid.${i}`, waId: row.phone.slice(1), log }
      sentIndexes.push(i)
    }
    await store.ledger.record(created.id, [outcome], at)
  }
  await store.ledger.applyStatuses(
    sentIndexes
      .filter((i) => i % 3 !== 0)
      .map((i) => ({ wamid: `wamid.${i}`, callbackId: null, status: 'delivered' as const, at: T0 + i * STEP_MS + 2_000 })),
  )
  await store.ledger.applyStatuses(
    sentIndexes.filter((i) => i % 6 === 1).map((i) => ({ wamid: `wamid.${i}`, callbackId: null, status: 'read' as const, at: T0 + i * STEP_MS + 60_000 })),
  )
  for (const i of sentIndexes.filter((n) => n % 12 === 1)) await store.ledger.markReplied(`wamid.${i}`, T0 + i * STEP_MS + 120_000)
  const end = T0 + size * STEP_MS
  await store.campaigns.transition(created.id, ['processing'], 'completed', { completedAt: new Date(end).toISOString(), lastProcessedAt: new Date(end).toISOString() })
  const campaign = (await store.campaigns.get(created.id)) as Campaign
  return {
    store,
    campaign,
    userId: user.id,
    close: async () => {
      await store.close()
      await rm(dataDir, { recursive: true, force: true })
    },
  }
}
