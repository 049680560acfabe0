using System.Collections.Concurrent;

namespace Klaviyo;

/// <summary>
/// A small pool of <see cref="CancellationTokenSource"/>s for per-call timeouts: a source comes back only when
/// <see cref="CancellationTokenSource.TryReset"/> succeeds (its call ended without cancellation, its timer stopped, its
/// registrations dropped), so a pooled source is as good as new; a cancelled one is disposed. Keeps at most
/// <see cref="Capacity"/> sources (one per concurrent call is all that is ever needed).
/// </summary>
internal sealed class TimeoutSources
{
    /// <summary>The most sources kept.</summary>
    public const int Capacity = 256;

    private readonly ConcurrentQueue<CancellationTokenSource> _free = new();
    private int _count;

    /// <summary>A source not cancelled and with no timer running.</summary>
    public CancellationTokenSource Rent()
    {
        if (_free.TryDequeue(out var source))
        {
            Interlocked.Decrement(ref _count);
            return source;
        }
        return new CancellationTokenSource();
    }

    /// <summary>Gives back a source whose call has ended; nothing may use its token afterwards.</summary>
    /// <param name="source">The source.</param>
    public void Return(CancellationTokenSource source)
    {
        if (!source.TryReset())
        {
            source.Dispose();
            return;
        }
        if (Interlocked.Increment(ref _count) <= Capacity)
        {
            _free.Enqueue(source);
            return;
        }
        Interlocked.Decrement(ref _count);
        source.Dispose();
    }
}
