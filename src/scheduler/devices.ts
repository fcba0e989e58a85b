import { VlmhbError } from '../errors.js';
import type { Device } from '../executors/types.js';
import { type GpuInfo, nvidiaSmi, parseGpuList, QUERY_GPUS } from '../resources/nvidia-smi.js';

type GpuDevice = Extract<Device, { kind: 'gpu' }>;

/** `0,2,5` (indices) or GPU UUIDs, as `--gpus` and CUDA_VISIBLE_DEVICES write them. */
export function parseGpuSelection(text: string, source: string): (number | string)[] {
  const items = text
    .split(',')
    .map((s) => s.trim())
    .filter((s) => s !== '');
  return items.map((s) => {
    if (/^\d+$/.test(s)) return Number(s);
    if (/^(GPU|MIG)-[0-9a-zA-Z-]+$/.test(s)) return s;
    throw new VlmhbError('VLMHB_USAGE', `${source}: "${s}" is not a GPU index or UUID (e.g. 0,2,5)`);
  });
}

function toDevice(g: GpuInfo): GpuDevice {
  return { kind: 'gpu', index: g.index, uuid: g.uuid, name: g.name, memoryTotalMb: g.memoryTotalMb };
}

/**
 * The GPUs tasks may use: `--gpus` if given, else CUDA_VISIBLE_DEVICES if set, else every GPU nvidia-smi
 * lists. A selection is matched against nvidia-smi's list when there is one (to know names and memory)
 * and must name GPUs that exist; without nvidia-smi the selected indices are taken as given.
 */
export function selectDevices(args: {
  gpus?: string | undefined;
  cudaVisibleDevices?: string | undefined;
  /** Output of `nvidia-smi --query-gpu=index,uuid,name,memory.total --format=csv,noheader,nounits`. */
  smiList?: string | undefined;
}): GpuDevice[] {
  const listed = args.smiList === undefined ? undefined : parseGpuList(args.smiList);
  const fromFlag = args.gpus !== undefined;
  const written = fromFlag ? args.gpus : args.cudaVisibleDevices;
  if (written === undefined) return (listed ?? []).map(toDevice);
  const source = fromFlag ? '--gpus' : 'CUDA_VISIBLE_DEVICES';
  const wanted = parseGpuSelection(written, source);
  const out: GpuDevice[] = [];
  for (const w of wanted) {
    const found = listed?.find((g) => (typeof w === 'number' ? g.index === w : g.uuid === w));
    if (found) out.push(toDevice(found));
    else if (listed && listed.length > 0)
      throw new VlmhbError(
        'VLMHB_USAGE',
        `${source}: GPU ${w} does not exist; nvidia-smi lists ${listed.map((g) => g.index).join(', ')}`,
      );
    else if (typeof w === 'number') out.push({ kind: 'gpu', index: w });
    else
      throw new VlmhbError(
        'VLMHB_USAGE',
        `${source}: GPU ${w} given by UUID but nvidia-smi is not available`,
      );
  }
  if (new Set(out.map((d) => d.index)).size !== out.length)
    throw new VlmhbError('VLMHB_USAGE', `${source}: a GPU is named twice in "${written}"`);
  return out;
}

/** selectDevices with nvidia-smi run for real (absent or failing = no listing). */
export async function detectDevices(args: {
  gpus?: string | undefined;
  env?: NodeJS.ProcessEnv;
}): Promise<GpuDevice[]> {
  const env = args.env ?? process.env;
  return selectDevices({
    gpus: args.gpus,
    cudaVisibleDevices: env['CUDA_VISIBLE_DEVICES'],
    smiList: await nvidiaSmi(QUERY_GPUS),
  });
}
