// Orders: what a warm Lambda environment keeps between invocations.
// - `db` is created once per execution environment, at module load (the Init phase),
//   and reused by every warm invocation.
// - /tmp/orders-cache.json survives warm invocations (and resets), not new environments.
// - the "flush metrics" timer is not awaited: Lambda freezes it with the environment and
//   it fires at the start of the NEXT invocation.
const fs = require('fs');

class DatabaseClient {
  constructor(table) {
    this.table = table;
    this.connectedAt = new Date().toISOString();
    this.queries = 0;
    console.log(`connected to ${table}`);
  }
  async getOrder(id) {
    this.queries++;
    return { id, table: this.table, item: 'coffee beans', quantity: 2 };
  }
}

const db = new DatabaseClient(process.env.TABLE_NAME);
let invocations = 0;
const CACHE = '/tmp/orders-cache.json';

exports.handler = async (event) => {
  invocations++;
  let cached = false;
  let order;
  if (fs.existsSync(CACHE)) {
    order = JSON.parse(fs.readFileSync(CACHE, 'utf8'));
    cached = true;
  } else {
    order = await db.getOrder(event.orderId ?? 'o-1');
    fs.writeFileSync(CACHE, JSON.stringify(order));
  }
  console.log(`invocation ${invocations}, cache ${cached ? 'hit' : 'miss'}, queries so far ${db.queries}`);

  // Not awaited: frozen after the response, runs when the next invocation thaws the environment.
  setTimeout(() => console.log(`metrics flushed (left pending by invocation ${invocations})`), 100);

  return {
    statusCode: 200,
    body: JSON.stringify({ order, invocations, cached, connectionReused: invocations > 1, connectedAt: db.connectedAt }),
  };
};
