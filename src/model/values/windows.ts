/**
 * AWS maintenance and backup windows, in UTC: daily `hh:mm-hh:mm` (RDS backup window,
 * ElastiCache snapshot window) and weekly `ddd:hh:mm-ddd:hh:mm` (maintenance windows).
 * Both become intervals in minutes of the week so any two can be compared.
 */

export const weekdays = ['mon', 'tue', 'wed', 'thu', 'fri', 'sat', 'sun'] as const;
const minutesPerDay = 24 * 60;
const minutesPerWeek = 7 * minutesPerDay;

export const dailyWindowPattern = /^([01]\d|2[0-3]):([0-5]\d)-([01]\d|2[0-3]):([0-5]\d)$/;
export const weeklyWindowPattern =
  /^(mon|tue|wed|thu|fri|sat|sun):([01]\d|2[0-3]):([0-5]\d)-(mon|tue|wed|thu|fri|sat|sun):([01]\d|2[0-3]):([0-5]\d)$/;

/** Half-open interval [start, end) in minutes since Monday 00:00 UTC; end may pass the week's end. */
export interface WeekInterval {
  readonly start: number;
  readonly end: number;
}

export interface ParsedWindow {
  readonly durationMinutes: number;
  readonly intervals: readonly WeekInterval[];
}

function span(start: number, end: number, period: number): number {
  return (((end - start) % period) + period) % period;
}

export function parseDailyWindow(text: string): ParsedWindow | undefined {
  const m = dailyWindowPattern.exec(text);
  if (!m) return undefined;
  const start = Number(m[1]) * 60 + Number(m[2]);
  const end = Number(m[3]) * 60 + Number(m[4]);
  const durationMinutes = span(start, end, minutesPerDay);
  const intervals = weekdays.map((_, day) => ({
    start: day * minutesPerDay + start,
    end: day * minutesPerDay + start + durationMinutes,
  }));
  return { durationMinutes, intervals };
}

export function parseWeeklyWindow(text: string): ParsedWindow | undefined {
  const m = weeklyWindowPattern.exec(text);
  if (!m) return undefined;
  const at = (day: string, hh: string, mm: string) =>
    weekdays.indexOf(day as (typeof weekdays)[number]) * minutesPerDay + Number(hh) * 60 + Number(mm);
  const start = at(m[1], m[2], m[3]);
  const durationMinutes = span(start, at(m[4], m[5], m[6]), minutesPerWeek);
  return { durationMinutes, intervals: [{ start, end: start + durationMinutes }] };
}

export function parseWindow(text: string): ParsedWindow | undefined {
  return parseDailyWindow(text) ?? parseWeeklyWindow(text);
}

function intervalsMeet(a: WeekInterval, b: WeekInterval): boolean {
  // Compare b shifted by a week either way, so windows that wrap past Sunday midnight count.
  return [-minutesPerWeek, 0, minutesPerWeek].some(
    (shift) => a.start < b.end + shift && b.start + shift < a.end,
  );
}

/** True when the two windows share at least one minute (touching ends do not overlap). */
export function windowsOverlap(a: ParsedWindow, b: ParsedWindow): boolean {
  return a.intervals.some((x) => b.intervals.some((y) => intervalsMeet(x, y)));
}
