import { mkdtempSync } from 'node:fs'
import os from 'node:os'
import path from 'node:path'
import { randomBytes } from 'node:crypto'
import { afterEach, describe, expect, it } from 'vitest'
import { Audience } from '../../../src/main/app/campaignAudience'
import { createCampaign, inBatches } from '../../../src/main/app/createCampaign'
import { openSqliteStore } from '../../../src/main/store/sqlite'
import { createSecretBox } from '../../../src/main/store/secrets'
import type { Store } from '../../../src/main/store/ports'

let store: Store
afterEach(async () => store?.close())

async function account() {
  store = openSqliteStore({ dataDir: mkdtempSync(path.join(os.tmpdir(), 'pregon-aud-')), secrets: createSecretBox(randomBytes(32)) })
  const user = await store.users.ensureLocal()
  return store.accounts.create({ userId: user.id, label: 'Tienda', phoneNumberId: '111111', wabaId: '222222', accessToken: 'tok-1234', defaultCountry: 'CO' })
}

describe('the audience of a new campaign', () => {
  it('keeps every contact as a row and skips duplicates, bad numbers, opt-outs and missing variables with their reason', async () => {
    const acc = await account()
    await store.suppressions.add({ accountId: acc.id, phone: '+573001110004', reason: 'STOP', source: 'keyword' })
    const spec = { name: 'promo_verano', language: 'es', bodyParams: [{ type: 'text' as const, text: '{{Nombre}}' }, { type: 'text' as const, text: '{{Ciudad}}' }] }
    const audience = new Audience(store, acc, spec)
    // Two batches: a duplicate is found across them.
    const recipients = [
      ...(await audience.add([
        { numero: '300 111 0001', Nombre: 'Ana', Ciudad: 'Cali' },
        { numero: '+57 300 111 0002', Nombre: 'Pia', Ciudad: 'Cali' },
      ])),
      ...(await audience.add([
        { numero: '+57 300 111 0001', Nombre: 'Ana otra vez', Ciudad: 'Cali' },
        { numero: 'llamar luego', Nombre: 'Sin número', Ciudad: 'Cali' },
        { numero: '3001110003', Nombre: 'Luis' },
        { numero: '3001110004', Nombre: 'Eva', Ciudad: 'Pasto' },
        { numero: 573001110005, Nombre: 'Juan', Ciudad: 'Neiva' },
      ])),
    ]
    audience.finish()
    expect(recipients).toHaveLength(7)
    expect(audience.total).toBe(7)
    expect(recipients.map((r) => r.skipReason ?? null)).toEqual([null, null, 'duplicate', 'invalid_number', 'missing_variable', 'opted_out', null])
    expect(recipients[0]).toMatchObject({ phone: '+573001110001', name: 'Ana', variables: { Nombre: 'Ana', Ciudad: 'Cali' } })
    expect(recipients[6].phone).toBe('+573001110005')
    expect(audience.skipped).toEqual({ duplicate: 1, invalid_number: 1, missing_variable: 1, opted_out: 1 })
  })

  it('refuses, after the last batch, a column no contact fills, a list where nobody receives, and an empty list', async () => {
    const acc = await account()
    const spec = { name: 'promo', language: 'es', bodyParams: [{ type: 'text' as const, text: '{{Ciudad}}' }] }
    const noCity = new Audience(store, acc, spec)
    await noCity.add([{ numero: '3001110001', Nombre: 'Ana' }])
    await noCity.add([{ numero: '3001110002', Nombre: 'Luis', Barrio: 'Centro' }])
    expect(() => noCity.finish()).toThrow('template.bodyParams[0]: no contact has a value for {{Ciudad}}. Columns in the list: Nombre, Barrio.')

    const late = new Audience(store, acc, spec)
    await late.add([{ numero: '3001110001', Nombre: 'Ana' }])
    await late.add([{ numero: '3001110002', Ciudad: 'Cali' }])
    expect(() => late.finish()).not.toThrow()

    const nobody = new Audience(store, acc, spec)
    await nobody.add([{ numero: '123', Ciudad: 'Cali' }, { numero: 'abc', Ciudad: 'Cali' }])
    expect(() => nobody.finish()).toThrow('contacts: none of the 2 contacts can receive this campaign (2 invalid_number); fix the list or the mapping.')
    expect(() => new Audience(store, acc, spec).finish()).toThrow('contacts: the list is empty')
    expect(() => new Audience(store, acc, { ...spec, expectedBodyParams: 2 })).toThrow(/has 2 body parameters and the request fills 1/)
  })
})

describe('creating a campaign from a stream of contacts', () => {
  const input = (userId: string, accountId: string) => ({
    userId,
    accountId,
    campaignName: 'Grande',
    batchId: 'b',
    template: { name: 'promo', language: 'es' },
    pacing: { kind: 'off' as const },
    status: 'pending' as const,
  })
  const contacts = (n: number) => Array.from({ length: n }, (_, i) => ({ numero: `+57300${String(1_000_000 + i)}`, Nombre: `C${i}` }))

  it('appends batch after batch and seals once the list is read', async () => {
    const acc = await account()
    const spec = { name: 'promo', language: 'es' }
    const campaign = await createCampaign(store, input(acc.userId, acc.id), new Audience(store, acc, spec), inBatches(contacts(12), 5))
    expect(campaign).toMatchObject({ status: 'pending', contactsCount: 12, skippedCount: 0 })
    const { rows } = await store.ledger.page(campaign.id, { offset: 10, limit: 5 })
    expect(rows.map((r) => [r.position, r.phone])).toEqual([
      [10, '+573001000010'],
      [11, '+573001000011'],
    ])
  })

  it('leaves nothing behind when the list turns out unsendable or breaks off midway', async () => {
    const acc = await account()
    const spec = { name: 'promo', language: 'es', bodyParams: [{ type: 'text' as const, text: '{{Ciudad}}' }] }
    await expect(createCampaign(store, input(acc.userId, acc.id), new Audience(store, acc, spec), inBatches(contacts(12), 5))).rejects.toThrow(/no contact has a value for \{\{Ciudad\}\}/)
    async function* breaksOff() {
      yield contacts(3).map((c) => ({ ...c, Ciudad: 'Cali' }))
      throw new Error('disk unplugged')
    }
    await expect(createCampaign(store, input(acc.userId, acc.id), new Audience(store, acc, spec), breaksOff())).rejects.toThrow('disk unplugged')
    expect(await store.campaigns.discardUnsealed()).toBe(0)
    expect(await store.campaigns.list(acc.userId, { limit: 50 })).toEqual([])
  })
})
