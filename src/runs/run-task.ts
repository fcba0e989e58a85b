/**
 * The one place commands outside the runner (prompts compare, sweeps, tests of gate) start a task, so
 * moving to the task layer's `runTask` (src/task/run.ts) is a change of this import only.
 */
export { type RunTaskOptions, runTask, type TaskResult } from '../task/run.js';
