// One read shared by every host task that asks within maxAgeMs (and by all that ask while it is
// in flight): with hundreds of hosts held at the gate, Nova gets one services listing per poll,
// not one per host.

export function sharedRead<T>(read: () => Promise<T>, maxAgeMs: number): () => Promise<T> {
  let last: { at: number; value: Promise<T> } | undefined;
  return () => {
    const now = Date.now();
    if (!last || now - last.at > maxAgeMs) {
      const value = read();
      last = { at: now, value };
      // A failed read is not shared: the next caller asks again.
      value.catch(() => { if (last?.value === value) last = undefined; });
    }
    return last.value;
  };
}
