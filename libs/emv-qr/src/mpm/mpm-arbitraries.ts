// fast-check generators of valid merchant-presented fields, for the property specs and the benchmark's
// corpus. Sizes are chosen so every template stays within the 99 characters a length can state.
import fc from 'fast-check';
import { allCountries } from '../reference/iso3166';
import { allCurrencies } from '../reference/iso4217';
import type {
  AdditionalData,
  DataObject,
  LanguageTemplate,
  MpmFields,
  PrimitiveObject,
  TemplateObject,
  TipOrConvenience,
} from './mpm.types';

const byId = <T extends { id: string }>(xs: T[]): T[] => [...xs].sort((a, b) => (a.id < b.id ? -1 : 1));
const id2 = (lo: number, hi: number) =>
  fc.integer({ min: lo, max: hi }).map((n) => String(n).padStart(2, '0'));

/** Text that a QR payload carries: mostly printable ASCII, some Latin-1, CJK and astral (surrogate pair) characters. */
export function text(maxLength: number, minLength = 1): fc.Arbitrary<string> {
  const ch = fc.oneof(
    { weight: 8, arbitrary: fc.integer({ min: 0x20, max: 0x7e }) },
    { weight: 1, arbitrary: fc.integer({ min: 0xa0, max: 0x7ff }) },
    { weight: 1, arbitrary: fc.integer({ min: 0x4e00, max: 0x9fff }) },
    { weight: 1, arbitrary: fc.integer({ min: 0x1f600, max: 0x1f64f }) },
  );
  return fc
    .array(
      ch.map((c) => String.fromCodePoint(c)),
      { minLength, maxLength },
    )
    .map((cs) => cs.join(''));
}

const digits = (n: number) =>
  fc.array(fc.integer({ min: 0, max: 9 }), { minLength: n, maxLength: n }).map((d) => d.join(''));

const currency = fc.constantFrom(...allCurrencies());

/** An amount in one of the EMV forms ("98.73", "98", "98.") with at most `exponent` decimals, never zero. */
function amount(exponent: number): fc.Arbitrary<string> {
  return fc
    .tuple(fc.bigInt({ min: 1n, max: 99_999_999n }), fc.integer({ min: 0, max: exponent }), fc.boolean())
    .map(([units, decimals, trailingDot]) => {
      if (decimals === 0) return trailingDot ? `${units}.` : `${units}`;
      const s = units.toString().padStart(decimals + 1, '0');
      return `${s.slice(0, -decimals)}.${s.slice(-decimals)}`;
    });
}

function guiTemplate(
  id: fc.Arbitrary<string>,
  guiMax: number,
  subs: number,
  subMax: number,
): fc.Arbitrary<TemplateObject> {
  return fc
    .record({
      id,
      gui: text(guiMax),
      rest: fc.uniqueArray(fc.record({ id: id2(1, 99), value: text(subMax) }), {
        maxLength: subs,
        selector: (o) => o.id,
      }),
    })
    .map(({ id, gui, rest }) => ({ id, template: [{ id: '00', value: gui } as DataObject, ...rest] }));
}

const merchantAccount: fc.Arbitrary<DataObject> = fc.oneof(
  fc.record({ id: id2(2, 25), value: text(40) }),
  guiTemplate(id2(26, 51), 20, 3, 15),
);

const tip = (exponent: number): fc.Arbitrary<TipOrConvenience> =>
  fc.oneof(
    fc.constant<TipOrConvenience>({ kind: 'prompt' }),
    amount(exponent)
      .filter((a) => a.length <= 13)
      .map((value): TipOrConvenience => ({ kind: 'fixed', value })),
    fc.integer({ min: 1, max: 9999 }).map((n): TipOrConvenience => ({
      kind: 'percentage',
      value: `${Math.floor(n / 100)}.${String(n % 100).padStart(2, '0')}`,
    })),
  );

const additionalData: fc.Arbitrary<AdditionalData> = fc
  .record(
    {
      picks: fc.uniqueArray(
        fc.constantFrom(
          'billNumber',
          'mobileNumber',
          'storeLabel',
          'loyaltyNumber',
          'referenceLabel',
          'customerLabel',
          'terminalLabel',
          'purposeOfTransaction',
        ) as fc.Arbitrary<keyof AdditionalData>,
        { minLength: 1, maxLength: 3 },
      ),
      values: fc.array(fc.oneof(text(12), fc.constant('***')), { minLength: 3, maxLength: 3 }),
      consumerDataRequest: fc.option(fc.constantFrom('A', 'M', 'E', 'ME', 'AE', 'MEA'), { nil: undefined }),
      rfu: fc.option(fc.record({ id: id2(10, 49), value: text(6) }), { nil: undefined }),
      template: fc.option(guiTemplate(id2(50, 99), 8, 1, 6), { nil: undefined }),
    },
    { requiredKeys: ['picks', 'values'] },
  )
  .map(({ picks, values, consumerDataRequest, rfu, template }) => {
    const a: Record<string, unknown> = {};
    picks.forEach((k, i) => (a[k] = values[i]));
    if (consumerDataRequest) a['consumerDataRequest'] = consumerDataRequest;
    if (rfu) a['rfu'] = [rfu];
    if (template) a['paymentSystemTemplates'] = [template];
    return a as AdditionalData;
  });

const languageTemplate: fc.Arbitrary<LanguageTemplate> = fc
  .record(
    {
      languagePreference: fc.constantFrom('zh', 'ZH', 'pt', 'th', 'ms', 'ja'),
      merchantName: text(25),
      merchantCity: text(15),
      rfu: fc.record({ id: id2(3, 99), value: text(10) }),
    },
    { requiredKeys: ['languagePreference', 'merchantName'] },
  )
  .map((l) => (l.rfu ? { ...l, rfu: [l.rfu] } : (l as LanguageTemplate)));

/** Valid MpmFields in the canonical shape decodeMpm returns (arrays sorted by ID, absent = key left out). */
export const mpmFields: fc.Arbitrary<MpmFields> = currency
  .chain((cur) =>
    fc.record(
      {
        pointOfInitiation: fc.constantFrom('static' as const, 'dynamic' as const),
        merchantAccounts: fc.uniqueArray(merchantAccount, {
          minLength: 1,
          maxLength: 3,
          selector: (a) => a.id,
        }),
        merchantCategoryCode: digits(4),
        transactionCurrency: fc.constant(cur.numeric),
        transactionAmount: amount(cur.exponent).filter((a) => a.length <= 13),
        tipOrConvenience: tip(cur.exponent),
        countryCode: fc.constantFrom(...allCountries()),
        merchantName: text(25),
        merchantCity: text(15),
        postalCode: text(10),
        additionalData,
        languageTemplate,
        rfu: fc.uniqueArray(
          fc.record({ id: id2(65, 79), value: text(20) }) as fc.Arbitrary<PrimitiveObject>,
          {
            minLength: 1,
            maxLength: 2,
            selector: (o) => o.id,
          },
        ),
        unreserved: fc.uniqueArray(guiTemplate(id2(80, 99), 16, 2, 12), {
          minLength: 1,
          maxLength: 2,
          selector: (o) => o.id,
        }),
      },
      {
        requiredKeys: [
          'merchantAccounts',
          'merchantCategoryCode',
          'transactionCurrency',
          'countryCode',
          'merchantName',
          'merchantCity',
        ],
      },
    ),
  )
  .map((f) => {
    const out: MpmFields = { ...f, merchantAccounts: byId(f.merchantAccounts) };
    if (f.rfu) out.rfu = byId(f.rfu);
    if (f.unreserved) out.unreserved = byId(f.unreserved);
    return out;
  });
