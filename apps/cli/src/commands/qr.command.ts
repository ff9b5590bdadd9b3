import { readFileSync, writeFileSync } from 'node:fs';
import { Command } from 'commander';
import {
  currencyByAlpha,
  decodeCpm,
  decodeMpm,
  paynow,
  pix,
  renderPng,
  renderSvg,
  tryEncodeMpm,
  type AdditionalData,
  type DataObject,
  type EmvQrError,
  type MpmFields,
  type PayNowInput,
  type PixDynamicInput,
  type PixStaticInput,
  type Result,
  type TemplateObject,
} from '@paylend/emv-qr';

/** Exit code for a payload or input the codec refuses (usage errors stay commander's 1). */
const INVALID = 2;

function print(value: unknown): void {
  process.stdout.write(JSON.stringify(value) + '\n');
}

function refuse(error: EmvQrError): void {
  print({ valid: false, error });
  process.exitCode = INVALID;
}

function usage(message: string, field?: string): void {
  refuse({ code: 'VALUE_INVALID', message, position: -1, ...(field ? { field } : {}) });
}

function decodeAction(payload: string, flags: { cpm?: boolean }): void {
  if (flags.cpm) {
    const r = decodeCpm(payload);
    if (!r.ok) return refuse(r.error);
    const { payloadFormatIndicator, applications, commonData, tlv } = r.value;
    return print({ valid: true, payloadFormatIndicator, applications, commonData: commonData ?? null, tlv });
  }
  const r = decodeMpm(payload);
  if (!r.ok) return refuse(r.error);
  const p = r.value;
  print({
    valid: true,
    // Data object 01 is optional; a payload without it is reusable, i.e. static (Pix static BR Codes omit it).
    pointOfInitiation: p.pointOfInitiation ?? 'static',
    merchantName: p.merchantName,
    merchantCity: p.merchantCity,
    countryCode: p.countryCode,
    merchantCategoryCode: p.merchantCategoryCode,
    transactionCurrency: p.transactionCurrency,
    transactionAmount: p.transactionAmount ?? null,
    crc: p.crc,
    dataObjects: p.dataObjects,
  });
}

interface EncodeFlags {
  jsonFile?: string;
  profile?: string;
  poi?: string;
  account: string[];
  template: string[];
  mcc?: string;
  currency?: string;
  amount?: string;
  country?: string;
  name?: string;
  city?: string;
  postalCode?: string;
  additional: string[];
  pixKey?: string;
  pixUrl?: string;
  txid?: string;
  description?: string;
  paynowMobile?: string;
  paynowUen?: string;
  editable?: boolean;
  expiry?: string;
  reference?: string;
  png?: string;
  svg?: string;
}

const collect = (v: string, acc: string[]) => [...acc, v];

/** Accepts ISO 4217 numeric ("986") or alphabetic ("BRL") currency codes on the command line. */
function currencyFlag(v: string | undefined): string | undefined {
  if (v === undefined || /^[0-9]{3}$/.test(v)) return v;
  return currencyByAlpha(v)?.numeric ?? v;
}

/** Amounts must stay decimal strings: a JSON number is refused rather than silently converted. */
function noNumbers(value: unknown, path = ''): string | null {
  if (typeof value === 'number') return path || 'value';
  if (value && typeof value === 'object') {
    for (const [k, v] of Object.entries(value)) {
      const bad = noNumbers(v, path ? `${path}.${k}` : k);
      if (bad) return bad;
    }
  }
  return null;
}

function readJson(file: string): Result<Record<string, unknown>> {
  let parsed: unknown;
  try {
    parsed = JSON.parse(readFileSync(file, 'utf8'));
  } catch (err) {
    return {
      ok: false,
      error: {
        code: 'VALUE_INVALID',
        message: `cannot read JSON from "${file}": ${err instanceof Error ? err.message : String(err)}`,
        position: -1,
        field: 'jsonFile',
      },
    };
  }
  if (!parsed || typeof parsed !== 'object' || Array.isArray(parsed))
    return {
      ok: false,
      error: {
        code: 'VALUE_INVALID',
        message: `"${file}" must hold a JSON object`,
        position: -1,
        field: 'jsonFile',
      },
    };
  const bad = noNumbers(parsed);
  if (bad)
    return {
      ok: false,
      error: {
        code: 'VALUE_INVALID',
        message: `${bad} is a JSON number; write amounts and codes as strings ("12.50")`,
        position: -1,
        field: bad,
      },
    };
  return { ok: true, value: parsed as Record<string, unknown> };
}

