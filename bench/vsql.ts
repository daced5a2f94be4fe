// Measures VSQL parse + analyse throughput (lines/s) on the corpus and on a generated 20,000-line
// application, then the whole compile (with the AppDef build), beside a lexer-only baseline from the
// same run. Target: >= 100,000 lines/s for parse + analyse. Each application is compiled with the
// built-in sys package, whose lines count too (about 1,000, a third of them comments).
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import {
  analyseApp,
  builtinSysPackage,
  compileSources,
  type PackageSource,
} from '../src/schema/index.js';
import { tokenize } from '../src/schema/parser/index.js';

const corpusRoot = resolve(dirname(fileURLToPath(import.meta.url)), '../../shared/corpus/vsql');

function lines(sources: readonly PackageSource[]): number {
  return sources.reduce(
    (n, p) => n + p.files.reduce((m, f) => m + f.text.split('\n').length, 0),
    0,
  );
}

/** A single-package application of about `target` lines: workspaces of tables, views, commands, grants. */
export function generatedApp(target: number): PackageSource {
  const out: string[] = [
    'APPLICATION bench();',
    'ABSTRACT WORKSPACE BaseWS (',
    '  ROLE Reader;',
    ');',
  ];
  let ws = 0;
  while (out.length < target) {
    ws++;
    out.push(`WORKSPACE W${ws} INHERITS BaseWS (`);
    out.push(`  TAG BenchTag${ws};`);
    for (let t = 0; t < 20; t++) {
      const n = `T${ws}_${t}`;
      out.push(`  TABLE ${n} INHERITS sys.CDoc (`);
      out.push('    Name varchar(100) NOT NULL,');
      out.push('    Amount int64,');
      out.push('    Price currency,');
      out.push(`    Ref1 ref(T${ws}_0),`);
      out.push(`    Items TABLE ${n}Item (`);
      out.push('      Qty int32 NOT NULL,');
      out.push('      Note text');
      out.push('    ),');
      out.push('    UNIQUE(Name)');
      out.push(`  ) WITH Tags=(BenchTag${ws});`);
      out.push(`  GRANT SELECT ON TABLE ${n} TO Reader;`);
    }
    out.push(`  TYPE P${ws} (Id int64 NOT NULL, Comment varchar(255));`);
    out.push(`  VIEW V${ws} (`);
    out.push('    Part int32, Clust int64, Val varchar,');
    out.push('    PRIMARY KEY((Part), Clust)');
    out.push(`  ) AS RESULT OF Prj${ws};`);
    out.push('  EXTENSION ENGINE BUILTIN (');
    out.push(`    COMMAND Cmd${ws}(P${ws}) RETURNS P${ws};`);
    out.push(`    QUERY Q${ws}(P${ws}) RETURNS P${ws};`);
    out.push(`    PROJECTOR Prj${ws} AFTER EXECUTE ON Cmd${ws} INTENTS(sys.View(V${ws}));`);
    out.push(
      `    SYNC PROJECTOR SPrj${ws} AFTER INSERT OR UPDATE ON (T${ws}_1, T${ws}_2) STATE(sys.Record(T${ws}_1));`,
    );
    out.push('  );');
    out.push(`  GRANT EXECUTE ON COMMAND Cmd${ws} TO Reader;`);
    out.push(`  RATE R${ws} 100 PER MINUTE PER IP;`);
    out.push(`  LIMIT L${ws} ON COMMAND Cmd${ws} WITH RATE R${ws};`);
    out.push(');');
  }
  return { path: 'example.com/bench', files: [{ name: 'bench.vsql', text: out.join('\n') }] };
}

function corpusApps(): PackageSource[][] {
  if (!existsSync(corpusRoot)) return [];
  const pkg = (file: string, path: string): PackageSource => ({
    path,
    files: [
      { name: file.split('/').pop() ?? file, text: readFileSync(join(corpusRoot, file), 'utf8') },
    ],
  });
  const vit = readdirSync(join(corpusRoot, 'pkg/vit')).map((f) => [
    pkg(`pkg/vit/${f}`, 'example.com/vit'),
  ]);
  return [
    ...vit,
    [
      pkg('pkg/vvm/builtin/registryapp/schema.vsql', 'registryapp'),
      pkg('pkg/registry/appws.vsql', 'github.com/voedger/voedger/pkg/registry'),
    ],
  ];
}

function measure(label: string, apps: readonly PackageSource[][], rounds: number): void {
  const sys = builtinSysPackage();
  const total = apps.reduce((n, a) => n + lines([sys, ...a]), 0);
  for (const a of apps) analyseApp([sys, ...a]); // warm-up
  let lexMs = 0;
  let analyseMs = 0;
  let compileMs = 0;
  for (let r = 0; r < rounds; r++) {
    const t0 = performance.now();
    for (const a of apps) for (const p of [sys, ...a]) for (const f of p.files) tokenize(f.text);
    const t1 = performance.now();
    for (const a of apps) {
      const res = analyseApp([sys, ...a]);
      if (res.errors.length > 0) throw new Error(`${label}: ${res.errors[0]?.message}`);
    }
    const t2 = performance.now();
    for (const a of apps) {
      const res = compileSources([sys, ...a]);
      if (res.errors.length > 0) throw new Error(`${label}: ${res.errors[0]?.message}`);
    }
    const t3 = performance.now();
    lexMs += t1 - t0;
    analyseMs += t2 - t1;
    compileMs += t3 - t2;
  }
  const rate = (ms: number): string =>
    Math.round((total * rounds) / (ms / 1000)).toLocaleString('en-US');
  console.log(
    `vsql ${label}: ${total} lines x ${rounds}: parse+analyse ${rate(analyseMs)} lines/s, ` +
      `with AppDef build ${rate(compileMs)} lines/s (baseline lexer only ${rate(lexMs)} lines/s)`,
  );
}

export default async function run(): Promise<void> {
  const corpus = corpusApps();
  if (corpus.length > 0) measure('corpus', corpus, 5);
  else console.log('vsql corpus: skipped (../shared/corpus not found)');
  measure('generated 20k-line app', [[generatedApp(20_000)]], 3);
}

if (process.argv[1] !== undefined && resolve(process.argv[1]) === fileURLToPath(import.meta.url)) {
  await run();
}
