#!/usr/bin/env node
// The `pregon` command: runs the CLI built by `npm run build` (out/cli).
const path = require('node:path')
const fs = require('node:fs')
const entry = path.join(__dirname, '..', 'out', 'cli', 'index.js')
if (!fs.existsSync(entry)) {
  console.error('pregon: not built yet. Run `npm run build` first.')
  process.exit(1)
}
require(entry)
