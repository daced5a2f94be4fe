// The orders package's extensions, in AssemblyScript: each is an exported function named as its
// VSQL entity. `npx vpm build examples/wasm-orders/orders` compiles this file to extensions.wasm.
// biome-ignore lint/style/useImportType: AssemblyScript has no type-only imports
import {
  commandArgs,
  event,
  Key,
  keyBuilder,
  newValue,
  panic,
  queryArgs,
  queryValue,
  readValues,
  result,
  Storage,
  updateValue,
  Value,
} from '@voedger-ts/extension-sdk';

/** The view this package keeps, as `package.Entity` (the package's local name is its folder's). */
const DAILY_SALES = 'orders.DailySales';

/** An order's total in cents: the sum of its items' quantity × price. */
function orderTotal(order: Value): i64 {
  const items = order.asValue('Items');
  let total: i64 = 0;
  for (let i = 0, n = items.length(); i < n; i++) {
    const item = items.getAsValue(i);
    total += <i64>item.asInt32('Quantity') * item.asInt64('Price');
  }
  return total;
}

/** COMMAND PlaceOrder(Order) RETURNS PlaceOrderResult */
export function PlaceOrder(): void {
  const order = commandArgs();
  const total = orderTotal(order);
  if (total <= 0) {
    panic(`the order total must be positive, got ${total}`);
  }
  result().putInt64('Total', total).putInt32('Items', order.asValue('Items').length());
}

/** SYNC PROJECTOR CountSales AFTER EXECUTE ON PlaceOrder: adds the order to its day's sales. */
export function CountSales(): void {
  const order = event().asValue('ArgumentObject');
  const amount = orderTotal(order);
  const day = keyBuilder(Storage.View, DAILY_SALES)
    .putInt32('Year', order.asInt32('Year'))
    .putInt32('Month', order.asInt32('Month'))
    .putInt32('Day', order.asInt32('Day'));
  const sales = queryValue(day);
  if (sales === null) {
    newValue(day).putInt64('Amount', amount).putInt32('Orders', 1);
  } else {
    updateValue(day, sales)
      .putInt64('Amount', sales.asInt64('Amount') + amount)
      .putInt32('Orders', sales.asInt32('Orders') + 1);
  }
}

/** QUERY DailyTotals(DailyTotalsParams) RETURNS DailyTotal: a row per day of the month with sales. */
export function DailyTotals(): void {
  const args = queryArgs();
  const month = keyBuilder(Storage.View, DAILY_SALES)
    .putInt32('Year', args.asInt32('Year'))
    .putInt32('Month', args.asInt32('Month'));
  // The callback cannot capture local variables (AssemblyScript closures do not), and needs none
  // here; `readValuesWith` passes an object to it when one does.
  readValues(month, (key: Key, value: Value): void => {
    result()
      .putInt32('Day', key.asInt32('Day'))
      .putInt64('Amount', value.asInt64('Amount'))
      .putInt32('Orders', value.asInt32('Orders'));
  });
}
