// How V8 runs a process that sends for hours. Its defaults suit short scripts, and three of them cost a
// sender memory for nothing (bench: peakRssMb100k, from ~175 MB to ~95 MB, at the same speed):
//  - the young generation grows to 2 × 16 MB under a steady allocation rate; a sender keeps little
//    alive per message, so it stays at the size it started with;
//  - old space may grow to several times what is live before a full collection; here by half of it;
//  - undici's HTTP parser is WebAssembly, and optimising it at the first request briefly takes ~30 MB;
//    the baseline compiler's code parses Meta's small answers just as fast.
// All three are read by V8 when it collects or compiles, so they take effect when set at run time
// (a `--max-semi-space-size` would need the command line). Call this before anything else is loaded.

import { setFlagsFromString } from 'node:v8'

export const SENDER_V8_FLAGS = ['--semi-space-growth-factor=1', '--heap-growing-percent=50', '--liftoff-only'] as const

export function tuneV8ForSending(): void {
  for (const flag of SENDER_V8_FLAGS) setFlagsFromString(flag)
}
