import { MoneyError } from './money-error';

/** An ISO 4217 currency: alphabetic code, numeric code (EMV QR tag 53 uses it) and minor-unit exponent. */
export interface Currency {
  readonly code: string;
  readonly numeric: number;
  readonly exponent: number;
  readonly name: string;
}

// ISO 4217 (amendment 176+). XTS is the ISO "testing" code; ISO lists no minor unit for it, we give it 2
// so tests exercise minor units the way CNY/USD do.
const TABLE: ReadonlyArray<readonly [string, number, number, string]> = [
  ['AED', 784, 2, 'UAE Dirham'],
  ['AUD', 36, 2, 'Australian Dollar'],
  ['BHD', 48, 3, 'Bahraini Dinar'],
  ['BRL', 986, 2, 'Brazilian Real'],
  ['CAD', 124, 2, 'Canadian Dollar'],
  ['CHF', 756, 2, 'Swiss Franc'],
  ['CLP', 152, 0, 'Chilean Peso'],
  ['CNY', 156, 2, 'Yuan Renminbi'],
  ['EGP', 818, 2, 'Egyptian Pound'],
  ['EUR', 978, 2, 'Euro'],
  ['GBP', 826, 2, 'Pound Sterling'],
  ['GHS', 936, 2, 'Ghana Cedi'],
  ['HKD', 344, 2, 'Hong Kong Dollar'],
  ['IDR', 360, 2, 'Rupiah'],
  ['INR', 356, 2, 'Indian Rupee'],
  ['IQD', 368, 3, 'Iraqi Dinar'],
  ['ISK', 352, 0, 'Iceland Krona'],
  ['JOD', 400, 3, 'Jordanian Dinar'],
  ['JPY', 392, 0, 'Yen'],
  ['KES', 404, 2, 'Kenyan Shilling'],
  ['KRW', 410, 0, 'Won'],
  ['KWD', 414, 3, 'Kuwaiti Dinar'],
  ['LYD', 434, 3, 'Libyan Dinar'],
  ['MXN', 484, 2, 'Mexican Peso'],
  ['MYR', 458, 2, 'Malaysian Ringgit'],
  ['NGN', 566, 2, 'Naira'],
  ['OMR', 512, 3, 'Rial Omani'],
  ['PHP', 608, 2, 'Philippine Peso'],
  ['PKR', 586, 2, 'Pakistan Rupee'],
  ['SAR', 682, 2, 'Saudi Riyal'],
  ['SGD', 702, 2, 'Singapore Dollar'],
  ['THB', 764, 2, 'Baht'],
  ['TND', 788, 3, 'Tunisian Dinar'],
  ['TZS', 834, 2, 'Tanzanian Shilling'],
  ['UGX', 800, 0, 'Uganda Shilling'],
  ['USD', 840, 2, 'US Dollar'],
  ['VND', 704, 0, 'Dong'],
  ['XAF', 950, 0, 'CFA Franc BEAC'],
  ['XOF', 952, 0, 'CFA Franc BCEAO'],
  ['XTS', 963, 2, 'Code reserved for testing'],
  ['ZAR', 710, 2, 'Rand'],
];

const BY_CODE = new Map<string, Currency>(
  TABLE.map(([code, numeric, exponent, name]) => [code, Object.freeze({ code, numeric, exponent, name })]),
);
const BY_NUMERIC = new Map<number, Currency>([...BY_CODE.values()].map((c) => [c.numeric, c]));

export function isCurrencyCode(code: string): boolean {
  return BY_CODE.has(code);
}

/** The currency for an alphabetic code (upper case, as ISO writes it); throws CURRENCY_UNKNOWN otherwise. */
export function currencyOf(code: string): Currency {
  const c = BY_CODE.get(code);
  if (!c)
    throw new MoneyError(
      'CURRENCY_UNKNOWN',
      `unknown currency "${code}"; use an ISO 4217 code such as CNY, USD or JPY`,
    );
  return c;
}

/** The currency for an ISO numeric code (156 -> CNY); throws CURRENCY_UNKNOWN otherwise. */
export function currencyByNumeric(numeric: number | string): Currency {
  const n = typeof numeric === 'string' ? Number.parseInt(numeric, 10) : numeric;
  const c = BY_NUMERIC.get(n);
  if (!c) throw new MoneyError('CURRENCY_UNKNOWN', `unknown ISO 4217 numeric currency code "${numeric}"`);
  return c;
}

export function currencies(): Currency[] {
  return [...BY_CODE.values()];
}
