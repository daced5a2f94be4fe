import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { type Engine, ProcessorError } from '../../processors/index.js';
import { compileApp } from '../../schema/index.js';
import { MemStorageProvider } from '../../storage/index.js';
import { BlobTooLargeError, type StoredBlob } from '../../structs/index.js';
import {
  authorizeBlobDownload,
  blobIdOfOwner,
  checkBlobOwnerField,
  deployApp,
  openPersistentBlob,
  openTemporaryBlob,
  uploadPersistentBlob,
  uploadTemporaryBlob,
} from '../index.js';

const VSQL = `APPLICATION b();
WORKSPACE W (
  DESCRIPTOR WD ();
  TABLE Doc INHERITS sys.CDoc (Photo blob, Scan blob, Pages int32, Link ref);
  TABLE Other INHERITS sys.CDoc (Image blob);
  TABLE Receipt INHERITS sys.ODoc (Copy blob);
  TYPE AttachParams (Blob ref);
  EXTENSION ENGINE BUILTIN (
    COMMAND MakeReceipt(Receipt);
    COMMAND Attach(AttachParams);
  );
);`;

const WSID = 140737488486431;

async function* once(bytes: Uint8Array) {
  yield bytes;
}

async function readAll(blob: StoredBlob): Promise<Uint8Array> {
  const parts: Uint8Array[] = [];
  for await (const c of blob.content) parts.push(c);
  return new Uint8Array(Buffer.concat(parts));
}

async function rejectsWith(p: Promise<unknown>, status: number, message: string | RegExp) {
  await assert.rejects(p, (e: unknown) => {
    assert.ok(e instanceof ProcessorError, `a ProcessorError, got ${String(e)}`);
    assert.equal(e.status, status, e.message);
    if (typeof message === 'string') assert.equal(e.message, message);
    else assert.match(e.message, message);
    return true;
  });
}

