// JOB cron schedules: activation instants against hand-computed ones, robfig/cron's own DST table, the
// zones where robfig's stepping misfires, and agreement with the schema's cron check.
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { isValidCron } from '../../schema/cron.js';
import { parseCronSchedule } from './cron-schedule.js';

/** The next activation after `after` (an ISO instant), as an ISO instant, or 'none'. */
function next(spec: string, after: string, defaultTimeZone = 'UTC'): string {
  const t = parseCronSchedule(spec, { defaultTimeZone }).next(Date.parse(after));
  return Number.isNaN(t) ? 'none' : new Date(t).toISOString();
}

/** `count` activations in a row, starting after `after`. */
function series(spec: string, after: string, count: number, defaultTimeZone = 'UTC'): string[] {
  const s = parseCronSchedule(spec, { defaultTimeZone });
  const out: string[] = [];
  let t = Date.parse(after);
  for (let i = 0; i < count; i++) {
    t = s.next(t);
    out.push(new Date(t).toISOString());
  }
  return out;
}

function accepts(spec: string): boolean {
  try {
    parseCronSchedule(spec, { defaultTimeZone: 'UTC' });
    return true;
  } catch {
    return false;
  }
}

describe('cron schedule: fields', () => {
  it('five fields fire at second 0 of each matching minute', () => {
    assert.equal(next('* * * * *', '2024-01-01T10:00:30Z'), '2024-01-01T10:01:00.000Z');
    assert.equal(next('*/15 * * * *', '2012-07-09T14:45:00Z'), '2012-07-09T15:00:00.000Z');
  });

  it('six fields put the seconds first', () => {
    assert.equal(next('*/10 * * * * *', '2024-01-01T10:00:05Z'), '2024-01-01T10:00:10.000Z');
    assert.equal(next('30 * * * * *', '2024-01-01T10:00:30Z'), '2024-01-01T10:01:30.000Z');
    assert.equal(next('0 0 12 * * *', '2024-01-01T12:00:00Z'), '2024-01-02T12:00:00.000Z');
  });

  it('the next activation is strictly after the given instant, on a whole second', () => {
    assert.equal(next('*/15 * * * *', '2012-07-09T15:00:00Z'), '2012-07-09T15:15:00.000Z');
    assert.equal(next('*/15 * * * *', '2012-07-09T14:59:59.999Z'), '2012-07-09T15:00:00.000Z');
    assert.equal(next('*/15 * * * *', '2012-07-09T15:00:00.001Z'), '2012-07-09T15:15:00.000Z');
    assert.equal(next('* * * * * *', '2024-01-01T00:00:00.500Z'), '2024-01-01T00:00:01.000Z');
  });

  it('ranges, steps from a start, stepped ranges and lists', () => {
    assert.deepEqual(series('5/15 * * * *', '2012-07-09T15:00:00Z', 5), [
      '2012-07-09T15:05:00.000Z',
      '2012-07-09T15:20:00.000Z',
      '2012-07-09T15:35:00.000Z',
      '2012-07-09T15:50:00.000Z',
      '2012-07-09T16:05:00.000Z',
    ]);
    assert.deepEqual(series('0 20-35/15 * * * *', '2012-07-09T15:45:00Z', 3), [
      '2012-07-09T16:20:00.000Z',
      '2012-07-09T16:35:00.000Z',
      '2012-07-09T17:20:00.000Z',
    ]);
    assert.deepEqual(series('0 8,17 * * *', '2024-01-01T09:00:00Z', 3), [
      '2024-01-01T17:00:00.000Z',
      '2024-01-02T08:00:00.000Z',
      '2024-01-02T17:00:00.000Z',
    ]);
    assert.deepEqual(series('0 22-23,1-2 * * *', '2024-01-01T21:00:00Z', 4), [
      '2024-01-01T22:00:00.000Z',
      '2024-01-01T23:00:00.000Z',
      '2024-01-02T01:00:00.000Z',
      '2024-01-02T02:00:00.000Z',
    ]);
  });

  it('month and weekday names, in any case, alone, in ranges and lists', () => {
    assert.equal(next('0 0 1 jan,Jul *', '2024-02-01T00:00:00Z'), '2024-07-01T00:00:00.000Z');
    assert.equal(next('0 0 1 JUL-aug *', '2024-07-01T00:00:00Z'), '2024-08-01T00:00:00.000Z');
    // Friday 5 January 2024, 10:00 → Monday 8 January, 09:00.
    assert.equal(next('0 9 * * MON-fri', '2024-01-05T10:00:00Z'), '2024-01-08T09:00:00.000Z');
    // Sunday, Tuesday, Thursday, Saturday.
    assert.deepEqual(series('0 0 * * SUN-SAT/2', '2024-01-07T00:00:00Z', 3), [
      '2024-01-09T00:00:00.000Z',
      '2024-01-11T00:00:00.000Z',
      '2024-01-13T00:00:00.000Z',
    ]);
  });

  it('`?` is `*`', () => {
    assert.equal(next('0 0 ? * ?', '2024-01-01T10:00:00Z'), '2024-01-02T00:00:00.000Z');
    assert.equal(next('0 0 13 * ?', '2024-01-01T00:00:00Z'), '2024-01-13T00:00:00.000Z');
  });

  it("robfig's table of next activations", () => {
    const rows: [string, string, string][] = [
      ['2012-07-09T14:59:00Z', '0 0/15 * * * *', '2012-07-09T15:00:00.000Z'],
      ['2012-07-09T14:59:59Z', '0 0/15 * * * *', '2012-07-09T15:00:00.000Z'],
      ['2012-07-09T23:46:00Z', '0 */15 * * * *', '2012-07-10T00:00:00.000Z'],
      ['2012-07-09T23:45:00Z', '0 20-35/15 * * * *', '2012-07-10T00:20:00.000Z'],
      ['2012-07-09T23:35:51Z', '15/35 20-35/15 * * * *', '2012-07-10T00:20:15.000Z'],
      ['2012-07-09T23:35:51Z', '15/35 20-35/15 1/2 * * *', '2012-07-10T01:20:15.000Z'],
      ['2012-07-09T23:35:51Z', '15/35 20-35/15 10-12 * * *', '2012-07-10T10:20:15.000Z'],
      ['2012-07-09T23:35:51Z', '15/35 20-35/15 1/2 */2 * *', '2012-07-11T01:20:15.000Z'],
      ['2012-07-09T23:35:51Z', '15/35 20-35/15 * 9-20 * *', '2012-07-10T00:20:15.000Z'],
      ['2012-07-09T23:35:51Z', '15/35 20-35/15 * 9-20 Jul *', '2012-07-10T00:20:15.000Z'],
      ['2012-07-09T23:35:00Z', '0 0 0 9 Apr-Oct ?', '2012-08-09T00:00:00.000Z'],
      ['2012-07-09T23:35:00Z', '0 0 0 */5 Apr,Aug,Oct Mon', '2012-08-01T00:00:00.000Z'],
      ['2012-07-09T23:35:00Z', '0 0 0 */5 Oct Mon', '2012-10-01T00:00:00.000Z'],
      ['2012-07-09T23:35:00Z', '0 0 0 * Feb Mon', '2013-02-04T00:00:00.000Z'],
      ['2012-07-09T23:35:00Z', '0 0 0 * Feb Mon/2', '2013-02-01T00:00:00.000Z'],
      ['2012-12-31T23:59:45Z', '0 * * * * *', '2013-01-01T00:00:00.000Z'],
      ['2012-07-09T23:35:00Z', '0 0 0 29 Feb ?', '2016-02-29T00:00:00.000Z'],
    ];
    for (const [after, spec, expected] of rows) assert.equal(next(spec, after), expected, spec);
  });
});

