import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { compileApp, type StructureDef } from '../../schema/index.js';
import { parseV1QueryParams, type V1QueryParams } from './v1-params.js';
import { type EnrichRecord, type ResultObject, v1Rows } from './v1-rows.js';

const VSQL = `APPLICATION test();
WORKSPACE W (
  TABLE Dep INHERITS sys.CDoc (name varchar, code int32, rate float32);
  TABLE Art INHERITS sys.CDoc (
    name varchar, price float64, weight float32, qty int32, big int64, dep ref(Dep), flag bool,
    data varbinary(10), kind qname,
    opts TABLE Opt (kind varchar, dep ref(Dep), subs TABLE Sub (v int64))
  );
);`;

const app = (() => {
  const r = compileApp([
    { path: 'github.com/company/pkg', files: [{ name: 'file.vsql', text: VSQL }] },
  ]);
  assert.deepEqual(r.errors, []);
  assert.ok(r.appDef !== undefined);
  return r.appDef;
})();
const lookup = (q: string): StructureDef | undefined => app.structure(q);
const art = lookup('pkg.Art') ?? assert.fail('pkg.Art');

const params = (body: Record<string, unknown>, type: StructureDef | null = art): V1QueryParams =>
  parseV1QueryParams(body, type, lookup);

/** Records by ID; counts the loads. */
function records(byId: Record<number, ResultObject>) {
  const loads: number[] = [];
  const enrich = async (id: number): Promise<ResultObject | undefined> => {
    loads.push(id);
    return byId[id];
  };
  return { enrich, loads };
}
const none: EnrichRecord = async () => undefined;

/** A source that counts how many objects were pulled and throws when pulled past its end. */
function source(items: readonly ResultObject[], opts: { throwAtEnd?: boolean } = {}) {
  const state = { pulled: 0, closed: false };
  async function* gen(): AsyncGenerator<ResultObject> {
    try {
      for (const item of items) {
        state.pulled++;
        yield item;
      }
      if (opts.throwAtEnd === true) throw new Error('source read past the end');
    } finally {
      state.closed = true;
    }
  }
  return { objects: gen(), state };
}

async function collect<T>(it: AsyncIterable<T>): Promise<T[]> {
  const out: T[] = [];
  for await (const x of it) out.push(x);
  return out;
}

async function rows(
  objects: readonly ResultObject[],
  body: Record<string, unknown>,
  enrich: EnrichRecord = none,
  type: StructureDef | null = art,
): Promise<unknown[][]> {
  return collect(v1Rows(source(objects).objects, params(body, type), enrich));
}

const deps: Record<number, ResultObject> = {
  1: { 'sys.ID': 1, 'sys.QName': 'pkg.Dep', name: 'Bakery', code: 7, rate: 0.5 },
  2: { 'sys.ID': 2, 'sys.QName': 'pkg.Dep', name: 'Drinks', code: 3 },
};

describe('v1Rows: result fields', () => {
  it('one row per object; the root element has exactly one sub-row of its fields in order', async () => {
    const out = await rows(
      [
        { 'sys.ID': 10, name: 'cola', qty: 2 },
        { 'sys.ID': 11, name: 'tea', qty: 5 },
      ],
      { elements: [{ fields: ['qty', 'name', 'sys.ID'] }] },
    );
    assert.deepEqual(out, [[[[2, 'cola', 10]]], [[[5, 'tea', 11]]]]);
  });

  it('absent fields read as the zero value of their kind', async () => {
    const out = await rows([{}], {
      elements: [
        {
          fields: [
            'name',
            'price',
            'weight',
            'qty',
            'big',
            'dep',
            'flag',
            'data',
            'kind',
            'sys.ID',
          ],
        },
      ],
    });
    assert.deepEqual(out, [[[['', 0, 0, 0, 0, 0, false, null, '.', 0]]]]);
  });

  it('with no result type absent fields are null; present values pass as they are', async () => {
    const out = await rows(
      [{ x: 1n, y: 'a' }],
      { elements: [{ fields: ['x', 'y', 'z'] }] },
      none,
      null,
    );
    assert.deepEqual(out, [[[[1n, 'a', null]]]]);
  });

  it('nested elements: one sub-row per record along the path, in element order', async () => {
    const object: ResultObject = {
      name: 'cola',
      opts: [
        { kind: 'small', subs: [{ v: 1 }, { v: 2 }] },
        { kind: 'big', subs: [{ v: 3 }] },
        { kind: 'none' },
      ],
    };
    const out = await rows([object], {
      elements: [
        { path: 'opts/subs', fields: ['v'] },
        { fields: ['name'] },
        { path: 'opts', fields: ['kind'] },
      ],
    });
    assert.deepEqual(out, [[[[1], [2], [3]], [['cola']], [['small'], ['big'], ['none']]]]);
  });

  it('an object without the container has no sub-rows for it', async () => {
    const out = await rows([{ name: 'x' }], {
      elements: [{ fields: ['name'] }, { path: 'opts', fields: ['kind'] }],
    });
    assert.deepEqual(out, [[[['x']], []]]);
  });

  it('no elements: every object still makes a row, and the row is empty (as the reference)', async () => {
    const out = await rows([{ name: 'a' }, { name: 'b' }], {});
    assert.deepEqual(out, [[], []]);
  });
});

