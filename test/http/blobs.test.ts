/**
 * BLOBs over real HTTP (http-api.md §5): persistent and temporary BLOBs uploaded and downloaded on
 * API v1 and v2, streamed in chunks, with their size limit, validation, ownership and expiry.
 */
import assert from 'node:assert/strict';
import { randomBytes } from 'node:crypto';
import { describe, it } from 'node:test';
import { ManualClock } from '../engine/support.js';
import { APP_QNAME, FIRST_ID, serverForFile, v1, v2 } from './support.js';

/** Large enough for a BLOB of several 64 KiB chunks, small enough to go over cheaply. */
const MAX = 200_000;
const DAY_MS = 86_400_000;
const clock = new ManualClock();
const s = serverForFile(8000, { clock, http: { blobMaxSize: MAX } });

const blobV1 = (wsid: number) => `/blob/${APP_QNAME}/${wsid}`;
const BINARY = 'application/x-binary';
const FIVE = new Uint8Array([1, 2, 3, 4, 5]);

interface Reply {
  readonly status: number;
  readonly headers: Headers;
  readonly bytes: Uint8Array;
  readonly text: string;
  readonly json: unknown;
}

async function send(
  method: string,
  path: string,
  options: { body?: Uint8Array | string; headers?: Record<string, string> } = {},
): Promise<Reply> {
  const res = await fetch(s.base + path, {
    method,
    ...(options.body === undefined ? {} : { body: options.body }),
    ...(options.headers === undefined ? {} : { headers: options.headers }),
  });
  const bytes = new Uint8Array(await res.arrayBuffer());
  const text = Buffer.from(bytes).toString('utf8');
  let json: unknown;
  try {
    json = JSON.parse(text);
  } catch {
    json = undefined;
  }
  return { status: res.status, headers: res.headers, bytes, text, json };
}

/** Uploads through API v2 for a field of tst.Attachment; resolves the BLOB ID. */
async function uploadV2(wsid: number, body: Uint8Array, field = 'Photo', name = 'test') {
  const r = await send('POST', `${v2(wsid)}/docs/tst.Attachment/blobs/${field}`, {
    body,
    headers: { 'Blob-Name': name, 'Content-Type': BINARY },
  });
  assert.equal(r.status, 201, r.text);
  return (r.json as { blobID: number }).blobID;
}

/** Creates a tst.Attachment with the given fields through API v2; resolves its ID. */
async function attach(wsid: number, fields: Record<string, unknown>): Promise<number> {
  const r = await send('POST', `${v2(wsid)}/docs/tst.Attachment`, {
    body: JSON.stringify(fields),
  });
  assert.equal(r.status, 201, r.text);
  return (r.json as { newIDs: Record<string, number> }).newIDs['1'] as number;
}

function assertBlob(r: Reply, expected: { bytes: Uint8Array; name: string; type: string }) {
  assert.equal(r.status, 200, r.text);
  assert.equal(r.headers.get('content-type'), expected.type);
  assert.equal(Buffer.from(r.headers.get('blob-name') ?? '', 'latin1').toString(), expected.name);
  assert.equal(r.headers.get('content-length'), String(expected.bytes.length));
  assert.ok(Buffer.from(r.bytes).equals(Buffer.from(expected.bytes)), 'the same bytes');
}

const err2 = (status: number, message: string) => ({ status, message });
const sysErr1 = (status: number, message: string) => ({
  'sys.Error': { HTTPStatus: status, Message: message },
});

