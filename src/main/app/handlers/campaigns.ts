// Campaigns: create (the seed's POST /api/campaigns/create), list, status, pause/resume/cancel, the
// recipient table, error breakdown, estimates and a test send.

import { randomBytes } from 'node:crypto'
import type { Handlers } from '../dispatch'
import type { AppServices } from '../index'
import type { CampaignStatusView } from '../../../shared/contract'
import { AppError } from '../../../shared/errors'
import { accountTier, type Campaign, type SeedContact, type TemplateSpec } from '../../../shared/types'
import { buildTemplatePayload } from '../../whatsapp/templatePayload'
import { normalizePhone } from '../../contacts/phone'
import { credentialsFor, resolveAccount } from '../credentials'
import { graphFailure, unreachable } from '../graphFailure'
import { Audience } from '../campaignAudience'
import { CREATE_BATCH, createCampaign, inBatches } from '../createCampaign'
import { enrichFromApproved, toTemplateSpec } from '../templateInput'
import { daysNeeded, estimateDurationSec } from '../estimate'
import type { Account } from '../../../shared/types'
import type { EngineResult } from '../../engine/types'

const DAY_MS = 24 * 60 * 60 * 1000

/** The engine answers with data; the contract speaks in AppErrors (409 carries the current status). */
function engineValue<T>(result: EngineResult<T>): T {
  if (result.ok) return result.value
  const { error } = result
  if (error.code === 'invalid_transition') throw new AppError('invalid_transition', error.message, { status: error.status })
  throw new AppError('not_found', error.message)
}
export const CREATED_MESSAGE = 'Campaña creada y procesándose en segundo plano'

/** `cmp_<ms>_<random>` like the seed's batch ids. */
export const newBatchId = (): string => `cmp_${Date.now()}_${randomBytes(4).toString('hex').slice(0, 6)}`

export function campaignHandlers(
  s: AppServices,
): Pick<
  Handlers,
  | 'campaigns.create'
  | 'campaigns.list'
  | 'campaigns.get'
  | 'campaigns.pause'
  | 'campaigns.resume'
  | 'campaigns.cancel'
  | 'campaigns.resendUncertain'
  | 'campaigns.retryFailed'
  | 'campaigns.recipients'
  | 'campaigns.errors'
  | 'campaigns.estimate'
  | 'campaigns.sendTest'
  | 'templates.list'
