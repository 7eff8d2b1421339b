// `GET /api/campaigns/:id/report.(csv|xlsx|pdf)?lang=es|en&tz=America/Bogota`: the campaign report streamed as a download.

import { PassThrough } from 'node:stream'
import type { FastifyInstance } from 'fastify'
import type { App } from '../app'
import { describeZodError, reportSchema } from '../../shared/schemas'
import { REPORT_CONTENT_TYPES, reportFileName, writeCampaignReport } from '../reports'
import { errorBody } from './replies'

export function registerReportRoutes(server: FastifyInstance, app: App): void {
  server.get<{ Params: { id: string; format: string }; Querystring: { lang?: string; tz?: string } }>(
    '/api/campaigns/:id/report.:format',
    async (req, reply) => {
      const parsed = reportSchema.safeParse({ id: req.params.id, format: req.params.format, lang: req.query.lang, tz: req.query.tz })
      if (!parsed.success) {
        const { message, field } = describeZodError(parsed.error)
        return reply.code(400).send(errorBody('invalid_args', message, { field }))
      }
      const { id, format, lang, tz } = parsed.data
      const campaign = await app.store.campaigns.get(id, req.userId)
      if (!campaign) return reply.code(404).send(errorBody('not_found', `Campaign ${id} not found`))
      const body = new PassThrough()
      writeCampaignReport(app.store, id, format, lang, body, { userId: req.userId, timeZone: tz }).catch((error: unknown) => {
        app.log.error({ err: error, campaignId: id, format }, 'report failed while streaming')
        body.destroy(error instanceof Error ? error : new Error(String(error)))
      })
      return reply
        .type(REPORT_CONTENT_TYPES[format])
        .header('content-disposition', `attachment; filename="${reportFileName(campaign.campaignName, format)}"`)
        .send(body)
    },
  )
}
