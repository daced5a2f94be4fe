import run from './engine.js';

await run(['--backend=lmdb', '--seconds=4', '--quick']);
