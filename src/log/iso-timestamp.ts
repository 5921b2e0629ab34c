const MS_PER_DAY = 86_400_000;

/**
 * A time (milliseconds since 1970) as Date's toISOString writes it, `2026-11-30T11:45:00.123Z`, for
 * the years 1970-9999. Written out because the first toISOString of a process sets up the runtime's
 * calendar, a measurable part of a cold start (docs/performance.md); a test compares the two.
 */
export function isoTimestamp(time: number): string {
  const ms = Math.floor(time);
  const days = Math.floor(ms / MS_PER_DAY);
  const msOfDay = ms - days * MS_PER_DAY;
  // Days to a civil date (H. Hinnant, "chrono-Compatible Low-Level Date Algorithms"): 400-year eras
  // of 146,097 days, each year starting on 1 March so that the leap day comes last.
  const shifted = days + 719_468;
  const era = Math.floor(shifted / 146_097);
  const dayOfEra = shifted - era * 146_097;
  const yearOfEra = Math.floor(
    (dayOfEra - Math.floor(dayOfEra / 1460) + Math.floor(dayOfEra / 36_524) - Math.floor(dayOfEra / 146_096)) / 365,
  );
  const dayOfYear = dayOfEra - (365 * yearOfEra + Math.floor(yearOfEra / 4) - Math.floor(yearOfEra / 100));
  const monthFromMarch = Math.floor((5 * dayOfYear + 2) / 153);
  const day = dayOfYear - Math.floor((153 * monthFromMarch + 2) / 5) + 1;
  const month = monthFromMarch < 10 ? monthFromMarch + 3 : monthFromMarch - 9;
  const year = yearOfEra + era * 400 + (month <= 2 ? 1 : 0);
  const two = (value: number) => (value < 10 ? `0${String(value)}` : String(value));
  const hours = Math.floor(msOfDay / 3_600_000);
  const minutes = Math.floor(msOfDay / 60_000) % 60;
  const seconds = Math.floor(msOfDay / 1000) % 60;
  const millis = msOfDay % 1000;
  const millisText = millis < 10 ? `00${String(millis)}` : millis < 100 ? `0${String(millis)}` : String(millis);
  return `${String(year)}-${two(month)}-${two(day)}T${two(hours)}:${two(minutes)}:${two(seconds)}.${millisText}Z`;
}
