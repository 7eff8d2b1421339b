// Report benchmark: the Excel report of a 100,000-recipient campaign read from a real SQLite ledger.

import { createWriteStream } from 'node:fs'
import { mkdtemp, rm, stat } from 'node:fs/promises'
import { tmpdir } from 'node:os'
import path from 'node:path'
import { writeCampaignReport } from '../src/main/reports'
import type { NewRecipient, SendOutcome } from '../src/main/store/ports'
import { createSecretBox } from '../src/main/store/secrets'
import { openSqliteStore } from '../src/main/store/sqlite'

export interface XlsxReportBench {
  xlsxReportSec100k: number
  recipients: number
  fileMb: number
}

/** Builds a finished campaign (sent, delivered, read, failed rows) and times only the report. */
export async function benchXlsxReport100k(size = 100_000): Promise<XlsxReportBench> {
  const dir = await mkdtemp(path.join(tmpdir(), 'pregon-bench-report-'))
  const store = openSqliteStore({ dataDir: dir, secrets: createSecretBox(Buffer.alloc(32, 2)) })
  try {
    const user = await store.users.ensureLocal()
    const account = await store.accounts.create({
      userId: user.id,
      label: 'bench',
      phoneNumberId: 'bench-phone',
      wabaId: 'bench-waba',
      accessToken: 'bench-token',
      defaultCountry: 'CO',
    })
    const recipients: NewRecipient[] = Array.from({ length: size }, (_, i) => ({
      phone: `+573${String(i).padStart(9, '0')}`,
      name: `Cliente ${i}`,
      variables: { Nombre: `Cliente ${i}`, Ciudad: 'Bogotá' },
    }))
    const campaign = await store.campaigns.create(
      {
        userId: user.id,
        accountId: account.id,
        campaignName: 'bench report',
        batchId: 'bench',
        template: { name: 'hello_world', language: 'es' },
        pacing: { kind: 'off' },
        status: 'pending',
      },
      recipients,
    )
    const t0 = Date.UTC(2025, 0, 1)
    for (let done = 0; done < size; ) {
      const rows = await store.ledger.claim(campaign.id, 5_000, t0)
      if (rows.length === 0) break
      const outcomes: SendOutcome[] = rows.map((row) =>
        row.position % 20 === 7
          ? { kind: 'failed', recipientId: row.id, errorCode: 131026, errorMessage: 'Message undeliverable', log: { httpStatus: 400, latencyMs: 90 } }
          : { kind: 'sent', recipientId: row.id, wamid: `wamid.${row.position}`, waId: row.phone.slice(1), log: { httpStatus: 200, latencyMs: 90 } },
      )
      await store.ledger.record(campaign.id, outcomes, t0 + done * 10)
      await store.ledger.applyStatuses(
        rows
          .filter((row) => row.position % 20 !== 7 && row.position % 2 === 0)
          .map((row) => ({ wamid: `wamid.${row.position}`, callbackId: null, status: 'read' as const, at: t0 + done * 10 + 5_000 })),
      )
      done += rows.length
    }
    const file = path.join(dir, 'report.xlsx')
    const started = performance.now()
    await writeCampaignReport(store, campaign.id, 'xlsx', 'es', createWriteStream(file), { timeZone: 'America/Bogota' })
    const seconds = (performance.now() - started) / 1_000
    return {
      xlsxReportSec100k: Number(seconds.toFixed(3)),
      recipients: size,
      fileMb: Number(((await stat(file)).size / 1024 / 1024).toFixed(1)),
    }
  } finally {
    await store.close()
    await rm(dir, { recursive: true, force: true })
  }
}
