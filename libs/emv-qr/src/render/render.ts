// Rendering through `qrcode` (byte mode, UTF-8). Error correction "M" by default: EMV QRCPS asks for at
// least L; M survives a smudged printed code without making a long Pix payload too dense to scan.
import QRCode from 'qrcode';

export interface RenderOptions {
  errorCorrectionLevel?: 'L' | 'M' | 'Q' | 'H';
  /** Quiet zone in modules (QR requires 4). */
  margin?: number;
  /** PNG: pixels per module. */
  scale?: number;
  /** SVG/PNG: total width in pixels (overrides scale for PNG). */
  width?: number;
}

function base(options: RenderOptions) {
  return {
    errorCorrectionLevel: options.errorCorrectionLevel ?? 'M',
    margin: options.margin ?? 4,
    ...(options.width !== undefined ? { width: options.width } : {}),
  } as const;
}

/** PNG bytes of the QR code for `payload`. */
export function renderPng(payload: string, options: RenderOptions = {}): Promise<Buffer> {
  return QRCode.toBuffer(payload, { ...base(options), type: 'png', scale: options.scale ?? 8 });
}

/** SVG document of the QR code for `payload`. */
export function renderSvg(payload: string, options: RenderOptions = {}): Promise<string> {
  return QRCode.toString(payload, { ...base(options), type: 'svg' });
}

/** The module matrix (true = dark), for tests and custom renderers. */
export function qrModules(payload: string, options: RenderOptions = {}): boolean[][] {
  const qr = QRCode.create(payload, { errorCorrectionLevel: options.errorCorrectionLevel ?? 'M' });
  const size = qr.modules.size;
  const rows: boolean[][] = [];
  for (let y = 0; y < size; y++) {
    const row: boolean[] = [];
    for (let x = 0; x < size; x++) row.push(qr.modules.get(x, y) === 1);
    rows.push(row);
  }
  return rows;
}
