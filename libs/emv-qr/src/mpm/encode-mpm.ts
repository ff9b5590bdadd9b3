import { crc16ccitt } from '../crc/crc16';
import { type EmvQrError, type Result, fail, ok, unwrapOrThrow } from '../errors/emv-qr-error';
import {
  ADDITIONAL_IDS,
  type Problem,
  checkAdditionalValue,
  checkAmountDecimals,
  checkGui,
  checkLanguageValue,
  checkRootValue,
} from './mpm-spec';
import { decodeMpm } from './decode-mpm';
import {
  type AdditionalData,
  type AdditionalDataKey,
  type DataObject,
  type MpmFields,
  type PrimitiveObject,
  type TemplateObject,
  isTemplate,
} from './mpm.types';

const SURROGATE = /[\uD800-\uDFFF]/;
const ID = /^[0-9]{2}$/;

/** Length in code points, which is what an EMV length counts. */
export function charLength(value: string): number {
  if (!SURROGATE.test(value)) return value.length;
  let n = 0;
  for (const _ of value) n++;
  return n;
}

function wellFormed(value: string): boolean {
  if (!SURROGATE.test(value)) return true;
  for (const c of value) {
    const u = c.charCodeAt(0);
    if (c.length === 1 && u >= 0xd800 && u <= 0xdfff) return false;
  }
  return true;
}

function problem(p: Problem, field: string): Result<never> {
  return fail(p.code, p.message, -1, field);
}

function serializeOne(o: DataObject, field: string): Result<string> {
  if (!ID.test(o.id)) return fail('ID_MALFORMED', `data object ID "${o.id}" must be two digits`, -1, field);
  let value: string;
  if (isTemplate(o)) {
    const inner = serializeList(o.template, `${field}.template`);
    if (!inner.ok) return inner;
    value = inner.value;
  } else {
    if (typeof o.value !== 'string')
      return fail('VALUE_INVALID', `data object ${o.id} needs a string value`, -1, field);
    if (!wellFormed(o.value))
      return fail('ILL_FORMED_UNICODE', `data object ${o.id} holds a lone UTF-16 surrogate`, -1, field);
    value = o.value;
  }
  const length = charLength(value);
  if (length === 0)
    return fail('VALUE_INVALID', `data object ${o.id} is empty; leave it out instead`, -1, field);
  if (length > 99)
    return fail(
      'VALUE_TOO_LONG',
      `data object ${o.id} holds ${length} characters; a data object holds at most 99`,
      -1,
      field,
    );
  return ok(o.id + (length < 10 ? '0' : '') + length + value);
}

function serializeList(objects: DataObject[], field: string): Result<string> {
  let out = '';
  for (let i = 0; i < objects.length; i++) {
    const s = serializeOne(objects[i], `${field}[${i}]`);
    if (!s.ok) return s;
    out += s.value;
  }
  return ok(out);
}

function withCrc(body: string): string {
  const head = body + '6304';
  return head + crc16ccitt(head);
}

function checkGuiTemplate(t: TemplateObject, field: string): Result<true> {
  const gui = t.template.find((o) => o.id === '00');
  if (!gui || isTemplate(gui))
    return fail(
      'MANDATORY_MISSING',
      `template ${t.id} needs sub-object 00 (Globally Unique Identifier) with a text value`,
      -1,
      field,
    );
  const p = checkGui(t.id, charLength(gui.value));
  return p ? problem(p, field) : ok(true);
}

function inRange(id: string, lo: number, hi: number): boolean {
  const n = Number(id);
  return ID.test(id) && n >= lo && n <= hi;
}

function additionalObjects(a: AdditionalData): Result<DataObject[]> {
  const out: DataObject[] = [];
  for (const key of Object.keys(ADDITIONAL_IDS) as AdditionalDataKey[]) {
    const value = a[key];
    if (value === undefined) continue;
    const id = ADDITIONAL_IDS[key];
    const p = checkAdditionalValue(id, value, charLength(value));
    if (p) return problem(p, `additionalData.${key}`);
    out.push({ id, value });
  }
  for (const [i, o] of (a.rfu ?? []).entries()) {
    if (!inRange(o.id, 10, 49))
      return fail(
        'VALUE_INVALID',
        `additionalData.rfu IDs run from 10 to 49; got "${o.id}"`,
        -1,
        `additionalData.rfu[${i}]`,
      );
    out.push(o);
  }
  for (const [i, t] of (a.paymentSystemTemplates ?? []).entries()) {
    const field = `additionalData.paymentSystemTemplates[${i}]`;
    if (!inRange(t.id, 50, 99))
      return fail('VALUE_INVALID', `payment system templates in 62 use IDs 50–99; got "${t.id}"`, -1, field);
    const g = checkGuiTemplate(t, field);
    if (!g.ok) return g;
    out.push(t);
  }
  return ok(out.sort(byId));
}

