/** A data object whose value is plain text. `id` is always two digits, as in the payload. */
export interface PrimitiveObject {
  id: string;
  value: string;
}

/** A data object whose value is itself a list of data objects (26–51, 62, 64, 80–99, 62/50–99). */
export interface TemplateObject {
  id: string;
  template: DataObject[];
}

export type DataObject = PrimitiveObject | TemplateObject;

export function isTemplate(o: DataObject): o is TemplateObject {
  return (o as TemplateObject).template !== undefined;
}

/** 01: "11" (static, the same code for many payments) or "12" (dynamic, a new code per payment). */
export type PointOfInitiation = 'static' | 'dynamic';

/** 55 with its companion: 01 prompt for a tip, 02 fixed fee in 56, 03 percentage fee in 57. */
export type TipOrConvenience =
  { kind: 'prompt' } | { kind: 'fixed'; value: string } | { kind: 'percentage'; value: string };

/** The value that tells the payer's app to ask the payer for a sub-object of 62 (01–08). */
export const ASK_PAYER = '***';

/** Template 62, sub-objects 01–09 by name; 10–49 (RFU) and 50–99 (payment system templates) kept as objects. */
export interface AdditionalData {
  billNumber?: string;
  mobileNumber?: string;
  storeLabel?: string;
  loyaltyNumber?: string;
  referenceLabel?: string;
  customerLabel?: string;
  terminalLabel?: string;
  purposeOfTransaction?: string;
  /** Any of "A" (address), "M" (mobile), "E" (e-mail), each at most once. */
  consumerDataRequest?: string;
  rfu?: PrimitiveObject[];
  paymentSystemTemplates?: TemplateObject[];
}

export type AdditionalDataKey = Exclude<keyof AdditionalData, 'rfu' | 'paymentSystemTemplates'>;

/** Template 64: the merchant's name and city in another language. */
export interface LanguageTemplate {
  /** ISO 639-1 alpha-2, e.g. "zh". */
  languagePreference: string;
  merchantName: string;
  merchantCity?: string;
  rfu?: PrimitiveObject[];
}

/**
 * What a merchant-presented payload says, by name. `encodeMpm` writes it in canonical order (ascending IDs);
 * `decodeMpm` returns it (plus the payload's own order in `dataObjects`). Amounts are decimal strings.
 */
export interface MpmFields {
  pointOfInitiation?: PointOfInitiation;
  /** 02–25 as primitives (card schemes), 26–51 as templates whose sub-object 00 is the scheme's GUI. */
  merchantAccounts: DataObject[];
  /** ISO 18245, four digits. */
  merchantCategoryCode: string;
  /** ISO 4217 numeric, e.g. "156" for CNY. */
  transactionCurrency: string;
  /** Absent when the payer's app asks the payer for the amount. */
  transactionAmount?: string;
  tipOrConvenience?: TipOrConvenience;
  /** ISO 3166-1 alpha-2, upper case. */
  countryCode: string;
  merchantName: string;
  merchantCity: string;
  postalCode?: string;
  additionalData?: AdditionalData;
  languageTemplate?: LanguageTemplate;
  /** 65–79, reserved for EMVCo: carried through untouched. */
  rfu?: PrimitiveObject[];
  /** 80–99, templates whose sub-object 00 is a GUI. */
  unreserved?: TemplateObject[];
}

export interface MpmPayload extends MpmFields {
  payloadFormatIndicator: '01';
  /** The four hex digits of 63, already checked against the payload. */
  crc: string;
  /** Every data object in payload order, templates expanded, 63 last. */
  dataObjects: DataObject[];
  /** Sub-objects of 62 whose value is `***`: the payer's app must ask the payer for them. */
  promptFor: AdditionalDataKey[];
}
