import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { compileApp, type StructureDef, type ViewDef } from '../../schema/index.js';
import { ProcessorError } from '../processor-error.js';
import type { ResultObject } from './v1-rows.js';
import { parseV2ReadParams, type WhereClause } from './v2-params.js';
import { type IncludeRecord, type V2RowsOptions, v2Rows, viewReadKeys } from './v2-rows.js';

const VSQL = `APPLICATION test();
WORKSPACE W (
  TABLE Dep INHERITS sys.CDoc (name varchar, parent ref(Dep));
  TABLE Art INHERITS sys.CDoc (
    name varchar, qty int32, dep ref(Dep),
    opts TABLE Opt (kind varchar, dep ref(Dep))
  );
  VIEW V (
    P1 int32, P2 int64, C1 int8, C2 int32, C3 varchar,
    Val float64, Small float32, R ref(Dep), S varchar, F bool, B varbinary(10), Q qname, N int16,
    PRIMARY KEY ((P1, P2), C1, C2, C3)
  ) AS RESULT OF Prj;
  EXTENSION ENGINE BUILTIN (COMMAND Cmd; PROJECTOR Prj AFTER EXECUTE ON Cmd INTENTS(sys.View(V)););
);`;

const app = (() => {
  const r = compileApp([
    { path: 'github.com/company/pkg', files: [{ name: 'file.vsql', text: VSQL }] },
  ]);
  assert.deepEqual(r.errors, []);
  assert.ok(r.appDef !== undefined);
  return r.appDef;
})();
const view = (() => {
  const t = app.type('pkg.V');
  assert.ok(t?.kind === 'ViewRecord');
  return t;
})();
const typeOf = (q: string): StructureDef | ViewDef | undefined => {
  const t = app.type(q);
  return t?.kind === 'ViewRecord' ? t : app.structure(q);
};

function assertBadRequest(fn: () => unknown, message: string): void {
  assert.throws(fn, (e: unknown) => {
    assert.ok(e instanceof ProcessorError, `not a ProcessorError: ${String(e)}`);
    assert.equal(e.status, 400);
    assert.equal(e.message, message);
    return true;
  });
}

async function assertRejectsBadRequest(p: Promise<unknown>, message: string): Promise<void> {
  await assert.rejects(p, (e: unknown) => {
    assert.ok(e instanceof ProcessorError, `not a ProcessorError: ${String(e)}`);
    assert.equal(e.status, 400);
    assert.equal(e.message, message);
    return true;
  });
}

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

/** Records by ID; counts the loads. */
function records(byId: Record<number, ResultObject>) {
  const loads: number[] = [];
  const include: IncludeRecord = async (id) => {
    loads.push(id);
    return byId[id];
  };
  return { include, loads };
}
const none: IncludeRecord = async () => undefined;

function read(
  objects: readonly ResultObject[],
  query: Record<string, string>,
  include: IncludeRecord = none,
  options: V2RowsOptions = {},
): Promise<ResultObject[]> {
  return collect(v2Rows(source(objects).objects, parseV2ReadParams(query), include, options));
}

describe('v2Rows: where', () => {
  const objects: ResultObject[] = [
    { n: 1, s: 'a', big: 10n },
    { n: 2, s: 'b', big: 20n },
    { n: 3, s: 'a' },
  ];

  it('equality and $in; all constraints must hold', async () => {
    assert.deepEqual(await read(objects, { where: '{"s":"a"}' }), [objects[0], objects[2]]);
    assert.deepEqual(await read(objects, { where: '{"n":{"$in":[2,3]}}' }), [
      objects[1],
      objects[2],
    ]);
    assert.deepEqual(await read(objects, { where: '{"n":{"$in":[2,3]},"s":"a"}' }), [objects[2]]);
    assert.deepEqual(await read(objects, { where: '{"n":{"$in":[]}}' }), []);
  });

  it('bigint values equal integral numbers', async () => {
    // (the third object has no `big`, so the constraint does not apply to it)
    assert.deepEqual(await read(objects, { where: '{"big":20}' }), [objects[1], objects[2]]);
  });

  it('a constraint on a field the object lacks is not applied to it', async () => {
    assert.deepEqual(await read(objects, { where: '{"big":10}' }), [objects[0], objects[2]]);
  });
});

