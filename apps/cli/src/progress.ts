/** A progress bar on stderr, drawn only when stderr is a terminal (CI logs and pipes stay clean). */
export function progressBar(label: string): { update(fraction: number): void; done(): void } {
  const tty = process.stderr.isTTY === true;
  const started = performance.now();
  let lastDraw = 0;
  const draw = (f: number) => {
    const width = 30;
    const filled = Math.round(f * width);
    const elapsed = (performance.now() - started) / 1000;
    const eta = f > 0 ? (elapsed / f) * (1 - f) : 0;
    process.stderr.write(
      `\r${label} [${"#".repeat(filled)}${".".repeat(width - filled)}] ${(f * 100).toFixed(0).padStart(3)}%  eta ${eta.toFixed(1)} s `,
    );
  };
  return {
    update(fraction) {
      if (!tty) return;
      const now = performance.now();
      if (now - lastDraw < 100) return;
      lastDraw = now;
      draw(fraction);
    },
    done() {
      if (!tty || performance.now() - started < 200) return;
      draw(1);
      process.stderr.write("\n");
    },
  };
}
