// The seed's REST routes (same paths and shapes) and `POST /api/<method>` for every method of the typed contract.

import type { FastifyInstance, FastifyRequest } from 'fastify'
import type { App } from '../app'
import type { AccountView, ApiMethod } from '../../shared/contract'
import type { ApiResult } from '../../shared/errors'
import { accountInputSchema, describeZodError } from '../../shared/schemas'
import type { Campaign } from '../../shared/types'
import { errorBody, parseJsonBody, sendResult, sendSeed } from './replies'

/** The seed's list limit: default 50, at most 200. Larger values are clamped to 200, not refused. */
export const LIST_LIMIT_MAX = 200

const SEED_ACTIONS = ['pause', 'resume', 'cancel'] as const

export function registerSeedRoutes(server: FastifyInstance, app: App): void {
  const call = (req: FastifyRequest, method: ApiMethod | string, args: unknown): Promise<ApiResult<unknown>> =>
    app.dispatch({ userId: req.userId, operator: req.operator }, method, args)

  server.post('/api/campaigns/create', async (req, reply) => {
    const body = parseJsonBody(req.body)
    if (!body.ok) return reply.code(400).send(errorBody('invalid_args', body.message))
    return sendSeed(reply, await call(req, 'campaigns.create', body.value), (value) => value)
  })

  server.get('/api/campaigns', async (req, reply) => {
    const query: Record<string, unknown> = {}
    for (const [name, value] of Object.entries(req.query as Record<string, unknown>)) {
      if (value !== '') query[name] = value
    }
    const limit = Number(query.limit)
    if (query.limit !== undefined && Number.isInteger(limit) && limit > LIST_LIMIT_MAX) query.limit = LIST_LIMIT_MAX
    const result = (await call(req, 'campaigns.list', query)) as ApiResult<Campaign[]>
    return sendSeed(reply, result, (campaigns) => ({ ok: true, campaigns, count: campaigns.length }))
  })

  server.get<{ Params: { id: string } }>('/api/campaigns/:id/status', async (req, reply) => {
    return sendSeed(reply, await call(req, 'campaigns.get', { id: req.params.id }), (view) => view)
  })

  for (const action of SEED_ACTIONS) {
    server.post<{ Params: { id: string } }>(`/api/campaigns/:id/${action}`, async (req, reply) => {
      const result = (await call(req, `campaigns.${action}`, { id: req.params.id })) as ApiResult<Campaign>
      return sendSeed(reply, result, (campaign) => ({ ok: true, campaignId: campaign.id, status: campaign.status, campaign }))
    })
  }

  server.get('/api/user/meta-credentials', async (req, reply) => {
    const accounts = (await call(req, 'accounts.list', {})) as ApiResult<AccountView[]>
    if (!accounts.ok) return sendResult(reply, accounts)
    const settings = await call(req, 'settings.get', {})
    const defaultId = settings.ok ? (settings.value as { defaultAccountId: string | null }).defaultAccountId : null
    const account =
      accounts.value.find((a) => a.id === defaultId) ?? accounts.value.find((a) => !a.simulated) ?? accounts.value[0]
    if (!account) {
      return {
        ok: true,
        configured: false,
        message: 'No WhatsApp account yet: PUT /api/user/meta-credentials with phoneNumberId, wabaId and accessToken.',
      }
    }
    return credentialsView(account)
  })

  server.put('/api/user/meta-credentials', async (req, reply) => {
    const body = parseJsonBody(req.body)
    if (!body.ok) return reply.code(400).send(errorBody('invalid_args', body.message))
    const input = accountInputSchema.safeParse(body.value)
    if (!input.success) {
      const { message, field } = describeZodError(input.error)
      return reply.code(400).send(errorBody('invalid_args', message, { field }))
    }
    const accounts = (await call(req, 'accounts.list', {})) as ApiResult<AccountView[]>
    if (!accounts.ok) return sendResult(reply, accounts)
    const existing = accounts.value.find((a) => a.phoneNumberId === input.data.phoneNumberId && !a.simulated)
    // Both paths ask the Graph API first; a refusal comes back as graph_error with Meta's reason.
    const { label, accessToken, wabaId, maxMessagesPerSecond } = input.data
    // The schema defaults the country; an update keeps the stored one unless the body names one.
    const { defaultCountry } = body.value as { defaultCountry?: string }
    const result = (existing
      ? await call(req, 'accounts.update', { id: existing.id, label, accessToken, wabaId, defaultCountry, maxMessagesPerSecond })
      : await call(req, 'accounts.add', body.value)) as ApiResult<AccountView>
    return sendSeed(reply, result, credentialsView)
  })

  server.post<{ Params: { method: string } }>('/api/:method', async (req, reply) => {
    const body = parseJsonBody(req.body)
    if (!body.ok) return reply.code(400).send(errorBody('invalid_args', body.message))
    return sendResult(reply, await call(req, req.params.method, body.value))
  })
}

/** The seed's meta-credentials document: never the token, only its last characters. */
function credentialsView(account: AccountView) {
  return {
    ok: true,
    configured: true,
    accountId: account.id,
    label: account.label,
    phoneNumberId: account.phoneNumberId,
    wabaId: account.wabaId,
    accessToken: account.accessTokenHint,
    verifiedName: account.verifiedName,
    displayPhoneNumber: account.displayPhoneNumber,
    qualityRating: account.qualityRating,
    messagingLimitTier: account.messagingLimitTier,
    messagingTier: account.messagingTier,
    throughputLevel: account.throughputLevel,
    maxMessagesPerSecond: account.maxMessagesPerSecond,
    validatedAt: account.validatedAt,
  }
}
