import { daysLate } from './days-late';

describe('daysLate', () => {
  it('is 0 up to the end of the due date and counts started days after it', () => {
    expect(daysLate('2026-10-01', '2026-09-20T10:00:00.000Z')).toBe(0);
    expect(daysLate('2026-10-01', '2026-10-01T23:59:59.999Z')).toBe(0);
    expect(daysLate('2026-10-01', '2026-10-02T00:00:00.001Z')).toBe(1);
    expect(daysLate('2026-10-01', '2026-10-09T10:00:00.000Z')).toBe(8);
  });
});
