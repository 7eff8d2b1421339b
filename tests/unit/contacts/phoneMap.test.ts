import fc from 'fast-check'
import { describe, expect, it } from 'vitest'
import { PhoneMap, phoneKey } from '../../../src/main/contacts/phoneMap'

describe('PhoneMap', () => {
  it('answers like a Map that keeps the first value of each number, through growth', () => {
    // Real-looking numbers (7–15 digits) and many repeats, so both probing and growth are exercised.
    const phone = fc.oneof(fc.integer({ min: 1_000_000, max: 1_000_400 }), fc.integer({ min: 1_000_000, max: Number.MAX_SAFE_INTEGER }).map((n) => n % 1e15 || 1))
    fc.assert(
      fc.property(fc.array(phone, { maxLength: 3_000 }), (keys) => {
        const compact = new PhoneMap()
        const reference = new Map<number, number>()
        keys.forEach((key, line) => {
          expect(compact.setIfAbsent(key, line)).toBe(reference.get(key))
          if (!reference.has(key)) reference.set(key, line)
        })
        expect(compact.size).toBe(reference.size)
        for (const [key, line] of reference) expect(compact.get(key)).toBe(line)
        expect(compact.get(999)).toBeUndefined()
      }),
      { numRuns: 60 },
    )
  })

  it('reads E.164 with or without its plus, and refuses what is not a number', () => {
    expect(phoneKey('+573001112233')).toBe(573001112233)
    expect(phoneKey('573001112233')).toBe(573001112233)
    const map = new PhoneMap()
    expect(() => map.setIfAbsent(phoneKey('+57 300'), 1)).toThrow(/not a phone number key/)
    expect(() => map.setIfAbsent(0, 1)).toThrow(/not a phone number key/)
  })
})
