import { bigintArray, sqlLiteral, textArray, TextArrayBuilder, timestampArray } from './pg-arrays';

describe('array literals', () => {
  it('quotes every text element and escapes quotes and backslashes', () => {
    expect(textArray(['a', null, 'NULL', 'x"y', 'b\\c', 'with space, comma {}'])).toBe(
      '{"a",NULL,"NULL","x\\"y","b\\\\c","with space, comma {}"}',
    );
    expect(textArray([])).toBe('{}');
  });

  it('writes bigints and ISO timestamps', () => {
    expect(bigintArray([1n, -20n, 10n ** 18n])).toBe('{1,-20,1000000000000000000}');
    expect(timestampArray([new Date(0), null])).toBe('{"1970-01-01T00:00:00.000Z",NULL}');
  });
});

describe('TextArrayBuilder', () => {
  it('builds the same literal as textArray, quoted for SQL', () => {
    const xs = ['a', null, 'NULL', "it's", 'b\\c', 'with space, comma {}'];
    expect(TextArrayBuilder.of(xs).literal()).toBe(sqlLiteral(textArray(xs)));
    expect(TextArrayBuilder.of([]).literal()).toBe("'{}'");
    expect(TextArrayBuilder.of(['x', '1']).literal()).toBe(`'{"x","1"}'`);
  });

  it('escapes quotes and backslashes in SQL literals', () => {
    expect(sqlLiteral("a'b")).toBe("'a''b'");
    expect(sqlLiteral('a\\b')).toBe(" E'a\\\\b'");
  });
});
