// Every platform's app icon from one 1024 px source, resources/icon.png: `node scripts/icons.mjs`.
// Writes resources/icons/<n>x<n>.png (Linux), resources/icon.ico (Windows) and resources/icon.icns
// (macOS); the outputs are checked in, so packaging needs no image tools. Replace icon.png, rerun.
import { Buffer } from 'node:buffer'
import { mkdirSync, readFileSync, writeFileSync } from 'node:fs'
import { dirname, join } from 'node:path'
import { fileURLToPath } from 'node:url'
import { decodePng, encodePng } from './png.mjs'

const resources = join(dirname(fileURLToPath(import.meta.url)), '..', 'resources')
const LINUX_SIZES = [16, 24, 32, 48, 64, 128, 256, 512, 1024]
const ICO_SIZES = [16, 24, 32, 48, 64, 128, 256]
// ICNS element types holding PNG data, by pixel size (the @2x types repeat a size under another name).
const ICNS_TYPES = [
  ['icp4', 16],
  ['icp5', 32],
  ['icp6', 64],
  ['ic07', 128],
  ['ic08', 256],
  ['ic09', 512],
  ['ic10', 1024],
  ['ic11', 32],
  ['ic12', 64],
  ['ic13', 256],
  ['ic14', 512],
]

const source = decodePng(readFileSync(join(resources, 'icon.png')))
if (source.width !== source.height || source.width < 1024) throw new Error('resources/icon.png must be square, at least 1024 px')

const pngs = new Map()
const pngOf = (size) => {
  if (!pngs.has(size)) pngs.set(size, encodePng(resize(source, size)))
  return pngs.get(size)
}

mkdirSync(join(resources, 'icons'), { recursive: true })
for (const size of LINUX_SIZES) writeFileSync(join(resources, 'icons', `${size}x${size}.png`), pngOf(size))
writeFileSync(join(resources, 'icon.ico'), ico(ICO_SIZES.map((size) => [size, pngOf(size)])))
writeFileSync(join(resources, 'icon.icns'), icns(ICNS_TYPES.map(([type, size]) => [type, pngOf(size)])))
console.log('icons written: resources/icons/*.png, resources/icon.ico, resources/icon.icns')

/** Area-average downscale with premultiplied alpha, so edges neither darken nor fringe. */
function resize({ width, rgba }, size) {
  const scale = width / size
  const out = new Uint8Array(size * size * 4)
  const weights = Array.from({ length: size }, (_, d) => spans(d * scale, (d + 1) * scale))
  for (let dy = 0; dy < size; dy++) {
    for (let dx = 0; dx < size; dx++) {
      const sum = [0, 0, 0, 0]
      for (const [sy, wy] of weights[dy]) {
        for (const [sx, wx] of weights[dx]) {
          const i = (sy * width + sx) * 4
          const w = wx * wy
          const a = rgba[i + 3] * w
          sum[0] += rgba[i] * a
          sum[1] += rgba[i + 1] * a
          sum[2] += rgba[i + 2] * a
          sum[3] += a
        }
      }
      const o = (dy * size + dx) * 4
      const area = scale * scale
      if (sum[3] > 0) for (let c = 0; c < 3; c++) out[o + c] = Math.round(sum[c] / sum[3])
      out[o + 3] = Math.round(sum[3] / area)
    }
  }
  return { width: size, height: size, rgba: out }
}

/** Source pixels covering [from, to) and how much of each. */
function spans(from, to) {
  const result = []
  for (let s = Math.floor(from); s < Math.ceil(to); s++) result.push([s, Math.min(to, s + 1) - Math.max(from, s)])
  return result
}

/** Windows .ico with PNG-compressed images (Vista and later read them at every size). */
function ico(images) {
  const header = Buffer.alloc(6)
  header.writeUInt16LE(1, 2)
  header.writeUInt16LE(images.length, 4)
  let offset = 6 + 16 * images.length
  const entries = images.map(([size, png]) => {
    const entry = Buffer.alloc(16)
    entry[0] = size >= 256 ? 0 : size // 0 means 256
    entry[1] = size >= 256 ? 0 : size
    entry.writeUInt16LE(1, 4) // colour planes
    entry.writeUInt16LE(32, 6) // bits per pixel
    entry.writeUInt32LE(png.length, 8)
    entry.writeUInt32LE(offset, 12)
    offset += png.length
    return entry
  })
  return Buffer.concat([header, ...entries, ...images.map(([, png]) => png)])
}

/** macOS .icns: a big-endian list of (type, length, PNG) elements. */
function icns(elements) {
  const parts = elements.map(([type, png]) => {
    const head = Buffer.alloc(8)
    head.write(type, 0, 'ascii')
    head.writeUInt32BE(png.length + 8, 4)
    return Buffer.concat([head, png])
  })
  const head = Buffer.alloc(8)
  head.write('icns', 0, 'ascii')
  head.writeUInt32BE(8 + parts.reduce((n, p) => n + p.length, 0), 4)
  return Buffer.concat([head, ...parts])
}
