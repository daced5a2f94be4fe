/**
 * The application the engine and HTTP benchmarks run: a shop workspace whose orders (a CDoc with
 * nested lines) a sync projector counts into a sales view, the command that inserts an order, and
 * the workspaces the load is spread over.
 */
import type { BuiltinExtensions } from '../../src/extensions/index.js';
import { type AppDef, compileApp } from '../../src/schema/index.js';
import { newWsid } from '../../src/structs/index.js';

const VSQL = `APPLICATION bench();
WORKSPACE ShopWS (
  DESCRIPTOR ShopWSDescriptor ();
  TABLE Order INHERITS sys.CDoc (
    Number int32 NOT NULL,
    Customer varchar(50),
    Total int64 NOT NULL,
    Lines TABLE OrderLine (
      Item varchar(50) NOT NULL,
      Qty int32 NOT NULL,
      Price int64 NOT NULL
    )
  );
  VIEW SalesByDay (
    Shop int32 NOT NULL,
    Day int32 NOT NULL,
    Orders int64 NOT NULL,
    Amount int64 NOT NULL,
    PRIMARY KEY ((Shop), Day)
  ) AS RESULT OF CountSales;
  EXTENSION ENGINE BUILTIN (
    SYNC PROJECTOR CountSales AFTER INSERT ON Order INTENTS(sys.View(SalesByDay));
  );
);`;

/** Every sale counts for shop 1 of its workspace. */
export const SHOP = 1;

export function shopApp(): AppDef {
  const r = compileApp([
    { path: 'example.com/bench', files: [{ name: 'bench.vsql', text: VSQL }] },
  ]);
  if (r.appDef === undefined) throw new Error(r.errors.map((e) => e.message).join('\n'));
  return r.appDef;
}

/**
 * The projector adding each new order to its day's row of `bench.SalesByDay`; `dayOf` picks the
 * day from the order's number and the event's time.
 */
export function shopExtensions(
  dayOf: (orderNumber: number, registeredAt: number) => number,
): BuiltinExtensions {
  return {
    projectors: {
      'bench.CountSales': async (ctx) => {
        for (const c of ctx.event.cuds) {
          if (!c.isNew || c.record.qname !== 'bench.Order') continue;
          const key = {
            Shop: SHOP,
            Day: dayOf(Number(c.record.fields.Number), ctx.event.registeredAt),
          };
          const row = await ctx.views.get('bench.SalesByDay', key);
          ctx.views.put('bench.SalesByDay', {
            ...key,
            Orders: Number(row?.Orders ?? 0) + 1,
            Amount: Number(row?.Amount ?? 0) + Number(c.record.fields.Total),
          });
        }
      },
    },
  };
}

/** The workspaces the load is spread over. */
export const SHOP_WSIDS: readonly number[] = Array.from({ length: 64 }, (_, i) =>
  newWsid(1, 200_000 + i),
);

/** `sys.CUD` inserting an order (`bench.Order`) with two nested lines, raw IDs 1-3. */
export function orderCuds(orderNumber: number) {
  const line = (id: number, item: string, qty: number, price: number) => ({
    fields: {
      'sys.ID': id,
      'sys.QName': 'bench.OrderLine',
      'sys.ParentID': 1,
      'sys.Container': 'Lines',
      Item: item,
      Qty: qty,
      Price: price,
    },
  });
  return [
    {
      fields: {
        'sys.ID': 1,
        'sys.QName': 'bench.Order',
        Number: orderNumber,
        Customer: 'walk-in',
        Total: 1250,
      },
    },
    line(2, 'coffee', 2, 350),
    line(3, 'cake', 1, 550),
  ];
}
