/**
 * Story images as Compa re-serves them: identified by their bytes, measured, and stripped of everything a camera
 * or an editor wrote into them (GPS, camera model and serial, dates, comments, XMP), keeping what is needed to
 * show them right. The test images are built in code (test/fixtures/images/build.ts); outputs are re-parsed.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { crc32 } from 'node:zlib';
import { ImageError, processImage } from '../../src/server/stories/images.ts';
import {
  GPS_LATITUDE,
  GPS_LONGITUDE,
  VP8L_1X1,
  VP8_1X1,
  chunk,
  exifSegment,
  gif,
  gifApplication,
  gifComment,
  jpeg,
  phoneTiff,
  png,
  rationalBytes,
  riffChunk,
  segment,
  vp8x,
  webp,
} from '../fixtures/images/build.ts';

/** Strings a phone or an editor leaves in a photo: none may survive. */
const PRIVATE = ['Pixel 7', 'Google', '2024:06:01', 'SERIAL-28A1F', 'GPS', 'xmpmeta', 'secret', 'Photoshop', 'Ducky', 'MPF'];

function assertNoMetadata(bytes: Buffer): void {
  for (const s of PRIVATE) assert.equal(bytes.indexOf(s, 0, 'latin1'), -1, `"${s}" survived`);
  assert.equal(bytes.indexOf(rationalBytes(GPS_LATITUDE)), -1, 'the GPS latitude survived');
  assert.equal(bytes.indexOf(rationalBytes(GPS_LONGITUDE)), -1, 'the GPS longitude survived');
}

function assertImageError(input: Buffer, message: RegExp, opts?: { maxPixels?: number; maxBytes?: number }): void {
  assert.throws(() => processImage(input, opts), (err: unknown) => {
    assert.ok(err instanceof ImageError, `an ImageError, got ${String(err)}`);
    assert.match(err.message, message);
    return true;
  });
}

/** The JPEG markers of a file, in order (up to the first scan, then the rest of the markers walked the same way). */
function jpegMarkers(b: Buffer): Array<{ marker: number; data: Buffer }> {
  const out: Array<{ marker: number; data: Buffer }> = [];
  let pos = 2;
  while (pos < b.length) {
    assert.equal(b[pos], 0xff, `a marker at ${pos}`);
    const marker = b[pos + 1]!;
    if (marker === 0xd9) {
      out.push({ marker, data: Buffer.alloc(0) });
      assert.equal(pos + 2, b.length, 'nothing after EOI');
      break;
    }
    const length = b.readUInt16BE(pos + 2);
    out.push({ marker, data: b.subarray(pos + 4, pos + 2 + length) });
    pos += 2 + length;
    if (marker === 0xda) {
      while (!(b[pos] === 0xff && b[pos + 1] !== 0 && !(b[pos + 1]! >= 0xd0 && b[pos + 1]! <= 0xd7))) pos++;
    }
  }
  return out;
}

test('sanity: the phone photo really carries what must be stripped (GPS, model, date, serial)', () => {
  const input = jpeg(20, 10, [exifSegment(6)]);
  for (const s of ['Pixel 7', 'Google', '2024:06:01', 'SERIAL-28A1F']) assert.notEqual(input.indexOf(s, 0, 'latin1'), -1, s);
  assert.notEqual(input.indexOf(rationalBytes(GPS_LATITUDE)), -1);
});

test('JPEG from a phone: no GPS, model, date or serial survives; the orientation does, alone; size as displayed', () => {
  const input = jpeg(20, 10, [exifSegment(6)]);
  const out = processImage(input);
  assert.equal(out.contentType, 'image/jpeg');
  assert.equal(out.ext, 'jpg');
  assert.deepEqual([out.width, out.height], [10, 20], 'orientation 6 (rotate 90°): displayed portrait');
  assertNoMetadata(out.bytes);
  assert.deepEqual([...out.bytes.subarray(0, 2)], [0xff, 0xd8]);
  assert.deepEqual([...out.bytes.subarray(-2)], [0xff, 0xd9]);

  const markers = jpegMarkers(out.bytes);
  assert.deepEqual(markers.map((m) => m.marker.toString(16)), ['e0', 'e1', 'db', 'c0', 'c4', 'c4', 'da', 'd9']);
  const app1 = markers[1]!.data;
  assert.equal(app1.toString('latin1', 0, 6), 'Exif\0\0');
  assert.equal(app1.length, 6 + 26, 'a TIFF header and one IFD entry, nothing else');
  const tiff = app1.subarray(6);
  assert.equal(tiff.readUInt16BE(8), 1, 'one entry');
  assert.equal(tiff.readUInt16BE(10), 0x0112, 'Orientation');
  assert.equal(tiff.readUInt16BE(18), 6);

  const again = processImage(out.bytes);
  assert.deepEqual(again.bytes, out.bytes, 'processing its own output changes nothing');
  assert.deepEqual([again.width, again.height], [10, 20]);
});

