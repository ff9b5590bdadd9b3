// The rules of EMV QRCPS Merchant-Presented Mode v1.1 (§4 data objects, §5 requirements) per data object,
// shared by the decoder (which reports a character position) and the encoder (which reports a field path).
// Formats: N = digits; ans = the EMV common character set; S = any Unicode. The ans character set is not
// enforced: payloads in the field (Pix cities with accents, for one) break it, and the CRC, not the
// alphabet, is what protects the payload. Lengths count characters (code points), not bytes (§4.1).
import type { EmvQrErrorCode } from '../errors/emv-qr-error';
import { currencyByNumeric } from '../reference/iso4217';
import { isIsoCountry } from '../reference/iso3166';
import type { AdditionalDataKey } from './mpm.types';

export interface Problem {
  code: EmvQrErrorCode;
  message: string;
}

export type Context =
  'root' | 'merchantAccount' | 'additionalData' | 'paymentSystemTemplate' | 'language' | 'unreserved';

export const ROOT_NAMES: Record<string, string> = {
  '00': 'Payload Format Indicator',
  '01': 'Point of Initiation Method',
  '52': 'Merchant Category Code',
  '53': 'Transaction Currency',
  '54': 'Transaction Amount',
  '55': 'Tip or Convenience Indicator',
  '56': 'Value of Convenience Fee Fixed',
  '57': 'Value of Convenience Fee Percentage',
  '58': 'Country Code',
  '59': 'Merchant Name',
  '60': 'Merchant City',
  '61': 'Postal Code',
  '62': 'Additional Data Field Template',
  '63': 'CRC',
  '64': 'Merchant Information—Language Template',
};

const ROOT_LABELS: Record<string, string> = Object.fromEntries(
  Object.entries(ROOT_NAMES).map(([id, name]) => [id, `${id} (${name})`]),
);

export const ADDITIONAL_KEYS: Record<string, AdditionalDataKey> = {
  '01': 'billNumber',
  '02': 'mobileNumber',
  '03': 'storeLabel',
  '04': 'loyaltyNumber',
  '05': 'referenceLabel',
  '06': 'customerLabel',
  '07': 'terminalLabel',
  '08': 'purposeOfTransaction',
  '09': 'consumerDataRequest',
};

export const ADDITIONAL_IDS = Object.fromEntries(
  Object.entries(ADDITIONAL_KEYS).map(([id, k]) => [k, id]),
) as Record<AdditionalDataKey, string>;

/** Which IDs hold templates (nested data objects) in a given context. */
export function isTemplateId(context: Context, n: number): boolean {
  if (context === 'root') return (n >= 26 && n <= 51) || n === 62 || n === 64 || n >= 80;
  if (context === 'additionalData') return n >= 50;
  return false;
}

/** Name of an ID in context, for messages. */
export function objectName(context: Context, id: string): string {
  const n = Number(id);
  switch (context) {
    case 'root':
      if (ROOT_NAMES[id]) return `${id} (${ROOT_NAMES[id]})`;
      if (n >= 2 && n <= 51) return `${id} (Merchant Account Information)`;
      if (n >= 65 && n <= 79) return `${id} (RFU for EMVCo)`;
      return `${id} (Unreserved Template)`;
    case 'additionalData':
      return `62/${id}`;
    case 'language':
      return `64/${id}`;
    default:
      return id;
  }
}

const DIGITS = /^[0-9]+$/;

function tooLong(label: string, length: number, max: number): Problem | null {
  return length > max
    ? { code: 'VALUE_TOO_LONG', message: `${label} holds ${length} characters; at most ${max} are allowed` }
    : null;
}

function fixed(label: string, length: number, want: number): Problem | null {
  if (length > want)
    return { code: 'VALUE_TOO_LONG', message: `${label} must be exactly ${want} characters, not ${length}` };
  if (length < want)
    return { code: 'VALUE_INVALID', message: `${label} must be exactly ${want} characters, not ${length}` };
  return null;
}