describe('v2Rows: order, skip, limit', () => {
  const objects: ResultObject[] = [
    { name: 'b', qty: 1 },
    { name: 'a', qty: 2 },
    { name: 'ä', qty: 1 },
    { name: 'c', qty: null },
  ];
  const names = async (query: Record<string, string>) =>
    (await read(objects, query)).map((o) => o.name);

  it('order by several keys; - is descending; nulls first; strings by code point', async () => {
    assert.deepEqual(await names({ order: 'name' }), ['a', 'b', 'c', 'ä']);
    assert.deepEqual(await names({ order: '-name' }), ['ä', 'c', 'b', 'a']);
    assert.deepEqual(await names({ order: 'qty,-name' }), ['c', 'ä', 'b', 'a']);
  });

  it('skip and limit apply after order; limit 0 or absent means all; skip alone skips', async () => {
    assert.deepEqual(await names({ order: 'name', skip: '1', limit: '2' }), ['b', 'c']);
    assert.deepEqual(await names({ skip: '2' }), ['ä', 'c']);
    assert.deepEqual(await names({ limit: '1' }), ['b']);
    assert.deepEqual(await names({ limit: '0' }), ['b', 'a', 'ä', 'c']);
    assert.deepEqual(await names({ skip: '9' }), []);
  });

  it('where applies before paging', async () => {
    assert.deepEqual(await names({ where: '{"qty":1}', limit: '1', skip: '1' }), ['ä']);
  });
});

describe('v2Rows: streaming', () => {
  const many = Array.from({ length: 5 }, (_, i) => ({ i }));

  it('stops pulling the source once limit objects are out', async () => {
    const { objects, state } = source(many, { throwAtEnd: true });
    const out = await collect(v2Rows(objects, parseV2ReadParams({ skip: '1', limit: '2' }), none));
    assert.deepEqual(out, [{ i: 1 }, { i: 2 }]);
    assert.equal(state.pulled, 3);
    assert.equal(state.closed, true);
  });

  it('a limit equal to the number of objects does not read past the end', async () => {
    const { objects } = source(many, { throwAtEnd: true });
    const out = await collect(v2Rows(objects, parseV2ReadParams({ limit: '5' }), none));
    assert.equal(out.length, 5);
  });

  it('without order an object is emitted before the next one is pulled', async () => {
    const { objects, state } = source(many);
    const it = v2Rows(objects, parseV2ReadParams({ where: '{"i":{"$in":[0,1,2]}}' }), none)[
      Symbol.asyncIterator
    ]();
    assert.deepEqual((await it.next()).value, { i: 0 });
    assert.equal(state.pulled, 1);
    await it.return?.();
    assert.equal(state.closed, true);
  });

  it('with order the source is read whole first', async () => {
    const { objects, state } = source(many);
    const it = v2Rows(objects, parseV2ReadParams({ order: '-i', limit: '1' }), none)[
      Symbol.asyncIterator
    ]();
    assert.deepEqual((await it.next()).value, { i: 4 });
    assert.equal(state.pulled, 5);
  });

  it('include loads records only for the objects that are returned', async () => {
    const { include, loads } = records({ 1: { name: 'one' }, 2: { name: 'two' } });
    const { objects, state } = source([{ dep: 1 }, { dep: 2 }, { dep: 1 }, { dep: 2 }], {
      throwAtEnd: true,
    });
    const out = await collect(
      v2Rows(objects, parseV2ReadParams({ include: 'dep', skip: '1', limit: '2' }), include),
    );
    assert.deepEqual(out, [{ dep: { name: 'two' } }, { dep: { name: 'one' } }]);
    assert.deepEqual(loads, [2, 1]);
    assert.equal(state.pulled, 3);
  });
});