describe('cron schedule: day of month and day of week', () => {
  it('with both restricted, a day matches when either does', () => {
    // Friday the 5th, Friday the 12th, Saturday the 13th, Friday the 19th.
    assert.deepEqual(series('0 0 13 * FRI', '2024-01-01T00:00:00Z', 4), [
      '2024-01-05T00:00:00.000Z',
      '2024-01-12T00:00:00.000Z',
      '2024-01-13T00:00:00.000Z',
      '2024-01-19T00:00:00.000Z',
    ]);
  });

  it('with one of them `*` or `?`, the other alone restricts', () => {
    assert.equal(next('0 0 * * FRI', '2024-01-01T00:00:00Z'), '2024-01-05T00:00:00.000Z');
    assert.equal(next('0 0 ? * FRI', '2024-01-01T00:00:00Z'), '2024-01-05T00:00:00.000Z');
    assert.equal(next('0 0 13 * *', '2024-01-01T00:00:00Z'), '2024-01-13T00:00:00.000Z');
  });

  it('`*/2` restricts (so either may match) while `*/1` counts as `*` (so both must)', () => {
    // Odd days or Mondays: Wednesday the 3rd, …, Sunday the 7th, Monday the 8th, Tuesday the 9th.
    assert.deepEqual(series('0 0 */2 * MON', '2024-01-01T00:00:00Z', 4), [
      '2024-01-03T00:00:00.000Z',
      '2024-01-05T00:00:00.000Z',
      '2024-01-07T00:00:00.000Z',
      '2024-01-08T00:00:00.000Z',
    ]);
    assert.equal(next('0 0 */1 * MON', '2024-01-01T00:00:00Z'), '2024-01-08T00:00:00.000Z');
  });

  it("robfig's activation table for the two day fields", () => {
    const rows: [string, string, boolean][] = [
      ['2012-07-15T00:00:00.000Z', '* * 1,15 * Sun', true],
      ['2012-06-15T00:00:00.000Z', '* * 1,15 * Sun', true],
      ['2012-08-01T00:00:00.000Z', '* * 1,15 * Sun', true],
      ['2012-07-15T00:00:00.000Z', '* * */10 * Sun', true],
      ['2012-07-15T00:00:00.000Z', '* * * * Mon', false],
      ['2012-07-09T00:00:00.000Z', '* * 1,15 * *', false],
      ['2012-07-15T00:00:00.000Z', '* * 1,15 * *', true],
      ['2012-07-15T00:00:00.000Z', '* * */2 * Sun', true],
    ];
    for (const [at, spec, expected] of rows) {
      const before = new Date(Date.parse(at) - 1000).toISOString();
      assert.equal(next(spec, before) === at, expected, `${spec} at ${at}`);
    }
  });
});