/** Checks a root primitive value on its own (cross-object rules come later). `length` is in code points. */
export function checkRootValue(id: string, value: string, length: number): Problem | null {
  // The label is a getter's worth of work; only an error pays for it.
  const label = ROOT_LABELS[id] ?? id;
  switch (id) {
    case '00':
      return value === '01'
        ? null
        : { code: 'PAYLOAD_FORMAT_INVALID', message: `${label} must be "01" (EMV MPM); got "${value}"` };
    case '01':
      return value === '11' || value === '12'
        ? null
        : {
            code: 'VALUE_INVALID',
            message: `${label} must be "11" (static) or "12" (dynamic); got "${value}"`,
          };
    case '52':
      return (
        fixed(label, length, 4) ??
        (DIGITS.test(value)
          ? null
          : { code: 'VALUE_INVALID', message: `${label} must be 4 digits (ISO 18245); got "${value}"` })
      );
    case '53':
      if (!/^[0-9]{3}$/.test(value))
        return {
          code: 'CURRENCY_UNKNOWN',
          message: `${label} must be a 3-digit ISO 4217 numeric code; got "${value}"`,
        };
      return currencyByNumeric(value)
        ? null
        : {
            code: 'CURRENCY_UNKNOWN',
            message: `${label} "${value}" is not an ISO 4217 numeric currency code`,
          };
    case '54':
    case '56':
      return checkAmountFormat(label, value, length);
    case '55':
      return value === '01' || value === '02' || value === '03'
        ? null
        : {
            code: 'VALUE_INVALID',
            message: `${label} must be "01" (prompt for tip), "02" (fixed fee) or "03" (percentage fee); got "${value}"`,
          };
    case '57':
      return (
        tooLong(label, length, 5) ??
        (/^[0-9]{1,2}(\.[0-9]{0,2})?$/.test(value) && /[1-9]/.test(value)
          ? null
          : {
              code: 'VALUE_INVALID',
              message: `${label} must be a percentage between 00.01 and 99.99 without "%"; got "${value}"`,
            })
      );
    case '58':
      if (length !== 2 || !isIsoCountry(value))
        return {
          code: 'COUNTRY_UNKNOWN',
          message: `${label} "${value}" is not an upper-case ISO 3166-1 alpha-2 country code`,
        };
      return null;
    case '59':
      return tooLong(label, length, 25);
    case '60':
      return tooLong(label, length, 15);
    case '61':
      return tooLong(label, length, 10);
    case '63':
      return null;
    default:
      return null;
  }
}

/** 54 and 56: digits with an optional single "." (EMV §5.2: "98.73", "98" and "98." are valid), never zero. */
export function checkAmountFormat(label: string, value: string, length: number): Problem | null {
  const long = tooLong(label, length, 13);
  if (long) return long;
  if (!/^[0-9]+(\.[0-9]*)?$/.test(value))
    return {
      code: 'AMOUNT_MALFORMED',
      message: `${label} must be digits with an optional "." decimal mark (e.g. "98.73"), no sign, spaces or commas; got "${value}"`,
    };
  if (!/[1-9]/.test(value))
    return { code: 'AMOUNT_MALFORMED', message: `${label} must be different from zero; got "${value}"` };
  return null;
}

/**
 * EMV: the decimals "should align with the currency exponent"; more decimals than the currency has are refused.
 * The message starts with the value: the caller puts the object's name or field in front of it.
 */
export function checkAmountDecimals(value: string, currencyNumeric: string): Problem | null {
  const currency = currencyByNumeric(currencyNumeric);
  if (!currency) return null;
  const dot = value.indexOf('.');
  const decimals = dot < 0 ? 0 : value.length - dot - 1;
  return decimals > currency.exponent
    ? {
        code: 'AMOUNT_MALFORMED',
        message: `"${value}" has ${decimals} decimals but ${currency.alpha} (${currency.numeric}) has ${currency.exponent}`,
      }
    : null;
}

function additionalLabel(id: string): string {
  return `62/${id}${ADDITIONAL_KEYS[id] ? ` (${ADDITIONAL_KEYS[id]})` : ''}`;
}

/** Sub-objects of 62. */
export function checkAdditionalValue(id: string, value: string, length: number): Problem | null {
  const n = (id.charCodeAt(0) - 48) * 10 + id.charCodeAt(1) - 48;
  if (n >= 1 && n <= 8) return length > 25 ? tooLong(additionalLabel(id), length, 25) : null;
  if (n === 9) {
    const label = additionalLabel(id);
    const long = tooLong(label, length, 3);
    if (long) return long;
    return /^[AME]+$/.test(value) && new Set(value).size === value.length
      ? null
      : {
          code: 'VALUE_INVALID',
          message: `${label} must be one or more of "A", "M", "E", each at most once; got "${value}"`,
        };
  }
  return null;
}

/** Sub-objects of 64. */
export function checkLanguageValue(id: string, value: string, length: number): Problem | null {
  if (id === '00')
    return /^[A-Za-z]{2}$/.test(value)
      ? null
      : {
          code: 'VALUE_INVALID',
          message: `64/00 (Language Preference) must be an ISO 639-1 two-letter code; got "${value}"`,
        };
  if (id === '01') return tooLong('64/01 (Merchant Name—Alternate Language)', length, 25);
  if (id === '02') return tooLong('64/02 (Merchant City—Alternate Language)', length, 15);
  return null;
}

/** Sub-object 00 (Globally Unique Identifier) of a template in 26–51, 80–99 or 62/50–99. */
export function checkGui(label: string, length: number): Problem | null {
  return tooLong(`${label}/00 (Globally Unique Identifier)`, length, 32);
}
