export interface CsvRecord {
  /** 1-based line number where the record starts, so errors can point at it. */
  line: number;
  fields: string[];
}

/**
 * RFC 4180 reader: quoted fields may hold commas, doubled quotes and newlines. Blank lines are skipped.
 * Hand-written because the files are small-to-medium and line numbers must survive quoted newlines.
 */
export function readCsv(text: string): CsvRecord[] {
  const records: CsvRecord[] = [];
  let line = 1;
  let i = 0;
  const n = text.length;
  if (text.charCodeAt(0) === 0xfeff) i = 1;
  while (i < n) {
    const start = line;
    const fields: string[] = [];
    let field = '';
    let quoted = false;
    let endOfRecord = false;
    while (i < n && !endOfRecord) {
      const c = text[i];
      if (quoted) {
        if (c === '"') {
          if (text[i + 1] === '"') {
            field += '"';
            i += 2;
          } else {
            quoted = false;
            i += 1;
          }
        } else {
          if (c === '\n') line += 1;
          field += c;
          i += 1;
        }
      } else if (c === '"' && field === '') {
        quoted = true;
        i += 1;
      } else if (c === ',') {
        fields.push(field);
        field = '';
        i += 1;
      } else if (c === '\r' || c === '\n') {
        if (c === '\r' && text[i + 1] === '\n') i += 1;
        i += 1;
        line += 1;
        endOfRecord = true;
      } else {
        field += c;
        i += 1;
      }
    }
    fields.push(field);
    const blank = fields.length === 1 && fields[0].trim() === '';
    if (!blank) records.push({ line: start, fields });
  }
  return records;
}

/** Quotes a field only when it must be (comma, quote, newline, or leading/trailing space). */
export function csvField(value: string): string {
  return /[",\r\n]|^\s|\s$/.test(value) ? `"${value.replace(/"/g, '""')}"` : value;
}

export function csvLine(values: readonly string[]): string {
  return values.map(csvField).join(',');
}
