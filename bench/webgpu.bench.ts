// WebGPU engine speed in Node: decode tokens/s (one token per command encoder, logits read back
// each time, the KV cache growing from position 0) and prompt tokens/s (one chunked
// matrix-matrix pass), medians over runs, on the fixture checkpoint and a stories15M-shaped one
// with random weights (dim 288, hidden 768, 6 layers, 6 heads, vocab 32000, seq 256).
// Here the adapter is SwiftShader, a software Vulkan on the CPU: the figures say the path works
// and how its cost moves, not what a real GPU does (where the kernels were written to be fast).
// The measurement runs in a child process (webgpu-child.ts) because Dawn needs LD_LIBRARY_PATH
// set at process start to find SwiftShader's Vulkan driver.
import { spawn } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import type { BenchRow, Report } from './report.ts';

export default async function webgpuBench(report: Report): Promise<void> {
  const dir = process.env.LLAMA_LAB_VK_DIR ?? '/usr/lib/chromium';
  const env = {
    ...process.env,
    VK_ICD_FILENAMES: process.env.VK_ICD_FILENAMES ?? `${dir}/vk_swiftshader_icd.json`,
    LD_LIBRARY_PATH: [dir, process.env.LD_LIBRARY_PATH].filter(Boolean).join(':'),
  };
  const child = fileURLToPath(new URL('./webgpu-child.ts', import.meta.url));
  const proc = spawn(process.execPath, ['--import', 'tsx', child], { env });
  let out = '';
  let err = '';
  proc.stdout.on('data', (d: Buffer) => {
    out += d.toString();
    let nl: number;
    while ((nl = out.indexOf('\n')) >= 0) {
      const line = out.slice(0, nl);
      out = out.slice(nl + 1);
      if (line.startsWith('ROW ')) report(JSON.parse(line.slice(4)) as BenchRow);
    }
  });
  proc.stderr.on('data', (d: Buffer) => (err += d.toString()));
  const code = await new Promise<number | null>((resolve) => proc.on('close', resolve));
  if (code !== 0) {
    throw new Error(
      `the WebGPU benchmark process failed (exit ${code}): ${err.trim().slice(-800)}`,
    );
  }
}
