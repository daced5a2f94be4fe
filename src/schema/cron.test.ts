// The JOB cron check: time zone prefixes (Go's time.LoadLocation), descriptors and @every durations.
import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import { isKnownLocation, isValidCron } from './cron.js';
import { formatError } from './errors.js';
import { compileApp } from './index.js';

describe('cron time zones', () => {
  test('known locations, in their exact spelling, and the names Go knows itself', () => {
    for (const z of [
      '',
      'UTC',
      'Local',
      'Europe/Berlin',
      'America/New_York',
      'US/Eastern',
      'EST',
    ]) {
      assert.equal(isKnownLocation(z), true, z);
    }
    assert.equal(isKnownLocation('Etc/GMT+1'), true);
  });

  test('unknown locations, another spelling, offsets and the zone IDs only ICU has', () => {
    for (const z of [
      'Nowhere/Nothing',
      'europe/berlin',
      'utc',
      '+01:00',
      '-05',
      'PST',
      'IST',
      'SystemV/AST4',
      'Europe/Berlin/',
    ]) {
      assert.equal(isKnownLocation(z), false, z);
    }
  });

  test('TZ= and CRON_TZ= take the location up to the first space, then a schedule', () => {
    assert.equal(isValidCron('TZ=Europe/Berlin 0 0 * * *'), true);
    assert.equal(isValidCron('CRON_TZ=America/New_York @daily'), true);
    assert.equal(isValidCron('TZ= 0 0 * * *'), true); // Go: the empty name is UTC
    assert.equal(isValidCron('CRON_TZ=UTC   */5 * * * * *'), true);
    assert.equal(isValidCron('TZ=Nowhere/Nothing 0 0 * * *'), false);
    assert.equal(isValidCron('CRON_TZ=europe/berlin 0 0 * * *'), false);
    assert.equal(isValidCron('TZ=UTC'), false);
    assert.equal(isValidCron('TZ=UTC 0 0 *'), false);
  });

  test('a JOB with an unknown location: invalid cron schedule at the JOB', () => {
    const r = compileApp([
      {
        path: 'example.com/pkg',
        files: [
          {
            name: 'f.vsql',
            text: [
              'APPLICATION test();',
              'ALTER WORKSPACE sys.AppWorkspaceWS (',
              "  EXTENSION ENGINE BUILTIN ( JOB J1 'CRON_TZ=Mars/Olympus @hourly'; JOB J2 'TZ=UTC @hourly'; );",
              ');',
            ].join('\n'),
          },
        ],
      },
    ]);
    assert.deepEqual(r.errors.map(formatError), [
      'f.vsql:3:30: invalid cron schedule: CRON_TZ=Mars/Olympus @hourly',
    ]);
  });
});

describe('cron descriptors and durations', () => {
  test('a descriptor is the whole text; fields may have spaces around them', () => {
    assert.equal(isValidCron('@hourly'), true);
    assert.equal(isValidCron(' @hourly'), false);
    assert.equal(isValidCron('@hourly '), false);
    assert.equal(isValidCron(' 0 0 * * * '), true);
  });

  test('@every takes Go durations', () => {
    for (const d of [
      '1h30m',
      '500ms',
      '0',
      '-1h',
      '+2s',
      '1.5h',
      '.5h',
      '1.h',
      '3us',
      '3µs',
      '3μs',
    ]) {
      assert.equal(isValidCron(`@every ${d}`), true, d);
    }
    for (const d of ['', '1', '1x', '.h', 'h', '1h ', ' 1h', '1 h', '--1h']) {
      assert.equal(isValidCron(`@every ${d}`), false, d);
    }
  });
});
