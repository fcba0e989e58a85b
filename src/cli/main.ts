import { Command, CommanderError, Option } from 'commander';
import { EXIT, exitCodeFor, reportError } from './errors.js';
import { parseNormalizeFlag } from './normalize-flag.js';
import { list, listOf, nonNegativeInt, positiveInt, positiveNumber, requestRates, share } from './options.js';

/**
 * The CLI as data: each command declares its flags here and loads its implementation lazily, so
 * `vlmhb metrics` never pays for sharp, the OpenAI SDK or the canvas.
 */
export function buildProgram(): Command {
  const program = new Command('vlmhb')
    .description(
      'VLMHyperBench: benchmark vision-language models and OCR engines on document extraction (quality and speed).',
    )
    .version('0.1.0')
    .showHelpAfterError('(run with --help for usage)')
    .configureOutput({ writeErr: (s) => process.stderr.write(s) })
    // Parser errors (unknown option, bad value, missing argument) come back as CommanderError, so main()
    // maps them to the usage exit code instead of commander's own exit(1). Inherited by every subcommand.
    .exitOverride();

  program
    .command('run')
    .description('run every task of a config (CSV or YAML), or one task given by flags')
    .argument('[config]', 'user config: CSV (original or seed columns) or YAML')
    .option('--dataset <dir>', 'dataset folder (annotation.csv or annotation.jsonl + images)')
    .option(
      '--framework <name>',
      'engine: tesseract, vllm, sglang, transformers, lmdeploy, llamacpp, ollama, openai',
    )
    .option('--model <name>', 'model id as the framework knows it')
    .option('--prompts <file>', 'prompt collection CSV')
    .option('--system-prompt <file>', 'system prompt text file')
    .option('--out <dir>', 'run folder for answers, metrics and summary')
    .option(
      '--data-root <dir>',
      'root holding Datasets/, PromptCollections/, ModelsAnswers/ ... (default: config folder)',
    )
    .option('--metrics <list>', 'metrics, comma separated', list)
    .option('--base-url <url>', 'OpenAI-compatible server URL, e.g. http://127.0.0.1:8000/v1')
    .option('--api-key-env <name>', 'environment variable that holds the API key')
    .option('--concurrency <n>', 'requests in flight', positiveInt('--concurrency'))
    .option('--long-side <px>', 'resize images so the long side is at most this', positiveInt('--long-side'))
    .option(
      '--max-pixels <n>',
      'resize images so width × height is at most this',
      positiveInt('--max-pixels'),
    )
    .option(
      '--normalize <spec>',
      'normalisation preset for every metric (none, anls, loose) or metric=preset,...',
      parseNormalizeFlag,
    )
    .addOption(
      new Option(
        '--mode <mode>',
        'field: one request per field; document: one JSON request per document',
      ).choices(['field', 'document']),
    )
    .option('--retry-errors', 're-ask items whose answer was an error')
    .option('--no-cache', 'ask every question again instead of using the shared answer cache')
    .option(
      '--cache-file <file>',
      'answer cache file (default: $VLMHB_CACHE_DIR or ~/.cache/vlmhb/answers.jsonl)',
    )
    .option(
      '--aggregators <list>',
      'metric tables: by_id, by_doc_question, by_doc_type, by_split, overall',
      list,
    )
    .option('--filter-doc-class <list>', 'keep only samples of these doc classes', list)
    .option('--filter-question-type <list>', 'keep only samples of these question types', list)
    .option('--only-evaluate-metrics', 're-score stored answers without calling the model')
    .option('--max-tokens <n>', 'most tokens per answer', positiveInt('--max-tokens'))
    .option('--docker-image <image>', 'container image that serves the model (container executors)')
    .option('--timeout <s>', 'seconds one request attempt may take', positiveNumber('--timeout'))
    .option(
      '--max-retries <n>',
      'retries after a 429, 5xx, reset or timeout',
      nonNegativeInt('--max-retries'),
    )
    .option('--executor <name>', 'who starts model servers: external (already running), local, docker, ...')
    .option(
      '--gpus <list>',
      'GPUs tasks may use, e.g. 0,2,5 (default: CUDA_VISIBLE_DEVICES, else all nvidia-smi lists)',
    )
    .option('--fail-on-limits', "exit 1 when a task fails one of the config's limits")
    .option(
      '--max-error-rate <r>',
      'share of items (0..1) that may still be failed after retries without exit 1',
      share('--max-error-rate'),
    )
    .option('--json', 'print results as JSON on stdout')
    .action(async (config: string | undefined, opts) => {
      const { runCommand } = await import('./commands/run.js');
      process.exitCode = await runCommand(config, opts);
    });

  program
    .command('plan')
    .description(
      'print the tasks of a config, their devices, the rounds and the servers to start; runs nothing',
    )
    .argument('<config>', 'user config: CSV or YAML')
    .option(
      '--gpus <list>',
      'GPUs tasks may use, e.g. 0,2,5 (default: CUDA_VISIBLE_DEVICES, else all nvidia-smi lists)',
    )
    .option('--executor <name>', 'executor for every task: external, local, docker, ...')
    .option('--data-root <dir>', 'root holding Datasets/, PromptCollections/ ... (default: config folder)')
    .option('--json', 'print the plan as JSON')
    .action(async (config: string, opts) => {
      const { planCommand } = await import('./commands/plan.js');
      process.exitCode = await planCommand(config, opts);
    });

  const task = program
    .command('task')
    .description('run one planned task (what Slurm job scripts call on the node)');
  task
    .command('run')
    .description(
      "run planned tasks from JSON files (a run folder's task.json, or tasks of `vlmhb plan --json`); several files run one after another, consecutive tasks with the same server settings on one server",
    )
    .argument('<task.json...>', 'planned tasks as JSON')
    .option('--gpus <list>', 'GPUs the task may use (default: CUDA_VISIBLE_DEVICES, else nvidia-smi)')
    .option('--retry-errors', 're-ask items whose answer was an error')
    .option('--no-cache', 'ask every question again instead of using the shared answer cache')
    .option(
      '--cache-file <file>',
      'answer cache file (default: $VLMHB_CACHE_DIR or ~/.cache/vlmhb/answers.jsonl)',
    )
    .option('--fail-on-limits', 'exit 1 when the task fails one of its limits')
    .option(
      '--max-error-rate <r>',
      'share of items (0..1) that may still be failed',
      share('--max-error-rate'),
    )
    .option('--json', 'print the result as JSON on stdout')
    .action(async (files: string[], opts) => {
      const { taskRunCommand } = await import('./commands/task.js');
      process.exitCode = await taskRunCommand(files, opts);
    });

  program
    .command('eval')
    .description(
      "score an existing answers file (the original's id;model_answer CSV, or a run's answers.jsonl) against a dataset's annotation; images are not needed",
    )
    .requiredOption('--dataset <dir>', 'dataset folder')
    .requiredOption('--answers <file>', 'answers CSV with columns id;model_answer, or answers.jsonl')
    .option('--metrics <list>', 'metrics, comma separated', list)
    .option(
      '--normalize <spec>',
      'normalisation preset for every metric (none, anls, loose) or metric=preset,...',
      parseNormalizeFlag,
    )
    .option('--json', 'print results as JSON on stdout')
    .action(async (opts) => {
      const { evalCommand } = await import('./commands/eval.js');
      process.exitCode = await evalCommand(opts);
    });

  program
    .command('metrics')
    .description('score any CSV with columns id,reference,prediction')
    .requiredOption('--input <file>', 'CSV with id,reference,prediction')
    .option('--metrics <list>', 'metrics, comma separated (default: cer,wer,bleu,anls,exact_match)', list)
    .option(
      '--normalize <spec>',
      'normalisation preset for every metric (none, anls, loose) or metric=preset,...',
      parseNormalizeFlag,
    )
    .option('--json', 'print rows and overall as JSON on stdout')
    .action(async (opts) => {
      const { metricsCommand } = await import('./commands/metrics.js');
      process.exitCode = await metricsCommand(opts);
    });

  program
    .command('throughput')
    .description(
      'load a server as `vllm bench serve` does (fixed concurrency or Poisson arrivals, a sweep) and score the timed answers',
    )
    .requiredOption('--dataset <dir>', 'dataset whose images and prompts make the requests')
    .requiredOption('--framework <name>', 'engine, e.g. vllm, sglang, openai, tesseract')
    .option('--model <name>', 'model id as the server knows it')
    .option('--base-url <url>', 'OpenAI-compatible server URL')
    .option('--api-key-env <name>', 'environment variable that holds the API key')
    .option('--prompts <file>', 'prompt collection CSV')
    .option('--system-prompt <file>', 'system prompt text file')
    .option('--concurrency <list>', 'max requests in flight, one run per value, e.g. 1,4,16', (v: string) =>
      listOf(positiveInt('--concurrency'))(v).map(String),
    )
    .option(
      '--request-rate <list>',
      "requests per second ('inf' = all at once), one run per value",
      requestRates('--request-rate'),
    )
    .option('--burstiness <x>', 'gamma shape of arrivals; 1 = Poisson', Number, 1)
    .option(
      '--num-prompts <n>',
      'requests per run (cycles through the dataset)',
      positiveInt('--num-prompts'),
    )
    .option('--seed <n>', 'seed of the arrival times', nonNegativeInt('--seed'), 0)
    .option('--long-side <px>', 'resize images so the long side is at most this', positiveInt('--long-side'))
    .option('--max-tokens <n>', 'most tokens per answer', positiveInt('--max-tokens'))
    .option('--json', 'print every point as JSON on stdout')
    .action(async (opts) => {
      const { throughputCommand } = await import('./commands/throughput.js');
      process.exitCode = await throughputCommand(opts);
    });

  program
    .command('serve')
    .description('serve an engine as an OpenAI-compatible server (/v1/chat/completions, /v1/models, /health)')
    .addOption(new Option('--framework <name>', 'engine to serve').default('tesseract'))
    .option('--model <name>', 'model name to report (default: tesseract-5 for tesseract)')
    .addOption(new Option('--host <host>', 'address to bind').default('127.0.0.1'))
    .option('--port <n>', 'port (0 = any free port)', nonNegativeInt('--port'), 8000)
    .option(
      '--upstream <url>',
      'for a server framework (vllm, sglang, ...): the OpenAI-compatible URL to proxy, e.g. http://127.0.0.1:8001/v1',
    )
    .option('--api-key-env <name>', "environment variable that holds the upstream's API key")
    .action(async (opts) => {
      const { serveCommand } = await import('./commands/serve.js');
      process.exitCode = await serveCommand(opts);
    });

  program
    .command('frameworks')
    .description('list inference frameworks with launch commands you can paste')
    .option('--json', 'print as JSON')
    .action(async (opts) => {
      const { frameworksCommand } = await import('./commands/frameworks.js');
      process.exitCode = await frameworksCommand(opts);
    });

  const dataset = program.command('dataset').description('generate, preview and validate datasets');
  dataset
    .command('generate')
    .description('render synthetic Russian documents with ground truth and scan artefacts')
    .option('--doc <list>', 'document kinds: snils,snils_adi_reg,inn,passport,invoice', list, [
      'snils',
      'snils_adi_reg',
      'inn',
      'passport',
      'invoice',
    ])
    .option('--count <n>', 'documents per kind', positiveInt('--count'), 10)
    .option('--seed <n>', 'random seed', nonNegativeInt('--seed'), 1)
    .option('--augment <list>', 'augmentation subsets, e.g. clean,blur:2,noise+jpeg:3', 'clean')
    .option(
      '--long-side <list>',
      'one dataset per long side, e.g. 1600,1024,768',
      listOf(positiveInt('--long-side')),
    )
    .option('--workers <n>', 'worker threads', positiveInt('--workers'))
    .addOption(
      new Option('--format <fmt>', 'page file format (a jpeg augmentation always writes JPEG)')
        .choices(['jpeg', 'png'])
        .default('jpeg'),
    )
    .option(
      '--style <list>',
      'layout families: all, familiar, held-out or style ids (see `dataset styles`)',
      'all',
    )
    .addOption(
      new Option('--questions <lang>', 'language of the question column')
        .choices(['ru', 'en', 'mixed'])
        .default('ru'),
    )
    .requiredOption('--out <dir>', 'output folder')
    .option('--json', 'print what was written as JSON')
    .action(async (opts) => {
      const { generateCommand } = await import('./commands/dataset.js');
      process.exitCode = await generateCommand(opts);
    });
  dataset
    .command('preview')
    .description('contact sheets of a dataset as PNG, a page of --limit images each')
    .argument('<dir>', 'dataset folder')
    .requiredOption('--out <file>', 'PNG to write (with --all: sheet.png → sheet-1.png, sheet-2.png, ...)')
    .option('--limit <n>', 'images per sheet', positiveInt('--limit'), 24)
    .option('--page <n>', 'which sheet of --limit images (1 = the first)', positiveInt('--page'), 1)
    .option('--all', 'write every sheet, one file each')
    .option('--split <list>', 'only these splits, e.g. clean,blur:2', list)
    .action(async (dir: string, opts) => {
      const { previewCommand } = await import('./commands/dataset.js');
      process.exitCode = await previewCommand(dir, opts);
    });
  dataset
    .command('styles')
    .description('list the layout families of each document kind (held-out ones marked)')
    .option('--json', 'print as JSON')
    .action(async (opts) => {
      const { stylesCommand } = await import('./commands/dataset.js');
      process.exitCode = await stylesCommand(opts);
    });
  dataset
    .command('validate')
    .description('check a dataset: missing images, bad rows, checksum-invalid numbers')
    .argument('<dir>', 'dataset folder')
    .option(
      '--max-image-pixels <n>',
      "refuse images above this many pixels, a decompression-bomb guard (default: Pillow's 89478485)",
      positiveInt('--max-image-pixels'),
    )
    .option('--json', 'print problems as JSON')
    .action(async (dir: string, opts) => {
      const { validateCommand } = await import('./commands/dataset.js');
      process.exitCode = await validateCommand(dir, opts);
    });

  dataset
    .command('import')
    .description('convert a dataset of another tool into this one (annotation.csv + images)')
    .argument('<src>', 'source file or folder')
    .requiredOption('--from <format>', 'source format: vlmhyperbench-json, vlmevalkit-tsv, pdf, hf-parquet')
    .requiredOption('--out <dir>', 'new dataset folder (must not exist or be empty)')
    .option('--doc-class <name>', 'doc_class for formats without one of their own')
    .option('--dpi <n>', 'pdf: render resolution (default 150)', positiveInt('--dpi'))
    .option(
      '--questions <file>',
      'pdf: CSV or JSON of file;page;question;answer (default: an empty skeleton)',
    )
    .option('--json', 'print what was written as JSON')
    .action(async (src: string, opts) => {
      const { importCommand } = await import('./commands/import.js');
      process.exitCode = await importCommand(src, opts);
    });

  program
    .command('check')
    .description('label-free validity of answers: checksums, formats, plausible dates, refusals')
    .requiredOption('--answers <file>', "answers.jsonl of a run, or the original's id;model_answer CSV")
    .option('--dataset <dir>', 'dataset the ids refer to (needed for a CSV)')
    .option('--json', 'print the report as JSON')
    .action(async (opts) => {
      const { checkCommand } = await import('./commands/check.js');
      process.exitCode = await checkCommand(opts);
    });

  program
    .command('gate')
    .description(
      'compare a candidate run with a baseline per field and overall (paired bootstrap): exit 0 pass, 1 fail, 2 could not compare',
    )
    .requiredOption('--baseline <run>', 'baseline run folder (task.json, answers.jsonl, metrics.json)')
    .requiredOption('--candidate <run>', 'candidate run folder')
    .option('--dataset <dir>', 'dataset folder, when it moved since the runs (its content must match theirs)')
    .option('--max-cer-increase <x>', 'largest allowed CER increase, absolute', '0.005')
    .option('--max-latency-increase <share>', 'largest allowed mean-latency increase, e.g. 10%', '10%')
    .option('--max-memory-increase <share>', 'largest allowed peak GPU memory increase, e.g. 5%', '5%')
    .option('--confidence <x>', 'confidence of the paired bootstrap', '0.95')
    .option('--resamples <n>', 'bootstrap resamples', positiveInt('--resamples'))
    .option('--seed <n>', 'bootstrap seed', nonNegativeInt('--seed'))
    .option('--junit <file>', 'write JUnit XML (GitLab/GitHub test reports)')
    .option('--markdown <file>', 'write the Markdown verdict (a merge-request comment) to a file too')
    .option('--json-out <file>', 'write the result as JSON to a file too')
    .option('--json', 'print the result as JSON instead of Markdown')
    .action(async (opts) => {
      const { gateCommand } = await import('./commands/gate.js');
      process.exitCode = await gateCommand(opts);
    });

  program
    .command('report')
    .description('one self-contained HTML report (or Markdown / JSON) of run folders or results folders')
    .argument('<dirs...>', 'run folders, or folders searched for them')
    .option('--out <file>', 'file to write (default: stdout); .md / .json pick the format')
    .addOption(new Option('--format <fmt>', 'output format').choices(['html', 'md', 'json']))
    .addOption(
      new Option(
        '--images <mode>',
        'errors: enlarged views of images with a wrong answer, thumbnails of the rest; all; thumbs; none',
      )
        .choices(['errors', 'all', 'thumbs', 'none'])
        .default('errors'),
    )
    .option('--cer-target <x>', 'limit: overall CER at most this (when runs set no limits)', Number)
    .option('--title <text>', 'report title')
    .option('--check', 'exit 1 when any task fails its limits')
    .option('--no-image-cache', 'encode every image afresh instead of reusing ~/.cache/vlmhb/report-images')
    .action(async (dirs: string[], opts) => {
      const { reportCommand } = await import('./commands/report.js');
      process.exitCode = await reportCommand(dirs, opts);
    });

  program
    .command('view')
    .description('local read-only web viewer of a results folder: every run, its report, comparisons')
    .argument('[dir]', 'results folder', '.')
    .addOption(new Option('--host <host>', 'address to bind').default('127.0.0.1'))
    .option('--port <n>', 'port (0 = any free port)', nonNegativeInt('--port'), 8790)
    .action(async (dir: string, opts) => {
      const { viewCommand } = await import('./commands/view.js');
      process.exitCode = await viewCommand(dir, opts);
    });

  const slurm = program
    .command('slurm')
    .description('run tasks as Slurm batch jobs and follow them (fire and forget)');
  slurm
    .command('submit')
    .description(
      'submit every task of a config as a Slurm job (a job array where settings match); print job ids',
    )
    .argument('<config>', 'user config: CSV or YAML (YAML slurm: block for sbatch settings)')
    .option('--data-root <dir>', 'root holding Datasets/, PromptCollections/, ... (default: config folder)')
    .option('--out <dir>', 'submission folder (default: <data_root>/runs/slurm/<stamp>)')
    .option('--json', 'print the submission as JSON on stdout')
    .action(async (config: string, opts) => {
      const { slurmSubmitCommand } = await import('./commands/slurm.js');
      process.exitCode = await slurmSubmitCommand(config, opts);
    });
  slurm
    .command('status')
    .description('state of every task of the submissions in or below a folder (submission or run folder)')
    .argument('<dir>', 'a submission folder, a task run folder, or a folder above them (e.g. runs/)')
    .option('--json', 'print as JSON on stdout')
    .action(async (dir: string, opts) => {
      const { slurmStatusCommand } = await import('./commands/slurm.js');
      process.exitCode = await slurmStatusCommand(dir, opts);
    });

  program;
  const prompts = program
    .command('prompts')
    .description('compare prompt collections and pick the best prompt per field');
  prompts
    .command('compare')
    .description(
      'run one model over several prompt collections on one dataset; CER and more per field with bootstrap CIs and paired tests',
    )
    .argument(
      '[config]',
      'a config (CSV or YAML) whose tasks share dataset, framework and model and differ in prompt collection',
    )
    .option('--dataset <dir>', 'dataset folder (without a config)')
    .option('--framework <name>', 'engine, e.g. tesseract, vllm (without a config)')
    .option('--model <name>', 'model id as the framework knows it')
    .option('--base-url <url>', 'OpenAI-compatible server URL')
    .option('--collections <files...>', 'prompt collection CSVs, two or more (without a config)')
    .option('--data-root <dir>', "the config's data root (default: the config's folder)")
    .option('--out <dir>', 'folder for the runs and compare.json', 'prompts-compare')
    .option('--no-cache', 'ask every question again instead of using the shared answer cache')
    .option(
      '--cache-file <file>',
      'answer cache file (default: $VLMHB_CACHE_DIR or ~/.cache/vlmhb/answers.jsonl)',
    )
    .option('--confidence <x>', 'confidence of the intervals and tests', Number, 0.95)
    .option('--resamples <n>', 'bootstrap resamples', positiveInt('--resamples'))
    .option('--seed <n>', 'seed of the bootstrap and permutation tests', nonNegativeInt('--seed'))
    .option('--json', 'print the result as JSON')
    .action(async (config: string | undefined, opts) => {
      const { promptsCompareCommand } = await import('./commands/prompts.js');
      process.exitCode = await promptsCompareCommand({ ...opts, ...(config ? { config } : {}) });
    });
  prompts
    .command('optimize')
    .description(
      'search better prompts per field: a generator model proposes, the answering model is scored on the dataset; resumable',
    )
    .requiredOption('--dataset <dir>', 'mini dataset the candidates are scored on')
    .requiredOption('--framework <name>', 'answering engine, e.g. tesseract, vllm')
    .option('--model <name>', 'answering model')
    .option('--base-url <url>', "answering model's OpenAI-compatible server URL")
    .requiredOption(
      '--generator-url <url>',
      'OpenAI-compatible URL of the prompt generator, e.g. http://127.0.0.1:8001/v1',
    )
    .requiredOption('--generator-model <name>', 'generator model id')
    .option('--generator-api-key-env <name>', "environment variable holding the generator's API key")
    .option('--start <file>', 'starting prompt collection (default: the dataset questions)')
    .option('--attempts <n>', 'generator proposals per field', positiveInt('--attempts'), 20)
    .option('--threshold <x>', 'stop a field once its CER is below this', Number, 0.3)
    .option(
      '--max-requests <n>',
      'generator requests in all (over every resumed session)',
      nonNegativeInt('--max-requests'),
    )
    .option('--max-minutes <n>', 'wall time in all (over every resumed session)', Number)
    .option(
      '--out <dir>',
      'folder for attempts.jsonl, runs and best.csv (rerun with it to resume)',
      'prompts-optimize',
    )
    .option('--no-cache', 'ask every question again instead of using the shared answer cache')
    .option('--cache-file <file>', 'answer cache file')
    .option('--json', 'print the result as JSON')
    .action(async (opts) => {
      const { promptsOptimizeCommand } = await import('./commands/prompts.js');
      process.exitCode = await promptsOptimizeCommand(opts);
    });
  prompts
    .command('select')
    .description("write the best prompt per field from a compare result, in the original's collection format")
    .requiredOption('--from <file>', 'compare.json written by `vlmhb prompts compare`')
    .requiredOption('--out <file>', 'collection CSV to write (prompt;doc_class_question_type;cer)')
    .option('--json', 'print the selection as JSON')
    .action(async (opts) => {
      const { promptsSelectCommand } = await import('./commands/prompts.js');
      process.exitCode = await promptsSelectCommand(opts);
    });

  const sweep = program.command('sweep').description('sweep one setting and pick the best value');
  sweep
    .command('resolution')
    .description(
      'per document type, the smallest image long side whose CER stays within a tolerance of the best',
    )
    .argument('<config>', 'user config: CSV or YAML (each task is swept)')
    .option(
      '--sizes <list>',
      'long sides to try',
      (v) => list(v).map((x) => positiveInt('--sizes')(x)),
      [1600, 1280, 1024, 768, 512],
    )
    .option('--tolerance <x>', 'largest accepted CER increase over the best (absolute)', Number, 0.01)
    .option('--out <dir>', 'folder for the runs and sweep.json', 'sweep-resolution')
    .option('--data-root <dir>', 'root holding Datasets/, PromptCollections/ ... (default: config folder)')
    .option('--no-cache', 'ask every question again instead of using the shared answer cache')
    .option(
      '--cache-file <file>',
      'answer cache file (default: $VLMHB_CACHE_DIR or ~/.cache/vlmhb/answers.jsonl)',
    )
    .option('--json', 'print the result as JSON')
    .action(async (config: string, opts) => {
      const { sweepResolutionCommand } = await import('./commands/sweep.js');
      process.exitCode = await sweepResolutionCommand(config, opts);
    });

  program
    .command('schema')
    .description('print the JSON Schema of the YAML config')
    .action(async () => {
      const { schemaCommand } = await import('./commands/schema.js');
      process.exitCode = await schemaCommand();
    });

  return program;
}

