/**
 * Images of partner stories, re-served by Compa: the people in them may be at risk, so what a camera or an
 * editor wrote into the file (GPS position, camera model and serial, dates, names, thumbnails of the uncropped
 * photo) is removed before anyone can download it. The format is identified by its magic bytes, never by URL or
 * Content-Type, and the file is walked structure by structure, so that a truncated or lying file is refused rather
 * than passed on. Only the pixels and what is needed to show them correctly (colour profile, orientation,
 * transparency, animation) survive. No decoding and re-encoding: bytes are copied, not recompressed.
 */
import { crc32 } from 'node:zlib';

export interface StoredImage {
  bytes: Buffer;
  contentType: 'image/jpeg' | 'image/png' | 'image/webp' | 'image/gif';
  /** As displayed: after the EXIF orientation a JPEG, PNG or WebP may carry (kept, alone, in the output). */
  width: number;
  height: number;
  ext: 'jpg' | 'png' | 'webp' | 'gif';
}

/** Not an image Compa serves: unknown or refused format, broken or truncated file, too large. */
export class ImageError extends Error {
  override name = 'ImageError';
}

export const DEFAULT_MAX_PIXELS = 40e6;
export const DEFAULT_MAX_BYTES = 20 * 1024 * 1024;

/**
 * Identifies the format by magic bytes, reads width/height, and strips metadata. Throws ImageError for SVG,
 * unknown formats, truncated files, and images over `maxPixels` (default 40 million) or `maxBytes` (default 20 MiB).
 */
export function processImage(input: Buffer, opts: { maxPixels?: number; maxBytes?: number } = {}): StoredImage {
  const maxPixels = opts.maxPixels ?? DEFAULT_MAX_PIXELS;
  const maxBytes = opts.maxBytes ?? DEFAULT_MAX_BYTES;
  if (input.length > maxBytes) throw new ImageError(`image larger than ${maxBytes} bytes`);
  const image = process(input);
  if (!(image.width > 0 && image.height > 0)) throw new ImageError('image without a size');
  if (image.width * image.height > maxPixels) {
    throw new ImageError(`image of ${image.width}×${image.height} pixels is over the limit of ${maxPixels}`);
  }
  return image;
}

function process(b: Buffer): StoredImage {
  if (b.length >= 3 && b[0] === 0xff && b[1] === 0xd8 && b[2] === 0xff) return jpeg(b);
  if (b.length >= 8 && b.subarray(0, 8).equals(PNG_SIGNATURE)) return png(b);
  if (b.length >= 12 && b.toString('latin1', 0, 4) === 'RIFF' && b.toString('latin1', 8, 12) === 'WEBP') return webp(b);
  if (b.length >= 6 && /^GIF8[79]a$/.test(b.toString('latin1', 0, 6))) return gif(b);
  throw new ImageError(`unsupported image format${describe(b)}`);
}

/** A hint for the error message: what the bytes look like, when it is a known format Compa refuses. */
function describe(b: Buffer): string {
  const head = b.subarray(0, 512).toString('utf8').replace(/^\uFEFF/, '').trimStart().toLowerCase();
  if (head.startsWith('<svg') || (head.startsWith('<') && head.includes('<svg'))) return ' (SVG is refused: it can carry script)';
  if (b.length >= 12 && b.toString('latin1', 4, 8) === 'ftyp') return ` (${b.toString('latin1', 8, 12).trim()})`;
  if (b.length >= 2 && b.toString('latin1', 0, 2) === 'BM') return ' (BMP)';
  if (b.length >= 4 && (b.toString('latin1', 0, 4) === 'II*\0' || b.toString('latin1', 0, 4) === 'MM\0*')) return ' (TIFF)';
  if (b.length === 0) return ' (empty file)';
  return '';
}

// ---------------------------------------------------------------------------------------------------------------
// JPEG

/** Start-of-frame markers that carry the image size (not DHT C4, JPG C8, DAC CC). */
const SOF = new Set([0xc0, 0xc1, 0xc2, 0xc3, 0xc5, 0xc6, 0xc7, 0xc9, 0xca, 0xcb, 0xcd, 0xce, 0xcf]);
/** Segments kept as they are besides APP0/APP2/APP14: tables, frames, restart interval, and hierarchical markers. */
const JPEG_KEEP = new Set([0xc4, 0xcc, 0xdb, 0xdd, 0xdc, 0xde, 0xdf, ...SOF]);

