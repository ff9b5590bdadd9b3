import type { ClientBase } from 'pg';
import type { ErrorBody, PaymentsErrorCode, Reply } from '@paylend/contracts';

/** A refusal with a stable code: handlers turn it into `{ ok: false, error }`, never a stack trace. */
export class PaymentsError extends Error {
  constructor(
    readonly code: PaymentsErrorCode,
    message: string,
    readonly details?: Record<string, unknown>,
  ) {
    super(message);
  }

  toBody(): ErrorBody {
    return { code: this.code, message: this.message, ...(this.details ? { details: this.details } : {}) };
  }
}

/**
 * Runs a use case on the inbox transaction and maps its refusal to a reply. A refusal undoes whatever the
 * use case wrote (a savepoint), while the inbox still records the command and its refusal, so a redelivery
 * gets the same answer. Anything else is a fault: it propagates, so the inbox rolls back, retries and
 * finally dead-letters the command (and its caller gets an INTERNAL reply).
 */
export async function replyOf<T>(tx: ClientBase, work: () => Promise<T>): Promise<Reply<T>> {
  await tx.query('SAVEPOINT use_case');
  try {
    const value = await work();
    await tx.query('RELEASE SAVEPOINT use_case');
    return { ok: true, value };
  } catch (err) {
    if (err instanceof PaymentsError) {
      await tx.query('ROLLBACK TO SAVEPOINT use_case');
      return { ok: false, error: err.toBody() };
    }
    throw err;
  }
}
