// One vitest run for every suite: unit, contract (store conformance), integration (real HTTP), e2e (Chromium).
import { defineConfig } from 'vitest/config'
import react from '@vitejs/plugin-react'

export default defineConfig({
  plugins: [react()],
  test: {
    include: ['tests/**/*.test.ts', 'tests/**/*.test.tsx'],
    environment: 'node',
    testTimeout: 30_000,
    hookTimeout: 60_000,
    // Integration suites start servers and child processes: a few at a time on 2 cores.
    maxWorkers: 2,
    fileParallelism: true,
  },
})
