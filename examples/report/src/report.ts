// Report: a TypeScript handler, transpiled on load with source maps (errors point at .ts lines).
interface ReportEvent {
  orders: Array<{ id: string; quantity: number }>;
}

interface Report {
  orderCount: number;
  totalQuantity: number;
}

export const handler = async (event: ReportEvent): Promise<Report> => {
  const orders = event.orders ?? [];
  return { orderCount: orders.length, totalQuantity: orders.reduce((sum, o) => sum + o.quantity, 0) };
};
