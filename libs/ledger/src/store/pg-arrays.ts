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

/**
 * Builds one array literal element by element: the writer fills some twenty columns for every transfer of
 * a 5,000-transfer batch in one loop. Elements go to a plain array joined once at the end (appending to one
 * string made a cons-string per element, a visible share of GC in the profile).
 */
export class TextArrayBuilder {
  private readonly elements: string[] = [];
  /** Whether an element held a quote, backslash or NUL: only then does `literal` need to scan and escape. */
  private special = false;

  static of(xs: ReadonlyArray<string | null>): TextArrayBuilder {
    const b = new TextArrayBuilder();
    for (const x of xs) b.textOrNull(x);
    return b;
  }

  /** A text element, double-quoted (so "NULL" stays text) with `"` and `\` escaped. */
  text(s: string): void {
    if (PLAIN.test(s)) this.elements.push(`"${s}"`);
    else {
      this.special = true;
      this.elements.push(quote(s));
    }
  }

  textOrNull(s: string | null): void {
    if (s === null) this.elements.push('NULL');
    else this.text(s);
  }

  /** An element that needs no quoting: the decimal digits of a bigint, a hex hash. */
  plain(s: string): void {
    this.elements.push(s);
  }

  /** The array as a SQL string literal (cast it: `${literal}::bigint[]`). */
  literal(): string {
    const body = this.elements.join(',');
    // Scanning a 100 kB literal for quotes showed up in the profile; plain elements cannot need escaping.
    return this.special ? sqlLiteral(`{${body}}`) : `'{${body}}'`;
  }
}

/**
 * A SQL string literal for a simple (inline) query: quotes doubled; a value with a backslash becomes an E''
 * literal with the backslashes doubled, so it reads the same whatever standard_conforming_strings says.
 * NUL cannot travel in a query (or in any PostgreSQL text), so it is refused rather than truncating the SQL.
 */
export function sqlLiteral(s: string): string {
  if (s.includes('\u0000'))
    throw new Error('ledger: a text value contains U+0000, which PostgreSQL cannot store');
  const q = s.includes("'") ? s.replace(/'/g, "''") : s;
  return q.includes('\\') ? ` E'${q.replace(/\\/g, '\\\\')}'` : `'${q}'`;
}
