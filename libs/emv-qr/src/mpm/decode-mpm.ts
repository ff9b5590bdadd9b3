import { crc16ccitt } from '../crc/crc16';
import { type EmvQrError, type EmvQrErrorCode, type Result, fail, ok } from '../errors/emv-qr-error';
import {
  ADDITIONAL_KEYS,
  type Problem,
  checkAdditionalValue,
  checkAmountDecimals,
  checkGui,
  checkLanguageValue,
  checkRootValue,
  objectName,
} from './mpm-spec';
import {
  ASK_PAYER,
  type AdditionalData,
  type AdditionalDataKey,
  type DataObject,
  type LanguageTemplate,
  type MpmPayload,
  type PrimitiveObject,
  type TemplateObject,
  type TipOrConvenience,
} from './mpm.types';
import { type Chars, type RawObject, isError, parseObjects } from './tlv';

const SURROGATE = /[\uD800-\uDFFF]/;
const MANDATORY = [52, 53, 58, 59, 60] as const;
const AMOUNTS = [54, 56] as const;

/** Code point array of a string with surrogates, or the position of its first lone surrogate. */
function codePoints(payload: string): string[] | number {
  const out = Array.from(payload);
  for (let i = 0; i < out.length; i++) {
    const c = out[i];
    if (c.length === 1) {
      const u = c.charCodeAt(0);
      if (u >= 0xd800 && u <= 0xdfff) return i;
    }
  }
  return out;
}

/** The payload as characters (see tlv.ts), or the position of its first lone surrogate. */
function charsOf(payload: string): Chars | number {
  return SURROGATE.test(payload) ? codePoints(payload) : payload;
}

/**
 * The payload's top-level data objects as written, in order, with no validation beyond their ID-length-value
 * structure (no CRC, no mandatory objects): for routing a payload, never for trusting it. Undefined when the
 * structure cannot be read.
 */
export function readTopLevelObjects(payload: string): RawObject[] | undefined {
  const chars = charsOf(payload);
  if (typeof chars === 'number') return undefined;
  const objects = parseObjects(chars, 0, chars.length, 'payload');
  return isError(objects) ? undefined : objects;
}

function err(code: EmvQrErrorCode, message: string, position: number): EmvQrError {
  return { code, message, position };
}

const ADDITIONAL_KEY_LIST = Object.values(ADDITIONAL_KEYS) as AdditionalDataKey[];

function fromProblem(p: Problem, position: number): EmvQrError {
  return { code: p.code, message: p.message, position };
}

/** IDs are 00–99, so "seen" is a 100-bit set in four 32-bit words rather than a Set per template. */
function duplicate(objects: RawObject[], where: string): EmvQrError | null {
  let w0 = 0;
  let w1 = 0;
  let w2 = 0;
  let w3 = 0;
  for (let i = 0; i < objects.length; i++) {
    const o = objects[i];
    const bit = 1 << (o.n & 31);
    const word = o.n >> 5;
    const had = word === 0 ? w0 & bit : word === 1 ? w1 & bit : word === 2 ? w2 & bit : w3 & bit;
    if (had)
      return err(
        'DUPLICATE_ID',
        `${where}: data object ${o.id} appears twice (again at position ${o.pos})`,
        o.pos,
      );
    if (word === 0) w0 |= bit;
    else if (word === 1) w1 |= bit;
    else if (word === 2) w2 |= bit;
    else w3 |= bit;
  }
  return null;
}

/** A template of 26–51, 80–99 or 62/50–99: GUI in 00 (mandatory), the rest primitives of the scheme. */
function decodeGuiTemplate(chars: Chars, parent: RawObject, label: string): TemplateObject | EmvQrError {
  const inner = parseObjects(chars, parent.valuePos, parent.valuePos + parent.length, `template ${label}`);
  if (isError(inner)) return inner;
  const dup = duplicate(inner, `template ${label}`);
  if (dup) return dup;
  const gui = inner.find((o) => o.id === '00');
  if (!gui)
    return err(
      'MANDATORY_MISSING',
      `template ${label} at position ${parent.pos} has no 00 (Globally Unique Identifier); every such template names its scheme there`,
      parent.pos,
    );
  const p = checkGui(label, gui.length);
  if (p) return fromProblem(p, gui.pos);
  return { id: parent.id, template: inner.map((o) => ({ id: o.id, value: o.value })) };
}

