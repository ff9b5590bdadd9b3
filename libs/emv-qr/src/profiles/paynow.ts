// Singapore PayNow (inside SGQR) as a profile of EMV MPM. Followed: the PayNow merchant account template as
// Singapore bank apps generate it (e.g. POSB/DBS; the ABS "PayNow QR" layout, mirrored by public decoders):
// template 26 with GUI "SG.PAYNOW"; 26-01 proxy type ("0" mobile, "2" UEN); 26-02 the proxy (+65 and 8
// digits, or the UEN); 26-03 "1" if the payer may edit the amount, "0" if not; 26-04 optional expiry
// YYYYMMDD. Currency 702 (SGD), country "SG", MCC "0000" unless the acquirer assigns one, and the payer's
// reference in 62-01. The ABS specification itself is not public, so only this observable layout is checked.
import { type Result, ok, unwrapOrThrow } from '../errors/emv-qr-error';
import { tryEncodeMpm } from '../mpm/encode-mpm';
import type { MpmFields, MpmPayload, PrimitiveObject } from '../mpm/mpm.types';
import { asDecoded, findAccount, mismatch, notAString, sub } from './profile-support';

export const PAYNOW_GUI = 'SG.PAYNOW';
const SGD = '702';

export type PayNowProxy = { type: 'mobile'; value: string } | { type: 'uen'; value: string };

export interface PayNowInput {
  proxy: PayNowProxy;
  merchantName: string;
  merchantCity?: string;
  /** SGD decimal string, at most two decimals. */
  amount?: string;
  /** Whether the payer may change the amount; defaults to true without an amount, false with one. */
  editable?: boolean;
  /** YYYYMMDD after which the code must not be paid. */
  expiry?: string;
  /** Bill number / payer reference (62-01), at most 25 characters. */
  reference?: string;
  merchantCategoryCode?: string;
}

export interface PayNowInfo {
  proxy: PayNowProxy;
  editable: boolean;
  expiry?: string;
  amount?: string;
  reference?: string;
}

const MOBILE = /^\+65[0-9]{8}$/;
const UEN = /^[0-9A-Z]{9,10}$/;
const DATE = /^(20[0-9]{2})(0[1-9]|1[0-2])(0[1-9]|[12][0-9]|3[01])$/;

function checkProxy(proxy: PayNowProxy): Result<true> {
  if (proxy.type === 'mobile' && !MOBILE.test(proxy.value))
    return mismatch(`a PayNow mobile proxy is "+65" and 8 digits; got "${proxy.value}"`, 'proxy.value');
  if (proxy.type === 'uen' && !UEN.test(proxy.value))
    return mismatch(`a UEN is 9 or 10 upper-case letters and digits; got "${proxy.value}"`, 'proxy.value');
  if (proxy.type !== 'mobile' && proxy.type !== 'uen')
    return mismatch('proxy.type is "mobile" or "uen"', 'proxy.type');
  return ok(true);
}

function payNowFields(input: PayNowInput, dynamic: boolean): Result<MpmFields> {
  const wrong = notAString(
    input,
    ['merchantName'],
    ['merchantCity', 'amount', 'expiry', 'reference', 'merchantCategoryCode'],
  );
  if (wrong) return mismatch(`${wrong} must be a string (amounts are decimal strings)`, wrong);
  if (notAString(input.proxy, ['type', 'value']))
    return mismatch('proxy is {"type":"mobile"|"uen","value":"..."}', 'proxy');
  if (input.editable !== undefined && typeof input.editable !== 'boolean')
    return mismatch('editable is true or false', 'editable');
  const proxy = checkProxy(input.proxy);
  if (!proxy.ok) return proxy;
  if (input.amount !== undefined && !/^[0-9]+(\.[0-9]{0,2})?$/.test(input.amount))
    return mismatch(`an SGD amount has at most two decimals; got "${input.amount}"`, 'amount');
  if (dynamic && input.amount === undefined)
    return mismatch('a dynamic PayNow code states its amount', 'amount');
  if (input.expiry !== undefined && !DATE.test(input.expiry))
    return mismatch('expiry is a date written YYYYMMDD', 'expiry');
  const editable = input.editable ?? input.amount === undefined;
  const template: PrimitiveObject[] = [
    { id: '00', value: PAYNOW_GUI },
    { id: '01', value: input.proxy.type === 'mobile' ? '0' : '2' },
    { id: '02', value: input.proxy.value },
    { id: '03', value: editable ? '1' : '0' },
  ];
  if (input.expiry !== undefined) template.push({ id: '04', value: input.expiry });
  const fields: MpmFields = {
    pointOfInitiation: dynamic ? 'dynamic' : 'static',
    merchantAccounts: [{ id: '26', template }],
    merchantCategoryCode: input.merchantCategoryCode ?? '0000',
    transactionCurrency: SGD,
    countryCode: 'SG',
    merchantName: input.merchantName,
    merchantCity: input.merchantCity ?? 'Singapore',
  };
  if (input.amount !== undefined) fields.transactionAmount = input.amount;
  if (input.reference !== undefined) fields.additionalData = { billNumber: input.reference };
  return ok(fields);
}

