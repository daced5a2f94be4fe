// Activation times of JOB cron schedules as the reference's scheduler (robfig/cron v3 with its
// optional-seconds parser) has them. The syntax is the one `isValidCron` accepts. An activation is a whole
// second whose wall-clock reading in the schedule's zone matches the fields, robfig's rule for combining
// day of month and day of week included; `next` gives the first one after a given instant, searching at
// most to the end of the fifth year after it, as robfig does.
//
// Daylight saving time follows from reading the wall clock, and agrees with robfig's own DST tests:
// - a local time that does not exist (skipped when clocks spring forward) never matches, so the search
//   moves on past it: a daily `0 30 2 * * *` in America/New_York does not fire on the day DST starts, and
//   an hourly `0 0 * * * *` goes from 01:00 EST to 03:00 EDT;
// - a local time that happens twice (repeated when clocks fall back) matches both times: a daily
//   `0 0 1 * * *` fires at 01:00 EDT and again at 01:00 EST.
// robfig steps through instants and patches up DST afterwards, which goes wrong in a few zones (a skipped
// midnight east of Greenwich loses the whole day; a skipped midnight in Havana lets a wrong day through;
// half-hour shifts on Lord Howe Island shift later minutes); searching the wall clock avoids those.

import { isKnownLocation } from '../../schema/cron.js';

export interface CronSchedule {
  /** Epoch milliseconds of the first activation strictly after `after`; NaN when there is none. */
  next(after: number): number;
}

export interface CronScheduleOptions {
  /**
   * The IANA zone of a schedule without `TZ=`/`CRON_TZ=` (and of `TZ=Local`). The reference uses the
   * server's local zone; by default so does this.
   */
  defaultTimeZone?: string;
}

/** Parses a JOB cron schedule; throws an Error saying what is wrong when the schedule is invalid. */
export function parseCronSchedule(spec: string, options?: CronScheduleOptions): CronSchedule {
  const fail = (reason: string): never => {
    throw new Error(`invalid cron schedule ${JSON.stringify(spec)}: ${reason}`);
  };
  const { zoneName, rest } = splitLocation(spec, fail);
  const zone =
    zoneName === 'Local' ? defaultZone(options) : zoneOf(zoneName === '' ? 'UTC' : zoneName);
  if (rest.startsWith('@')) return parseDescriptor(rest, zone, fail);
  return new SpecSchedule(parseFields(rest, fail), zone);
}

// ---------------------------------------------------------------------------------------------------------
// Parsing

interface Bounds {
  readonly name: string;
  readonly min: number;
  readonly max: number;
  readonly names?: readonly string[];
  readonly nameBase?: number;
}

const secondBounds: Bounds = { name: 'second', min: 0, max: 59 };
const minuteBounds: Bounds = { name: 'minute', min: 0, max: 59 };
const hourBounds: Bounds = { name: 'hour', min: 0, max: 23 };
const domBounds: Bounds = { name: 'day of month', min: 1, max: 31 };
const monthBounds: Bounds = {
  name: 'month',
  min: 1,
  max: 12,
  names: ['JAN', 'FEB', 'MAR', 'APR', 'MAY', 'JUN', 'JUL', 'AUG', 'SEP', 'OCT', 'NOV', 'DEC'],
  nameBase: 1,
};
const dowBounds: Bounds = {
  name: 'day of week',
  min: 0,
  max: 6,
  names: ['SUN', 'MON', 'TUE', 'WED', 'THU', 'FRI', 'SAT'],
  nameBase: 0,
};

/**
 * The values a field matches, indexed by value. `star` is robfig's star bit: the field was `*` or `?`
 * (unstepped, or with step 1), which decides how day of month and day of week combine.
 */
interface FieldSet {
  readonly has: readonly boolean[];
  readonly star: boolean;
}

interface Fields {
  readonly second: FieldSet;
  readonly minute: FieldSet;
  readonly hour: FieldSet;
  readonly dom: FieldSet;
  readonly month: FieldSet;
  readonly dow: FieldSet;
}

type Fail = (reason: string) => never;

