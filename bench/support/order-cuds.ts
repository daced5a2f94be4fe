/**
 * The command the engine and HTTP benchmarks send: `sys.CUD` inserting an order (`bench.Order`, a
 * CDoc) with two nested lines (`bench.OrderLine`), raw IDs 1-3.
 */
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
