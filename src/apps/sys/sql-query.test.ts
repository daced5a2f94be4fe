import assert from 'node:assert/strict';
import { before, describe, it } from 'node:test';
import { ProcessorError } from '../../processors/processor-error.js';
import { type AppDef, compileApp } from '../../schema/index.js';
import { type KvBatchItem, MemStorageProvider } from '../../storage/index.js';
import {
  AppStructs,
  type DbEvent,
  FIRST_APP_WSID_BASE,
  MAIN_CLUSTER_ID,
  newWsid,
  type ObjectNode,
  type RecordRow,
} from '../../structs/index.js';
import { goJson, SQL_QUERY_DEFAULT_LIMIT, type SqlSources, sqlQuery } from './sql-query.js';

const VSQL = `APPLICATION test();
WORKSPACE W (
  TABLE Doc INHERITS sys.CDoc (
    Name varchar, Num int32, Data bytes(10), Flag bool, Kind qname, Ref ref,
    Items TABLE Item (Q int64)
  );
  TABLE Other INHERITS sys.CDoc (X int32);
  TABLE Settings INHERITS sys.CSingleton (X int32);
  TABLE WD INHERITS sys.WDoc (W varchar);
  TABLE Ord INHERITS sys.ODoc (A int32, Lines TABLE Line (N int32));
  TYPE Args (Text varchar);
  VIEW V (
    P int32, P2 int8, C int64, S varchar, Val varchar, B bool, Blob bytes(20),
    PRIMARY KEY ((P, P2), C, S)
  ) AS RESULT OF Prj;
  VIEW VB (K bool, Q qname, C int16, F float64, PRIMARY KEY ((K), Q, C)) AS RESULT OF Prj;
  EXTENSION ENGINE BUILTIN (
    COMMAND Cmd(Args);
    COMMAND MakeOrd(Ord);
    PROJECTOR Prj AFTER EXECUTE ON Cmd INTENTS(sys.View(V, VB));
  );
);`;

const PARTITIONS = 10;
const WSID = 140737488486431;
/** Another workspace in the same partition. */
const WSID2 = WSID + PARTITIONS;
/** Events of the main workspace: 3 CUD/ODoc events, 120 Cmd events, 1 error event. */
const CMD_EVENTS = 120;
const WLOG_SIZE = 3 + CMD_EVENTS + 1;
const T0 = 1_700_000_000_000;

let app: AppDef;
let structs: AppStructs;
let src: SqlSources;
let singletonId: number;

const doc1: RecordRow = {
  qname: 'pkg.Doc',
  id: 200001,
  parentId: 0,
  container: '',
  isActive: true,
  fields: {
    Name: 'first <&>',
    Num: 7,
    Data: new Uint8Array([1, 2, 3]),
    Flag: true,
    Kind: 'pkg.Other',
  },
};
const item: RecordRow = {
  qname: 'pkg.Item',
  id: 200002,
  parentId: 200001,
  container: 'Items',
  isActive: true,
  fields: { Q: 5 },
};
const doc2: RecordRow = {
  qname: 'pkg.Doc',
  id: 200003,
  parentId: 0,
  container: '',
  isActive: false,
  fields: { Name: 'second' },
};
const other: RecordRow = {
  qname: 'pkg.Other',
  id: 200004,
  parentId: 0,
  container: '',
  isActive: true,
  fields: { X: 1 },
};
const wd: RecordRow = {
  qname: 'pkg.WD',
  id: 200005,
  parentId: 0,
  container: '',
  isActive: true,
  fields: { W: 'w' },
};
const ord: ObjectNode = {
  qname: 'pkg.Ord',
  id: 200006,
  parentId: 0,
  container: '',
  fields: { A: 1 },
  children: [
    {
      qname: 'pkg.Line',
      id: 200007,
      parentId: 200006,
      container: 'Lines',
      fields: { N: 2 },
      children: [],
    },
    {
      qname: 'pkg.Line',
      id: 200008,
      parentId: 200006,
      container: 'Lines',
      fields: { N: 3 },
      children: [],
    },
  ],
};

function event(
  over: Partial<DbEvent> & Pick<DbEvent, 'wsid' | 'wlogOffset' | 'plogOffset'>,
): DbEvent {
  return {
    qname: 'sys.CUD',
    partition: over.wsid % PARTITIONS,
    registeredAt: T0 + over.plogOffset,
    synced: false,
    deviceId: 0,
    syncedAt: 0,
    error: null,
    argument: null,
    unlogged: null,
    creates: [],
    updates: [],
    ...over,
  };
}