/** `--account 02=4000...` (primitive 02–25) and `--template '{"id":"26","template":[...]}'`. */
function accountsFrom(flags: EncodeFlags): Result<DataObject[]> {
  const out: DataObject[] = [];
  for (const a of flags.account) {
    const m = /^([0-9]{2})=(.+)$/.exec(a);
    if (!m)
      return {
        ok: false,
        error: {
          code: 'VALUE_INVALID',
          message: `--account takes ID=value, e.g. 02=4000123412341234; got "${a}"`,
          position: -1,
          field: 'account',
        },
      };
    out.push({ id: m[1], value: m[2] });
  }
  for (const t of flags.template) {
    try {
      out.push(JSON.parse(t) as TemplateObject);
    } catch {
      return {
        ok: false,
        error: {
          code: 'VALUE_INVALID',
          message: `--template takes JSON like {"id":"26","template":[{"id":"00","value":"com.example"}]}; got ${t}`,
          position: -1,
          field: 'template',
        },
      };
    }
  }
  return { ok: true, value: out };
}

function additionalFrom(
  pairs: string[],
  base: AdditionalData | undefined,
): Result<AdditionalData | undefined> {
  if (pairs.length === 0) return { ok: true, value: base };
  if (base !== undefined && (typeof base !== 'object' || base === null || Array.isArray(base)))
    return {
      ok: false,
      error: {
        code: 'VALUE_INVALID',
        message: 'additionalData must be an object',
        position: -1,
        field: 'additionalData',
      },
    };
  const out: Record<string, string> = { ...(base as Record<string, string> | undefined) };
  for (const p of pairs) {
    const m = /^([A-Za-z]+)=(.*)$/.exec(p);
    if (!m)
      return {
        ok: false,
        error: {
          code: 'VALUE_INVALID',
          message: `--additional takes key=value, e.g. billNumber=INV-42 or referenceLabel=***; got "${p}"`,
          position: -1,
          field: 'additional',
        },
      };
    out[m[1]] = m[2];
  }
  return { ok: true, value: out as AdditionalData };
}

function defined<T extends object>(o: T): T {
  return Object.fromEntries(Object.entries(o).filter(([, v]) => v !== undefined)) as T;
}

/** Chooses a profile from --profile, the JSON file's "profile", or the profile-specific flags. */
function encodeFromFlags(flags: EncodeFlags, json: Record<string, unknown>): Result<string> {
  const profile =
    flags.profile ??
    (typeof json['profile'] === 'string' ? json['profile'] : undefined) ??
    (flags.pixKey
      ? 'pix.static'
      : flags.pixUrl
        ? 'pix.dynamic'
        : flags.paynowMobile || flags.paynowUen
          ? flags.amount
            ? 'paynow.dynamic'
            : 'paynow.static'
          : undefined);
  const { profile: _p, ...rest } = json;
  const common = defined({
    merchantName: flags.name,
    merchantCity: flags.city,
    amount: flags.amount,
    merchantCategoryCode: flags.mcc,
    postalCode: flags.postalCode,
  });
  switch (profile) {
    case 'pix.static':
      return pix.tryStatic({
        ...rest,
        ...common,
        ...defined({ key: flags.pixKey, txid: flags.txid, description: flags.description }),
      } as PixStaticInput);
    case 'pix.dynamic':
      return pix.tryDynamic({ ...rest, ...common, ...defined({ url: flags.pixUrl }) } as PixDynamicInput);
    case 'paynow.static':
    case 'paynow.dynamic': {
      const proxy = flags.paynowMobile
        ? { type: 'mobile', value: flags.paynowMobile }
        : flags.paynowUen
          ? { type: 'uen', value: flags.paynowUen }
          : undefined;
      const input = {
        ...rest,
        ...common,
        ...defined({ proxy, editable: flags.editable, expiry: flags.expiry, reference: flags.reference }),
      } as PayNowInput;
      return profile === 'paynow.static' ? paynow.tryStatic(input) : paynow.tryDynamic(input);
    }
    case undefined:
      break;
    default:
      return {
        ok: false,
        error: {
          code: 'VALUE_INVALID',
          message: `unknown profile "${profile}"; use pix.static, pix.dynamic, paynow.static or paynow.dynamic`,
          position: -1,
          field: 'profile',
        },
      };
  }
  const accounts = accountsFrom(flags);
  if (!accounts.ok) return accounts;
  const additional = additionalFrom(flags.additional, rest['additionalData'] as AdditionalData | undefined);
  if (!additional.ok) return additional;
  const fields = {
    ...rest,
    ...defined({
      pointOfInitiation: flags.poi,
      merchantCategoryCode: flags.mcc,
      transactionCurrency: currencyFlag(flags.currency),
      transactionAmount: flags.amount,
      countryCode: flags.country,
      merchantName: flags.name,
      merchantCity: flags.city,
      postalCode: flags.postalCode,
      additionalData: additional.value,
    }),
  } as MpmFields;
  // Flags add to the file's accounts; a non-array in the file is left for the codec to refuse by name.
  if (
    accounts.value.length &&
    (fields.merchantAccounts === undefined || Array.isArray(fields.merchantAccounts))
  )
    fields.merchantAccounts = [...(fields.merchantAccounts ?? []), ...accounts.value];
  return tryEncodeMpm(fields);
}

