// Validates cron schedules the way the reference's scheduler accepts them: 5 or 6 fields (seconds
// optional), names for months and weekdays, `*`, `?`, ranges, steps and lists, plus the `@hourly`-style
// descriptors and `@every <duration>`, each optionally after a `TZ=`/`CRON_TZ=` location.

const descriptors = new Set([
  '@yearly',
  '@annually',
  '@monthly',
  '@weekly',
  '@daily',
  '@midnight',
  '@hourly',
]);
const months = ['JAN', 'FEB', 'MAR', 'APR', 'MAY', 'JUN', 'JUL', 'AUG', 'SEP', 'OCT', 'NOV', 'DEC'];
const days = ['SUN', 'MON', 'TUE', 'WED', 'THU', 'FRI', 'SAT'];

interface Bounds {
  readonly min: number;
  readonly max: number;
  readonly names?: readonly string[];
  readonly nameBase?: number;
}

const seconds: Bounds = { min: 0, max: 59 };
const minutes: Bounds = { min: 0, max: 59 };
const hours: Bounds = { min: 0, max: 23 };
const dom: Bounds = { min: 1, max: 31 };
const month: Bounds = { min: 1, max: 12, names: months, nameBase: 1 };
const dow: Bounds = { min: 0, max: 6, names: days, nameBase: 0 };

/**
 * Whether the reference's JOB cron parser accepts the schedule. As there, only a schedule that starts with
 * `TZ=` or `CRON_TZ=` has a location, ending at the first space; an unknown location is invalid. A descriptor
 * must be the whole rest of the text, so surrounding spaces make it invalid; fields may have them.
 */
export function isValidCron(spec: string): boolean {
  let s = spec;
  if (s.startsWith('TZ=') || s.startsWith('CRON_TZ=')) {
    const i = s.indexOf(' ');
    if (i < 0) return false;
    if (!isKnownLocation(s.slice(s.indexOf('=') + 1, i))) return false;
    s = s.slice(i).trim();
  }
  if (s.startsWith('@')) {
    if (descriptors.has(s)) return true;
    if (s.startsWith('@every ')) return isValidDuration(s.slice(7));
    return false;
  }
  const fields = s.split(/\s+/).filter((f) => f.length > 0);
  let layout: Bounds[];
  if (fields.length === 5) layout = [minutes, hours, dom, month, dow];
  else if (fields.length === 6) layout = [seconds, minutes, hours, dom, month, dow];
  else return false;
  return fields.every((f, i) => isValidField(f, layout[i] as Bounds));
}

function isValidField(field: string, b: Bounds): boolean {
  return field.split(',').every((part) => isValidRange(part, b));
}

function isValidRange(expr: string, b: Bounds): boolean {
  const [rangePart, stepPart, extra] = expr.split('/');
  if (extra !== undefined || rangePart === undefined || rangePart === '') return false;
  if (stepPart !== undefined && !/^\d+$/.test(stepPart)) return false;
  if (stepPart !== undefined && Number(stepPart) === 0) return false;
  if (rangePart === '*' || rangePart === '?') return true;
  const [lo, hi, more] = rangePart.split('-');
  if (more !== undefined || lo === undefined) return false;
  const start = value(lo, b);
  if (start === undefined) return false;
  if (hi === undefined) return start >= b.min && start <= b.max;
  const end = value(hi, b);
  return end !== undefined && start >= b.min && end <= b.max && start <= end;
}

function value(text: string, b: Bounds): number | undefined {
  if (/^\d+$/.test(text)) return Number(text);
  const i = b.names?.indexOf(text.toUpperCase()) ?? -1;
  return i >= 0 ? i + (b.nameBase ?? 0) : undefined;
}

/** Go's time.ParseDuration syntax: an optional sign, then `0` or one or more decimal numbers with units. */
function isValidDuration(s: string): boolean {
  return /^[-+]?(?:0|(?:(?:\d+(?:\.\d*)?|\.\d+)(?:ns|us|\u00b5s|\u03bcs|ms|s|m|h))+)$/.test(s);
}

// Zone IDs ICU (so Intl) takes that are no names of the IANA database: Java's three-letter IDs.
const icuOnlyZones = new Set(
  'ACT AET AGT ART AST BET BST CAT CNT CST CTT EAT ECT IET IST JST MIT NET NST PLT PNT PRT PST SST VST'.split(
    ' ',
  ),
);

/**
 * Whether Go's time.LoadLocation knows the location: `` and `UTC` (both UTC), `Local`, or a name of the
 * IANA time zone database, which it looks up by its exact spelling (a file name). The database here is the
 * one of Intl, less the IDs only ICU has (Java's `PST`, `IST`, …, and `SystemV/…`); a name Intl knows only
 * in another case (`utc`, `europe/berlin`) is not that spelling, nor is an offset (`+01:00`).
 */
export function isKnownLocation(name: string): boolean {
  if (name === '' || name === 'UTC' || name === 'Local') return true;
  if (/^[+-]/.test(name) || icuOnlyZones.has(name) || name.startsWith('SystemV/')) return false;
  let canonical: string;
  try {
    canonical = new Intl.DateTimeFormat('en-US', { timeZone: name }).resolvedOptions().timeZone;
  } catch {
    return false;
  }
  return canonical === name || canonical.toLowerCase() !== name.toLowerCase();
}
