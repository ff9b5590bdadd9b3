// Public EMV QR test vectors, copied from ../shared/vectors/emv-qr.md so the tests do not depend on a folder
// outside the repository. Keep them byte-for-byte: their CRCs are what the tests check.

/** 1. EMVCo Merchant-Presented Mode specification example (dynamic, CNY, language template 64). */
export const EMVCO_MPM_EXAMPLE =
  '00020101021229300012D156000000000510A93FO3230Q31280012D15600000001030812345678520441115802CN5914BEST TRANSPORT6007BEIJING64200002ZH0104最佳运输0202北京540523.7253031565502016233030412340603***0708A60086670902ME91320016A0112233449988770708123456786304A13A';

/** 2. Brazil Pix static BR Code (template 26, GUI br.gov.bcb.pix, txid "***"), from the Banco Central do Brasil manual. */
export const PIX_STATIC_BCB_EXAMPLE =
  '00020126580014br.gov.bcb.pix0136123e4567-e12b-12d1-a456-4266554400005204000053039865802BR5913Fulano de Tal6008BRASILIA62070503***63041D3D';

/** CRC-16/CCITT-FALSE check value of the ASCII bytes "123456789". */
export const CRC_CHECK = { input: '123456789', crc: '29B1' } as const;