before(async () => {
  const r = compileApp([
    { path: 'github.com/company/pkg', files: [{ name: 'f.vsql', text: VSQL }] },
  ]);
  assert.deepEqual(r.errors, []);
  assert.ok(r.appDef !== undefined);
  app = r.appDef;
  const storage = await new MemStorageProvider({ clock: Date.now }).open('test');
  structs = await AppStructs.open(storage, app);
  src = { app, structs, wsid: WSID, partitions: PARTITIONS };
  singletonId = structs.names.singletonId('pkg.Settings') ?? assert.fail('no singleton ID');

  const items: KvBatchItem[] = [];
  for (const r of [doc1, item, doc2, other, wd]) items.push(structs.recordItem(WSID, r));
  items.push(
    structs.recordItem(WSID, {
      qname: 'pkg.Settings',
      id: singletonId,
      parentId: 0,
      container: '',
      isActive: true,
      fields: { X: 42 },
    }),
  );
  // The same ID in another workspace is another record.
  items.push(structs.recordItem(WSID2, { ...doc1, fields: { Name: 'elsewhere' } }));

  const events: DbEvent[] = [
    event({ wsid: WSID2, wlogOffset: 1, plogOffset: 1 }),
    event({ wsid: WSID, wlogOffset: 1, plogOffset: 2, creates: [doc1, item] }),
    event({
      wsid: WSID,
      wlogOffset: 2,
      plogOffset: 3,
      creates: [doc2],
      updates: [{ qname: 'pkg.Doc', id: 200001, fields: { Num: 8 }, isActive: undefined }],
    }),
    event({ wsid: WSID, wlogOffset: 3, plogOffset: 4, qname: 'pkg.MakeOrd', argument: ord }),
    event({ wsid: WSID2, wlogOffset: 2, plogOffset: 5 }),
  ];
  for (let i = 0; i < CMD_EVENTS; i++) {
    events.push(
      event({
        wsid: WSID,
        wlogOffset: 4 + i,
        plogOffset: 6 + i,
        qname: 'pkg.Cmd',
        argument: {
          qname: 'pkg.Args',
          id: 0,
          parentId: 0,
          container: '',
          fields: { Text: `t${i}` },
          children: [],
        },
      }),
    );
  }
  events.push(
    event({
      wsid: WSID,
      wlogOffset: WLOG_SIZE,
      plogOffset: 6 + CMD_EVENTS,
      qname: 'sys.Error',
      error: { message: 'boom', originalQName: 'pkg.Cmd' },
    }),
  );
  for (const e of events) items.push(...structs.eventItems(e, structs.encodeEvent(e)));

  const registry = structs.view('sys.RecordsRegistry');
  for (const [id, qname] of [
    [200006, 'pkg.Ord'],
    [200007, 'pkg.Line'],
    [200008, 'pkg.Line'],
  ] as const) {
    items.push(structs.viewItem(WSID, registry, { IDHi: 0, ID: id, WLogOffset: 3, QName: qname }));
  }
  items.push(
    structs.viewItem(WSID, registry, { IDHi: 0, ID: 200001, WLogOffset: 1, QName: 'pkg.Doc' }),
  );

  const v = structs.view('pkg.V');
  const blob = new Uint8Array([255, 0, 1]);
  for (const row of [
    { P: 1, P2: 2, C: 10, S: 'a', Val: 'x', B: true, Blob: blob },
    { P: 1, P2: 2, C: 10, S: 'b', Val: 'y' },
    { P: 1, P2: 2, C: 20, S: 'a', Val: 'z' },
    { P: 1, P2: 3, C: 10, S: 'a', Val: 'other partition' },
    { P: 1, P2: -1, C: 1, S: 'neg', Val: 'negative int8' },
  ]) {
    items.push(structs.viewItem(WSID, v, row));
  }
  items.push(structs.viewItem(WSID2, v, { P: 1, P2: 2, C: 10, S: 'a', Val: 'other workspace' }));
  const vb = structs.view('pkg.VB');
  items.push(structs.viewItem(WSID, vb, { K: true, Q: 'pkg.Doc', C: -5, F: 1.5 }));
  items.push(structs.viewItem(WSID, vb, { K: false, Q: 'pkg.Doc', C: 1, F: 2 }));
  items.push(
    structs.viewItem(WSID, structs.view('sys.CollectionView'), {
      PartKey: 1,
      DocQName: 'pkg.Doc',
      DocID: 200001,
      ElementID: 0,
      Record: doc1,
      offs: 1,
    }),
  );
  await storage.putBatch(items);
});

