// The seed document's mobile client, copied verbatim (bugs included): OfflineDataManager,
// BatchSyncManager and DataCleanupManager. Only the export at the end is added.

class OfflineDataManager {
  constructor() {
    this.pendingData = [];
    this.syncInProgress = false;
    this.maxBatchSize = 100;
    this.maxRetries = 3;
  }

  // Store data locally while offline
  storeLocationData(locationData) {
    const record = {
      type: 'location',
      timestamp: Date.now(),
      ...locationData,
      stored_at: Date.now(),
      synced: false
    };
    
    this.pendingData.push(record);
    this.saveToLocalStorage();
  }

  storeDrivingData(drivingData) {
    const record = {
      type: 'driving',
      timestamp: Date.now(),
      ...drivingData,
      stored_at: Date.now(),
      synced: false
    };
    
    this.pendingData.push(record);
    this.saveToLocalStorage();
  }

  // Check if sync is needed
  needsSync() {
    return this.pendingData.filter(r => !r.synced).length > 0;
  }
}

class BatchSyncManager {
  constructor(apiEndpoint, apiToken) {
    this.apiEndpoint = apiEndpoint;
    this.apiToken = apiToken;
    this.maxBatchSize = 100;
  }

  async syncPendingData(dataManager) {
    if (dataManager.syncInProgress) return;
    
    const unsyncedData = dataManager.pendingData.filter(r => !r.synced);
    if (unsyncedData.length === 0) return;

    dataManager.syncInProgress = true;
    
    try {
      // Sort data by timestamp to maintain order
      unsyncedData.sort((a, b) => a.timestamp - b.timestamp);
      
      // Split into batches
      const batches = this.createBatches(unsyncedData);
      const syncId = this.generateSyncId();
      
      // Upload each batch
      for (let i = 0; i < batches.length; i++) {
        const success = await this.uploadBatch(
          syncId,
          i + 1,
          batches.length,
          batches[i],
          dataManager.deviceId,
          dataManager.userName
        );
        
        if (!success) {
          throw new Error(`Failed to upload batch ${i + 1}`);
        }
        
        // Update progress
        this.onProgress?.(i + 1, batches.length);
      }
      
      // Mark data as synced only after complete success
      unsyncedData.forEach(record => record.synced = true);
      dataManager.saveToLocalStorage();
      
      this.onSyncComplete?.(unsyncedData.length);
      
    } catch (error) {
      this.onSyncError?.(error);
    } finally {
      dataManager.syncInProgress = false;
    }
  }

  createBatches(data) {
    const batches = [];
    for (let i = 0; i < data.length; i += this.maxBatchSize) {
      batches.push(data.slice(i, i + this.maxBatchSize));
    }
    return batches;
  }

  async uploadBatch(syncId, partNumber, totalParts, records, deviceId, userName) {
    const payload = {
      sync_id: syncId,
      device_id: deviceId,
      user_name: userName,
      part_number: partNumber,
      total_parts: totalParts,
      records: records.map(r => ({
        type: r.type,
        timestamp: r.timestamp,
        ...this.extractRecordData(r)
      }))
    };

    const response = await fetch(this.apiEndpoint, {
      method: 'POST',
      headers: {
        'Content-Type': 'application/json',
        'Authorization': `Bearer ${this.apiToken}`
      },
      body: JSON.stringify(payload)
    });

    const result = await response.json();
    
    if (!response.ok) {
      throw new Error(`Batch upload failed: ${result.message}`);
    }

    // Check if sync is complete
    if (result.sync_complete) {
      this.onSyncComplete?.(result.processing_results);
    }

    return true;
  }

  generateSyncId() {
    return `${this.deviceId}_${Date.now()}_${Math.random().toString(36).substr(2, 9)}`;
  }

  extractRecordData(record) {
    const { stored_at, synced, ...recordData } = record;
    return recordData;
  }
}

class DataCleanupManager {
  constructor(dataManager) {
    this.dataManager = dataManager;
    this.retentionDays = 7; // Keep synced data for 7 days
  }

  // Only delete data after successful sync confirmation
  cleanupSyncedData() {
    const cutoffTime = Date.now() - (this.retentionDays * 24 * 60 * 60 * 1000);
    
    this.dataManager.pendingData = this.dataManager.pendingData.filter(record => {
      // Keep unsynced data
      if (!record.synced) return true;
      
      // Keep recent synced data (safety buffer)
      if (record.stored_at > cutoffTime) return true;
      
      // Remove old synced data
      return false;
    });
    
    this.dataManager.saveToLocalStorage();
  }

  // Emergency cleanup if storage is full
  emergencyCleanup() {
    // Keep only last 1000 records and all unsynced data
    const unsynced = this.dataManager.pendingData.filter(r => !r.synced);
    const synced = this.dataManager.pendingData
      .filter(r => r.synced)
      .sort((a, b) => b.timestamp - a.timestamp)
      .slice(0, 1000 - unsynced.length);
    
    this.dataManager.pendingData = [...unsynced, ...synced];
    this.dataManager.saveToLocalStorage();
  }
}

module.exports = { OfflineDataManager, BatchSyncManager, DataCleanupManager };