async function encodeAction(flags: EncodeFlags): Promise<void> {
  let json: Record<string, unknown> = {};
  if (flags.jsonFile) {
    const r = readJson(flags.jsonFile);
    if (!r.ok) return refuse(r.error);
    json = r.value;
  }
  if (flags.poi !== undefined && flags.poi !== 'static' && flags.poi !== 'dynamic')
    return usage('--poi is "static" or "dynamic"', 'poi');
  const encoded = encodeFromFlags(flags, json);
  if (!encoded.ok) return refuse(encoded.error);
  const out: Record<string, string> = { payload: encoded.value };
  if (flags.png) {
    writeFileSync(flags.png, await renderPng(encoded.value));
    out['png'] = flags.png;
  }
  if (flags.svg) {
    writeFileSync(flags.svg, await renderSvg(encoded.value));
    out['svg'] = flags.svg;
  }
  print({ valid: true, ...out });
}

/** `paylend qr decode|encode`: EMV QR payloads (merchant-presented, and consumer-presented with --cpm). */
export function registerQrCommand(program: Command): void {
  const qr = program
    .command('qr')
    .description('EMV QR codes: decode and validate, or build a payload (and PNG/SVG)');

  qr.command('decode')
    .description('decode and validate a payload; prints JSON, exits 0 if valid and 2 if not')
    .argument('<payload>', 'the payload text (quote it: it may contain spaces and "*")')
    .option('--cpm', 'the payload is a consumer-presented code (base64 BER-TLV starting 85 05 "CPV01")')
    .action((payload: string, flags: { cpm?: boolean }) => decodeAction(payload, flags));

  qr.command('encode')
    .description(
      'build a merchant-presented payload from flags and/or --json-file; prints {"valid":true,"payload":...}',
    )
    .option(
      '--json-file <file>',
      'MpmFields as JSON (amounts as strings), or {"profile":"pix.static",...} with the profile input',
    )
    .option('--profile <name>', 'pix.static | pix.dynamic | paynow.static | paynow.dynamic')
    .option('--poi <kind>', 'point of initiation: static | dynamic')
    .option('--account <id=value>', 'merchant account primitive 02–25 (repeatable)', collect, [])
    .option('--template <json>', 'merchant account template 26–51 as JSON (repeatable)', collect, [])
    .option('--mcc <code>', 'merchant category code (4 digits)')
    .option('--currency <code>', 'ISO 4217 numeric (156) or alphabetic (CNY)')
    .option('--amount <decimal>', 'transaction amount, e.g. 23.72')
    .option('--country <code>', 'ISO 3166-1 alpha-2, e.g. CN')
    .option('--name <text>', 'merchant name (at most 25 characters)')
    .option('--city <text>', 'merchant city (at most 15 characters)')
    .option('--postal-code <text>', 'postal code')
    .option(
      '--additional <key=value>',
      'additional data (62), e.g. billNumber=INV-42, referenceLabel=*** (repeatable)',
      collect,
      [],
    )
    .option('--pix-key <key>', 'Pix key (static Pix BR Code)')
    .option('--pix-url <location>', 'Pix PSP location without https:// (dynamic Pix BR Code)')
    .option('--txid <id>', 'Pix txid (static)')
    .option('--description <text>', 'Pix free text (26-02)')
    .option('--paynow-mobile <+65...>', 'PayNow mobile proxy')
    .option('--paynow-uen <uen>', 'PayNow UEN proxy')
    .option('--editable', 'PayNow: the payer may edit the amount')
    .option('--expiry <YYYYMMDD>', 'PayNow expiry date')
    .option('--reference <text>', 'PayNow bill reference (62-01)')
    .option('--png <file>', 'also write the QR code as PNG')
    .option('--svg <file>', 'also write the QR code as SVG')
    .action((flags: EncodeFlags) => encodeAction(flags));
}
