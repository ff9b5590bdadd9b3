import { createHash } from 'node:crypto';

/** A stable digest of what a request asked for, so a replayed id with other details is told apart. */
export function requestHash(fields: Record<string, string | number | boolean | null | undefined>): string {
  const canonical = Object.keys(fields)
    .sort()
    .map((k) => `${k}=${fields[k] ?? ''}`)
    .join('\n');
  return createHash('sha256').update(canonical).digest('hex');
}