interface DecodedAdditional {
  data: AdditionalData;
  objects: DataObject[];
}

function decodeAdditional(chars: Chars, parent: RawObject): DecodedAdditional | EmvQrError {
  const inner = parseObjects(chars, parent.valuePos, parent.valuePos + parent.length, 'template 62');
  if (isError(inner)) return inner;
  const dup = duplicate(inner, 'template 62');
  if (dup) return dup;
  const data: AdditionalData = {};
  const objects: DataObject[] = [];
  const rfu: PrimitiveObject[] = [];
  const templates: TemplateObject[] = [];
  for (const o of inner) {
    const n = o.n;
    if (n >= 50) {
      const t = decodeGuiTemplate(chars, o, `62/${o.id}`);
      if ('code' in t) return t;
      templates.push(t);
      objects.push(t);
      continue;
    }
    const p = checkAdditionalValue(o.id, o.value, o.length);
    if (p) return fromProblem(p, o.pos);
    const key = ADDITIONAL_KEYS[o.id];
    if (key) data[key] = o.value;
    else rfu.push({ id: o.id, value: o.value });
    objects.push({ id: o.id, value: o.value });
  }
  if (rfu.length) data.rfu = sortedById(rfu);
  if (templates.length) data.paymentSystemTemplates = sortedById(templates);
  return { data, objects };
}

function decodeLanguage(
  chars: Chars,
  parent: RawObject,
): { data: LanguageTemplate; objects: DataObject[] } | EmvQrError {
  const inner = parseObjects(chars, parent.valuePos, parent.valuePos + parent.length, 'template 64');
  if (isError(inner)) return inner;
  const dup = duplicate(inner, 'template 64');
  if (dup) return dup;
  let languagePreference: string | undefined;
  let merchantName: string | undefined;
  let merchantCity: string | undefined;
  const rfu: PrimitiveObject[] = [];
  for (const o of inner) {
    const p = checkLanguageValue(o.id, o.value, o.length);
    if (p) return fromProblem(p, o.pos);
    if (o.id === '00') languagePreference = o.value;
    else if (o.id === '01') merchantName = o.value;
    else if (o.id === '02') merchantCity = o.value;
    else rfu.push({ id: o.id, value: o.value });
  }
  if (languagePreference === undefined)
    return err(
      'MANDATORY_MISSING',
      `template 64 at position ${parent.pos} has no 00 (Language Preference)`,
      parent.pos,
    );
  if (merchantName === undefined)
    return err(
      'MANDATORY_MISSING',
      `template 64 at position ${parent.pos} has no 01 (Merchant Name—Alternate Language)`,
      parent.pos,
    );
  const data: LanguageTemplate = { languagePreference, merchantName };
  if (merchantCity !== undefined) data.merchantCity = merchantCity;
  if (rfu.length) data.rfu = sortedById(rfu);
  return { data, objects: inner.map((o) => ({ id: o.id, value: o.value })) };
}

function byId<T extends { id: string }>(a: T, b: T): number {
  return a.id < b.id ? -1 : a.id > b.id ? 1 : 0;
}

/** Sorts by ID unless already sorted, the common case, which then costs one pass. */
function sortedById<T extends { id: string }>(xs: T[]): T[] {
  for (let i = 1; i < xs.length; i++) if (xs[i - 1].id > xs[i].id) return xs.sort(byId);
  return xs;
}

/**
 * Decodes and validates an EMV merchant-presented payload. Never throws: any input, including a non-string,
 * gives either the decoded payload or a typed error with a stable code, a message and a character position.
 */
