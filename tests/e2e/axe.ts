// axe-core inside the page under test: injects node_modules/axe-core/axe.min.js, runs it on what is shown,
// saves the full results as JSON next to the screenshots and returns the serious and critical violations.

import { readFileSync, writeFileSync } from 'node:fs'
import path from 'node:path'
import type { Page } from 'playwright-core'
import { ROOT, SHOTS } from './harness'

const AXE_SOURCE = readFileSync(path.join(ROOT, 'node_modules/axe-core/axe.min.js'), 'utf8')

interface AxeNode {
  target: string[]
  failureSummary?: string
}
interface AxeViolation {
  id: string
  impact: 'minor' | 'moderate' | 'serious' | 'critical' | null
  help: string
  nodes: AxeNode[]
}

/** One line per serious/critical violation: rule, what it asks, and where (so a failing test says what to fix). */
export async function axeCheck(page: Page, name: string): Promise<string[]> {
  await page.evaluate(AXE_SOURCE)
  const results = await page.evaluate(async () => {
    const axe = (window as unknown as { axe: { run(context: Document, options: object): Promise<unknown> } }).axe
    return axe.run(document, { runOnly: { type: 'tag', values: ['wcag2a', 'wcag2aa', 'wcag21a', 'wcag21aa', 'best-practice'] }, resultTypes: ['violations'] })
  })
  writeFileSync(path.join(SHOTS, `${name}.axe.json`), JSON.stringify(results, null, 2))
  await page.screenshot({ path: path.join(SHOTS, `${name}.png`), fullPage: true })
  const violations = (results as { violations: AxeViolation[] }).violations
  return violations
    .filter((v) => v.impact === 'serious' || v.impact === 'critical')
    .map((v) => `${name}: ${v.id} (${v.impact}) ${v.help} at ${v.nodes.map((n) => n.target.join(' ')).slice(0, 5).join(', ')}`)
}