> {
  async function own(userId: string, id: string): Promise<Campaign> {
    const campaign = await s.store.campaigns.get(id, userId)
    if (!campaign) throw new AppError('not_found', `Campaign ${id} not found`)
    return campaign
  }

  /** The spec, checked against the account's approved templates when Meta (or the simulator) answers. */
  async function checkedTemplate(account: Account, input: unknown): Promise<TemplateSpec> {
    const spec = toTemplateSpec(input)
    let approved
    try {
      approved = await s.templates.get(await credentialsFor(s, account))
    } catch (error) {
      s.log.warn({ err: error, accountId: account.id }, 'template list unavailable; sending without the parameter check')
      return spec
    }
    const match = approved.find((t) => t.name === spec.name && t.language === spec.language)
    if (!match) {
      const languages = approved.filter((t) => t.name === spec.name).map((t) => t.language)
      const hint = languages.length ? ` It exists in: ${languages.join(', ')}.` : ''
      throw new AppError('invalid_args', `template: "${spec.name}" in "${spec.language}" is not a template of this WhatsApp account.${hint}`, { field: 'template.name' })
    }
    if (match.status !== 'APPROVED') {
      throw new AppError('invalid_args', `template: "${spec.name}" is ${match.status}, not APPROVED: WhatsApp will refuse it.`, { field: 'template.name' })
    }
    return enrichFromApproved(spec, match)
  }

  return {
    async 'templates.list'(ctx, { accountId, refresh }) {
      const account = await resolveAccount(s, ctx.userId, accountId)
      try {
        return await s.templates.get(await credentialsFor(s, account), { refresh })
      } catch (error) {
        throw graphFailure(s.log, error, (meta) => new AppError('graph_error', `Could not load the templates: ${meta.message}`, { metaCode: meta.code }))
      }
    },

    async 'campaigns.create'(ctx, args) {
      const account = await resolveAccount(s, ctx.userId, args.accountId)
      const template = await checkedTemplate(account, args.template)
      const audience = new Audience(s.store, account, template)
      const contacts = args.importId
        ? s.imports.batches(ctx.userId, args.importId, CREATE_BATCH)
        : inBatches(args.contacts as SeedContact[])
      const scheduled = args.scheduledAt && Date.parse(args.scheduledAt) > Date.now()
      const settings = await s.store.settings.get<{ defaultPacing?: Campaign['pacing'] }>(`user:${ctx.userId}:settings`)
      const campaign = await createCampaign(
        s.store,
        {
          userId: ctx.userId,
          accountId: account.id,
          campaignName: args.campaignName,
          batchId: args.batchId ?? newBatchId(),
          template,
          pacing: args.pacing ?? settings?.defaultPacing ?? { kind: 'seed' },
          status: scheduled ? 'scheduled' : 'pending',
          resumeAt: scheduled ? new Date(Date.parse(args.scheduledAt as string)).toISOString() : null,
        },
        audience,
        contacts,
      )
      s.log.info({ campaignId: campaign.id, total: campaign.contactsCount, skipped: audience.skipped }, 'campaign created')
      if (s.engineActive) engineValue(await s.engine.run(campaign.id, ctx.userId))
      return {
        ok: true as const,
        campaignId: campaign.id,
        status: campaign.status,
        total: campaign.contactsCount,
        willSend: campaign.contactsCount - campaign.skippedCount,
        message: CREATED_MESSAGE,
        skipped: audience.skipped,
      }
    },

    async 'campaigns.list'(ctx, query) {
      return (await s.store.campaigns.list(ctx.userId, query)).map((campaign) => s.engine.withLiveCounters(campaign))
    },

    async 'campaigns.get'(ctx, { id }): Promise<CampaignStatusView> {
      const campaign = s.engine.withLiveCounters(await own(ctx.userId, id))
      return { ...campaign, _id: campaign.id, inMemory: s.engine.liveStats(id) }
    },

    async 'campaigns.pause'(ctx, { id }) {
      return engineValue(await s.engine.pause(id, ctx.userId))
    },
    async 'campaigns.resume'(ctx, { id }) {
      return engineValue(await s.engine.resume(id, ctx.userId))
    },
    async 'campaigns.cancel'(ctx, { id }) {
      return engineValue(await s.engine.cancel(id, ctx.userId))
    },
    async 'campaigns.resendUncertain'(ctx, { id }) {
      return { requeued: engineValue(await s.engine.resendUncertain(id, ctx.userId)).requeued }
    },
    async 'campaigns.retryFailed'(ctx, { id }) {
      return { requeued: engineValue(await s.engine.retryFailed(id, ctx.userId)).requeued }
    },

    async 'campaigns.recipients'(ctx, { id, state, search, offset, limit }) {
      await own(ctx.userId, id)
      const [page, counts] = await Promise.all([
        s.store.ledger.page(id, { state, search, offset, limit }),
        s.store.ledger.stateCounts(id),
      ])
      return { ...page, counts }
    },
    async 'campaigns.errors'(ctx, { id }) {
      await own(ctx.userId, id)
      return s.store.ledger.errorBreakdown(id)
    },

    async 'campaigns.estimate'(ctx, { accountId, recipients, pacing }) {
      const account = await resolveAccount(s, ctx.userId, accountId)
      const tier = accountTier(account)
      const used = await s.store.ledger.uniqueRecipientsSince(account.id, Date.now() - DAY_MS)
      const remaining = tier.limit === null ? null : Math.max(0, tier.limit - used)
      return {
        recipients,
        durationSec: estimateDurationSec(pacing ?? { kind: 'seed' }, recipients, account.maxMessagesPerSecond),
        tierRemaining: remaining,
        tierLimit: tier.limit,
        tierSource: tier.source,
        days: daysNeeded(recipients, remaining ?? Infinity, tier.limit ?? Infinity),
      }
    },

    async 'campaigns.sendTest'(ctx, { accountId, to, template, contact }) {
      const account = await resolveAccount(s, ctx.userId, accountId)
      const phone = normalizePhone(to, account.defaultCountry)
      if (!phone.ok) throw new AppError('invalid_args', `to: ${phone.message}`, { field: 'to' })
      const spec = await checkedTemplate(account, template)
      const variables = contact ?? {}
      const payload = buildTemplatePayload(spec, { phone: phone.e164, name: variables.Nombre ?? variables.name ?? null, variables })
      if (!payload.ok) throw new AppError('invalid_args', `template: ${payload.detail}`, { field: 'template', reason: payload.reason })
      const result = await s.api.sendTemplate(await credentialsFor(s, account), phone.e164, payload.payload, 'test')
      if (result.ok) return { wamid: result.wamid }
      if (result.kind === 'network') throw unreachable(s.log, result.message)
      throw new AppError('graph_error', `WhatsApp did not accept the test message: (#${result.code}) ${result.message}`)
    },
  }
}