describe('cron schedule: descriptors', () => {
  // Wednesday 15 May 2024, 10:30.
  const after = '2024-05-15T10:30:00Z';
  it('@yearly and @annually: 1 January, midnight', () => {
    assert.equal(next('@yearly', after), '2025-01-01T00:00:00.000Z');
    assert.equal(next('@annually', after), '2025-01-01T00:00:00.000Z');
  });
  it('@monthly: the 1st, midnight', () => {
    assert.equal(next('@monthly', after), '2024-06-01T00:00:00.000Z');
  });
  it('@weekly: Sunday, midnight', () => {
    assert.equal(next('@weekly', after), '2024-05-19T00:00:00.000Z');
  });
  it('@daily and @midnight: midnight', () => {
    assert.equal(next('@daily', after), '2024-05-16T00:00:00.000Z');
    assert.equal(next('@midnight', after), '2024-05-16T00:00:00.000Z');
  });
  it('@hourly: the top of the hour', () => {
    assert.equal(next('@hourly', after), '2024-05-15T11:00:00.000Z');
  });
  it('in a time zone', () => {
    assert.equal(next('TZ=Asia/Tokyo @daily', after), '2024-05-15T15:00:00.000Z');
    assert.equal(next('@monthly', after, 'America/New_York'), '2024-06-01T04:00:00.000Z');
  });
});