/**
 * `--help` and `--version` end with 0; every other parser stop is a usage error (2). That includes
 * `vlmhb` or `vlmhb dataset` with no command: commander prints the help on stderr, and the exit is 2.
 */
export function usageExitCode(e: CommanderError): number {
  if (e.code === 'commander.helpDisplayed' || e.code === 'commander.version') return EXIT.ok;
  return e.exitCode === 0 ? EXIT.ok : EXIT.input;
}

export async function main(argv: string[]): Promise<void> {
  // `vlmhb frameworks | head` closes the pipe early: that is a normal end, not a crash.
  process.stdout.on('error', (e: NodeJS.ErrnoException) => {
    if (e.code === 'EPIPE') process.exit(EXIT.ok);
    throw e;
  });
  // A file-size limit (`ulimit -f`) must surface as EFBIG on the write, which the answers log reports as
  // a failed task with every earlier answer kept, not as a signal that kills the run mid-write.
  process.on('SIGXFSZ', () => {});
  try {
    await buildProgram().parseAsync(argv);
  } catch (e) {
    if (e instanceof CommanderError) {
      // Commander has already written its message (or the help) to the right stream.
      process.exitCode = usageExitCode(e);
      return;
    }
    reportError(e);
    process.exitCode = exitCodeFor(e);
  }
}

await main(process.argv);