async function rows(query: string, sources: SqlSources = src): Promise<string[]> {
  const out: string[] = [];
  for await (const r of sqlQuery(sources, query)) out.push(r);
  return out;
}

async function objects(
  query: string,
  sources: SqlSources = src,
): Promise<Record<string, unknown>[]> {
  return (await rows(query, sources)).map((r) => JSON.parse(r) as Record<string, unknown>);
}

async function rejects(query: string, status: number, message: string | RegExp, sources = src) {
  await assert.rejects(rows(query, sources), (e: unknown) => {
    assert.ok(e instanceof ProcessorError, `not a ProcessorError: ${String(e)}`);
    assert.equal(e.status, status, e.message);
    if (typeof message === 'string') assert.equal(e.message, message);
    else assert.match(e.message, message);
    return true;
  });
}

describe('q.sys.SqlQuery: records', () => {
  it('renders every field of the table, sorted, with Go JSON escaping and base64 bytes', async () => {
    assert.deepEqual(await rows('select * from pkg.Doc.200001'), [
      '{"Data":"AQID","Flag":true,"Kind":"pkg.Other","Name":"first \\u003c\\u0026\\u003e","Num":7,' +
        '"Ref":0,"sys.ID":200001,"sys.IsActive":true,"sys.QName":"pkg.Doc"}',
    ]);
  });

  it('gives fields without a value their zero value', async () => {
    assert.deepEqual(await objects('select * from pkg.Doc where id = 200003'), [
      {
        Data: null,
        Flag: false,
        Kind: '.',
        Name: 'second',
        Num: 0,
        Ref: 0,
        'sys.ID': 200003,
        'sys.IsActive': false,
        'sys.QName': 'pkg.Doc',
      },
    ]);
  });

  it('reads several IDs in the order given and projects to the selected fields', async () => {
    assert.deepEqual(
      await rows('select name, sys.IsActive from pkg.Doc where id in (200003, 200001)'),
      [
        '{"Name":"second","sys.IsActive":false}',
        '{"Name":"first \\u003c\\u0026\\u003e","sys.IsActive":true}',
      ],
    );
  });

  it('matches keywords, table and field names case-insensitively', async () => {
    assert.deepEqual(await rows('SELECT NUM FROM PKG.doc WHERE ID = 200001'), ['{"Num":7}']);
  });

  it('reads a nested record with its parent and container', async () => {
    assert.deepEqual(await objects('select * from pkg.Item.200002'), [
      {
        Q: 5,
        'sys.Container': 'Items',
        'sys.ID': 200002,
        'sys.IsActive': true,
        'sys.ParentID': 200001,
        'sys.QName': 'pkg.Item',
      },
    ]);
  });

  it('reads a singleton without an ID', async () => {
    assert.deepEqual(await rows('select X, sys.QName from pkg.Settings'), [
      '{"X":42,"sys.QName":"pkg.Settings"}',
    ]);
    assert.deepEqual(await objects('select sys.ID from pkg.Settings'), [{ 'sys.ID': singletonId }]);
  });

  it('reads a WDoc', async () => {
    assert.deepEqual(await rows('select * from pkg.WD.200005'), [
      '{"W":"w","sys.ID":200005,"sys.IsActive":true,"sys.QName":"pkg.WD"}',
    ]);
  });

  it('reads ODocs and ORecords from the event that carried them', async () => {
    assert.deepEqual(await rows('select * from pkg.Ord.200006'), [
      '{"A":1,"sys.ID":200006,"sys.QName":"pkg.Ord"}',
    ]);
    assert.deepEqual(await objects('select * from pkg.Line where id in (200008, 200007)'), [
      {
        N: 3,
        'sys.Container': 'Lines',
        'sys.ID': 200008,
        'sys.ParentID': 200006,
        'sys.QName': 'pkg.Line',
      },
      {
        N: 2,
        'sys.Container': 'Lines',
        'sys.ID': 200007,
        'sys.ParentID': 200006,
        'sys.QName': 'pkg.Line',
      },
    ]);
  });

  it('honours a limit', async () => {
    assert.equal(
      (await rows('select * from pkg.Doc where id in (200001, 200003) limit 1')).length,
      1,
    );
    assert.equal(
      (await rows('select * from pkg.Doc where id in (200001, 200003) limit -1')).length,
      2,
    );
  });

  it('reads only the workspace it runs in', async () => {
    assert.deepEqual(await rows('select Name from pkg.Doc.200001', { ...src, wsid: WSID2 }), [
      '{"Name":"elsewhere"}',
    ]);
  });

  const errors: [string, string | RegExp][] = [
    ['select * from pkg.Doc where something = 1', 'unsupported column name: something'],
    ['select * from pkg.Doc where id = 2.3', 'strconv.ParseUint: parsing "2.3": invalid syntax'],
    ['select * from pkg.Doc where id in (1.3)', 'strconv.ParseUint: parsing "1.3": invalid syntax'],
    ['select * from pkg.Doc where id = -1', 'strconv.ParseUint: parsing "-1": invalid syntax'],
    ['select * from pkg.Doc where id >= 2', 'unsupported operation: >='],
    [
      'select * from pkg.Doc where id = 2 and something = 2',
      'unsupported expression: *sqlparser.AndExpr',
    ],
    [
      'select * from pkg.Doc where 1 = id',
      'unsupported column reference expression: *sqlparser.SQLVal',
    ],
    ['select * from pkg.Doc where id = Num', 'unsupported id value expression: *sqlparser.ColName'],
    [
      'select * from pkg.Doc',
      "'pkg.Doc' is not a singleton. At least one record ID must be provided",
    ],
    [
      'select * from pkg.Doc where id = 200004',
      "record with ID '200004' has mismatching QName 'pkg.Other'",
    ],
    ['select * from pkg.Doc where id = 999999', "record with ID '999999' not found"],
    ['select * from pkg.Ord.200001', "record with ID '200001' has mismatching QName 'pkg.Doc'"],
    ['select * from pkg.Ord.999999', "record with ID '999999' not found"],
    [
      'select abracadabra from pkg.Doc where id = 200001',
      'not found: field «abracadabra» in CDoc «pkg.Doc»',
    ],
    [
      'select * from pkg.Doc.200001 where id = 200001',
      "record ID and 'where id ...' clause can not be used in one query",
    ],
    ['select sys.QName from pkg.Settings.1', 'conditions are not allowed to query a singleton'],
    [
      'select sys.QName from pkg.Settings where id = 1',
      'conditions are not allowed to query a singleton',
    ],
    ['select name, Name from pkg.Doc where id = 200001', 'field "Name" is selected more than once'],
    ['select * from pkg.Doc.0', 'provided offset or ID must not be 0'],
    ['select * from pkg.Doc.99999999999999999999', /value out of range/],
    ['select * from pkg.Doc.200001 limit 1, 2', /limit with an offset is not supported/],
  ];
  for (const [query, message] of errors) {
    it(`400: ${query}`, async () => {
      await rejects(query, 400, message);
    });
  }
});