/**
 * Walks the segments; keeps the tables, the frame and the scans, APP0 only as a plain JFIF header (rewritten
 * without its thumbnail), APP2 only when it is an ICC profile, APP14 only when it is Adobe's colour transform.
 * Everything else goes: APP1 (Exif, XMP), APP13 (IPTC), APP12, other APPn, comments, and anything after the end of
 * the image (phones append depth maps, motion-photo videos and second pictures there, with their own EXIF). The
 * EXIF Orientation survives, alone in a new minimal Exif segment, since phones store portraits rotated.
 */
function jpeg(b: Buffer): StoredImage {
  const out: Buffer[] = [b.subarray(0, 2)];
  let app0At = -1; // where the JFIF header is in `out`: the orientation segment goes right after it
  let orientation = 1;
  let width = 0;
  let height = 0;
  let pos = 2;
  let scanned = false;
  let ended = false;

  while (pos < b.length) {
    if (b[pos] !== 0xff) throw new ImageError('broken JPEG: a segment does not start with a marker');
    while (pos < b.length && b[pos] === 0xff) pos++; // fill bytes
    if (pos >= b.length) break;
    const marker = b[pos]!;
    pos++;
    if (marker === 0xd9) {
      if (!scanned) throw new ImageError('broken JPEG: it ends before any image data');
      ended = true;
      break;
    }
    if ((marker >= 0xd0 && marker <= 0xd7) || marker === 0x01) continue; // no length; not expected here, harmless
    if (marker === 0xd8 || marker === 0x00) throw new ImageError('broken JPEG: unexpected marker');
    if (pos + 2 > b.length) throw new ImageError('truncated JPEG');
    const length = b.readUInt16BE(pos);
    if (length < 2 || pos + length > b.length) throw new ImageError('truncated JPEG');
    const segment = b.subarray(pos - 2, pos + length);
    const data = b.subarray(pos + 2, pos + length);
    pos += length;

    if (marker === 0xda) {
      // SOS: the header, then entropy-coded data up to the next marker that is not a restart or a stuffed 0xFF.
      if (!width) throw new ImageError('broken JPEG: image data before its size');
      const end = scanEnd(b, pos);
      out.push(segment, b.subarray(pos, end));
      pos = end;
      scanned = true;
      continue;
    }
    if (marker === 0xe0) {
      if (app0At < 0 && !scanned && data.length >= 14 && data.toString('latin1', 0, 5) === 'JFIF\0') {
        // version, units, densities; thumbnail size set to 0×0 and its pixels left out
        app0At = out.length;
        out.push(Buffer.concat([Buffer.from([0xff, 0xe0, 0x00, 0x10]), data.subarray(0, 12), Buffer.from([0, 0])]));
      }
      continue;
    }
    if (marker === 0xe1) {
      if (data.length >= 6 && data.toString('latin1', 0, 6) === 'Exif\0\0') orientation = exifOrientation(data.subarray(6)) ?? orientation;
      continue;
    }
    if (marker === 0xe2) {
      if (data.toString('latin1', 0, 12) === 'ICC_PROFILE\0') out.push(segment);
      continue;
    }
    if (marker === 0xee) {
      if (data.toString('latin1', 0, 5) === 'Adobe') out.push(segment);
      continue;
    }
    if (SOF.has(marker) && !width) {
      if (data.length < 6) throw new ImageError('broken JPEG: short frame header');
      height = data.readUInt16BE(1);
      width = data.readUInt16BE(3);
      if (!width || !height) throw new ImageError('JPEG without a size in its frame header');
    }
    if (JPEG_KEEP.has(marker)) out.push(segment);
    // anything else (APP1, APP3–APP13, APP15, COM, JPGn extensions) is dropped
  }
  if (!ended) throw new ImageError('truncated JPEG: no end of image');
  out.push(Buffer.from([0xff, 0xd9]));

  if (orientation !== 1) out.splice(app0At >= 0 ? app0At + 1 : 1, 0, orientationSegment(orientation));
  const swap = orientation >= 5;
  return {
    bytes: Buffer.concat(out),
    contentType: 'image/jpeg',
    ext: 'jpg',
    width: swap ? height : width,
    height: swap ? width : height,
  };
}

