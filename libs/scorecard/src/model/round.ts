/**
 * Rounds every non-integer number to 12 significant digits, so the artifact's bytes do not hinge on the
 * last bits of a floating-point sum and a retrain reproduces the file exactly.
 */
export function roundNumbers<T>(value: T): T {
  if (typeof value === 'number')
    return (Number.isInteger(value) ? value : Number(value.toPrecision(12))) as T;
  if (Array.isArray(value)) return value.map((v: unknown) => roundNumbers(v)) as T;
  if (value !== null && typeof value === 'object') {
    const out: Record<string, unknown> = {};
    for (const [k, v] of Object.entries(value as Record<string, unknown>)) out[k] = roundNumbers(v);
    return out as T;
  }
  return value;
}
