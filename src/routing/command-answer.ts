// The answer to a command (http-api.md §2.1, §2.3): v1 spells its keys in PascalCase, v2 in
// camelCase; NewIDs and Result appear only when there is something in them.
import type { CommandResult } from '../processors/index.js';

const base64 = (v: Uint8Array) =>
  Buffer.from(v.buffer, v.byteOffset, v.byteLength).toString('base64');

function resultJson(fields: Readonly<Record<string, unknown>>): Record<string, unknown> {
  const out: Record<string, unknown> = {};
  for (const [k, v] of Object.entries(fields)) out[k] = v instanceof Uint8Array ? base64(v) : v;
  return out;
}

export function commandAnswerV1(r: CommandResult): Record<string, unknown> {
  const out: Record<string, unknown> = { CurrentWLogOffset: r.currentWLogOffset };
  if (Object.keys(r.newIds).length > 0) out.NewIDs = r.newIds;
  if (r.result !== undefined) out.Result = resultJson(r.result);
  return out;
}

export function commandAnswerV2(r: CommandResult): Record<string, unknown> {
  const out: Record<string, unknown> = { currentWLogOffset: r.currentWLogOffset };
  if (Object.keys(r.newIds).length > 0) out.newIDs = r.newIds;
  if (r.result !== undefined) out.result = resultJson(r.result);
  return out;
}