describe('q.sys.SqlQuery: views', () => {
  it('reads a partition with every key and value field', async () => {
    assert.deepEqual(await rows('select * from pkg.V where P = 1 and P2 = 2'), [
      '{"B":true,"Blob":"/wAB","C":10,"P":1,"P2":2,"S":"a","Val":"x","sys.QName":"pkg.V"}',
      '{"B":false,"Blob":null,"C":10,"P":1,"P2":2,"S":"b","Val":"y","sys.QName":"pkg.V"}',
      '{"B":false,"Blob":null,"C":20,"P":1,"P2":2,"S":"a","Val":"z","sys.QName":"pkg.V"}',
    ]);
  });

  it('narrows by clustering columns left to right', async () => {
    assert.deepEqual(await rows('select Val from pkg.V where P = 1 and P2 = 2 and C = 10'), [
      '{"Val":"x"}',
      '{"Val":"y"}',
    ]);
    assert.deepEqual(
      await rows("select Val from pkg.V where p = 1 and p2 = 2 and c = 10 and s = 'b'"),
      ['{"Val":"y"}'],
    );
    assert.deepEqual(await rows('select val from pkg.v where P2 = -1 and P = 1'), [
      '{"Val":"negative int8"}',
    ]);
    assert.deepEqual(await rows('select * from pkg.V where P = 1 and P2 = 100'), []);
  });

  it('honours a limit', async () => {
    assert.deepEqual(await rows('select C, S from pkg.V where P = 1 and P2 = 2 limit 2'), [
      '{"C":10,"S":"a"}',
      '{"C":10,"S":"b"}',
    ]);
    assert.deepEqual(await rows('select C from pkg.V where P = 1 and P2 = 2 limit 0'), []);
  });

  it('reads only the workspace it runs in', async () => {
    assert.deepEqual(
      await rows('select Val from pkg.V where P = 1 and P2 = 2', { ...src, wsid: WSID2 }),
      ['{"Val":"other workspace"}'],
    );
  });

  it('takes bool, QName and negative int16 keys', async () => {
    assert.deepEqual(
      await rows("select * from pkg.VB where K = true and Q = 'pkg.Doc' and C = -5"),
      ['{"C":-5,"F":1.5,"K":true,"Q":"pkg.Doc","sys.QName":"pkg.VB"}'],
    );
    assert.deepEqual(await rows('select F from pkg.VB where K = false'), ['{"F":2}']);
  });

  it('renders a Record field as an object of its fields', async () => {
    const [row] = await objects(
      "select * from sys.CollectionView where PartKey = 1 and DocQName = 'pkg.Doc'",
    );
    assert.deepEqual(row, {
      DocID: 200001,
      DocQName: 'pkg.Doc',
      ElementID: 0,
      PartKey: 1,
      Record: {
        Data: 'AQID',
        Flag: true,
        Kind: 'pkg.Other',
        Name: 'first <&>',
        Num: 7,
        'sys.ID': 200001,
        'sys.IsActive': true,
        'sys.QName': 'pkg.Doc',
      },
      offs: 1,
      'sys.QName': 'sys.CollectionView',
    });
    assert.deepEqual(
      await rows('select docqname, offs from sys.collectionview where partkey = 1'),
      ['{"DocQName":"pkg.Doc","offs":1}'],
    );
  });

  const errors: [string, string | RegExp][] = [
    ['select * from pkg.V where P > 1', 'unsupported operator: >'],
    ['select * from pkg.V where P = 1 or P2 = 2', 'unsupported expression: *sqlparser.OrExpr'],
    ['select * from pkg.V where (P = 1)', 'unsupported expression: *sqlparser.ParenExpr'],
    [
      'select * from pkg.V where 1 = P',
      'unsupported column reference expression: *sqlparser.SQLVal',
    ],
    [
      'select abracadabra from pkg.V where P = 1',
      'not found: field «abracadabra» in ViewRecord «pkg.V»',
    ],
    [
      'select * from pkg.V where P = 1 and P2 = 2 and Val = 1',
      "field 'Val' does not exist in 'pkg.V' key def",
    ],
    [
      'select * from pkg.V where P = 1',
      /partition key field «P2» of view «pkg.V» is not specified/,
    ],
    ['select * from pkg.V', /partition key field «P» of view «pkg.V» is not specified/],
    [
      "select * from pkg.V where P = 1 and P2 = 2 and S = 'a'",
      /clustering columns of view «pkg.V» have a hole at field «C»/,
    ],
    ["select * from pkg.V where P = '1' and P2 = 2", /key field «P» of view «pkg.V» is int32: '1'/],
    ['select * from pkg.V where P = 1.5 and P2 = 2', /key field «P» of view «pkg.V» is int32: 1.5/],
    ['select * from pkg.V where P = 1 and P2 = 300', /key field «P2» of view «pkg.V» is int8: 300/],
    [
      'select * from pkg.V where P = 1 and P2 = 2 and C = 1 and S = 5',
      /key field «S» .* is string: 5/,
    ],
    ['select * from pkg.VB where K = 1', /key field «K» of view «pkg.VB» is bool: 1/],
    ["select * from pkg.VB where K = true and Q = 'no.Such'", /unknown QName 'no.Such'/],
    [
      'select * from pkg.V.5 where P = 1 and P2 = 2',
      'ID must not be specified on select from view',
    ],
    [
      'select * from pkg.V where P = 1 and P2 = 2 limit 1.5',
      'strconv.ParseInt: parsing "1.5": invalid syntax',
    ],
  ];
  for (const [query, message] of errors) {
    it(`400: ${query}`, async () => {
      await rejects(query, 400, message);
    });
  }
});

