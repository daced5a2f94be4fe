import type { FieldValues, RecordRow } from '../../structs/index.js';

/** A record to create, as the request or the extension gave it, before IDs are assigned. */
export interface CreateDraft {
  readonly qname: string;
  readonly rawId: number;
  /** A raw ID of this event, a stored record's ID, or 0 for a document. */
  readonly parentId: number;
  readonly container: string;
  readonly fields: FieldValues;
  readonly isActive: boolean;
  /** Where the draft came from, for error messages: `cuds[0]`, `intents`. */
  readonly where: string;
}

/** A change to a stored record; `existing` is the record before it. */
export interface UpdateDraft {
  readonly existing: RecordRow;
  readonly fields: FieldValues;
  readonly isActive: boolean | undefined;
  readonly where: string;
}

/** An argument object before IDs are assigned (ODoc and ORecords carry raw IDs). */
export interface ArgDraft {
  readonly qname: string;
  readonly rawId: number;
  readonly container: string;
  readonly fields: FieldValues;
  readonly children: readonly ArgDraft[];
}
