export * from './errors/emv-qr-error';
export { crc16ccitt } from './crc/crc16';
export * from './mpm/mpm.types';
export { decodeMpm, readTopLevelObjects } from './mpm/decode-mpm';
export {
  encodeMpm,
  tryEncodeMpm,
  encodeMpmDataObjects,
  tryEncodeMpmDataObjects,
  mpmDataObjects,
} from './mpm/encode-mpm';
export { amountToMinorUnits, minorUnitsToAmount } from './mpm/amount';
export * from './cpm/cpm';
export type { BerTlv } from './cpm/ber-tlv';
export { renderPng, renderSvg, qrModules, type RenderOptions } from './render/render';
export {
  pix,
  PIX_GUI,
  isPixKey,
  type PixInfo,
  type PixStaticInput,
  type PixDynamicInput,
} from './profiles/pix';
export { paynow, PAYNOW_GUI, type PayNowInfo, type PayNowInput, type PayNowProxy } from './profiles/paynow';
export { currencyByNumeric, currencyByAlpha, type CurrencyInfo } from './reference/iso4217';
export { isIsoCountry } from './reference/iso3166';
