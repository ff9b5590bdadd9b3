import { createHmac, randomInt, timingSafeEqual } from 'node:crypto';

/**
 * Consumer payment codes: 18 digits = "28" (PayLend's prefix) + a 10-digit token naming the wallet + a
 * 6-digit one-time password for the current 60-second window. The password is an HMAC, under a key
 * derived from the server secret and the wallet id, of the token and the window number, so the server
 * recomputes it instead of storing codes, and a code minted for one wallet fails for every other.
 */
export const PAYMENT_CODE_PREFIX = '28';
export const PAYMENT_CODE_WINDOW_MS = 60_000;
/** Windows before the current one still accepted: a code scanned just as it turns over still pays. */
export const PAYMENT_CODE_GRACE_WINDOWS = 1;
/** How far back a password is recognised as "expired" rather than "invalid", for a clearer refusal. */
const RECOGNISED_WINDOWS = 30;

export interface PaymentCodeParts {
  token: string;
  otp: string;
}

export function parsePaymentCode(code: string): PaymentCodeParts | null {
  if (!/^[0-9]{18}$/.test(code) || !code.startsWith(PAYMENT_CODE_PREFIX)) return null;
  return { token: code.slice(2, 12), otp: code.slice(12) };
}

/** A fresh wallet token: 10 random digits, the first not 0 so it keeps its length everywhere. */
export function newWalletToken(): string {
  return String(randomInt(1, 10)) + String(randomInt(0, 1_000_000_000)).padStart(9, '0');
}

export function windowOf(at: Date): number {
  return Math.floor(at.getTime() / PAYMENT_CODE_WINDOW_MS);
}

function walletKey(secret: string, walletId: string): Buffer {
  return createHmac('sha256', secret).update(`paylend-payment-code:v1:${walletId}`).digest();
}

/** RFC 4226-style dynamic truncation of the HMAC to six decimal digits. */
function otpFor(key: Buffer, token: string, window: number): string {
  const mac = createHmac('sha256', key).update(`${token}:${window}`).digest();
  const offset = mac[mac.length - 1]! & 0x0f;
  const bin = (mac.readUInt32BE(offset) & 0x7fffffff) % 1_000_000;
  return String(bin).padStart(6, '0');
}

export interface DerivedPaymentCode {
  code: string;
  window: number;
  validFrom: Date;
  validUntil: Date;
}

export function derivePaymentCode(input: {
  secret: string;
  walletId: string;
  token: string;
  at: Date;
}): DerivedPaymentCode {
  if (!/^[1-9][0-9]{9}$/.test(input.token)) throw new Error(`wallet token "${input.token}" is not 10 digits`);
  const window = windowOf(input.at);
  const otp = otpFor(walletKey(input.secret, input.walletId), input.token, window);
  return {
    code: `${PAYMENT_CODE_PREFIX}${input.token}${otp}`,
    window,
    validFrom: new Date(window * PAYMENT_CODE_WINDOW_MS),
    validUntil: new Date((window + 1) * PAYMENT_CODE_WINDOW_MS),
  };
}

export type PaymentCodeCheck =
  | { ok: true; window: number }
  | { ok: false; code: 'PAYMENT_CODE_INVALID' | 'PAYMENT_CODE_EXPIRED'; message: string };

function sameDigits(a: string, b: string): boolean {
  return a.length === b.length && timingSafeEqual(Buffer.from(a), Buffer.from(b));
}

/**
 * Checks a code against the wallet its token names, at `at`. Single use is the caller's part: it records
 * the accepted code (unique) in the same transaction as the charge.
 */
export function verifyPaymentCode(input: {
  secret: string;
  code: string;
  walletId: string;
  at: Date;
}): PaymentCodeCheck {
  const parts = parsePaymentCode(input.code);
  if (!parts) {
    return {
      ok: false,
      code: 'PAYMENT_CODE_INVALID',
      message: 'not a PayLend payment code (18 digits starting 28)',
    };
  }
  const key = walletKey(input.secret, input.walletId);
  const now = windowOf(input.at);
  for (let back = 0; back <= PAYMENT_CODE_GRACE_WINDOWS; back++) {
    if (sameDigits(otpFor(key, parts.token, now - back), parts.otp)) return { ok: true, window: now - back };
  }
  for (let back = PAYMENT_CODE_GRACE_WINDOWS + 1; back <= RECOGNISED_WINDOWS; back++) {
    if (sameDigits(otpFor(key, parts.token, now - back), parts.otp)) {
      return {
        ok: false,
        code: 'PAYMENT_CODE_EXPIRED',
        message: 'the payment code has expired; ask the customer to refresh the code in their app',
      };
    }
  }
  return { ok: false, code: 'PAYMENT_CODE_INVALID', message: 'the payment code is not valid for any wallet' };
}
