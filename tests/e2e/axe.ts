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

/**
 * Tabs through the page (up to `presses` times) and returns every reached element that shows no focus ring:
 * no outline on it or, for the visually hidden file input, on the drop zone around it.
 */
export async function focusWithoutRing(page: Page, presses = 40): Promise<string[]> {
  await page.evaluate(() => (document.activeElement as HTMLElement | null)?.blur())
  const missing: string[] = []
  for (let i = 0; i < presses; i++) {
    await page.keyboard.press('Tab')
    const problem = await page.evaluate(() => {
      const el = document.activeElement as HTMLElement | null
      if (!el || el === document.body) return null
      const shown = el.classList.contains('visually-hidden') ? (el.closest('.dropzone') as HTMLElement | null) : el
      const style = shown ? getComputedStyle(shown) : null
      if (style && style.outlineStyle !== 'none' && parseFloat(style.outlineWidth) >= 2) return null
      return `${el.tagName.toLowerCase()}${el.dataset.testid ? `[data-testid=${el.dataset.testid}]` : ''} "${(el.textContent ?? '').trim().slice(0, 30)}"`
    })
    if (problem && !missing.includes(problem)) missing.push(problem)
  }
  return missing
}