describe('v2Rows: include', () => {
  const deps: Record<number, ResultObject> = {
    1: { 'sys.ID': 1, 'sys.QName': 'pkg.Dep', name: 'Bakery', parent: 3 },
    3: { 'sys.ID': 3, 'sys.QName': 'pkg.Dep', name: 'Food', parent: 0 },
  };
  const article: ResultObject = {
    'sys.ID': 100,
    'sys.QName': 'pkg.Art',
    name: 'bun',
    dep: 1,
    opts: [
      { 'sys.ID': 101, 'sys.QName': 'pkg.Opt', kind: 'a', dep: 3 },
      { 'sys.ID': 102, 'sys.QName': 'pkg.Opt', kind: 'b', dep: 99 },
    ],
  };

  it('replaces ref IDs by the referenced objects, nested with dots', async () => {
    const { include } = records(deps);
    const [out] = await read([article], { include: 'dep.parent' }, include, { typeOf });
    assert.deepEqual(out?.dep, { ...deps[1], parent: deps[3] });
    assert.equal(out?.name, 'bun');
  });

  it('descends into container arrays; an ID without a record stays an ID', async () => {
    const { include } = records(deps);
    const [out] = await read([article], { include: 'opts.dep' }, include, { typeOf });
    assert.deepEqual(out?.opts, [
      { 'sys.ID': 101, 'sys.QName': 'pkg.Opt', kind: 'a', dep: deps[3] },
      { 'sys.ID': 102, 'sys.QName': 'pkg.Opt', kind: 'b', dep: 99 },
    ]);
    assert.equal(out?.dep, 1, 'only listed refs are included');
  });

  it('a listed container is kept as it is', async () => {
    const [out] = await read([article], { include: 'opts' }, none, { typeOf });
    assert.deepEqual(out, article);
  });

  it('arrays of IDs are loaded one by one; null refs (0, null) are left alone', async () => {
    const { include, loads } = records(deps);
    const out = await read(
      [{ refs: [1, 3, 7] }, { refs: null }, { refs: 0 }],
      { include: 'refs' },
      include,
    );
    assert.deepEqual(out, [{ refs: [deps[1], deps[3], 7] }, { refs: null }, { refs: 0 }]);
    assert.deepEqual(loads, [1, 3, 7]);
  });

  it('a record referred to twice in one object is loaded once; inputs are not changed', async () => {
    const { include, loads } = records(deps);
    const object: ResultObject = { a: 1, b: 1 };
    const [out] = await read([object], { include: 'a,b' }, include);
    assert.deepEqual(out, { a: deps[1], b: deps[1] });
    assert.deepEqual(loads, [1]);
    assert.deepEqual(object, { a: 1, b: 1 });
  });

  it('with types: names must be ref fields or containers of the object type', async () => {
    await assertRejectsBadRequest(
      read([article], { include: 'name' }, none, { typeOf }),
      "field expression - 'name', 'name' - unexpected field",
    );
    await assertRejectsBadRequest(
      read([article], { include: '"sys.ID"' }, none, { typeOf }),
      "field expression - 'sys.ID', 'sys.ID' - unexpected field",
    );
    await assertRejectsBadRequest(
      read([article], { include: 'opts.kind' }, records(deps).include, { typeOf }),
      "field expression - 'opts.kind', 'kind' - unexpected field",
    );
    await assertRejectsBadRequest(
      read([article], { include: 'dep.nope' }, records(deps).include, { typeOf }),
      "field expression - 'dep.nope', 'nope' - unexpected field",
    );
  });

  it('with types: a ref field the object leaves unset is fine', async () => {
    const [out] = await read([{ 'sys.QName': 'pkg.Art', name: 'x' }], { include: 'dep' }, none, {
      typeOf,
    });
    assert.deepEqual(out, { 'sys.QName': 'pkg.Art', name: 'x' });
  });

  it('view rows: ref fields of the view may be included', async () => {
    const { include } = records(deps);
    const [out] = await read([{ 'sys.QName': 'pkg.V', P1: 1, R: 3 }], { include: 'R' }, include, {
      typeOf,
    });
    assert.deepEqual(out?.R, deps[3]);
    await assertRejectsBadRequest(
      read([{ 'sys.QName': 'pkg.V', P1: 1 }], { include: 'P1' }, include, { typeOf }),
      "field expression - 'P1', 'P1' - unexpected field",
    );
  });

  it('without types: the object must have the name; a non-ID value is an unsupported type', async () => {
    await assertRejectsBadRequest(
      read([{ a: 1 }], { include: 'b' }),
      "field expression - 'b', 'b' - unexpected field",
    );
    await assertRejectsBadRequest(
      read([{ a: 'x' }], { include: 'a' }),
      "field expression - 'a', 'a' - unsupported type",
    );
  });
});

