// Masks access tokens and Authorization header text in free text (answers from Meta or a proxy, log lines)
// before it is stored, logged or shown: a proxy's error page that echoes our request headers must not leak.

/** What stands where a secret was. */
export const MASK = '[token]'

/**
 * Patterns that reveal a credential without knowing it: `Bearer <token>`, an `Authorization` header's value,
 * an `access_token=` query parameter, and Meta's token shape (EAA…, as issued for users and system users).
 */
const SECRET_PATTERNS: [RegExp, string][] = [
  [/\b(bearer)(\s+)[A-Za-z0-9\-._~+/]+=*/gi, `$1$2${MASK}`],
  [/\b(authorization["']?\s*[:=]\s*["']?)(?!bearer\b)[^\s"'<>,;&\\]+/gi, `$1${MASK}`],
  [/\b(access_token["']?\s*[:=]\s*["']?)[^\s"'<>,;&\\]+/gi, `$1${MASK}`],
  [/\bEAA[A-Za-z0-9]{16,}/g, MASK],
]

/** `text` with every known secret (at least 4 characters long) and every credential-looking piece masked. */
export function maskSecrets(text: string, knownSecrets: readonly string[] = []): string {
  let masked = text
  for (const secret of knownSecrets) {
    if (secret.length >= 4) masked = masked.split(secret).join(MASK)
  }
  for (const [pattern, replacement] of SECRET_PATTERNS) masked = masked.replace(pattern, replacement)
  return masked
}