/** Where the entropy-coded data starting at `pos` ends: the first marker other than RSTn and stuffed FF00. */
function scanEnd(b: Buffer, pos: number): number {
  let i = pos;
  for (;;) {
    i = b.indexOf(0xff, i);
    if (i < 0 || i + 1 >= b.length) throw new ImageError('truncated JPEG: the image data has no end');
    const next = b[i + 1]!;
    if (next === 0x00 || (next >= 0xd0 && next <= 0xd7) || next === 0xff) {
      i += next === 0xff ? 1 : 2;
      continue;
    }
    return i;
  }
}

/** The Orientation (tag 0x0112) of IFD0 of a TIFF structure, if it is 1–8. */
function exifOrientation(tiff: Buffer): number | null {
  if (tiff.length < 8) return null;
  const order = tiff.toString('latin1', 0, 2);
  if (order !== 'II' && order !== 'MM') return null;
  const le = order === 'II';
  const u16 = (o: number) => (le ? tiff.readUInt16LE(o) : tiff.readUInt16BE(o));
  const u32 = (o: number) => (le ? tiff.readUInt32LE(o) : tiff.readUInt32BE(o));
  if (u16(2) !== 42) return null;
  const ifd = u32(4);
  if (ifd + 2 > tiff.length) return null;
  const count = u16(ifd);
  for (let i = 0; i < count; i++) {
    const entry = ifd + 2 + i * 12;
    if (entry + 12 > tiff.length) return null;
    if (u16(entry) !== 0x0112) continue;
    if (u16(entry + 2) !== 3) return null; // SHORT
    const value = u16(entry + 8);
    return value >= 1 && value <= 8 ? value : null;
  }
  return null;
}

/** A TIFF structure holding nothing but the Orientation: big-endian header, one IFD with one entry. */
function orientationTiff(orientation: number): Buffer {
  const t = Buffer.alloc(26);
  t.write('MM', 0, 'latin1');
  t.writeUInt16BE(42, 2);
  t.writeUInt32BE(8, 4); // IFD0 right after the header
  t.writeUInt16BE(1, 8); // one entry
  t.writeUInt16BE(0x0112, 10); // Orientation
  t.writeUInt16BE(3, 12); // SHORT
  t.writeUInt32BE(1, 14); // count
  t.writeUInt16BE(orientation, 18); // value, left-justified in the 4-byte field
  t.writeUInt32BE(0, 22); // no next IFD
  return t;
}

/** An APP1 Exif segment holding nothing but the Orientation. */
function orientationSegment(orientation: number): Buffer {
  const head = Buffer.alloc(10);
  head.writeUInt16BE(0xffe1, 0);
  head.writeUInt16BE(2 + 6 + 26, 2);
  head.write('Exif\0\0', 4, 'latin1');
  return Buffer.concat([head, orientationTiff(orientation)]);
}

/** EXIF data as PNG and WebP hold it: a TIFF structure, sometimes behind an "Exif\0\0" header anyway. */
function tiffOrientation(data: Buffer): number | null {
  return exifOrientation(data.toString('latin1', 0, 6) === 'Exif\0\0' ? data.subarray(6) : data);
}

// ---------------------------------------------------------------------------------------------------------------
// PNG

const PNG_SIGNATURE = Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]);
/**
 * Chunks needed to show the image right; text (tEXt, zTXt, iTXt), tIME and unknown chunks are dropped, and eXIf
 * is replaced by one holding only its orientation (browsers apply it to PNG too) when that is not 1.
 */
const PNG_KEEP = new Set(['IHDR', 'PLTE', 'IDAT', 'IEND', 'tRNS', 'gAMA', 'cHRM', 'sRGB', 'iCCP', 'sBIT', 'pHYs', 'bKGD', 'acTL', 'fcTL', 'fdAT']);