describe('v2Rows: keys', () => {
  const object: ResultObject = {
    'sys.ID': 5,
    'sys.QName': 'pkg.Art',
    name: 'bun',
    qty: 2,
    dep: { 'sys.ID': 1, name: 'Bakery', parent: 3 },
    opts: [
      { kind: 'a', dep: 3 },
      { kind: 'b', dep: 4 },
    ],
  };

  it('keeps only the listed keys, in the object order; "sys.ID" in quotes', async () => {
    assert.deepEqual(await read([object], { keys: 'qty,"sys.ID",missing' }), [
      { 'sys.ID': 5, qty: 2 },
    ]);
  });

  it('nested keys project included objects and container records', async () => {
    assert.deepEqual(await read([object], { keys: 'name,dep.name,opts.kind' }), [
      { name: 'bun', dep: { name: 'Bakery' }, opts: [{ kind: 'a' }, { kind: 'b' }] },
    ]);
  });

  it('a whole key wins over nested keys of it; nested keys of a scalar keep the scalar', async () => {
    assert.deepEqual(await read([object], { keys: 'dep.name,dep,qty.x' }), [
      { qty: 2, dep: object.dep },
    ]);
  });

  it('keys apply after include', async () => {
    const { include } = records({ 9: { name: 'nine', code: 1 } });
    assert.deepEqual(await read([{ a: 9, b: 1 }], { include: 'a', keys: 'a.name' }, include), [
      { a: { name: 'nine' } },
    ]);
  });
});

