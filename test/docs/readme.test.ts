/** The README's code comes from examples that run here, so it cannot drift from the code. */
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { describe, it } from 'node:test';
import { quickstart } from '../../examples/storage/quickstart.js';

const root = new URL('../../', import.meta.url);

function region(file: string, name: string): string {
  const text = readFileSync(new URL(file, root), 'utf8');
  const match = text.match(new RegExp(`// #region ${name}\\n([\\s\\S]*?)\\n\\s*// #endregion`));
  assert.ok(match, `${file} has no region ${name}`);
  const lines = (match[1] as string).split('\n');
  const indent = Math.min(...lines.filter((l) => l.trim()).map((l) => l.search(/\S/)));
  return lines.map((l) => l.slice(indent)).join('\n');
}

describe('README', () => {
  it('shows the storage quickstart example as it is', () => {
    const readme = readFileSync(new URL('README.md', root), 'utf8');
    assert.ok(
      readme.includes(region('examples/storage/quickstart.ts', 'quickstart')),
      'README.md no longer matches examples/storage/quickstart.ts: copy the region again',
    );
  });

  it('storage quickstart example runs and reads the range it describes', async () => {
    assert.deepEqual(await quickstart('lmdb'), ['soup', 'tea']);
    assert.deepEqual(await quickstart('mem'), ['soup', 'tea']);
  });
});
