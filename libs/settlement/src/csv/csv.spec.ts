import { csvLine, readCsv } from './csv';

describe('readCsv', () => {
  it('keeps line numbers across quoted newlines and skips blank lines', () => {
    const text = 'a,b\n"x\ny",2\n\n"he said ""hi""",3\r\nlast,4';
    expect(readCsv(text)).toEqual([
      { line: 1, fields: ['a', 'b'] },
      { line: 2, fields: ['x\ny', '2'] },
      { line: 5, fields: ['he said "hi"', '3'] },
      { line: 6, fields: ['last', '4'] },
    ]);
  });

  it('round-trips fields that need quoting', () => {
    const values = ['plain', 'with,comma', 'with "quote"', 'multi\nline', ' padded '];
    expect(readCsv(csvLine(values))[0]!.fields).toEqual(values);
  });
});
