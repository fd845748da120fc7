namespace BatchSync.Cli;

/// <summary>A bad network: requests dropped before they reach the server, answers lost after it acted on them.</summary>
internal sealed class FlakyNetwork(HttpMessageHandler inner, Random random, double drop, double lose) : DelegatingHandler(inner)
{
    private int _dropped;
    private int _lost;

    public int Dropped => _dropped;

    public int Lost => _lost;

    protected override async Task<HttpResponseMessage> SendAsync(HttpRequestMessage request, CancellationToken cancellationToken)
    {
        double roll;
        lock (random)
        {
            roll = random.NextDouble();
        }

        if (roll < drop)
        {
            Interlocked.Increment(ref _dropped);
            throw new HttpRequestException("simulated: the request never left the phone");
        }

        var response = await base.SendAsync(request, cancellationToken);
        if (roll < drop + lose)
        {
            Interlocked.Increment(ref _lost);
            response.Dispose();
            throw new HttpRequestException("simulated: the answer was lost on the way back");
        }

        return response;
    }
}
