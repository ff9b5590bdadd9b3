// PostgreSQL array literals built directly: node-pg's generic array serialisation was a visible share of a
// large batch's CPU. Every element is double-quoted (so a text "NULL" stays text) and `"`/`\` escaped.

const PLAIN = /^[A-Za-z0-9._:-]*$/;

function quote(s: string): string {
  return PLAIN.test(s) ? `"${s}"` : `"${s.replace(/[\\"]/g, '\\$&')}"`;
}

export function textArray(xs: ReadonlyArray<string | null>): string {
  return `{${xs.map((x) => (x === null ? 'NULL' : quote(x))).join(',')}}`;
}

export function bigintArray(xs: readonly bigint[]): string {
  return `{${xs.join(',')}}`;
}

export function timestampArray(xs: ReadonlyArray<Date | null>): string {
  return `{${xs.map((x) => (x === null ? 'NULL' : `"${x.toISOString()}"`)).join(',')}}`;
}
