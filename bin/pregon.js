#!/usr/bin/env node
// The `pregon` command: runs the CLI built by `npm run build` (out/cli).
const path = require('node:path')
const fs = require('node:fs')
const out = path.join(__dirname, '..', 'out', 'cli')
if (!['tuneV8.js', 'index.js'].every((file) => fs.existsSync(path.join(out, file)))) {
  console.error('pregon: not built yet. Run `npm run build` first.')
  process.exit(1)
}
// First, so V8 is tuned before the dependencies are loaded (see src/main/runtime/v8Tuning.ts).
require(path.join(out, 'tuneV8.js'))
require(path.join(out, 'index.js'))
