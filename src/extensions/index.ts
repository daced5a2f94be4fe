// The extensions context: the authoring interface and state of built-in extensions.
export * from './context.js';
export { appendChild, argObjectOf, recordValue } from './record-value.js';
