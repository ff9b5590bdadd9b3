import { readTopLevelObjects } from '@paylend/emv-qr';

/**
 * The partition key of a `pay-qr` command: the merchant account data objects (IDs 26-51) of the scanned
 * payload, as written. Every payment to one merchant then lands on one partition, so a busy merchant's
 * payments share the payments service's chunks (one transaction, one NOTIFY and one wallet `create-holds`
 * command for many) instead of being spread thin over every partition; the wallet already serialises a
 * merchant's captures on its wallet row. The key is a function of the payload alone, so every scan of one
 * dynamic QR still queues in order on one partition. A payload whose structure cannot be read is keyed by
 * itself: the payments service refuses it anyway, and its key only has to be stable.
 */
export function payQrKey(qrPayload: string): string {
  const accounts = (readTopLevelObjects(qrPayload) ?? [])
    .filter((o) => o.n >= 26 && o.n <= 51)
    .map((o) => `${o.id}${String(o.length).padStart(2, '0')}${o.value}`)
    .join('');
  return accounts === '' ? qrPayload : accounts;
}