describe('persistent BLOBs on API v2', () => {
  it('uploads for a field, becomes the record it is put in, and reads back through it', async () => {
    const ws = await s.shop();
    const blobId = await uploadV2(ws, FIVE);
    const blob = await s.t.engine.structs.getRecord(ws, blobId);
    assert.deepEqual(blob?.fields, {
      status: 2,
      OwnerRecord: 'tst.Attachment',
      OwnerRecordField: 'Photo',
    });
    const ownerId = await attach(ws, { Photo: blobId, Title: 'first' });
    assert.equal((await s.t.engine.structs.getRecord(ws, blobId))?.fields.OwnerRecordID, ownerId);
    const r = await send('GET', `${v2(ws)}/docs/tst.Attachment/${ownerId}/blobs/Photo`, {
      headers: { Authorization: 'Bearer some-token' },
    });
    assertBlob(r, { bytes: FIVE, name: 'test', type: BINARY });
  });

  it('streams a BLOB of many chunks back byte for byte', async () => {
    const ws = await s.shop();
    const data = new Uint8Array(randomBytes(150_000));
    const blobId = await uploadV2(ws, data, 'Scan', 'scan.pdf');
    const ownerId = await attach(ws, { Scan: blobId });
    const r = await send('GET', `${v2(ws)}/docs/tst.Attachment/${ownerId}/blobs/Scan`);
    assertBlob(r, { bytes: data, name: 'scan.pdf', type: BINARY });
  });

  it('keeps a name that is not ASCII and an empty content type', async () => {
    const ws = await s.shop();
    const name = 'фото №1.png';
    const r = await send('POST', `${v2(ws)}/docs/tst.Attachment/blobs/Photo`, {
      body: FIVE,
      headers: { 'Blob-Name': Buffer.from(name).toString('latin1') },
    });
    assert.equal(r.status, 201, r.text);
    const ownerId = await attach(ws, { Photo: (r.json as { blobID: number }).blobID });
    const read = await send('GET', `${v2(ws)}/docs/tst.Attachment/${ownerId}/blobs/Photo`);
    assertBlob(read, { bytes: FIVE, name, type: '' });
  });

  it('answers the reference 400s on the owner table and field', async () => {
    const ws = await s.shop();
    const post = (path: string) =>
      send('POST', `${v2(ws)}/docs/${path}`, {
        body: FIVE,
        headers: { 'Blob-Name': 'b', 'Content-Type': BINARY },
      });
    for (const [path, message] of [
      ['unknown.doc/blobs/someField', 'blob owner QName unknown.doc is unknown'],
      [
        'tst.Attachment/blobs/someField',
        'blob owner field someField does not exist in blob owner tst.Attachment',
      ],
      ['tst.Attachment/blobs/Pages', 'blob owner tst.Attachment.Pages must be of blob type'],
    ] as const) {
      const r = await post(path);
      assert.equal(r.status, 400, r.text);
      assert.deepEqual(r.json, err2(400, message));
    }
    const multipart = await send('POST', `${v2(ws)}/docs/tst.Attachment/blobs/Photo`, {
      body: FIVE,
      headers: { 'Content-Type': 'multipart/form-data' },
    });
    assert.deepEqual(
      multipart.json,
      err2(
        400,
        'name+mimeType query params and "multipart/form-data" Content-Type header are mutual exclusive',
      ),
    );
  });

  it('answers the reference errors when the owner record does not lead to a BLOB', async () => {
    const ws = await s.shop();
    const empty = await attach(ws, { Pages: 1 });
    const read = (path: string) => send('GET', `${v2(ws)}/docs/${path}`);
    for (const [path, status, message] of [
      [
        'unknown.doc/1/blobs/Photo',
        400,
        'document or record unknown.doc is not defined in Workspace «tst.ShopWS»',
      ],
      ['tst.Attachment/1/blobs/Photo', 404, 'document tst.Attachment with ID 1 not found'],
      [
        `tst.Attachment/${empty}/blobs/Photo`,
        400,
        'no value for owner field Photo in blob owner doc tst.Attachment',
      ],
      [
        `tst.Attachment/${empty}/blobs/Pages`,
        400,
        'owner field tst.Attachment.Pages is not of blob type',
      ],
    ] as const) {
      const r = await read(path);
      assert.deepEqual({ status: r.status, json: r.json }, { status, json: err2(status, message) });
    }
  });

  it('refuses a BLOB in another field, twice, or once it is owned (403)', async () => {
    const ws = await s.shop();
    const blobId = await uploadV2(ws, FIVE);
    const cud = (cuds: unknown[]) =>
      send('POST', `${v1(ws)}/c.sys.CUD`, { body: JSON.stringify({ cuds }) });
    const insert = (raw: number, fields: Record<string, unknown>) => ({
      fields: { 'sys.ID': raw, 'sys.QName': 'tst.Attachment', ...fields },
    });
    const wrongField = await cud([insert(1, { Scan: blobId })]);
    assert.deepEqual(
      wrongField.json,
      sysErr1(
        403,
        `BLOB ID ${blobId} is intended for tst.Attachment.Photo whereas it is being used in tst.Attachment.Scan`,
      ),
    );
    const twice = await cud([insert(1, { Photo: blobId }), insert(2, { Photo: blobId })]);
    assert.deepEqual(
      twice.json,
      sysErr1(
        403,
        `BLOB ID ${blobId} mentioned in CUD tst.Attachment.Photo is used already in CUD tst.Attachment.1`,
      ),
    );
    const ownerId = await attach(ws, { Photo: blobId });
    const again = await cud([insert(1, { Photo: blobId })]);
    assert.deepEqual(
      again.json,
      sysErr1(
        403,
        `BLOB ID ${blobId} mentioned in CUD tst.Attachment.Photo is used already in tst.Attachment.${ownerId}.Photo`,
      ),
    );
  });
});

