import { PIX_STATIC_BCB_EXAMPLE, EMVCO_MPM_EXAMPLE } from '../vectors/emv-qr.vectors';
import { qrModules, renderPng, renderSvg } from './render';

describe('render', () => {
  it('renders a PNG whose size is (modules + 2 × margin) × scale', async () => {
    const png = await renderPng(PIX_STATIC_BCB_EXAMPLE, { scale: 4, margin: 4 });
    expect(png.subarray(0, 8)).toEqual(Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]));
    const size = qrModules(PIX_STATIC_BCB_EXAMPLE).length;
    expect(png.readUInt32BE(16)).toBe((size + 8) * 4); // IHDR width
    expect(png.readUInt32BE(20)).toBe((size + 8) * 4); // IHDR height
  });

  it('renders an SVG with a viewBox of modules + 2 × margin', async () => {
    const svg = await renderSvg(EMVCO_MPM_EXAMPLE);
    const size = qrModules(EMVCO_MPM_EXAMPLE).length;
    expect(svg.startsWith('<svg')).toBe(true);
    expect(svg).toContain(`viewBox="0 0 ${size + 8} ${size + 8}"`);
  });

  it('encodes the UTF-8 bytes of the payload: a Chinese payload needs a larger symbol than its ASCII length suggests', () => {
    const ascii = EMVCO_MPM_EXAMPLE.replace('最佳运输', 'ABCD').replace('北京', 'BJ');
    expect(qrModules(EMVCO_MPM_EXAMPLE).length).toBeGreaterThanOrEqual(qrModules(ascii).length);
    expect(qrModules(PIX_STATIC_BCB_EXAMPLE, { errorCorrectionLevel: 'H' }).length).toBeGreaterThan(
      qrModules(PIX_STATIC_BCB_EXAMPLE, { errorCorrectionLevel: 'L' }).length,
    );
  });
});
