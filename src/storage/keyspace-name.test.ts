import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { keyspaceOf } from './keyspace-name.js';
import { KEYSPACE_NAME_PATTERN } from './limits.js';

describe('keyspaceOf', () => {
  it('keeps simple application names readable', () => {
    assert.equal(keyspaceOf('test1/app1'), 'test1_app1');
    assert.equal(keyspaceOf('sys/registry'), 'sys_registry');
  });

  it('gives names that had to change a hash suffix, so they never collide', () => {
    const names = [
      'a_b/c',
      'a/b_c',
      'A/b',
      'a/B',
      '1x/app',
      'untill/air-bp',
      `long/${'x'.repeat(60)}`,
    ];
    const keyspaces = names.map(keyspaceOf);
    assert.equal(new Set(keyspaces).size, names.length);
    for (const keyspace of keyspaces) assert.match(keyspace, KEYSPACE_NAME_PATTERN);
    assert.match(keyspaceOf('untill/air-bp'), /^untill_air_bp_[0-9a-f]{8}$/);
  });

  it('is stable: the same application always maps to the same keyspace', () => {
    assert.equal(keyspaceOf('Owner/App'), keyspaceOf('Owner/App'));
  });
});