test('JPEG orientations: 1 leaves no Exif segment at all; 3 keeps the size; 8 swaps it', () => {
  const one = processImage(jpeg(20, 10, [exifSegment(1)]));
  assert.equal(one.bytes.indexOf('Exif', 0, 'latin1'), -1);
  assert.deepEqual([one.width, one.height], [20, 10]);
  const three = processImage(jpeg(20, 10, [exifSegment(3)]));
  assert.deepEqual([three.width, three.height], [20, 10]);
  assert.notEqual(three.bytes.indexOf('Exif', 0, 'latin1'), -1);
  const eight = processImage(jpeg(20, 10, [exifSegment(8)]));
  assert.deepEqual([eight.width, eight.height], [10, 20]);
});

test('JPEG: XMP, IPTC, APP12, comments, MPF and appended pictures go; ICC profile, Adobe and JFIF (without thumbnail) stay', () => {
  const xmp = segment(0xe1, Buffer.from('http://ns.adobe.com/xap/1.0/\0<x:xmpmeta><exif:GPSLatitude>4,36N</exif:GPSLatitude></x:xmpmeta>', 'latin1'));
  const iptc = segment(0xed, Buffer.from('Photoshop 3.0\x008BIM\x04\x04 By-line: secret photographer', 'latin1'));
  const ducky = segment(0xec, Buffer.from('Ducky\0secret', 'latin1'));
  const comment = segment(0xfe, Buffer.from('secret comment', 'latin1'));
  const mpf = segment(0xe2, Buffer.from('MPF\0secret', 'latin1'));
  const icc = segment(0xe2, Buffer.concat([Buffer.from('ICC_PROFILE\0\x01\x01', 'latin1'), Buffer.alloc(32, 7)]));
  const adobe = segment(0xee, Buffer.from([0x41, 0x64, 0x6f, 0x62, 0x65, 0x00, 0x64, 0x00, 0x00, 0x00, 0x00, 0x01]));
  const app5 = segment(0xe5, Buffer.from('vendor secret', 'latin1'));
  const appended = jpeg(8, 8, [exifSegment(6)]); // a phone's second picture after EOI, with its own EXIF
  const input = Buffer.concat([jpeg(16, 16, [xmp, iptc, ducky, comment, mpf, icc, adobe, app5]), appended]);
  const out = processImage(input);
  assertNoMetadata(out.bytes);
  const markers = jpegMarkers(out.bytes);
  assert.deepEqual(markers.map((m) => m.marker.toString(16)), ['e0', 'e2', 'ee', 'db', 'c0', 'c4', 'c4', 'da', 'd9']);
  assert.equal(markers[1]!.data.toString('latin1', 0, 12), 'ICC_PROFILE\0');
  assert.deepEqual([out.width, out.height], [16, 16], 'the size of the first picture, not the appended one');
});

test('JPEG: the JFIF thumbnail (an uncropped preview, perhaps) is removed', () => {
  const thumb = Buffer.from('THUMBPIXELSXYZ'.padEnd(12, '.').slice(0, 12), 'latin1'); // 2×2 RGB = 12 bytes
  const app0 = segment(0xe0, Buffer.concat([Buffer.from([0x4a, 0x46, 0x49, 0x46, 0x00, 0x01, 0x02, 0x01, 0x00, 0x48, 0x00, 0x48, 0x02, 0x02]), thumb]));
  const base = jpeg(8, 8);
  const input = Buffer.concat([base.subarray(0, 2), app0, base.subarray(2 + 18)]); // replace the builder's JFIF
  const out = processImage(input);
  assert.equal(out.bytes.indexOf('THUMB', 0, 'latin1'), -1);
  const jfif = jpegMarkers(out.bytes)[0]!;
  assert.equal(jfif.marker, 0xe0);
  assert.equal(jfif.data.length, 14);
  assert.deepEqual([...jfif.data.subarray(5, 12)], [0x01, 0x02, 0x01, 0x00, 0x48, 0x00, 0x48], 'version and density kept');
  assert.deepEqual([...jfif.data.subarray(12)], [0, 0], 'no thumbnail');
});

test('JPEG: truncated or broken files are refused', () => {
  const good = jpeg(16, 16, [exifSegment(6)]);
  assertImageError(good.subarray(0, good.length - 2), /truncated JPEG/);
  assertImageError(good.subarray(0, 40), /truncated JPEG/);
  assertImageError(Buffer.from([0xff, 0xd8, 0xff, 0xd9]), /broken JPEG/);
  const sos = good.indexOf(Buffer.from([0xff, 0xda]));
  assertImageError(Buffer.concat([good.subarray(0, 2), good.subarray(sos)]), /broken JPEG: image data before its size/);
  const garbage = Buffer.from(good);
  garbage[20] = 0x12; // not a marker where a segment should start
  assertImageError(garbage, /JPEG/);
});

