import { type Result, fail } from '../errors/emv-qr-error';
import { decodeMpm } from '../mpm/decode-mpm';
import { type MpmPayload, type PrimitiveObject, type TemplateObject, isTemplate } from '../mpm/mpm.types';

/** Decodes a payload string, or passes an already decoded payload through. */
export function asDecoded(payload: string | MpmPayload): Result<MpmPayload> {
  return typeof payload === 'string' ? decodeMpm(payload) : { ok: true, value: payload };
}

/** The merchant account template (26–51) whose GUI equals `gui`, compared without regard to case. */
export function findAccount(decoded: MpmPayload, gui: string): TemplateObject | undefined {
  const want = gui.toLowerCase();
  for (const a of decoded.merchantAccounts) {
    if (!isTemplate(a)) continue;
    const g = a.template.find((o) => o.id === '00');
    if (g && !isTemplate(g) && g.value.toLowerCase() === want) return a;
  }
  return undefined;
}

export function sub(t: TemplateObject, id: string): string | undefined {
  const o = t.template.find((x) => x.id === id);
  return o && !isTemplate(o) ? (o as PrimitiveObject).value : undefined;
}

export function mismatch<T>(message: string, field?: string): Result<T> {
  return fail('PROFILE_MISMATCH', message, -1, field);
}

/** For inputs that may come from JSON: the first listed key whose value is not a string, if any. */
export function notAString(input: unknown, required: string[], optional: string[] = []): string | null {
  if (typeof input !== 'object' || input === null) return 'input';
  const o = input as Record<string, unknown>;
  for (const k of required) if (typeof o[k] !== 'string') return k;
  for (const k of optional) if (o[k] !== undefined && typeof o[k] !== 'string') return k;
  return null;
}
