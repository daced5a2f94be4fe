import { EmbeddedActionsParser, EOF, type IToken, type TokenType } from 'chevrotain';
import {
  type AlterWorkspaceStmt,
  type ApplicationStmt,
  type ArgNode,
  type DataTypeNode,
  type DeclareStmt,
  type DefQName,
  type DescriptorStmt,
  type EngineKind,
  type Expr,
  type ExtensionStmt,
  type FieldType,
  type FileAst,
  type FunctionStmt,
  type GrantColumn,
  type GrantStmt,
  type GrantTableAction,
  type GrantTarget,
  type Ident as IdentNode,
  type ImportStmt,
  type LimitStmt,
  type LimitTargetKind,
  node,
  type OperationName,
  type Pos,
  type RateStmt,
  type RateUnit,
  type RoleStmt,
  type RootStatement,
  type StateStorageNode,
  type StorageOpName,
  type StorageScopeName,
  type StorageStmt,
  type TableActionName,
  type TableItem,
  type TableOpName,
  type TableStmt,
  type TagStmt,
  type TemplateStmt,
  type TriggerNode,
  type TypeStmt,
  type UseWorkspaceStmt,
  type ViewItem,
  type ViewStmt,
  type WithItem,
  type WorkspaceStatement,
  type WorkspaceStmt,
  type WsExtEngineStmt,
} from './ast.js';
import { errorAt, type SchemaError } from './errors.js';
import {
  allTokenTypes,
  Comma,
  CompareOp,
  DEFAULTNEXTVAL,
  Dot,
  docComment,
  EXECUTE,
  EXTENSIONENGINE,
  FloatLit,
  Ident,
  IntLit,
  KW,
  LParen,
  Minus,
  MulOp,
  NOTNULL,
  ONALLCOMMANDS,
  ONALLQUERIES,
  ONALLTABLES,
  ONALLVIEWS,
  ONCOMMAND,
  ONQUERY,
  ONTABLE,
  ONVIEW,
  Plus,
  PRIMARYKEY,
  RParen,
  SELECT,
  Semi,
  StringLit,
  TABLE,
  tokenize,
  UNLOGGED,
  WITHTAG,
} from './lexer.js';

const unquoteIdent = (image: string): string =>
  image.charCodeAt(0) === 34 ? image.slice(1, -1) : image;