/** As the reference: only a leading `TZ=`/`CRON_TZ=` names a location, which ends at the first space. */
function splitLocation(spec: string, fail: Fail): { zoneName: string; rest: string } {
  if (!spec.startsWith('TZ=') && !spec.startsWith('CRON_TZ='))
    return { zoneName: 'Local', rest: spec };
  const space = spec.indexOf(' ');
  if (space < 0) fail('a time zone prefix must be followed by a space and a schedule');
  const zoneName = spec.slice(spec.indexOf('=') + 1, space);
  if (!isKnownLocation(zoneName)) fail(`unknown time zone ${JSON.stringify(zoneName)}`);
  return { zoneName, rest: spec.slice(space).trim() };
}

function parseFields(text: string, fail: Fail): Fields {
  const parts = text.split(/\s+/).filter((f) => f.length > 0);
  if (parts.length !== 5 && parts.length !== 6) {
    fail(`expected 5 or 6 fields, found ${parts.length}`);
  }
  // Five fields leave out the seconds, which are then 0.
  const [s = '', mi = '', h = '', dom = '', mo = '', dow = ''] =
    parts.length === 5 ? ['0', ...parts] : parts;
  return {
    second: parseField(s, secondBounds, fail),
    minute: parseField(mi, minuteBounds, fail),
    hour: parseField(h, hourBounds, fail),
    dom: parseField(dom, domBounds, fail),
    month: parseField(mo, monthBounds, fail),
    dow: parseField(dow, dowBounds, fail),
  };
}

function parseField(text: string, b: Bounds, fail: Fail): FieldSet {
  const has = new Array<boolean>(b.max + 1).fill(false);
  let star = false;
  for (const part of text.split(',')) {
    const r = parseRange(part, b, (reason) =>
      fail(`${b.name} field ${JSON.stringify(text)}: ${reason}`),
    );
    for (let v = r.start; v <= r.end; v += r.step) has[v] = true;
    star ||= r.star;
  }
  return { has, star };
}

interface Range {
  readonly start: number;
  readonly end: number;
  readonly step: number;
  readonly star: boolean;
}

/** `*`, `?`, `a`, `a-b`, each optionally `/step`; `a/step` runs from a to the field's maximum. */
function parseRange(expr: string, b: Bounds, fail: Fail): Range {
  const [rangePart, stepPart, extra] = expr.split('/');
  if (extra !== undefined) fail(`too many slashes in ${JSON.stringify(expr)}`);
  if (rangePart === undefined || rangePart === '') fail('empty range');
  const step = stepPart === undefined ? 1 : parseStep(stepPart, fail);
  if (rangePart === '*' || rangePart === '?') {
    return { start: b.min, end: b.max, step, star: step === 1 };
  }
  const [lo = '', hi, more] = rangePart.split('-');
  if (more !== undefined) fail(`too many hyphens in ${JSON.stringify(expr)}`);
  const start = parseValue(lo, b, fail);
  const end = hi !== undefined ? parseValue(hi, b, fail) : stepPart !== undefined ? b.max : start;
  if (start < b.min) fail(`${start} is below the minimum ${b.min}`);
  if (end > b.max) fail(`${end} is above the maximum ${b.max}`);
  if (start > end) fail(`the range ${JSON.stringify(rangePart)} starts after it ends`);
  return { start, end, step, star: false };
}

function parseStep(text: string, fail: Fail): number {
  if (!/^\d+$/.test(text) || Number(text) === 0)
    fail(`the step ${JSON.stringify(text)} is no positive number`);
  return Number(text);
}

function parseValue(text: string, b: Bounds, fail: Fail): number {
  if (/^\d+$/.test(text)) return Number(text);
  const i = b.names?.indexOf(text.toUpperCase()) ?? -1;
  if (i < 0) fail(`${JSON.stringify(text)} is no number${b.names ? ' or name' : ''}`);
  return i + (b.nameBase ?? 0);
}