describe('cron schedule: @every', () => {
  it('the delay after the start of the current second', () => {
    assert.equal(next('@every 1h30m', '2024-01-01T00:00:00.250Z'), '2024-01-01T01:30:00.000Z');
    assert.equal(next('@every 90s', '2024-01-01T00:00:00Z'), '2024-01-01T00:01:30.000Z');
    assert.equal(next('@every .5h', '2024-01-01T00:00:00Z'), '2024-01-01T00:30:00.000Z');
  });

  it('delays are cut to whole seconds, and under a second (even zero or negative) are one second', () => {
    assert.equal(next('@every 2h45m30.9s', '2024-01-01T00:00:00Z'), '2024-01-01T02:45:30.000Z');
    assert.equal(next('@every 1.5s', '2024-01-01T00:00:00Z'), '2024-01-01T00:00:01.000Z');
    for (const d of ['500ms', '999999us', '1\u00b5s', '0', '-0', '-1m', '+0.5s']) {
      assert.equal(next(`@every ${d}`, '2024-01-01T10:00:00.700Z'), '2024-01-01T10:00:01.000Z', d);
    }
  });

  it('ignores the time zone', () => {
    assert.equal(
      next('TZ=Asia/Tokyo @every 1h', '2024-01-01T00:00:00Z'),
      '2024-01-01T01:00:00.000Z',
    );
  });

  it("rejects what Go's time.ParseDuration rejects, overflow included", () => {
    assert.ok(accepts('@every 2562047h'));
    assert.throws(() => parseCronSchedule('@every 2562048h'), /invalid duration "2562048h"/);
    for (const d of ['', '1', '1x', '.s', '1d', ' 1h', '1h ', '1.5.5s', '--1s']) {
      assert.throws(() => parseCronSchedule(`@every ${d}`), /invalid/, d);
    }
  });
});

describe('cron schedule: time zones', () => {
  it('TZ= and CRON_TZ= set the zone: 09:00 in Tokyo is 00:00 UTC', () => {
    assert.equal(
      next('TZ=Asia/Tokyo 0 9 * * *', '2024-01-01T12:00:00Z'),
      '2024-01-02T00:00:00.000Z',
    );
    assert.equal(
      next('CRON_TZ=Asia/Tokyo 0 9 * * *', '2024-01-01T12:00:00Z'),
      '2024-01-02T00:00:00.000Z',
    );
    assert.equal(
      next('TZ=Asia/Kolkata 30 0 * * *', '2024-01-01T12:00:00Z'),
      '2024-01-01T19:00:00.000Z',
    );
    assert.equal(
      next('TZ=US/Eastern 0 9 * * *', '2024-01-01T12:00:00Z'),
      '2024-01-01T14:00:00.000Z',
    );
    assert.equal(
      next('CRON_TZ=UTC   */5 * * * * *', '2024-01-01T00:00:01Z'),
      '2024-01-01T00:00:05.000Z',
    );
  });

  it('a prefix wins over the default zone; `TZ=Local` is the default zone; `TZ=` is UTC', () => {
    const after = '2024-01-01T12:00:00Z';
    assert.equal(next('0 9 * * *', after, 'Asia/Tokyo'), '2024-01-02T00:00:00.000Z');
    assert.equal(next('TZ=Local 0 9 * * *', after, 'Asia/Tokyo'), '2024-01-02T00:00:00.000Z');
    assert.equal(next('TZ=UTC 0 9 * * *', after, 'Asia/Tokyo'), '2024-01-02T09:00:00.000Z');
    assert.equal(next('TZ= 0 9 * * *', after, 'Asia/Tokyo'), '2024-01-02T09:00:00.000Z');
    assert.equal(
      next('TZ=Europe/Berlin 0 9 * * *', after, 'Asia/Tokyo'),
      '2024-01-02T08:00:00.000Z',
    );
  });

  it("without an option, the default zone is the server's", () => {
    const server = new Intl.DateTimeFormat().resolvedOptions().timeZone;
    const implicit = parseCronSchedule('0 9 * * *');
    const explicit = parseCronSchedule('0 9 * * *', { defaultTimeZone: server });
    for (
      let t = Date.parse('2024-01-01T00:00:00Z');
      t < Date.parse('2025-01-01T00:00:00Z');
      t += 7e8
    ) {
      assert.equal(implicit.next(t), explicit.next(t));
    }
    assert.throws(
      () => parseCronSchedule('0 9 * * *', { defaultTimeZone: 'Nowhere/Nothing' }),
      /unknown default time zone/,
    );
  });
});

