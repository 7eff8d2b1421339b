// Draws the tray icons (a coloured dot per state, 16 px and @2x 32 px) as PNGs: `node resources/tray/generate.mjs`.
import { writeFileSync } from 'node:fs'
import { dirname, join } from 'node:path'
import { fileURLToPath } from 'node:url'
import { encodePng } from '../../scripts/png.mjs'

const states = {
  idle: [128, 128, 128],
  sending: [37, 211, 102],
  paused: [245, 158, 11],
  error: [220, 38, 38],
}

/** An anti-aliased disc with a white ring, so it reads on light and dark taskbars. */
function png(size, [r, g, b]) {
  const rgba = new Uint8Array(size * size * 4)
  const center = (size - 1) / 2
  const outer = size / 2 - 0.5
  const ring = outer - size / 16
  for (let y = 0; y < size; y++) {
    for (let x = 0; x < size; x++) {
      const d = Math.hypot(x - center, y - center)
      const alpha = Math.max(0, Math.min(1, outer - d + 0.5))
      const inner = Math.max(0, Math.min(1, ring - d + 0.5))
      const o = (y * size + x) * 4
      rgba[o] = Math.round(255 + (r - 255) * inner)
      rgba[o + 1] = Math.round(255 + (g - 255) * inner)
      rgba[o + 2] = Math.round(255 + (b - 255) * inner)
      rgba[o + 3] = Math.round(alpha * 255)
    }
  }
  return encodePng({ width: size, height: size, rgba })
}

const dir = dirname(fileURLToPath(import.meta.url))
for (const [state, colour] of Object.entries(states)) {
  writeFileSync(join(dir, `${state}.png`), png(16, colour))
  writeFileSync(join(dir, `${state}@2x.png`), png(32, colour))
}