function byId<T extends { id: string }>(a: T, b: T): number {
  return a.id < b.id ? -1 : a.id > b.id ? 1 : 0;
}

function rootPrimitive(
  id: string,
  value: string | undefined,
  field: string,
  out: DataObject[],
): EmvQrError | null {
  if (value === undefined) return null;
  if (typeof value !== 'string')
    return { code: 'VALUE_INVALID', message: `${field} must be a string`, position: -1, field };
  const p = checkRootValue(id, value, charLength(value));
  if (p) return { ...p, position: -1, field };
  out.push({ id, value });
  return null;
}

function isRecord(x: unknown): x is Record<string, unknown> {
  return typeof x === 'object' && x !== null && !Array.isArray(x);
}

function isDataObjectShape(x: unknown, depth = 0): boolean {
  if (!isRecord(x) || typeof x['id'] !== 'string') return false;
  if (typeof x['value'] === 'string') return x['template'] === undefined;
  const t = x['template'];
  return depth < 2 && Array.isArray(t) && t.every((c) => isDataObjectShape(c, depth + 1));
}

/**
 * Fields may come from JSON (a CLI file, a request body): check the shape before the rules, so that a wrong
 * type is a VALUE_INVALID naming the field rather than a TypeError.
 */
function shapeError(fields: unknown): Result<never> | null {
  const bad = (field: string, want: string): Result<never> =>
    fail<never>('VALUE_INVALID', `${field} must be ${want}`, -1, field);
  if (!isRecord(fields)) return bad('fields', 'an object');
  for (const k of [
    'merchantCategoryCode',
    'transactionCurrency',
    'transactionAmount',
    'countryCode',
    'merchantName',
    'merchantCity',
    'postalCode',
    'pointOfInitiation',
  ])
    if (fields[k] !== undefined && typeof fields[k] !== 'string')
      return bad(k, 'a string (amounts are decimal strings, never numbers)');
  for (const k of ['merchantAccounts', 'rfu', 'unreserved']) {
    const v = fields[k];
    if (v === undefined) continue;
    if (!Array.isArray(v)) return bad(k, 'an array of data objects');
    const i = v.findIndex((o) => !isDataObjectShape(o));
    if (i >= 0)
      return bad(`${k}[${i}]`, 'a data object: {"id":"NN","value":"..."} or {"id":"NN","template":[...]}');
  }
  const tip = fields['tipOrConvenience'];
  if (
    tip !== undefined &&
    (!isRecord(tip) || (tip['value'] !== undefined && typeof tip['value'] !== 'string'))
  )
    return bad('tipOrConvenience', '{"kind":"prompt"|"fixed"|"percentage","value":"..."}');
  for (const k of ['additionalData', 'languageTemplate']) {
    const v = fields[k];
    if (v === undefined) continue;
    if (!isRecord(v)) return bad(k, 'an object');
    for (const [sub, x] of Object.entries(v)) {
      const ok =
        sub === 'rfu' || sub === 'paymentSystemTemplates'
          ? Array.isArray(x) && x.every((o) => isDataObjectShape(o))
          : typeof x === 'string' || x === undefined;
      if (!ok)
        return bad(
          `${k}.${sub}`,
          sub === 'rfu' || sub === 'paymentSystemTemplates' ? 'an array of data objects' : 'a string',
        );
    }
  }
  return null;
}