describe('q.sys.SqlQuery: sys.wlog', () => {
  it(`reads ${SQL_QUERY_DEFAULT_LIMIT} events from offset 1 without a limit`, async () => {
    const all = await objects('select WlogOffset from sys.wlog');
    assert.equal(all.length, SQL_QUERY_DEFAULT_LIMIT);
    assert.deepEqual(all[0], { WlogOffset: 1 });
    assert.deepEqual(all.at(-1), { WlogOffset: SQL_QUERY_DEFAULT_LIMIT });
  });

  it('reads to the end with limit -1, and honours other limits', async () => {
    assert.equal((await rows('select * from sys.wlog limit -1')).length, WLOG_SIZE);
    assert.equal((await rows('select * from sys.wlog limit 1')).length, 1);
    assert.equal((await rows('select * from sys.wlog limit 0')).length, 0);
    assert.equal((await rows('select * from sys.wlog limit 3', { ...src, wsid: WSID2 })).length, 2);
  });

  it('reads from an offset', async () => {
    assert.deepEqual(
      await rows(`select WlogOffset from sys.wlog where Offset > ${WLOG_SIZE - 1}`),
      [`{"WlogOffset":${WLOG_SIZE}}`],
    );
    assert.deepEqual(
      await rows(`select WlogOffset from sys.wlog where offset >= ${WLOG_SIZE - 1}`),
      [`{"WlogOffset":${WLOG_SIZE - 1}}`, `{"WlogOffset":${WLOG_SIZE}}`],
    );
    assert.deepEqual(await rows('select WlogOffset from sys.wlog where OFFSET = 50'), [
      '{"WlogOffset":50}',
    ]);
    assert.deepEqual(await rows('select WlogOffset from sys.wlog where offset = 50 limit -1'), [
      '{"WlogOffset":50}',
    ]);
    assert.deepEqual(await rows('select WlogOffset from sys.wlog.122'), [
      '{"WlogOffset":122}',
      '{"WlogOffset":123}',
      '{"WlogOffset":124}',
    ]);
    assert.deepEqual(await rows('select WlogOffset from sys.wlog where offset = 100000'), []);
  });

  it('renders a CUD event as the reference does', async () => {
    assert.deepEqual(await rows('select * from sys.wlog where offset = 2'), [
      '{"ArgumentObject":{},"CUDs":[' +
        '{"IsNew":true,"fields":{"Name":"second","sys.ID":200003,"sys.IsActive":false,"sys.QName":"pkg.Doc"},' +
        '"sys.ID":200003,"sys.QName":"pkg.Doc"},' +
        '{"IsNew":false,"fields":{"Num":8,"sys.ID":200001,"sys.IsActive":true,"sys.QName":"pkg.Doc"},' +
        '"sys.ID":200001,"sys.QName":"pkg.Doc"}],' +
        `"DeviceID":0,"QName":"sys.CUD","RegisteredAt":${T0 + 3},"Synced":false,"SyncedAt":0,"WlogOffset":2}`,
    ]);
  });

  it('renders the argument object with its nested objects', async () => {
    const [e] = await objects('select ArgumentObject, QName from sys.wlog where offset = 3');
    assert.deepEqual(e, {
      QName: 'pkg.MakeOrd',
      ArgumentObject: {
        A: 1,
        'sys.ID': 200006,
        'sys.QName': 'pkg.Ord',
        Lines: [
          {
            N: 2,
            'sys.Container': 'Lines',
            'sys.ID': 200007,
            'sys.ParentID': 200006,
            'sys.QName': 'pkg.Line',
          },
          {
            N: 3,
            'sys.Container': 'Lines',
            'sys.ID': 200008,
            'sys.ParentID': 200006,
            'sys.QName': 'pkg.Line',
          },
        ],
      },
    });
    assert.deepEqual(await rows('select ArgumentObject from sys.wlog where offset = 4'), [
      '{"ArgumentObject":{"Text":"t0","sys.QName":"pkg.Args"}}',
    ]);
  });

  it('renders the error of an error event', async () => {
    assert.deepEqual(
      await objects(`select QName, Error from sys.wlog where offset = ${WLOG_SIZE}`),
      [
        {
          QName: 'sys.Error',
          Error: {
            ErrStr: 'boom',
            QNameFromParams: 'pkg.Cmd',
            ValidEvent: false,
            OriginalEventBytes: null,
          },
        },
      ],
    );
    assert.deepEqual(await objects('select Error from sys.wlog where offset = 1'), [{}]);
  });

  const errors: [string, string | RegExp][] = [
    ['select abracadabra from sys.wlog', "field 'abracadabra' not found in def"],
    ['select PlogOffset from sys.wlog', "field 'PlogOffset' not found in def"],
    ['select * from sys.plog limit 7.1', 'strconv.ParseInt: parsing "7.1": invalid syntax'],
    ['select * from sys.plog limit -3', 'limit must be greater than -2'],
    [
      'select * from sys.plog where Offset >= 2.1',
      'strconv.ParseUint: parsing "2.1": invalid syntax',
    ],
    ['select * from sys.plog where Offset >= 0', 'offset must be greater than zero'],
    ['select * from sys.plog where Offset < 2', 'unsupported operation: <'],
    ['select * from sys.plog where something >= 1', 'unsupported column name: something'],
    [
      'select * from sys.wlog where Offset >= 1 and something >= 5',
      'unsupported expression: *sqlparser.AndExpr',
    ],
    [
      'select * from sys.wlog limit sin(5)',
      'unsupported limit value expression: *sqlparser.FuncExpr',
    ],
    [
      'select * from sys.plog where 5 = 1',
      'unsupported column reference expression: *sqlparser.SQLVal',
    ],
    [
      'select * from sys.plog where Offset >= sin(5)',
      'unsupported offset value expression: *sqlparser.FuncExpr',
    ],
    [
      'select * from sys.wlog.5 where offset > 1',
      "both .Offset and 'where offset ...' clause can not be provided in one query",
    ],
    ['select * from sys.wlog limit 2 offset 1', /limit with an offset is not supported/],
    ['select QName, QName from sys.wlog', 'field "QName" is selected more than once'],
    ['select blobinfo(Data) from pkg.Doc.200001', /function blobinfo\(\) is not supported/],
    ['select 1 from sys.wlog', 'unsupported select expression: *sqlparser.SQLVal'],
  ];
  for (const [query, message] of errors) {
    it(`400: ${query}`, async () => {
      await rejects(query, 400, message);
    });
  }
});

