// Draws the tray icons (a coloured dot per state, 16 px and @2x 32 px) as PNGs with zlib: `node resources/tray/generate.mjs`.
import { Buffer } from 'node:buffer'
import { deflateSync } from 'node:zlib'
import { writeFileSync } from 'node:fs'
import { dirname, join } from 'node:path'
import { fileURLToPath } from 'node:url'

const states = {
  idle: [128, 128, 128],
  sending: [37, 211, 102],
  paused: [245, 158, 11],
  error: [220, 38, 38],
}

const crcTable = Array.from({ length: 256 }, (_, n) => {
  let c = n
  for (let k = 0; k < 8; k++) c = c & 1 ? 0xedb88320 ^ (c >>> 1) : c >>> 1
  return c >>> 0
})
const crc32 = (buf) => {
  let c = 0xffffffff
  for (const byte of buf) c = crcTable[(c ^ byte) & 0xff] ^ (c >>> 8)
  return (c ^ 0xffffffff) >>> 0
}
const chunk = (type, data) => {
  const length = Buffer.alloc(4)
  length.writeUInt32BE(data.length)
  const body = Buffer.concat([Buffer.from(type, 'ascii'), data])
  const crc = Buffer.alloc(4)
  crc.writeUInt32BE(crc32(body))
  return Buffer.concat([length, body, crc])
}

/** An anti-aliased disc with a white ring, so it reads on light and dark taskbars. */
function png(size, [r, g, b]) {
  const rows = []
  const center = (size - 1) / 2
  const outer = size / 2 - 0.5
  const ring = outer - size / 16
  for (let y = 0; y < size; y++) {
    const row = Buffer.alloc(1 + size * 4)
    for (let x = 0; x < size; x++) {
      const d = Math.hypot(x - center, y - center)
      const alpha = Math.max(0, Math.min(1, outer - d + 0.5))
      const inner = Math.max(0, Math.min(1, ring - d + 0.5))
      const o = 1 + x * 4
      row[o] = Math.round(255 + (r - 255) * inner)
      row[o + 1] = Math.round(255 + (g - 255) * inner)
      row[o + 2] = Math.round(255 + (b - 255) * inner)
      row[o + 3] = Math.round(alpha * 255)
    }
    rows.push(row)
  }
  const header = Buffer.alloc(13)
  header.writeUInt32BE(size, 0)
  header.writeUInt32BE(size, 4)
  header.set([8, 6, 0, 0, 0], 8) // 8-bit RGBA
  const signature = Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a])
  return Buffer.concat([signature, chunk('IHDR', header), chunk('IDAT', deflateSync(Buffer.concat(rows))), chunk('IEND', Buffer.alloc(0))])
}

const dir = dirname(fileURLToPath(import.meta.url))
for (const [state, colour] of Object.entries(states)) {
  writeFileSync(join(dir, `${state}.png`), png(16, colour))
  writeFileSync(join(dir, `${state}@2x.png`), png(32, colour))
}
