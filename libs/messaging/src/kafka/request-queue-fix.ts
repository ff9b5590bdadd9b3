/*
 * kafkajs 2.2.4 (unmaintained since 2023) re-arms its pending-request check after every response even when
 * nothing is queued, with a negative delay: from the first response on, each broker connection runs a 1 ms
 * timer loop forever (tulios/kafkajs#1556, #1704; the fix in #1667 was never released). It was about half
 * of each idle service's CPU here (45 to 60 ms per second before, 24 to 34 after). The check only ever sends
 * queued requests, and `push` re-arms it whenever it queues one, so re-arming with an empty queue is the bug.
 */
import { createRequire } from 'node:module';

interface RequestQueueInternals {
  pending: unknown[];
  scheduleCheckPendingRequests(): void;
}

const PATCHED = Symbol.for('paylend.kafkajs.requestQueueFix');
const requireFromHere = createRequire(__filename);

/** The kafkajs request queue class the installed kafkajs uses (its `src` is what it runs). */
export function kafkajsRequestQueue(): { prototype: RequestQueueInternals } {
  return requireFromHere('kafkajs/src/network/requestQueue') as { prototype: RequestQueueInternals };
}

/** Makes the pending-request check re-arm only while a request waits. Idempotent. */
export function fixKafkajsRequestQueue(): void {
  const proto = kafkajsRequestQueue().prototype as RequestQueueInternals & { [PATCHED]?: true };
  if (proto[PATCHED]) return;
  const schedule = proto.scheduleCheckPendingRequests;
  proto.scheduleCheckPendingRequests = function (this: RequestQueueInternals) {
    if (this.pending.length === 0) return;
    schedule.call(this);
  };
  proto[PATCHED] = true;
}
