import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import { type AppDef, compileApp, formatErrors } from '../../schema/index.js';
import {
  FunctionRateLimiter,
  type FunctionRateLimiterOptions,
  type RateLimitCaller,
  retryAfterSeconds,
} from './rate-limiter.js';

const MINUTE = 60_000;
const HOUR = 60 * MINUTE;
const T0 = 1_700_000_000_000;

function compile(workspaceBody: string): AppDef {
  const text = `APPLICATION test(); WORKSPACE W ( ${workspaceBody} );`;
  const r = compileApp([{ path: 'example.com/pkg', files: [{ name: 'f.vsql', text }] }]);
  assert.equal(formatErrors(r.errors), '');
  assert.ok(r.appDef !== undefined);
  return r.appDef;
}

function limiter(workspaceBody: string, options?: FunctionRateLimiterOptions) {
  return FunctionRateLimiter.forApp(compile(workspaceBody), options);
}

const caller = (over: Partial<RateLimitCaller> = {}): RateLimitCaller => ({
  appPartition: 1,
  wsid: 140737488355329,
  ip: '10.0.0.1',
  ...over,
});

/** The answers of `times` calls at one moment: undefined = allowed, a number = Retry-After. */
function calls(
  l: FunctionRateLimiter,
  fn: string,
  times: number,
  now: number,
  c: RateLimitCaller = caller(),
): (number | undefined)[] {
  return Array.from({ length: times }, () => l.checkCall(fn, c, now));
}

describe('retryAfterSeconds', () => {
  test('is the time one token takes to come back, rounded up, at least 1', () => {
    assert.equal(retryAfterSeconds(2, MINUTE), 30);
    assert.equal(retryAfterSeconds(4, HOUR), 900);
    assert.equal(retryAfterSeconds(7, MINUTE), 9);
    assert.equal(retryAfterSeconds(3, 1000), 1);
    assert.equal(retryAfterSeconds(5, 10 * MINUTE), 120);
    assert.equal(retryAfterSeconds(0, MINUTE), 60);
  });
});

