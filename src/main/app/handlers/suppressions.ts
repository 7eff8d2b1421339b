// The opt-out list per account: numbers every later campaign skips.

import type { Handlers } from '../dispatch'
import type { AppServices } from '../index'
import { AppError } from '../../../shared/errors'
import { resolveAccount } from '../credentials'
import { normalizePhone } from '../../contacts/phone'

export function suppressionHandlers(s: AppServices): Pick<Handlers, 'suppressions.list' | 'suppressions.add' | 'suppressions.remove'> {
  async function e164(userId: string, accountId: string | undefined, phone: string) {
    const account = await resolveAccount(s, userId, accountId)
    const normalized = normalizePhone(phone, account.defaultCountry)
    if (!normalized.ok) throw new AppError('invalid_args', `phone: ${normalized.message}`, { field: 'phone' })
    return { account, phone: normalized.e164 }
  }
  return {
    async 'suppressions.list'(ctx, { accountId }) {
      const account = await resolveAccount(s, ctx.userId, accountId)
      return (await s.store.suppressions.list(account.id)).map(({ phone, reason, source, createdAt }) => ({ phone, reason, source, createdAt }))
    },
    async 'suppressions.add'(ctx, { accountId, phone }) {
      const target = await e164(ctx.userId, accountId, phone)
      return { added: await s.store.suppressions.add({ accountId: target.account.id, phone: target.phone, reason: 'added by hand', source: 'manual' }) }
    },
    async 'suppressions.remove'(ctx, { accountId, phone }) {
      const target = await e164(ctx.userId, accountId, phone)
      return { removed: await s.store.suppressions.remove(target.account.id, target.phone) }
    },
  }
}
