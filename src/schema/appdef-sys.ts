// What the reference's AppDef has in sys.Workspace before any VSQL is read (pkg/appdef/sys): one data type
// per data kind, the workspace's descriptor CDoc `sys.sysWS`, and two views the engine itself writes:
// `sys.projectionOffsets` (projector offsets) and `sys.NextBaseWSID` (the next child workspace ID).
// None of them is declared in sys.vsql.
import type { DataDef, DataKind, FieldDef, StructureDef, TypeDef, ViewDef } from './appdef.js';

export const SYS_PACKAGE_PATH = 'voedger.com/packages/sys';
export const SYS_WORKSPACE = 'sys.Workspace';
export const SYS_WS_DESCRIPTOR = 'sys.sysWS';

/** Every data kind but null, in the reference's order; each has a system data type `sys.<kind>`. */
export const sysDataKinds: readonly DataKind[] = [
  'int8',
  'int16',
  'int32',
  'int64',
  'float32',
  'float64',
  'bytes',
  'string',
  'QName',
  'bool',
  'RecordID',
  'Record',
  'Event',
];

function field(name: string, data: DataKind, required: boolean, system = false): FieldDef {
  return {
    name,
    data,
    required,
    system,
    verifiable: false,
    refs: [],
    maxLen: null,
    pattern: null,
    comment: [],
  };
}

const base = (name: string) => ({ name, workspace: SYS_WORKSPACE, comment: [], tags: [] });

/** A view with one partition key field (required), one clustering column (not required) and one value field. */
function view(name: string, partition: FieldDef, clustering: FieldDef, value: FieldDef): ViewDef {
  return {
    kind: 'ViewRecord',
    ...base(name),
    partitionKey: [partition],
    clusteringColumns: [clustering],
    value: [field('sys.QName', 'QName', true, true), value],
  };
}

/** The types the AppDef adds to sys.Workspace implicitly. */
export function implicitSysTypes(): TypeDef[] {
  const datas: DataDef[] = sysDataKinds.map((k) => ({
    kind: 'Data',
    ...base(`sys.${k}`),
    dataKind: k,
    ancestor: null,
  }));
  const descriptor: StructureDef = {
    kind: 'CDoc',
    ...base(SYS_WS_DESCRIPTOR),
    abstract: false,
    singleton: false,
    fields: [
      field('sys.QName', 'QName', true, true),
      field('sys.ID', 'RecordID', true, true),
      field('sys.IsActive', 'bool', false, true),
    ],
    containers: [],
    uniques: [],
    uniqueField: null,
  };
  return [
    ...datas,
    descriptor,
    view(
      'sys.projectionOffsets',
      field('partition', 'int32', true),
      field('projector', 'QName', false),
      field('offset', 'int64', true),
    ),
    view(
      'sys.NextBaseWSID',
      field('dummy1', 'int32', true),
      field('dummy2', 'int32', false),
      field('NextBaseWSID', 'int64', true),
    ),
  ];
}
