(() => {
  'use strict';
  // Read-only, lazily resolved view of the indexed specs for search {code}. No network: the host serves only
  // spec look-ups.
  const host = globalThis.__host;
  delete globalThis.__host;
  const parse = JSON.parse, stringify = JSON.stringify, freeze = Object.freeze;
  const invoke = async (fn, args) => parse(await host(fn, stringify(args)));
  const spec = freeze({
    apis: freeze(__APIS__),
    operations: (api) => invoke('operations', { api: api === undefined ? null : api }),
    operation: (operationId, api) => invoke('operation', { operationId, api: api === undefined ? null : api }),
    get: (pointer, api) => invoke('node', { pointer, api: api === undefined ? null : api }),
  });
  Object.defineProperty(globalThis, 'spec', { value: spec, enumerable: true });
})();
