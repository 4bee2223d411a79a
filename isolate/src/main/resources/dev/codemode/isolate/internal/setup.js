// Trusted. Evaluated first in every fresh context, before the prelude and the script.
// Captures the intrinsics it relies on, so a script that replaces JSON.stringify, Promise.prototype.then,
// Error or console cannot change how its result is serialised or how host calls settle.
(function (hostStart, logLine, maxLogChars, maxArgChars, maxErrorChars) {
  'use strict';
  const g = globalThis;
  for (const k of ['SharedArrayBuffer', 'Atomics', 'WeakRef', 'FinalizationRegistry', 'print', 'printErr', 'load',
      'loadWithNewGlobal', 'quit', 'Graal', 'Polyglot', 'Java', 'Packages', 'java', 'javax', 'setTimeout',
      'setInterval', 'clearTimeout', 'clearInterval', 'queueMicrotask', 'performance', 'arguments']) {
    try { delete g[k]; } catch (e) { /* not configurable: left as is */ }
  }
  const stringify = JSON.stringify;
  const JSON_ = JSON;
  const String_ = String;
  const Error_ = Error;
  const Promise_ = Promise;
  const then = Promise.prototype.then;
  const apply = Reflect.apply;
  const defineProperty = Object.defineProperty;
  const isArray = Array.isArray;
  const Set_ = Set;
  const setAdd = Set.prototype.add;
  const setHas = Set.prototype.has;
  const strSlice = String.prototype.slice;
  const strIndexOf = String.prototype.indexOf;

  // The native JSON.stringify loops in Java and cannot be cancelled mid-way (an exponential DAG keeps a thread busy
  // for tens of seconds). Passing a JS replacer makes every node a JS call, where cancellation takes effect.
  const guarded = (replacer, budget) => {
    let fn = typeof replacer === 'function' ? replacer : null;
    let allow = null;
    if (fn === null && isArray(replacer)) {
      allow = new Set_();
      for (let i = 0; i < replacer.length; i++) {
        const k = replacer[i];
        if (typeof k === 'string' || typeof k === 'number' || k instanceof String_ || k instanceof Number) {
          apply(setAdd, allow, [String_(k)]);
        }
      }
    }
    let size = 0;
    return function (key, value) {
      if (fn !== null) {
        value = apply(fn, this, [key, value]);
      } else if (allow !== null && key !== '' && !isArray(this) && !apply(setHas, allow, [key])) {
        return undefined;
      }
      if (budget > 0) {
        size += (typeof value === 'string' ? value.length + 3 : 2) + (isArray(this) ? 0 : key.length + 3);
        if (size > budget) throw TOO_BIG;
      }
      return value;
    };
  };
  const TOO_BIG = { tooBig: true };
  const safeStringify = (value, replacer, space, budget) =>
    apply(stringify, JSON_, [value, guarded(replacer, budget), space]);
  defineProperty(JSON, 'stringify', {
    value: function stringify(value, replacer, space) { return safeStringify(value, replacer, space, 0); },
    writable: true, configurable: true, enumerable: false
  });

  const fmt = (v) => {
    if (typeof v === 'string') return v;
    try {
      if (v instanceof Error_) return String_(v.stack || v);
      const s = safeStringify(v, undefined, undefined, 0);
      return s === undefined ? String_(v) : s;
    } catch (e) {
      try { return String_(v); } catch (e2) { return '[unprintable value]'; }
    }
  };
  const logger = (level) => function (...args) {
    let s = '';
    for (let i = 0; i < args.length; i++) {
      if (i) s += ' ';
      s += fmt(args[i]);
      if (s.length > maxLogChars) break;
    }
    // A line longer than the whole log budget is dropped here, before it is copied out of the context.
    logLine(level, s.length > maxLogChars ? null : s);
  };
  defineProperty(g, 'console', {
    value: { log: logger('log'), info: logger('info'), warn: logger('warn'), error: logger('error'),
      debug: logger('debug'), trace: logger('debug') },
    writable: true, configurable: true, enumerable: false
  });
  // Arguments over the limit are refused here, before they are copied out of the context or parsed by the host.
  const __host = function __host(fn, argsJson) {
    return new Promise_((resolve, reject) => {
      const name = String_(fn);
      const args = argsJson === undefined ? 'null' : String_(argsJson);
      if (args.length > maxArgChars) {
        reject(new Error_('The arguments of this host call are ' + args.length + ' characters of JSON, over the '
          + maxArgChars + '-character limit of one call. Send less per call: split the data over several calls.'));
        return;
      }
      if (name.length > 64) {
        reject(new Error_('unknown host function'));
        return;
      }
      hostStart(name, args, (ok, value) => ok ? resolve(value) : reject(new Error_(value)));
    });
  };
  defineProperty(g, '__host', { value: __host, writable: true, configurable: true, enumerable: false });

  // A huge message (or a forged stack) is cut here, before it is copied out of the context: the head and the start
  // of the frames are kept, each at most half the budget.
  const clipDescribed = (s) => {
    if (s.length <= maxErrorChars) return s;
    const half = maxErrorChars >> 1;
    const at = apply(strIndexOf, s, ['\n    at ']);
    if (at < 0) return apply(strSlice, s, [0, maxErrorChars]) + '…(+' + (s.length - maxErrorChars) + ' chars)';
    const head = at > half ? apply(strSlice, s, [0, half]) + '…(+' + (at - half) + ' chars)' : apply(strSlice, s, [0, at]);
    return head + apply(strSlice, s, [at, at + half]);
  };
  const describe = (e) => clipDescribed(describeWhole(e));
  const describeWhole = (e) => {
    try {
      if (e instanceof Error_) {
        const stack = e.stack;
        return typeof stack === 'string' && stack.length ? stack : String_(e.name) + ': ' + String_(e.message);
      }
      if (typeof e === 'string') return 'Uncaught string (throw an Error to get a line number): ' + safeStringify(e, undefined, undefined, 0);
      let s;
      try { s = safeStringify(e, undefined, undefined, 0); } catch (x) { s = undefined; }
      if (s === undefined) s = String_(e);
      return 'Uncaught ' + (e === null ? 'null' : typeof e) + ' value (throw an Error to get a line number): ' + s;
    } catch (x) {
      return 'Uncaught value that cannot be described';
    }
  };
  // settle(promise, maxOutputBytes, done): done('ok', json) | done('throw', text) | done('result', text)
  // | done('output', null) when the result is certainly larger than maxOutputBytes
  return function settle(p, maxOutputBytes, done) {
    apply(then, p, [
      (v) => {
        let json;
        try {
          json = safeStringify(v, undefined, undefined, maxOutputBytes);
        } catch (e) {
          if (e === TOO_BIG) {
            done('output', null);
          } else {
            done('result', describe(e));
          }
          return;
        }
        done('ok', json === undefined ? 'null' : json);
      },
      (e) => done('throw', describe(e))
    ]);
  };
})