describe('temporary BLOBs on API v2', () => {
  it('uploads with TTL 1d, reads back by SUUID, and is gone after a day', async () => {
    const ws = await s.shop();
    const start = clock.now;
    const r = await send('POST', `${v2(ws)}/tblobs`, {
      body: FIVE,
      headers: { 'Blob-Name': 'tmp.bin', 'Content-Type': BINARY, TTL: '1d' },
    });
    assert.equal(r.status, 201, r.text);
    const suuid = (r.json as { blobSUUID: string }).blobSUUID;
    assert.match(suuid, /^[A-Za-z0-9_-]{43}$/);
    const path = `${v2(ws)}/tblobs/${suuid}`;
    assertBlob(await send('GET', path), { bytes: FIVE, name: 'tmp.bin', type: BINARY });
    clock.now = start + DAY_MS - 1000;
    assertBlob(await send('GET', path), { bytes: FIVE, name: 'tmp.bin', type: BINARY });
    clock.now = start + DAY_MS;
    const gone = await send('GET', path);
    assert.deepEqual(
      { status: gone.status, json: gone.json },
      {
        status: 404,
        json: err2(404, 'BLOB not found'),
      },
    );
  });

  it('requires TTL 1d (400) and answers 404 for an unknown SUUID', async () => {
    const ws = await s.shop();
    const message = '"1d" is only supported for now for temporary blob ttl';
    const cases: Record<string, string>[] = [
      { 'Content-Type': BINARY },
      { 'Content-Type': BINARY, TTL: '2d' },
    ];
    for (const headers of cases) {
      const r = await send('POST', `${v2(ws)}/tblobs`, { body: FIVE, headers });
      assert.deepEqual(
        { status: r.status, json: r.json },
        { status: 400, json: err2(400, message) },
      );
    }
    const r = await send('GET', `${v2(ws)}/tblobs/unknownSUUIDaaaaaaaaaaaaaaaaaaaaaaaaaaaaa`);
    assert.deepEqual(
      { status: r.status, json: r.json },
      {
        status: 404,
        json: err2(404, 'BLOB not found'),
      },
    );
  });
});

describe('BLOBs on API v1', () => {
  const q = (o: Record<string, string>) => `?${new URLSearchParams(o).toString()}`;

  it('uploads a persistent BLOB, answering its ID as text, and reads it by GET and POST', async () => {
    const ws = await s.shop();
    const name = 'отчёт.txt';
    const r = await send('POST', `${blobV1(ws)}${q({ name, mimeType: 'text/plain' })}`, {
      body: FIVE,
    });
    assert.equal(r.status, 200, r.text);
    assert.equal(r.headers.get('content-type'), 'text/plain');
    assert.match(r.text, /^[0-9]+$/);
    for (const method of ['GET', 'POST']) {
      const read = await send(method, `${blobV1(ws)}/${r.text}`);
      assertBlob(read, { bytes: FIVE, name, type: 'text/plain' });
    }
  });

  it('uploads a temporary BLOB (ttl=1d), answering its SUUID, and reads it by SUUID', async () => {
    const ws = await s.shop();
    const data = new Uint8Array(randomBytes(100_000));
    const r = await send('POST', `${blobV1(ws)}${q({ name: 'n', mimeType: BINARY, ttl: '1d' })}`, {
      body: data,
    });
    assert.equal(r.status, 200, r.text);
    assert.match(r.text, /^[A-Za-z0-9_-]{43}$/);
    assertBlob(await send('GET', `${blobV1(ws)}/${r.text}`), {
      bytes: data,
      name: 'n',
      type: BINARY,
    });
  });

  it('writes BLOBs that API v2 reads through their owner record', async () => {
    const ws = await s.shop();
    const r = await send('POST', `${blobV1(ws)}${q({ name: 'v1.bin', mimeType: BINARY })}`, {
      body: FIVE,
    });
    const blobId = Number(r.text);
    assert.deepEqual((await s.t.engine.structs.getRecord(ws, blobId))?.fields, { status: 2 });
    const ownerId = await attach(ws, { Scan: blobId });
    const read = await send('GET', `${v2(ws)}/docs/tst.Attachment/${ownerId}/blobs/Scan`);
    assertBlob(read, { bytes: FIVE, name: 'v1.bin', type: BINARY });
  });

  it('maps a pseudo WSID to its application workspace', async () => {
    const pseudo = 2 ** 47 + 1;
    const r = await send('POST', `${blobV1(pseudo)}${q({ name: 'app', mimeType: BINARY })}`, {
      body: FIVE,
    });
    assert.equal(r.status, 200, r.text);
    assertBlob(await send('GET', `${blobV1(pseudo)}/${r.text}`), {
      bytes: FIVE,
      name: 'app',
      type: BINARY,
    });
  });

  it('answers the reference 400s on the query and Content-Type (sysErr1)', async () => {
    const ws = await s.shop();
    const cases: [string, Record<string, string>, string][] = [
      ['', {}, 'neither "name"+"mimeType" query params nor Content-Type header is not provided'],
      [q({ name: 'n' }), {}, 'both name and mimeType query params must be specified'],
      [q({ mimeType: 'm' }), {}, 'both name and mimeType query params must be specified'],
      [
        '',
        { 'Content-Type': 'application/x-www-form-urlencoded' },
        'name+mimeType query params are not provided -> Content-Type must be mutipart/form-data but actual is application/x-www-form-urlencoded',
      ],
      [
        q({ name: 'n', mimeType: BINARY }),
        { 'Content-Type': 'multipart/form-data' },
        'name+mimeType query params and "multipart/form-data" Content-Type header are mutual exclusive',
      ],
      [
        '',
        { 'Content-Type': 'multipart/form-data' },
        'boundary of multipart/form-data is not specified',
      ],
      [
        q({ name: 'n', mimeType: BINARY, ttl: '2d' }),
        {},
        '"1d" is only supported for now for temporary blob ttl',
      ],
      [
        q({ name: 'n', mimeType: BINARY }),
        { 'Content-Type': 'a b' },
        'failed to parse Content-Type header: mime: expected slash after first token',
      ],
    ];
    for (const [query, headers, message] of cases) {
      const r = await send('POST', `${blobV1(ws)}${query}`, { body: FIVE, headers });
      assert.deepEqual(
        { status: r.status, json: r.json },
        { status: 400, json: sysErr1(400, message) },
        `${query} ${JSON.stringify(headers)}`,
      );
    }
  });

  it('answers 404 for unknown IDs and SUUIDs', async () => {
    const ws = await s.shop();
    for (const id of ['1', String(FIRST_ID), 'x'.repeat(43)]) {
      const r = await send('GET', `${blobV1(ws)}/${id}`);
      assert.deepEqual(
        { status: r.status, json: r.json },
        {
          status: 404,
          json: sysErr1(404, 'BLOB not found'),
        },
      );
    }
  });
});