describe('cron schedule: daylight saving time in America/New_York', () => {
  const ny = (spec: string) => `TZ=America/New_York ${spec}`;
  // Instants written with their New York offsets, as in robfig's tests.
  const rows: [string, string, string][] = [
    // 2012-03-11, 02:00 EST → 03:00 EDT: 02:xx does not exist that day.
    ['2012-03-11T00:00:00-05:00', '0 30 2 11 Mar ?', '2013-03-11T02:30:00-04:00'],
    ['2012-03-11T00:00:00-05:00', '0 0 * * * ?', '2012-03-11T01:00:00-05:00'],
    ['2012-03-11T01:00:00-05:00', '0 0 * * * ?', '2012-03-11T03:00:00-04:00'],
    ['2012-03-11T03:00:00-04:00', '0 0 * * * ?', '2012-03-11T04:00:00-04:00'],
    ['2012-03-11T00:00:00-05:00', '0 0 1 * * ?', '2012-03-11T01:00:00-05:00'],
    ['2012-03-11T01:00:00-05:00', '0 0 1 * * ?', '2012-03-12T01:00:00-04:00'],
    ['2012-03-11T00:00:00-05:00', '0 0 2 * * ?', '2012-03-12T02:00:00-04:00'],
    // 2012-11-04, 02:00 EDT → 01:00 EST: 01:xx happens twice, and matches both times.
    ['2012-11-04T00:00:00-04:00', '0 30 2 04 Nov ?', '2012-11-04T02:30:00-05:00'],
    ['2012-11-04T01:45:00-04:00', '0 30 1 04 Nov ?', '2012-11-04T01:30:00-05:00'],
    ['2012-11-04T00:00:00-04:00', '0 0 * * * ?', '2012-11-04T01:00:00-04:00'],
    ['2012-11-04T01:00:00-04:00', '0 0 * * * ?', '2012-11-04T01:00:00-05:00'],
    ['2012-11-04T01:00:00-05:00', '0 0 * * * ?', '2012-11-04T02:00:00-05:00'],
    ['2012-11-04T00:00:00-04:00', '0 0 1 * * ?', '2012-11-04T01:00:00-04:00'],
    ['2012-11-04T01:00:00-04:00', '0 0 1 * * ?', '2012-11-04T01:00:00-05:00'],
    ['2012-11-04T01:00:00-05:00', '0 0 1 * * ?', '2012-11-05T01:00:00-05:00'],
    ['2012-11-04T00:00:00-04:00', '0 0 2 * * ?', '2012-11-04T02:00:00-05:00'],
    ['2012-11-04T02:00:00-05:00', '0 0 2 * * ?', '2012-11-05T02:00:00-05:00'],
    ['2012-11-04T00:00:00-04:00', '0 0 3 * * ?', '2012-11-04T03:00:00-05:00'],
    ['2012-11-04T03:00:00-05:00', '0 0 3 * * ?', '2012-11-05T03:00:00-05:00'],
    ['2012-11-04T00:00:00-04:00', '0 0 3 3 * ?', '2012-12-03T03:00:00-05:00'],
  ];

  it("robfig's DST table", () => {
    for (const [after, spec, expected] of rows) {
      const iso = new Date(Date.parse(expected)).toISOString();
      assert.equal(next(ny(spec), after), iso, `${spec} after ${after}`);
    }
  });

  it('a daily job keeps its wall-clock time across both changes', () => {
    assert.deepEqual(series('0 9 * * *', '2024-03-09T12:00:00Z', 3, 'America/New_York'), [
      '2024-03-09T14:00:00.000Z',
      '2024-03-10T13:00:00.000Z',
      '2024-03-11T13:00:00.000Z',
    ]);
    assert.deepEqual(series('0 9 * * *', '2024-11-02T12:00:00Z', 3, 'America/New_York'), [
      '2024-11-02T13:00:00.000Z',
      '2024-11-03T14:00:00.000Z',
      '2024-11-04T14:00:00.000Z',
    ]);
  });

  it('every 30 minutes through the night clocks spring forward and the night they fall back', () => {
    assert.deepEqual(series('*/30 * * * *', '2024-03-10T06:00:00Z', 4, 'America/New_York'), [
      '2024-03-10T06:30:00.000Z', // 01:30 EST
      '2024-03-10T07:00:00.000Z', // 03:00 EDT
      '2024-03-10T07:30:00.000Z', // 03:30 EDT
      '2024-03-10T08:00:00.000Z',
    ]);
    assert.deepEqual(series('*/30 * * * *', '2024-11-03T05:00:00Z', 5, 'America/New_York'), [
      '2024-11-03T05:30:00.000Z', // 01:30 EDT
      '2024-11-03T06:00:00.000Z', // 01:00 EST
      '2024-11-03T06:30:00.000Z', // 01:30 EST
      '2024-11-03T07:00:00.000Z', // 02:00 EST
      '2024-11-03T07:30:00.000Z',
    ]);
  });
});