function png(b: Buffer): StoredImage {
  const out: Buffer[] = [PNG_SIGNATURE];
  let pos = 8;
  let width = 0;
  let height = 0;
  let idat = false;
  let ended = false;
  let orientation = 1;
  while (pos < b.length) {
    if (pos + 12 > b.length) throw new ImageError('truncated PNG');
    const length = b.readUInt32BE(pos);
    const type = b.toString('latin1', pos + 4, pos + 8);
    if (!/^[A-Za-z]{4}$/.test(type)) throw new ImageError('broken PNG: invalid chunk type');
    const end = pos + 12 + length;
    if (length > 0x7fffffff || end > b.length) throw new ImageError('truncated PNG');
    if (pos === 8) {
      if (type !== 'IHDR' || length !== 13) throw new ImageError('broken PNG: IHDR is not its first chunk');
      width = b.readUInt32BE(pos + 8);
      height = b.readUInt32BE(pos + 12);
    } else if (type === 'IHDR') throw new ImageError('broken PNG: a second IHDR');
    if (type === 'IDAT') idat = true;
    if (PNG_KEEP.has(type)) out.push(b.subarray(pos, end));
    else if (type === 'eXIf' && orientation === 1) {
      orientation = tiffOrientation(b.subarray(pos + 8, pos + 8 + length)) ?? 1;
      if (orientation !== 1) out.push(pngChunk('eXIf', orientationTiff(orientation)));
    }
    pos = end;
    if (type === 'IEND') {
      ended = true;
      break; // anything after IEND is not part of the image
    }
  }
  if (!ended || !idat) throw new ImageError('truncated PNG: no image data or no end');
  const swap = orientation >= 5;
  return { bytes: Buffer.concat(out), contentType: 'image/png', ext: 'png', width: swap ? height : width, height: swap ? width : height };
}

function pngChunk(type: string, data: Buffer): Buffer {
  const out = Buffer.alloc(12 + data.length);
  out.writeUInt32BE(data.length, 0);
  out.write(type, 4, 'latin1');
  data.copy(out, 8);
  out.writeUInt32BE(crc32(out.subarray(4, 8 + data.length)), 8 + data.length);
  return out;
}

// ---------------------------------------------------------------------------------------------------------------
// WebP

/**
 * Chunks needed to show the image; XMP and unknown chunks are dropped, and EXIF is replaced by one holding only
 * its orientation when that is not 1 (its VP8X flag is cleared otherwise).
 */
const WEBP_KEEP = new Set(['VP8 ', 'VP8L', 'VP8X', 'ALPH', 'ANIM', 'ANMF', 'ICCP']);
const VP8X_EXIF = 0x08;
const VP8X_XMP = 0x04;

function webp(b: Buffer): StoredImage {
  const riffSize = b.readUInt32LE(4);
  const end = 8 + riffSize;
  if (riffSize < 4 || end > b.length) throw new ImageError('truncated WebP');
  const chunks: Buffer[] = [];
  let pos = 12;
  let width = 0;
  let height = 0;
  let first = true;
  let hasImage = false;
  let orientation = 1;
  let vp8x: Buffer | null = null;
  while (pos < end) {
    if (pos + 8 > end) throw new ImageError('truncated WebP');
    const fourcc = b.toString('latin1', pos, pos + 4);
    const size = b.readUInt32LE(pos + 4);
    const dataEnd = pos + 8 + size;
    if (dataEnd > end) throw new ImageError('truncated WebP');
    const data = b.subarray(pos + 8, dataEnd);
    const next = Math.min(end, dataEnd + (size & 1)); // chunks are padded to an even size
    if (first) {
      const dims = fourcc === 'VP8X' ? vp8xSize(data) : fourcc === 'VP8 ' ? vp8Size(data) : fourcc === 'VP8L' ? vp8lSize(data) : null;
      if (!dims) throw new ImageError(`broken WebP: it starts with a "${fourcc}" chunk`);
      [width, height] = dims;
      first = false;
    }
    if (fourcc === 'VP8 ' || fourcc === 'VP8L' || fourcc === 'ANMF') hasImage = true;
    if (WEBP_KEEP.has(fourcc)) {
      const chunk = Buffer.from(b.subarray(pos, next)); // a copy: VP8X's flags are changed below
      if (fourcc === 'VP8X') vp8x = chunk;
      chunks.push(chunk);
    } else if (fourcc === 'EXIF' && orientation === 1) {
      orientation = tiffOrientation(data) ?? 1;
      if (orientation !== 1) chunks.push(riffChunk('EXIF', orientationTiff(orientation)));
    }
    pos = next;
  }
  if (vp8x) vp8x[8] = vp8x[8]! & ~(VP8X_XMP | (orientation === 1 ? VP8X_EXIF : 0));
  if (!hasImage) throw new ImageError('broken WebP: no image data');
  const body = Buffer.concat(chunks);
  const header = Buffer.alloc(12);
  header.write('RIFF', 0, 'latin1');
  header.writeUInt32LE(4 + body.length, 4);
  header.write('WEBP', 8, 'latin1');
  const swap = orientation >= 5;
  return { bytes: Buffer.concat([header, body]), contentType: 'image/webp', ext: 'webp', width: swap ? height : width, height: swap ? width : height };
}

