import { decodeMpm } from './decode-mpm';
import { encodeMpm, encodeMpmDataObjects } from './encode-mpm';
import { EMVCO_MPM_EXAMPLE, PIX_STATIC_BCB_EXAMPLE } from '../vectors/emv-qr.vectors';
import type { MpmPayload } from './mpm.types';

function decoded(payload: string): MpmPayload {
  const r = decodeMpm(payload);
  if (!r.ok) throw new Error(`${r.error.code}: ${r.error.message}`);
  return r.value;
}

describe('public vectors (copied from shared/vectors/emv-qr.md)', () => {
  it('decodes the EMVCo MPM specification example exactly', () => {
    const p = decoded(EMVCO_MPM_EXAMPLE);
    expect(p).toEqual({
      payloadFormatIndicator: '01',
      pointOfInitiation: 'dynamic',
      merchantAccounts: [
        {
          id: '29',
          template: [
            { id: '00', value: 'D15600000000' },
            { id: '05', value: 'A93FO3230Q' },
          ],
        },
        {
          id: '31',
          template: [
            { id: '00', value: 'D15600000001' },
            { id: '03', value: '12345678' },
          ],
        },
      ],
      merchantCategoryCode: '4111',
      transactionCurrency: '156',
      transactionAmount: '23.72',
      tipOrConvenience: { kind: 'prompt' },
      countryCode: 'CN',
      merchantName: 'BEST TRANSPORT',
      merchantCity: 'BEIJING',
      additionalData: {
        storeLabel: '1234',
        customerLabel: '***',
        terminalLabel: 'A6008667',
        consumerDataRequest: 'ME',
      },
      languageTemplate: { languagePreference: 'ZH', merchantName: '最佳运输', merchantCity: '北京' },
      unreserved: [
        {
          id: '91',
          template: [
            { id: '00', value: 'A011223344998877' },
            { id: '07', value: '12345678' },
          ],
        },
      ],
      crc: 'A13A',
      promptFor: ['customerLabel'],
      dataObjects: [
        { id: '00', value: '01' },
        { id: '01', value: '12' },
        {
          id: '29',
          template: [
            { id: '00', value: 'D15600000000' },
            { id: '05', value: 'A93FO3230Q' },
          ],
        },
        {
          id: '31',
          template: [
            { id: '00', value: 'D15600000001' },
            { id: '03', value: '12345678' },
          ],
        },
        { id: '52', value: '4111' },
        { id: '58', value: 'CN' },
        { id: '59', value: 'BEST TRANSPORT' },
        { id: '60', value: 'BEIJING' },
        {
          id: '64',
          template: [
            { id: '00', value: 'ZH' },
            { id: '01', value: '最佳运输' },
            { id: '02', value: '北京' },
          ],
        },
        { id: '54', value: '23.72' },
        { id: '53', value: '156' },
        { id: '55', value: '01' },
        {
          id: '62',
          template: [
            { id: '03', value: '1234' },
            { id: '06', value: '***' },
            { id: '07', value: 'A6008667' },
            { id: '09', value: 'ME' },
          ],
        },
        {
          id: '91',
          template: [
            { id: '00', value: 'A011223344998877' },
            { id: '07', value: '12345678' },
          ],
        },
        { id: '63', value: 'A13A' },
      ],
    });
  });

  it('decodes the Pix static BR Code of the Banco Central do Brasil manual exactly', () => {
    const p = decoded(PIX_STATIC_BCB_EXAMPLE);
    expect(p).toEqual({
      payloadFormatIndicator: '01',
      merchantAccounts: [
        {
          id: '26',
          template: [
            { id: '00', value: 'br.gov.bcb.pix' },
            { id: '01', value: '123e4567-e12b-12d1-a456-426655440000' },
          ],
        },
      ],
      merchantCategoryCode: '0000',
      transactionCurrency: '986',
      countryCode: 'BR',
      merchantName: 'Fulano de Tal',
      merchantCity: 'BRASILIA',
      additionalData: { referenceLabel: '***' },
      crc: '1D3D',
      promptFor: ['referenceLabel'],
      dataObjects: [
        { id: '00', value: '01' },
        {
          id: '26',
          template: [
            { id: '00', value: 'br.gov.bcb.pix' },
            { id: '01', value: '123e4567-e12b-12d1-a456-426655440000' },
          ],
        },
        { id: '52', value: '0000' },
        { id: '53', value: '986' },
        { id: '58', value: 'BR' },
        { id: '59', value: 'Fulano de Tal' },
        { id: '60', value: 'BRASILIA' },
        { id: '62', template: [{ id: '05', value: '***' }] },
        { id: '63', value: '1D3D' },
      ],
    });
  });

  it('re-encodes both vectors byte for byte from their data objects (order kept, CRC recomputed)', () => {
    for (const v of [EMVCO_MPM_EXAMPLE, PIX_STATIC_BCB_EXAMPLE])
      expect(encodeMpmDataObjects(decoded(v).dataObjects)).toBe(v);
  });

  it('re-encodes the Pix vector byte for byte from its fields (its objects are already in ascending order)', () => {
    expect(encodeMpm(decoded(PIX_STATIC_BCB_EXAMPLE))).toBe(PIX_STATIC_BCB_EXAMPLE);
  });

  it('re-encodes the EMVCo vector from its fields in canonical order, to a payload that decodes to the same fields', () => {
    const original = decoded(EMVCO_MPM_EXAMPLE);
    const canonical = encodeMpm(original);
    expect(canonical).not.toBe(EMVCO_MPM_EXAMPLE); // the example puts 64 before 54 and 53
    const again = decoded(canonical);
    const strip = ({ crc: _c, dataObjects: _d, ...rest }: MpmPayload) => rest;
    expect(strip(again)).toEqual(strip(original));
    expect(canonical.endsWith('6304' + again.crc)).toBe(true);
  });

  it('counts characters, not bytes: the Chinese name in 64/01 has length 04 but 12 UTF-8 bytes', () => {
    expect(EMVCO_MPM_EXAMPLE).toContain('0104最佳运输');
    expect(Buffer.byteLength('最佳运输', 'utf8')).toBe(12);
    expect(decoded(EMVCO_MPM_EXAMPLE).languageTemplate?.merchantName).toBe('最佳运输');
  });
});

