// The typed shapes of what the platform stores: records, events and view rows.

/** Field name -> value: numbers (all integer kinds, floats, RecordIDs), strings (text, QNames), booleans, Uint8Array (bytes). */
export type FieldValues = Readonly<Record<string, unknown>>;

/** A C/W record (document or nested record) as stored, or an O record inside an event. */
export interface RecordRow {
  readonly qname: string;
  readonly id: number;
  /** The parent record's ID; 0 for a document. */
  readonly parentId: number;
  /** The container the record sits in under its parent; '' for a document. */
  readonly container: string;
  readonly isActive: boolean;
  /** The user fields that have a value. */
  readonly fields: FieldValues;
}

/** An argument object: a command's parameter, with its nested objects (an ODoc and its ORecords). */
export interface ObjectNode {
  readonly qname: string;
  /** Storage ID for ODoc/ORecord arguments, 0 for plain objects. */
  readonly id: number;
  readonly parentId: number;
  readonly container: string;
  readonly fields: FieldValues;
  readonly children: readonly ObjectNode[];
}

/** A change to an existing record: only the changed fields; a null value clears the field. */
export interface RecordUpdate {
  readonly qname: string;
  readonly id: number;
  readonly fields: FieldValues;
  /** Set when the update activates or deactivates the record. */
  readonly isActive: boolean | undefined;
}

export interface EventError {
  readonly message: string;
  /** The QName the failed request named (the event's own QName is sys.Error). */
  readonly originalQName: string;
}

/** One event, as the partition log and the workspace log store it. */
export interface DbEvent {
  readonly qname: string;
  readonly partition: number;
  readonly plogOffset: number;
  readonly wsid: number;
  readonly wlogOffset: number;
  /** Milliseconds since the epoch. */
  readonly registeredAt: number;
  readonly synced: boolean;
  readonly deviceId: number;
  readonly syncedAt: number;
  readonly error: EventError | null;
  readonly argument: ObjectNode | null;
  /** The unlogged argument with every value replaced by "*". */
  readonly unlogged: ObjectNode | null;
  readonly creates: readonly RecordRow[];
  readonly updates: readonly RecordUpdate[];
}

/** A view row: key and value fields by name. */
export type ViewRow = FieldValues;
