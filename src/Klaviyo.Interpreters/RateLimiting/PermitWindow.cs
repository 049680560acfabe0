using System.Threading.RateLimiting;

namespace Klaviyo;

/// <summary>
/// One rate-limit window of an operation (per second, per minute, per day) in <see cref="CatalogRateLimiter"/>: a
/// <see cref="ConcurrencyLimiter"/> of the window's count, and the permits given back to it <see cref="Hold"/> after
/// their exchanges ended. Those wait in one queue in the order they were handed in — every one is held as long, so
/// that is also the order they fall due — under one timer armed for the earliest, rather than a timer each: at
/// thousands of requests a second, a minute's hold was tens of thousands of pending timers, costing CPU and
/// memory on every request.
/// </summary>
internal sealed class PermitWindow : IDisposable
{
    private readonly TimeProvider _clock;
    private readonly long _holdTimestamps;
    private readonly Queue<(long Due, RateLimitLease Lease)> _waiting = new();
    private readonly ITimer _timer;
    private bool _disposed;

    /// <summary>Creates a window.</summary>
    /// <param name="limiter">The window's permits.</param>
    /// <param name="hold">How long a permit is held after its exchange.</param>
    /// <param name="clock">The clock the hold is measured on (its timestamps and timers).</param>
    public PermitWindow(ConcurrencyLimiter limiter, TimeSpan hold, TimeProvider clock)
    {
        Limiter = limiter;
        Hold = hold < TimeSpan.Zero ? TimeSpan.Zero : hold;
        _clock = clock;
        // Rounded up: a permit never comes back before its hold is over.
        _holdTimestamps = (long)
            Math.Ceiling(Hold.Ticks * (double)clock.TimestampFrequency / TimeSpan.TicksPerSecond);
        // The timer outlives the request that made the window: it must not keep that request's context alive.
        var suppress = !ExecutionContext.IsFlowSuppressed();
        var flow = suppress ? ExecutionContext.SuppressFlow() : default;
        try
        {
            _timer = clock.CreateTimer(
                static state => ((PermitWindow)state!).GiveBackDue(),
                this,
                Timeout.InfiniteTimeSpan,
                Timeout.InfiniteTimeSpan
            );
        }
        finally
        {
            if (suppress)
                flow.Undo();
        }
    }

    /// <summary>The window's permits.</summary>
    public ConcurrencyLimiter Limiter { get; }

    /// <summary>How long a permit is held after its exchange ends.</summary>
    public TimeSpan Hold { get; }

    /// <summary>Gives <paramref name="lease"/> back <see cref="Hold"/> from now.</summary>
    /// <param name="lease">A permit taken from <see cref="Limiter"/>.</param>
    public void GiveBackLater(RateLimitLease lease)
    {
        lock (_waiting)
        {
            if (!_disposed)
            {
                _waiting.Enqueue((_clock.GetTimestamp() + _holdTimestamps, lease));
                // The timer is armed whenever permits wait; a later one never falls due before the first.
                if (_waiting.Count == 1)
                    _timer.Change(Hold, Timeout.InfiniteTimeSpan);
                return;
            }
        }
        lease.Dispose();
    }

    // The timer's callback: every permit whose hold is over goes back, and the timer is armed for the next.
    private void GiveBackDue()
    {
        List<RateLimitLease>? due = null;
        lock (_waiting)
        {
            if (_disposed)
                return;
            var now = _clock.GetTimestamp();
            while (_waiting.TryPeek(out var next) && next.Due <= now)
                (due ??= []).Add(_waiting.Dequeue().Lease);
            if (_waiting.TryPeek(out var first))
                _timer.Change(UntilDue(now, first.Due), Timeout.InfiniteTimeSpan);
        }
        // Outside the lock: giving a permit back may hand it to a waiting request.
        if (due is not null)
            foreach (var lease in due)
                lease.Dispose();
    }

    // Rounded up to whole milliseconds (the system timer's resolution), so the timer does not fire again early.
    private TimeSpan UntilDue(long now, long due) =>
        TimeSpan.FromMilliseconds(Math.Ceiling(_clock.GetElapsedTime(now, due).TotalMilliseconds));

    /// <summary>Disposes the limiter (waiting requests are refused) and drops the permits still held.</summary>
    public void Dispose()
    {
        RateLimitLease[] dropped;
        lock (_waiting)
        {
            if (_disposed)
                return;
            _disposed = true;
            dropped = [.. _waiting.Select(w => w.Lease)];
            _waiting.Clear();
        }
        _timer.Dispose();
        Limiter.Dispose();
        foreach (var lease in dropped)
            lease.Dispose();
    }
}
