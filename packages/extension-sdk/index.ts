// AssemblyScript resolves `import … from '@voedger-ts/extension-sdk'` to this file (it looks for
// `index.ts` at the package's root).
export * from './assembly/index';
