/**
 * The microphone level meter: shows that the microphone hears the person (also while muted, when nothing is sent),
 * and counts the 20 ms chunks captured (`data-chunks`, which tests read). Written straight to the element, not through
 * the page's state: 50 chunks a second must not re-render the page.
 */
export function showMicLevel(pcm: ArrayBuffer): void {
  const meter = document.getElementById("mic-level") as HTMLMeterElement | null;
  if (!meter) return;
  const samples = new Int16Array(pcm);
  let sum = 0;
  for (let i = 0; i < samples.length; i++) sum += ((samples[i] as number) / 0x8000) ** 2;
  // RMS on a root scale: quiet speech (-30 dBFS) still moves the bar.
  meter.value = Math.min(1, Math.sqrt(Math.sqrt(sum / Math.max(samples.length, 1))));
  meter.dataset.chunks = String(Number(meter.dataset.chunks ?? 0) + 1);
}
