// Brazil's Pix BR Code as a profile of EMV MPM. Followed: Banco Central do Brasil, "Manual de Padrões para
// Iniciação do Pix" (§2.5–2.7: template 26 with GUI "br.gov.bcb.pix"; 26-01 the key, written as the DICT
// writes it; 26-02 free text; 26-03 the ISPB of a Pix Saque facilitator; 26-25 the PSP location of a
// dynamic code, without "https://", at most 77 characters; 62-05 the txid, "***" when absent, else 1 to 25
// letters and digits, and "***" in a dynamic code, whose amount and txid the payer ignores) and the
// "Manual do BR Code" (currency 986, country "BR", amount with at most two decimals).
import { type Result, ok, unwrapOrThrow } from '../errors/emv-qr-error';
import { tryEncodeMpm } from '../mpm/encode-mpm';
import {
  ASK_PAYER,
  type MpmFields,
  type MpmPayload,
  type PointOfInitiation,
  type PrimitiveObject,
} from '../mpm/mpm.types';
import { asDecoded, findAccount, mismatch, notAString, sub } from './profile-support';

export const PIX_GUI = 'br.gov.bcb.pix';
const BRL = '986';

export interface PixStaticInput {
  /** A Pix key as DICT writes it: CPF (11 digits), CNPJ (14 digits), +55… phone, lower-case e-mail, or a random key (UUID). */
  key: string;
  merchantName: string;
  merchantCity: string;
  /** Decimal string in BRL, at most two decimals; absent lets the payer type it. */
  amount?: string;
  /** 1–25 letters and digits; "***" (the default) when the receiver does not reconcile by txid. */
  txid?: string;
  /** Free text shown to the payer (26-02). */
  description?: string;
  /** ISPB (8 digits) of the Pix Saque/Troco facilitator (26-03). */
  withdrawalFacilitator?: string;
  merchantCategoryCode?: string;
  postalCode?: string;
  /** Left out by default, as in the BCB example; "dynamic" ("12") marks a code meant for one payment. */
  pointOfInitiation?: PointOfInitiation;
}

export interface PixDynamicInput {
  /** The PSP location of the charge, without "https://" (e.g. "pix.example.com/qr/v2/9d36b84f"). */
  url: string;
  merchantName: string;
  merchantCity: string;
  /** Informative only: the payer's PSP reads the amount from the location. */
  amount?: string;
  merchantCategoryCode?: string;
  postalCode?: string;
}

export type PixInfo =
  | {
      kind: 'static';
      key: string;
      description?: string;
      withdrawalFacilitator?: string;
      txid: string;
      amount?: string;
    }
  | { kind: 'dynamic'; url: string; amount?: string };

const TXID = /^[A-Za-z0-9]{1,25}$/;
const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/;

/** The DICT key forms: CPF, CNPJ, E.164 phone, e-mail (lower case, at most 77), random key (EVP, a UUID). */
export function isPixKey(key: string): boolean {
  if (/^[0-9]{11}$/.test(key) || /^[0-9]{14}$/.test(key)) return true;
  if (/^\+[1-9][0-9]{9,14}$/.test(key)) return true;
  if (UUID.test(key)) return true;
  return key.length <= 77 && key === key.toLowerCase() && /^[^\s@]+@[^\s@]+\.[^\s@]+$/.test(key);
}

function checkAmount(amount: string | undefined, field: string): Result<true> {
  if (amount === undefined) return ok(true);
  if (!/^[0-9]+(\.[0-9]{0,2})?$/.test(amount))
    return mismatch(`Pix amounts have at most two decimals; got "${amount}"`, field);
  return ok(true);
}

/** MpmFields of a static Pix BR Code (one key, reused for many payments). */
export function pixStaticFields(input: PixStaticInput): Result<MpmFields> {
  const wrong = notAString(
    input,
    ['key', 'merchantName', 'merchantCity'],
    ['amount', 'txid', 'description', 'withdrawalFacilitator', 'merchantCategoryCode', 'postalCode'],
  );
  if (wrong) return mismatch(`${wrong} must be a string (amounts are decimal strings)`, wrong);
  if (!isPixKey(input.key))
    return mismatch(
      `"${input.key}" is no Pix key as DICT writes it (CPF, CNPJ, +55… phone, lower-case e-mail or UUID)`,
      'key',
    );
  const txid = input.txid ?? ASK_PAYER;
  if (txid !== ASK_PAYER && !TXID.test(txid))
    return mismatch(`a Pix txid is "***" or 1–25 letters and digits; got "${txid}"`, 'txid');
  if (input.withdrawalFacilitator !== undefined && !/^[0-9]{8}$/.test(input.withdrawalFacilitator))
    return mismatch('withdrawalFacilitator is the 8-digit ISPB of the facilitator', 'withdrawalFacilitator');
  const a = checkAmount(input.amount, 'amount');
  if (!a.ok) return a;
  const template: PrimitiveObject[] = [
    { id: '00', value: PIX_GUI },
    { id: '01', value: input.key },
  ];
  if (input.description !== undefined) template.push({ id: '02', value: input.description });
  if (input.withdrawalFacilitator !== undefined)
    template.push({ id: '03', value: input.withdrawalFacilitator });
  const fields: MpmFields = {
    merchantAccounts: [{ id: '26', template }],
    merchantCategoryCode: input.merchantCategoryCode ?? '0000',
    transactionCurrency: BRL,
    countryCode: 'BR',
    merchantName: input.merchantName,
    merchantCity: input.merchantCity,
    additionalData: { referenceLabel: txid },
  };
  if (input.pointOfInitiation) fields.pointOfInitiation = input.pointOfInitiation;
  if (input.amount !== undefined) fields.transactionAmount = input.amount;
  if (input.postalCode !== undefined) fields.postalCode = input.postalCode;
  return ok(fields);
}

