// A `YYYY-MM-DD` day as the trail endpoints take it: `{year, month, day}`.
export function dayBody(date: string): { year: number; month: number; day: number } {
  const [year = 0, month = 0, day = 0] = date.split('-').map(Number);
  return { year, month, day };
}
