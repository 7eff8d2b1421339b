// Phone numbers seen so far, for finding duplicates in a list of up to millions of contacts. An E.164
// number has at most 15 digits, so it is an exact integer in a double; keys live in Float64Arrays and
// values (a line, a position) in Uint32Arrays, open addressing with linear probing: 12 bytes a slot,
// ~20 MB for 1,000,000 numbers where a Map of them takes several times that on the V8 heap. The table
// is cut in 64 segments by hash that grow one at a time, so growing never holds a whole old table and
// a whole new one at once (that moment used to be the peak memory of a 1,000,000-row import).

const EMPTY = 0
const SEGMENT_BITS = 6
const MIN_SEGMENT = 64
/** Linear probing stays short up to three quarters full. */
const MAX_LOAD = 0.75
const TWO_32 = 2 ** 32

/** The E.164 string `+573001112233` as the integer key 573001112233. */
export const phoneKey = (e164: string): number => Number(e164.startsWith('+') ? e164.slice(1) : e164)

/** murmur3's finaliser: every input bit moves the bits the segments and slots are chosen by. */
function mix(key: number): number {
  let h = key % TWO_32 ^ Math.floor(key / TWO_32)
  h ^= h >>> 16
  h = Math.imul(h, 0x85ebca6b)
  h ^= h >>> 13
  h = Math.imul(h, 0xc2b2ae35)
  return (h ^ (h >>> 16)) >>> 0
}

class Segment {
  keys = new Float64Array(MIN_SEGMENT)
  values = new Uint32Array(MIN_SEGMENT)
  count = 0

  /** The slot holding `key`, or the empty slot where it would go. */
  slotOf(key: number, hash: number): number {
    const mask = this.keys.length - 1
    let at = hash & mask
    while (this.keys[at] !== EMPTY && this.keys[at] !== key) at = (at + 1) & mask
    return at
  }

  grow(): void {
    const { keys, values } = this
    this.keys = new Float64Array(keys.length * 2)
    this.values = new Uint32Array(keys.length * 2)
    for (let i = 0; i < keys.length; i++) {
      if (keys[i] === EMPTY) continue
      const at = this.slotOf(keys[i], mix(keys[i]))
      this.keys[at] = keys[i]
      this.values[at] = values[i]
    }
  }
}

export class PhoneMap {
  private readonly segments = Array.from({ length: 1 << SEGMENT_BITS }, () => new Segment())
  private count = 0

  get size(): number {
    return this.count
  }

  get(key: number): number | undefined {
    const hash = mix(key)
    const segment = this.segmentOf(hash)
    const at = segment.slotOf(key, hash)
    return segment.keys[at] === EMPTY ? undefined : segment.values[at]
  }

  /** Keeps the first value of a key: returns it when the key was already there, else stores `value`. */
  setIfAbsent(key: number, value: number): number | undefined {
    if (!(Number.isSafeInteger(key) && key > 0)) throw new RangeError(`${key} is not a phone number key`)
    const hash = mix(key)
    const segment = this.segmentOf(hash)
    const at = segment.slotOf(key, hash)
    if (segment.keys[at] !== EMPTY) return segment.values[at]
    segment.keys[at] = key
    segment.values[at] = value
    this.count++
    if (++segment.count > segment.keys.length * MAX_LOAD) segment.grow()
    return undefined
  }

  /** The top bits pick the segment; the low bits, used for the slot, stay independent of them. */
  private segmentOf(hash: number): Segment {
    return this.segments[hash >>> (32 - SEGMENT_BITS)]
  }
}
