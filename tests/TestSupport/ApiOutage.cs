using System.Collections.Concurrent;

namespace Nio.TestSupport;

/// <summary>
/// Stands between a service and the Api and makes the Api stop answering for a while, as a stalled Api does: a request
/// made during the outage gets no answer; when the outage ends it reaches the Api if its sender still waits for it,
/// and is dropped if the sender gave up.
/// </summary>
public sealed class ApiOutage
{
    private readonly Lock gate = new();
    private readonly ConcurrentDictionary<string, int> answered = new();
    private TaskCompletionSource over = Over();

    public void Begin()
    {
        lock (gate)
        {
            if (over.Task.IsCompleted)
            {
                over = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
            }
        }
    }

    public void End()
    {
        lock (gate)
        {
            over.TrySetResult();
        }
    }

    /// <summary>How many requests to this path have reached the Api.</summary>
    public int Answered(string path) => answered.GetValueOrDefault(path);

    /// <summary>A handler that sends to <paramref name="api"/> through this outage.</summary>
    public HttpMessageHandler InFrontOf(HttpMessageHandler api) => new Gate(this, api);

    private static TaskCompletionSource Over()
    {
        var source = new TaskCompletionSource();
        source.SetResult();
        return source;
    }

    private Task WaitUntilOverAsync(CancellationToken cancellationToken)
    {
        lock (gate)
        {
            return over.Task.WaitAsync(cancellationToken);
        }
    }

    private sealed class Gate(ApiOutage outage, HttpMessageHandler api) : DelegatingHandler(api)
    {
        protected override async Task<HttpResponseMessage> SendAsync(HttpRequestMessage request, CancellationToken cancellationToken)
        {
            await outage.WaitUntilOverAsync(cancellationToken);
            outage.answered.AddOrUpdate(request.RequestUri!.AbsolutePath, 1, (_, count) => count + 1);
            return await base.SendAsync(request, cancellationToken);
        }
    }
}
