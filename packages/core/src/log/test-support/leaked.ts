/**
 * The secrets found in `text`. A short all-digit secret (a PIN, a CVV) counts only as a whole number: the digits
 * "9876" inside a timestamp such as `"at":19474.987604` or "737" in `05:42:18.737Z` are chance, not a leak, and a
 * check that matched them would fail at random.
 */
export function leaked(text: string, secrets: readonly string[]): string[] {
  return secrets.filter((secret) =>
    /^\d{1,7}$/.test(secret)
      ? new RegExp(`(?<![0-9A-Za-z.])${secret}(?![0-9A-Za-z])`).test(text)
      : text.includes(secret),
  );
}