function parseDescriptor(text: string, zone: Zone, fail: Fail): CronSchedule {
  if (text.startsWith('@every ')) return new EverySchedule(parseEvery(text.slice(7), fail));
  const first = (b: Bounds): FieldSet => only(b.min, b);
  const daily = {
    second: first(secondBounds),
    minute: first(minuteBounds),
    hour: first(hourBounds),
    dom: all(domBounds),
    month: all(monthBounds),
    dow: all(dowBounds),
  };
  switch (text) {
    case '@yearly':
    case '@annually':
      return new SpecSchedule({ ...daily, dom: first(domBounds), month: first(monthBounds) }, zone);
    case '@monthly':
      return new SpecSchedule({ ...daily, dom: first(domBounds) }, zone);
    case '@weekly':
      return new SpecSchedule({ ...daily, dow: first(dowBounds) }, zone);
    case '@daily':
    case '@midnight':
      return new SpecSchedule(daily, zone);
    case '@hourly':
      return new SpecSchedule({ ...daily, hour: all(hourBounds) }, zone);
    default:
      return fail(`unknown descriptor ${JSON.stringify(text)}`);
  }
}

function only(value: number, b: Bounds): FieldSet {
  const has = new Array<boolean>(b.max + 1).fill(false);
  has[value] = true;
  return { has, star: false };
}

function all(b: Bounds): FieldSet {
  return { has: new Array<boolean>(b.max + 1).fill(true).fill(false, 0, b.min), star: true };
}

const NS_PER_SECOND = 1_000_000_000n;

/** robfig's Every: the delay is cut to whole seconds, and anything under a second (even <= 0) is 1 s. */
function parseEvery(text: string, fail: Fail): number {
  const ns = parseGoDuration(text, fail);
  const seconds = ns < NS_PER_SECOND ? 1n : ns / NS_PER_SECOND;
  return Number(seconds) * SECOND;
}

const GO_DURATION_UNITS: ReadonlyMap<string, bigint> = new Map([
  ['ns', 1n],
  ['us', 1_000n],
  ['\u00b5s', 1_000n],
  ['\u03bcs', 1_000n],
  ['ms', 1_000_000n],
  ['s', NS_PER_SECOND],
  ['m', 60n * NS_PER_SECOND],
  ['h', 3600n * NS_PER_SECOND],
]);
const TWO_63 = 1n << 63n;

/**
 * Go's time.ParseDuration, in nanoseconds: the same syntax as `isValidCron` accepts, and the same overflow
 * errors (beyond about 292 years), which Go reports and the reference therefore rejects.
 */
function parseGoDuration(text: string, fail: Fail): bigint {
  const invalid = (): never => fail(`invalid duration ${JSON.stringify(text)}`);
  let s = text;
  const neg = s.startsWith('-');
  if (neg || s.startsWith('+')) s = s.slice(1);
  if (s === '0') return 0n;
  if (s === '') invalid();
  let total = 0n;
  while (s !== '') {
    const m = /^(\d*)(?:\.(\d*))?([^\d.]*)/.exec(s);
    const [whole = '', int = '', frac, unitName = ''] = m ?? [];
    if (int === '' && (frac === undefined || frac === '')) invalid();
    const unit = GO_DURATION_UNITS.get(unitName) ?? invalid();
    let v = leadingInt(int) ?? invalid();
    if (v > TWO_63 / unit) invalid();
    v *= unit;
    v += fractionNs(frac ?? '', unit);
    if (v > TWO_63) invalid();
    total += v;
    if (total > TWO_63) invalid();
    s = s.slice(whole.length);
  }
  if (!neg && total > TWO_63 - 1n) invalid();
  return neg ? -total : total;
}

function leadingInt(digits: string): bigint | undefined {
  let x = 0n;
  for (const c of digits) {
    if (x > TWO_63 / 10n) return undefined;
    x = x * 10n + BigInt(c);
    if (x > TWO_63) return undefined;
  }
  return x;
}

/** As Go: digits past what fits in 63 bits are dropped, and the product is taken in float64. */
function fractionNs(digits: string, unit: bigint): bigint {
  let x = 0n;
  let scale = 1;
  for (const c of digits) {
    const y = x * 10n + BigInt(c);
    if (x > (TWO_63 - 1n) / 10n || y > TWO_63) break;
    x = y;
    scale *= 10;
  }
  return x === 0n ? 0n : BigInt(Math.trunc(Number(x) * (Number(unit) / scale)));
}

// ---------------------------------------------------------------------------------------------------------
// Schedules