describe('BLOB size limit', () => {
  it('answers 413 on v1 and v2 and keeps nothing readable', async () => {
    const ws = await s.shop();
    const big = new Uint8Array(MAX + 1);
    const v1r = await send('POST', `${blobV1(ws)}?name=big&mimeType=${BINARY}`, { body: big });
    assert.deepEqual(
      { status: v1r.status, json: v1r.json },
      { status: 413, json: sysErr1(413, `BLOB size quote exceeded (max ${MAX} allowed)`) },
    );
    // The upload booked the workspace's first record ID for its sys.BLOB record.
    assert.deepEqual((await s.t.engine.structs.getRecord(ws, FIRST_ID))?.fields, { status: 0 });
    const read = await send('GET', `${blobV1(ws)}/${FIRST_ID}`);
    assert.equal(read.status, 404);

    const v2r = await send('POST', `${v2(ws)}/tblobs`, {
      body: big,
      headers: { 'Content-Type': BINARY, TTL: '1d' },
    });
    assert.deepEqual(
      { status: v2r.status, json: v2r.json },
      { status: 413, json: err2(413, `BLOB size quote exceeded (max ${MAX} allowed)`) },
    );
  });

  it('answers 413 early for a body far over the limit, and the server goes on', async () => {
    const ws = await s.shop();
    const r = await send('POST', `${blobV1(ws)}?name=huge&mimeType=${BINARY}`, {
      body: new Uint8Array(8 * 1024 * 1024),
    });
    assert.equal(r.status, 413);
    assert.equal((await uploadV2(ws, FIVE)) > 0, true);
  });

  it('takes a BLOB of exactly the limit', async () => {
    const ws = await s.shop();
    const data = new Uint8Array(randomBytes(MAX));
    const blobId = await uploadV2(ws, data);
    const ownerId = await attach(ws, { Photo: blobId });
    assertBlob(await send('GET', `${v2(ws)}/docs/tst.Attachment/${ownerId}/blobs/Photo`), {
      bytes: data,
      name: 'test',
      type: BINARY,
    });
  });
});

describe('BLOB routes', () => {
  it('answer OPTIONS with 200, other methods with 405, and carry CORS headers', async () => {
    const ws = await s.shop();
    const options = await send('OPTIONS', `${blobV1(ws)}/1`);
    assert.equal(options.status, 200);
    assert.equal(options.headers.get('access-control-allow-origin'), '*');
    const put = await send('PUT', `${v2(ws)}/tblobs`);
    assert.equal(put.status, 405);
  });

  it('refuse a malformed Authorization header with 401', async () => {
    const ws = await s.shop();
    const r = await send('POST', `${v2(ws)}/tblobs`, {
      body: FIVE,
      headers: { 'Content-Type': BINARY, TTL: '1d', Authorization: 'Weird token' },
    });
    assert.equal(r.status, 401, r.text);
  });
});