describe('q.sys.SqlQuery: sys.plog', () => {
  it("reads the partition's log, events of every workspace in it", async () => {
    const all = await objects('select Workspace, PlogOffset, WLogOffset from sys.plog limit 6');
    assert.deepEqual(all, [
      { Workspace: WSID2, PlogOffset: 1, WLogOffset: 1 },
      { Workspace: WSID, PlogOffset: 2, WLogOffset: 1 },
      { Workspace: WSID, PlogOffset: 3, WLogOffset: 2 },
      { Workspace: WSID, PlogOffset: 4, WLogOffset: 3 },
      { Workspace: WSID2, PlogOffset: 5, WLogOffset: 2 },
      { Workspace: WSID, PlogOffset: 6, WLogOffset: 4 },
    ]);
    assert.deepEqual(
      await objects('select PlogOffset from sys.plog limit 1', { ...src, wsid: WSID2 }),
      [{ PlogOffset: 1 }],
    );
    assert.deepEqual(await rows('select * from sys.plog', { ...src, wsid: WSID + 1 }), []);
  });

  it('applies the default limit, limit -1 and offsets', async () => {
    assert.equal((await rows('select * from sys.plog')).length, SQL_QUERY_DEFAULT_LIMIT);
    assert.equal((await rows('select * from sys.plog limit -1')).length, 6 + CMD_EVENTS);
    assert.deepEqual(await objects('select PlogOffset from sys.plog where offset > 124'), [
      { PlogOffset: 125 },
      { PlogOffset: 126 },
    ]);
    assert.deepEqual(await objects('select PlogOffset from sys.plog where offset = 5'), [
      { PlogOffset: 5 },
    ]);
  });

  it('renders the whole event', async () => {
    assert.deepEqual(await objects('select * from sys.plog where offset = 4'), [
      {
        ArgumentObject: {
          A: 1,
          Lines: [
            {
              N: 2,
              'sys.Container': 'Lines',
              'sys.ID': 200007,
              'sys.ParentID': 200006,
              'sys.QName': 'pkg.Line',
            },
            {
              N: 3,
              'sys.Container': 'Lines',
              'sys.ID': 200008,
              'sys.ParentID': 200006,
              'sys.QName': 'pkg.Line',
            },
          ],
          'sys.ID': 200006,
          'sys.QName': 'pkg.Ord',
        },
        CUDs: [],
        DeviceID: 0,
        PlogOffset: 4,
        QName: 'pkg.MakeOrd',
        RegisteredAt: T0 + 4,
        Synced: false,
        SyncedAt: 0,
        WLogOffset: 3,
        Workspace: WSID,
      },
    ]);
  });

  it('400: a WLog-only field', async () => {
    await rejects('select WlogOffset from sys.plog', 400, "field 'WlogOffset' not found in def");
  });
});

