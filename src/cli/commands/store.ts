// `pregon store copy --from <data folder | mongodb URI> --to <…>`: moves a whole installation between stores,
// resumable (run it again after a stop) and verified (count and checksum per collection, printed).

import type { Command } from 'commander'
import { copyInstallation, type StoreCopyResult } from '../../main/app/storeCopy'

export function registerStore(program: Command): void {
  const store = program.command('store').description('where Pregón keeps its data: copy a whole installation between stores')
  store
    .command('copy')
    .description('copy users, accounts (tokens stay sealed), campaigns, ledger, logs, events, opt-outs and settings into an empty store, then verify')
    .requiredOption('--from <store>', 'a data folder or a mongodb:// address')
    .requiredOption('--to <store>', 'an empty data folder or MongoDB database')
    .option('--page-size <n>', 'documents per read and write', '500')
    .action(async (o: { from: string; to: string; pageSize: string }) => {
      const pageSize = Number(o.pageSize)
      if (!Number.isInteger(pageSize) || pageSize < 1) throw new Error(`--page-size must be a whole number above 0; got "${o.pageSize}".`)
      const result = await copyInstallation(o.from, o.to, {
        pageSize,
        onProgress: (collection, copied, total) => process.stderr.write(`  ${collection}: ${copied}/${total}\n`),
      })
      printReport(result)
      if (!result.ok) process.exitCode = 2
    })
}

function printReport(result: StoreCopyResult): void {
  console.log(`${result.resumed ? 'Resumed copy' : 'Copied'} ${result.from} → ${result.to}`)
  console.log('collection           source  target  checksum')
  for (const c of result.collections) {
    const sum = c.ok ? c.source.checksum.slice(0, 16) : `${c.source.checksum.slice(0, 16)} ≠ ${c.target.checksum.slice(0, 16)}`
    console.log(`${c.ok ? '✓' : '✗'} ${c.name.padEnd(19)} ${String(c.source.count).padStart(6)}  ${String(c.target.count).padStart(6)}  ${sum}`)
  }
  console.log(
    result.ok
      ? 'Verified: every collection has the same count and checksum on both sides.'
      : 'NOT verified: the collections marked ✗ differ. Nothing was deleted; run the same command again to copy and check again.',
  )
  if (result.keyNotice) console.log(result.keyNotice)
}
