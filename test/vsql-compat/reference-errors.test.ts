// The reference parser's error-asserting cases (reference-tests.md §2), run against the parser test sys
// package from the corpus. Positions and messages must match the reference's exactly.
import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import { type CompileSource, compileSources, formatErrors } from '../../src/schema/index.js';
import { corpusPackage, corpusSkipReason, parserTestSys } from './corpus.js';

interface ErrorCase {
  readonly id: number;
  readonly name: string;
  /** Where the test sys package goes in the package list (the reference tests vary it), or none. */
  readonly sys: 'first' | 'last' | 'none';
  readonly packages: readonly CompileSource[];
  readonly expected?: readonly string[];
  readonly contains?: string;
}

const cases: readonly ErrorCase[] = [
  {
    id: 1,
    name: 'Test_CircularReferencesTables',
    sys: 'first',
    packages: [
      {
        path: 'pkg/test',
        files: [
          {
            name: 'file1.vsql',
            text: `APPLICATION test();
	WORKSPACE MyWorkspace(
		ABSTRACT TABLE table2 INHERITS table2 ();
		ABSTRACT TABLE table3 INHERITS table3 ();
		ABSTRACT TABLE table4 INHERITS table5 ();
		ABSTRACT TABLE table5 INHERITS table6 ();
		ABSTRACT TABLE table6 INHERITS table4 ();
	);
	`,
          },
        ],
      },
    ],
    expected: [
      'file1.vsql:3:3: circular reference in INHERITS',
      'file1.vsql:4:3: circular reference in INHERITS',
      'file1.vsql:5:3: circular reference in INHERITS',
      'file1.vsql:6:3: circular reference in INHERITS',
      'file1.vsql:7:3: circular reference in INHERITS',
    ],
  },
  {
    id: 2,
    name: 'Test_CircularReferencesWorkspaces',
    sys: 'first',
    packages: [
      {
        path: 'pkg/test',
        files: [
          {
            name: 'file1.vsql',
            text: `APPLICATION test();
	ABSTRACT WORKSPACE w1();
		ABSTRACT WORKSPACE w2 INHERITS w1,w2(
			TABLE table4 INHERITS sys.CDoc();
		);
		ABSTRACT WORKSPACE w3 INHERITS w4();
		ABSTRACT WORKSPACE w4 INHERITS w5();
		ABSTRACT WORKSPACE w5 INHERITS w3();
	`,
          },
        ],
      },
    ],
    expected: [
      'file1.vsql:3:37: circular reference in INHERITS',
      'file1.vsql:6:34: circular reference in INHERITS',
      'file1.vsql:7:34: circular reference in INHERITS',
      'file1.vsql:8:34: circular reference in INHERITS',
    ],
  },
  {
    id: 3,
    name: 'Test_Alter_Workspace (non-alterable)',
    sys: 'first',
    packages: [
      {
        path: 'org/main',
        files: [
          {
            name: 'file0.vsql',
            text: `
		IMPORT SCHEMA 'org/pkg1';
		IMPORT SCHEMA 'org/pkg2';
		APPLICATION test(
			USE pkg1;
			USE pkg2;
		);
		`,
          },
        ],
      },
      {
        path: 'org/pkg1',
        files: [
          {
            name: 'file1.vsql',
            text: `
			ABSTRACT WORKSPACE AWorkspace(
				TABLE table1 INHERITS sys.CDoc (a ref);
			);
		`,
          },
        ],
      },
      {
        path: 'org/pkg2',
        files: [
          {
            name: 'file2.vsql',
            text: `
			IMPORT SCHEMA 'org/pkg1'
			ALTER WORKSPACE pkg1.AWorkspace(
				TABLE table2 INHERITS sys.CDoc (a ref);
			);
		`,
          },
        ],
      },
    ],
    expected: ['file2.vsql:3:20: workspace pkg1.AWorkspace is not alterable'],
  },
  {
    id: 4,
    name: 'Test_DupFieldsInTypes',
    sys: 'first',
    packages: [
      {
        path: 'pkg/test',
        files: [
          {
            name: 'file1.vsql',
            text: `APPLICATION test();
	WORKSPACE MyWorkspace(
		TYPE RootType (
			Id int32
		);
		TYPE BaseType(
			RootType,
			baseField int
		);
		TYPE BaseType2 (
			someField int
		);
		TYPE MyType(
			BaseType,
			BaseType2,
			field varchar,
			field varchar,
			baseField varchar,
			someField int,
			Id varchar
		)
	)
	`,
          },
        ],
      },
    ],
    expected: [
      'file1.vsql:17:4: redefinition of field',
      'file1.vsql:18:4: redefinition of baseField',
      'file1.vsql:19:4: redefinition of someField',
      'file1.vsql:20:4: redefinition of Id',
    ],
  },
  {
    id: 5,
    name: 'Test_Varchar',
    sys: 'first',
    packages: [
      {
        path: 'pkg/test',
        files: [
          {
            name: 'file1.vsql',
            text: `APPLICATION test(); WORKSPACE MyWorkspace(
	TYPE RootType (
		Oversize varchar(65536)
	);
	TYPE CDoc1 (
		Oversize varchar(65536)
	););
	`,
          },
        ],
      },
    ],
    expected: [
      'file1.vsql:3:12: maximum field length is 65535',
      'file1.vsql:6:12: maximum field length is 65535',
    ],
  },
  {
    id: 6,
    name: 'Test_DupFieldsInTables',
    sys: 'first',
    packages: [
      {
        path: 'pkg/test',
        files: [
          {
            name: 'file1.vsql',
            text: `APPLICATION test(); WORKSPACE MyWorkspace(
	TYPE RootType (
		Kind int32
	);
	TYPE BaseType(
		RootType,
		baseField int
	);
	TYPE BaseType2 (
		someField int
	);
	ABSTRACT TABLE ByBaseTable INHERITS sys.CDoc (
		Name varchar,
		Code varchar
	);
	TABLE MyTable INHERITS ByBaseTable(
		BaseType,
		BaseType2,
		newField varchar,
		field varchar,
		field varchar, 		-- duplicated in the this table
		baseField varchar,		-- duplicated in the first OF
		someField int,		-- duplicated in the second OF
		Kind int,			-- duplicated in the first OF (2nd level)
		Name int,			-- duplicated in the inherited table
		ID varchar
))
	`,
          },
        ],
      },
    ],
    expected: [
      'file1.vsql:21:3: redefinition of field',
      'file1.vsql:22:3: redefinition of baseField',
      'file1.vsql:23:3: redefinition of someField',
      'file1.vsql:24:3: redefinition of Kind',
      'file1.vsql:25:3: redefinition of Name',
    ],
  },
  {
    id: 7,
    name: 'Test_AbstractTables',
    sys: 'first',
    packages: [
      {
        path: 'test/pkg1',
        files: [
          {
            name: 'file1.vsql',
            text: `APPLICATION test();

	WORKSPACE MyWorkspace1(
	TABLE ByBaseTable INHERITS sys.CDoc (
		Name varchar
	);
	TABLE MyTable INHERITS ByBaseTable(		-- NOT ALLOWED (base table must be abstract)
	);

	TABLE My1 INHERITS sys.CRecord(
		f1 ref(AbstractTable)				-- NOT ALLOWED (reference to abstract table)
	);

	ABSTRACT TABLE AbstractTable INHERITS sys.CDoc(
	);

	EXTENSION ENGINE BUILTIN (

			PROJECTOR proj1
            AFTER INSERT ON AbstractTable 	-- NOT ALLOWED (projector refers to abstract table)
            INTENTS(sys.SendMail);

			SYNC PROJECTOR proj2
            AFTER INSERT ON My1
            INTENTS(sys.Record(AbstractTable));	-- NOT ALLOWED (projector refers to abstract table)

			PROJECTOR proj3
            AFTER INSERT ON My1
			STATE(sys.Record(AbstractTable))		-- NOT ALLOWED (projector refers to abstract table)
            INTENTS(sys.SendMail);
		);
		TABLE My2 INHERITS sys.CRecord(
			nested AbstractTable			-- NOT ALLOWED
		);
		TABLE My3 INHERITS sys.CRecord(
			f int,
			items ABSTRACT TABLE Nested()	-- NOT ALLOWED
		);
	)
	`,
          },
        ],
      },
    ],
    expected: [
      'file1.vsql:7:25: base table must be abstract',
      'file1.vsql:20:29: projector refers to abstract table AbstractTable',
      'file1.vsql:25:21: projector refers to abstract table AbstractTable',
      'file1.vsql:29:10: projector refers to abstract table AbstractTable',
      'file1.vsql:33:11: nested abstract table AbstractTable',
      'file1.vsql:37:4: nested abstract table Nested',
      'file1.vsql:11:10: reference to abstract table AbstractTable',
    ],
  },
  {
    id: 8,
    name: 'Test_AbstractTables2',
    sys: 'first',
    packages: [
      {
        path: 'test/pkg',
        files: [
          {
            name: 'file1.vsql',
            text: `APPLICATION test();
	WORKSPACE MyWorkspace1(
		ABSTRACT TABLE AbstractTable INHERITS sys.CDoc(
		);

		TABLE My2 INHERITS sys.CRecord(
			nested AbstractTable			-- NOT ALLOWED
		);
	);
	`,
          },
        ],
      },
    ],
    expected: ['file1.vsql:7:11: nested abstract table AbstractTable'],
  },
  {
    id: 9,
    name: 'Test_WorkspaceDescriptors',
    sys: 'first',
    packages: [
      {
        path: 'test/pkg',
        files: [
          {
            name: 'file1.vsql',
            text: `APPLICATION test();
	ROLE R1;
	WORKSPACE W1(
		DESCRIPTOR(); -- gets name W1Descriptor
	);
	WORKSPACE W2(
		DESCRIPTOR W2D(); -- gets name W2D
	);
	WORKSPACE W3(
		DESCRIPTOR R1(); -- duplicated name
	);
	ROLE W2D; -- duplicated name
	`,
          },
        ],
      },
    ],
    expected: ['file1.vsql:10:14: redefinition of R1', 'file1.vsql:12:2: redefinition of W2D'],
  },
  {
    id: 10,
    name: 'Test_PanicUnknownFieldType',
    sys: 'first',
    packages: [
      {
        path: 'test/pkg',
        files: [
          {
            name: 'file1.vsql',
            text: `APPLICATION test(); WORKSPACE MyWorkspace(
	TABLE MyTable INHERITS sys.CDoc (
		Name asdasd,
		Code varchar
	))
	`,
          },
        ],
      },
    ],
    expected: ['file1.vsql:3:8: undefined data type or table: asdasd'],
  },
  {
    id: 11,
    name: 'Test_Duplicates',
    sys: 'first',
    packages: [
      {
        path: 'test/pkg',
        files: [
          {
            name: 'file1.vsql',
            text: `APPLICATION test();
	EXTENSION ENGINE BUILTIN (
		FUNCTION MyTableValidator() RETURNS void;
		FUNCTION MyTableValidator(TableRow) RETURNS string;
		FUNCTION MyFunc2() RETURNS void;
	);
	`,
          },
          {
            name: 'file2.vsql',
            text: `
	WORKSPACE ChildWorkspace (
		TABLE Rec1 INHERITS CRecord();
		TAG MyFunc2; -- redeclared
		EXTENSION ENGINE BUILTIN (
			FUNCTION MyFunc3() RETURNS void;
			FUNCTION MyFunc4() RETURNS void;
		);
		WORKSPACE InnerWorkspace (
			ROLE MyFunc4; -- redeclared
		);
		TABLE Doc1 INHERITS sys.ODoc(
			nested1 Rec1,
			nested2 TABLE Rec1() -- redeclared
		)
	)
	`,
          },
        ],
      },
    ],
    expected: [
      'file1.vsql:4:3: redefinition of MyTableValidator',
      'file2.vsql:4:3: redefinition of MyFunc2',
      'file2.vsql:10:4: redefinition of MyFunc4',
      'file2.vsql:14:12: redefinition of Rec1',
    ],
  },
  {
    id: 12,
    name: 'Test_Commands',
    sys: 'first',
    packages: [
      {
        path: 'github.com/company/pkg',
        files: [
          {
            name: 'file.vsql',
            text: `APPLICATION test();
	WORKSPACE Workspace (
		EXTENSION ENGINE BUILTIN (
			COMMAND Orders(fake.Fake, UNLOGGED fake.Fake) RETURNS fake.Fake
		);
	)
	`,
          },
        ],
      },
    ],
    expected: [
      'file.vsql:4:19: fake undefined',
      'file.vsql:4:39: fake undefined',
      'file.vsql:4:58: fake undefined',
    ],
  },
  {
    id: 13,
    name: 'Test_Queries (fake return type)',
    sys: 'first',
    packages: [
      {
        path: 'github.com/company/pkg',
        files: [
          {
            name: 'file.vsql',
            text: `APPLICATION test();
	WORKSPACE Workspace (
		EXTENSION ENGINE BUILTIN (
			QUERY q(fake.Fake) RETURNS fake.Fake
		);
	)
	`,
          },
        ],
      },
    ],
    expected: ['file.vsql:4:12: fake undefined', 'file.vsql:4:31: fake undefined'],
  },
  {
    id: 14,
    name: 'Test_Queries (no return)',
    sys: 'first',
    packages: [
      {
        path: 'github.com/company/pkg',
        files: [
          {
            name: 'file.vsql',
            text: `APPLICATION test();
	WORKSPACE Workspace (
		EXTENSION ENGINE BUILTIN (
			QUERY Qry();
		);
	)`,
          },
        ],
      },
    ],
    expected: ['file.vsql:4:4: query must have a return type'],
  },
  {
    id: 15,
    name: 'Test_DuplicatesInViews',
    sys: 'first',
    packages: [
      {
        path: 'github.com/company/pkg',
        files: [
          {
            name: 'file.vsql',
            text: `APPLICATION test();
	WORKSPACE Workspace (
		VIEW test(
			field1 int,
			field2 int,
			field1 varchar,
			PRIMARY KEY(field1),
			PRIMARY KEY(field2),
			field2 ref
		) AS RESULT OF Proj1;

		EXTENSION ENGINE BUILTIN (
			PROJECTOR Proj1 AFTER EXECUTE ON (Orders) INTENTS (sys.View(test));
			COMMAND Orders()
		);
	)
	`,
          },
        ],
      },
    ],
    expected: [
      'file.vsql:6:4: redefinition of field1',
      'file.vsql:8:16: redefinition of primary key',
      'file.vsql:9:4: redefinition of field2',
    ],
  },
  {
    id: 16,
    name: 'Test_Views (1)',
    sys: 'first',
    packages: [
      {
        path: 'github.com/company/pkg',
        files: [
          {
            name: 'file.vsql',
            text: `APPLICATION test(); WORKSPACE Workspace (
		VIEW test(
			field1 int,
			PRIMARY KEY((field2),field1)
		) AS RESULT OF Proj1;
		EXTENSION ENGINE BUILTIN (
			PROJECTOR Proj1 AFTER EXECUTE ON (Orders) INTENTS (sys.View(test));
			COMMAND Orders()
		);
		)
`,
          },
        ],
      },
    ],
    expected: ['file.vsql:4:17: undefined field field2'],
  },
  {
    id: 17,
    name: 'Test_Views (2)',
    sys: 'first',
    packages: [
      {
        path: 'github.com/company/pkg',
        files: [
          {
            name: 'file.vsql',
            text: `APPLICATION test(); WORKSPACE Workspace (
			VIEW test(
				field1 int,
				PRIMARY KEY(field2)
			) AS RESULT OF Proj1;
			EXTENSION ENGINE BUILTIN (
				PROJECTOR Proj1 AFTER EXECUTE ON (Orders) INTENTS (sys.View(test));
				COMMAND Orders()
			);
			)
	`,
          },
        ],
      },
    ],
    expected: ['file.vsql:4:17: undefined field field2'],
  },
  {
    id: 18,
    name: 'Test_Views (3)',
    sys: 'first',
    packages: [
      {
        path: 'github.com/company/pkg',
        files: [
          {
            name: 'file.vsql',
            text: `APPLICATION test(); WORKSPACE Workspace (
			VIEW test(
				field1 varchar,
				PRIMARY KEY((field1))
			) AS RESULT OF Proj1;
			EXTENSION ENGINE BUILTIN (
				PROJECTOR Proj1 AFTER EXECUTE ON (Orders) INTENTS (sys.View(test));
				COMMAND Orders()
			);
			)
	`,
          },
        ],
      },
    ],
    expected: [
      'file.vsql:4:18: varchar field field1 not supported in partition key',
      'file.vsql:4:17: clustering columns not defined',
    ],
  },
  {
    id: 19,
    name: 'Test_Views (4)',
    sys: 'first',
    packages: [
      {
        path: 'github.com/company/pkg',
        files: [
          {
            name: 'file.vsql',
            text: `APPLICATION test(); WORKSPACE Workspace (
		VIEW test(
			field1 bytes,
			PRIMARY KEY((field1))
		) AS RESULT OF Proj1;
		EXTENSION ENGINE BUILTIN (
			PROJECTOR Proj1 AFTER EXECUTE ON (Orders) INTENTS (sys.View(test));
			COMMAND Orders()
		);
	)
	`,
          },
        ],
      },
    ],
    expected: [
      'file.vsql:4:17: bytes field field1 not supported in partition key',
      'file.vsql:4:16: clustering columns not defined',
    ],
  },
  {
    id: 20,
    name: 'Test_Views (5)',
    sys: 'first',
    packages: [
      {
        path: 'github.com/company/pkg',
        files: [
          {
            name: 'file.vsql',
            text: `APPLICATION test(); WORKSPACE Workspace (
		VIEW test(
			field1 varchar,
			field2 int,
			PRIMARY KEY(field1, field2)
		) AS RESULT OF Proj1;
		EXTENSION ENGINE BUILTIN (
			PROJECTOR Proj1 AFTER EXECUTE ON (Orders) INTENTS (sys.View(test));
			COMMAND Orders()
		);
	)
	`,
          },
        ],
      },
    ],
    expected: ['file.vsql:5:16: varchar field field1 can only be the last one in clustering key'],
  },
  {
    id: 21,
    name: 'Test_Views (6)',
    sys: 'first',
    packages: [
      {
        path: 'github.com/company/pkg',
        files: [
          {
            name: 'file.vsql',
            text: `APPLICATION test(); WORKSPACE Workspace (
		VIEW test(
			field1 bytes,
			field2 int,
			PRIMARY KEY(field1, field2)
		) AS RESULT OF Proj1;
		EXTENSION ENGINE BUILTIN (
			PROJECTOR Proj1 AFTER EXECUTE ON (Orders) INTENTS (sys.View(test));
			COMMAND Orders()
		);
	)
	`,
          },
        ],
      },
    ],
    expected: ['file.vsql:5:16: bytes field field1 can only be the last one in clustering key'],
  },
  {
    id: 22,
    name: 'Test_Views (7)',
    sys: 'first',
    packages: [
      {
        path: 'github.com/company/pkg',
        files: [
          {
            name: 'file.vsql',
            text: `APPLICATION test(); WORKSPACE Workspace (
		ABSTRACT TABLE abc INHERITS sys.CDoc();
		VIEW test(
			field1 ref(abc),
			field2 ref(unexisting),
			PRIMARY KEY(field1, field2)
		) AS RESULT OF Proj1;
		EXTENSION ENGINE BUILTIN (
			PROJECTOR Proj1 AFTER EXECUTE ON (Orders) INTENTS (sys.View(test));
			COMMAND Orders()
		);
	)
	`,
          },
        ],
      },
    ],
    expected: [
      'file.vsql:4:15: reference to abstract table abc',
      'file.vsql:5:15: undefined table: unexisting',
    ],
  },
  {
    id: 23,
    name: 'Test_Views (8)',
    sys: 'first',
    packages: [
      {
        path: 'github.com/company/pkg',
        files: [
          {
            name: 'file.vsql',
            text: `APPLICATION test(); WORKSPACE Workspace (
		VIEW test(
			fld1 int32
		) AS RESULT OF Proj1;
		EXTENSION ENGINE BUILTIN (
			PROJECTOR Proj1 AFTER EXECUTE ON (Orders) INTENTS (sys.View(test));
			COMMAND Orders()
		);
	)
	`,
          },
        ],
      },
    ],
    expected: ['file.vsql:2:3: primary key not defined'],
  },
  {
    id: 24,
    name: 'Test_Views (record field in partition key)',
    sys: 'first',
    packages: [
      {
        path: 'github.com/company/pkg',
        files: [
          {
            name: 'file.vsql',
            text: `APPLICATION test(); WORKSPACE Workspace (
			VIEW test(
				i int32,
				field1 record,
				PRIMARY KEY((field1))
			) AS RESULT OF Proj1;
			EXTENSION ENGINE BUILTIN (
				PROJECTOR Proj1 AFTER EXECUTE ON (Orders) INTENTS (sys.View(test));
				COMMAND Orders()
			);
			)
		`,
          },
        ],
      },
    ],
    expected: [
      'file.vsql:4:5: record fields are only allowed in sys package',
      'file.vsql:5:18: record field field1 not supported in partition key',
      'file.vsql:5:17: clustering columns not defined',
    ],
  },
  {
    id: 25,
    name: 'Test_Views (record field in clustering key)',
    sys: 'first',
    packages: [
      {
        path: 'github.com/company/pkg',
        files: [
          {
            name: 'file.vsql',
            text: `APPLICATION test(); WORKSPACE Workspace (
			VIEW test(
				i int32,
				field1 record,
				PRIMARY KEY((i), field1)
			) AS RESULT OF Proj1;
			EXTENSION ENGINE BUILTIN (
				PROJECTOR Proj1 AFTER EXECUTE ON (Orders) INTENTS (sys.View(test));
				COMMAND Orders()
			);
			)
		`,
          },
        ],
      },
    ],
    expected: [
      'file.vsql:4:5: record fields are only allowed in sys package',
      'file.vsql:5:22: record field field1 not supported in partition key',
    ],
  },
  {
    id: 26,
    name: 'Test_Views (undefined result of)',
    sys: 'first',
    packages: [
      {
        path: 'github.com/company/pkg',
        files: [
          {
            name: 'file.vsql',
            text: `APPLICATION test(); WORKSPACE Workspace (
			VIEW test(
				i int32,
				field1 int32,
				PRIMARY KEY((i), field1)
			) AS RESULT OF Fake;
			)
		`,
          },
        ],
      },
    ],
    expected: ['file.vsql:6:19: Fake undefined'],
  },
  {
    id: 27,
    name: 'Test_Views2 (block 3: no intent)',
    sys: 'first',
    packages: [
      {
        path: 'test',
        files: [
          {
            name: 'file2.vsql',
            text: `APPLICATION test(); WORKSPACE Workspace (
			VIEW test(
				-- comment1
				field1 int,
				-- comment2
				field3 bytes(20),
				-- comment4
				field4 ref,
				PRIMARY KEY((field1),field4,field3)
			) AS RESULT OF Proj1;
			EXTENSION ENGINE BUILTIN (
				PROJECTOR Proj1 AFTER EXECUTE ON (Orders);
				COMMAND Orders()
			);
		)
		`,
          },
        ],
      },
    ],
    expected: ['file2.vsql:10:19: Proj1 does not declare intent for view test'],
  },
  {
    id: 28,
    name: 'Test_Views2 (block 4: no clustering columns)',
    sys: 'first',
    packages: [
      {
        path: 'test',
        files: [
          {
            name: 'file2.vsql',
            text: `APPLICATION test(); WORKSPACE Workspace (
			VIEW test(
				field1 int,
				PRIMARY KEY((field1))
			) AS RESULT OF Proj1;
			EXTENSION ENGINE BUILTIN (
				PROJECTOR Proj1 AFTER EXECUTE ON (Orders) INTENTS (sys.View(test));
				COMMAND Orders()
			);
		)
		`,
          },
        ],
      },
    ],
    expected: ['file2.vsql:4:17: clustering columns not defined'],
  },
  {
    id: 29,
    name: 'Test_Undefined',
    sys: 'last',
    packages: [
      {
        path: 'test',
        files: [
          {
            name: 'example.vsql',
            text: `APPLICATION test();
	WORKSPACE test (
		EXTENSION ENGINE WASM (
			COMMAND Orders() WITH Tags=(UndefinedTag);
			PROJECTOR ImProjector AFTER EXECUTE ON xyz.CreateUPProfile;
			COMMAND CmdFakeReturn() RETURNS text;
			COMMAND CmdNoReturn() RETURNS void;
			COMMAND CmdFakeArg(text);
			COMMAND CmdVoidArg(void);
			COMMAND CmdFakeUnloggedArg(UNLOGGED text);
		)
	)
	`,
          },
        ],
      },
    ],
    expected: [
      'example.vsql:4:32: undefined tag: UndefinedTag',
      'example.vsql:5:43: xyz undefined',
      'example.vsql:6:36: undefined type or table: text',
      'example.vsql:8:23: undefined type or table: text',
      'example.vsql:10:40: undefined type or table: text',
    ],
  },
  {
    id: 30,
    name: 'Test_Projectors (Errors)',
    sys: 'last',
    packages: [
      {
        path: 'test',
        files: [
          {
            name: 'example.vsql',
            text: `APPLICATION test();
	WORKSPACE test (
		TABLE Order INHERITS sys.ODoc();
		EXTENSION ENGINE WASM (
			COMMAND Orders();
			PROJECTOR ImProjector1 AFTER EXECUTE ON test.CreateUPProfile; 			-- Undefined
			PROJECTOR ImProjector2 AFTER EXECUTE ON Order; 							-- Bad: Order is not a type or command
			PROJECTOR ImProjector3 AFTER UPDATE ON Order; 				-- Bad
			PROJECTOR ImProjector4 AFTER ACTIVATE ON Order; 			-- Bad
			PROJECTOR ImProjector5 AFTER DEACTIVATE ON Order; 			-- Bad
			PROJECTOR ImProjector6 AFTER INSERT ON Order OR AFTER EXECUTE ON Orders;	-- Good
			PROJECTOR ImProjector7 AFTER EXECUTE WITH PARAM ON Bill;	-- Bad: Type undefined
			PROJECTOR ImProjector8 AFTER EXECUTE WITH PARAM ON sys.ODoc;	-- Good
			PROJECTOR ImProjector9 AFTER EXECUTE WITH PARAM ON sys.ORecord;	-- Bad
		);
	)
	`,
          },
        ],
      },
    ],
    expected: [
      'example.vsql:6:44: undefined command: test.CreateUPProfile',
      'example.vsql:7:44: undefined command: Order',
      'example.vsql:8:43: only INSERT allowed for ODoc or ORecord',
      'example.vsql:9:45: only INSERT allowed for ODoc or ORecord',
      'example.vsql:10:47: only INSERT allowed for ODoc or ORecord',
      'example.vsql:12:55: undefined type or ODoc: Bill',
      'example.vsql:14:55: undefined type or ODoc: sys.ORecord',
    ],
  },
  {
    id: 31,
    name: 'Test_Projectors (Intent errors)',
    sys: 'first',
    packages: [
      {
        path: 'github.com/company/pkg',
        files: [
          {
            name: 'file.vsql',
            text: `APPLICATION test();
		WORKSPACE Ws (
			TABLE Tbl INHERITS sys.CDoc();
			EXTENSION ENGINE WASM (
				PROJECTOR p AFTER INSERT ON Tbl INTENTS(sys.Record, sys.View, sys.View(fake), sys.Record(Tbl));
			);
		);`,
          },
        ],
      },
    ],
    expected: [
      'file.vsql:5:45: storage sys.Record requires entity',
      'file.vsql:5:57: storage sys.View requires entity',
      'file.vsql:5:67: undefined view: fake',
      'file.vsql:5:83: this kind of extension cannot use storage sys.Record in the intents',
    ],
  },
  {
    id: 32,
    name: 'Test_Projectors (State errors)',
    sys: 'first',
    packages: [
      {
        path: 'github.com/company/pkg',
        files: [
          {
            name: 'file.vsql',
            text: `APPLICATION test();
		WORKSPACE Ws (
			TABLE Tbl INHERITS sys.CDoc();
			EXTENSION ENGINE WASM (
				PROJECTOR p AFTER INSERT ON Tbl  STATE(sys.Subject);
			);
		);`,
          },
        ],
      },
    ],
    expected: [
      'file.vsql:5:44: this kind of extension cannot use storage sys.Subject in the state',
    ],
  },
  {
    id: 33,
    name: 'Test_Tags (Tag namespace)',
    sys: 'first',
    packages: [
      {
        path: 'github.com/untillpro/airsbp3/pkg1',
        files: [
          {
            name: 'example.vsql',
            text: `
		IMPORT SCHEMA 'github.com/untillpro/airsbp3/pkg2';
		IMPORT SCHEMA 'github.com/untillpro/airsbp3/pkg3' AS air;
		APPLICATION test(
			USE pkg2;
			USE pkg3;
		);
		ABSTRACT WORKSPACE base INHERITS pkg2.BaseWorkspace (
			TAG TagFromInheritedWs;
		);
		WORKSPACE test INHERITS base (
			EXTENSION ENGINE WASM (
				COMMAND Orders1 WITH Tags=(pkg2.InheritedTag); -- pkg2.InheritedTag undefined
				COMMAND Orders2 WITH Tags=(pkg3.SomePkg3Tag); -- pkg3.SomePkg3Tag undefined
				QUERY Query3 RETURNS void WITH Tags=(air.UnknownTag); -- air.UnknownTag undefined
				PROJECTOR ImProjector AFTER EXECUTE ON Air.CreateUPProfil; -- Air undefined
				COMMAND Orders3 WITH Tags=(TagFromInheritedWs);
			)
		);
		`,
          },
        ],
      },
      {
        path: 'github.com/untillpro/airsbp3/pkg2',
        files: [
          {
            name: 'example.vsql',
            text: `
		ABSTRACT WORKSPACE BaseWorkspace(
			TAG InheritedTag;
		);
		`,
          },
        ],
      },
      {
        path: 'github.com/untillpro/airsbp3/pkg3',
        files: [
          {
            name: 'example.vsql',
            text: `
		WORKSPACE WorkspacePkg3(
			TAG SomePkg3Tag;
		);`,
          },
        ],
      },
    ],
    expected: [
      'example.vsql:13:32: undefined tag: pkg2.InheritedTag',
      'example.vsql:14:32: undefined tag: pkg3.SomePkg3Tag',
      'example.vsql:15:42: undefined tag: air.UnknownTag',
      'example.vsql:16:44: Air undefined',
      'example.vsql:17:32: undefined tag: TagFromInheritedWs',
    ],
  },
  {
    id: 34,
    name: 'Test_AbstractWorkspace',
    sys: 'first',
    packages: [
      {
        path: 'test',
        files: [
          {
            name: 'example.vsql',
            text: `APPLICATION test();
	WORKSPACE ws1 ();
	ABSTRACT WORKSPACE ws2(
		DESCRIPTOR(					-- Incorrect
			a int
		);
	);
	WORKSPACE ws4 INHERITS ws2 ();
	WORKSPACE ws5 INHERITS ws1 ();  -- Incorrect
	`,
          },
        ],
      },
    ],
    expected: [
      'example.vsql:4:13: abstract workspace cannot have a descriptor',
      'example.vsql:9:25: base workspace must be abstract',
    ],
  },
  {
    id: 35,
    name: 'Test_SemanticAnalysisForReferences',
    sys: 'first',
    packages: [
      {
        path: 'test',
        files: [
          {
            name: 'example.vsql',
            text: `APPLICATION test(); WORKSPACE MyWorkspace(
		TABLE OTable INHERITS sys.ODoc ();
		TABLE CTable INHERITS sys.CDoc (
			OTableRef ref(OTable)
		))
		`,
          },
        ],
      },
    ],
    contains: 'table test.CTable can not reference to ODoc «test.OTable»',
  },
  {
    id: 36,
    name: 'Test_ReferenceToNoTable',
    sys: 'first',
    packages: [
      {
        path: 'test',
        files: [
          {
            name: 'example.vsql',
            text: `APPLICATION test(); WORKSPACE MyWorkspace(
	ROLE Admin;
	TABLE CTable INHERITS sys.CDoc (
		RefField ref(Admin)
	));
	`,
          },
        ],
      },
    ],
    contains: 'undefined table: Admin',
  },
  {
    id: 37,
    name: 'Test_AppSchemaErrors (1)',
    sys: 'none',
    packages: [
      {
        path: 'github.com/untillpro/airsbp3/pkg4',
        files: [
          {
            name: 'file2.vsql',
            text: `IMPORT SCHEMA 'github.com/untillpro/airsbp3/pkg3';
	APPLICATION test(
		USE air1;
		USE pkg3;
		)`,
          },
        ],
      },
      { path: 'github.com/untillpro/airsbp3/pkg2', files: [{ name: 'example2.vsql', text: `` }] },
      { path: 'github.com/untillpro/airsbp3/pkg3', files: [{ name: 'example3.vsql', text: `` }] },
    ],
    expected: [
      'file2.vsql:3:3: air1 undefined',
      'application does not define use of package github.com/untillpro/airsbp3/pkg2. Check if the package is defined in IMPORT SCHEMA and parsed under the same name',
    ],
  },
  {
    id: 38,
    name: 'Test_AppSchemaErrors (2)',
    sys: 'none',
    packages: [
      {
        path: 'github.com/untillpro/airsbp3/pkg4',
        files: [
          {
            name: 'file2.vsql',
            text: `IMPORT SCHEMA 'github.com/untillpro/airsbp3/pkg2' AS air1;
		IMPORT SCHEMA 'github.com/untillpro/airsbp3/pkg3';
		APPLICATION test(
			USE air1;
			USE pkg3;
			USE pkg3;
		)`,
          },
        ],
      },
      { path: 'github.com/untillpro/airsbp3/pkg2', files: [{ name: 'example2.vsql', text: `` }] },
      { path: 'github.com/untillpro/airsbp3/pkg3', files: [{ name: 'example3.vsql', text: `` }] },
    ],
    expected: ['file2.vsql:6:4: package with the same name already included in application'],
  },
  {
    id: 39,
    name: 'Test_AppSchemaErrors (3)',
    sys: 'none',
    packages: [
      {
        path: 'github.com/untillpro/airsbp3/pkg4',
        files: [
          {
            name: 'file2.vsql',
            text: `IMPORT SCHEMA 'github.com/untillpro/airsbp3/pkg2' AS air1;
		IMPORT SCHEMA 'github.com/untillpro/airsbp3/pkg3';
		APPLICATION test(
			USE air1;
			USE pkg3;
		);
		APPLICATION test(
			USE air1;
			USE pkg3;
		)`,
          },
        ],
      },
      { path: 'github.com/untillpro/airsbp3/pkg2', files: [{ name: 'example2.vsql', text: `` }] },
      { path: 'github.com/untillpro/airsbp3/pkg3', files: [{ name: 'example3.vsql', text: `` }] },
    ],
    expected: ['file2.vsql:7:3: redefinition of application'],
  },
  {
    id: 40,
    name: 'Test_AppSchemaErrors (4)',
    sys: 'none',
    packages: [
      {
        path: 'github.com/untillpro/airsbp3/pkg4',
        files: [
          {
            name: 'file2.vsql',
            text: `IMPORT SCHEMA 'github.com/untillpro/airsbp3/pkg2' AS air1;
		IMPORT SCHEMA 'github.com/untillpro/airsbp3/pkg3';
		`,
          },
        ],
      },
      { path: 'github.com/untillpro/airsbp3/pkg2', files: [{ name: 'example2.vsql', text: `` }] },
      { path: 'github.com/untillpro/airsbp3/pkg3', files: [{ name: 'example3.vsql', text: `` }] },
    ],
    expected: ['application not defined'],
  },
  {
    id: 41,
    name: 'Test_AppSchemaErrors (5)',
    sys: 'none',
    packages: [
      {
        path: 'github.com/untillpro/airsbp3/pkg4',
        files: [
          {
            name: 'file2.vsql',
            text: `IMPORT SCHEMA 'github.com/untillpro/airsbp3/pkgX' AS air1;
		IMPORT SCHEMA 'github.com/untillpro/airsbp3/pkg3';
		APPLICATION test(
			USE pkg3;
			USE air1;
		)
		`,
          },
        ],
      },
      { path: 'github.com/untillpro/airsbp3/pkg2', files: [{ name: 'example2.vsql', text: `` }] },
      { path: 'github.com/untillpro/airsbp3/pkg3', files: [{ name: 'example3.vsql', text: `` }] },
    ],
    // The reference test reuses package objects mutated by its earlier cases, so it sees no
    // "does not define use" error for pkg2; only the first error is comparable.
    contains:
      'file2.vsql:5:4: could not import github.com/untillpro/airsbp3/pkgX. Check if the package is parsed under exactly this name',
  },
  {
    id: 42,
    name: 'Test_AppIn2Schemas',
    sys: 'none',
    packages: [
      {
        path: 'github.com/untillpro/airsbp3/pkg2',
        files: [{ name: 'example2.vsql', text: `APPLICATION test1();` }],
      },
      {
        path: 'github.com/untillpro/airsbp3/pkg3',
        files: [{ name: 'example3.vsql', text: `APPLICATION test2();` }],
      },
    ],
    contains: 'redefinition of application',
  },
  {
    id: 43,
    name: 'Test_Scope_TableRefs',
    sys: 'first',
    packages: [
      {
        path: 'github.com/untillpro/airsbp3/main',
        files: [
          {
            name: 'example1.vsql',
            text: `
	IMPORT SCHEMA 'github.com/untillpro/airsbp3/pkg1';
	APPLICATION test(
		USE pkg1;
	);
	`,
          },
        ],
      },
      {
        path: 'github.com/untillpro/airsbp3/pkg1',
        files: [
          {
            name: 'example2.vsql',
            text: `
	WORKSPACE myWorkspace1 (
		TABLE PkgTable INHERITS sys.CRecord();
		TABLE MyTable INHERITS sys.CDoc (
			Items TABLE MyInnerTable()
		);
		TABLE MyTable2 INHERITS sys.CDoc (
			r1 ref(MyTable),
			r2 ref(MyTable2),
			r3 ref(PkgTable),
			r4 ref(MyInnerTable)
		);
	);
	WORKSPACE myWorkspace2 (
		TABLE MyTable3 INHERITS sys.CDoc (
			r1 ref(MyTable),
			r2 ref(MyTable2),
			r3 ref(PkgTable),
			r4 ref(MyInnerTable)
		);
	);
	`,
          },
        ],
      },
    ],
    expected: [
      'example2.vsql:16:11: undefined table: MyTable',
      'example2.vsql:17:11: undefined table: MyTable2',
      'example2.vsql:18:11: undefined table: PkgTable',
      'example2.vsql:19:11: undefined table: MyInnerTable',
    ],
  },
  {
    id: 44,
    name: 'Test_Storages',
    sys: 'first',
    packages: [
      {
        path: 'github.com/company/pkg',
        files: [
          {
            name: 'file.vsql',
            text: `APPLICATION test1();
		EXTENSION ENGINE BUILTIN (
			STORAGE MyStorage(
				INSERT SCOPE(PROJECTORS)
			);
		)`,
          },
        ],
      },
    ],
    expected: ['file.vsql:3:4: storages are only declared in sys package'],
  },
  {
    id: 45,
    name: 'Test_EmptyType1',
    sys: 'last',
    packages: [
      {
        path: 'github.com/voedger/voedger/app1',
        files: [
          {
            name: 'source.vsql',
            text: `

APPLICATION registry(); WORKSPACE Workspace1 (


TYPE SomeType (
	t int321
);

TABLE SomeTable INHERITS sys.CDoc (
	t int321
))
	`,
          },
        ],
      },
    ],
    expected: [
      'source.vsql:7:4: undefined type: int321',
      'source.vsql:11:4: undefined data type or table: int321',
    ],
  },
  {
    id: 46,
    name: 'Test_ODocUnknown',
    sys: 'last',
    packages: [
      {
        path: 'github.com/voedger/voedger/app1',
        files: [
          {
            name: 'source.vsql',
            text: `APPLICATION registry(); WORKSPACE Workspace1 (
TABLE MyTable1 INHERITS ODocUnknown ( MyField ref(registry.Login) NOT NULL ));
`,
          },
        ],
      },
    ],
    expected: ['source.vsql:2:1: undefined table kind'],
  },
  {
    id: 47,
    name: 'Test_Constraints (1)',
    sys: 'first',
    packages: [
      {
        path: 'github.com/company/pkg',
        files: [
          {
            name: 'file.vsql',
            text: `
	APPLICATION app1(); WORKSPACE ws1 (
	TABLE SomeTable INHERITS sys.CDoc (
		t1 int32,
		t2 int32,
		CONSTRAINT c1 UNIQUE(t1),
		CONSTRAINT c1 UNIQUE(t2)
	))`,
          },
        ],
      },
    ],
    expected: ['file.vsql:7:3: redefinition of c1'],
  },
  {
    id: 48,
    name: 'Test_Constraints (2)',
    sys: 'first',
    packages: [
      {
        path: 'github.com/company/pkg',
        files: [
          {
            name: 'file.vsql',
            text: `
	APPLICATION app1(); WORKSPACE ws1 (
	TABLE SomeTable INHERITS sys.CDoc (
		UNIQUEFIELD UnknownField
	))`,
          },
        ],
      },
    ],
    expected: ['file.vsql:4:3: undefined field UnknownField'],
  },
  {
    id: 49,
    name: 'Test_Constraints (3)',
    sys: 'first',
    packages: [
      {
        path: 'github.com/company/pkg',
        files: [
          {
            name: 'file.vsql',
            text: `
	APPLICATION app1(); WORKSPACE ws1 (
	TABLE SomeTable INHERITS sys.CDoc (
		t1 int32,
		t2 int32,
		CONSTRAINT c1 UNIQUE(t1),
		CONSTRAINT c2 UNIQUE(t2, t1)
	))`,
          },
        ],
      },
    ],
    expected: ['file.vsql:7:3: field t1 already in unique constraint'],
  },
  {
    id: 50,
    name: 'Test_Panic1',
    sys: 'first',
    packages: [corpusPackage('pkg/parser/test/pkg1.vsql')],
    contains: 'no valid schema files',
  },
  {
    id: 51,
    name: 'Test_Identifiers (1)',
    sys: 'first',
    packages: [
      {
        path: 'github.com/company/pkg',
        files: [
          {
            name: 'file1.vsql',
            text: `APPLICATION app1();
	WORKSPACE w (
		ROLE _role;
	);`,
          },
        ],
      },
    ],
    contains: 'file1.vsql:3:8: lexer: invalid input text',
  },
  {
    id: 52,
    name: 'Test_Identifiers (2)',
    sys: 'first',
    packages: [
      {
        path: 'github.com/company/pkg',
        files: [
          {
            name: 'file1.vsql',
            text: `APPLICATION app1();
	WORKSPACE w (
		ROLE r234567890123456789012345678901234567890123456789012345678901234567890123456789012345678901234567890r23456789012345678901234567890123456789012345678901234567890123456789012345678901234567890123456789012345678901234567890123456789012345678901234567890123456;
	);`,
          },
        ],
      },
    ],
    contains: 'file1.vsql:3:263: unexpected token',
  },
  {
    id: 53,
    name: 'Test_Identifiers (3)',
    sys: 'first',
    packages: [
      {
        path: 'github.com/company/pkg',
        files: [
          {
            name: 'file1.vsql',
            text: `APPLICATION app1();
	WORKSPACE w (
		ROLE r世界;
	);`,
          },
        ],
      },
    ],
    contains: 'file1.vsql:3:9: lexer: invalid input text',
  },
  {
    id: 54,
    name: 'Test_Grants (Basic)',
    sys: 'first',
    packages: [
      {
        path: 'github.com/company/pkg',
        files: [
          {
            name: 'file.vsql',
            text: `
	APPLICATION app1();
	WORKSPACE ws1 (
		ROLE role1;
		GRANT ALL ON TABLE Fake TO app1;
		GRANT EXECUTE ON COMMAND Fake TO role1;
		GRANT EXECUTE ON QUERY Fake TO role1;
		TABLE Tbl INHERITS sys.CDoc();
		GRANT ALL(FakeCol) ON TABLE Tbl TO role1;
		GRANT INSERT,UPDATE(FakeCol) ON TABLE Tbl TO role1;
		GRANT EXECUTE ON ALL COMMANDS WITH TAG x TO role1;
		TABLE Nested1 INHERITS sys.CRecord();
		TABLE Tbl2 INHERITS sys.CDoc(
			ref1 ref(Tbl),
			items TABLE Nested(),
			items2 Nested1
		);
		GRANT ALL(ref1) ON TABLE Tbl2 TO role1;
		GRANT ALL(items) ON TABLE Tbl2 TO role1;
		GRANT ALL(items2) ON TABLE Tbl2 TO role1;
		GRANT SELECT ON VIEW Fake TO role1;
		GRANT SELECT ON ALL VIEWS WITH TAG x TO role1;
		GRANT fakeRole TO role1;
		GRANT SELECT(fake) ON VIEW v TO role1;
		GRANT EXECUTE ON ALL QUERIES WITH TAG fake TO role1;
		GRANT INSERT ON ALL TABLES WITH TAG fake TO role1;
		VIEW v(
			f1 int,	f2 int, PRIMARY KEY((f1),f2)
		) AS RESULT OF p;

		EXTENSION ENGINE BUILTIN (
			PROJECTOR p AFTER EXECUTE ON c INTENTS (sys.View(v));
			COMMAND c();
		);
	);
	`,
          },
        ],
      },
    ],
    expected: [
      'file.vsql:5:30: undefined role: app1',
      'file.vsql:5:22: undefined table: Fake',
      'file.vsql:6:28: undefined command: Fake',
      'file.vsql:7:26: undefined query: Fake',
      'file.vsql:9:13: undefined field FakeCol',
      'file.vsql:10:23: undefined field FakeCol',
      'file.vsql:11:42: undefined tag: x',
      'file.vsql:21:24: undefined view: Fake',
      'file.vsql:22:38: undefined tag: x',
      'file.vsql:23:9: undefined role: fakeRole',
      'file.vsql:24:16: undefined field fake',
      'file.vsql:25:41: undefined tag: fake',
      'file.vsql:26:39: undefined tag: fake',
    ],
  },
  {
    id: 55,
    name: 'Test_Grants (GRANT follows REVOKE)',
    sys: 'first',
    packages: [
      {
        path: 'github.com/company/pkg',
        files: [
          {
            name: 'file.vsql',
            text: `APPLICATION test();
			WORKSPACE AppWorkspaceWS (
				ROLE role1;

				TABLE Table1 INHERITS sys.CDoc(
					Field1 int32
				);
				REVOKE ALL ON TABLE Table1 FROM role1;
				GRANT ALL ON TABLE Table1 TO role1;

			);`,
          },
        ],
      },
    ],
    expected: ['file.vsql:9:5: GRANT follows REVOKE in the same container'],
  },
  {
    id: 56,
    name: 'Test_UndefinedType',
    sys: 'first',
    packages: [
      {
        path: 'github.com/company/pkg',
        files: [
          {
            name: 'file.vsql',
            text: `APPLICATION app1(); WORKSPACE w (
TABLE MyTable2 INHERITS sys.ODoc (
MyField int23 NOT NULL
))
	`,
          },
        ],
      },
    ],
    expected: ['file.vsql:3:9: undefined data type or table: int23'],
  },
  {
    id: 57,
    name: 'Test_DescriptorInProjector',
    sys: 'first',
    packages: [
      {
        path: 'github.com/company/pkg',
        files: [
          {
            name: 'file.vsql',
            text: `APPLICATION app1();
	WORKSPACE w (
		EXTENSION ENGINE BUILTIN (
		  PROJECTOR x AFTER INSERT ON (unknown.z) STATE(sys.Http);
		);
	  );
	`,
          },
        ],
      },
    ],
    expected: ['file.vsql:4:34: unknown undefined'],
  },
  {
    id: 58,
    name: 'Test_Variables',
    sys: 'first',
    packages: [
      {
        path: 'github.com/company/pkg',
        files: [
          {
            name: 'file.vsql',
            text: `APPLICATION app1(); WORKSPACE W( RATE AppDefaultRate variable PER HOUR; )`,
          },
        ],
      },
    ],
    expected: ['file.vsql:1:54: variable undefined'],
  },
  {
    id: 59,
    name: 'Test_RatesAndLimits (not allowed operations)',
    sys: 'first',
    packages: [
      {
        path: 'github.com/company/pkg',
        files: [
          {
            name: 'file.vsql',
            text: `APPLICATION app1();
		WORKSPACE w (
			TABLE t INHERITS sys.CDoc();
			TAG tag;
			VIEW v(
				f1 int,	f2 int, PRIMARY KEY((f1),f2)
			) AS RESULT OF p;

			EXTENSION ENGINE BUILTIN (
				PROJECTOR p AFTER EXECUTE ON c INTENTS (sys.View(v));
				COMMAND c();
				QUERY q() RETURNS void;
			);
			RATE r 1 PER HOUR;
			LIMIT l2 INSERT ON COMMAND c WITH RATE r;
			LIMIT l3 UPDATE ON QUERY q WITH RATE r;
			LIMIT l4 EXECUTE ON VIEW v WITH RATE r;
			LIMIT l5 EXECUTE ON TABLE t WITH RATE r;

			LIMIT l20 INSERT ON ALL COMMANDS WITH RATE r;
			LIMIT l21 UPDATE ON ALL QUERIES WITH RATE r;
			LIMIT l22 EXECUTE ON ALL VIEWS WITH RATE r;
			LIMIT l23 EXECUTE ON ALL TABLES WITH RATE r;

			LIMIT l35 INSERT ON EACH COMMAND WITH RATE r;
			LIMIT l36 UPDATE ON EACH QUERY WITH RATE r;
			LIMIT l37 EXECUTE ON EACH VIEW WITH RATE r;
			LIMIT l38 EXECUTE ON EACH TABLE WITH RATE r;
			LIMIT l39 SELECT ON EACH QUERY WITH RATE r;
			LIMIT l40 ACTIVATE ON EACH COMMAND WITH RATE r;
			LIMIT l41 DEACTIVATE ON EACH QUERY WITH RATE r;
		);`,
          },
        ],
      },
    ],
    expected: [
      'file.vsql:15:13: operation INSERT not allowed',
      'file.vsql:16:13: operation UPDATE not allowed',
      'file.vsql:17:13: operation EXECUTE not allowed',
      'file.vsql:18:13: operation EXECUTE not allowed',
      'file.vsql:20:14: operation INSERT not allowed',
      'file.vsql:21:14: operation UPDATE not allowed',
      'file.vsql:22:14: operation EXECUTE not allowed',
      'file.vsql:23:14: operation EXECUTE not allowed',
      'file.vsql:25:14: operation INSERT not allowed',
      'file.vsql:26:14: operation UPDATE not allowed',
      'file.vsql:27:14: operation EXECUTE not allowed',
      'file.vsql:28:14: operation EXECUTE not allowed',
      'file.vsql:29:14: operation SELECT not allowed',
      'file.vsql:30:14: operation ACTIVATE not allowed',
      'file.vsql:31:14: operation DEACTIVATE not allowed',
    ],
  },
  {
    id: 60,
    name: 'Test_RatesAndLimits (undefined statements)',
    sys: 'first',
    packages: [
      {
        path: 'github.com/company/pkg',
        files: [
          {
            name: 'file.vsql',
            text: `APPLICATION app1();
		WORKSPACE w (
			RATE r 1 PER HOUR;
			LIMIT l2 ON COMMAND x WITH RATE r;
			LIMIT l3 ON QUERY y WITH RATE r;
			LIMIT l4 ON VIEW v WITH RATE r;
			LIMIT l5 ON TABLE t WITH RATE r;
			LIMIT l20 ON ALL COMMANDS WITH TAG tag WITH RATE r;
			LIMIT l30 ON EACH COMMAND WITH TAG tag WITH RATE r;
			LIMIT l40 ON ALL COMMANDS WITH RATE fake;
			);`,
          },
        ],
      },
    ],
    expected: [
      'file.vsql:4:24: undefined command: x',
      'file.vsql:5:22: undefined query: y',
      'file.vsql:6:21: undefined view: v',
      'file.vsql:7:22: undefined table: t',
      'file.vsql:8:39: undefined tag: tag',
      'file.vsql:9:39: undefined tag: tag',
      'file.vsql:10:40: undefined rate: fake',
    ],
  },
  {
    id: 61,
    name: 'Test_RatesAndLimits (negative rate)',
    sys: 'first',
    packages: [
      {
        path: 'github.com/company/pkg',
        files: [
          {
            name: 'file.vsql',
            text: `APPLICATION app1();
		DECLARE var1 int32 DEFAULT -1;
		WORKSPACE w (
			RATE r var1 PER HOUR;
			);`,
          },
        ],
      },
    ],
    expected: ['file.vsql:4:11: positive value only allowed'],
  },
  {
    id: 62,
    name: 'Test_ScheduledProjectorsDeprecated',
    sys: 'first',
    packages: [
      {
        path: 'github.com/company/pkg',
        files: [
          {
            name: 'file.vsql',
            text: `APPLICATION test();
				ALTER WORKSPACE sys.AppWorkspaceWS (
					EXTENSION ENGINE BUILTIN (
						PROJECTOR ScheduledProjector CRON '1 0 * * *';
					);
				);`,
          },
        ],
      },
    ],
    expected: ['file.vsql:4:7: scheduled projector deprecated; use jobs instead'],
  },
  {
    id: 63,
    name: 'Test_UseWorkspace (unknown ws)',
    sys: 'first',
    packages: [
      {
        path: 'github.com/company/pkg',
        files: [
          { name: 'file.vsql', text: `APPLICATION test(); WORKSPACE ws (USE WORKSPACE fake);` },
        ],
      },
    ],
    expected: ['file.vsql:1:49: undefined workspace: pkg.fake'],
  },
  {
    id: 64,
    name: 'Test_UseWorkspace (abstract ws)',
    sys: 'first',
    packages: [
      {
        path: 'github.com/company/pkg',
        files: [
          {
            name: 'file.vsql',
            text: `APPLICATION test(); ABSTRACT WORKSPACE ws (); WORKSPACE ws1 (USE WORKSPACE ws);`,
          },
        ],
      },
    ],
    expected: ['file.vsql:1:76: use of abstract workspace ws'],
  },
  {
    id: 65,
    name: 'Test_Jobs (bad workspace)',
    sys: 'first',
    packages: [
      {
        path: 'github.com/company/pkg',
        files: [
          {
            name: 'file.vsql',
            text: `APPLICATION test();
			WORKSPACE w2 (
				EXTENSION ENGINE BUILTIN (
					JOB Job1 '1 0 * * *';
				);
			);`,
          },
        ],
      },
    ],
    expected: ['file.vsql:4:6: JOB is only allowed in AppWorkspaceWS'],
  },
  {
    id: 66,
    name: 'Test_Jobs (bad cron)',
    sys: 'first',
    packages: [
      {
        path: 'github.com/company/pkg',
        files: [
          {
            name: 'file.vsql',
            text: `APPLICATION test();
			ALTER WORKSPACE sys.AppWorkspaceWS (
				EXTENSION ENGINE BUILTIN (
					JOB Job1 'blah';
				);
			);`,
          },
        ],
      },
    ],
    expected: ['file.vsql:4:6: invalid cron schedule: blah'],
  },
  {
    id: 67,
    name: 'Test_Jobs (missing cron)',
    sys: 'first',
    packages: [
      {
        path: 'github.com/company/pkg',
        files: [
          {
            name: 'file.vsql',
            text: `APPLICATION test();
			ALTER WORKSPACE sys.AppWorkspaceWS (
				EXTENSION ENGINE BUILTIN (
					JOB GoodJob '1 0 * * *';
					JOB JobWithNoCron;
				);
			);`,
          },
        ],
      },
    ],
    expected: ['file.vsql:5:6: job without cron schedule is not allowed'],
  },
  {
    id: 68,
    name: 'Test_Jobs (missing cron version 2)',
    sys: 'first',
    packages: [
      {
        path: 'github.com/company/pkg',
        files: [
          {
            name: 'file.vsql',
            text: `APPLICATION test();
			ALTER WORKSPACE sys.AppWorkspaceWS (
				EXTENSION ENGINE BUILTIN (
					JOB GoodJob1 '1 0 * * *';
					JOB GoodJob2 '1 0 * * *';
					JOB JobWithNoCron;
				);
			);`,
          },
        ],
      },
    ],
    expected: ['file.vsql:6:6: job without cron schedule is not allowed'],
  },
  {
    id: 69,
    name: 'Test_LocalPackageNames (invalid)',
    sys: 'first',
    packages: [
      {
        path: 'github.com/company/pkg',
        files: [
          {
            name: 'file.vsql',
            text: `
		IMPORT SCHEMA 'github.com/c/1pkg';
		IMPORT SCHEMA 'github.com/c/2pkg' AS pkg2;
		APPLICATION test();
		`,
          },
        ],
      },
    ],
    expected: ['file.vsql:2:3: invalid local package name 1pkg'],
  },
  {
    id: 70,
    name: 'Test_LocalPackageNames (equal to current)',
    sys: 'first',
    packages: [
      {
        path: 'github.com/company/pkg',
        files: [
          {
            name: 'file.vsql',
            text: `
		IMPORT SCHEMA 'github.com/c/pkg';
		APPLICATION test();
		`,
          },
        ],
      },
    ],
    expected: ['file.vsql:2:3: conflict: local package name pkg equal to current package name'],
  },
  {
    id: 71,
    name: 'Test_LocalPackageNames (uniqueness)',
    sys: 'none',
    packages: [
      {
        path: 'github.com/current/pkg',
        files: [
          {
            name: 'file1.vsql',
            text: `
			IMPORT SCHEMA 'github.com/c1/pkg1';
			IMPORT SCHEMA 'github.com/c2/pkg1';
			IMPORT SCHEMA 'github.com/c3/pkg11' AS pkg1;
			IMPORT SCHEMA 'github.com/c4/pkg1' AS pkg2;`,
          },
          { name: 'file2.vsql', text: `IMPORT SCHEMA 'github.com/c5/pkg1';` },
          { name: 'file3.vsql', text: `APPLICATION test();` },
        ],
      },
    ],
    expected: [
      'file1.vsql:3:4: local package name pkg1 already used for github.com/c1/pkg1',
      'file1.vsql:4:4: local package name pkg1 already used for github.com/c1/pkg1',
      'file2.vsql:1:1: local package name pkg1 already used for github.com/c1/pkg1',
    ],
  },
  {
    id: 72,
    name: 'Test_ImplicitWorkspaceDescriptor (conflict)',
    sys: 'first',
    packages: [
      {
        path: 'test/pkg',
        files: [
          {
            name: 'file.vsql',
            text: `APPLICATION test();
		ROLE W1Descriptor;
		WORKSPACE W1();
		`,
          },
        ],
      },
    ],
    contains: 'redefinition of W1Descriptor',
  },
  {
    id: 73,
    name: 'Test_NotAllowedTypes (BLOB in VIEWs)',
    sys: 'first',
    packages: [
      {
        path: 'github.com/company/pkg',
        files: [
          {
            name: 'file.vsql',
            text: `APPLICATION test();
			WORKSPACE MyWS (
				VIEW v1(
					f1 int32,
					f2 binary large object,
					PRIMARY KEY(f1)
				) AS RESULT OF p;

				EXTENSION ENGINE BUILTIN (
					PROJECTOR p AFTER EXECUTE ON c INTENTS (sys.View(v1));
					COMMAND c();
				);
			);`,
          },
        ],
      },
    ],
    expected: ['file.vsql:5:9: BLOB field only allowed in table'],
  },
  {
    id: 74,
    name: 'Test_NotAllowedTypes (BLOB in TYPEs)',
    sys: 'first',
    packages: [
      {
        path: 'github.com/company/pkg',
        files: [
          {
            name: 'file.vsql',
            text: `APPLICATION test();
			WORKSPACE MyWS (
				TYPE t1(
					f1 int32,
					f2 binary large object
				);
			);`,
          },
        ],
      },
    ],
    expected: ['file.vsql:5:9: BLOB field only allowed in table'],
  },
  {
    id: 75,
    name: 'Test_NotAllowedTypes (CDoc refs WDoc)',
    sys: 'first',
    packages: [
      {
        path: 'github.com/company/pkg',
        files: [
          {
            name: 'file.vsql',
            text: `APPLICATION test();
			WORKSPACE MyWS (
				TABLE t01 INHERITS sys.WDoc();
				TABLE t02 INHERITS sys.WRecord();
				TABLE t1 INHERITS sys.CDoc(
					f1 ref(t01),
					f2 ref(t02)
				);
			);`,
          },
        ],
      },
    ],
    expected: [
      'file.vsql:6:13: t01: reference to WDoc/WRecord',
      'file.vsql:7:13: t02: reference to WDoc/WRecord',
    ],
  },
];

const skip = corpusSkipReason();

describe('reference parser error cases (reference-tests.md §2)', { skip }, () => {
  for (const c of cases) {
    test(`#${c.id} ${c.name}`, () => {
      const sys = parserTestSys();
      const packages =
        c.sys === 'none'
          ? c.packages
          : c.sys === 'first'
            ? [sys, ...c.packages]
            : [...c.packages, sys];
      const result = compileSources(packages);
      const text = formatErrors(result.errors);
      if (c.contains !== undefined) assert.ok(text.includes(c.contains), text);
      else assert.equal(text, (c.expected ?? []).join('\n'));
    });
  }
});

export { corpusPackage };
