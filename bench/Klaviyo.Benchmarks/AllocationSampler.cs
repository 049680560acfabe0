using System.Collections.Concurrent;
using System.Diagnostics.Tracing;

namespace Klaviyo.Benchmarks;

/// <summary>
/// Samples allocations by type in this process through the runtime's <c>GCAllocationTick</c> event (one event about
/// every 100 KB allocated, naming the type of the object that crossed the mark). Over many requests the shares per
/// type approximate where the bytes go, with no profiler attached.
/// </summary>
public sealed class AllocationSampler : EventListener
{
    private const EventKeywords GcKeyword = (EventKeywords)0x1;
    private readonly ConcurrentDictionary<string, long> _bytes = new();
    private volatile bool _recording;

    protected override void OnEventSourceCreated(EventSource source)
    {
        if (source.Name == "Microsoft-Windows-DotNETRuntime")
            EnableEvents(source, EventLevel.Verbose, GcKeyword);
    }

    protected override void OnEventWritten(EventWrittenEventArgs e)
    {
        if (!_recording || e.EventName is null || !e.EventName.StartsWith("GCAllocationTick"))
            return;
        var names = e.PayloadNames!;
        var type = e.Payload![names.IndexOf("TypeName")] as string ?? "?";
        var amountAt = names.IndexOf("AllocationAmount64");
        var amount =
            amountAt >= 0
                ? Convert.ToInt64(e.Payload[amountAt])
                : Convert.ToInt64(e.Payload[names.IndexOf("AllocationAmount")]);
        _bytes.AddOrUpdate(type, amount, (_, sum) => sum + amount);
    }

    /// <summary>Samples while <paramref name="run"/> runs, then returns the bytes attributed to each type.</summary>
    public async Task<IReadOnlyList<(string Type, long Bytes)>> SampleAsync(Func<Task> run)
    {
        _bytes.Clear();
        _recording = true;
        await run();
        // Events arrive on the listener's thread a little later.
        await Task.Delay(1500);
        _recording = false;
        return _bytes.OrderByDescending(p => p.Value).Select(p => (p.Key, p.Value)).ToList();
    }
}
