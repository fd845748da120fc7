// Drives the seed's client as an app would: collect records offline, then sync them.
// Usage: node run-seed-client.js <base-url> <token> <device-id> <record-count> <syncs>
// Prints one JSON line: what the client reported. Exits non-zero if the client reported an error.
const { OfflineDataManager, BatchSyncManager } = require('./seed-client.js');

const [baseUrl, token, deviceId, count, syncs] = process.argv.slice(2);

// The seed calls saveToLocalStorage() but leaves it to the app; a phone would persist here.
OfflineDataManager.prototype.saveToLocalStorage = function () {};

async function main() {
  const data = new OfflineDataManager();
  data.deviceId = deviceId;
  data.userName = 'seed_user';
  for (let i = 0; i < Number(count); i++) {
    if (i % 10 === 9) {
      data.storeDrivingData({ event_type: 'harsh_brake', sequence: i, location: { latitude: 32.08, longitude: 34.78, accuracy: 5 }, speed: 12.5 });
    } else {
      data.storeLocationData({ latitude: 32.0853 + i / 1e5, longitude: 34.7818, accuracy: 15.0, battery_level: 85, network_type: 'WiFi', provider: 'gps' });
    }
  }

  const manager = new BatchSyncManager(`${baseUrl}/batch-sync.php`, token);
  const report = { completions: [], progress: [], errors: [], synced: 0 };
  manager.onProgress = (done, total) => report.progress.push([done, total]);
  manager.onSyncComplete = (result) => report.completions.push(result);
  manager.onSyncError = (error) => report.errors.push(String(error && error.message));

  for (let s = 0; s < Number(syncs); s++) {
    // A whole sync again, as the seed's client does after a failure: every record unsynced, a new sync_id.
    data.pendingData.forEach((r) => { r.synced = false; });
    await manager.syncPendingData(data);
  }

  report.synced = data.pendingData.filter((r) => r.synced).length;
  console.log(JSON.stringify(report));
  process.exit(report.errors.length === 0 ? 0 : 1);
}

main().catch((e) => { console.error(e); process.exit(2); });
