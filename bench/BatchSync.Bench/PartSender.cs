using System.Diagnostics;
using System.Net.Http.Headers;
using System.Text;

namespace BatchSync.Bench;

/// <summary>Posts part bodies and tallies the answers: a non-200 answer or a failed request is counted, never thrown.</summary>
internal sealed class PartSender(HttpClient http)
{
    private static readonly MediaTypeHeaderValue Json = new("application/json");
    private static readonly Uri Endpoint = new("/api/v1/batch-sync", UriKind.Relative);
    private long _errors;
    private string? _firstError;

    public long Errors => Interlocked.Read(ref _errors);

    public string? FirstError => Volatile.Read(ref _firstError);

    /// <summary>Sends one part; returns whether it was answered 200 with <c>sync_complete: true</c>, and how long it took.</summary>
    public async Task<(bool Complete, TimeSpan Elapsed)> SendAsync(byte[] body)
    {
        using var content = new ByteArrayContent(body);
        content.Headers.ContentType = Json;
        var started = Stopwatch.GetTimestamp();
        try
        {
            using var response = await http.PostAsync(Endpoint, content);
            var answer = await response.Content.ReadAsByteArrayAsync();
            var elapsed = Stopwatch.GetElapsedTime(started);
            if (response.StatusCode == System.Net.HttpStatusCode.OK)
            {
                return (answer.AsSpan().IndexOf("\"sync_complete\":true"u8) >= 0, elapsed);
            }

            Fail($"{(int)response.StatusCode} {Encoding.UTF8.GetString(answer)}");
            return (false, elapsed);
        }
        catch (Exception e) when (e is HttpRequestException or TaskCanceledException)
        {
            Fail($"{e.GetType().Name}: {e.Message}");
            return (false, Stopwatch.GetElapsedTime(started));
        }
    }

    /// <summary>Counts a failure that is not an answer's, such as a last part that did not complete its sync.</summary>
    public void Fail(string error)
    {
        Interlocked.Increment(ref _errors);
        Interlocked.CompareExchange(ref _firstError, error, null);
    }
}