describe('sys BLOB functions and ownership', () => {
  let engine: Engine;
  const content = new Uint8Array([1, 2, 3, 4, 5]);
  const upload = (bytes = content, name = 'photo.png') => ({
    name,
    contentType: 'image/png',
    content: once(bytes),
    maxSize: 100,
  });
  const forPhoto = { record: 'b.Doc', field: 'Photo' };
  const insert = (fields: Record<string, unknown>, qname = 'b.Doc', rawId = 1) => ({
    fields: { 'sys.ID': rawId, 'sys.QName': qname, ...fields },
  });
  const cud = (...cuds: unknown[]) => engine.command({ wsid: WSID, command: 'sys.CUD', cuds });
  const blobRecord = async (id: number) => {
    const r = await engine.structs.getRecord(WSID, id);
    assert.ok(r !== undefined && r.qname === 'sys.BLOB');
    return r.fields;
  };

  before(async () => {
    const app = compileApp([{ path: 'x/b', files: [{ name: 'b.vsql', text: VSQL }] }]).appDef;
    assert.ok(app);
    engine = await deployApp({
      app,
      appQName: 'test/b',
      storage: await new MemStorageProvider().open('b'),
      extensions: {
        commands: {
          'b.MakeReceipt': () => {},
          'b.Attach': (ctx) => {
            ctx.records.insert('b.Doc', { Photo: ctx.args?.Blob as number });
          },
        },
      },
      partitions: 1,
      appWorkspaces: 1,
    });
    await engine.createWorkspace({ wsid: WSID, kind: 'b.W', name: 'w' });
  });

  after(() => engine.stop());

  it('stores a persistent BLOB under a new sys.BLOB record, completed, for its owner field', async () => {
    const blobId = await uploadPersistentBlob(engine, WSID, upload(), forPhoto);
    assert.deepEqual(await blobRecord(blobId), {
      status: 2,
      OwnerRecord: 'b.Doc',
      OwnerRecordField: 'Photo',
    });
    const blob = await openPersistentBlob(engine, WSID, blobId);
    assert.deepEqual(
      { name: blob.state.name, contentType: blob.state.contentType, size: blob.state.size },
      { name: 'photo.png', contentType: 'image/png', size: 5 },
    );
    assert.deepEqual(await readAll(blob), content);
  });

  it('makes the record that takes a BLOB its owner, and reads it back through that record', async () => {
    const blobId = await uploadPersistentBlob(engine, WSID, upload(), forPhoto);
    const r = await cud(insert({ Photo: blobId, Pages: 3 }));
    const ownerId = r.newIds['1'];
    assert.equal((await blobRecord(blobId)).OwnerRecordID, ownerId);
    assert.ok(ownerId !== undefined);
    assert.equal(await blobIdOfOwner(engine, WSID, { ...forPhoto, id: ownerId }), blobId);
  });

  it('refuses a BLOB in another table or field, twice in one request, or owned already (403)', async () => {
    const blobId = await uploadPersistentBlob(engine, WSID, upload(), forPhoto);
    await rejectsWith(
      cud(insert({ Image: blobId }, 'b.Other')),
      403,
      `BLOB ID ${blobId} is intended for b.Doc.Photo whereas it is being used in b.Other.Image`,
    );
    await rejectsWith(
      cud(insert({ Scan: blobId })),
      403,
      `BLOB ID ${blobId} is intended for b.Doc.Photo whereas it is being used in b.Doc.Scan`,
    );
    await rejectsWith(
      cud(insert({ Photo: blobId }, 'b.Doc', 1), insert({ Photo: blobId }, 'b.Doc', 2)),
      403,
      `BLOB ID ${blobId} mentioned in CUD b.Doc.Photo is used already in CUD b.Doc.1`,
    );
    assert.equal((await blobRecord(blobId)).OwnerRecordID, undefined, 'still free');
    const ownerId = (await cud(insert({ Photo: blobId }))).newIds['1'];
    await rejectsWith(
      cud(insert({ Photo: blobId })),
      403,
      `BLOB ID ${blobId} mentioned in CUD b.Doc.Photo is used already in b.Doc.${ownerId}.Photo`,
    );
    await rejectsWith(
      cud({ 'sys.ID': ownerId, fields: { Photo: blobId } }),
      403,
      /is used already in b\.Doc\./,
    );
  });

  it('does not check a BLOB of API v1 (no owner field), but owns it to its first record', async () => {
    const blobId = await uploadPersistentBlob(engine, WSID, upload());
    assert.deepEqual(await blobRecord(blobId), { status: 2 });
    const r = await cud(insert({ Image: blobId }, 'b.Other'));
    assert.equal((await blobRecord(blobId)).OwnerRecordID, r.newIds['1']);
    // The reference skips v1 BLOBs entirely, so another record may take it too.
    await cud(insert({ Scan: blobId }));
  });

  it('owns a BLOB put by a command intent too', async () => {
    const blobId = await uploadPersistentBlob(engine, WSID, upload(), forPhoto);
    const r = await engine.command({ wsid: WSID, command: 'b.Attach', args: { Blob: blobId } });
    assert.equal((await blobRecord(blobId)).OwnerRecordID, r.newIds['1']);
  });

  it('reads a BLOB an ODoc argument holds (ODocs are not CUDs: the owner is not set)', async () => {
    const blobId = await uploadPersistentBlob(engine, WSID, upload(), {
      record: 'b.Receipt',
      field: 'Copy',
    });
    const r = await engine.command({
      wsid: WSID,
      command: 'b.MakeReceipt',
      args: { 'sys.ID': 1, Copy: blobId },
    });
    const receiptId = r.newIds['1'];
    assert.ok(receiptId !== undefined);
    assert.equal(
      await blobIdOfOwner(engine, WSID, { record: 'b.Receipt', field: 'Copy', id: receiptId }),
      blobId,
    );
    assert.equal((await blobRecord(blobId)).OwnerRecordID, undefined);
  });

  it('keeps nothing readable of a BLOB over the limit; its record stays unknown', async () => {
    const before = await engine.command({ wsid: WSID, command: 'sys.UploadBLOBHelper' });
    const next = (before.newIds['1'] ?? 0) + 1;
    await assert.rejects(
      uploadPersistentBlob(engine, WSID, { ...upload(new Uint8Array(101)) }, forPhoto),
      BlobTooLargeError,
    );
    assert.equal((await blobRecord(next)).status, 0);
    await rejectsWith(openPersistentBlob(engine, WSID, next), 404, 'BLOB not found');
  });

  it('stores temporary BLOBs under a SUUID, with no record', async () => {
    const suuid = await uploadTemporaryBlob(engine, WSID, upload(content, 'tmp'), '1d');
    assert.match(suuid, /^[A-Za-z0-9_-]{43}$/);
    const blob = await openTemporaryBlob(engine, WSID, suuid);
    assert.equal(blob.state.ttlSeconds, 86400);
    assert.deepEqual(await readAll(blob), content);
    await rejectsWith(openTemporaryBlob(engine, WSID, 'x'.repeat(43)), 404, 'BLOB not found');
    await rejectsWith(openTemporaryBlob(engine, WSID, 'not a suuid!'), 404, 'BLOB not found');
    await rejectsWith(openTemporaryBlob(engine, WSID + 1, suuid), 404, 'BLOB not found');
  });

  it('checks the owner table and field of an upload with the reference messages (400)', () => {
    const check = (record: string, field: string) => () =>
      checkBlobOwnerField(engine.app, { record, field });
    const is400 = (message: string) => (e: unknown) =>
      e instanceof ProcessorError && e.status === 400 && e.message === message;
    assert.throws(check('unknown.doc', 'F'), is400('blob owner QName unknown.doc is unknown'));
    assert.throws(
      check('b.Doc', 'someField'),
      is400('blob owner field someField does not exist in blob owner b.Doc'),
    );
    assert.throws(check('b.Doc', 'Pages'), is400('blob owner b.Doc.Pages must be of blob type'));
    check('b.Doc', 'Photo')();
    check('b.Doc', 'Link')(); // as in the reference, any ID field passes
  });

  it('finds the BLOB of an owner record with the reference answers', async () => {
    const id = (await cud(insert({ Pages: 1 }))).newIds['1'] ?? 0;
    await rejectsWith(
      blobIdOfOwner(engine, WSID, { record: 'unknown.doc', field: 'Photo', id }),
      400,
      'document or record unknown.doc is not defined in Workspace «b.W»',
    );
    await rejectsWith(
      blobIdOfOwner(engine, WSID, { record: 'b.Doc', field: 'Photo', id: 1 }),
      404,
      'document b.Doc with ID 1 not found',
    );
    await rejectsWith(
      blobIdOfOwner(engine, WSID, { record: 'b.Doc', field: 'Photo', id }),
      400,
      'no value for owner field Photo in blob owner doc b.Doc',
    );
    await rejectsWith(
      blobIdOfOwner(engine, WSID, { record: 'b.Doc', field: 'Pages', id }),
      400,
      'owner field b.Doc.Pages is not of blob type',
    );
  });

  it('runs q.sys.DownloadBLOBAuthnz in the workspace', async () => {
    await authorizeBlobDownload(engine, WSID);
    await rejectsWith(authorizeBlobDownload(engine, WSID + 1), 403, 'workspace is not initialized');
  });
});
