/**
 * The partition key of a `pay-qr` command: the merchant account data objects (IDs 26-51) of the scanned
 * payload, read with a top-level TLV walk. Every payment to one merchant then lands on one partition, so a
 * busy merchant's payments share the payments service's chunks (one transaction, one NOTIFY and one wallet
 * `create-holds` command for many) instead of being spread thin over every partition; the wallet already
 * serialises a merchant's captures on its wallet row. The key is a function of the payload alone, so every
 * scan of one dynamic QR still queues in order on one partition. A payload the walk cannot read is keyed by
 * itself: the payments service refuses it anyway, and its key only has to be stable.
 */
export function payQrKey(qrPayload: string): string {
  let accounts = '';
  let at = 0;
  while (at < qrPayload.length) {
    const id = qrPayload.slice(at, at + 2);
    const length = qrPayload.slice(at + 2, at + 4);
    if (!/^[0-9]{2}$/.test(id) || !/^[0-9]{2}$/.test(length)) return qrPayload;
    const end = at + 4 + Number(length);
    if (end > qrPayload.length) return qrPayload;
    const n = Number(id);
    if (n >= 26 && n <= 51) accounts += qrPayload.slice(at, end);
    at = end;
  }
  return accounts === '' ? qrPayload : accounts;
}
