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
  const apis = freeze(all);
  Object.defineProperty(globalThis, 'api', { value: all[names[0]], enumerable: true });
  Object.defineProperty(globalThis, 'apis', { value: apis, enumerable: true });

  // Skills: saved script bodies, run here, in this same context, so a skill has exactly the caller's power (the
  // caller could eval the same code itself). The code comes from the host; the constructor is captured before the
  // script runs, and the function it makes sees only globals and its four parameters, never this closure.
  const AsyncFunction = Object.getPrototypeOf(async function () {}).constructor;
  const MAX_DEPTH = 8;
  let depth = 0;
  const skillError = (prefix, e) => {
    const err = new ErrorCtor(prefix + (e && e.message !== undefined ? e.message : String(e)));
    if (e && e.status !== undefined) { err.status = e.status; err.body = e.body; }
    return err;
  };
  const skills = freeze({
    save: (skill) => invoke('skillSave', skill === undefined ? null : skill),
    list: (api) => invoke('skillList', { api: api === undefined ? null : api }),
    run: async (name, args) => {
      if (typeof name !== 'string') {
        throw new TypeError('skills.run(name, args): name must be a string, e.g. "topCustomers"');
      }
      if (depth >= MAX_DEPTH) {
        throw new ErrorCtor('skills.run: skills call each other more than ' + MAX_DEPTH + ' deep');
      }
      const a = args === undefined ? {} : args;
      const s = await invoke('skillLoad', { name, args: a });
      let fn;
      try {
        fn = new AsyncFunction('args', 'api', 'apis', 'skills', s.code);
      } catch (e) {
        await invoke('skillDone', { token: s.token, ok: false });
        throw skillError('skill ' + s.name + '@' + s.version + ' does not compile: ', e);
      }
      depth++;
      try {
        const r = await fn(a, all[s.api], apis, skills);
        await invoke('skillDone', { token: s.token, ok: true });
        return r;
      } catch (e) {
        await invoke('skillDone', { token: s.token, ok: false });
        throw skillError('skill ' + s.name + '@' + s.version + ' failed: ', e);
      } finally {
        depth--;
      }
    },
  });
  Object.defineProperty(globalThis, 'skills', { value: skills, enumerable: true });
})();
