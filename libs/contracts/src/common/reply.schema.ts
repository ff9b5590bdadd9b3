import { z } from 'zod';

/** Every command reply: a value, or a stable error code with a sentence a client can show. */
export const ErrorBody = z.object({
  code: z.string().regex(/^[A-Z][A-Z0-9_]*$/),
  message: z.string(),
  details: z.unknown().optional(),
});
export type ErrorBody = z.infer<typeof ErrorBody>;

export function replyEnvelope<R>(value: z.ZodType<R>) {
  return z.discriminatedUnion('ok', [
    z.object({ ok: z.literal(true), value }),
    z.object({ ok: z.literal(false), error: ErrorBody }),
  ]);
}

export type Reply<R> = { ok: true; value: R } | { ok: false; error: ErrorBody };