function riffChunk(fourcc: string, data: Buffer): Buffer {
  const out = Buffer.alloc(8 + data.length + (data.length & 1));
  out.write(fourcc, 0, 'latin1');
  out.writeUInt32LE(data.length, 4);
  data.copy(out, 8);
  return out;
}

function vp8xSize(d: Buffer): [number, number] | null {
  if (d.length < 10) return null;
  return [d.readUIntLE(4, 3) + 1, d.readUIntLE(7, 3) + 1];
}

function vp8Size(d: Buffer): [number, number] | null {
  if (d.length < 10 || d[3] !== 0x9d || d[4] !== 0x01 || d[5] !== 0x2a) return null;
  return [d.readUInt16LE(6) & 0x3fff, d.readUInt16LE(8) & 0x3fff];
}

function vp8lSize(d: Buffer): [number, number] | null {
  if (d.length < 5 || d[0] !== 0x2f) return null;
  const bits = d.readUInt32LE(1);
  return [(bits & 0x3fff) + 1, ((bits >>> 14) & 0x3fff) + 1];
}

// ---------------------------------------------------------------------------------------------------------------
// GIF

/**
 * Walks the blocks: image descriptors and their data, graphic control and plain text extensions are kept, and the
 * application extensions that drive animation (NETSCAPE2.0, ANIMEXTS1.0); comments and every other application
 * extension (XMP lives in one) are dropped. A block that cannot be parsed makes the whole file refused.
 */
function gif(b: Buffer): StoredImage {
  if (b.length < 13) throw new ImageError('truncated GIF');
  const width = b.readUInt16LE(6);
  const height = b.readUInt16LE(8);
  const packed = b[10]!;
  let pos = 13 + (packed & 0x80 ? 3 * (1 << ((packed & 0x07) + 1)) : 0);
  if (pos > b.length) throw new ImageError('truncated GIF');
  const out: Buffer[] = [b.subarray(0, pos)];
  let frames = 0;
  let ended = false;

  /** The end of the sub-blocks starting at `p` (after their 0 terminator). */
  const subBlocksEnd = (p: number): number => {
    for (;;) {
      if (p >= b.length) throw new ImageError('truncated GIF');
      const size = b[p]!;
      p += 1 + size;
      if (size === 0) return p;
    }
  };

  while (pos < b.length) {
    const introducer = b[pos]!;
    if (introducer === 0x3b) {
      ended = true;
      break;
    }
    if (introducer === 0x2c) {
      if (pos + 10 > b.length) throw new ImageError('truncated GIF');
      const local = b[pos + 9]!;
      let p = pos + 10 + (local & 0x80 ? 3 * (1 << ((local & 0x07) + 1)) : 0);
      p += 1; // LZW minimum code size
      const end = subBlocksEnd(p);
      out.push(b.subarray(pos, end));
      frames++;
      pos = end;
      continue;
    }
    if (introducer === 0x21) {
      if (pos + 2 > b.length) throw new ImageError('truncated GIF');
      const label = b[pos + 1]!;
      const end = subBlocksEnd(pos + 2);
      let keep = label === 0xf9 || label === 0x01;
      if (label === 0xff) {
        const size = b[pos + 2]!;
        const id = size === 11 ? b.toString('latin1', pos + 3, pos + 14) : '';
        keep = id === 'NETSCAPE2.0' || id === 'ANIMEXTS1.0';
      }
      if (keep) out.push(b.subarray(pos, end));
      pos = end;
      continue;
    }
    throw new ImageError(`broken GIF: unknown block 0x${introducer.toString(16)}`);
  }
  if (!ended || !frames) throw new ImageError('truncated GIF: no image or no trailer');
  out.push(Buffer.from([0x3b]));
  return { bytes: Buffer.concat(out), contentType: 'image/gif', ext: 'gif', width, height };
}
