// normalizePhone and splitPhones: the ways people and Excel write numbers, and the reasons for refusing them.
import { describe, expect, it } from 'vitest'
import { normalizePhone, splitPhones } from '../../../src/main/contacts/phone'

describe('normalizePhone', () => {
  it.each([
    ['+57 300 123 4567', 'CO', '+573001234567'],
    ['(300) 123-4567', 'CO', '+573001234567'],
    ['300-123-4567', 'CO', '+573001234567'],
    ['573001234567', 'CO', '+573001234567'],
    ['0057 300 123 4567', 'CO', '+573001234567'],
    ['Cel: 300 123 4567', 'CO', '+573001234567'],
    ['11 91234-5678', 'BR', '+5511912345678'],
    ['55 1234 5678', 'MX', '+525512345678'],
  ])('turns %s (default %s) into %s', (input, country, e164) => {
    const result = normalizePhone(input, country)
    expect(result).toMatchObject({ ok: true, e164 })
  })

  it('reads a number Excel stored as a number', () => {
    expect(normalizePhone(573001234567, 'CO')).toMatchObject({ ok: true, e164: '+573001234567', type: 'MOBILE' })
    expect(normalizePhone(3001234567, 'CO')).toMatchObject({ ok: true, e164: '+573001234567' })
  })

  it('refuses scientific notation because the last digits were lost', () => {
    const result = normalizePhone('5.73001E+11', 'CO')
    expect(result).toMatchObject({ ok: false, reason: 'scientific_notation' })
    if (!result.ok) expect(result.message).toMatch(/scientific notation/)
    expect(normalizePhone('5,73001E+11', 'CO')).toMatchObject({ ok: false, reason: 'scientific_notation' })
  })

  it('refuses numbers too large to be stored exactly and numbers with decimals', () => {
    expect(normalizePhone(5.73001e20, 'CO')).toMatchObject({ ok: false, reason: 'scientific_notation' })
    expect(normalizePhone(3001234.5, 'CO')).toMatchObject({ ok: false, reason: 'not_a_number' })
  })

  it('refuses letters, and explains short, long and empty numbers', () => {
    expect(normalizePhone('300 ABC 4567', 'CO')).toMatchObject({ ok: false, reason: 'letters' })
    expect(normalizePhone('300 123 4', 'CO')).toMatchObject({ ok: false, reason: 'too_short' })
    expect(normalizePhone('300 123 4567 8901', 'CO')).toMatchObject({ ok: false, reason: 'too_long' })
    expect(normalizePhone('   ', 'CO')).toMatchObject({ ok: false, reason: 'empty_phone' })
    expect(normalizePhone('---', 'CO')).toMatchObject({ ok: false, reason: 'not_a_number' })
  })

  it('warns that a landline or a toll-free number usually has no WhatsApp, but keeps it', () => {
    expect(normalizePhone('601 234 5678', 'CO')).toMatchObject({ ok: true, e164: '+576012345678', type: 'FIXED_LINE', warning: 'fixed_line' })
    expect(normalizePhone('+1 800 555 0199', 'CO')).toMatchObject({ ok: true, type: 'TOLL_FREE', warning: 'not_mobile' })
  })

  it('keeps an extension out of the number', () => {
    expect(normalizePhone('601 234 5678 ext 12', 'CO')).toMatchObject({ ok: true, e164: '+576012345678' })
  })

  it("drops Mexico's abolished mobile 1 with a warning, and a trunk 0 written after the country code", () => {
    expect(normalizePhone('+52 1 55 1234 5678', 'CO')).toMatchObject({ ok: true, e164: '+525512345678', warning: 'prefix_fixed' })
    expect(normalizePhone('00 52 1 55 1234 5678', 'CO')).toMatchObject({ ok: true, e164: '+525512345678' })
    expect(normalizePhone('+44 (0)20 7946 0958', 'CO')).toMatchObject({ ok: true, e164: '+442079460958' })
  })

  it('knows Brazilian mobiles by their ninth digit', () => {
    expect(normalizePhone('+55 11 91234-5678', 'CO')).toMatchObject({ ok: true, type: 'MOBILE' })
  })

  it('throws a clear error for an unknown default country', () => {
    expect(() => normalizePhone('3001234567', 'XX')).toThrow(/Unknown default country "XX"/)
  })
})

describe('splitPhones', () => {
  it('splits the separators people use between numbers and keeps dashes and spaces inside one', () => {
    expect(splitPhones('300 123 4567 / 310-765-4321')).toEqual(['300 123 4567', '310-765-4321'])
    expect(splitPhones('+57 300 111 2233 ::: +57 601 234 5678')).toEqual(['+57 300 111 2233', '+57 601 234 5678'])
    expect(splitPhones('3001234567; 3107654321\n3152223344')).toEqual(['3001234567', '3107654321', '3152223344'])
    expect(splitPhones('3001234567 y 3107654321')).toEqual(['3001234567', '3107654321'])
    expect(splitPhones(573001234567)).toEqual(['573001234567'])
    expect(splitPhones('')).toEqual([])
    expect(splitPhones(null)).toEqual([])
  })
})
