// EMV QRCPS Consumer-Presented Mode: the payer's app shows BER-TLV data, base64-encoded, which the merchant's
// POS scans. Layout followed (EMV QRCPS-CPM v1.0 §3 and its annex example, reproduced in the tests):
// '85' Payload Format Indicator "CPV01" first; one or more '61' Application Templates; an optional '62'
// Common Data Template. Inside 61/62: 4F ADF Name, 50 Application Label, 57 Track 2 Equivalent Data,
// 5A PAN, 5F20 Cardholder Name, 5F2D Language Preference, 5F50 Issuer URL, 9F08 Application Version
// Number, 9F19 Token Requestor ID, 9F24 Payment Account Reference, 9F25 Last 4 Digits of PAN, and the
// transparent templates 63 (in 61) / 64 (in 62) whose contents (9F26 cryptogram, 9F36 ATC, ...) go to
// the issuer untouched. Values that are text (an/ans) are strings; binary and BCD values are hex.
import { type Result, fail, ok, unwrapOrThrow } from '../errors/emv-qr-error';
import { type BerTlv, parseBer, serializeBer } from './ber-tlv';

export interface CpmTemplate {
  adfName?: string;
  applicationLabel?: string;
  track2EquivalentData?: string;
  applicationPan?: string;
  cardholderName?: string;
  languagePreference?: string;
  issuerUrl?: string;
  applicationVersionNumber?: string;
  tokenRequestorId?: string;
  paymentAccountReference?: string;
  last4DigitsOfPan?: string;
  /** Contents of 63 (in 61) or 64 (in 62), passed to the issuer as they are. */
  transparent?: BerTlv[];
  /** Any other data object in the template, kept so nothing is lost. */
  other?: BerTlv[];
}

export interface CpmFields {
  applications: CpmTemplate[];
  commonData?: CpmTemplate;
}

export interface CpmPayload extends CpmFields {
  payloadFormatIndicator: 'CPV01';
  /** The whole payload as data objects, in order. */
  tlv: BerTlv[];
}

type Key = Exclude<keyof CpmTemplate, 'transparent' | 'other'>;

/** Tag, field, and whether the value is text (else hex). Order = encoding order. */
const FIELDS: ReadonlyArray<readonly [string, Key, boolean]> = [
  ['4F', 'adfName', false],
  ['50', 'applicationLabel', true],
  ['57', 'track2EquivalentData', false],
  ['5A', 'applicationPan', false],
  ['5F20', 'cardholderName', true],
  ['5F2D', 'languagePreference', true],
  ['5F50', 'issuerUrl', true],
  ['9F08', 'applicationVersionNumber', false],
  ['9F19', 'tokenRequestorId', false],
  ['9F24', 'paymentAccountReference', true],
  ['9F25', 'last4DigitsOfPan', false],
];
const BY_TAG = new Map(FIELDS.map(([tag, key, text]) => [tag, { key, text }]));
const PFI = 'CPV01';
const PFI_TLV = { tag: '85', value: Buffer.from(PFI).toString('hex').toUpperCase() };

function readTemplate(t: BerTlv, transparentTag: string): CpmTemplate {
  const out: CpmTemplate = {};
  const other: BerTlv[] = [];
  for (const c of t.children ?? []) {
    const f = BY_TAG.get(c.tag);
    if (f && c.value !== undefined)
      out[f.key] = f.text ? Buffer.from(c.value, 'hex').toString('latin1') : c.value;
    else if (c.tag === transparentTag && c.children) out.transparent = c.children;
    else other.push(c);
  }
  if (other.length) out.other = other;
  return out;
}

function writeTemplate(tag: string, t: CpmTemplate, transparentTag: string, field: string): Result<BerTlv> {
  const children: BerTlv[] = [];
  for (const [ftag, key, text] of FIELDS) {
    const v = t[key];
    if (v === undefined) continue;
    if (text) {
      if (!/^[\x20-\x7e]*$/.test(v))
        return fail('VALUE_INVALID', `${field}.${key} must be printable ASCII`, -1, `${field}.${key}`);
      children.push({ tag: ftag, value: Buffer.from(v, 'latin1').toString('hex').toUpperCase() });
    } else {
      if (!/^([0-9A-F]{2})*$/.test(v))
        return fail('VALUE_INVALID', `${field}.${key} must be upper-case hex bytes`, -1, `${field}.${key}`);
      children.push({ tag: ftag, value: v });
    }
  }
  if (t.transparent) children.push({ tag: transparentTag, children: t.transparent });
  if (t.other) children.push(...t.other);
  return ok({ tag, children });
}