const SECOND = 1000;
const MINUTE = 60 * SECOND;
const HOUR = 60 * MINUTE;
const DAY = 24 * HOUR;
/** Past this, Date and Intl give up (±8.64e15 ms); keep room for the five-year search. */
const LATEST = 8.64e15 - 10 * 366 * DAY;

/** robfig's ConstantDelaySchedule: the delay after the start of the second `after` falls in. */
class EverySchedule implements CronSchedule {
  constructor(private readonly delayMs: number) {}

  next(after: number): number {
    if (!Number.isFinite(after)) return Number.NaN;
    return Math.floor(after / SECOND) * SECOND + this.delayMs;
  }
}

/**
 * The first instant after `after` whose wall-clock reading in the zone matches. Time is cut into spans of
 * one UTC offset; within a span the wall clock runs steadily, so its first matching wall-clock time, found
 * field by field, is the span's first activation unless the span ends before it. As in robfig, the search
 * gives up after the fifth calendar year (in the zone) following the one `after` falls in.
 */
class SpecSchedule implements CronSchedule {
  constructor(
    private readonly f: Fields,
    private readonly zone: Zone,
  ) {}

  next(after: number): number {
    if (!Number.isFinite(after) || Math.abs(after) > LATEST) return Number.NaN;
    let t = Math.floor(after / SECOND) * SECOND + SECOND;
    const yearLimit = this.zone.local(t).year + 5;
    for (;;) {
      const offset = this.zone.offsetAt(t);
      const wall = this.nextWall(t + offset, yearLimit);
      if (Number.isNaN(wall)) return wall;
      const change = this.zone.nextChange(t, wall - offset, offset);
      if (change === undefined) return wall - offset;
      t = change;
    }
  }

  /**
   * The first wall-clock time at or after `wall` (milliseconds of a UTC-read calendar, whole seconds) that
   * matches, or NaN past `yearLimit`. Each field that does not match moves to its next matching value,
   * resetting the smaller ones, and the fields are checked again from the month (robfig's order).
   */
  private nextWall(wall: number, yearLimit: number): number {
    let w = wall;
    for (;;) {
      const c = calendar(w);
      if (c.year > yearLimit) return Number.NaN;
      const month = nextIn(this.f.month, c.month);
      if (month !== c.month) {
        w = month < 0 ? utcOf(c.year + 1, 1, 1, 0, 0, 0) : utcOf(c.year, month, 1, 0, 0, 0);
      } else if (!this.dayMatches(c)) {
        w = utcOf(c.year, c.month, c.day + 1, 0, 0, 0);
      } else {
        const moved = this.nextTime(c);
        if (moved === undefined) return w;
        w = moved;
      }
    }
  }

  /** Where the search goes from a matching day: the next matching time of day, or the next day's start. */
  private nextTime(c: LocalTime): number | undefined {
    const { year, month, day } = c;
    const hour = nextIn(this.f.hour, c.hour);
    if (hour < 0) return utcOf(year, month, day + 1, 0, 0, 0);
    if (hour !== c.hour) return utcOf(year, month, day, hour, 0, 0);
    const minute = nextIn(this.f.minute, c.minute);
    if (minute < 0) return utcOf(year, month, day, hour + 1, 0, 0);
    if (minute !== c.minute) return utcOf(year, month, day, hour, minute, 0);
    const second = nextIn(this.f.second, c.second);
    if (second < 0) return utcOf(year, month, day, hour, minute + 1, 0);
    if (second !== c.second) return utcOf(year, month, day, hour, minute, second);
    return undefined;
  }

  /** If either day field is `*`/`?`, both must match (the starred one always does); else either may. */
  private dayMatches(c: LocalTime): boolean {
    const dom = this.f.dom.has[c.day] === true;
    const dow = this.f.dow.has[c.weekday] === true;
    return this.f.dom.star || this.f.dow.star ? dom && dow : dom || dow;
  }
}

/** The smallest value in the set that is at least `from`, or -1. */
function nextIn(set: FieldSet, from: number): number {
  for (let v = from; v < set.has.length; v++) if (set.has[v]) return v;
  return -1;
}

// ---------------------------------------------------------------------------------------------------------
// Time zones

