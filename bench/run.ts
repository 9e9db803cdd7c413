// `npm run bench`: every benchmark, each measured against a peer tool in the same run, printed as `key: value`.
// `npm run bench -- context upload` runs a subset; `--large` adds the 1 GB context round, the 1 GB upload's
// peak RSS and the input table's 200 000-file and 1 GB contexts.
import { benchActivation } from './activation.ts';
import { benchContext } from './context.ts';
import { benchReliability } from './reliability.ts';
import { benchUpload } from './upload.ts';

type Print = (key: string, value: number) => void;

const args = process.argv.slice(2);
const large = args.includes('--large');
const chosen = args.filter((arg) => !arg.startsWith('--'));

const benches: Record<string, (print: Print) => Promise<void>> = {
  context: async (print) => {
    await benchContext(print);
    if (large) await benchContext(print, { sizeMb: 1000 });
  },
  upload: (print) => benchUpload(print, { large }),
  activation: benchActivation,
  reliability: (print) => benchReliability(print, { large }),
};

const print: Print = (key, value) => console.log(`${key}: ${value}`);
let failures = 0;
for (const [name, bench] of Object.entries(benches)) {
  if (chosen.length > 0 && !chosen.includes(name)) continue;
  console.log(`# ${name}`);
  try {
    await bench(print);
  } catch (error) {
    failures += 1;
    console.error(`# ${name} failed: ${error instanceof Error ? error.message : String(error)}`);
  }
}
process.exitCode = failures === 0 ? 0 : 1;
