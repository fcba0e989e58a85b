import { localExecutor } from '../../src/executors/local.js';
import { testExecutor } from './suite.js';

testExecutor('local', () => localExecutor);