/** Builds the data objects of `fields` in canonical order (ascending IDs), validating each. 63 is not included. */
export function mpmDataObjects(fields: MpmFields): Result<DataObject[]> {
  const shape = shapeError(fields);
  if (shape) return shape;
  const out: DataObject[] = [{ id: '00', value: '01' }];
  if (fields.pointOfInitiation !== undefined) {
    if (fields.pointOfInitiation !== 'static' && fields.pointOfInitiation !== 'dynamic')
      return fail(
        'VALUE_INVALID',
        'pointOfInitiation must be "static" or "dynamic"',
        -1,
        'pointOfInitiation',
      );
    out.push({ id: '01', value: fields.pointOfInitiation === 'static' ? '11' : '12' });
  }
  const accounts = [...(fields.merchantAccounts ?? [])];
  if (accounts.length === 0)
    return fail(
      'MANDATORY_MISSING',
      'merchantAccounts needs at least one Merchant Account Information (02–51)',
      -1,
      'merchantAccounts',
    );
  const seen = new Set<string>();
  for (const [i, a] of accounts.entries()) {
    const field = `merchantAccounts[${i}]`;
    if (seen.has(a.id)) return fail('DUPLICATE_ID', `merchant account ${a.id} appears twice`, -1, field);
    seen.add(a.id);
    if (inRange(a.id, 2, 25)) {
      if (isTemplate(a))
        return fail(
          'VALUE_INVALID',
          `merchant account ${a.id} (02–25) is a primitive value, not a template`,
          -1,
          field,
        );
    } else if (inRange(a.id, 26, 51)) {
      if (!isTemplate(a))
        return fail(
          'VALUE_INVALID',
          `merchant account ${a.id} (26–51) is a template with a GUI in 00`,
          -1,
          field,
        );
      const g = checkGuiTemplate(a, field);
      if (!g.ok) return g;
    } else return fail('VALUE_INVALID', `merchant account IDs run from 02 to 51; got "${a.id}"`, -1, field);
    const s = serializeOne(a, field);
    if (!s.ok) return s;
  }
  out.push(...accounts.sort(byId));

  const e =
    rootPrimitive('52', fields.merchantCategoryCode, 'merchantCategoryCode', out) ??
    rootPrimitive('53', fields.transactionCurrency, 'transactionCurrency', out) ??
    rootPrimitive('54', fields.transactionAmount, 'transactionAmount', out);
  if (e) return { ok: false, error: e };
  for (const [id, field] of [
    ['52', 'merchantCategoryCode'],
    ['53', 'transactionCurrency'],
  ] as const)
    if (fields[field] === undefined)
      return fail('MANDATORY_MISSING', `${field} (${id}) is mandatory`, -1, field);
  if (fields.transactionAmount !== undefined) {
    const p = checkAmountDecimals(fields.transactionAmount, fields.transactionCurrency);
    if (p) return problem({ ...p, message: `transactionAmount ${p.message}` }, 'transactionAmount');
  }

  const tip = fields.tipOrConvenience;
  if (tip) {
    if (tip.kind === 'prompt') out.push({ id: '55', value: '01' });
    else if (tip.kind === 'fixed') {
      out.push({ id: '55', value: '02' });
      const e2 = rootPrimitive('56', tip.value, 'tipOrConvenience.value', out);
      if (e2) return { ok: false, error: e2 };
      const p = checkAmountDecimals(tip.value, fields.transactionCurrency);
      if (p)
        return problem({ ...p, message: `tipOrConvenience.value ${p.message}` }, 'tipOrConvenience.value');
    } else if (tip.kind === 'percentage') {
      out.push({ id: '55', value: '03' });
      const e2 = rootPrimitive('57', tip.value, 'tipOrConvenience.value', out);
      if (e2) return { ok: false, error: e2 };
    } else
      return fail(
        'VALUE_INVALID',
        'tipOrConvenience.kind must be "prompt", "fixed" or "percentage"',
        -1,
        'tipOrConvenience',
      );
  }

  for (const [id, field] of [
    ['58', 'countryCode'],
    ['59', 'merchantName'],
    ['60', 'merchantCity'],
  ] as const) {
    if (fields[field] === undefined)
      return fail('MANDATORY_MISSING', `${field} (${id}) is mandatory`, -1, field);
    const e3 = rootPrimitive(id, fields[field], field, out);
    if (e3) return { ok: false, error: e3 };
  }
  const e4 = rootPrimitive('61', fields.postalCode, 'postalCode', out);
  if (e4) return { ok: false, error: e4 };

  if (fields.additionalData) {
    const a = additionalObjects(fields.additionalData);
    if (!a.ok) return a;
    if (a.value.length) {
      const t: TemplateObject = { id: '62', template: a.value };
      const s = serializeOne(t, 'additionalData');
      if (!s.ok) return s;
      out.push(t);
    }
  }
  if (fields.languageTemplate) {
    const l = fields.languageTemplate;
    const inner: PrimitiveObject[] = [];
    for (const [id, key] of [
      ['00', 'languagePreference'],
      ['01', 'merchantName'],
      ['02', 'merchantCity'],
    ] as const) {
      const value = l[key];
      if (value === undefined) {
        if (id === '02') continue;
        return fail(
          'MANDATORY_MISSING',
          `languageTemplate.${key} (64/${id}) is mandatory in template 64`,
          -1,
          `languageTemplate.${key}`,
        );
      }
      const p = checkLanguageValue(id, value, charLength(value));
      if (p) return problem(p, `languageTemplate.${key}`);
      inner.push({ id, value });
    }
    for (const [i, o] of (l.rfu ?? []).entries()) {
      if (!inRange(o.id, 3, 99))
        return fail(
          'VALUE_INVALID',
          `languageTemplate.rfu IDs run from 03 to 99; got "${o.id}"`,
          -1,
          `languageTemplate.rfu[${i}]`,
        );
      inner.push(o);
    }
    const t: TemplateObject = { id: '64', template: inner.sort(byId) };
    const s = serializeOne(t, 'languageTemplate');
    if (!s.ok) return s;
    out.push(t);
  }
  for (const [i, o] of (fields.rfu ?? []).entries()) {
    if (!inRange(o.id, 65, 79) || isTemplate(o))
      return fail('VALUE_INVALID', `rfu holds primitives 65–79; got "${o.id}"`, -1, `rfu[${i}]`);
    const s = serializeOne(o, `rfu[${i}]`);
    if (!s.ok) return s;
    out.push(o);
  }
  for (const [i, t] of (fields.unreserved ?? []).entries()) {
    if (!inRange(t.id, 80, 99))
      return fail(
        'VALUE_INVALID',
        `unreserved templates use IDs 80–99; got "${t.id}"`,
        -1,
        `unreserved[${i}]`,
      );
    const g = checkGuiTemplate(t, `unreserved[${i}]`);
    if (!g.ok) return g;
    const s = serializeOne(t, `unreserved[${i}]`);
    if (!s.ok) return s;
    out.push(t);
  }
  return ok(out.sort(byId));
}

