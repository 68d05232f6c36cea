/**
 * The heap a piece of code keeps alive: measured after a full garbage collection, so what remains is what
 * the code holds, not garbage waiting to be collected (memory tests: a bound on what a pass holds).
 */
import v8 from 'node:v8';
import vm from 'node:vm';

v8.setFlagsFromString('--expose-gc');
const gc = vm.runInNewContext('gc') as () => void;

/** Heap still in use after a full collection. */
export function liveHeap(): number {
  gc();
  return process.memoryUsage().heapUsed;
}

export const MB = (n: number) => `${(n / 1e6).toFixed(1)} MB`;
