const DAY_MS = 86_400_000;

/** Whole days from the end of the due date (UTC) to the payment; 0 when paid by the end of the due date. */
export function daysLate(dueDate: string, paidAt: string): number {
  const endOfDue = Date.parse(`${dueDate}T00:00:00.000Z`) + DAY_MS;
  return Math.max(0, Math.ceil((Date.parse(paidAt) - endOfDue) / DAY_MS));
}