// Single-quoted VSQL strings: only \' is an escape, like the reference's unquoting of its String token.
const unquoteString = (image: string): string => image.slice(1, -1).replace(/\\'/g, "'");

const is = (t: IToken, type: TokenType): boolean =>
  t.tokenTypeIdx === type.tokenTypeIdx ||
  (type.categoryMatchesMap?.[t.tokenTypeIdx] ?? false) === true;

const tableOps: readonly TableOpName[] = ['SELECT', 'INSERT', 'UPDATE', 'ACTIVATE', 'DEACTIVATE'];

class VsqlParser extends EmbeddedActionsParser {
  fileName = '';
  text = '';
  private tokenStarts: IToken[] = [];

  constructor() {
    super(allTokenTypes as TokenType[], {
      maxLookahead: 4,
      recoveryEnabled: false,
      skipValidations: true,
    });
    this.performSelfAnalysis();
  }

  load(fileName: string, text: string, tokens: IToken[]): void {
    this.fileName = fileName;
    this.text = text;
    this.tokenStarts = tokens;
    this.input = tokens;
  }

  private pos(t: IToken): Pos {
    return node({ file: this.fileName, line: t.startLine ?? 0, col: t.startColumn ?? 0 });
  }

  /** The doc comment of the statement that starts at token `t`. */
  private doc(t: IToken): readonly string[] {
    const toks = this.tokenStarts;
    let lo = 0;
    let hi = toks.length - 1;
    let idx = -1;
    while (lo <= hi) {
      const mid = (lo + hi) >> 1;
      const m = toks[mid] as IToken;
      if (m.startOffset === t.startOffset) {
        idx = mid;
        break;
      }
      if (m.startOffset < t.startOffset) lo = mid + 1;
      else hi = mid - 1;
    }
    const prev = idx > 0 ? (toks[idx - 1] as IToken) : undefined;
    const from = prev === undefined ? 0 : (prev.endOffset ?? prev.startOffset) + 1;
    return docComment(this.text, from, t.startOffset);
  }

  /** Returns `value` once a keyword was consumed (keeps alternatives one expression long). */
  private val<T>(_consumed: IToken, value: T): T {
    return value;
  }

  private ident(t: IToken): IdentNode {
    return node({ value: unquoteIdent(t.image), pos: this.pos(t) });
  }

  // ---- helpers shared by many rules ----

  public qname = this.RULE('qname', (): DefQName => {
    const first = this.CONSUME1(Ident);
    let second: IToken | undefined;
    this.OPTION(() => {
      this.CONSUME(Dot);
      second = this.CONSUME2(Ident);
    });
    return this.ACTION(() =>
      second === undefined
        ? node({ pkg: '', name: unquoteIdent(first.image), pos: this.pos(first) })
        : node({
            pkg: unquoteIdent(first.image),
            name: unquoteIdent(second.image),
            pos: this.pos(first),
          }),
    );
  });

  private qnameList = this.RULE('qnameList', (): DefQName[] => {
    const list: DefQName[] = [];
    list.push(this.SUBRULE1(this.qname));
    this.MANY(() => {
      this.CONSUME(Comma);
      list.push(this.SUBRULE2(this.qname));
    });
    return list;
  });

  private identList = this.RULE('identList', (): IdentNode[] => {
    const list: IdentNode[] = [];
    const a = this.CONSUME1(Ident);
    this.ACTION(() => list.push(this.ident(a)));
    this.MANY(() => {
      this.CONSUME(Comma);
      const b = this.CONSUME2(Ident);
      this.ACTION(() => list.push(this.ident(b)));
    });
    return list;
  });

  private intValue = this.RULE('intValue', (): number => {
    const t = this.CONSUME(IntLit);
    return this.ACTION(() => Number.parseInt(t.image, 10));
  });

  private stringValue = this.RULE('stringValue', (): string => {
    const t = this.CONSUME(StringLit);
    return this.ACTION(() => unquoteString(t.image));
  });

  private dataType = this.RULE('dataType', (): DataTypeNode => {
    const start = this.LA(1);
    let type: DataTypeNode['type'] = 'int32';
    let maxLen: number | undefined;
    const lenSuffix = (): void => {
      this.OPTION(() => {
        this.CONSUME(LParen);
        maxLen = this.SUBRULE(this.intValue);
        this.CONSUME(RParen);
      });
    };
    this.OR([
      {
        ALT: () => {
          this.OR1([
            {
              ALT: () => {
                this.CONSUME(KW.character);
                this.CONSUME1(KW.varying);
              },
            },
            { ALT: () => this.CONSUME(KW.varchar) },
            { ALT: () => this.CONSUME(KW.text) },
          ]);
          type = 'varchar';
          lenSuffix();
        },
      },
      {
        // `binary varying` and `binary large object` share their first word
        GATE: () => !(is(this.LA(1), KW.binary) && is(this.LA(2), KW.large)),
        ALT: () => {
          this.OR2([
            {
              ALT: () => {
                this.CONSUME1(KW.binary);
                this.CONSUME2(KW.varying);
              },
            },
            { ALT: () => this.CONSUME(KW.varbinary) },
            { ALT: () => this.CONSUME(KW.bytes) },
          ]);
          type = 'bytes';
          this.OPTION1(() => {
            this.CONSUME1(LParen);
            maxLen = this.SUBRULE1(this.intValue);
            this.CONSUME1(RParen);
          });
        },
      },
      {
        ALT: () => {
          this.OR3([{ ALT: () => this.CONSUME(KW.tinyint) }, { ALT: () => this.CONSUME(KW.int8) }]);
          type = 'int8';
        },
      },
      {
        ALT: () => {
          this.OR4([
            { ALT: () => this.CONSUME(KW.smallint) },
            { ALT: () => this.CONSUME(KW.int16) },
          ]);
          type = 'int16';
        },
      },
      {
        ALT: () => {
          this.OR5([
            { ALT: () => this.CONSUME(KW.integer) },
            { ALT: () => this.CONSUME(KW.int) },
            { ALT: () => this.CONSUME(KW.int32) },
          ]);
          type = 'int32';
        },
      },
      {
        ALT: () => {
          this.OR6([{ ALT: () => this.CONSUME(KW.bigint) }, { ALT: () => this.CONSUME(KW.int64) }]);
          type = 'int64';
        },
      },
      {
        ALT: () => {
          this.OR7([
            { ALT: () => this.CONSUME(KW.real) },
            { ALT: () => this.CONSUME(KW.float) },
            { ALT: () => this.CONSUME(KW.float32) },
          ]);
          type = 'float32';
        },
      },
      {
        ALT: () => {
          this.OR8([
            {
              ALT: () => {
                this.CONSUME(KW.double);
                this.CONSUME(KW.precision);
              },
            },
            { ALT: () => this.CONSUME(KW.float64) },
          ]);
          type = 'float64';
        },
      },
      {
        ALT: () => {
          this.CONSUME(KW.timestamp);
          type = 'timestamp';
        },
      },
      {
        ALT: () => {
          this.OR9([
            { ALT: () => this.CONSUME(KW.money) },
            { ALT: () => this.CONSUME(KW.currency) },
          ]);
          type = 'currency';
        },
      },
      {
        ALT: () => {
          this.or(10, [
            { ALT: () => this.CONSUME(KW.boolean) },
            { ALT: () => this.CONSUME(KW.bool) },
          ]);
          type = 'bool';
        },
      },
      {
        ALT: () => {
          this.or(11, [
            {
              ALT: () => {
                this.CONSUME3(KW.binary);
                this.CONSUME(KW.large);
                this.CONSUME(KW.object);
              },
            },
            { ALT: () => this.CONSUME(KW.blob) },
          ]);
          type = 'blob';
        },
      },
      {
        ALT: () => {
          this.or(12, [
            {
              ALT: () => {
                this.CONSUME(KW.qualified);
                this.CONSUME(KW.name);
              },
            },
            { ALT: () => this.CONSUME(KW.qname) },
          ]);
          type = 'qname';
        },
      },
    ]);
    return this.ACTION(() => node({ kind: 'DataType', type, maxLen, pos: this.pos(start) }));
  });

  private fieldType = this.RULE('fieldType', (): FieldType => {
    return this.OR({
      IGNORE_AMBIGUITIES: true,
      DEF: [
        { GATE: () => this.startsDataType(), ALT: () => this.SUBRULE(this.dataType) },
        {
          ALT: () => {
            const q = this.SUBRULE(this.qname);
            return this.ACTION(() => node({ kind: 'TypeRef' as const, ...q }));
          },
        },
      ],
    });
  });

  private startsDataType(): boolean {
    const t = this.LA(1);
    if (is(t, KW.character)) return is(this.LA(2), KW.varying);
    if (is(t, KW.binary)) return is(this.LA(2), KW.varying) || is(this.LA(2), KW.large);
    if (is(t, KW.double)) return is(this.LA(2), KW.precision);
    if (is(t, KW.qualified)) return is(this.LA(2), KW.name);
    return dataTypeStarts.has(t.tokenTypeIdx);
  }

  private withItems = this.RULE('withItems', (): WithItem[] => {
    const items: WithItem[] = [];
    this.CONSUME(KW.WITH);
    const one = (): void => {
      this.OR([
        {
          ALT: () => {
            this.CONSUME(KW.Comment);
            this.CONSUME(CompareOp);
            const s = this.SUBRULE(this.stringValue);
            this.ACTION(() => items.push(node({ comment: s, tags: [] })));
          },
        },
        {
          ALT: () => {
            this.CONSUME(KW.Tags);
            this.CONSUME1(CompareOp);
            this.CONSUME(LParen);
            const tags = this.SUBRULE(this.qnameList);
            this.CONSUME(RParen);
            this.ACTION(() => items.push(node({ comment: undefined, tags })));
          },
        },
      ]);
    };
    one();
    this.MANY({
      GATE: () => is(this.LA(2), KW.Comment) || is(this.LA(2), KW.Tags),
      DEF: () => {
        this.CONSUME(Comma);
        this.OR1([
          {
            ALT: () => {
              this.CONSUME2(KW.Comment);
              this.CONSUME2(CompareOp);
              const s = this.SUBRULE1(this.stringValue);
              this.ACTION(() => items.push(node({ comment: s, tags: [] })));
            },
          },
          {
            ALT: () => {
              this.CONSUME2(KW.Tags);
              this.CONSUME3(CompareOp);
              this.CONSUME1(LParen);
              const tags = this.SUBRULE1(this.qnameList);
              this.CONSUME1(RParen);
              this.ACTION(() => items.push(node({ comment: undefined, tags })));
            },
          },
        ]);
      },
    });
    return items;
  });

  // ---- file ----

  public file = this.RULE('file', (): { imports: ImportStmt[]; statements: RootStatement[] } => {
    const imports: ImportStmt[] = [];
    const statements: RootStatement[] = [];
    this.OPTION(() => imports.push(this.SUBRULE1(this.importStmt)));
    this.MANY({
      GATE: () => is(this.LA(2), KW.IMPORT),
      DEF: () => {
        this.CONSUME1(Semi);
        imports.push(this.SUBRULE2(this.importStmt));
      },
    });
    this.OPTION1({ GATE: () => imports.length > 0, DEF: () => this.CONSUME2(Semi) });
    this.OPTION2(() => statements.push(this.SUBRULE1(this.rootStmt)));
    this.MANY1({
      GATE: () => !isListEnd(this.LA(2)),
      DEF: () => {
        this.CONSUME3(Semi);
        statements.push(this.SUBRULE2(this.rootStmt));
      },
    });
    this.OPTION3(() => this.CONSUME4(Semi));
    return { imports, statements };
  });

  private importStmt = this.RULE('importStmt', (): ImportStmt => {
    const start = this.CONSUME(KW.IMPORT);
    this.CONSUME(KW.SCHEMA);
    const path = this.CONSUME(StringLit);
    let alias: IToken | undefined;
    this.OPTION(() => {
      this.CONSUME(KW.AS);
      alias = this.CONSUME(Ident);
    });
    return this.ACTION(() =>
      node({
        kind: 'Import' as const,
        pos: this.pos(start),
        comments: this.doc(start),
        path: unquoteString(path.image),
        alias: alias === undefined ? undefined : unquoteIdent(alias.image),
      }),
    );
  });

  private rootStmt = this.RULE('rootStmt', (): RootStatement => {
    return this.OR([
      { ALT: () => this.SUBRULE(this.templateStmt) },
      { ALT: () => this.SUBRULE(this.roleStmt) },
      { ALT: () => this.SUBRULE(this.rootEngineStmt) },
      { ALT: () => this.SUBRULE(this.workspaceStmt) },
      { ALT: () => this.SUBRULE(this.alterWorkspaceStmt) },
      { ALT: () => this.SUBRULE(this.applicationStmt) },
      { ALT: () => this.SUBRULE(this.declareStmt) },
    ]);
  });

  private templateStmt = this.RULE('templateStmt', (): TemplateStmt => {
    const start = this.CONSUME(KW.TEMPLATE);
    const name = this.CONSUME1(Ident);
    this.CONSUME(KW.OF);
    this.CONSUME(KW.WORKSPACE);
    const workspace = this.SUBRULE(this.qname);
    this.CONSUME(KW.SOURCE);
    const source = this.CONSUME2(Ident);
    return this.ACTION(() =>
      node({
        kind: 'Template' as const,
        pos: this.pos(start),
        comments: this.doc(start),
        name: unquoteIdent(name.image),
        workspace,
        source: unquoteIdent(source.image),
      }),
    );
  });

  private roleStmt = this.RULE('roleStmt', (): RoleStmt => {
    const start = this.LA(1);
    let published = false;
    this.OPTION(() => {
      this.CONSUME(KW.PUBLISHED);
      published = true;
    });
    this.CONSUME(KW.ROLE);
    const name = this.CONSUME(Ident);
    return this.ACTION(() =>
      node({
        kind: 'Role' as const,
        pos: this.pos(start),
        comments: this.doc(start),
        name: unquoteIdent(name.image),
        published,
      }),
    );
  });

  private applicationStmt = this.RULE('applicationStmt', (): ApplicationStmt => {
    const start = this.CONSUME(KW.APPLICATION);
    const name = this.CONSUME1(Ident);
    this.CONSUME(LParen);
    const uses: IdentNode[] = [];
    // a USE is reported at its keyword, like the reference's statement positions
    const use = (kw: IToken, t: IToken): void => {
      this.ACTION(() => uses.push(node({ value: unquoteIdent(t.image), pos: this.pos(kw) })));
    };
    this.OPTION(() => {
      const kw = this.CONSUME1(KW.USE);
      use(kw, this.CONSUME2(Ident));
    });
    this.MANY({
      GATE: () => !isListEnd(this.LA(2)),
      DEF: () => {
        this.CONSUME1(Semi);
        const kw = this.CONSUME2(KW.USE);
        use(kw, this.CONSUME3(Ident));
      },
    });
    this.OPTION1(() => this.CONSUME2(Semi));
    this.CONSUME(RParen);
    return this.ACTION(() =>
      node({
        kind: 'Application' as const,
        pos: this.pos(start),
        comments: this.doc(start),
        name: unquoteIdent(name.image),
        uses,
      }),
    );
  });

  private declareStmt = this.RULE('declareStmt', (): DeclareStmt => {
    const start = this.CONSUME(KW.DECLARE);
    const name = this.CONSUME(Ident);
    const dt = this.OR([
      { ALT: () => this.CONSUME(KW.int) },
      { ALT: () => this.CONSUME(KW.int32) },
    ]);
    this.CONSUME(KW.DEFAULT);
    const value = this.SUBRULE(this.intValue);
    return this.ACTION(() =>
      node({
        kind: 'Declare' as const,
        pos: this.pos(start),
        comments: this.doc(start),
        name: unquoteIdent(name.image),
        dataType: dt.image,
        defaultValue: value,
      }),
    );
  });

  private engineKind = this.RULE('engineKind', (): EngineKind => {
    return this.OR([
      { ALT: () => this.val(this.CONSUME(KW.WASM), 'WASM' as const) },
      { ALT: () => this.val(this.CONSUME(KW.BUILTIN), 'BUILTIN' as const) },
    ]);
  });

  private rootEngineStmt = this.RULE('rootEngineStmt', () => {
    const start = this.CONSUME(EXTENSIONENGINE);
    const engine = this.SUBRULE(this.engineKind);
    this.CONSUME(LParen);
    const statements: (FunctionStmt | StorageStmt)[] = [];
    const one = (): FunctionStmt | StorageStmt =>
      this.OR([
        { ALT: () => this.SUBRULE(this.functionStmt) },
        { ALT: () => this.SUBRULE(this.storageStmt) },
      ]);
    this.OPTION(() => statements.push(one()));
    this.MANY({
      GATE: () => !isListEnd(this.LA(2)),
      DEF: () => {
        this.CONSUME1(Semi);
        statements.push(
          this.OR1([
            { ALT: () => this.SUBRULE1(this.functionStmt) },
            { ALT: () => this.SUBRULE1(this.storageStmt) },
          ]),
        );
      },
    });
    this.OPTION1(() => this.CONSUME2(Semi));
    this.CONSUME(RParen);
    return this.ACTION(() =>
      node({
        kind: 'RootExtEngine' as const,
        pos: this.pos(start),
        comments: this.doc(start),
        engine,
        statements,
      }),
    );
  });

  private functionStmt = this.RULE('functionStmt', (): FunctionStmt => {
    const start = this.CONSUME(KW.FUNCTION);
    const name = this.CONSUME(Ident);
    this.CONSUME(LParen);
    const params: { name: string | undefined; type: FieldType }[] = [];
    const param = (): void => {
      this.OR({
        IGNORE_AMBIGUITIES: true,
        DEF: [
          {
            GATE: () => !this.startsDataType() && (is(this.LA(2), Ident) || is(this.LA(3), Ident)),
            ALT: () => {
              const n = this.CONSUME1(Ident);
              const type = this.SUBRULE1(this.fieldType);
              this.ACTION(() => params.push({ name: unquoteIdent(n.image), type }));
            },
          },
          {
            ALT: () => {
              const type = this.SUBRULE2(this.fieldType);
              this.ACTION(() => params.push({ name: undefined, type }));
            },
          },
        ],
      });
    };
    this.OPTION(() => {
      param();
      this.MANY(() => {
        this.CONSUME(Comma);
        this.OR1({
          IGNORE_AMBIGUITIES: true,
          DEF: [
            {
              GATE: () =>
                !this.startsDataType() && (is(this.LA(2), Ident) || is(this.LA(3), Ident)),
              ALT: () => {
                const n = this.CONSUME2(Ident);
                const type = this.SUBRULE3(this.fieldType);
                this.ACTION(() => params.push({ name: unquoteIdent(n.image), type }));
              },
            },
            {
              ALT: () => {
                const type = this.SUBRULE4(this.fieldType);
                this.ACTION(() => params.push({ name: undefined, type }));
              },
            },
          ],
        });
      });
    });
    this.CONSUME(RParen);
    this.CONSUME(KW.RETURNS);
    const returns = this.OR2({
      IGNORE_AMBIGUITIES: true,
      DEF: [
        { ALT: () => this.val(this.CONSUME(KW.void), node({ kind: 'Void' as const })) },
        { ALT: () => this.SUBRULE5(this.fieldType) },
      ],
    });
    return this.ACTION(() =>
      node({
        kind: 'Function' as const,
        pos: this.pos(start),
        comments: this.doc(start),
        name: unquoteIdent(name.image),
        params,
        returns,
      }),
    );
  });

  private storageStmt = this.RULE('storageStmt', (): StorageStmt => {
    const start = this.CONSUME(KW.STORAGE);
    const name = this.CONSUME(Ident);
    this.CONSUME(LParen);
    const ops: { op: StorageOpName; scopes: StorageScopeName[] }[] = [];
    ops.push(this.SUBRULE1(this.storageOp));
    this.MANY(() => {
      this.CONSUME(Comma);
      ops.push(this.SUBRULE2(this.storageOp));
    });
    this.CONSUME(RParen);
    let entityRecord = false;
    let entityView = false;
    this.OPTION(() => {
      this.CONSUME1(KW.ENTITY);
      this.CONSUME(KW.RECORD);
      entityRecord = true;
    });
    this.OPTION1(() => {
      this.CONSUME2(KW.ENTITY);
      this.CONSUME(KW.VIEW);
      entityView = true;
    });
    return this.ACTION(() =>
      node({
        kind: 'Storage' as const,
        pos: this.pos(start),
        comments: this.doc(start),
        name: unquoteIdent(name.image),
        ops,
        entityRecord,
        entityView,
      }),
    );
  });

  private storageOp = this.RULE(
    'storageOp',
    (): { op: StorageOpName; scopes: StorageScopeName[] } => {
      const op = this.OR([
        { ALT: () => this.val(this.CONSUME(KW.GET), 'GET' as const) },
        { ALT: () => this.val(this.CONSUME(KW.GETBATCH), 'GETBATCH' as const) },
        { ALT: () => this.val(this.CONSUME(KW.READ), 'READ' as const) },
        { ALT: () => this.val(this.CONSUME(KW.INSERT), 'INSERT' as const) },
        { ALT: () => this.val(this.CONSUME(KW.UPDATE), 'UPDATE' as const) },
      ]);
      this.CONSUME(KW.SCOPE);
      this.CONSUME(LParen);
      const scopes: StorageScopeName[] = [];
      const scope = (): StorageScopeName =>
        this.OR1([
          { ALT: () => this.val(this.CONSUME(KW.COMMANDS), 'COMMANDS' as const) },
          { ALT: () => this.val(this.CONSUME(KW.QUERIES), 'QUERIES' as const) },
          { ALT: () => this.val(this.CONSUME(KW.PROJECTORS), 'PROJECTORS' as const) },
          { ALT: () => this.val(this.CONSUME(KW.JOBS), 'JOBS' as const) },
        ]);
      scopes.push(scope());
      this.MANY(() => {
        this.CONSUME(Comma);
        scopes.push(
          this.OR2([
            { ALT: () => this.val(this.CONSUME1(KW.COMMANDS), 'COMMANDS' as const) },
            { ALT: () => this.val(this.CONSUME1(KW.QUERIES), 'QUERIES' as const) },
            { ALT: () => this.val(this.CONSUME1(KW.PROJECTORS), 'PROJECTORS' as const) },
            { ALT: () => this.val(this.CONSUME1(KW.JOBS), 'JOBS' as const) },
          ]),
        );
      });
      this.CONSUME(RParen);
      return { op, scopes };
    },
  );

  // ---- workspaces ----

  private workspaceStmt = this.RULE('workspaceStmt', (): WorkspaceStmt => {
    const start = this.LA(1);
    let abstract = false;
    let alterable = false;
    let pool = false;
    this.OPTION(() =>
      this.OR([
        {
          ALT: () => {
            this.CONSUME(KW.ABSTRACT);
            abstract = true;
          },
        },
        {
          ALT: () => {
            this.CONSUME(KW.ALTERABLE);
            alterable = true;
          },
        },
      ]),
    );
    this.OPTION1(() => {
      this.CONSUME(KW.POOL);
      this.CONSUME(KW.OF);
      pool = true;
    });
    this.CONSUME(KW.WORKSPACE);
    const name = this.CONSUME(Ident);
    let inherits: DefQName[] = [];
    this.OPTION2(() => {
      this.CONSUME(KW.INHERITS);
      inherits = this.SUBRULE(this.qnameList);
    });
    this.CONSUME(LParen);
    let descriptor: DescriptorStmt | undefined;
    this.OPTION3(() => {
      this.CONSUME(KW.DESCRIPTOR);
      const dStart = this.LA(1);
      let dName: IToken | undefined;
      this.OPTION4(() => {
        dName = this.CONSUME1(Ident);
      });
      const items = this.SUBRULE(this.tableItems);
      this.CONSUME(Semi);
      descriptor = this.ACTION(() =>
        node({
          kind: 'Descriptor' as const,
          pos: this.pos(dStart),
          comments: this.doc(dStart),
          name: dName === undefined ? '' : unquoteIdent(dName.image),
          items,
          implicit: false,
        }),
      );
    });
    const statements = this.SUBRULE(this.workspaceBody);
    this.CONSUME(RParen);
    return this.ACTION(() => {
      const wsName = unquoteIdent(name.image);
      const pos = this.pos(start);
      if (!abstract) {
        // Every concrete workspace has a descriptor; an unnamed one is called `<Workspace>Descriptor`.
        const d = descriptor;
        const dname = `${wsName}Descriptor`;
        if (d === undefined) {
          descriptor = node({
            kind: 'Descriptor',
            pos,
            comments: [],
            name: dname,
            items: [],
            implicit: true,
          });
        } else if (d.name === '') {
          descriptor = node({ ...d, name: dname });
        }
      }
      return node({
        kind: 'Workspace' as const,
        pos,
        comments: this.doc(start),
        name: wsName,
        abstract,
        alterable,
        pool,
        inherits,
        descriptor,
        statements,
      });
    });
  });

  private workspaceBody = this.RULE('workspaceBody', (): WorkspaceStatement[] => {
    const statements: WorkspaceStatement[] = [];
    this.OPTION(() => statements.push(this.SUBRULE1(this.wsStmt)));
    this.MANY({
      GATE: () => !isListEnd(this.LA(2)),
      DEF: () => {
        this.CONSUME1(Semi);
        statements.push(this.SUBRULE2(this.wsStmt));
      },
    });
    this.OPTION1(() => this.CONSUME2(Semi));
    return statements;
  });

  private alterWorkspaceStmt = this.RULE('alterWorkspaceStmt', (): AlterWorkspaceStmt => {
    const start = this.CONSUME(KW.ALTER);
    this.CONSUME(KW.WORKSPACE);
    const name = this.SUBRULE(this.qname);
    this.CONSUME(LParen);
    const statements = this.SUBRULE(this.workspaceBody);
    this.CONSUME(RParen);
    return this.ACTION(() =>
      node({
        kind: 'AlterWorkspace' as const,
        pos: this.pos(start),
        comments: this.doc(start),
        name,
        statements,
      }),
    );
  });

  private wsStmt = this.RULE('wsStmt', (): WorkspaceStatement => {
    return this.OR([
      { ALT: () => this.SUBRULE(this.rateStmt) },
      { ALT: () => this.SUBRULE(this.viewStmt) },
      { ALT: () => this.SUBRULE(this.useWorkspaceStmt) },
      { ALT: () => this.SUBRULE(this.roleStmt) },
      { ALT: () => this.SUBRULE(this.tagStmt) },
      { ALT: () => this.SUBRULE(this.wsEngineStmt) },
      { ALT: () => this.SUBRULE(this.workspaceStmt) },
      { ALT: () => this.SUBRULE(this.tableStmt) },
      { ALT: () => this.SUBRULE(this.typeStmt) },
      { ALT: () => this.SUBRULE(this.limitStmt) },
      { ALT: () => this.SUBRULE(this.grantStmt) },
    ]);
  });

  private useWorkspaceStmt = this.RULE('useWorkspaceStmt', (): UseWorkspaceStmt => {
    const start = this.CONSUME(KW.USE);
    this.CONSUME(KW.WORKSPACE);
    const ws = this.CONSUME(Ident);
    return this.ACTION(() =>
      node({
        kind: 'UseWorkspace' as const,
        pos: this.pos(start),
        comments: this.doc(start),
        workspace: this.ident(ws),
      }),
    );
  });

  private tagStmt = this.RULE('tagStmt', (): TagStmt => {
    const start = this.CONSUME(KW.TAG);
    const name = this.CONSUME(Ident);
    let feature = '';
    this.OPTION(() => {
      this.CONSUME(KW.FEATURE);
      feature = this.SUBRULE(this.stringValue);
    });
    return this.ACTION(() =>
      node({
        kind: 'Tag' as const,
        pos: this.pos(start),
        comments: this.doc(start),
        name: unquoteIdent(name.image),
        feature,
      }),
    );
  });

  // ---- tables and types ----

  private tableStmt = this.RULE('tableStmt', (): TableStmt => {
    const start = this.LA(1);
    let abstract = false;
    this.OPTION(() => {
      this.CONSUME(KW.ABSTRACT);
      abstract = true;
    });
    this.CONSUME(TABLE);
    const name = this.CONSUME(Ident);
    let inherits: DefQName | undefined;
    this.OPTION1(() => {
      this.CONSUME(KW.INHERITS);
      inherits = this.SUBRULE(this.qname);
    });
    const items = this.SUBRULE(this.tableItems);
    let withItems: WithItem[] = [];
    this.OPTION2(() => {
      withItems = this.SUBRULE(this.withItems);
    });
    return this.ACTION(() =>
      node({
        kind: 'Table' as const,
        pos: this.pos(start),
        comments: this.doc(start),
        name: unquoteIdent(name.image),
        abstract,
        inherits,
        items,
        with: withItems,
      }),
    );
  });

  private typeStmt = this.RULE('typeStmt', (): TypeStmt => {
    const start = this.CONSUME(KW.TYPE);
    const name = this.CONSUME(Ident);
    const items = this.SUBRULE(this.tableItems);
    return this.ACTION(() =>
      node({
        kind: 'Type' as const,
        pos: this.pos(start),
        comments: this.doc(start),
        name: unquoteIdent(name.image),
        items,
      }),
    );
  });

  private tableItems = this.RULE('tableItems', (): TableItem[] => {
    const items: TableItem[] = [];
    this.CONSUME(LParen);
    this.OPTION(() => {
      items.push(this.SUBRULE1(this.tableItem));
      this.MANY(() => {
        this.CONSUME(Comma);
        items.push(this.SUBRULE2(this.tableItem));
      });
    });
    this.CONSUME(RParen);
    return items;
  });

  private tableItem = this.RULE('tableItem', (): TableItem => {
    return this.OR({
      IGNORE_AMBIGUITIES: true,
      DEF: [
        {
          GATE: () =>
            is(this.LA(2), TABLE) || (is(this.LA(2), KW.ABSTRACT) && is(this.LA(3), TABLE)),
          ALT: () => {
            const n = this.CONSUME1(Ident);
            const table = this.SUBRULE(this.tableStmt);
            return this.ACTION(() =>
              node({
                kind: 'NestedTable' as const,
                name: unquoteIdent(n.image),
                pos: this.pos(n),
                table,
              }),
            );
          },
        },
        {
          GATE: () => this.startsConstraint(),
          ALT: () => this.SUBRULE(this.constraint),
        },
        {
          GATE: () => is(this.LA(2), KW.ref),
          ALT: () => {
            const n = this.CONSUME2(Ident);
            this.CONSUME(KW.ref);
            let refs: DefQName[] = [];
            this.OPTION(() => {
              this.CONSUME(LParen);
              refs = this.SUBRULE(this.qnameList);
              this.CONSUME(RParen);
            });
            let notNull = false;
            this.OPTION1(() => {
              this.CONSUME(NOTNULL);
              notNull = true;
            });
            return this.ACTION(() =>
              node({
                kind: 'RefField' as const,
                name: unquoteIdent(n.image),
                pos: this.pos(n),
                refs,
                notNull,
                comments: this.doc(n),
              }),
            );
          },
        },
        {
          GATE: () => !isItemEnd(this.LA(2)) && !is(this.LA(2), Dot),
          ALT: () => this.SUBRULE(this.field),
        },
        {
          ALT: () => {
            const q = this.SUBRULE1(this.qname);
            return this.ACTION(() => node({ kind: 'FieldSet' as const, type: q, pos: q.pos }));
          },
        },
      ],
    });
  });

  private startsConstraint(): boolean {
    const t = this.LA(1);
    if (is(t, KW.CONSTRAINT)) {
      const t3 = this.LA(3);
      return (
        is(this.LA(2), Ident) && (is(t3, KW.UNIQUEFIELD) || is(t3, KW.UNIQUE) || is(t3, KW.CHECK))
      );
    }
    if (is(t, KW.UNIQUEFIELD)) return is(this.LA(2), Ident);
    if (is(t, KW.UNIQUE) || is(t, KW.CHECK)) return is(this.LA(2), LParen);
    return false;
  }

  private constraint = this.RULE('constraint', () => {
    const start = this.LA(1);
    let name = '';
    this.OPTION(() => {
      this.CONSUME(KW.CONSTRAINT);
      name = unquoteIdent(this.CONSUME1(Ident).image);
    });
    let uniqueField: string | undefined;
    let unique: string[] | undefined;
    let check: Expr | undefined;
    this.OR([
      {
        ALT: () => {
          this.CONSUME(KW.UNIQUEFIELD);
          uniqueField = unquoteIdent(this.CONSUME2(Ident).image);
        },
      },
      {
        ALT: () => {
          this.CONSUME(KW.UNIQUE);
          this.CONSUME(LParen);
          const ids = this.SUBRULE(this.identList);
          this.CONSUME(RParen);
          unique = this.ACTION(() => ids.map((i) => i.value));
        },
      },
      {
        ALT: () => {
          this.CONSUME(KW.CHECK);
          this.CONSUME1(LParen);
          check = this.SUBRULE(this.expression);
          this.CONSUME1(RParen);
        },
      },
    ]);
    return this.ACTION(() =>
      node({
        kind: 'Constraint' as const,
        name,
        pos: this.pos(start),
        comments: this.doc(start),
        uniqueField,
        unique,
        check,
      }),
    );
  });

  private field = this.RULE('field', () => {
    const n = this.CONSUME(Ident);
    const type = this.SUBRULE(this.fieldType);
    let notNull = false;
    let verifiable = false;
    let defaultInt: number | undefined;
    let defaultString: string | undefined;
    let checkRegexp: { value: string; pos: Pos } | undefined;
    let checkExpr: Expr | undefined;
    this.OPTION(() => {
      this.CONSUME(NOTNULL);
      notNull = true;
    });
    this.OPTION1(() => {
      this.CONSUME(KW.VERIFIABLE);
      verifiable = true;
    });
    this.OPTION2({
      GATE: () => is(this.LA(2), IntLit),
      DEF: () => {
        this.CONSUME(KW.DEFAULT);
        defaultInt = this.SUBRULE(this.intValue);
      },
    });
    this.OPTION3({
      GATE: () => is(this.LA(2), StringLit),
      DEF: () => {
        this.CONSUME1(KW.DEFAULT);
        defaultString = this.SUBRULE(this.stringValue);
      },
    });
    this.OPTION4({
      GATE: () => is(this.LA(2), StringLit),
      DEF: () => {
        this.CONSUME(KW.CHECK);
        const s = this.CONSUME(StringLit);
        checkRegexp = this.ACTION(() => ({ value: unquoteString(s.image), pos: this.pos(s) }));
      },
    });
    this.OPTION5(() => {
      this.CONSUME1(KW.CHECK);
      this.CONSUME(LParen);
      checkExpr = this.SUBRULE(this.expression);
      this.CONSUME(RParen);
    });
    this.OPTION6(() => {
      // parsed for compatibility; the reference ignores it too
      this.CONSUME(DEFAULTNEXTVAL);
      this.CONSUME1(LParen);
      this.CONSUME1(StringLit);
      this.CONSUME1(RParen);
    });
    return this.ACTION(() =>
      node({
        kind: 'Field' as const,
        name: unquoteIdent(n.image),
        pos: this.pos(n),
        comments: this.doc(n),
        type,
        notNull,
        verifiable,
        defaultInt,
        defaultString,
        checkRegexp,
        checkExpr,
      }),
    );
  });

  // ---- views ----

  private viewStmt = this.RULE('viewStmt', (): ViewStmt => {
    const start = this.CONSUME(KW.VIEW);
    const name = this.CONSUME(Ident);
    this.CONSUME(LParen);
    const items: ViewItem[] = [];
    this.OPTION(() => {
      items.push(this.SUBRULE1(this.viewItem));
      this.MANY(() => {
        this.CONSUME(Comma);
        items.push(this.SUBRULE2(this.viewItem));
      });
    });
    this.CONSUME(RParen);
    this.CONSUME(KW.AS);
    this.CONSUME(KW.RESULT);
    this.CONSUME(KW.OF);
    const resultOf = this.SUBRULE(this.qname);
    let withItems: WithItem[] = [];
    this.OPTION2(() => {
      withItems = this.SUBRULE(this.withItems);
    });
    return this.ACTION(() =>
      node({
        kind: 'View' as const,
        pos: this.pos(start),
        comments: this.doc(start),
        name: unquoteIdent(name.image),
        items,
        resultOf,
        with: withItems,
      }),
    );
  });

  private viewItem = this.RULE('viewItem', (): ViewItem => {
    return this.OR({
      IGNORE_AMBIGUITIES: true,
      DEF: [
        { ALT: () => this.SUBRULE(this.primaryKey) },
        {
          GATE: () => is(this.LA(2), KW.ref),
          ALT: () => {
            const n = this.CONSUME1(Ident);
            this.CONSUME(KW.ref);
            let refs: DefQName[] = [];
            this.OPTION(() => {
              this.CONSUME(LParen);
              refs = this.SUBRULE(this.qnameList);
              this.CONSUME(RParen);
            });
            let notNull = false;
            this.OPTION1(() => {
              this.CONSUME(NOTNULL);
              notNull = true;
            });
            return this.ACTION(() =>
              node({
                kind: 'ViewRefField' as const,
                name: this.ident(n),
                pos: this.pos(n),
                comments: this.doc(n),
                refs,
                notNull,
              }),
            );
          },
        },
        {
          GATE: () => is(this.LA(2), KW.record),
          ALT: () => {
            const n = this.CONSUME2(Ident);
            this.CONSUME(KW.record);
            let notNull = false;
            this.OPTION2(() => {
              this.CONSUME1(NOTNULL);
              notNull = true;
            });
            return this.ACTION(() =>
              node({
                kind: 'ViewRecordField' as const,
                name: this.ident(n),
                pos: this.pos(n),
                comments: this.doc(n),
                notNull,
              }),
            );
          },
        },
        {
          ALT: () => {
            const n = this.CONSUME3(Ident);
            const type = this.SUBRULE(this.dataType);
            let notNull = false;
            this.OPTION3(() => {
              this.CONSUME2(NOTNULL);
              notNull = true;
            });
            return this.ACTION(() =>
              node({
                kind: 'ViewField' as const,
                name: this.ident(n),
                pos: this.pos(n),
                comments: this.doc(n),
                type,
                notNull,
              }),
            );
          },
        },
      ],
    });
  });

  private primaryKey = this.RULE('primaryKey', () => {
    this.CONSUME(PRIMARYKEY);
    this.CONSUME(LParen);
    const start = this.LA(1);
    let partition: IdentNode[] = [];
    let clustering: IdentNode[] = [];
    this.OPTION(() => {
      this.CONSUME1(LParen);
      partition = this.SUBRULE1(this.identList);
      this.CONSUME1(RParen);
    });
    this.OPTION1(() => this.CONSUME(Comma));
    this.OPTION2(() => {
      clustering = this.SUBRULE2(this.identList);
    });
    this.CONSUME(RParen);
    return this.ACTION(() =>
      node({ kind: 'PrimaryKey' as const, pos: this.pos(start), partition, clustering }),
    );
  });

  // ---- extensions ----

  private wsEngineStmt = this.RULE('wsEngineStmt', (): WsExtEngineStmt => {
    const start = this.CONSUME(EXTENSIONENGINE);
    const engine = this.SUBRULE(this.engineKind);
    this.CONSUME(LParen);
    const statements: ExtensionStmt[] = [];
    this.OPTION(() => statements.push(this.SUBRULE1(this.extensionStmt)));
    this.MANY({
      GATE: () => !isListEnd(this.LA(2)),
      DEF: () => {
        this.CONSUME1(Semi);
        statements.push(this.SUBRULE2(this.extensionStmt));
      },
    });
    this.OPTION1(() => this.CONSUME2(Semi));
    this.CONSUME(RParen);
    return this.ACTION(() =>
      node({
        kind: 'WsExtEngine' as const,
        pos: this.pos(start),
        comments: this.doc(start),
        engine,
        statements,
      }),
    );
  });

  private extensionStmt = this.RULE('extensionStmt', (): ExtensionStmt => {
    return this.OR([
      { ALT: () => this.SUBRULE(this.functionStmt) },
      { ALT: () => this.SUBRULE(this.projectorStmt) },
      { ALT: () => this.SUBRULE(this.jobStmt) },
      { ALT: () => this.SUBRULE(this.commandStmt) },
      { ALT: () => this.SUBRULE(this.queryStmt) },
    ]);
  });

  private arg = this.RULE('arg', (): ArgNode => {
    return this.OR({
      IGNORE_AMBIGUITIES: true,
      DEF: [
        { ALT: () => this.val(this.CONSUME(KW.any), node({ kind: 'Any' as const })) },
        { ALT: () => this.val(this.CONSUME(KW.void), node({ kind: 'Void' as const })) },
        {
          ALT: () => {
            const q = this.SUBRULE(this.qname);
            return this.ACTION(() => node({ kind: 'Def' as const, ...q }));
          },
        },
      ],
    });
  });

  private stateList = this.RULE('stateList', (): StateStorageNode[] => {
    const list: StateStorageNode[] = [];
    this.CONSUME(LParen);
    list.push(this.SUBRULE1(this.stateStorage));
    this.MANY(() => {
      this.CONSUME(Comma);
      list.push(this.SUBRULE2(this.stateStorage));
    });
    this.CONSUME(RParen);
    return list;
  });

  private stateStorage = this.RULE('stateStorage', (): StateStorageNode => {
    const storage = this.SUBRULE(this.qname);
    let entities: DefQName[] = [];
    this.OPTION(() => {
      this.CONSUME(LParen);
      entities = this.SUBRULE(this.qnameList);
      this.CONSUME(RParen);
    });
    return this.ACTION(() => node({ storage, entities }));
  });

  private commandStmt = this.RULE('commandStmt', () => {
    const start = this.CONSUME(KW.COMMAND);
    const name = this.CONSUME(Ident);
    let param: ArgNode | undefined;
    let unloggedParam: ArgNode | undefined;
    let state: StateStorageNode[] = [];
    let intents: StateStorageNode[] = [];
    let returns: ArgNode | undefined;
    let withItems: WithItem[] = [];
    this.OPTION(() => {
      this.CONSUME(LParen);
      this.OPTION1(() => {
        param = this.SUBRULE1(this.arg);
      });
      this.OPTION2(() => {
        this.OPTION3(() => this.CONSUME(Comma));
        this.CONSUME(UNLOGGED);
        unloggedParam = this.SUBRULE2(this.arg);
      });
      this.CONSUME(RParen);
    });
    this.OPTION4(() => {
      this.CONSUME(KW.STATE);
      state = this.SUBRULE1(this.stateList);
    });
    this.OPTION5(() => {
      this.CONSUME(KW.INTENTS);
      intents = this.SUBRULE2(this.stateList);
    });
    this.OPTION6(() => {
      this.CONSUME(KW.RETURNS);
      returns = this.SUBRULE3(this.arg);
    });
    this.OPTION7(() => {
      withItems = this.SUBRULE(this.withItems);
    });
    return this.ACTION(() =>
      node({
        kind: 'Command' as const,
        pos: this.pos(start),
        comments: this.doc(start),
        name: unquoteIdent(name.image),
        param,
        unloggedParam,
        state,
        intents,
        returns,
        with: withItems,
      }),
    );
  });

  private queryStmt = this.RULE('queryStmt', () => {
    const start = this.CONSUME(KW.QUERY);
    const name = this.CONSUME(Ident);
    let param: ArgNode | undefined;
    let state: StateStorageNode[] = [];
    let returns: ArgNode | undefined;
    let withItems: WithItem[] = [];
    this.OPTION(() => {
      this.CONSUME(LParen);
      this.OPTION1(() => {
        param = this.SUBRULE1(this.arg);
      });
      this.CONSUME(RParen);
    });
    this.OPTION4(() => {
      this.CONSUME(KW.STATE);
      state = this.SUBRULE1(this.stateList);
    });
    this.OPTION6(() => {
      this.CONSUME(KW.RETURNS);
      returns = this.SUBRULE3(this.arg);
    });
    this.OPTION7(() => {
      withItems = this.SUBRULE(this.withItems);
    });
    return this.ACTION(() =>
      node({
        kind: 'Query' as const,
        pos: this.pos(start),
        comments: this.doc(start),
        name: unquoteIdent(name.image),
        param,
        state,
        returns,
        with: withItems,
      }),
    );
  });

  private tableAction = this.RULE('tableAction', (): TableActionName => {
    return this.OR([
      { ALT: () => this.val(this.CONSUME(KW.INSERT), 'INSERT' as const) },
      { ALT: () => this.val(this.CONSUME(KW.UPDATE), 'UPDATE' as const) },
      { ALT: () => this.val(this.CONSUME(KW.ACTIVATE), 'ACTIVATE' as const) },
      { ALT: () => this.val(this.CONSUME(KW.DEACTIVATE), 'DEACTIVATE' as const) },
    ]);
  });

  private trigger = this.RULE('trigger', (): TriggerNode => {
    return this.OR([
      {
        ALT: () => {
          this.CONSUME(KW.CRON);
          const cron = this.SUBRULE(this.stringValue);
          return this.ACTION(() =>
            node({ cron, execute: undefined, tableActions: [], qnames: [] as DefQName[] }),
          );
        },
      },
      {
        ALT: () => {
          this.CONSUME(KW.AFTER);
          let execute: { withParam: boolean } | undefined;
          const tableActions: TableActionName[] = [];
          this.OR1([
            {
              ALT: () => {
                this.CONSUME(EXECUTE);
                let withParam = false;
                this.OPTION(() => {
                  this.CONSUME(KW.WITH);
                  this.CONSUME(KW.PARAM);
                  withParam = true;
                });
                execute = { withParam };
              },
            },
            {
              ALT: () => {
                tableActions.push(this.SUBRULE1(this.tableAction));
                this.MANY({
                  GATE: () => !is(this.LA(2), KW.AFTER) && !is(this.LA(2), KW.CRON),
                  DEF: () => {
                    this.CONSUME(KW.OR);
                    tableActions.push(this.SUBRULE2(this.tableAction));
                  },
                });
              },
            },
          ]);
          this.CONSUME(KW.ON);
          let qnames: DefQName[] = [];
          this.OR2([
            {
              ALT: () => {
                this.CONSUME(LParen);
                qnames = this.SUBRULE(this.qnameList);
                this.CONSUME(RParen);
              },
            },
            {
              ALT: () => {
                const q = this.SUBRULE(this.qname);
                qnames = [q];
              },
            },
          ]);
          return this.ACTION(() => node({ cron: undefined, execute, tableActions, qnames }));
        },
      },
    ]);
  });

  private projectorStmt = this.RULE('projectorStmt', () => {
    const start = this.LA(1);
    let sync = false;
    this.OPTION(() => {
      this.CONSUME(KW.SYNC);
      sync = true;
    });
    this.CONSUME(KW.PROJECTOR);
    const name = this.CONSUME(Ident);
    const triggers: TriggerNode[] = [];
    triggers.push(this.SUBRULE1(this.trigger));
    this.MANY(() => {
      this.CONSUME(KW.OR);
      triggers.push(this.SUBRULE2(this.trigger));
    });
    let state: StateStorageNode[] = [];
    let intents: StateStorageNode[] = [];
    let includingErrors = false;
    this.OPTION1(() => {
      this.CONSUME(KW.STATE);
      state = this.SUBRULE1(this.stateList);
    });
    this.OPTION2(() => {
      this.CONSUME(KW.INTENTS);
      intents = this.SUBRULE2(this.stateList);
    });
    this.OPTION3(() => {
      this.CONSUME(KW.INCLUDING);
      this.CONSUME(KW.ERRORS);
      includingErrors = true;
    });
    return this.ACTION(() =>
      node({
        kind: 'Projector' as const,
        pos: this.pos(start),
        comments: this.doc(start),
        name: unquoteIdent(name.image),
        sync,
        triggers,
        state,
        intents,
        includingErrors,
      }),
    );
  });

  private jobStmt = this.RULE('jobStmt', () => {
    const start = this.CONSUME(KW.JOB);
    const name = this.CONSUME(Ident);
    let cron: string | undefined;
    let state: StateStorageNode[] = [];
    let intents: StateStorageNode[] = [];
    this.OPTION(() => {
      cron = this.SUBRULE(this.stringValue);
    });
    this.OPTION1(() => {
      this.CONSUME(KW.STATE);
      state = this.SUBRULE1(this.stateList);
    });
    this.OPTION2(() => {
      this.CONSUME(KW.INTENTS);
      intents = this.SUBRULE2(this.stateList);
    });
    return this.ACTION(() =>
      node({
        kind: 'Job' as const,
        pos: this.pos(start),
        comments: this.doc(start),
        name: unquoteIdent(name.image),
        cron,
        state,
        intents,
      }),
    );
  });

  // ---- rates and limits ----

  private rateStmt = this.RULE('rateStmt', (): RateStmt => {
    const start = this.CONSUME(KW.RATE);
    const name = this.CONSUME(Ident);
    let count: number | undefined;
    let variable: DefQName | undefined;
    this.OR([
      {
        ALT: () => {
          count = this.SUBRULE1(this.intValue);
        },
      },
      {
        ALT: () => {
          variable = this.SUBRULE(this.qname);
        },
      },
    ]);
    this.CONSUME1(KW.PER);
    let unitAmount: number | undefined;
    this.OPTION(() => {
      unitAmount = this.SUBRULE2(this.intValue);
    });
    const unit = this.OR1([
      {
        ALT: () =>
          this.unitOf(
            this.OR2([
              { ALT: () => this.CONSUME(KW.SECOND) },
              { ALT: () => this.CONSUME(KW.SECONDS) },
            ]),
          ),
      },
      {
        ALT: () =>
          this.unitOf(
            this.OR3([
              { ALT: () => this.CONSUME(KW.MINUTE) },
              { ALT: () => this.CONSUME(KW.MINUTES) },
            ]),
          ),
      },
      {
        ALT: () =>
          this.unitOf(
            this.OR4([{ ALT: () => this.CONSUME(KW.HOUR) }, { ALT: () => this.CONSUME(KW.HOURS) }]),
          ),
      },
      {
        ALT: () =>
          this.unitOf(
            this.OR5([{ ALT: () => this.CONSUME(KW.DAY) }, { ALT: () => this.CONSUME(KW.DAYS) }]),
          ),
      },
      {
        ALT: () =>
          this.unitOf(
            this.OR6([{ ALT: () => this.CONSUME(KW.YEAR) }, { ALT: () => this.CONSUME(KW.YEARS) }]),
          ),
      },
    ]);
    let objectScope: 'AppPartition' | 'Workspace' | undefined;
    let subjectScope: 'Subject' | 'IP' | undefined;
    this.OPTION1({
      GATE: () => is(this.LA(2), KW.APP) || is(this.LA(2), KW.WORKSPACE),
      DEF: () => {
        this.CONSUME2(KW.PER);
        this.OR7([
          {
            ALT: () => {
              this.CONSUME(KW.APP);
              this.CONSUME(KW.PARTITION);
              objectScope = 'AppPartition';
            },
          },
          {
            ALT: () => {
              this.CONSUME(KW.WORKSPACE);
              objectScope = 'Workspace';
            },
          },
        ]);
      },
    });
    this.OPTION2(() => {
      this.CONSUME3(KW.PER);
      this.OR8([
        {
          ALT: () => {
            this.CONSUME(KW.SUBJECT);
            subjectScope = 'Subject';
          },
        },
        {
          ALT: () => {
            this.CONSUME(KW.IP);
            subjectScope = 'IP';
          },
        },
      ]);
    });
    return this.ACTION(() =>
      node({
        kind: 'Rate' as const,
        pos: this.pos(start),
        comments: this.doc(start),
        name: unquoteIdent(name.image),
        count,
        variable,
        unitAmount,
        unit,
        objectScope,
        subjectScope,
      }),
    );
  });

  private unitOf(t: IToken | undefined): RateUnit {
    return (t?.image ?? '').replace(/S$/, '') as RateUnit;
  }

  private limitAction = this.RULE('limitAction', (): { op: OperationName; pos: Pos } => {
    const t = this.OR([
      { ALT: () => this.CONSUME(SELECT) },
      { ALT: () => this.CONSUME(EXECUTE) },
      { ALT: () => this.CONSUME(KW.ACTIVATE) },
      { ALT: () => this.CONSUME(KW.DEACTIVATE) },
      { ALT: () => this.CONSUME(KW.INSERT) },
      { ALT: () => this.CONSUME(KW.UPDATE) },
    ]);
    return this.ACTION(() => ({ op: t.image as OperationName, pos: this.pos(t) }));
  });

  private limitTarget = this.RULE('limitTarget', (): LimitTargetKind => {
    return this.OR([
      { ALT: () => this.val(this.CONSUME(KW.COMMAND), 'COMMAND' as const) },
      { ALT: () => this.val(this.CONSUME(KW.QUERY), 'QUERY' as const) },
      { ALT: () => this.val(this.CONSUME(TABLE), 'TABLE' as const) },
      { ALT: () => this.val(this.CONSUME(KW.VIEW), 'VIEW' as const) },
    ]);
  });

  private limitStmt = this.RULE('limitStmt', (): LimitStmt => {
    const start = this.CONSUME(KW.LIMIT);
    const name = this.CONSUME(Ident);
    const actions: { op: OperationName; pos: Pos }[] = [];
    this.OPTION(() => {
      actions.push(this.SUBRULE1(this.limitAction));
      this.MANY(() => {
        this.CONSUME(Comma);
        actions.push(this.SUBRULE2(this.limitAction));
      });
    });
    let single: LimitStmt['single'];
    let all: LimitStmt['all'];
    let each: LimitStmt['each'];
    this.OR([
      {
        ALT: () => {
          const target = this.OR1([
            { ALT: () => this.val(this.CONSUME(ONCOMMAND), 'COMMAND' as const) },
            { ALT: () => this.val(this.CONSUME(ONQUERY), 'QUERY' as const) },
            { ALT: () => this.val(this.CONSUME(ONTABLE), 'TABLE' as const) },
            { ALT: () => this.val(this.CONSUME(ONVIEW), 'VIEW' as const) },
          ]);
          const q = this.SUBRULE1(this.qname);
          single = { target, name: q };
        },
      },
      {
        ALT: () => {
          const target = this.OR2([
            { ALT: () => this.val(this.CONSUME(ONALLCOMMANDS), 'COMMAND' as const) },
            { ALT: () => this.val(this.CONSUME(ONALLQUERIES), 'QUERY' as const) },
            { ALT: () => this.val(this.CONSUME(ONALLTABLES), 'TABLE' as const) },
            { ALT: () => this.val(this.CONSUME(ONALLVIEWS), 'VIEW' as const) },
          ]);
          let tag: DefQName | undefined;
          this.OPTION1(() => {
            this.CONSUME1(WITHTAG);
            tag = this.SUBRULE2(this.qname);
          });
          all = { target, tag };
        },
      },
      {
        ALT: () => {
          this.CONSUME(KW.ON);
          this.CONSUME(KW.EACH);
          const target = this.SUBRULE(this.limitTarget);
          let tag: DefQName | undefined;
          this.OPTION2(() => {
            this.CONSUME2(WITHTAG);
            tag = this.SUBRULE3(this.qname);
          });
          each = { target, tag };
        },
      },
    ]);
    this.CONSUME(KW.WITH);
    this.CONSUME(KW.RATE);
    const rate = this.SUBRULE4(this.qname);
    return this.ACTION(() =>
      node({
        kind: 'Limit' as const,
        pos: this.pos(start),
        comments: this.doc(start),
        name: unquoteIdent(name.image),
        actions,
        single,
        all,
        each,
        rate,
      }),
    );
  });

  // ---- grants ----

  private grantColumn = this.RULE('grantColumn', (): GrantColumn => {
    const q = this.SUBRULE(this.qname);
    return this.ACTION(() =>
      node({
        name: q.pkg === '' ? q.name : `${q.pkg}.${q.name}`,
        sys: q.pkg !== '',
        pos: q.pos,
      }),
    );
  });

  private grantTableAction = this.RULE('grantTableAction', (): GrantTableAction => {
    const t = this.OR([
      { ALT: () => this.CONSUME(SELECT) },
      { ALT: () => this.CONSUME(KW.INSERT) },
      { ALT: () => this.CONSUME(KW.UPDATE) },
      { ALT: () => this.CONSUME(KW.ACTIVATE) },
      { ALT: () => this.CONSUME(KW.DEACTIVATE) },
    ]);
    const columns: GrantColumn[] = [];
    this.OPTION(() => {
      this.CONSUME(LParen);
      columns.push(this.SUBRULE1(this.grantColumn));
      this.MANY(() => {
        this.CONSUME(Comma);
        columns.push(this.SUBRULE2(this.grantColumn));
      });
      this.CONSUME(RParen);
    });
    return this.ACTION(() => node({ op: t.image as TableOpName, columns, pos: this.pos(t) }));
  });

  private grantTarget = this.RULE('grantTarget', (): GrantTarget => {
    return this.OR({
      IGNORE_AMBIGUITIES: true,
      DEF: [
        {
          ALT: () => {
            this.CONSUME(EXECUTE);
            return this.OR1([
              {
                ALT: () => {
                  this.CONSUME(ONCOMMAND);
                  const name = this.SUBRULE1(this.qname);
                  return node({ kind: 'Command' as const, name });
                },
              },
              {
                ALT: () => {
                  this.CONSUME(ONALLCOMMANDS);
                  let tag: DefQName | undefined;
                  this.OPTION(() => {
                    this.CONSUME1(WITHTAG);
                    tag = this.SUBRULE2(this.qname);
                  });
                  return node({ kind: 'AllCommands' as const, tag });
                },
              },
              {
                ALT: () => {
                  this.CONSUME(ONQUERY);
                  const name = this.SUBRULE3(this.qname);
                  return node({ kind: 'Query' as const, name });
                },
              },
              {
                ALT: () => {
                  this.CONSUME(ONALLQUERIES);
                  let tag: DefQName | undefined;
                  this.OPTION1(() => {
                    this.CONSUME2(WITHTAG);
                    tag = this.SUBRULE4(this.qname);
                  });
                  return node({ kind: 'AllQueries' as const, tag });
                },
              },
            ]);
          },
        },
        {
          GATE: () =>
            is(this.LA(1), SELECT) && (is(this.LA(2), ONALLVIEWS) || is(this.LA(2), ONVIEW)),
          ALT: () => {
            this.CONSUME1(SELECT);
            return this.OR2([
              {
                ALT: () => {
                  this.CONSUME1(ONALLVIEWS);
                  let tag: DefQName | undefined;
                  this.OPTION2(() => {
                    this.CONSUME3(WITHTAG);
                    tag = this.SUBRULE5(this.qname);
                  });
                  return node({ kind: 'AllViews' as const, tag });
                },
              },
              {
                ALT: () => {
                  this.CONSUME1(ONVIEW);
                  const name = this.SUBRULE6(this.qname);
                  return node({ kind: 'View' as const, name, columns: [] as IdentNode[] });
                },
              },
            ]);
          },
        },
        {
          // SELECT (cols) ON VIEW v
          GATE: () =>
            is(this.LA(1), SELECT) && is(this.LA(2), LParen) && this.selectColumnsOnView(),
          ALT: () => {
            this.CONSUME2(SELECT);
            this.CONSUME(LParen);
            const columns = this.SUBRULE(this.identList);
            this.CONSUME(RParen);
            this.CONSUME2(ONVIEW);
            const name = this.SUBRULE7(this.qname);
            return this.ACTION(() => node({ kind: 'View' as const, name, columns }));
          },
        },
        {
          GATE: () => tableGrantStart(this.LA(1)) && !is(this.LA(2), KW.TO) && !is(this.LA(2), Dot),
          ALT: () => this.SUBRULE(this.tableGrant),
        },
        {
          ALT: () => {
            const name = this.SUBRULE8(this.qname);
            return this.ACTION(() => node({ kind: 'Role' as const, name }));
          },
        },
      ],
    });
  });

  /** After `SELECT (`: the column list is followed by ON VIEW (a view grant) rather than ON TABLE. */
  private selectColumnsOnView(): boolean {
    for (let i = 3; i < 300; i++) {
      const t = this.LA(i);
      if (t.tokenType === EOF) return false;
      if (is(t, RParen)) return is(this.LA(i + 1), ONVIEW);
    }
    return false;
  }

  private tableGrant = this.RULE('tableGrant', (): GrantTarget => {
    let all: { columns: IdentNode[] } | undefined;
    let allFlag = false;
    const actions: GrantTableAction[] = [];
    this.OR([
      {
        ALT: () => {
          this.CONSUME(KW.ALL);
          allFlag = true;
          let columns: IdentNode[] = [];
          this.OPTION(() => {
            this.CONSUME(LParen);
            columns = this.SUBRULE(this.identList);
            this.CONSUME(RParen);
          });
          all = { columns };
        },
      },
      {
        ALT: () => {
          actions.push(this.SUBRULE1(this.grantTableAction));
          this.MANY(() => {
            this.CONSUME(Comma);
            actions.push(this.SUBRULE2(this.grantTableAction));
          });
        },
      },
    ]);
    return this.OR1([
      {
        ALT: () => {
          this.CONSUME(ONTABLE);
          const name = this.SUBRULE1(this.qname);
          return this.ACTION(() => node({ kind: 'Table' as const, name, all, actions }));
        },
      },
      {
        ALT: () => {
          this.CONSUME(ONALLTABLES);
          let tag: DefQName | undefined;
          this.OPTION1(() => {
            this.CONSUME(WITHTAG);
            tag = this.SUBRULE2(this.qname);
          });
          return this.ACTION(() =>
            node({ kind: 'AllTables' as const, all: allFlag, actions, tag }),
          );
        },
      },
    ]);
  });

  private grantStmt = this.RULE('grantStmt', (): GrantStmt => {
    const start = this.LA(1);
    return this.OR([
      {
        ALT: () => {
          this.CONSUME(KW.GRANT);
          const target = this.SUBRULE1(this.grantTarget);
          this.CONSUME(KW.TO);
          const role = this.SUBRULE1(this.qname);
          return this.ACTION(() =>
            node({
              kind: 'Grant' as const,
              pos: this.pos(start),
              comments: this.doc(start),
              target,
              role,
            }),
          );
        },
      },
      {
        ALT: () => {
          this.CONSUME(KW.REVOKE);
          const target = this.SUBRULE2(this.grantTarget);
          this.CONSUME(KW.FROM);
          const role = this.SUBRULE2(this.qname);
          return this.ACTION(() =>
            node({
              kind: 'Revoke' as const,
              pos: this.pos(start),
              comments: this.doc(start),
              target,
              role,
            }),
          );
        },
      },
    ]);
  });

  // ---- expressions (CHECK, parsed only) ----

  private expression = this.RULE('expression', (): Expr => {
    let left = this.SUBRULE1(this.andCondition);
    this.MANY(() => {
      this.CONSUME(KW.OR);
      const right = this.SUBRULE2(this.andCondition);
      left = this.ACTION(() => node({ kind: 'Binary' as const, op: 'OR', left, right }));
    });
    return left;
  });

  private andCondition = this.RULE('andCondition', (): Expr => {
    let left = this.SUBRULE1(this.condition);
    this.MANY(() => {
      this.CONSUME(KW.AND);
      const right = this.SUBRULE2(this.condition);
      left = this.ACTION(() => node({ kind: 'Binary' as const, op: 'AND', left, right }));
    });
    return left;
  });

  private condition = this.RULE('condition', (): Expr => {
    return this.OR({
      IGNORE_AMBIGUITIES: true,
      DEF: [
        {
          GATE: () => !is(this.LA(2), LParen) || is(this.LA(1), KW.NOT),
          ALT: () => {
            this.CONSUME(KW.NOT);
            const operand = this.SUBRULE1(this.condition);
            return this.ACTION(() => node({ kind: 'Not' as const, operand }));
          },
        },
        { ALT: () => this.SUBRULE(this.conditionOperand) },
      ],
    });
  });

  private conditionOperand = this.RULE('conditionOperand', (): Expr => {
    const operand = this.SUBRULE1(this.operand);
    let result: Expr = operand;
    this.OPTION(() => {
      this.OR([
        {
          ALT: () => {
            const op = this.CONSUME(CompareOp);
            const right = this.SUBRULE2(this.operand);
            result = this.ACTION(() =>
              node({ kind: 'Binary' as const, op: op.image, left: operand, right }),
            );
          },
        },
        {
          ALT: () => {
            this.CONSUME(KW.IS);
            let not = false;
            this.OR1([
              {
                ALT: () => {
                  this.CONSUME(NOTNULL);
                  not = true;
                },
              },
              {
                ALT: () => {
                  this.OPTION1(() => {
                    this.CONSUME(KW.NOT);
                    not = true;
                  });
                  this.CONSUME(KW.NULL);
                },
              },
            ]);
            result = this.ACTION(() => node({ kind: 'IsNull' as const, not, operand }));
          },
        },
        {
          ALT: () => {
            this.CONSUME(KW.BETWEEN);
            const s = this.SUBRULE3(this.operand);
            this.CONSUME(KW.AND);
            const e = this.SUBRULE4(this.operand);
            result = this.ACTION(() =>
              node({ kind: 'Between' as const, operand, start: s, end: e }),
            );
          },
        },
        {
          ALT: () => {
            this.CONSUME(KW.IN);
            this.CONSUME(LParen);
            const list: Expr[] = [];
            list.push(this.SUBRULE1(this.expression));
            this.MANY(() => {
              this.CONSUME(Comma);
              list.push(this.SUBRULE2(this.expression));
            });
            this.CONSUME(RParen);
            result = this.ACTION(() => node({ kind: 'In' as const, operand, list }));
          },
        },
      ]);
    });
    return result;
  });

  private operand = this.RULE('operand', (): Expr => {
    const left = this.SUBRULE1(this.factor);
    let result = left;
    this.OPTION(() => {
      const op = this.OR([{ ALT: () => this.CONSUME(Plus) }, { ALT: () => this.CONSUME(Minus) }]);
      const right = this.SUBRULE2(this.factor);
      result = this.ACTION(() => node({ kind: 'Binary' as const, op: op.image, left, right }));
    });
    return result;
  });

  private factor = this.RULE('factor', (): Expr => {
    const left = this.SUBRULE1(this.term);
    let result = left;
    this.OPTION(() => {
      const op = this.CONSUME(MulOp);
      const right = this.SUBRULE2(this.term);
      result = this.ACTION(() => node({ kind: 'Binary' as const, op: op.image, left, right }));
    });
    return result;
  });

  private term = this.RULE('term', (): Expr => {
    return this.OR({
      IGNORE_AMBIGUITIES: true,
      DEF: [
        {
          ALT: () => {
            const t = this.CONSUME(IntLit);
            return this.ACTION(() => node({ kind: 'Literal' as const, value: Number(t.image) }));
          },
        },
        {
          ALT: () => {
            const t = this.CONSUME(FloatLit);
            return this.ACTION(() => node({ kind: 'Literal' as const, value: Number(t.image) }));
          },
        },
        {
          ALT: () => {
            const s = this.SUBRULE(this.stringValue);
            return this.ACTION(() => node({ kind: 'Literal' as const, value: s }));
          },
        },
        {
          ALT: () =>
            this.val(this.CONSUME(KW.TRUE), node({ kind: 'Literal' as const, value: true })),
        },
        {
          ALT: () =>
            this.val(this.CONSUME(KW.FALSE), node({ kind: 'Literal' as const, value: false })),
        },
        {
          ALT: () =>
            this.val(this.CONSUME(KW.NULL), node({ kind: 'Literal' as const, value: null })),
        },
        {
          ALT: () => {
            const name = this.SUBRULE(this.qname);
            let args: Expr[] | undefined;
            this.OPTION(() => {
              this.CONSUME(LParen);
              const list: Expr[] = [];
              list.push(this.SUBRULE1(this.expression));
              this.MANY(() => {
                this.CONSUME(Comma);
                list.push(this.SUBRULE2(this.expression));
              });
              this.CONSUME(RParen);
              args = list;
            });
            return this.ACTION(() => node({ kind: 'Symbol' as const, name, args }));
          },
        },
        {
          ALT: () => {
            this.CONSUME1(LParen);
            const e = this.SUBRULE3(this.expression);
            this.CONSUME1(RParen);
            return e;
          },
        },
      ],
    });
  });
}

const dataTypeStarts = new Set<number>(
  [
    KW.varchar,
    KW.text,
    KW.varbinary,
    KW.bytes,
    KW.tinyint,
    KW.int8,
    KW.smallint,
    KW.int16,
    KW.integer,
    KW.int,
    KW.int32,
    KW.bigint,
    KW.int64,
    KW.real,
    KW.float,
    KW.float32,
    KW.float64,
    KW.timestamp,
    KW.money,
    KW.currency,
    KW.boolean,
    KW.bool,
    KW.blob,
    KW.qname,
  ].map((t) => t.tokenTypeIdx as number),
);

function isListEnd(t: IToken): boolean {
  return t.tokenType === EOF || is(t, RParen) || is(t, Semi);
}

function isItemEnd(t: IToken): boolean {
  return t.tokenType === EOF || is(t, RParen) || is(t, Comma);
}

function tableGrantStart(t: IToken): boolean {
  if (is(t, SELECT)) return true;
  if (is(t, KW.ALL)) return true;
  return tableOps.some((op) => op !== 'SELECT' && is(t, KW[op]));
}

let shared: VsqlParser | undefined;

export interface ParseResult {
  readonly ast: FileAst | undefined;
  readonly errors: readonly SchemaError[];
}

/** Parses one VSQL file. Never throws on bad input: a file gives either a syntax tree or its first error. */
export function parseFile(fileName: string, text: string): ParseResult {
  const lexed = tokenize(text);
  if (lexed.error !== undefined) {
    const { line, col, message } = lexed.error;
    return { ast: undefined, errors: [errorAt({ file: fileName, line, col }, message)] };
  }
  if (shared === undefined) shared = new VsqlParser();
  const parser = shared;
  parser.load(fileName, text, lexed.tokens);
  const result = parser.file();
  const err = parser.errors[0];
  if (err !== undefined) {
    const t = err.token;
    const atEof = t.tokenType === EOF;
    const last = lexed.tokens[lexed.tokens.length - 1];
    const line = atEof ? (last?.endLine ?? 1) : (t.startLine ?? 0);
    const col = atEof ? (last?.endColumn ?? 0) + 1 : (t.startColumn ?? 0);
    const image = atEof ? '<EOF>' : t.image;
    return {
      ast: undefined,
      errors: [errorAt({ file: fileName, line, col }, `unexpected token "${image}"`)],
    };
  }
  return {
    ast: node({
      kind: 'File' as const,
      fileName,
      imports: result.imports,
      statements: result.statements,
    }),
    errors: [],
  };
}
