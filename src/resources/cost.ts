/**
 * Cost per 1,000 documents from a GPU price per hour: the GPU is paid for the whole time the task held
 * it (model load + asking), divided over the documents answered.
 *
 * A monthly price converts at 730 hours a month (365 × 24 / 12): the seed's A100 40 GB at 38 322.67 ₽
 * a month is 38 322.67 / 730 ≈ 52.50 ₽ per hour.
 */
export const HOURS_PER_MONTH = 730;

export function pricePerHourFromMonthly(perMonth: number): number {
  return perMonth / HOURS_PER_MONTH;
}

export function costPer1000Docs(args: {
  pricePerHour: number;
  gpuSeconds: number;
  documents: number;
}): number | null {
  if (args.documents <= 0) return null;
  return (args.pricePerHour * (args.gpuSeconds / 3600) * 1000) / args.documents;
}
