import fc from 'fast-check';
import type { EmvQrErrorCode } from '../errors/emv-qr-error';
import { EMVCO_MPM_EXAMPLE, PIX_STATIC_BCB_EXAMPLE } from '../vectors/emv-qr.vectors';
import { decodeMpm } from './decode-mpm';
import { encodeMpm, encodeMpmDataObjects, tryEncodeMpm } from './encode-mpm';
import { mpmFields } from './mpm-arbitraries';
import { type DataObject, type MpmFields, type MpmPayload, isTemplate } from './mpm.types';

const RUNS = { numRuns: 400 };

function fieldsOf(p: MpmPayload): MpmFields {
  const { payloadFormatIndicator: _p, crc: _c, dataObjects: _d, promptFor: _f, ...fields } = p;
  return fields;
}

function mustDecode(payload: string): MpmPayload {
  const r = decodeMpm(payload);
  if (!r.ok) throw new Error(`${r.error.code} at ${r.error.position}: ${r.error.message}\n${payload}`);
  return r.value;
}

const CODES: ReadonlySet<EmvQrErrorCode> = new Set<EmvQrErrorCode>([
  'NOT_A_STRING',
  'EMPTY_PAYLOAD',
  'ID_MALFORMED',
  'LENGTH_MALFORMED',
  'LENGTH_OVERRUN',
  'ILL_FORMED_UNICODE',
  'PAYLOAD_FORMAT_INVALID',
  'CRC_MISSING',
  'CRC_NOT_LAST',
  'CRC_MALFORMED',
  'CRC_MISMATCH',
  'DUPLICATE_ID',
  'MANDATORY_MISSING',
  'CONDITIONAL_MISMATCH',
  'VALUE_TOO_LONG',
  'VALUE_INVALID',
  'AMOUNT_MALFORMED',
  'CURRENCY_UNKNOWN',
  'COUNTRY_UNKNOWN',
]);

/** decodeMpm returned rather than threw, and an error is well-typed with a position inside the input. */
function expectTypedResult(input: string): void {
  const r = decodeMpm(input);
  if (r.ok) return;
  expect(CODES.has(r.error.code)).toBe(true);
  expect(typeof r.error.message).toBe('string');
  expect(r.error.message.length).toBeGreaterThan(0);
  expect(Number.isInteger(r.error.position)).toBe(true);
  expect(r.error.position).toBeGreaterThanOrEqual(0);
  expect(r.error.position).toBeLessThanOrEqual([...input].length);
}

function utf8Width(ch: string): number {
  return Buffer.byteLength(ch, 'utf8');
}

