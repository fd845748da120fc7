using System.Net;
using System.Text;
using System.Text.Json;
using BatchSync.Application.Abstractions;
using BatchSync.IntegrationTests.Infrastructure;
using Microsoft.Extensions.DependencyInjection;
using Moq;

namespace BatchSync.IntegrationTests;

public class ErrorEnvelopeTests(BatchSyncApp app) : IClassFixture<BatchSyncApp>
{
    private readonly HttpClient _client = app.ClientWith(BatchSyncApp.DeviceToken);

    [Theory]
    [InlineData("{\"sync_id\":")]
    [InlineData("not json at all")]
    [InlineData("{\"a\":1}}")]
    [InlineData("")]
    public async Task MalformedJson_400InTheEnvelope(string body)
    {
        var response = await _client.PostPart(body);

        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        var json = await response.Json();
        Assert.Equal("Malformed JSON", json.GetProperty("message").GetString());
        Assert.True(json.GetProperty("errors").TryGetProperty("body", out _));
        Assert.False(json.GetProperty("retryable").GetBoolean());
    }

    [Fact]
    public async Task DeeplyNestedJson_400NotACrash()
    {
        var body = "{\"records\":[{\"x\":" + new string('[', 5000) + new string(']', 5000) + "}]}";

        var response = await _client.PostPart(body);

        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
    }

    [Theory]
    [InlineData("text/plain")]
    [InlineData("application/x-www-form-urlencoded")]
    public async Task WrongContentType_415(string contentType)
    {
        var response = await _client.PostAsync("/batch-sync.php", new StringContent("{}", Encoding.UTF8, contentType));

        Assert.Equal(HttpStatusCode.UnsupportedMediaType, response.StatusCode);
        Assert.Equal("error", (await response.Json()).GetProperty("status").GetString());
    }

    [Fact]
    public async Task BodyOverTheLimit_413BeforeItIsRead()
    {
        using var small = new BatchSyncApp(new() { ["BatchSync:Limits:MaxRequestBodyBytes"] = "2048" });
        var client = small.ClientWith(BatchSyncApp.DeviceToken);
        var device = SyncData.NewId("huge");

        var response = await client.PostPart(SyncData.Part(SyncData.NewId(device), device, 1, 1, SyncData.Records(50)));

        Assert.Equal(HttpStatusCode.RequestEntityTooLarge, response.StatusCode);
        Assert.Equal("Request body larger than 2048 bytes", (await response.Json()).GetProperty("message").GetString());
    }

    [Fact]
    public async Task ChunkedBodyOverTheLimit_413WhileReading()
    {
        using var small = new BatchSyncApp(new() { ["BatchSync:Limits:MaxRequestBodyBytes"] = "4096" });
        small.UseKestrel(0); // real HTTP: the body goes chunked, with no Content-Length to check up front
        small.StartServer();
        using var content = new UnsizedContent(Encoding.UTF8.GetBytes("{\"records\":[" + string.Join(',', Enumerable.Repeat("{\"a\":1}", 5000)) + "]}"));

        var response = await small.ClientWith(BatchSyncApp.DeviceToken).PostAsync("/batch-sync.php", content);

        Assert.Equal(HttpStatusCode.RequestEntityTooLarge, response.StatusCode);
    }

    [Fact]
    public async Task RecordWithHugeUnknownField_400NamingTheRecord()
    {
        var device = SyncData.NewId("bloat");
        var record = SyncData.Location(SyncData.Start);
        record["blob"] = new string('x', 20_000);

        var response = await _client.PostPart(SyncData.Part(SyncData.NewId(device), device, 1, 1, [record]));

        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        Assert.Equal(["must not exceed 16384 bytes of JSON"], (await response.Json()).GetProperty("errors").GetProperty("records[0].record").Deserialize<string[]>()!);
    }