describe('q.sys.SqlQuery: workspace and application prefixes', () => {
  it('runs a query that names its own workspace', async () => {
    assert.deepEqual(await rows(`select Num from ${WSID}.pkg.Doc.200001`), ['{"Num":7}']);
    assert.equal((await rows(`select * from ${WSID}.sys.wlog limit 2`)).length, 2);
  });

  it('runs a query that names its own app workspace by number', async () => {
    const appWs = newWsid(MAIN_CLUSTER_ID, FIRST_APP_WSID_BASE + 3);
    assert.equal((await rows('select * from a3.sys.wlog', { ...src, wsid: appWs })).length, 0);
  });

  it('runs a query that names its own application', async () => {
    const own = { ...src, appQName: 'test1/app1' };
    assert.deepEqual(await rows('select Num from test1.app1.pkg.Doc.200001', own), ['{"Num":7}']);
    assert.deepEqual(await rows(`select Num from test1.app1.${WSID}.pkg.Doc.200001`, own), [
      '{"Num":7}',
    ]);
  });

  // Sources are built when the tests run, after `before` has opened the storage.
  const own = (): SqlSources => src;
  const other = (): SqlSources => ({ ...src, wsid: WSID2 });
  const app1 = (): SqlSources => ({ ...src, appQName: 'test1/app1' });
  const forbidden: [string, string, () => SqlSources][] = [
    [`select * from ${WSID2}.sys.wlog`, 'reading another workspace is not allowed here', own],
    [
      `select * from ${WSID}.pkg.Doc.200001`,
      'reading another workspace is not allowed here',
      other,
    ],
    ['select * from a0.sys.wlog', 'reading another workspace is not allowed here', own],
    ['select * from "login".sys.wlog', 'reading another workspace is not allowed here', own],
    [
      'select * from test1.app1.pkg.Doc.200001',
      'reading another application is not allowed here',
      own,
    ],
    [
      'select * from test1.app2.pkg.Doc.200001',
      'reading another application is not allowed here',
      app1,
    ],
  ];
  for (const [query, message, sources] of forbidden) {
    it(`403: ${query}`, async () => {
      await rejects(query, 403, message, sources());
    });
  }
});

