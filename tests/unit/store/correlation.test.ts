// Correlating a status without a known wamid: signed callback data and the sender and recipient it must name.

import { describe, expect, it } from 'vitest'
import { callbackDataFor, isAddressedTo, isFromAnotherSender, newCallbackKey, rowIdFromCallback } from '../../../src/main/store/correlation'

const key = newCallbackKey()
const row = { phoneNumberId: '1111', phone: '+573001234567', waId: null }

describe('callback data', () => {
  it('gives back the row id it signed, and nothing for a bare id, another key or a changed byte', () => {
    const data = callbackDataFor(key, '42')
    expect(data).toMatch(/^42\.[\w-]{22}$/)
    expect(rowIdFromCallback(key, data)).toBe('42')
    expect(rowIdFromCallback(key, '42')).toBeNull()
    expect(rowIdFromCallback(newCallbackKey(), data)).toBeNull()
    expect(rowIdFromCallback(key, data.replace(/^42/, '43'))).toBeNull()
    const flipped = data.slice(0, -1) + (data.endsWith('A') ? 'B' : 'A')
    expect(rowIdFromCallback(key, flipped)).toBeNull()
  })

  it('reads nothing out of empty, short, long or malformed data', () => {
    const mac = callbackDataFor(key, '7').split('.')[1]
    for (const bad of [null, undefined, '', '.', `.${mac}`, '7.', '7.abc', `7.${mac}AA`, `7.${mac}=`, `7.${mac}!`, `07.${mac}`, `7.${mac.slice(0, 21)}`, 'x'.repeat(600)]) {
      expect(rowIdFromCallback(key, bad)).toBeNull()
    }
  })
})

describe('isAddressedTo', () => {
  it('needs the row’s sender and its recipient, both named', () => {
    expect(isAddressedTo(row, { phoneNumberId: '1111', recipientWaId: '573001234567' })).toBe(true)
    expect(isAddressedTo(row, { phoneNumberId: '2222', recipientWaId: '573001234567' })).toBe(false)
    expect(isAddressedTo(row, { phoneNumberId: null, recipientWaId: '573001234567' })).toBe(false)
    expect(isAddressedTo(row, { phoneNumberId: '1111', recipientWaId: '573001234568' })).toBe(false)
    expect(isAddressedTo(row, { phoneNumberId: '1111' })).toBe(false)
    expect(isAddressedTo({ ...row, phoneNumberId: null }, { phoneNumberId: '1111', recipientWaId: '573001234567' })).toBe(false)
  })

  it('accepts the WhatsApp id Meta answered with, and the forms Meta rewrites Mexican and Brazilian numbers to', () => {
    expect(isAddressedTo({ ...row, waId: '573009999999' }, { phoneNumberId: '1111', recipientWaId: '573009999999' })).toBe(true)
    expect(isAddressedTo({ ...row, phone: '+525512345678' }, { phoneNumberId: '1111', recipientWaId: '5215512345678' })).toBe(true)
    expect(isAddressedTo({ ...row, phone: '+5215512345678' }, { phoneNumberId: '1111', recipientWaId: '525512345678' })).toBe(true)
    expect(isAddressedTo({ ...row, phone: '+5511987654321' }, { phoneNumberId: '1111', recipientWaId: '551187654321' })).toBe(true)
    expect(isAddressedTo({ ...row, phone: '+551187654321' }, { phoneNumberId: '1111', recipientWaId: '5511987654321' })).toBe(true)
    expect(isAddressedTo({ ...row, phone: '+5511987654321' }, { phoneNumberId: '1111', recipientWaId: '551187654322' })).toBe(false)
  })
})

describe('isFromAnotherSender', () => {
  it('refuses only a status that names a sender other than the row’s', () => {
    expect(isFromAnotherSender(row, { phoneNumberId: '2222' })).toBe(true)
    expect(isFromAnotherSender(row, { phoneNumberId: '1111' })).toBe(false)
    expect(isFromAnotherSender(row, { phoneNumberId: null })).toBe(false)
    // The account was removed: its sender is unknown, and the wamid alone still says the message was ours.
    expect(isFromAnotherSender({ ...row, phoneNumberId: null }, { phoneNumberId: '2222' })).toBe(false)
  })
})