/** MpmFields of a dynamic Pix BR Code (one charge, whose details the payer's PSP fetches from `url`). */
export function pixDynamicFields(input: PixDynamicInput): Result<MpmFields> {
  const wrong = notAString(
    input,
    ['url', 'merchantName', 'merchantCity'],
    ['amount', 'merchantCategoryCode', 'postalCode'],
  );
  if (wrong) return mismatch(`${wrong} must be a string (amounts are decimal strings)`, wrong);
  if (/^[a-z][a-z0-9+.-]*:\/\//i.test(input.url))
    return mismatch('the Pix location is written without "https://"', 'url');
  if (input.url.length === 0 || input.url.length > 77)
    return mismatch('the Pix location holds 1 to 77 characters', 'url');
  const a = checkAmount(input.amount, 'amount');
  if (!a.ok) return a;
  const fields: MpmFields = {
    pointOfInitiation: 'dynamic',
    merchantAccounts: [
      {
        id: '26',
        template: [
          { id: '00', value: PIX_GUI },
          { id: '25', value: input.url },
        ],
      },
    ],
    merchantCategoryCode: input.merchantCategoryCode ?? '0000',
    transactionCurrency: BRL,
    countryCode: 'BR',
    merchantName: input.merchantName,
    merchantCity: input.merchantCity,
    additionalData: { referenceLabel: ASK_PAYER },
  };
  if (input.amount !== undefined) fields.transactionAmount = input.amount;
  if (input.postalCode !== undefined) fields.postalCode = input.postalCode;
  return ok(fields);
}

function encodeWith(fields: Result<MpmFields>): Result<string> {
  return fields.ok ? tryEncodeMpm(fields.value) : fields;
}

/** Reads the Pix part of a valid EMV payload, checking the BR Code rules on top of EMV's. */
export function readPix(payload: string | MpmPayload): Result<PixInfo> {
  const d = asDecoded(payload);
  if (!d.ok) return d;
  const p = d.value;
  const t = findAccount(p, PIX_GUI);
  if (!t) return mismatch(`no merchant account template carries the GUI "${PIX_GUI}"`);
  if (p.transactionCurrency !== BRL)
    return mismatch(`a Pix BR Code is in BRL (986); this one says ${p.transactionCurrency}`);
  if (p.countryCode !== 'BR')
    return mismatch(`a Pix BR Code has country "BR"; this one says "${p.countryCode}"`);
  const txid = p.additionalData?.referenceLabel;
  if (txid === undefined)
    return mismatch('a Pix BR Code always carries a txid in 62-05 ("***" when there is none)');
  const key = sub(t, '01');
  const url = sub(t, '25');
  if (url !== undefined) {
    if (key !== undefined) return mismatch('the Pix template holds both a key (01) and a location (25)');
    const info: PixInfo = { kind: 'dynamic', url };
    if (p.transactionAmount !== undefined) info.amount = p.transactionAmount;
    return ok(info);
  }
  if (key === undefined) return mismatch('the Pix template holds neither a key (01) nor a location (25)');
  if (txid !== ASK_PAYER && !TXID.test(txid))
    return mismatch(`a static Pix txid is "***" or 1–25 letters and digits; got "${txid}"`);
  const amount = checkAmount(p.transactionAmount, 'transactionAmount');
  if (!amount.ok) return amount;
  const info: PixInfo = { kind: 'static', key, txid };
  const description = sub(t, '02');
  const fss = sub(t, '03');
  if (description !== undefined) info.description = description;
  if (fss !== undefined) info.withdrawalFacilitator = fss;
  if (p.transactionAmount !== undefined) info.amount = p.transactionAmount;
  return ok(info);
}

/** Pix BR Code profile: `pix.static(...)` and `pix.dynamic(...)` return the payload; `try*` return a Result. */
export const pix = {
  GUI: PIX_GUI,
  static: (input: PixStaticInput): string => unwrapOrThrow(encodeWith(pixStaticFields(input))),
  dynamic: (input: PixDynamicInput): string => unwrapOrThrow(encodeWith(pixDynamicFields(input))),
  tryStatic: (input: PixStaticInput): Result<string> => encodeWith(pixStaticFields(input)),
  tryDynamic: (input: PixDynamicInput): Result<string> => encodeWith(pixDynamicFields(input)),
  staticFields: pixStaticFields,
  dynamicFields: pixDynamicFields,
  read: readPix,
};
