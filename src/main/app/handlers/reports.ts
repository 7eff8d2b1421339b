// reports.save: the desktop's "Export" writes a campaign report where the owner chose (native dialog).

import { createWriteStream, statSync } from 'node:fs'
import { once } from 'node:events'
import path from 'node:path'
import type { Handlers } from '../dispatch'
import type { AppServices } from '../index'
import { AppError } from '../../../shared/errors'

export function reportHandlers(s: AppServices): Pick<Handlers, 'reports.save'> {
  return {
    async 'reports.save'(ctx, { id, format, lang, tz, path: target }) {
      const campaign = await s.store.campaigns.get(id, ctx.userId)
      if (!campaign) throw new AppError('not_found', `Campaign ${id} not found`)
      if (s.config.mode !== 'desktop') {
        throw new AppError('invalid_args', `path: download the report from GET /api/campaigns/${id}/report.${format} instead`, { field: 'path' })
      }
      if (!target) throw new AppError('invalid_args', 'path: choose where to save the report', { field: 'path' })
      // Loaded on first use: exceljs and pdfkit weigh ~50 MB that sending never needs.
      const { writeCampaignReport } = await import('../../reports')
      const out = createWriteStream(target)
      await writeCampaignReport(s.store, id, format, lang, out, { userId: ctx.userId, timeZone: tz })
      if (!out.writableFinished) await once(out, 'finish')
      return { path: target, bytes: statSync(target).size, fileName: path.basename(target) }
    },
  }
}
