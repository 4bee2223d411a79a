(() => {
  'use strict';
  // Trusted glue between the script and the host bridge. Captures what it needs before the script runs, so a
  // script that replaces JSON.parse, Promise or Error only breaks itself.
  const host = globalThis.__host;
  delete globalThis.__host;
  const parse = JSON.parse, stringify = JSON.stringify, freeze = Object.freeze, ErrorCtor = Error;
  const invoke = async (fn, args) => parse(await host(fn, stringify(args)));
  const client = (name) => freeze({
    request: (req) => invoke('request', { api: name, req: req === undefined ? null : req }),
    call: async (operationId, args) => {
      if (typeof operationId !== 'string') {
        throw new TypeError('api.call(operationId, args): operationId must be a string, e.g. "listOrders"');
      }
      const res = await invoke('call', { api: name, operationId, args: args === undefined ? {} : args });
      if (res.error) {
        const e = new ErrorCtor(res.error);
        e.status = res.status;
        e.body = res.body;
        throw e;
      }
      return res.body;
    },
  });
  const names = __APIS__;
  const all = {};
  for (const n of names) all[n] = client(n);
  Object.defineProperty(globalThis, 'api', { value: all[names[0]], enumerable: true });
  Object.defineProperty(globalThis, 'apis', { value: freeze(all), enumerable: true });
})();
