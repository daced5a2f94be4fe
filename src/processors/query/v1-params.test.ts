import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { compileApp, type StructureDef } from '../../schema/index.js';
import { ProcessorError } from '../processor-error.js';
import { parseV1QueryParams, type V1QueryParams } from './v1-params.js';

const VSQL = `APPLICATION test();
WORKSPACE W (
  TABLE Dep INHERITS sys.CDoc (name varchar, code int32);
  TABLE Other INHERITS sys.CDoc (name int32);
  TABLE Art INHERITS sys.CDoc (
    name varchar, price float64, qty int32, dep ref(Dep), anyref ref, two ref(Dep, Other), flag bool,
    opts TABLE Opt (kind varchar, dep ref(Dep), subs TABLE Sub (v int64))
  );
  TYPE Plain (x int32);
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
const art = (() => {
  const s = lookup('pkg.Art');
  assert.ok(s !== undefined);
  return s;
})();

const parse = (body: Record<string, unknown>, type: StructureDef | null = art): V1QueryParams =>
  parseV1QueryParams(body, type, lookup);

function assertBadRequest(body: Record<string, unknown>, message: string, type = art): void {
  assert.throws(
    () => parse(body, type),
    (e: unknown) => {
      assert.ok(e instanceof ProcessorError, `not a ProcessorError: ${String(e)}`);
      assert.equal(e.status, 400);
      assert.equal(e.message, message);
      return true;
    },
  );
}

describe('parseV1QueryParams: defaults', () => {
  it('an empty body has no elements, filters or order, and no paging', () => {
    assert.deepEqual(parse({}), { elements: [], filters: [], orderBy: [], count: 0, startFrom: 0 });
  });

  it('null members count as absent; other body keys are not its business', () => {
    const p = parse({ elements: null, filters: null, orderBy: null, count: null, args: { a: 1 } });
    assert.deepEqual([p.elements, p.filters, p.orderBy, p.count], [[], [], [], 0]);
  });
});

describe("parseV1QueryParams: the order of checks is the reference's", () => {
  it('the shape of filters and orderBy before unique paths, unique paths before fields', () => {
    const badField = { elements: [{ fields: ['bad'] }, { fields: ['bad'] }] };
    assertBadRequest(
      { ...badField, filters: [{ expr: 'x', args: {} }] },
      "filters: filter: expr: filter 'x' is unknown: wrong type",
    );
    assertBadRequest(
      { ...badField, count: -1 },
      'field "count" must be a non-negative integer: field type mismatch',
    );
    assertBadRequest(badField, "elements: path '' must be unique");
    assertBadRequest(
      {
        elements: [{ fields: ['bad'] }],
        filters: [{ expr: 'eq', args: { field: 'y', value: 1 } }],
      },
      "elements: root element fields has field 'bad' that is unexpected in root fields, please remove it: unexpected",
    );
  });
});

describe('parseV1QueryParams: elements', () => {
  it('a root element: path defaults to "", fields and refs in order, kinds from the result type', () => {
    const p = parse({
      elements: [{ fields: ['name', 'sys.ID', 'qty'], refs: [['dep', 'name']] }],
    });
    const [e] = p.elements;
    assert.ok(e !== undefined);
    assert.equal(e.path, '');
    assert.deepEqual(e.containers, []);
    assert.deepEqual(e.fields, ['name', 'sys.ID', 'qty']);
    assert.deepEqual(
      [...e.fieldKinds],
      [
        ['name', 'string'],
        ['sys.ID', 'RecordID'],
        ['qty', 'int32'],
      ],
    );
    assert.deepEqual(e.refs, [{ field: 'dep', target: 'name', key: 'dep/name', kind: 'string' }]);
  });

  it('ref target kinds: undefined when the ref has no target type or the targets disagree', () => {
    const p = parse({
      elements: [
        {
          refs: [
            ['anyref', 'name'],
            ['two', 'name'],
            ['two', 'sys.ID'],
            ['dep', 'nope'],
            ['nope', 'name'],
          ],
        },
      ],
    });
    assert.deepEqual(
      p.elements[0]?.refs.map((r) => [r.key, r.kind]),
      [
        ['anyref/name', undefined],
        ['two/name', undefined], // varchar in Dep, int32 in Other
        ['two/sys.ID', 'RecordID'],
        ['dep/nope', undefined],
        ['nope/name', undefined],
      ],
    );
  });

  it('nested paths follow containers; fields are checked on the nested type', () => {
    const p = parse({
      elements: [
        { path: 'opts', fields: ['kind', 'sys.ParentID'], refs: [['dep', 'code']] },
        { path: 'opts/subs', fields: ['v'] },
      ],
    });
    assert.deepEqual(
      p.elements.map((e) => [e.path, e.containers, [...e.fieldKinds]]),
      [
        [
          'opts',
          ['opts'],
          [
            ['kind', 'string'],
            ['sys.ParentID', 'RecordID'],
          ],
        ],
        ['opts/subs', ['opts', 'subs'], [['v', 'int64']]],
      ],
    );
    assert.equal(p.elements[0]?.refs[0]?.kind, 'int32');
  });

  it('a root field missing from the result type', () => {
    assertBadRequest(
      { elements: [{ fields: ['name', 'bad'] }] },
      "elements: root element fields has field 'bad' that is unexpected in root fields, please remove it: unexpected",
    );
  });

  it('a nested field missing from the container type', () => {
    assertBadRequest(
      { elements: [{ path: 'opts/subs', fields: ['kind'] }] },
      "elements: nested element fields has field 'kind' that is unexpected among fields of pkg.Sub, please remove it: unexpected",
    );
  });

  it('an unknown container, and a container below a type without containers', () => {
    assertBadRequest(
      { elements: [{ path: 'nope' }] },
      'elements: unknown nested table nope: unexpected',
    );
    assertBadRequest(
      { elements: [{ path: 'opts/subs/deeper' }] },
      'elements: table pkg.Sub has no nested tables but deeper nested table is queried: unexpected',
    );
  });

  it('paths must be unique ("" and absent are both the root)', () => {
    assertBadRequest(
      { elements: [{ fields: ['name'] }, { path: '', fields: ['qty'] }] },
      "elements: path '' must be unique",
    );
    assertBadRequest(
      { elements: [{ path: 'opts' }, { path: 'opts' }] },
      "elements: path 'opts' must be unique",
    );
  });

  it('malformed elements', () => {
    assertBadRequest(
      { elements: {} },
      'elements: field "elements" must be an array of objects: field type mismatch',
    );
    assertBadRequest({ elements: ['x'] }, 'elements: each member must be an object: wrong type');
    assertBadRequest(
      { elements: [{ path: 1 }] },
      'elements: element: field "path" must be a string: field type mismatch',
    );
    assertBadRequest(
      { elements: [{ path: 'opts//subs' }] },
      "elements: element: invalid path 'opts//subs'",
    );
    assertBadRequest(
      { elements: [{ fields: 'name' }] },
      'elements: element: field "fields" must be an array: field type mismatch',
    );
    assertBadRequest(
      { elements: [{ fields: [1] }] },
      "elements: element: each 'fields' member must be a string: wrong type",
    );
    assertBadRequest(
      { elements: [{ refs: ['dep'] }] },
      "elements: element: each 'refs' member must be an array of strings: wrong type",
    );
    assertBadRequest(
      { elements: [{ refs: [['dep']] }] },
      "elements: element: field 'ref' parameters length must be 2 but got 1: wrong length",
    );
    assertBadRequest(
      { elements: [{ refs: [['dep', 1]] }] },
      "elements: element: field 'ref' parameter must be a string: wrong type",
    );
  });

  it('an unknown result type (RETURNS any) skips field and path checks', () => {
    const p = parse(
      {
        elements: [
          { fields: ['whatever'] },
          { path: 'no/such', fields: ['x'], refs: [['r', 'f']] },
        ],
      },
      null,
    );
    assert.deepEqual(
      p.elements.map((e) => [e.path, e.fields, e.fieldKinds.size, e.refs[0]?.kind]),
      [
        ['', ['whatever'], 0, undefined],
        ['no/such', ['x'], 0, undefined],
      ],
    );
  });
});

describe('parseV1QueryParams: filters', () => {
  const elements = [{ fields: ['name', 'qty', 'price', 'flag'], refs: [['dep', 'name']] }];

  it('comparison and logical filters; epsilon defaults to 0', () => {
    const p = parse({
      elements,
      filters: [
        { expr: 'eq', args: { field: 'price', value: 1.5, options: { epsilon: 0.01 } } },
        { expr: 'notEq', args: { field: 'flag', value: true } },
        {
          expr: 'or',
          args: [
            { expr: 'gt', args: { field: 'qty', value: 1 } },
            { expr: 'and', args: [{ expr: 'lt', args: { field: 'dep/name', value: 'k' } }] },
          ],
        },
      ],
    });
    assert.deepEqual(p.filters, [
      { expr: 'eq', field: 'price', value: 1.5, epsilon: 0.01 },
      { expr: 'notEq', field: 'flag', value: true, epsilon: 0 },
      {
        expr: 'or',
        filters: [
          { expr: 'gt', field: 'qty', value: 1 },
          { expr: 'and', filters: [{ expr: 'lt', field: 'dep/name', value: 'k' }] },
        ],
      },
    ]);
  });

  it('an unknown expr', () => {
    assertBadRequest(
      { elements, filters: [{ expr: 'like', args: {} }] },
      "filters: filter: expr: filter 'like' is unknown: wrong type",
    );
    assertBadRequest(
      { elements, filters: [{ expr: 'or', args: [{ expr: 'in', args: {} }] }] },
      "filters: 'or' filter: filter: expr: filter 'in' is unknown: wrong type",
    );
  });

  it('filter fields must be root fields or refs (refField/targetField)', () => {
    assertBadRequest(
      { elements, filters: [{ expr: 'eq', args: { field: 'sys.ID', value: 1 } }] },
      "filters: 'eq' filter has field 'sys.ID' that is absent in root element fields/refs, please add or change it: unexpected",
    );
    assertBadRequest(
      { elements, filters: [{ expr: 'gt', args: { field: 'dep', value: 1 } }] },
      "filters: 'gt' filter has field 'dep' that is absent in root element fields/refs, please add or change it: unexpected",
    );
    assertBadRequest(
      {
        elements,
        filters: [
          {
            expr: 'and',
            args: [{ expr: 'or', args: [{ expr: 'lt', args: { field: 'x', value: 1 } }] }],
          },
        ],
      },
      "filters: 'and' filter: 'or' filter: 'lt' filter has field 'x' that is absent in root element fields/refs, please add or change it: unexpected",
    );
  });

  it('fields of nested elements do not qualify', () => {
    assertBadRequest(
      {
        elements: [{ fields: ['name'] }, { path: 'opts', fields: ['kind'] }],
        filters: [{ expr: 'eq', args: { field: 'kind', value: 'a' } }],
      },
      "filters: 'eq' filter has field 'kind' that is absent in root element fields/refs, please add or change it: unexpected",
    );
  });

  it('malformed filters', () => {
    const bad: [unknown, string][] = [
      [{}, "filters: filter: field 'args' must be present: not found"],
      [{ args: {} }, 'filters: filter: field "expr" missing: fields are missed'],
      [
        { expr: 1, args: {} },
        'filters: filter: field "expr" must be a string: field type mismatch',
      ],
      [
        { expr: 'eq', args: [] },
        "filters: 'eq' filter: field 'args' must be an object: wrong type",
      ],
      [
        { expr: 'eq', args: { value: 1 } },
        `filters: 'eq' filter: field "field" missing: fields are missed`,
      ],
      [
        { expr: 'eq', args: { field: 'qty' } },
        "filters: 'eq' filter: field 'value' must be present: not found",
      ],
      [
        { expr: 'eq', args: { field: 'qty', value: [1] } },
        "filters: 'eq' filter: field 'value' must be a number, a string or a boolean: wrong type",
      ],
      [
        { expr: 'gt', args: { field: 'qty', value: true } },
        "filters: 'gt' filter: field 'value' must be a number or a string: wrong type",
      ],
      [
        { expr: 'eq', args: { field: 'qty', value: 1, options: 1 } },
        `filters: 'eq' filter: field "options" must be an object: field type mismatch`,
      ],
      [
        { expr: 'eq', args: { field: 'qty', value: 1, options: { epsilon: '1' } } },
        `filters: 'eq' filter: field "epsilon" must be a number: field type mismatch`,
      ],
      [
        { expr: 'and', args: {} },
        "filters: 'and' filter: field 'args' must be an array of objects: wrong type",
      ],
      [
        { expr: 'or', args: [1] },
        "filters: 'or' filter: each 'args' member must be an object: wrong type",
      ],
    ];
    for (const [filter, message] of bad) assertBadRequest({ elements, filters: [filter] }, message);
    assertBadRequest(
      { elements, filters: [1] },
      'filters: each member must be an object: wrong type',
    );
  });
});

describe('parseV1QueryParams: orderBy, count, startFrom', () => {
  const elements = [{ fields: ['name', 'qty'], refs: [['dep', 'name']] }];

  it('orderBy fields and directions', () => {
    const p = parse({
      elements,
      orderBy: [{ field: 'qty', desc: true }, { field: 'dep/name' }],
    });
    assert.deepEqual(p.orderBy, [
      { field: 'qty', desc: true },
      { field: 'dep/name', desc: false },
    ]);
  });

  it('orderBy fields must be root fields or refs', () => {
    assertBadRequest(
      { elements, orderBy: [{ field: 'price' }] },
      "orderBy has field 'price' that is absent in root element fields/refs, please add or change it: unexpected",
    );
    assertBadRequest(
      { orderBy: [{ field: 'qty' }] },
      "orderBy has field 'qty' that is absent in root element fields/refs, please add or change it: unexpected",
    );
  });

  it('malformed orderBy', () => {
    assertBadRequest(
      { elements, orderBy: [{}] },
      'orderBy: field "field" missing: fields are missed',
    );
    assertBadRequest(
      { elements, orderBy: [{ field: 'qty', desc: 'yes' }] },
      'orderBy: field "desc" must be a boolean: field type mismatch',
    );
  });

  it('count and startFrom are non-negative integers', () => {
    const p = parse({ count: 10, startFrom: 3 });
    assert.deepEqual([p.count, p.startFrom], [10, 3]);
    for (const v of [-1, 1.5, '2', true]) {
      assertBadRequest(
        { count: v },
        'field "count" must be a non-negative integer: field type mismatch',
      );
      assertBadRequest(
        { startFrom: v },
        'field "startFrom" must be a non-negative integer: field type mismatch',
      );
    }
  });

  it('a TYPE result works like a table', () => {
    const plain = lookup('pkg.Plain');
    assert.ok(plain !== undefined);
    assert.equal(
      parse({ elements: [{ fields: ['x'] }] }, plain).elements[0]?.fieldKinds.get('x'),
      'int32',
    );
    assertBadRequest(
      { elements: [{ path: 'c' }] },
      'elements: table pkg.Plain has no nested tables but c nested table is queried: unexpected',
      plain,
    );
  });
});