describe('cron schedule: daylight saving time elsewhere', () => {
  it("São Paulo's skipped midnights (robfig issue 157)", () => {
    const sp = 'TZ=America/Sao_Paulo';
    assert.equal(
      next(`${sp} 0 0 9 10 * ?`, '2018-10-17T05:00:00-04:00'),
      new Date(Date.parse('2018-11-10T06:00:00-05:00')).toISOString(),
    );
    assert.equal(
      next(`${sp} 0 0 9 22 * ?`, '2018-02-14T05:00:00-05:00'),
      new Date(Date.parse('2018-02-22T07:00:00-05:00')).toISOString(),
    );
  });

  it('a skipped midnight east of Greenwich keeps its day (Beirut, 29 March 2020)', () => {
    // Sunday 29 March starts at 01:00 (+03); robfig would go on to the next Sunday.
    assert.equal(
      next('TZ=Asia/Beirut 0 10 6 * * SUN', '2020-03-27T18:15:00Z'),
      '2020-03-29T03:10:00.000Z',
    );
  });

  it('a skipped midnight west of Greenwich lets no other day through (Havana, 1 April 2012)', () => {
    // Sunday 1 April starts at 01:00 (-04) and is neither the 13th nor a Saturday; robfig would fire then.
    assert.equal(
      next('TZ=America/Havana 0 57 2 13 * SAT', '2012-04-01T01:33:43Z'),
      '2012-04-07T06:57:00.000Z',
    );
  });

  it('a half-hour shift keeps the minutes (Lord Howe Island, 7 October 2012)', () => {
    // 02:00 (+10:30) → 02:30 (+11); robfig would fire at 13:30 instead of 13:03.
    assert.equal(
      next('TZ=Australia/Lord_Howe 0 3-55 13 * * *', '2012-10-06T13:20:24Z'),
      '2012-10-07T02:03:00.000Z',
    );
  });
});

describe('cron schedule: no activation', () => {
  it('impossible dates give NaN', () => {
    assert.equal(next('0 0 30 2 *', '2024-01-01T00:00:00Z'), 'none');
    assert.equal(next('0 0 0 31 Apr ?', '2012-07-09T23:35:00Z'), 'none');
    assert.equal(next('TZ=America/New_York 0 0 30 Feb *', '2024-01-01T00:00:00Z'), 'none');
  });

  it('the search ends five years on, as robfig’s', () => {
    assert.equal(next('0 0 29 2 *', '2012-07-09T00:00:00Z'), '2016-02-29T00:00:00.000Z');
    // The next 29 February after 2097 is in 2104 (2100 is no leap year).
    assert.equal(next('0 0 29 2 *', '2097-07-01T00:00:00Z'), 'none');
  });

  it('a time that is no number gives NaN', () => {
    const s = parseCronSchedule('* * * * *', { defaultTimeZone: 'UTC' });
    assert.ok(Number.isNaN(s.next(Number.NaN)));
    assert.ok(Number.isNaN(s.next(Number.POSITIVE_INFINITY)));
    assert.ok(Number.isNaN(parseCronSchedule('@every 1h').next(Number.NaN)));
  });
});