test('PNG: text chunks (GPS in tEXt), eXIf, tIME and data after IEND go; the rendering chunks stay; CRCs intact', () => {
  const extra = [
    chunk('tEXt', Buffer.from('Comment\0GPS 4.6097,-74.0817', 'latin1')),
    chunk('iTXt', Buffer.from('XML:com.adobe.xmp\0\0\0\0\0<x:xmpmeta>secret</x:xmpmeta>', 'latin1')),
    chunk('zTXt', Buffer.from('Author\0\0secret', 'latin1')),
    chunk('tIME', Buffer.from([0x07, 0xe8, 6, 1, 12, 34, 56])),
    chunk('eXIf', phoneTiff(1)),
    chunk('gAMA', Buffer.from([0, 0, 0xb1, 0x8f])),
    chunk('pHYs', Buffer.from([0, 0, 0x0b, 0x13, 0, 0, 0x0b, 0x13, 1])),
    chunk('prVt', Buffer.from('secret private chunk', 'latin1')),
  ];
  const input = png(3, 2, extra, Buffer.from('secret appended data', 'latin1'));
  assert.notEqual(input.indexOf('GPS 4.6097', 0, 'latin1'), -1);
  const out = processImage(input);
  assert.equal(out.contentType, 'image/png');
  assert.equal(out.ext, 'png');
  assert.deepEqual([out.width, out.height], [3, 2]);
  assertNoMetadata(out.bytes);
  assert.equal(out.bytes.indexOf('4.6097', 0, 'latin1'), -1);

  const types: string[] = [];
  for (let pos = 8; pos < out.bytes.length; ) {
    const length = out.bytes.readUInt32BE(pos);
    types.push(out.bytes.toString('latin1', pos + 4, pos + 8));
    assert.equal(out.bytes.readUInt32BE(pos + 8 + length), crc32(out.bytes.subarray(pos + 4, pos + 8 + length)), 'CRC');
    pos += 12 + length;
  }
  assert.deepEqual(types, ['IHDR', 'gAMA', 'pHYs', 'IDAT', 'IEND']);
});

test('PNG: an eXIf orientation survives alone (browsers apply it), and the size is reported as displayed', () => {
  const out = processImage(png(3, 2, [chunk('eXIf', phoneTiff(6))]));
  assertNoMetadata(out.bytes);
  assert.deepEqual([out.width, out.height], [2, 3]);
  const at = out.bytes.indexOf('eXIf', 0, 'latin1');
  assert.notEqual(at, -1);
  assert.equal(out.bytes.readUInt32BE(at - 4), 26, 'TIFF header and one entry');
  assert.equal(out.bytes.readUInt16BE(at + 4 + 18), 6);
});

test('PNG: chunk lengths are checked against the file; a missing IEND or IHDR is refused', () => {
  const good = png(4, 4);
  assertImageError(good.subarray(0, good.length - 6), /truncated PNG/);
  const lying = Buffer.from(good);
  lying.writeUInt32BE(0x7ffffff0, 33); // the IDAT (after signature and IHDR) claims almost 2 GB
  assertImageError(lying, /truncated PNG/);
  assertImageError(good.subarray(0, good.length - 12), /truncated PNG/, undefined);
  const noIhdr = Buffer.concat([good.subarray(0, 8), good.subarray(33)]);
  assertImageError(noIhdr, /IHDR/);
});

test('WebP: EXIF and XMP chunks go, their VP8X flags are cleared, the RIFF size is fixed; size from VP8X/VP8/VP8L', () => {
  const xmp = riffChunk('XMP ', Buffer.from('<x:xmpmeta><exif:GPSLatitude>4,36N</exif:GPSLatitude></x:xmpmeta>', 'latin1'));
  const input = webp([vp8x(0x0c, 1, 1), riffChunk('VP8L', VP8L_1X1), riffChunk('EXIF', phoneTiff(1)), xmp]);
  assert.notEqual(input.indexOf('Pixel 7', 0, 'latin1'), -1);
  const out = processImage(input);
  assert.equal(out.contentType, 'image/webp');
  assert.equal(out.ext, 'webp');
  assert.deepEqual([out.width, out.height], [1, 1]);
  assertNoMetadata(out.bytes);
  assert.equal(out.bytes.readUInt32LE(4), out.bytes.length - 8, 'RIFF size');
  assert.equal(out.bytes.toString('latin1', 12, 16), 'VP8X');
  assert.equal(out.bytes[20]! & 0x0c, 0, 'EXIF and XMP flags cleared');
  assert.deepEqual(out.bytes, webp([vp8x(0x00, 1, 1), riffChunk('VP8L', VP8L_1X1)]));

  const big = processImage(webp([vp8x(0x08, 640, 480), riffChunk('VP8L', VP8L_1X1), riffChunk('EXIF', phoneTiff(6))]));
  assert.deepEqual([big.width, big.height], [480, 640], 'orientation kept and applied to the size');
  assertNoMetadata(big.bytes);
  assert.equal(big.bytes[20]! & 0x08, 0x08, 'EXIF flag kept for the orientation-only EXIF');

  assert.deepEqual([processImage(webp([riffChunk('VP8 ', VP8_1X1)])).width, processImage(webp([riffChunk('VP8L', VP8L_1X1)])).height], [1, 1]);
  const lossy = Buffer.from(VP8_1X1);
  lossy.writeUInt16LE(300, 6);
  lossy.writeUInt16LE(200, 8);
  const r = processImage(webp([riffChunk('VP8 ', lossy)]));
  assert.deepEqual([r.width, r.height], [300, 200]);
});

