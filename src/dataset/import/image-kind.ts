/** File extension for image bytes, from their magic number; sources rarely name the format. */
export function imageExtension(bytes: Uint8Array): string | undefined {
  const b = (i: number) => bytes[i] ?? -1;
  if (b(0) === 0xff && b(1) === 0xd8 && b(2) === 0xff) return '.jpg';
  if (b(0) === 0x89 && b(1) === 0x50 && b(2) === 0x4e && b(3) === 0x47) return '.png';
  if (b(0) === 0x52 && b(1) === 0x49 && b(2) === 0x46 && b(3) === 0x46 && b(8) === 0x57) return '.webp';
  if ((b(0) === 0x49 && b(1) === 0x49) || (b(0) === 0x4d && b(1) === 0x4d)) return '.tif';
  if (b(0) === 0x42 && b(1) === 0x4d) return '.bmp';
  return undefined;
}