describe('v1Rows: enrichment', () => {
  it('refs put the referenced record field after the element fields', async () => {
    const { enrich, loads } = records(deps);
    const out = await rows(
      [
        { name: 'cola', dep: 2 },
        { name: 'bun', dep: 1 },
      ],
      {
        elements: [
          {
            fields: ['name'],
            refs: [
              ['dep', 'name'],
              ['dep', 'code'],
            ],
          },
        ],
      },
      enrich,
    );
    assert.deepEqual(out, [[[['cola', 'Drinks', 3]]], [[['bun', 'Bakery', 7]]]]);
    assert.deepEqual(loads, [2, 1], 'one load per referenced record and row');
  });

  it('a missing record, a null ref and an absent ref give null; null refs are not loaded', async () => {
    const { enrich, loads } = records(deps);
    const out = await rows(
      [{ dep: 99 }, { dep: 0 }, {}],
      { elements: [{ refs: [['dep', 'name']] }] },
      enrich,
    );
    assert.deepEqual(out, [[[[null]]], [[[null]]], [[[null]]]]);
    assert.deepEqual(loads, [99]);
  });

  it('an absent target field reads as the zero value of its kind', async () => {
    const { enrich } = records(deps);
    const out = await rows([{ dep: 2 }], { elements: [{ refs: [['dep', 'rate']] }] }, enrich);
    assert.deepEqual(out, [[[[0]]]]);
  });

  it('refs of nested elements are enriched too', async () => {
    const { enrich, loads } = records(deps);
    const out = await rows(
      [
        {
          opts: [
            { kind: 'a', dep: 1 },
            { kind: 'b', dep: 2 },
            { kind: 'c', dep: 1 },
          ],
        },
      ],
      { elements: [{ path: 'opts', fields: ['kind'], refs: [['dep', 'name']] }] },
      enrich,
    );
    assert.deepEqual(out, [
      [
        [
          ['a', 'Bakery'],
          ['b', 'Drinks'],
          ['c', 'Bakery'],
        ],
      ],
    ]);
    assert.deepEqual(loads, [1, 2]);
  });

  it('an enrichment failure fails the stream', async () => {
    const enrich: EnrichRecord = async () => {
      throw new Error('storage down');
    };
    await assert.rejects(
      rows([{ dep: 1 }], { elements: [{ refs: [['dep', 'name']] }] }, enrich),
      /storage down/,
    );
  });
});