test('WebP: truncated, or without image data, is refused', () => {
  const good = webp([vp8x(0, 1, 1), riffChunk('VP8L', VP8L_1X1)]);
  assertImageError(good.subarray(0, good.length - 4), /truncated WebP/);
  assertImageError(webp([vp8x(0, 1, 1), riffChunk('EXIF', phoneTiff())]), /no image data/);
  assertImageError(webp([riffChunk('EXIF', phoneTiff())]), /broken WebP/);
});

test('GIF: comments and foreign application extensions (XMP) go, NETSCAPE2.0 looping stays; size from the screen descriptor', () => {
  const netscape = gifApplication('NETSCAPE2.0', Buffer.from([1, 0, 0]));
  const input = gif([gifComment('secret comment'), gifApplication('XMP DataXMP', Buffer.from('<x:xmpmeta>GPS 4.6097</x:xmpmeta>')), netscape]);
  const out = processImage(input);
  assert.equal(out.contentType, 'image/gif');
  assert.equal(out.ext, 'gif');
  assert.deepEqual([out.width, out.height], [1, 1]);
  assertNoMetadata(out.bytes);
  assert.deepEqual(out.bytes, gif([netscape]));
  assert.equal(out.bytes.at(-1), 0x3b);
});

test('GIF: blocks that cannot be walked, or a missing trailer, are refused', () => {
  const good = gif();
  assertImageError(good.subarray(0, good.length - 1), /truncated GIF/);
  assertImageError(good.subarray(0, good.length - 4), /truncated GIF/);
  const unknown = Buffer.concat([good.subarray(0, 19), Buffer.from([0x99]), good.subarray(19)]);
  assertImageError(unknown, /unknown block/);
});

test('formats are told by their bytes: SVG, HTML, AVIF/HEIC, BMP, TIFF, empty and random bytes are refused', () => {
  assertImageError(Buffer.from('<svg xmlns="http://www.w3.org/2000/svg" onload="alert(1)"/>'), /SVG/);
  assertImageError(Buffer.from('\uFEFF<?xml version="1.0"?>\n<!DOCTYPE svg><svg/>'), /SVG/);
  assertImageError(Buffer.from('<!doctype html><html><body>not an image</body></html>'), /unsupported image format$/);
  assertImageError(Buffer.concat([Buffer.from([0, 0, 0, 0x1c]), Buffer.from('ftypavif', 'latin1'), Buffer.alloc(20)]), /unsupported image format \(avif\)/);
  assertImageError(Buffer.concat([Buffer.from([0, 0, 0, 0x18]), Buffer.from('ftypheic', 'latin1'), Buffer.alloc(20)]), /\(heic\)/);
  assertImageError(Buffer.concat([Buffer.from('BM', 'latin1'), Buffer.alloc(60)]), /BMP/);
  assertImageError(phoneTiff(), /TIFF/);
  assertImageError(Buffer.alloc(0), /empty/);
  assertImageError(Buffer.from([1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12, 13, 14]), /unsupported image format/);
});

test('limits: images over maxPixels (default 40 million) or maxBytes are refused', () => {
  assertImageError(jpeg(10000, 5000), /10000×5000 pixels is over the limit of 40000000/); // only the header claims it: no decoding happens
  assert.equal(processImage(jpeg(8000, 5000)).width, 8000);
  assertImageError(png(20, 20), /over the limit of 100/, { maxPixels: 100 });
  assert.equal(processImage(png(10, 10), { maxPixels: 100 }).width, 10);
  const small = png(2, 2);
  assertImageError(small, /larger than 10 bytes/, { maxBytes: 10 });
  assert.equal(processImage(small, { maxBytes: small.length }).height, 2);
  const vp8xHuge = webp([vp8x(0, 16384, 16384), riffChunk('VP8L', VP8L_1X1)]);
  assertImageError(vp8xHuge, /over the limit/);
});
