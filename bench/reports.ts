// Report benchmark: the Excel report of a 100,000-recipient campaign read from a real SQLite ledger.

import { createWriteStream } from 'node:fs'
import { stat } from 'node:fs/promises'
import path from 'node:path'
import { writeCampaignReport } from '../src/main/reports'
import type { NewRecipient, SendOutcome } from '../src/main/store/ports'
import { openBenchStore } from './benchStore'

export interface XlsxReportBench {
  xlsxReportSec100k: number
  recipients: number
  fileMb: number
}

/** Builds a finished campaign (sent, delivered, read, failed rows) and times only the report. */
export async function benchXlsxReport100k(size = 100_000): Promise<XlsxReportBench> {
  const bench = await openBenchStore('report')
  const { store } = bench
  try {
    const recipients: NewRecipient[] = Array.from({ length: size }, (_, i) => ({
      phone: `+573${String(i).padStart(9, '0')}`,
      name: `Cliente ${i}`,
      variables: { Nombre: `Cliente ${i}`, Ciudad: 'Bogotá' },
    }))
    const campaign = await bench.newCampaign('bench report', recipients)
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
    const file = path.join(bench.dir, 'report.xlsx')
    const started = performance.now()
    await writeCampaignReport(store, campaign.id, 'xlsx', 'es', createWriteStream(file), { timeZone: 'America/Bogota' })
    const seconds = (performance.now() - started) / 1_000
    return {
      xlsxReportSec100k: Number(seconds.toFixed(3)),
      recipients: size,
      fileMb: Number(((await stat(file)).size / 1024 / 1024).toFixed(1)),
    }
  } finally {
    await bench.close()
  }
}