describe('FunctionRateLimiter', () => {
  const twoPerMinute = `
    EXTENSION ENGINE BUILTIN ( COMMAND Cmd(); COMMAND Free(); QUERY Q() RETURNS any; );
    RATE R 2 PER MINUTE;
    LIMIT L ON COMMAND Cmd WITH RATE R;`;

  test('allows up to the count, then refuses with Retry-After', () => {
    const l = limiter(twoPerMinute);
    assert.deepEqual(calls(l, 'pkg.Cmd', 4, T0), [undefined, undefined, 30, 30]);
  });

  test('refills one token per period/count; a refused call takes nothing', () => {
    // No sweep after the first check: the bucket itself must cap its refill.
    const l = limiter(twoPerMinute, { sweepIntervalMs: Number.POSITIVE_INFINITY });
    assert.deepEqual(calls(l, 'pkg.Cmd', 5, T0), [undefined, undefined, 30, 30, 30]);
    // Three refused calls took nothing: one token is back after 30 s, not later.
    assert.equal(l.checkCall('pkg.Cmd', caller(), T0 + 29_999), 30);
    assert.deepEqual(calls(l, 'pkg.Cmd', 2, T0 + 30_000), [undefined, 30]);
    // A full period after the last take the bucket is full again, and holds no more than the count.
    assert.deepEqual(calls(l, 'pkg.Cmd', 3, T0 + 30_000 + 10 * MINUTE), [undefined, undefined, 30]);
  });

  test('a period that does not divide by the count refills at the exact moment', () => {
    const l = limiter(`
      EXTENSION ENGINE BUILTIN ( COMMAND Cmd(); );
      RATE R 3 PER 10 SECONDS;
      LIMIT L ON COMMAND Cmd WITH RATE R;`);
    assert.deepEqual(calls(l, 'pkg.Cmd', 4, T0), [undefined, undefined, undefined, 4]);
    // One token takes 3333.3 ms.
    assert.equal(l.checkCall('pkg.Cmd', caller(), T0 + 3333), 4);
    assert.deepEqual(calls(l, 'pkg.Cmd', 2, T0 + 3334), [undefined, 4]);
    // 10 s after the last take: full, exactly 3 tokens.
    assert.deepEqual(calls(l, 'pkg.Cmd', 4, T0 + 13_334), [undefined, undefined, undefined, 4]);
  });

  test('4 per hour answers Retry-After 900', () => {
    const l = limiter(`
      EXTENSION ENGINE BUILTIN ( QUERY Q() RETURNS any; );
      RATE R 4 PER HOUR;
      LIMIT L ON QUERY Q WITH RATE R;`);
    assert.deepEqual(calls(l, 'pkg.Q', 5, T0), [undefined, undefined, undefined, undefined, 900]);
    assert.equal(l.checkCall('pkg.Q', caller(), T0 + 15 * MINUTE), undefined);
  });

  test('a function without limits is always allowed and holds no bucket', () => {
    const l = limiter(twoPerMinute);
    assert.equal(l.isLimited('pkg.Free'), false);
    assert.equal(l.isLimited('pkg.Cmd'), true);
    assert.ok(calls(l, 'pkg.Free', 1000, T0).every((r) => r === undefined));
    assert.ok(calls(l, 'pkg.Q', 1000, T0).every((r) => r === undefined));
    assert.ok(calls(l, 'pkg.NoSuchFunction', 10, T0).every((r) => r === undefined));
    assert.equal(l.bucketCount, 0);
  });

  test('only the operations of the limit are counted', () => {
    const l = limiter(`
      EXTENSION ENGINE BUILTIN ( COMMAND Cmd(); PROJECTOR P AFTER EXECUTE ON Cmd INTENTS(sys.View(V)); );
      VIEW V (P int32, C int64, PRIMARY KEY((P), C)) AS RESULT OF P;
      RATE R 1 PER MINUTE;
      LIMIT CmdLimit ON COMMAND Cmd WITH RATE R;
      LIMIT ViewLimit SELECT ON VIEW V WITH RATE R;`);
    assert.equal(l.checkCall('pkg.Cmd', caller(), T0, 'Select'), undefined);
    assert.equal(l.checkCall('pkg.Cmd', caller(), T0, 'Select'), undefined);
    assert.deepEqual(calls(l, 'pkg.Cmd', 2, T0), [undefined, 60]);
    assert.equal(l.checkCall('pkg.V', caller(), T0), undefined);
    assert.equal(l.checkCall('pkg.V', caller(), T0), undefined);
    assert.equal(l.checkCall('pkg.V', caller(), T0, 'Select'), undefined);
    assert.equal(l.checkCall('pkg.V', caller(), T0, 'Select'), 60);
  });

  describe('scopes', () => {
    test('PER APP PARTITION (the default): callers of a partition share, partitions do not', () => {
      const l = limiter(twoPerMinute);
      assert.equal(l.checkCall('pkg.Cmd', caller({ wsid: 1, ip: 'a' }), T0), undefined);
      assert.equal(l.checkCall('pkg.Cmd', caller({ wsid: 2, ip: 'b', user: 'u' }), T0), undefined);
      assert.equal(l.checkCall('pkg.Cmd', caller({ wsid: 3, ip: 'c' }), T0), 30);
      assert.equal(l.checkCall('pkg.Cmd', caller({ appPartition: 2, wsid: 3 }), T0), undefined);
    });

    test('PER WORKSPACE: a bucket per workspace', () => {
      const l = limiter(`
        EXTENSION ENGINE BUILTIN ( COMMAND Cmd(); );
        RATE R 2 PER MINUTE PER WORKSPACE;
        LIMIT L ON COMMAND Cmd WITH RATE R;`);
      assert.deepEqual(calls(l, 'pkg.Cmd', 3, T0, caller({ wsid: 1 })), [undefined, undefined, 30]);
      assert.deepEqual(calls(l, 'pkg.Cmd', 3, T0, caller({ wsid: 2, ip: 'x' })), [
        undefined,
        undefined,
        30,
      ]);
      assert.equal(l.checkCall('pkg.Cmd', caller({ wsid: 1, ip: 'other' }), T0), 30);
    });

    test('PER IP: a bucket per remote address', () => {
      const l = limiter(`
        EXTENSION ENGINE BUILTIN ( COMMAND Cmd(); );
        RATE R 1 PER HOUR PER IP;
        LIMIT L ON COMMAND Cmd WITH RATE R;`);
      assert.deepEqual(calls(l, 'pkg.Cmd', 2, T0, caller({ ip: '10.0.0.1' })), [undefined, 3600]);
      assert.equal(l.checkCall('pkg.Cmd', caller({ ip: '10.0.0.2' }), T0), undefined);
      assert.equal(l.checkCall('pkg.Cmd', caller({ ip: '10.0.0.1', wsid: 7 }), T0), 3600);
    });

    test('PER WORKSPACE PER IP: the key combines both', () => {
      const l = limiter(`
        EXTENSION ENGINE BUILTIN ( COMMAND Cmd(); );
        RATE R 1 PER MINUTE PER WORKSPACE PER IP;
        LIMIT L ON COMMAND Cmd WITH RATE R;`);
      assert.equal(l.checkCall('pkg.Cmd', caller({ wsid: 1, ip: 'a' }), T0), undefined);
      assert.equal(l.checkCall('pkg.Cmd', caller({ wsid: 1, ip: 'a' }), T0), 60);
      assert.equal(l.checkCall('pkg.Cmd', caller({ wsid: 1, ip: 'b' }), T0), undefined);
      assert.equal(l.checkCall('pkg.Cmd', caller({ wsid: 2, ip: 'a' }), T0), undefined);
      assert.equal(l.bucketCount, 3);
    });

    const perSubject = `
      EXTENSION ENGINE BUILTIN ( COMMAND Cmd(); );
      RATE R 1 PER MINUTE PER SUBJECT;
      LIMIT L ON COMMAND Cmd WITH RATE R;`;

    test('PER SUBJECT is ignored by default, as in the reference', () => {
      const l = limiter(perSubject);
      assert.equal(l.checkCall('pkg.Cmd', caller({ user: 'alice' }), T0), undefined);
      assert.equal(l.checkCall('pkg.Cmd', caller({ user: 'bob' }), T0), 60);
    });

    test('PER SUBJECT keys by user with perUserBuckets', () => {
      const l = limiter(perSubject, { perUserBuckets: true });
      assert.equal(l.checkCall('pkg.Cmd', caller({ user: 'alice' }), T0), undefined);
      assert.equal(l.checkCall('pkg.Cmd', caller({ user: 'alice' }), T0), 60);
      assert.equal(l.checkCall('pkg.Cmd', caller({ user: 'bob' }), T0), undefined);
      assert.equal(l.checkCall('pkg.Cmd', caller(), T0), undefined);
      assert.equal(l.checkCall('pkg.Cmd', caller(), T0), 60);
    });
  });

  test('two limits on one function both apply, and a refused call is charged to neither', () => {
    const l = limiter(`
      EXTENSION ENGINE BUILTIN ( COMMAND Cmd(); );
      RATE PerMinute 2 PER MINUTE;
      RATE PerHour 3 PER HOUR;
      LIMIT MinuteLimit ON COMMAND Cmd WITH RATE PerMinute;
      LIMIT HourLimit ON COMMAND Cmd WITH RATE PerHour;`);
    // The minute limit runs out first; the hour limit keeps the token the refused call did not use.
    assert.deepEqual(calls(l, 'pkg.Cmd', 3, T0), [undefined, undefined, 30]);
    // A minute later: the minute bucket is full, the hour bucket has 1.05 tokens.
    assert.deepEqual(calls(l, 'pkg.Cmd', 2, T0 + MINUTE), [undefined, 1200]);
    assert.deepEqual(calls(l, 'pkg.Cmd', 2, T0 + MINUTE + 1), [1200, 1200]);
  });

  test('when several limits are exhausted, the first by name sets Retry-After', () => {
    const body = (minuteLimit: string, hourLimit: string) => `
      EXTENSION ENGINE BUILTIN ( COMMAND Cmd(); );
      RATE PerHour 1 PER HOUR;
      RATE PerMinute 1 PER MINUTE;
      LIMIT ${hourLimit} ON COMMAND Cmd WITH RATE PerHour;
      LIMIT ${minuteLimit} ON COMMAND Cmd WITH RATE PerMinute;`;
    assert.deepEqual(calls(limiter(body('A', 'B')), 'pkg.Cmd', 2, T0), [undefined, 60]);
    assert.deepEqual(calls(limiter(body('B', 'A')), 'pkg.Cmd', 2, T0), [undefined, 3600]);
  });

  describe('filters', () => {
    const tagged = (each: 'ALL' | 'EACH') => `
      TAG Limited;
      EXTENSION ENGINE BUILTIN (
        COMMAND A() WITH Tags=(Limited);
        COMMAND B() WITH Tags=(Limited);
        COMMAND Untagged();
        QUERY Q() RETURNS any WITH Tags=(Limited);
      );
      RATE R 2 PER MINUTE;
      LIMIT L ${each === 'ALL' ? 'ON ALL COMMANDS' : 'ON EACH COMMAND'} WITH TAG Limited WITH RATE R;`;

    test('ON ALL COMMANDS WITH TAG: the tagged commands share one bucket', () => {
      const l = limiter(tagged('ALL'));
      assert.equal(l.checkCall('pkg.A', caller(), T0), undefined);
      assert.equal(l.checkCall('pkg.B', caller(), T0), undefined);
      assert.equal(l.checkCall('pkg.A', caller(), T0), 30);
      assert.equal(l.checkCall('pkg.B', caller(), T0), 30);
      assert.ok(calls(l, 'pkg.Untagged', 5, T0).every((r) => r === undefined));
      assert.ok(calls(l, 'pkg.Q', 5, T0).every((r) => r === undefined));
    });

    test('ON EACH COMMAND WITH TAG: a bucket per command', () => {
      const l = limiter(tagged('EACH'));
      assert.deepEqual(calls(l, 'pkg.A', 3, T0), [undefined, undefined, 30]);
      assert.deepEqual(calls(l, 'pkg.B', 3, T0), [undefined, undefined, 30]);
      assert.ok(calls(l, 'pkg.Untagged', 5, T0).every((r) => r === undefined));
    });

    test('ON ALL QUERIES and ON EACH QUERY', () => {
      const body = (target: string) => `
        EXTENSION ENGINE BUILTIN ( QUERY Q1() RETURNS any; QUERY Q2() RETURNS any; COMMAND C(); );
        RATE R 1 PER MINUTE;
        LIMIT L ${target} WITH RATE R;`;
      const all = limiter(body('ON ALL QUERIES'));
      assert.equal(all.checkCall('pkg.Q1', caller(), T0), undefined);
      assert.equal(all.checkCall('pkg.Q2', caller(), T0), 60);
      assert.ok(calls(all, 'pkg.C', 3, T0).every((r) => r === undefined));
      const each = limiter(body('ON EACH QUERY'));
      assert.deepEqual(calls(each, 'pkg.Q1', 2, T0), [undefined, 60]);
      assert.deepEqual(calls(each, 'pkg.Q2', 2, T0), [undefined, 60]);
      assert.ok(calls(each, 'pkg.C', 3, T0).every((r) => r === undefined));
    });

    test("ON ALL COMMANDS covers every command of the app, sys ones too (the reference's matching)", () => {
      const l = limiter(`
        EXTENSION ENGINE BUILTIN ( COMMAND C(); );
        RATE R 1 PER MINUTE;
        LIMIT L ON ALL COMMANDS WITH RATE R;`);
      assert.equal(l.isLimited('pkg.C'), true);
      assert.equal(l.isLimited('sys.Init'), true);
      assert.equal(l.checkCall('sys.Init', caller(), T0), undefined);
      assert.equal(l.checkCall('pkg.C', caller(), T0), 60);
    });
  });

  test("the sys package's own limits: 5 per 10 minutes per workspace", () => {
    const l = limiter('EXTENSION ENGINE BUILTIN ( COMMAND C(); );');
    const ws1 = caller({ wsid: 1 });
    for (const fn of ['sys.InitiateEmailVerification', 'sys.IssueVerifiedValueToken']) {
      assert.deepEqual(calls(l, fn, 6, T0, ws1), [
        undefined,
        undefined,
        undefined,
        undefined,
        undefined,
        120,
      ]);
      assert.equal(l.checkCall(fn, caller({ wsid: 2 }), T0), undefined);
    }
  });

  test('reset refills the caller’s buckets of the function only', () => {
    const l = limiter(`
      EXTENSION ENGINE BUILTIN ( COMMAND Cmd(); );
      RATE R 1 PER MINUTE PER WORKSPACE;
      LIMIT L ON COMMAND Cmd WITH RATE R;`);
    const ws1 = caller({ wsid: 1 });
    const ws2 = caller({ wsid: 2 });
    assert.deepEqual(calls(l, 'pkg.Cmd', 2, T0, ws1), [undefined, 60]);
    assert.deepEqual(calls(l, 'pkg.Cmd', 2, T0, ws2), [undefined, 60]);
    l.reset('pkg.Cmd', ws1);
    assert.deepEqual(calls(l, 'pkg.Cmd', 2, T0, ws1), [undefined, 60]);
    assert.equal(l.checkCall('pkg.Cmd', ws2, T0), 60);
  });

  test('a clock that goes back neither refills nor drains, and no span is refilled twice', () => {
    const l = limiter(twoPerMinute, { sweepIntervalMs: Number.POSITIVE_INFINITY });
    assert.equal(l.checkCall('pkg.Cmd', caller(), T0), undefined);
    // An hour back: the one token left is still there, no more.
    assert.deepEqual(calls(l, 'pkg.Cmd', 2, T0 - HOUR), [undefined, 30]);
    // Refill counts from T0, the latest time seen, not from an hour before it.
    assert.deepEqual(calls(l, 'pkg.Cmd', 2, T0 + 30_000), [undefined, 30]);
  });

  describe('memory', () => {
    const perIp = `
      EXTENSION ENGINE BUILTIN ( COMMAND Cmd(); );
      RATE R 2 PER MINUTE PER IP;
      LIMIT L ON COMMAND Cmd WITH RATE R;`;
    const ips = (n: number) => Array.from({ length: n }, (_, i) => `192.168.${i >> 8}.${i & 255}`);

    test('refilled buckets are dropped by the periodic sweep', () => {
      const l = limiter(perIp, { sweepIntervalMs: MINUTE });
      for (const ip of ips(1000)) l.checkCall('pkg.Cmd', caller({ ip }), T0);
      assert.equal(l.bucketCount, 1000);
      // Half a period on: none is full yet, the sweep keeps them all.
      l.checkCall('pkg.Cmd', caller({ ip: 'late' }), T0 + 30_000);
      assert.equal(l.bucketCount, 1001);
      // One token took 30 s to come back: at T0 + 30 s the first 1000 are full and go.
      l.sweep(T0 + 30_000);
      assert.equal(l.bucketCount, 1);
      // The next check after the sweep interval sweeps by itself.
      l.checkCall('pkg.Cmd', caller({ ip: 'later' }), T0 + 30_000 + MINUTE);
      assert.equal(l.bucketCount, 1);
    });

    test('an empty bucket is not dropped before it refills', () => {
      const l = limiter(perIp);
      assert.deepEqual(calls(l, 'pkg.Cmd', 3, T0), [undefined, undefined, 30]);
      l.sweep(T0 + 59_999);
      assert.equal(l.bucketCount, 1);
      assert.deepEqual(calls(l, 'pkg.Cmd', 2, T0 + 59_999), [undefined, 30]);
    });

    test('maxBucketsPerLimit bounds the buckets, forgetting the oldest', () => {
      const l = limiter(perIp, { maxBucketsPerLimit: 3 });
      const [a, b, c, d] = ips(4) as [string, string, string, string];
      for (const ip of [a, b, c, a, b, c]) l.checkCall('pkg.Cmd', caller({ ip }), T0);
      assert.equal(l.checkCall('pkg.Cmd', caller({ ip: a }), T0), 30);
      assert.equal(l.checkCall('pkg.Cmd', caller({ ip: d }), T0), undefined);
      assert.equal(l.bucketCount, 3);
      // a's bucket was the oldest: forgotten, a starts full again; b's and c's are kept.
      assert.deepEqual(calls(l, 'pkg.Cmd', 3, T0, caller({ ip: a })), [undefined, undefined, 30]);
      assert.equal(l.checkCall('pkg.Cmd', caller({ ip: c }), T0), 30);
    });
  });
});