describe('v1Rows: filters', () => {
  const objects: ResultObject[] = [
    { name: 'cola', qty: 2, price: 1.0, weight: Math.fround(0.3), flag: true, dep: 1, big: 5n },
    { name: 'tea', qty: 5, price: 2.5, weight: Math.fround(0.5), flag: false, dep: 2, big: 9n },
    { name: 'ästhetik', qty: -1, price: 1.0000001, weight: 1, flag: true, dep: 0, big: 0n },
  ];
  const elements = [
    { fields: ['name', 'qty', 'price', 'weight', 'flag', 'big'], refs: [['dep', 'name']] },
  ];
  const names = async (filters: unknown[]): Promise<unknown[]> => {
    const { enrich } = records(deps);
    const out = await rows(objects, { elements, filters }, enrich);
    return out.map((r) => (r as unknown[][][])[0]?.[0]?.[0]);
  };
  const f = (expr: string, field: string, value: unknown, epsilon?: number) => ({
    expr,
    args: { field, value, ...(epsilon === undefined ? {} : { options: { epsilon } }) },
  });

  it('eq and notEq on strings, integers and booleans', async () => {
    assert.deepEqual(await names([f('eq', 'name', 'tea')]), ['tea']);
    assert.deepEqual(await names([f('notEq', 'name', 'tea')]), ['cola', 'ästhetik']);
    assert.deepEqual(await names([f('eq', 'qty', 5)]), ['tea']);
    assert.deepEqual(await names([f('eq', 'flag', true)]), ['cola', 'ästhetik']);
    assert.deepEqual(await names([f('notEq', 'flag', true)]), ['tea']);
    assert.deepEqual(await names([f('eq', 'big', 9)]), ['tea'], 'int64 values may be bigint');
  });

  it('integer fields compare with the filter value truncated, as the reference', async () => {
    assert.deepEqual(await names([f('eq', 'qty', 5.9)]), ['tea']);
    assert.deepEqual(await names([f('gt', 'qty', 1.5)]), ['cola', 'tea']);
  });

  it('floats: eq/notEq use epsilon (relative), exact without it', async () => {
    assert.deepEqual(await names([f('eq', 'price', 1)]), ['cola']);
    assert.deepEqual(await names([f('eq', 'price', 1, 0.001)]), ['cola', 'ästhetik']);
    assert.deepEqual(await names([f('notEq', 'price', 1, 0.001)]), ['tea']);
    assert.deepEqual(await names([f('eq', 'price', 0, 0.5)]), [], 'zero against non-zero');
  });

  it('gt and lt on numbers and strings (code point order)', async () => {
    assert.deepEqual(await names([f('gt', 'price', 1)]), ['tea', 'ästhetik']);
    assert.deepEqual(await names([f('lt', 'qty', 2)]), ['ästhetik']);
    assert.deepEqual(await names([f('gt', 'name', 'tea')]), ['ästhetik']);
    assert.deepEqual(await names([f('lt', 'name', 'd')]), ['cola']);
  });

  it('float32 fields compare with the filter value rounded to float32 (gt/lt)', async () => {
    assert.deepEqual(await names([f('gt', 'weight', 0.3)]), ['tea', 'ästhetik']);
    assert.deepEqual(await names([f('lt', 'weight', 0.3)]), []);
  });

  it('the top-level list is AND-ed; and/or nest', async () => {
    assert.deepEqual(await names([f('eq', 'flag', true), f('gt', 'qty', 0)]), ['cola']);
    assert.deepEqual(
      await names([{ expr: 'or', args: [f('eq', 'name', 'tea'), f('lt', 'qty', 0)] }]),
      ['tea', 'ästhetik'],
    );
    assert.deepEqual(
      await names([
        {
          expr: 'and',
          args: [
            f('eq', 'flag', true),
            { expr: 'or', args: [f('eq', 'qty', 2), f('eq', 'qty', 5)] },
          ],
        },
      ]),
      ['cola'],
    );
  });

  it('filters see enriched ref values under refField/targetField', async () => {
    assert.deepEqual(await names([f('eq', 'dep/name', 'Drinks')]), ['tea']);
    assert.deepEqual(await names([f('lt', 'dep/name', 'C')]), ['cola']);
  });

  it('values that cannot be compared match neither eq nor notEq (null refs, other types, kinds)', async () => {
    assert.deepEqual(await names([f('notEq', 'dep/name', 'Drinks')]), ['cola']);
    assert.deepEqual(await names([f('eq', 'qty', 'five')]), []);
    assert.deepEqual(await names([f('notEq', 'qty', 'five')]), []);
    assert.deepEqual(await names([f('gt', 'flag', 0)]), []);
  });

  it('with no result type, values compare by their JavaScript types', async () => {
    const out = await rows(
      [
        { a: 1, s: 'x' },
        { a: 1.0000001, s: 'y' },
        { a: 'str', s: 'z' },
      ],
      {
        elements: [{ fields: ['s', 'a'] }],
        filters: [f('eq', 'a', 1, 0.001)],
      },
      none,
      null,
    );
    assert.deepEqual(out, [[[['x', 1]]], [[['y', 1.0000001]]]]);
  });
});

