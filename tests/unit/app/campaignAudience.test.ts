import { mkdtempSync } from 'node:fs'
import os from 'node:os'
import path from 'node:path'
import { randomBytes } from 'node:crypto'
import { afterEach, describe, expect, it } from 'vitest'
import { buildAudience } from '../../../src/main/app/campaignAudience'
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
    const { recipients, skipped } = await buildAudience(store, acc, spec, [
      { numero: '300 111 0001', Nombre: 'Ana', Ciudad: 'Cali' },
      { numero: '+57 300 111 0001', Nombre: 'Ana otra vez', Ciudad: 'Cali' },
      { numero: 'llamar luego', Nombre: 'Sin número', Ciudad: 'Cali' },
      { numero: '3001110003', Nombre: 'Luis' },
      { numero: '3001110004', Nombre: 'Eva', Ciudad: 'Pasto' },
      { numero: 573001110005, Nombre: 'Juan', Ciudad: 'Neiva' },
    ])
    expect(recipients).toHaveLength(6)
    expect(recipients.map((r) => r.skipReason ?? null)).toEqual([null, 'duplicate', 'invalid_number', 'missing_variable', 'opted_out', null])
    expect(recipients[0]).toMatchObject({ phone: '+573001110001', name: 'Ana', variables: { Nombre: 'Ana', Ciudad: 'Cali' } })
    expect(recipients[5].phone).toBe('+573001110005')
    expect(skipped).toEqual({ duplicate: 1, invalid_number: 1, missing_variable: 1, opted_out: 1 })
  })
})