/** Decodes a base64 consumer-presented payload. Never throws; errors carry a base64 character or byte position. */
export function decodeCpm(payload: unknown): Result<CpmPayload> {
  if (typeof payload !== 'string')
    return fail('NOT_A_STRING', `a CPM payload is a base64 string; got ${typeof payload}`, 0);
  if (payload.length === 0)
    return fail(
      'EMPTY_PAYLOAD',
      'the payload is empty; a CPM payload is base64 of BER-TLV starting 85 05 "CPV01"',
      0,
    );
  const bad = payload.search(/[^A-Za-z0-9+/=]/);
  if (bad >= 0) return fail('CPM_BASE64_INVALID', `character ${bad} ("${payload[bad]}") is not base64`, bad);
  if (payload.length % 4 !== 0 || /=[^=]/.test(payload) || /={3,}$/.test(payload))
    return fail(
      'CPM_BASE64_INVALID',
      'the payload is not padded base64 (length a multiple of 4, "=" only at the end)',
      payload.length,
    );
  const bytes = new Uint8Array(Buffer.from(payload, 'base64'));
  const parsed = parseBer(bytes, 0, bytes.length);
  if (!Array.isArray(parsed))
    return { ok: false, error: { ...parsed, message: `after base64 decoding, ${parsed.message}` } };
  const first = parsed[0];
  if (!first || first.tlv.tag !== '85' || first.tlv.value !== PFI_TLV.value)
    return fail(
      'CPM_FORMAT_INVALID',
      'a CPM payload starts with 85 (Payload Format Indicator) holding "CPV01"',
      0,
    );
  const applications: CpmTemplate[] = [];
  let commonData: CpmTemplate | undefined;
  for (const p of parsed.slice(1)) {
    const err = (message: string): Result<CpmPayload> => fail('CPM_FORMAT_INVALID', message, p.start);
    if (p.tlv.tag === '61') {
      const app = readTemplate(p.tlv, '63');
      if (app.adfName === undefined)
        return err(`the application template at byte ${p.start} has no 4F (ADF Name)`);
      applications.push(app);
    } else if (p.tlv.tag === '62') {
      if (commonData) return err(`a second 62 (Common Data Template) at byte ${p.start}`);
      commonData = readTemplate(p.tlv, '64');
    } else if (p.tlv.tag === '85') return err(`a second 85 (Payload Format Indicator) at byte ${p.start}`);
    else
      return err(
        `tag ${p.tlv.tag} at byte ${p.start} is not allowed at the top of a CPM payload (85, 61, 62)`,
      );
  }
  if (applications.length === 0)
    return fail(
      'CPM_FORMAT_INVALID',
      'a CPM payload holds at least one 61 (Application Template)',
      bytes.length,
    );
  const out: CpmPayload = { payloadFormatIndicator: PFI, applications, tlv: parsed.map((p) => p.tlv) };
  if (commonData) out.commonData = commonData;
  return ok(out);
}

export function tryEncodeCpm(fields: CpmFields): Result<string> {
  if (!fields.applications?.length)
    return fail(
      'MANDATORY_MISSING',
      'applications needs at least one application template',
      -1,
      'applications',
    );
  const top: BerTlv[] = [PFI_TLV];
  for (const [i, a] of fields.applications.entries()) {
    if (a.adfName === undefined)
      return fail(
        'MANDATORY_MISSING',
        'each application template needs adfName (4F)',
        -1,
        `applications[${i}].adfName`,
      );
    const t = writeTemplate('61', a, '63', `applications[${i}]`);
    if (!t.ok) return t;
    top.push(t.value);
  }
  if (fields.commonData) {
    const t = writeTemplate('62', fields.commonData, '64', 'commonData');
    if (!t.ok) return t;
    top.push(t.value);
  }
  return ok(Buffer.from(serializeBer(top)).toString('base64'));
}

/** Encodes consumer-presented data to base64; throws EmvQrEncodeError on invalid fields. */
export function encodeCpm(fields: CpmFields): string {
  return unwrapOrThrow(tryEncodeCpm(fields));
}