export function decodeMpm(payload: unknown): Result<MpmPayload> {
  if (typeof payload !== 'string')
    return fail('NOT_A_STRING', `an EMV QR payload is a string; got ${typeof payload}`, 0);
  if (payload.length === 0)
    return fail('EMPTY_PAYLOAD', 'the payload is empty; it must start with "000201"', 0);
  const chars = charsOf(payload);
  if (typeof chars === 'number')
    return fail(
      'ILL_FORMED_UNICODE',
      `character ${chars} is a lone UTF-16 surrogate, which has no UTF-8 encoding`,
      chars,
    );
  const total = chars.length;
  const root = parseObjects(chars, 0, total, 'payload');
  if (isError(root)) return { ok: false, error: root };

  const first = root[0];
  if (first.id !== '00')
    return fail(
      'PAYLOAD_FORMAT_INVALID',
      `the payload must start with 00 (Payload Format Indicator), "000201"; it starts with data object ${first.id}`,
      0,
    );
  if (first.value !== '01')
    return fail(
      'PAYLOAD_FORMAT_INVALID',
      `00 (Payload Format Indicator) must be "01"; got "${first.value}"`,
      first.valuePos,
    );

  // The CRC first: a damaged payload should say "damaged", not whichever field the damage happened to hit.
  const last = root[root.length - 1];
  let crcIndex = -1;
  for (let i = 0; i < root.length && crcIndex < 0; i++) if (root[i]?.n === 63) crcIndex = i;
  if (crcIndex < 0)
    return fail(
      'CRC_MISSING',
      'the payload has no 63 (CRC); it must end with "6304" and four hex digits',
      total,
    );
  if (crcIndex !== root.length - 1)
    return fail(
      'CRC_NOT_LAST',
      `63 (CRC) at position ${root[crcIndex].pos} must be the last data object; data object ${last.id} follows it`,
      root[crcIndex].pos,
    );
  if (last.length !== 4 || !/^[0-9A-F]{4}$/.test(last.value))
    return fail(
      'CRC_MALFORMED',
      `63 (CRC) must be four upper-case hex digits; got "${last.value}"`,
      last.valuePos,
    );
  const expected = crc16ccitt(payload, payload.length - 4);
  if (expected !== last.value)
    return fail(
      'CRC_MISMATCH',
      `CRC mismatch: the payload says ${last.value} but its content hashes to ${expected}; the payload was altered or mis-scanned`,
      last.valuePos,
    );
  const dup = duplicate(root, 'payload');
  if (dup) return { ok: false, error: dup };

  const dataObjects: DataObject[] = [];
  const merchantAccounts: DataObject[] = [];
  const rfu: PrimitiveObject[] = [];
  const unreserved: TemplateObject[] = [];
  // Indexed by numeric ID: numeric-looking string keys would make a plain object a sparse array anyway.
  const byIdRaw: Array<RawObject | undefined> = [];
  let additional: AdditionalData | undefined;
  let language: LanguageTemplate | undefined;

  for (const o of root) {
    const n = o.n;
    byIdRaw[n] = o;
    if (n >= 26 && n <= 51) {
      const t = decodeGuiTemplate(chars, o, o.id);
      if ('code' in t) return { ok: false, error: t };
      merchantAccounts.push(t);
      dataObjects.push(t);
    } else if (n >= 80) {
      const t = decodeGuiTemplate(chars, o, o.id);
      if ('code' in t) return { ok: false, error: t };
      unreserved.push(t);
      dataObjects.push(t);
    } else if (n === 62) {
      const a = decodeAdditional(chars, o);
      if ('code' in a) return { ok: false, error: a };
      additional = a.data;
      dataObjects.push({ id: o.id, template: a.objects });
    } else if (n === 64) {
      const l = decodeLanguage(chars, o);
      if ('code' in l) return { ok: false, error: l };
      language = l.data;
      dataObjects.push({ id: o.id, template: l.objects });
    } else {
      const p = checkRootValue(o.id, o.value, o.length);
      if (p) return { ok: false, error: fromProblem(p, o.pos) };
      // One object in both lists: they describe the same data object.
      const d: PrimitiveObject = { id: o.id, value: o.value };
      if (n >= 2 && n <= 25) merchantAccounts.push(d);
      else if (n >= 65 && n <= 79) rfu.push(d);
      dataObjects.push(d);
    }
  }

  const crcPos = last.pos;
  const mcc = byIdRaw[52];
  const cur = byIdRaw[53];
  const country = byIdRaw[58];
  const name = byIdRaw[59];
  const city = byIdRaw[60];
  if (!mcc || !cur || !country || !name || !city) {
    const n = MANDATORY.find((m) => !byIdRaw[m]) ?? 52;
    return fail(
      'MANDATORY_MISSING',
      `the payload has no ${objectName('root', String(n))}, which EMV MPM makes mandatory`,
      crcPos,
    );
  }
  if (merchantAccounts.length === 0)
    return fail(
      'MANDATORY_MISSING',
      'the payload has no Merchant Account Information (02–51); at least one is mandatory',
      crcPos,
    );

  const currency = cur.value;
  for (const n of AMOUNTS) {
    const o = byIdRaw[n];
    if (!o) continue;
    const p = checkAmountDecimals(o.value, currency);
    if (p)
      return {
        ok: false,
        error: fromProblem({ ...p, message: `${objectName('root', o.id)} ${p.message}` }, o.pos),
      };
  }

  const tipRaw = byIdRaw[55];
  let tip: TipOrConvenience | undefined;
  const fixedFee = byIdRaw[56];
  const pctFee = byIdRaw[57];
  if (tipRaw?.value === '02' && !fixedFee)
    return fail(
      'CONDITIONAL_MISMATCH',
      '55 is "02" (fixed convenience fee) but 56 (its value) is missing',
      tipRaw.pos,
    );
  if (tipRaw?.value === '03' && !pctFee)
    return fail(
      'CONDITIONAL_MISMATCH',
      '55 is "03" (percentage convenience fee) but 57 (its value) is missing',
      tipRaw.pos,
    );
  if (fixedFee && tipRaw?.value !== '02')
    return fail(
      'CONDITIONAL_MISMATCH',
      '56 (fixed convenience fee) is present but 55 is not "02"; remove 56 or set 55 to "02"',
      fixedFee.pos,
    );
  if (pctFee && tipRaw?.value !== '03')
    return fail(
      'CONDITIONAL_MISMATCH',
      '57 (percentage convenience fee) is present but 55 is not "03"; remove 57 or set 55 to "03"',
      pctFee.pos,
    );
  if (tipRaw?.value === '01') tip = { kind: 'prompt' };
  else if (tipRaw?.value === '02' && fixedFee) tip = { kind: 'fixed', value: fixedFee.value };
  else if (tipRaw?.value === '03' && pctFee) tip = { kind: 'percentage', value: pctFee.value };

  const result: MpmPayload = {
    payloadFormatIndicator: '01',
    merchantAccounts: sortedById(merchantAccounts),
    merchantCategoryCode: mcc.value,
    transactionCurrency: currency,
    countryCode: country.value,
    merchantName: name.value,
    merchantCity: city.value,
    crc: last.value,
    dataObjects,
    promptFor: [],
  };
  const poi = byIdRaw[1];
  if (poi) result.pointOfInitiation = poi.value === '11' ? 'static' : 'dynamic';
  const amount = byIdRaw[54];
  if (amount) result.transactionAmount = amount.value;
  if (tip) result.tipOrConvenience = tip;
  const postal = byIdRaw[61];
  if (postal) result.postalCode = postal.value;
  if (additional) {
    result.additionalData = additional;
    for (const key of ADDITIONAL_KEY_LIST) if (additional[key] === ASK_PAYER) result.promptFor.push(key);
  }
  if (language) result.languageTemplate = language;
  if (rfu.length) result.rfu = sortedById(rfu);
  if (unreserved.length) result.unreserved = sortedById(unreserved);
  return ok(result);
}
