/**
 * Splits a batch into chains by the `linked` flags: a chain runs up to and including the first transfer
 * without linked=true. `open` marks a chain the batch ended in the middle of.
 */
export function splitChains(
  inputs: ReadonlyArray<{ linked?: boolean | undefined }>,
): Array<{ start: number; end: number; open: boolean }> {
  const chains: Array<{ start: number; end: number; open: boolean }> = [];
  let start = 0;
  for (let i = 0; i < inputs.length; i++) {
    if (inputs[i]?.linked !== true) {
      chains.push({ start, end: i + 1, open: false });
      start = i + 1;
    }
  }
  if (start < inputs.length) chains.push({ start, end: inputs.length, open: true });
  return chains;
}

/** Marks a list of transfers as one linked chain (all but the last get linked=true). */
export function linked<T extends { linked?: boolean }>(transfers: readonly T[]): T[] {
  return transfers.map((t, i) => ({ ...t, linked: i < transfers.length - 1 }));
}