describe('q.sys.SqlQuery: query syntax', () => {
  const errors: [string, string | RegExp][] = [
    [' ', 'invalid query format:  '],
    ['select *', 'invalid query format: select *'],
    ['select * from nowhere', 'invalid query format: select * from nowhere'],
    ['update sys.plog set a = 1', "'select' operation is expected"],
    ['insert pkg.Doc values (1)', "'select' operation is expected"],
    ['select * from git.hub', 'do not know how to read from the requested git.hub, TypeKind_null'],
    [
      'select * from pkg.Args',
      'do not know how to read from the requested pkg.Args, TypeKind_Object',
    ],
    [
      'select * from pkg.Cmd',
      'do not know how to read from the requested pkg.Cmd, TypeKind_Command',
    ],
    ['select * from sys.wlog where', /^syntax error at position \d+$/],
    ['select * from sys.wlog where offset = = 1', "syntax error at position 40 near '='"],
    ["select * from sys.wlog where offset = 'x", /^syntax error at position \d+ near/],
    ['select * from sys.wlog order by offset', "syntax error at position 29 near 'order'"],
    ['select from sys.wlog', /^(invalid query format|syntax error)/],
  ];
  for (const [query, message] of errors) {
    it(`400: ${JSON.stringify(query)}`, async () => {
      await rejects(query, 400, message);
    });
  }

  it('accepts a query over several lines and string escapes', async () => {
    assert.deepEqual(
      await rows('select Val\nfrom pkg.V\nwhere P = 1 and P2 = 2 and C = 10 and S = "b"'),
      ['{"Val":"y"}'],
    );
    assert.deepEqual(
      await rows("select Val from pkg.V where P = 1 and P2 = 2 and C = 10 and S = 'a'"),
      ['{"Val":"x"}'],
    );
  });
});

describe('goJson', () => {
  it('writes maps as Go does: sorted keys, base64 bytes, HTML-safe strings', () => {
    assert.equal(
      goJson({ b: 1, a: [new Uint8Array([1]), null, true], 'A\u2028': '<x&y>', c: undefined }),
      '{"A\\u2028":"\\u003cx\\u0026y\\u003e","a":["AQ==",null,true],"b":1}',
    );
  });
});
