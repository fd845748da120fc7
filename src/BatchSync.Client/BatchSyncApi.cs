using System.IO.Compression;
using System.Net.Http.Headers;
using System.Runtime.CompilerServices;
using System.Security.Cryptography;
using System.Text;
using System.Text.Json;
using Microsoft.Extensions.Http.Resilience;
using Polly;

namespace BatchSync.Client;

/// <summary>
/// The server's HTTP API, typed: what it holds of a sync, a device's stored records, whether it is live.
/// It needs no offline store and no device, so a tool or a script can use it with a device or an admin
/// token; <see cref="BatchSyncClient"/> uploads through one. Transient failures (network, timeout, 408,
/// 429, 5xx) are retried with exponential backoff and jitter, honouring <c>Retry-After</c>
/// (<see cref="BatchSyncApiOptions.MaxRetries"/>); an answer in the contract's error envelope becomes a
/// <see cref="BatchSyncException"/> with the server's status, message, field errors and <c>retryable</c>.
/// </summary>
public sealed class BatchSyncApi : IDisposable
{
    private readonly HttpClient _http;

    /// <param name="options">Server, token, retries and timeout.</param>
    /// <param name="transport">The handler that sends requests (default: sockets); retries sit above it.</param>
    public BatchSyncApi(BatchSyncApiOptions options, HttpMessageHandler? transport = null)
    {
        ArgumentNullException.ThrowIfNull(options);
        ArgumentOutOfRangeException.ThrowIfNegative(options.MaxRetries);
        var pipeline = new ResiliencePipelineBuilder<HttpResponseMessage>();
        if (options.MaxRetries > 0)
        {
            pipeline.AddRetry(new HttpRetryStrategyOptions
            {
                // The default predicate: network errors, timeouts, 408, 429 and 5xx (503 and 507 among them).
                MaxRetryAttempts = options.MaxRetries,
                BackoffType = DelayBackoffType.Exponential,
                UseJitter = true,
                Delay = options.RetryDelay,
                ShouldRetryAfterHeader = true,
            });
        }

        _http = new HttpClient(new ResilienceHandler(pipeline.AddTimeout(options.RequestTimeout).Build()) { InnerHandler = transport ?? new SocketsHttpHandler() })
        {
            BaseAddress = options.ServerUrl,
            Timeout = Timeout.InfiniteTimeSpan,
        };
        _http.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Bearer", options.Token);
    }

    /// <summary>Asks whether the server's process answers (<c>GET /health/live</c>, which needs no token).</summary>
    /// <exception cref="HttpRequestException">The server could not be reached, or did not answer 200.</exception>
    public async Task<ServerHealth> CheckLivenessAsync(CancellationToken cancellationToken = default)
    {
        using var response = await _http.GetAsync(new Uri("health/live", UriKind.Relative), cancellationToken);
        response.EnsureSuccessStatusCode();
        return await WireResponse.ReadAsync(response, ClientJsonContext.Default.ServerHealth, cancellationToken);
    }

    /// <summary>
    /// What the server holds of a sync (<c>GET /api/v1/sync-sessions/{sync_id}</c>): its state, the parts
    /// received and missing, each part's record count and checksum. A device token sees only the syncs of
    /// the devices in its scope.
    /// </summary>
    /// <exception cref="BatchSyncException">
    /// The server refused: 404 for a sync it does not know, 403 for a device outside the token's scope, 401 for an unknown token.
    /// </exception>
    public async Task<SyncSession> GetSyncSessionAsync(string syncId, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(syncId);
        using var response = await _http.GetAsync(new Uri($"api/v1/sync-sessions/{Uri.EscapeDataString(syncId)}", UriKind.Relative), cancellationToken);
        return await WireResponse.ReadAsync(response, ClientJsonContext.Default.SyncSession, cancellationToken);
    }

    /// <summary>One page of a device's stored records of one type, in timestamp order (an admin token).</summary>
    /// <exception cref="BatchSyncException">
    /// The server refused: 403 for a device token, 401 for an unknown token, 400 (with field errors) for a type or range it does not accept.
    /// </exception>
    public async Task<RecordPage> GetDeviceRecordsAsync(DeviceRecordsRequest request, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(request);
        using var response = await _http.GetAsync(new Uri(request.PathAndQuery(), UriKind.Relative), cancellationToken);
        return (await WireResponse.ReadAsync(response, ClientJsonContext.Default.RecordPageEnvelope, cancellationToken)).Data;
    }

    /// <summary>
    /// Every record of the request's range, page after page (<see cref="DeviceRecordsRequest.Limit"/> a
    /// page), following <see cref="RecordPage.NextCursor"/> to the end; an admin token.
    /// </summary>
    /// <exception cref="BatchSyncException">As <see cref="GetDeviceRecordsAsync"/>, for whichever page is refused.</exception>
    public async IAsyncEnumerable<StoredRecord> ReadDeviceRecordsAsync(
        DeviceRecordsRequest request, [EnumeratorCancellation] CancellationToken cancellationToken = default)
    {
        var next = request;
        while (true)
        {
            var page = await GetDeviceRecordsAsync(next, cancellationToken);
            foreach (var record in page.Items)
            {
                yield return record;
            }

            if (page.NextCursor is null)
            {
                yield break;
            }

            next = next with { Cursor = page.NextCursor };
        }
    }

    public void Dispose() => _http.Dispose();

    /// <summary>Sends one part, its records exactly as stored and their <c>checksum</c> with them, gzip-compressed if asked.</summary>
    internal async Task<PartAnswer> UploadPartAsync(PartUpload upload, bool compress, CancellationToken cancellationToken)
    {
        var recordsJson = "[" + string.Join(',', upload.Records) + "]";
        var checksum = "sha256:" + Convert.ToHexStringLower(SHA256.HashData(Encoding.UTF8.GetBytes(recordsJson)));
        var json =
            $"{{\"sync_id\":{JsonSerializer.Serialize(upload.SyncId)},\"device_id\":{JsonSerializer.Serialize(upload.DeviceId)}," +
            $"\"user_name\":{JsonSerializer.Serialize(upload.UserName)},\"part_number\":{upload.PartNumber},\"total_parts\":{upload.TotalParts}," +
            $"\"checksum\":\"{checksum}\",\"records\":{recordsJson}}}";
        var bytes = Encoding.UTF8.GetBytes(json);
        var content = new ByteArrayContent(compress ? Gzip(bytes) : bytes);
        content.Headers.ContentType = new MediaTypeHeaderValue("application/json");
        if (compress)
        {
            content.Headers.ContentEncoding.Add("gzip");
        }

        using var response = await _http.PostAsync(new Uri("api/v1/batch-sync", UriKind.Relative), content, cancellationToken);
        return await WireResponse.ReadAsync(response, ClientJsonContext.Default.PartAnswer, cancellationToken);
    }

    private static byte[] Gzip(byte[] bytes)
    {
        using var output = new MemoryStream();
        using (var gzip = new GZipStream(output, CompressionLevel.Fastest))
        {
            gzip.Write(bytes);
        }

        return output.ToArray();
    }
}

/// <summary>One part of a planned sync, as <see cref="BatchSyncApi.UploadPartAsync"/> sends it.</summary>
internal sealed record PartUpload(string SyncId, string DeviceId, string UserName, int PartNumber, int TotalParts, IReadOnlyList<string> Records);