/** Encodes merchant-presented fields to a payload (canonical order, CRC appended), or a typed error naming the field. */
export function tryEncodeMpm(fields: MpmFields): Result<string> {
  const objects = mpmDataObjects(fields);
  if (!objects.ok) return objects;
  const body = serializeList(objects.value, 'dataObjects');
  if (!body.ok) return body;
  const payload = withCrc(body.value);
  // The field checks above mirror the decoder's; decoding the result is the guarantee that they agree.
  const check = decodeMpm(payload);
  if (!check.ok) return { ok: false, error: { ...check.error, position: -1 } };
  return ok(payload);
}

/** Encodes merchant-presented fields to a payload; throws EmvQrEncodeError (with a stable code) on invalid fields. */
export function encodeMpm(fields: MpmFields): string {
  return unwrapOrThrow(tryEncodeMpm(fields));
}

/**
 * Encodes data objects exactly in the order given (a 63 in the list is dropped and recomputed last), so
 * `encodeMpmDataObjects(decodeMpm(p).dataObjects) === p` for any valid payload. The result is validated by
 * decoding it; an error's position then refers to the payload that would have been produced.
 */
export function tryEncodeMpmDataObjects(objects: DataObject[]): Result<string> {
  const body = serializeList(
    objects.filter((o) => o.id !== '63'),
    'dataObjects',
  );
  if (!body.ok) return body;
  const payload = withCrc(body.value);
  const check = decodeMpm(payload);
  return check.ok ? ok(payload) : { ok: false, error: check.error };
}

export function encodeMpmDataObjects(objects: DataObject[]): string {
  return unwrapOrThrow(tryEncodeMpmDataObjects(objects));
}
