import PQueue from 'p-queue';
import sharp from 'sharp';
import type { ReportImage } from './model.js';

export interface ImageOptions {
  /** 'all': thumbnail and enlarged view; 'thumbs': thumbnails only; 'none': no images. @default 'all' */
  images?: 'all' | 'thumbs' | 'none';
  /** Long side of a thumbnail, px. @default 160 */
  thumbLongSide?: number;
  /** Long side of the enlarged view, px; the size cap that keeps reports attachable. @default 1000 */
  fullLongSide?: number;
  /** Images encoded at once. @default 2 */
  concurrency?: number;
  onWarning?: (msg: string) => void;
}

function dataUrl(buf: Buffer): string {
  return `data:image/jpeg;base64,${buf.toString('base64')}`;
}

/**
 * Fills every image in place with small JPEG data URLs, each image once however many answers point at
 * it. The enlarged view is encoded first and the thumbnail made from it, so the (large, textured PNG)
 * scan is decoded once. An unreadable image is a warning, not a failed report.
 */
export async function embedImages(images: ReportImage[], opts: ImageOptions = {}): Promise<void> {
  const mode = opts.images ?? 'all';
  if (mode === 'none') {
    for (const img of images) delete img.abs;
    return;
  }
  const thumbSide = opts.thumbLongSide ?? 160;
  const fullSide = opts.fullLongSide ?? 1000;
  const queue = new PQueue({ concurrency: opts.concurrency ?? 2 });
  await Promise.all(
    images.map((img) =>
      queue.add(async () => {
        const abs = img.abs;
        delete img.abs;
        if (!abs) return;
        try {
          const src = sharp(abs, { failOn: 'none' }).rotate();
          const meta = await src.metadata();
          img.width = meta.autoOrient?.width ?? meta.width;
          img.height = meta.autoOrient?.height ?? meta.height;
          const full = await src
            .resize({ width: fullSide, height: fullSide, fit: 'inside', withoutEnlargement: true })
            .flatten({ background: '#ffffff' })
            .jpeg({ quality: 70, mozjpeg: false })
            .toBuffer();
          const thumb = await sharp(full)
            .resize({ width: thumbSide, height: thumbSide, fit: 'inside', withoutEnlargement: true })
            .jpeg({ quality: 60 })
            .toBuffer();
          img.thumb = dataUrl(thumb);
          if (mode === 'all') img.full = dataUrl(full);
        } catch (e) {
          opts.onWarning?.(`image ${abs} left out: ${(e as Error).message}`);
        }
      }),
    ),
  );
}