describe('v1Rows: order and paging', () => {
  const objects: ResultObject[] = [
    { name: 'b', qty: 1, dep: 2 },
    { name: 'a', qty: 2, dep: 1 },
    { name: 'c', qty: 1, dep: 1 },
    { name: 'd', qty: 2, dep: 0 },
  ];
  const elements = [{ fields: ['name', 'qty'], refs: [['dep', 'name']] }];
  const names = async (body: Record<string, unknown>): Promise<unknown[]> => {
    const { enrich } = records(deps);
    const out = await rows(objects, { elements, ...body }, enrich);
    return out.map((r) => (r as unknown[][][])[0]?.[0]?.[0]);
  };

  it('orderBy sorts by several keys, each ascending or descending', async () => {
    assert.deepEqual(await names({ orderBy: [{ field: 'name', desc: true }] }), [
      'd',
      'c',
      'b',
      'a',
    ]);
    assert.deepEqual(await names({ orderBy: [{ field: 'qty' }, { field: 'name', desc: true }] }), [
      'c',
      'b',
      'd',
      'a',
    ]);
  });

  it('orderBy on an enriched ref value; nulls sort first', async () => {
    assert.deepEqual(await names({ orderBy: [{ field: 'dep/name' }, { field: 'name' }] }), [
      'd',
      'a',
      'c',
      'b',
    ]);
  });

  it('startFrom skips, count limits, 0 means no limit; paging follows filter and order', async () => {
    assert.deepEqual(await names({ startFrom: 1, count: 2 }), ['a', 'c']);
    assert.deepEqual(await names({ startFrom: 3 }), ['d']);
    assert.deepEqual(await names({ startFrom: 9 }), []);
    assert.deepEqual(await names({ count: 0 }), ['b', 'a', 'c', 'd']);
    assert.deepEqual(
      await names({
        filters: [{ expr: 'eq', args: { field: 'qty', value: 1 } }],
        orderBy: [{ field: 'name', desc: true }],
        count: 1,
      }),
      ['c'],
    );
  });
});

describe('v1Rows: streaming', () => {
  const many = Array.from({ length: 5 }, (_, i) => ({ name: `n${i}`, qty: i }));
  const elements = [{ fields: ['name', 'qty'] }];

  it('stops pulling the source once count rows are out', async () => {
    const { objects, state } = source(many, { throwAtEnd: true });
    const out = await collect(v1Rows(objects, params({ elements, count: 2 }), none));
    assert.equal(out.length, 2);
    assert.equal(state.pulled, 2);
    assert.equal(state.closed, true, 'the source is closed (its finally ran)');
  });

  it('with startFrom and a filter, pulls only what it needs', async () => {
    const { objects, state } = source(many, { throwAtEnd: true });
    const p = params({
      elements,
      filters: [{ expr: 'notEq', args: { field: 'qty', value: 1 } }],
      startFrom: 1,
      count: 2,
    });
    const out = await collect(v1Rows(objects, p, none));
    assert.deepEqual(
      out.map((r) => (r as unknown[][][])[0]?.[0]?.[1]),
      [2, 3],
    );
    assert.equal(state.pulled, 4);
  });

  it('count equal to the number of objects does not read past the end', async () => {
    const { objects } = source(many, { throwAtEnd: true });
    const out = await collect(v1Rows(objects, params({ elements, count: 5 }), none));
    assert.equal(out.length, 5);
  });

  it('without orderBy a row is emitted before the next object is pulled', async () => {
    const { objects, state } = source(many);
    const it = v1Rows(objects, params({ elements }), none)[Symbol.asyncIterator]();
    const first = await it.next();
    assert.deepEqual(first.value, [[['n0', 0]]]);
    assert.equal(state.pulled, 1);
    await it.next();
    assert.equal(state.pulled, 2);
    await it.return?.();
    assert.equal(state.closed, true, 'a consumer that stops closes the source');
  });

  it('with orderBy the whole source is read first, and its errors surface', async () => {
    const { objects, state } = source(many);
    const it = v1Rows(objects, params({ elements, orderBy: [{ field: 'qty', desc: true }] }), none)[
      Symbol.asyncIterator
    ]();
    const first = await it.next();
    assert.deepEqual(first.value, [[['n4', 4]]]);
    assert.equal(state.pulled, 5);
    const failing = source(many, { throwAtEnd: true });
    await assert.rejects(
      collect(v1Rows(failing.objects, params({ elements, orderBy: [{ field: 'qty' }] }), none)),
      /read past the end/,
    );
  });
});
