// @ts-check
// Everything this page could have stored in the browser, and how to forget it.

/** Deletes localStorage, sessionStorage, every IndexedDB database and Cache Storage of this origin. */
export async function forgetStorage() {
  try { localStorage.clear(); } catch { /* storage disabled */ }
  try { sessionStorage.clear(); } catch { /* storage disabled */ }
  if (globalThis.indexedDB?.databases) {
    const dbs = await indexedDB.databases();
    await Promise.all(dbs.map((db) => new Promise((resolve) => {
      const req = indexedDB.deleteDatabase(db.name);
      req.onsuccess = req.onerror = req.onblocked = () => resolve();
    })));
  }
  if (globalThis.caches?.keys) {
    for (const key of await caches.keys()) await caches.delete(key);
  }
}