describe('viewReadKeys', () => {
  const where = (json: string): WhereClause | undefined => parseV2ReadParams({ where: json }).where;

  it('where must be given, set the partition key, and name only view fields', () => {
    assertBadRequest(() => viewReadKeys(view, undefined), 'where constraint is empty');
    assertBadRequest(() => viewReadKeys(view, where('{}')), 'where constraint is empty');
    assertBadRequest(
      () => viewReadKeys(view, where('{"P1":1,"C1":2}')),
      'where constraint must specify the partition key',
    );
    assertBadRequest(
      () => viewReadKeys(view, where('{"P1":1,"P2":2,"x":3}')),
      "unexpected field: 'x'",
    );
  });

  it('the partition key alone: one read with an empty clustering prefix', () => {
    const r = viewReadKeys(view, where('{"P2":2,"P1":1}'));
    assert.deepEqual(r.keys, [{ partitionKey: { P1: 1, P2: 2 }, clusteringPrefix: {} }]);
  });

  it('$in lists make the Cartesian product, in key order', () => {
    const r = viewReadKeys(view, where('{"P1":{"$in":[1,2]},"P2":5,"C1":{"$in":[7,8]}}'));
    assert.deepEqual(r.keys, [
      { partitionKey: { P1: 1, P2: 5 }, clusteringPrefix: { C1: 7 } },
      { partitionKey: { P1: 1, P2: 5 }, clusteringPrefix: { C1: 8 } },
      { partitionKey: { P1: 2, P2: 5 }, clusteringPrefix: { C1: 7 } },
      { partitionKey: { P1: 2, P2: 5 }, clusteringPrefix: { C1: 8 } },
    ]);
    assert.deepEqual(viewReadKeys(view, where('{"P1":{"$in":[]},"P2":5}')).keys, []);
  });

  it('clustering columns are used up to the first one where leaves out', () => {
    const full = viewReadKeys(view, where('{"P1":1,"P2":2,"C1":3,"C2":4,"C3":"x"}'));
    assert.deepEqual(full.keys, [
      { partitionKey: { P1: 1, P2: 2 }, clusteringPrefix: { C1: 3, C2: 4, C3: 'x' } },
    ]);
    const gap = viewReadKeys(view, where('{"P1":1,"P2":2,"C1":3,"C3":"x"}'));
    assert.deepEqual(gap.keys, [{ partitionKey: { P1: 1, P2: 2 }, clusteringPrefix: { C1: 3 } }]);
    assert.equal(gap.matches({ C3: 'x' }), true, 'C3 is checked on the rows instead');
    assert.equal(gap.matches({ C3: 'y' }), false);
  });

  it('matches checks the value fields; key conditions are left to the keys', () => {
    const r = viewReadKeys(view, where('{"P1":1,"P2":2,"S":{"$in":["a","b"]},"F":true}'));
    assert.equal(r.matches({ P1: 9, S: 'b', F: true }), true);
    assert.equal(r.matches({ S: 'c', F: true }), false);
    assert.equal(r.matches({ S: 'a', F: false }), false);
    assert.equal(r.matches({ F: true }), false, 'a row without the field does not match');
    assert.equal(viewReadKeys(view, where('{"P1":1,"P2":2}')).matches({}), true);
  });

  it('values must suit the field kinds', () => {
    const bad: [string, string][] = [
      ['{"P1":"1","P2":2}', `where constraint on 'P1': "1" is not an integer (int32)`],
      ['{"P1":1.5,"P2":2}', "where constraint on 'P1': 1.5 is not an integer (int32)"],
      [
        '{"P1":2147483648,"P2":2}',
        "where constraint on 'P1': 2147483648 is out of the int32 range",
      ],
      [
        '{"P1":{"$in":[1,null]},"P2":2}',
        "where constraint on 'P1': null is not an integer (int32)",
      ],
      [
        '{"P1":1,"P2":9007199254740993}',
        "where constraint on 'P2': 9007199254740992 is out of the int64 range",
      ],
      ['{"P1":1,"P2":2,"C1":128}', "where constraint on 'C1': 128 is out of the int8 range"],
      ['{"P1":1,"P2":2,"N":-32769}', "where constraint on 'N': -32769 is out of the int16 range"],
      ['{"P1":1,"P2":2,"C3":3}', "where constraint on 'C3': 3 is not a string"],
      ['{"P1":1,"P2":2,"R":-1}', "where constraint on 'R': -1 is out of the RecordID range"],
      ['{"P1":1,"P2":2,"Val":"1"}', `where constraint on 'Val': "1" is not a float64`],
      ['{"P1":1,"P2":2,"Small":1e39}', "where constraint on 'Small': 1e+39 is not a float32"],
      ['{"P1":1,"P2":2,"F":1}', "where constraint on 'F': 1 is not a boolean"],
      ['{"P1":1,"P2":2,"B":"***"}', `where constraint on 'B': "***" is not base64 bytes`],
      ['{"P1":1,"P2":2,"Q":1}', "where constraint on 'Q': 1 is not a QName"],
    ];
    for (const [json, message] of bad)
      assertBadRequest(() => viewReadKeys(view, where(json)), message);
  });

  it('good values of every kind pass', () => {
    const r = viewReadKeys(
      view,
      where(
        '{"P1":-2147483648,"P2":-9007199254740991,"C1":-128,"C2":0,"C3":"","Val":1.5,"Small":0.1,"R":0,"S":"s","F":false,"B":"AAE=","Q":"pkg.V","N":32767,"sys.QName":"pkg.V"}',
      ),
    );
    assert.equal(r.keys.length, 1);
    assert.equal(
      r.matches({
        Val: 1.5,
        Small: 0.1,
        R: 0,
        S: 's',
        F: false,
        B: 'AAE=',
        Q: 'pkg.V',
        N: 32767,
        'sys.QName': 'pkg.V',
      }),
      true,
    );
  });
});