    [Theory]
    [InlineData("..%2F..%2Fetc%2Fpasswd")]
    [InlineData("%2E%2E")]
    [InlineData("x' OR '1'='1")]
    public async Task HostileSyncIdInTheResumeQuery_404AndNothingElse(string syncId)
    {
        var response = await _client.GetAsync($"/api/v1/sync-sessions/{syncId}");

        Assert.Equal(HttpStatusCode.NotFound, response.StatusCode);
        Assert.Equal("error", (await response.Json()).GetProperty("status").GetString());
    }

    [Fact]
    public async Task UnknownRoute_404InTheEnvelope()
    {
        var response = await _client.GetAsync("/no/such/thing");

        Assert.Equal(HttpStatusCode.NotFound, response.StatusCode);
        Assert.Equal("error", (await response.Json()).GetProperty("status").GetString());
    }

    [Fact]
    public async Task WrongMethod_405InTheEnvelope()
    {
        var response = await _client.GetAsync("/batch-sync.php");

        Assert.Equal(HttpStatusCode.MethodNotAllowed, response.StatusCode);
        Assert.Equal("error", (await response.Json()).GetProperty("status").GetString());
    }

    [Fact]
    public async Task StoreFailure_500RetryableWithoutInternals()
    {
        var failing = new Mock<ISyncUnitOfWork>();
        failing.Setup(q => q.ExecuteAsync(
                It.IsAny<string>(),
                It.IsAny<Func<ISyncTransaction, CancellationToken, ValueTask<It.IsAnyType>>>(),
                It.IsAny<CancellationToken>()))
            .Throws(new InvalidOperationException("secret internal detail"));
        using var broken = new BatchSyncApp([], services => services.AddSingleton(failing.Object));
        var device = SyncData.NewId("broken");

        var response = await broken.ClientWith(BatchSyncApp.DeviceToken).PostPart(SyncData.Part(SyncData.NewId(device), device, 1, 1, SyncData.Records(2)));

        Assert.Equal(HttpStatusCode.InternalServerError, response.StatusCode);
        var text = await response.Content.ReadAsStringAsync();
        Assert.DoesNotContain("secret", text, StringComparison.Ordinal);
        Assert.DoesNotContain("   at ", text, StringComparison.Ordinal);
        var json = JsonDocument.Parse(text).RootElement;
        Assert.True(json.GetProperty("retryable").GetBoolean());
        Assert.Equal(response.Headers.GetValues("X-Request-Id").Single(), json.GetProperty("request_id").GetString());
    }

    [Fact]
    public async Task RequestId_HeaderMatchesBody_AndAPlainCallerIdIsKept()
    {
        var generated = await _client.GetAsync("/api/v1/sync-sessions/none_1");
        Assert.Equal(generated.Headers.GetValues("X-Request-Id").Single(), (await generated.Json()).GetProperty("request_id").GetString());

        using var request = new HttpRequestMessage(HttpMethod.Get, "/api/v1/sync-sessions/none_1");
        request.Headers.Add("X-Request-Id", "client-42");
        var kept = await _client.SendAsync(request);
        Assert.Equal("client-42", (await kept.Json()).GetProperty("request_id").GetString());

        using var hostile = new HttpRequestMessage(HttpMethod.Get, "/api/v1/sync-sessions/none_1");
        hostile.Headers.TryAddWithoutValidation("X-Request-Id", "<script>");
        var replaced = await _client.SendAsync(hostile);
        Assert.NotEqual("<script>", replaced.Headers.GetValues("X-Request-Id").Single());
    }
}

/// <summary>A body sent without Content-Length, so the server only learns its size by reading it.</summary>
internal sealed class UnsizedContent : HttpContent
{
    private readonly byte[] _body;

    public UnsizedContent(byte[] body)
    {
        _body = body;
        Headers.ContentType = new("application/json");
    }

    protected override Task SerializeToStreamAsync(Stream stream, System.Net.TransportContext? context) => stream.WriteAsync(_body).AsTask();

    protected override bool TryComputeLength(out long length)
    {
        length = 0;
        return false;
    }
}
