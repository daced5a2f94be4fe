import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { ProcessorError } from '../processor-error.js';
import { parseV2ReadParams, type V2ParseOptions } from './v2-params.js';

function assertBadRequest(
  query: Record<string, string>,
  message: string,
  options: V2ParseOptions = {},
): void {
  assert.throws(
    () => parseV2ReadParams(query, options),
    (e: unknown) => {
      assert.ok(e instanceof ProcessorError, `not a ProcessorError: ${String(e)}`);
      assert.equal(e.status, 400);
      assert.equal(e.message, message);
      return true;
    },
  );
}

describe('parseV2ReadParams', () => {
  it('no parameters: nothing constrained', () => {
    assert.deepEqual(parseV2ReadParams({}), {
      args: undefined,
      where: undefined,
      order: [],
      limit: undefined,
      skip: 0,
      keys: [],
      include: [],
    });
  });

  it('reads URLSearchParams (URL-decoded) and plain records alike; empty values count as absent', () => {
    const q = new URLSearchParams(
      'args=%7B%22a%22%3A1%7D&where=%7B%22x%22%3A2%7D&limit=5&skip=&order=name&keys=a',
    );
    const p = parseV2ReadParams(q);
    assert.deepEqual(p.args, { a: 1 });
    assert.deepEqual([...(p.where ?? [])], [['x', [2]]]);
    assert.deepEqual([p.limit, p.skip], [5, 0]);
    assert.deepEqual(parseV2ReadParams({ where: '', args: '', limit: '' }).where, undefined);
  });

  describe('args', () => {
    it('a JSON object; JSON null is absent', () => {
      assert.deepEqual(parseV2ReadParams({ args: '{"Str":"world","n":[1]}' }).args, {
        Str: 'world',
        n: [1],
      });
      assert.equal(parseV2ReadParams({ args: 'null' }).args, undefined);
    });

    it('non-JSON or not an object → 400', () => {
      for (const args of ['{', 'abc', '[1]', '5', '"s"']) {
        assertBadRequest({ args }, "invalid 'args' parameter");
      }
    });

    it('sys.Raw parameter: the raw text becomes the Body field', () => {
      assert.deepEqual(parseV2ReadParams({ args: 'not json {' }, { rawArgs: true }).args, {
        Body: 'not json {',
      });
    });
  });

  describe('where', () => {
    it('equality and $in, in the order written', () => {
      const p = parseV2ReadParams({
        where: '{"a":1,"b":"x","c":{"$in":[1,2,3]},"d":true,"e":null,"f":{"$in":[]}}',
      });
      assert.deepEqual(
        [...(p.where ?? [])],
        [
          ['a', [1]],
          ['b', ['x']],
          ['c', [1, 2, 3]],
          ['d', [true]],
          ['e', [null]],
          ['f', []],
        ],
      );
    });

    it('any field name is safe, __proto__ included', () => {
      const p = parseV2ReadParams({ where: '{"__proto__":1,"sys.ID":2}' });
      assert.deepEqual(
        [...(p.where ?? [])],
        [
          ['__proto__', [1]],
          ['sys.ID', [2]],
        ],
      );
    });

    it('other operators → 400 unsupported constraint', () => {
      assertBadRequest({ where: '{"a":{"$gt":1}}' }, 'unsupported constraint: $gt');
      assertBadRequest({ where: '{"a":{"$in":[1],"$lt":3}}' }, 'unsupported constraint: $lt');
      assertBadRequest({ where: '{"a":{}}' }, 'unsupported constraint');
    });

    it('malformed constraints → 400', () => {
      assertBadRequest(
        { where: '{"a":{"$in":1}}' },
        "unexpected params: '$in' of 'a' must be an array",
      );
      assertBadRequest(
        { where: '{"a":{"$in":[[1]]}}' },
        "unsupported type: '$in' of 'a' must list values",
      );
      assertBadRequest(
        { where: '{"a":[1,2]}' },
        `unsupported type: the constraint on 'a' must be a value or {"$in":[…]}`,
      );
    });

    it('non-JSON or not an object → 400', () => {
      for (const where of ['{a:1}', '[1]', '1']) {
        assertBadRequest({ where }, "invalid 'where' parameter");
      }
    });
  });

  describe('order, limit, skip', () => {
    it('order: comma list, - means descending; names are not split at dots', () => {
      assert.deepEqual(parseV2ReadParams({ order: 'name,-sys.ID,"sys.QName",,' }).order, [
        { field: 'name', desc: false },
        { field: 'sys.ID', desc: true },
        { field: 'sys.QName', desc: false },
      ]);
    });

    it('limit and skip are non-negative integers', () => {
      const p = parseV2ReadParams({ limit: '10', skip: '+3' });
      assert.deepEqual([p.limit, p.skip], [10, 3]);
      assert.equal(parseV2ReadParams({ limit: '0' }).limit, 0);
      for (const v of ['-1', '1.5', 'x', '1e3', ' 2', '99999999999999999999']) {
        assertBadRequest({ limit: v }, "invalid 'limit' parameter");
        assertBadRequest({ skip: v }, "invalid 'skip' parameter");
      }
    });
  });

  describe('keys and include', () => {
    it('comma lists; dots nest; double quotes keep dots (and commas) inside a name', () => {
      const p = parseV2ReadParams({
        keys: 'name,"sys.ID",department.name,a."b.c".d,"x,y"',
        include: 'department,opts.dep',
      });
      assert.deepEqual(p.keys, [
        ['name'],
        ['sys.ID'],
        ['department', 'name'],
        ['a', 'b.c', 'd'],
        ['x,y'],
      ]);
      assert.deepEqual(p.include, [['department'], ['opts', 'dep']]);
    });

    it('empty list items are skipped', () => {
      assert.deepEqual(parseV2ReadParams({ keys: ',a,,b,' }).keys, [['a'], ['b']]);
    });

    it('an empty name or an open quote → 400', () => {
      for (const keys of ['a.', '.a', 'a..b', '"sys.ID', '""']) {
        assertBadRequest({ keys }, "invalid 'keys' parameter");
      }
      assertBadRequest({ include: 'dep..name' }, "invalid 'include' parameter");
    });
  });
});