interface LocalTime {
  readonly year: number;
  /** 1–12 */
  readonly month: number;
  readonly day: number;
  readonly hour: number;
  readonly minute: number;
  readonly second: number;
  /** 0 = Sunday */
  readonly weekday: number;
}

/** An IANA zone, read through Intl. */
class Zone {
  private readonly format: Intl.DateTimeFormat | undefined;

  constructor(name: string) {
    const f = new Intl.DateTimeFormat('en-US', {
      timeZone: name,
      hourCycle: 'h23',
      era: 'short',
      year: 'numeric',
      month: 'numeric',
      day: 'numeric',
      hour: 'numeric',
      minute: 'numeric',
      second: 'numeric',
    });
    const resolved = f.resolvedOptions().timeZone;
    this.format = resolved === 'UTC' || resolved === 'Etc/UTC' ? undefined : f;
  }

  /** Milliseconds to add to a UTC instant to get the zone's wall-clock reading (whole seconds). */
  offsetAt(t: number): number {
    if (this.format === undefined) return 0;
    const s = Math.floor(t / SECOND) * SECOND;
    const p: Record<string, string> = {};
    for (const part of this.format.formatToParts(s)) p[part.type] = part.value;
    const year = p.era === 'BC' ? 1 - Number(p.year) : Number(p.year);
    const wall = utcOf(year, Number(p.month), Number(p.day), Number(p.hour), Number(p.minute), 0);
    return wall + Number(p.second) * SECOND - s;
  }

  /** The wall-clock reading at instant `t`. */
  local(t: number): LocalTime {
    return calendar(t + this.offsetAt(t));
  }

  /**
   * The first instant in (`from`, `to`] whose offset is not `offset`, or undefined. Offsets are probed
   * every PROBE, then the change is narrowed down to the second (changes fall on whole seconds).
   */
  nextChange(from: number, to: number, offset: number): number | undefined {
    if (this.format === undefined) return undefined;
    let lo = from;
    let hi = Math.min(from + PROBE, to);
    while (this.offsetAt(hi) === offset) {
      if (hi >= to) return undefined;
      lo = hi;
      hi = Math.min(hi + PROBE, to);
    }
    while (hi - lo > SECOND) {
      const mid = Math.floor((lo + hi) / 2 / SECOND) * SECOND;
      if (this.offsetAt(mid) === offset) lo = mid;
      else hi = mid;
    }
    return hi;
  }
}

/**
 * How far apart offsets are probed for a change. The closest changes in the time zone database since 1970
 * are a week apart (Brazil, October 2000); probing more often than that cannot step over a change and back.
 */
const PROBE = 2 * DAY;

/** The calendar fields of a UTC-read millisecond count. */
function calendar(ms: number): LocalTime {
  const d = new Date(ms);
  return {
    year: d.getUTCFullYear(),
    month: d.getUTCMonth() + 1,
    day: d.getUTCDate(),
    hour: d.getUTCHours(),
    minute: d.getUTCMinutes(),
    second: d.getUTCSeconds(),
    weekday: d.getUTCDay(),
  };
}

/** Epoch milliseconds of a UTC calendar time; fields may overflow. Unlike Date.UTC, years 0–99 are AD. */
function utcOf(
  year: number,
  month: number,
  day: number,
  hour: number,
  minute: number,
  second: number,
) {
  const d = new Date(0);
  d.setUTCFullYear(year, month - 1, day);
  d.setUTCHours(hour, minute, second, 0);
  return d.getTime();
}

const zones = new Map<string, Zone>();

/** Zones are cached: building an Intl.DateTimeFormat costs far more than using one. */
function zoneOf(name: string): Zone {
  let z = zones.get(name);
  if (z === undefined) {
    z = new Zone(name);
    zones.set(name, z);
  }
  return z;
}

function defaultZone(options: CronScheduleOptions | undefined): Zone {
  const name = options?.defaultTimeZone;
  if (name === undefined) {
    // An environment whose zone Intl cannot use runs its schedules in UTC.
    try {
      return zoneOf(new Intl.DateTimeFormat().resolvedOptions().timeZone);
    } catch {
      return zoneOf('UTC');
    }
  }
  try {
    return zoneOf(name);
  } catch {
    throw new Error(`unknown default time zone ${JSON.stringify(name)}`);
  }
}
