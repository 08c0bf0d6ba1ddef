/** Makes `navigator.onLine` report false while `fn` runs, as on a device without a connection (tests, stories). */
export async function whileDeviceOffline<T>(fn: () => Promise<T>): Promise<T> {
  Object.defineProperty(navigator, 'onLine', { configurable: true, get: () => false });
  try {
    return await fn();
  } finally {
    delete (navigator as { onLine?: boolean }).onLine;
  }
}
