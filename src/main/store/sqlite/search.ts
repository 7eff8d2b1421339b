// The recipient table's search: a number as typed ("300 123 4567", "+57 300-123") matches the stored
// E.164 digits, and a name matches without regard to case or accents ("munoz" finds "Muñoz").

import type { Db } from './db'

/** Lower case without diacritics: "Muñoz" → "munoz", "JOSÉ" → "jose". */
export function foldText(text: string): string {
  return text.normalize('NFD').replace(/\p{M}+/gu, '').toLowerCase()
}

/** SQLite has no accent folding: the connection gets ours, for `WHERE pregon_fold(name) …`. */
export function registerSearchFunctions(db: Db): void {
  db.function('pregon_fold', { deterministic: true }, (value: unknown) => (typeof value === 'string' ? foldText(value) : null))
}

/**
 * The WHERE clause and its values for what was typed: digits (when there are any) against the phone,
 * the folded words against the name; either may match. Null when nothing searchable was typed.
 */
export function recipientSearch(typed: string): { clause: string; values: string[] } | null {
  const digits = typed.replace(/\D/g, '')
  const words = foldText(typed).replace(/[^\p{L}\p{N}\s'-]/gu, ' ').trim().replace(/\s+/g, ' ')
  const clauses: string[] = []
  const values: string[] = []
  if (digits) {
    clauses.push('instr(phone, ?) > 0')
    values.push(digits)
  }
  if (words && /\p{L}/u.test(words)) {
    clauses.push("instr(pregon_fold(coalesce(name, '')), ?) > 0")
    values.push(words)
  }
  return clauses.length ? { clause: `(${clauses.join(' OR ')})`, values } : null
}
