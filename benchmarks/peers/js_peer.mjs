// cel-js's and filtrex's side of the peer benchmark (benchmarks/peers/run.sh): times one engine's
// translation of each workload in workloads.json over the flat JSON fleet, writes the matching
// instance indices to OUT_DIR/ENGINE.NAME.ids and prints one JSON line per workload (see
// ecsq_peers.cpp). A check counts as a match only when it returns exactly true: filtrex returns
// an error object (truthy) instead of throwing.
//
//   node js_peer.mjs cel-js|filtrex FLAT_JSON WORKLOADS_JSON OUT_DIR [REPETITIONS]
import {readFileSync, writeFileSync} from 'node:fs';
import {parse} from '@marcbachmann/cel-js';
import {compileExpression} from 'filtrex';

const [engine, flatPath, workloadsPath, outDir, repetitionsText] = process.argv.slice(2);
const repetitions = Number(repetitionsText ?? 5);

// A missing attribute reads as undefined (as in the other engines), not as filtrex's
// UnknownPropertyError, which a comparison would treat as a value.
const filtrexOptions = {customProp: (name, get) => get(name)};

const compilers = {
  'cel-js': (w) => parse(w.cel),
  filtrex: (w) => compileExpression(w.filtrex, filtrexOptions),
};
const compiler = compilers[engine];
if (!compiler) {
  console.error(`js_peer: unknown engine ${engine}`);
  process.exit(2);
}

function least(count, run) {
  let best = Infinity;
  for (let r = 0; r < count; ++r) {
    const start = process.hrtime.bigint();
    run();
    best = Math.min(best, Number(process.hrtime.bigint() - start));
  }
  return best;  // ns
}

const instances = JSON.parse(readFileSync(flatPath, 'utf8'));
const workloads = JSON.parse(readFileSync(workloadsPath, 'utf8'));
const n = instances.length;
let sink = 0;

for (const w of workloads) {
  const compileNs = least(repetitions * 20, () => { sink += compiler(w) ? 1 : 0; });
  const check = compiler(w);
  let matched = 0;
  const checkNs = least(repetitions, () => {
    let k = 0;
    for (let i = 0; i < n; ++i) if (check(instances[i]) === true) ++k;
    matched = k;
  });
  let ids = [];
  const bulkNs = least(repetitions, () => {
    ids = [];
    for (let i = 0; i < n; ++i) if (check(instances[i]) === true) ids.push(i);
  });
  const oneLoops = 200000;
  const probe = instances[n >> 1];
  const oneNs = least(repetitions, () => {
    for (let i = 0; i < oneLoops; ++i) if (check(probe) === true) ++sink;
  });
  writeFileSync(`${outDir}/${engine}.${w.name}.ids`, ids.map((id) => `${id}\n`).join(''));
  console.log(JSON.stringify({
    engine, workload: w.name, instances: n, matched, compile_us: compileNs / 1e3, check_ns: checkNs / n,
    bulk_us: bulkNs / 1e3, one_ns: oneNs / oneLoops,
  }));
}
if (sink < 0) console.error(sink);