describe('cron schedule: invalid schedules', () => {
  const invalid: [string, RegExp][] = [
    ['', /expected 5 or 6 fields, found 0/],
    ['xyz', /expected 5 or 6 fields, found 1/],
    ['* * * *', /expected 5 or 6 fields, found 4/],
    ['* * * * * * *', /expected 5 or 6 fields, found 7/],
    ['60 0 * * *', /minute field "60": 60 is above the maximum 59/],
    ['0 60 * * *', /hour field "60": 60 is above the maximum 23/],
    ['0 0 0 * *', /day of month field "0": 0 is below the minimum 1/],
    ['0 0 * 13 *', /month field "13"/],
    ['0 0 * * 7', /day of week field "7"/],
    ['0 0 * * XYZ', /day of week field "XYZ": "XYZ" is no number or name/],
    ['JAN * * * *', /minute field "JAN": "JAN" is no number/],
    ['5-3 * * * *', /starts after it ends/],
    ['*/0 * * * *', /the step "0" is no positive number/],
    ['*/x * * * *', /the step "x"/],
    ['1/2/3 * * * *', /too many slashes/],
    ['1-2-3 * * * *', /too many hyphens/],
    ['1,,2 * * * *', /empty range/],
    ['-1 * * * *', /minute field/],
    ['@foo', /unknown descriptor "@foo"/],
    ['@daily ', /unknown descriptor/],
    ['@every', /unknown descriptor/],
    ['@every 1x', /invalid duration "1x"/],
    ['TZ=Mars/Base 0 0 * * *', /unknown time zone "Mars\/Base"/],
    ['TZ=utc 0 0 * * *', /unknown time zone "utc"/],
    ['CRON_TZ=PST 0 0 * * *', /unknown time zone "PST"/],
    ['TZ=UTC', /followed by a space/],
    ['TZ=UTC 0 0 *', /expected 5 or 6 fields, found 3/],
  ];

  it('throw an Error saying what is wrong', () => {
    for (const [spec, message] of invalid) {
      assert.throws(() => parseCronSchedule(spec), message, spec);
      assert.throws(() => parseCronSchedule(spec), /^Error: invalid cron schedule/, spec);
    }
  });

  it('accepted and rejected exactly as the schema check does', () => {
    const valid = [
      '* * * * *',
      '*/5 * * * * *',
      '0 0 1,15 * Sun',
      '0 0 ? Jul sun',
      '0 30 8 ? jul SUN',
      '15/35 20-35/15 1/2 */2 * *',
      '0 0 0 * Feb Mon/2',
      '00 05 * * *',
      '0 0 * * 0-6',
      '0 0 31 Dec *',
      '*/100 * * * *',
      '  0   0 * * *  ',
      '@yearly',
      '@annually',
      '@monthly',
      '@weekly',
      '@daily',
      '@midnight',
      '@hourly',
      '@every 1h30m',
      '@every 500ms',
      '@every 1.5s',
      '@every 1.h',
      '@every 0',
      '@every -1m',
      'TZ=Europe/Berlin 0 0 * * *',
      'CRON_TZ=America/New_York @daily',
      'TZ= 0 0 * * *',
      'TZ=Local 0 0 * * *',
      'TZ=EST @hourly',
      'CRON_TZ=UTC   */5 * * * * *',
      'TZ=Etc/GMT+1 @every 1m',
    ];
    const rejected = invalid.map(([spec]) => spec).concat(['*-5 * * * *', '+5 * * * *', ' @daily']);
    for (const spec of valid) {
      assert.equal(isValidCron(spec), true, spec);
      assert.equal(accepts(spec), true, spec);
    }
    for (const spec of rejected) assert.equal(accepts(spec), isValidCron(spec), spec);
  });
});
