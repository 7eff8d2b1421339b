// What kind of file the first bytes say it is: xlsx, old xls, binary junk, or text in which encoding.

import { isUtf8 } from 'node:buffer'

export type TextEncoding = 'utf8' | 'utf16le' | 'utf16be' | 'windows1252'

export type FileKind =
  | { kind: 'xlsx' }
  | { kind: 'text'; encoding: TextEncoding; bom: boolean }
  | { kind: 'old_excel' }
  | { kind: 'binary' }
  | { kind: 'empty' }

/** How many leading bytes the sniffers look at. */
export const SNIFF_BYTES = 64 * 1024

const ZIP = [0x50, 0x4b, 0x03, 0x04]
const OLE2 = [0xd0, 0xcf, 0x11, 0xe0, 0xa1, 0xb1, 0x1a, 0xe1]

function startsWith(sample: Uint8Array, magic: number[]): boolean {
  return magic.every((byte, i) => sample[i] === byte)
}

/** UTF-16 without a BOM: in Latin text every other byte is zero. */
function utf16WithoutBom(sample: Uint8Array): TextEncoding | null {
  const pairs = Math.min(sample.length >> 1, 4096)
  if (pairs < 2) return null
  let zeroEven = 0
  let zeroOdd = 0
  for (let i = 0; i < pairs; i++) {
    if (sample[2 * i] === 0) zeroEven++
    if (sample[2 * i + 1] === 0) zeroOdd++
  }
  if (zeroOdd > pairs * 0.4 && zeroEven < pairs * 0.05) return 'utf16le'
  if (zeroEven > pairs * 0.4 && zeroOdd < pairs * 0.05) return 'utf16be'
  return null
}

/** Valid UTF-8, forgiving a character cut in half at the end of the sample. */
function looksUtf8(sample: Uint8Array, isWholeFile: boolean): boolean {
  if (isUtf8(sample)) return true
  if (isWholeFile) return false
  for (let cut = 1; cut <= 3 && cut < sample.length; cut++) {
    if (isUtf8(sample.subarray(0, sample.length - cut))) return true
  }
  return false
}

/** Control characters other than tab/CR/LF (and NUL anywhere) mean it is not a text table. */
function looksBinary(sample: Uint8Array): boolean {
  let control = 0
  for (const byte of sample) {
    if (byte === 0) return true
    if (byte < 0x20 && byte !== 0x09 && byte !== 0x0a && byte !== 0x0d && byte !== 0x0c) control++
  }
  return control > sample.length * 0.01
}

export function sniffFile(sample: Uint8Array, isWholeFile: boolean): FileKind {
  if (sample.length === 0) return { kind: 'empty' }
  if (startsWith(sample, ZIP)) return { kind: 'xlsx' }
  if (startsWith(sample, OLE2)) return { kind: 'old_excel' }
  if (startsWith(sample, [0xef, 0xbb, 0xbf])) return { kind: 'text', encoding: 'utf8', bom: true }
  if (startsWith(sample, [0xff, 0xfe])) return { kind: 'text', encoding: 'utf16le', bom: true }
  if (startsWith(sample, [0xfe, 0xff])) return { kind: 'text', encoding: 'utf16be', bom: true }
  const utf16 = utf16WithoutBom(sample)
  if (utf16) return { kind: 'text', encoding: utf16, bom: false }
  if (looksBinary(sample)) return { kind: 'binary' }
  // Not UTF-8: Excel's "CSV" on a Spanish Windows writes Windows-1252 (a superset of Latin-1 for text).
  return { kind: 'text', encoding: looksUtf8(sample, isWholeFile) ? 'utf8' : 'windows1252', bom: false }
}
