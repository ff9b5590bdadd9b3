import {
  amountToMinorUnits,
  decodeMpm,
  isTemplate,
  minorUnitsToAmount,
  tryEncodeMpm,
  type MpmFields,
  type MpmPayload,
} from '@paylend/emv-qr';
import { currencyByNumeric, currencyOf } from '@paylend/ledger';
import { PaymentsError } from '../common/payments-error';

/** PayLend's globally unique identifier in merchant account template 26 (sub-object 00). */
export const PAYLEND_GUI = 'com.paylend.pay';
export const PAYLEND_ACCOUNT_TEMPLATE = '26';

export interface QrMerchant {
  id: string;
  name: string;
  city: string;
  country: string;
  mcc: string;
  currency: string;
}

function baseFields(m: QrMerchant): MpmFields {
  return {
    merchantAccounts: [
      {
        id: PAYLEND_ACCOUNT_TEMPLATE,
        template: [
          { id: '00', value: PAYLEND_GUI },
          { id: '01', value: m.id },
        ],
      },
    ],
    merchantCategoryCode: m.mcc,
    transactionCurrency: String(currencyOf(m.currency).numeric).padStart(3, '0'),
    countryCode: m.country,
    merchantName: m.name,
    merchantCity: m.city,
  };
}

/** A merchant whose details cannot go in an EMV QR (a currency EMV has no numeric code for, say) is refused. */
function encode(fields: MpmFields): string {
  const r = tryEncodeMpm(fields);
  if (!r.ok)
    throw new PaymentsError(
      r.error.field === 'transactionAmount' ? 'AMOUNT_INVALID' : 'QR_INVALID',
      `cannot encode the merchant QR: ${r.error.code} ${r.error.message}`,
    );
  return r.value;
}

/** A static QR: the same code for every payment; the payer's app asks for the amount. */
export function staticQrPayload(m: QrMerchant): string {
  return encode({ ...baseFields(m), pointOfInitiation: 'static' });
}

/** A dynamic QR for one order: its amount, and the order id in 62/05 (and the merchant's reference in 62/01). */
export function dynamicQrPayload(
  m: QrMerchant,
  order: { orderId: string; amountMinor: bigint; reference: string | null },
): string {
  const fields = baseFields(m);
  const amount = minorUnitsToAmount(order.amountMinor, fields.transactionCurrency);
  if (!amount.ok)
    throw new PaymentsError('AMOUNT_INVALID', `the amount cannot go in an EMV QR: ${amount.error.message}`);
  return encode({
    ...fields,
    pointOfInitiation: 'dynamic',
    transactionAmount: amount.value,
    additionalData: {
      referenceLabel: order.orderId,
      ...(order.reference ? { billNumber: order.reference } : {}),
    },
  });
}

export type ScannedQr =
  | {
      ok: true;
      merchantId: string;
      dynamic: boolean;
      orderId: string | null;
      /** In minor units of `currency`, when the payload carries an amount. */
      amountMinor: bigint | null;
      currency: string;
      payload: MpmPayload;
    }
  | { ok: false; code: 'QR_INVALID' | 'QR_NOT_PAYLEND'; message: string };

/** Reads what a scanned payload claims. The caller trusts none of it beyond which order it names. */
export function readScannedQr(raw: string): ScannedQr {
  const decoded = decodeMpm(raw);
  if (!decoded.ok) {
    return { ok: false, code: 'QR_INVALID', message: `${decoded.error.code}: ${decoded.error.message}` };
  }
  const p = decoded.value;
  const account = p.merchantAccounts.find(
    (a) =>
      isTemplate(a) && a.template.some((s) => s.id === '00' && !isTemplate(s) && s.value === PAYLEND_GUI),
  );
  const merchantId =
    account && isTemplate(account)
      ? account.template.find((s) => s.id === '01' && !isTemplate(s))
      : undefined;
  if (!merchantId || isTemplate(merchantId)) {
    return {
      ok: false,
      code: 'QR_NOT_PAYLEND',
      message: `the QR has no PayLend merchant account (template 26-51 with GUI ${PAYLEND_GUI})`,
    };
  }
  let currency: string;
  try {
    currency = currencyOfNumeric(p.transactionCurrency);
  } catch {
    return { ok: false, code: 'QR_INVALID', message: `currency ${p.transactionCurrency} is not supported` };
  }
  let amountMinor: bigint | null = null;
  if (p.transactionAmount !== undefined) {
    const minor = amountToMinorUnits(p.transactionAmount, p.transactionCurrency);
    if (!minor.ok) return { ok: false, code: 'QR_INVALID', message: minor.error.message };
    amountMinor = minor.value;
  }
  return {
    ok: true,
    merchantId: merchantId.value,
    dynamic: p.pointOfInitiation === 'dynamic',
    orderId: p.additionalData?.referenceLabel ?? null,
    amountMinor,
    currency,
    payload: p,
  };
}

function currencyOfNumeric(numeric: string): string {
  // The ledger's currency table is the one PayLend settles in; a currency outside it cannot be paid here.
  return currencyByNumeric(numeric).code;
}
