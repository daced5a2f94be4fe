// Applications the schema-route tests describe (used by the tests only): a shop with two published
// roles granted different things (and an unpublished one), and the example tracker.
import { readFileSync } from 'node:fs';
import { type AppDef, compileApp, formatErrors } from '../../schema/index.js';

export const SHOP_APP = 'test1/shop';
export const SHOP_WS = 'shop.ShopWS';

export const SHOP_VSQL = `APPLICATION shop();

WORKSPACE ShopWS (
  DESCRIPTOR ShopDescriptor (
    Name varchar(50)
  );

  -- Sells at the counter.
  PUBLISHED ROLE Cashier;
  PUBLISHED ROLE Manager;
  ROLE Auditor;

  TAG Billing FEATURE 'Billing';

  TABLE Client INHERITS sys.CDoc (
    Name varchar(50) NOT NULL,
    Photo blob,
    Secret varchar(20)
  );

  -- A sale.
  TABLE Purchase INHERITS sys.CDoc (
    Number int32 NOT NULL,
    Client ref(Client),
    Amount float64,
    Rate float32,
    Small int8,
    Mid int16,
    Big int64,
    Paid bool,
    Data bytes(30),
    Kind qname,
    Code varchar(8) CHECK '^[A-Z]+$',
    Lines TABLE PurchaseLine (
      Item varchar(20) NOT NULL,
      Qty int32 NOT NULL
    )
  ) WITH Tags=(Billing);

  TABLE Note INHERITS sys.WDoc (
    Text varchar
  );

  TABLE Receipt INHERITS sys.ODoc (
    Total int64 NOT NULL,
    Items TABLE ReceiptItem (
      Name varchar NOT NULL
    )
  );

  TYPE Period (
    From int64 NOT NULL,
    Till int64
  );

  TYPE Pin (
    Code varchar(4)
  );

  TYPE ReportRow (
    Client ref(Client),
    Total float64 NOT NULL
  );

  VIEW DailySales (
    Day int32 NOT NULL,
    Client ref(Client) NOT NULL,
    Total float64 NOT NULL,
    PRIMARY KEY ((Day), Client)
  ) AS RESULT OF CountSales;

  EXTENSION ENGINE BUILTIN (
    COMMAND Sell(Receipt, UNLOGGED Pin) RETURNS ReportRow;
    QUERY Report(Period) RETURNS ReportRow;
    QUERY Echo(sys.Raw) RETURNS any;
    PROJECTOR CountSales AFTER EXECUTE ON Sell INTENTS(sys.View(DailySales));
  );

  GRANT SELECT(Name, Photo) ON TABLE Client TO Cashier;
  GRANT INSERT ON TABLE Purchase TO Cashier;
  GRANT INSERT ON TABLE PurchaseLine TO Cashier;
  GRANT EXECUTE ON COMMAND Sell TO Cashier;

  GRANT ALL ON TABLE Client TO Manager;
  GRANT DEACTIVATE ON TABLE Client TO Manager;
  GRANT SELECT, UPDATE ON TABLE Purchase TO Manager;
  GRANT SELECT ON TABLE PurchaseLine TO Manager;
  GRANT SELECT ON VIEW DailySales TO Manager;
  GRANT EXECUTE ON QUERY Report TO Manager;
  GRANT EXECUTE ON QUERY Echo TO Manager;

  GRANT SELECT ON TABLE Note TO Auditor;
);
`;

export function compile(path: string, text: string): AppDef {
  const r = compileApp([{ path, files: [{ name: 'app.vsql', text }] }]);
  if (r.appDef === undefined) throw new Error(formatErrors(r.errors));
  return r.appDef;
}

export function shopApp(): AppDef {
  return compile('example.com/shop', SHOP_VSQL);
}

/** The example tracker; its Member role published unless told (the example publishes none). */
export function trackerApp(publishMember = true): AppDef {
  const url = new URL('../../../examples/tracker/tracker.vsql', import.meta.url);
  const text = readFileSync(url, 'utf8');
  const published = text.replace('ROLE Member;', 'PUBLISHED ROLE Member;');
  if (published === text) throw new Error('the tracker example has no Member role to publish');
  return compile('example.com/tracker', publishMember ? published : text);
}