export function readPayNow(payload: string | MpmPayload): Result<PayNowInfo> {
  const d = asDecoded(payload);
  if (!d.ok) return d;
  const p = d.value;
  const t = findAccount(p, PAYNOW_GUI);
  if (!t) return mismatch(`no merchant account template carries the GUI "${PAYNOW_GUI}"`);
  if (p.transactionCurrency !== SGD)
    return mismatch(`PayNow pays in SGD (702); this code says ${p.transactionCurrency}`);
  if (p.countryCode !== 'SG')
    return mismatch(`a PayNow code has country "SG"; this one says "${p.countryCode}"`);
  const type = sub(t, '01');
  const value = sub(t, '02');
  if (value === undefined || (type !== '0' && type !== '2'))
    return mismatch('the PayNow template needs 01 (proxy type "0" or "2") and 02 (the proxy)');
  const proxy: PayNowProxy = type === '0' ? { type: 'mobile', value } : { type: 'uen', value };
  const checked = checkProxy(proxy);
  if (!checked.ok) return checked;
  const editable = sub(t, '03');
  if (editable !== undefined && editable !== '0' && editable !== '1')
    return mismatch('PayNow 26-03 (amount editable) is "0" or "1"');
  const info: PayNowInfo = { proxy, editable: editable !== '0' };
  const expiry = sub(t, '04');
  // Some issuers write the expiry with a time (YYYYMMDDhhmmss); the date is what is checked.
  if (expiry !== undefined) {
    if (!DATE.test(expiry.slice(0, 8)) || !(expiry.length === 8 || /^[0-9]{14}$/.test(expiry)))
      return mismatch(`PayNow 26-04 (expiry) is YYYYMMDD; got "${expiry}"`);
    info.expiry = expiry;
  }
  if (p.transactionAmount !== undefined) info.amount = p.transactionAmount;
  if (p.additionalData?.billNumber !== undefined) info.reference = p.additionalData.billNumber;
  return ok(info);
}

const encodeWith = (fields: Result<MpmFields>): Result<string> =>
  fields.ok ? tryEncodeMpm(fields.value) : fields;

/** Singapore PayNow profile: `paynow.static(...)` for a reusable code, `paynow.dynamic(...)` for one payment. */
export const paynow = {
  GUI: PAYNOW_GUI,
  static: (input: PayNowInput): string => unwrapOrThrow(encodeWith(payNowFields(input, false))),
  dynamic: (input: PayNowInput): string => unwrapOrThrow(encodeWith(payNowFields(input, true))),
  tryStatic: (input: PayNowInput): Result<string> => encodeWith(payNowFields(input, false)),
  tryDynamic: (input: PayNowInput): Result<string> => encodeWith(payNowFields(input, true)),
  staticFields: (input: PayNowInput): Result<MpmFields> => payNowFields(input, false),
  dynamicFields: (input: PayNowInput): Result<MpmFields> => payNowFields(input, true),
  read: readPayNow,
};
