// Numbers the reference platform fixes (pkg/istructs/consts.go). Stored data and clients depend on
// them, so they are the same here.

/** Client-side temporary IDs: a command refers to the records it creates by these. */
export const MIN_RAW_ID = 1;
export const MAX_RAW_ID = 65535;
/** A singleton has the same ID in every workspace, from this range. */
export const FIRST_SINGLETON_ID = 65536;
export const MAX_SINGLETON_ID = 66047;
/** The first ID a workspace gives its records; one counter serves every record kind. */
export const FIRST_RECORD_ID = 200001;
/** The first PLog and WLog offset. */
export const FIRST_OFFSET = 1;

/** QName IDs the reference hard-codes; application QNames are numbered from 256. */
export const QNAME_ID_ERROR = 1;
export const QNAME_ID_CUD = 2;
export const QNAME_ID_CORRUPTED = 3;
export const FIRST_USER_QNAME_ID = 256;
/** Container name IDs; the empty name (a document, not nested) is 0. */
export const FIRST_USER_CONTAINER_ID = 64;

export const QNAME_ERROR = 'sys.Error';
export const QNAME_CUD = 'sys.CUD';
export const QNAME_CORRUPTED = 'sys.Corrupted';

/** The first base WSID given to a user workspace; smaller ones are pseudo and app workspaces. */
export const FIRST_BASE_USER_WSID = 131071;
export const FIRST_APP_WSID_BASE = 65536;
/** Base WSIDs take the low 47 bits; the cluster ID sits above them. */
export const CLUSTER_ID_SHIFT = 2 ** 47;
export const MAIN_CLUSTER_ID = 1;

export function isRawId(id: number): boolean {
  return id >= MIN_RAW_ID && id <= MAX_RAW_ID;
}

/** A WSID from a cluster ID and a base WSID. */
export function newWsid(clusterId: number, baseWsid: number): number {
  return clusterId * CLUSTER_ID_SHIFT + baseWsid;
}

export function baseWsidOf(wsid: number): number {
  return wsid % CLUSTER_ID_SHIFT;
}
