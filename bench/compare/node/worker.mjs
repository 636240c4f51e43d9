// npm's write-file-atomic@8 and atomically@2 under the worker protocol of driver.py, each through its synchronous
// API (no event-loop overhead in the timing). Both fsync the temp file (their default); neither fsyncs the directory.
// Run from the scratch directory where run.sh installed them: node worker.mjs {write-file-atomic|atomically} DIR
import { createInterface } from 'node:readline';
import { join } from 'node:path';
import { performance } from 'node:perf_hooks';
import writeFileAtomic from 'write-file-atomic';
import { writeFileSync as atomicallyWriteFileSync } from 'atomically';

const [library, dir] = process.argv.slice(2);
const write = {
  'write-file-atomic': (path, data) => writeFileAtomic.sync(path, data, { fsync: true }),
  'atomically': (path, data) => atomicallyWriteFileSync(path, data, { fsync: true }),
}[library];
if (!write) {
  console.error(`unknown library ${library}`);
  process.exit(2);
}

const large = Buffer.alloc(64 << 20);
for (let i = 0; i < large.length; i++) large[i] = 97 + (i % 26);

for await (const line of createInterface({ input: process.stdin })) {
  const [kind, countText] = line.trim().split(/\s+/);
  const count = Number(countText);
  const data = kind === 'large' ? large : large.subarray(0, 4096);
  const path = join(dir, `${kind}.bin`);
  const times = [];
  for (let i = 0; i < count; i++) {
    const start = performance.now();
    write(path, data);
    times.push((performance.now() - start).toFixed(4));
  }
  process.stdout.write(times.join(' ') + '\n');
}