describe('MPM properties', () => {
  it('decode ∘ encode is the identity on generated fields', () => {
    fc.assert(
      fc.property(mpmFields, (fields) => {
        expect(fieldsOf(mustDecode(encodeMpm(fields)))).toEqual(fields);
      }),
      RUNS,
    );
  });

  it('encode ∘ decode is the identity on payloads in any object order (root and templates shuffled)', () => {
    const shuffled = mpmFields.chain((fields) => {
      const objects = mustDecode(encodeMpm(fields)).dataObjects.filter((o) => o.id !== '63');
      const [head, ...rest] = objects;
      const shuffleChildren = (o: DataObject): fc.Arbitrary<DataObject> =>
        isTemplate(o)
          ? fc
              .shuffledSubarray(o.template, { minLength: o.template.length })
              .map((t) => ({ id: o.id, template: t }))
          : fc.constant(o);
      return fc
        .shuffledSubarray(rest, { minLength: rest.length })
        .chain((order) => fc.tuple(...order.map(shuffleChildren)))
        .map((order) => ({ fields, objects: [head!, ...order] }));
    });
    fc.assert(
      fc.property(shuffled, ({ fields, objects }) => {
        const payload = encodeMpmDataObjects(objects);
        const decoded = mustDecode(payload);
        expect(encodeMpmDataObjects(decoded.dataObjects)).toBe(payload);
        // Order inside the templates of 26–51 and 80–99 is kept; fields compare with those as given.
        const canonical = mustDecode(encodeMpm(fieldsOf(decoded)));
        expect(fieldsOf(canonical)).toEqual(fieldsOf(decoded));
        expect(decoded.merchantName).toBe(fields.merchantName);
        expect(decoded.transactionAmount).toBe(fields.transactionAmount);
      }),
      RUNS,
    );
  });

  it('decode never throws on arbitrary strings; it returns a typed error', () => {
    fc.assert(
      fc.property(fc.string({ unit: 'binary', maxLength: 200 }), (s) => expectTypedResult(s)),
      { numRuns: 1000 },
    );
    fc.assert(
      fc.property(fc.string({ unit: fc.constantFrom(...'0123456789ABCDEF'), maxLength: 120 }), (s) =>
        expectTypedResult('000201' + s),
      ),
      { numRuns: 1000 },
    );
  });

  it('decode never throws on damaged valid payloads (cuts, insertions, surrogate halves)', () => {
    const damaged = fc
      .tuple(
        fc.oneof(
          mpmFields.map((f) => encodeMpm(f)),
          fc.constantFrom(EMVCO_MPM_EXAMPLE, PIX_STATIC_BCB_EXAMPLE),
        ),
        fc.nat(),
        fc.nat(20),
        fc.string({ unit: 'binary', maxLength: 6 }),
      )
      .map(([p, at, cut, insert]) => {
        const i = at % (p.length + 1);
        return p.slice(0, i) + insert + p.slice(i + cut);
      });
    fc.assert(
      fc.property(damaged, (s) => expectTypedResult(s)),
      { numRuns: 1000 },
    );
  });

  it('changing any single character is detected', () => {
    // CRC-16 detects every error burst of at most 16 bits. Replacing a character by another of the same
    // UTF-8 width of 1 or 2 bytes changes at most 13 contiguous bits, so detection is certain, not likely.
    // (A 3- or 4-byte character swapped for another flips up to 21 bits: caught with probability 1 - 2^-16.)
    const mutation = fc
      .tuple(
        fc.oneof(
          mpmFields.map((f) => encodeMpm(f)),
          fc.constantFrom(EMVCO_MPM_EXAMPLE, PIX_STATIC_BCB_EXAMPLE),
        ),
        fc.nat(),
        fc.nat(),
      )
      .map(([payload, at, pick]) => {
        const chars = [...payload];
        const i = at % chars.length;
        const original = chars[i]!;
        const width = utf8Width(original);
        const [lo, span] = width === 1 ? [0x00, 0x80] : [0x80, 0x780];
        let replacement = String.fromCodePoint(lo + (pick % span));
        if (replacement === original) replacement = String.fromCodePoint(lo + ((pick + 1) % span));
        chars[i] = replacement;
        return { payload, width, mutated: chars.join(''), i };
      });
    fc.assert(
      fc.property(mutation, ({ width, mutated }) => {
        fc.pre(width <= 2);
        const r = decodeMpm(mutated);
        expect(r.ok).toBe(false);
      }),
      { numRuns: 2000 },
    );
  });

  it('the encoder refuses what the decoder would refuse, naming the field', () => {
    fc.assert(
      fc.property(
        mpmFields,
        fc.constantFrom('merchantName', 'merchantCity', 'countryCode', 'transactionCurrency'),
        (fields, field) => {
          const broken = {
            ...fields,
            [field]:
              field === 'merchantName' ? 'N'.repeat(26) : field === 'merchantCity' ? 'C'.repeat(16) : 'ZZ',
          };
          const r = tryEncodeMpm(broken);
          expect(r.ok).toBe(false);
          if (!r.ok) expect(r.error.field).toBe(field);
        },
      ),
      { numRuns: 100 },
    );
  });
});
