import { JsonValue } from './transfer';

/** JSON with object keys sorted, so equal payloads hash equally whatever order their keys came in. */
export function canonicalJson(value: JsonValue): string {
  if (Array.isArray(value)) return `[${value.map(canonicalJson).join(',')}]`;
  if (value !== null && typeof value === 'object') {
    return `{${Object.keys(value)
      .sort()
      .map((k) => `${JSON.stringify(k)}:${canonicalJson(value[k]!)}`)
      .join(',')}}`;
  }
  return JSON.stringify(value);
}

/** True when `value` is plain JSON (no undefined, functions, NaN, class instances), at most `depth` deep. */
export function isPlainJson(value: unknown, depth = 8): value is JsonValue {
  if (depth < 0) return false;
  // PostgreSQL jsonb cannot hold U+0000, so it is refused here rather than failing a whole batch later.
  if (typeof value === 'string') return !value.includes('\u0000');
  if (value === null || typeof value === 'boolean') return true;
  if (typeof value === 'number') return Number.isFinite(value);
  if (Array.isArray(value)) return value.every((v) => isPlainJson(v, depth - 1));
  if (typeof value === 'object') {
    const proto = Object.getPrototypeOf(value) as unknown;
    if (proto !== Object.prototype && proto !== null) return false;
    return Object.entries(value as Record<string, unknown>).every(
      ([k, v]) => !k.includes('\u0000') && isPlainJson(v, depth - 1),
    );
  }
  return false;
}