describe('third-party public payloads', () => {
  // SGQR of SOBA EXPRESS (NETS + SGQR templates), shown in Channel NewsAsia's 2018 SGQR launch article and
  // used as a fixture by open-source SGQR parsers.
  const SGQR =
    '00020101021126810011SG.COM.NETS01231198500065G9912312359000211111686614000308686614019908604108C251800007SG.SGQR01121809072DD85C020701.00010306079027040201050206060400000708201809155204581253037025802SG5912SOBA EXPRESS6009Singapore630457B3';
  // PayMaya (Philippines) Meralco bill payment example with nested 62/50 and unreserved 80 templates.
  const PAYMAYA =
    '00020101021226150011com.paymaya5204490053036085405390.85802PH5907Meralco6005Pasig62530110046649980150350020com.paymaya.billspay0107meralco80870015com.bayadcenter0105000010205MECOA0316046649980181013604260466499801812101361210260363041DB5';

  it('decodes an SGQR with two merchant account templates', () => {
    const p = decoded(SGQR);
    expect(p.merchantAccounts.map((a) => a.id)).toEqual(['26', '51']);
    expect(p.merchantName).toBe('SOBA EXPRESS');
    expect(p.transactionCurrency).toBe('702');
    expect(encodeMpmDataObjects(p.dataObjects)).toBe(SGQR);
  });

  it('decodes nested payment-system templates in 62 and unreserved templates', () => {
    const p = decoded(PAYMAYA);
    expect(p.transactionAmount).toBe('390.8');
    expect(p.additionalData).toEqual({
      billNumber: '0466499801',
      paymentSystemTemplates: [
        {
          id: '50',
          template: [
            { id: '00', value: 'com.paymaya.billspay' },
            { id: '01', value: 'meralco' },
          ],
        },
      ],
    });
    expect(p.unreserved?.[0]?.template[0]).toEqual({ id: '00', value: 'com.bayadcenter' });
    expect(encodeMpmDataObjects(p.dataObjects)).toBe(PAYMAYA);
  });

  it('refuses a PromptPay P2P payload that leaves out EMV-mandatory 52/59/60 (why PayNow is the second profile)', () => {
    const r = decodeMpm('00020101021129370016A000000677010111011300668012345675802TH530376463046197');
    expect(r).toEqual({
      ok: false,
      error: expect.objectContaining({ code: 'MANDATORY_MISSING', position: 66 }),
    });
  });
});
