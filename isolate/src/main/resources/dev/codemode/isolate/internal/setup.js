// Trusted. Evaluated first in every fresh context, before the prelude and the script.
// Captures the intrinsics it relies on, so a script that replaces JSON.stringify, Promise.prototype.then,
// Error or console cannot change how its result is serialised or how host calls settle.
(function (hostStart, logLine) {
  'use strict';
  const g = globalThis;
  for (const k of ['SharedArrayBuffer', 'Atomics', 'WeakRef', 'FinalizationRegistry', 'print', 'printErr', 'load',
      'loadWithNewGlobal', 'quit', 'Graal', 'Polyglot', 'Java', 'Packages', 'java', 'javax', 'setTimeout',
      'setInterval', 'clearTimeout', 'clearInterval', 'queueMicrotask', 'performance']) {
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

  const fmt = (v) => {
    if (typeof v === 'string') return v;
    try {
      if (v instanceof Error_) return String_(v.stack || v);
      const s = apply(stringify, JSON_, [v]);
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
    }
    logLine(level, s);
  };
  defineProperty(g, 'console', {
    value: { log: logger('log'), info: logger('info'), warn: logger('warn'), error: logger('error'),
      debug: logger('debug'), trace: logger('debug') },
    writable: true, configurable: true, enumerable: false
  });
  const __host = function __host(fn, argsJson) {
    return new Promise_((resolve, reject) => {
      hostStart(String_(fn), argsJson === undefined ? 'null' : String_(argsJson),
        (ok, value) => ok ? resolve(value) : reject(new Error_(value)));
    });
  };
  defineProperty(g, '__host', { value: __host, writable: true, configurable: true, enumerable: false });

  const describe = (e) => {
    try {
      if (e instanceof Error_) {
        const stack = e.stack;
        return typeof stack === 'string' && stack.length ? stack : String_(e.name) + ': ' + String_(e.message);
      }
      if (typeof e === 'string') return 'Uncaught string (throw an Error to get a line number): ' + apply(stringify, JSON_, [e]);
      let s;
      try { s = apply(stringify, JSON_, [e]); } catch (x) { s = undefined; }
      if (s === undefined) s = String_(e);
      return 'Uncaught ' + (e === null ? 'null' : typeof e) + ' value (throw an Error to get a line number): ' + s;
    } catch (x) {
      return 'Uncaught value that cannot be described';
    }
  };
  // settle(promise, done): done('ok', json) | done('throw', text) | done('result', text)
  return function settle(p, done) {
    apply(then, p, [
      (v) => {
        let json;
        try {
          json = apply(stringify, JSON_, [v]);
        } catch (e) {
          done('result', describe(e));
          return;
        }
        done('ok', json === undefined ? 'null' : json);
      },
      (e) => done('throw', describe(e))
    ]);
  };
})
