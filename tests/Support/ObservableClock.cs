using System.Threading.Channels;
using Microsoft.Extensions.Time.Testing;

namespace Klaviyo.Tests;

/// <summary>
/// A fake clock whose waits can be observed: every timer created (e.g. by Task.Delay) is announced with its due
/// time, so a test can advance the clock by exactly that much. Time never moves on its own.
/// </summary>
public sealed class ObservableClock : TimeProvider
{
    private readonly FakeTimeProvider _fake;
    private readonly Channel<TimeSpan> _timers = Channel.CreateUnbounded<TimeSpan>();
    private readonly List<TimeSpan> _waits = [];

    public ObservableClock(DateTimeOffset? start = null) =>
        _fake = new FakeTimeProvider(
            start ?? new DateTimeOffset(2024, 5, 1, 12, 0, 0, TimeSpan.Zero)
        );

    /// <summary>Every timer's due time, in creation order.</summary>
    public IReadOnlyList<TimeSpan> Waits
    {
        get
        {
            lock (_waits)
                return _waits.ToArray();
        }
    }

    public override DateTimeOffset GetUtcNow() => _fake.GetUtcNow();

    public override long GetTimestamp() => _fake.GetTimestamp();

    public override long TimestampFrequency => _fake.TimestampFrequency;

    public override TimeZoneInfo LocalTimeZone => TimeZoneInfo.Utc;

    public override ITimer CreateTimer(
        TimerCallback callback,
        object? state,
        TimeSpan dueTime,
        TimeSpan period
    )
    {
        var timer = _fake.CreateTimer(callback, state, dueTime, period);
        lock (_waits)
            _waits.Add(dueTime);
        _timers.Writer.TryWrite(dueTime);
        return timer;
    }

    public void Advance(TimeSpan by) => _fake.Advance(by);

    /// <summary>
    /// Awaits <paramref name="work"/>, advancing the clock by each wait it starts, so retries happen at once in
    /// real time and exactly on schedule in fake time. Fails rather than hangs after <paramref name="timeout"/>.
    /// </summary>
    public async Task<T> DriveAsync<T>(Task<T> work, TimeSpan? timeout = null)
    {
        using var stop = new CancellationTokenSource(timeout ?? TimeSpan.FromMinutes(1));
        var deadline = Task.Delay(Timeout.InfiniteTimeSpan, stop.Token);
        var nextTimer = _timers.Reader.ReadAsync(stop.Token).AsTask();
        try
        {
            await Loop().ConfigureAwait(false);
        }
        finally
        {
            // Cancel the pending read, so it cannot swallow the next test's first timer.
            stop.Cancel();
        }
        return await work.ConfigureAwait(false);

        async Task Loop()
        {
            while (!work.IsCompleted)
            {
                var done = await Task.WhenAny(work, nextTimer, deadline).ConfigureAwait(false);
                if (done == deadline)
                    throw new TimeoutException("the operation neither finished nor started a wait");
                if (done == nextTimer)
                {
                    Advance(await nextTimer.ConfigureAwait(false));
                    nextTimer = _timers.Reader.ReadAsync(stop.Token).AsTask();
                }
            }
        }
    }

    /// <summary>Waits (in real time, bounded) until a timer is started and returns its due time.</summary>
    public async Task<TimeSpan> NextTimerAsync(TimeSpan? timeout = null)
    {
        using var stop = new CancellationTokenSource(timeout ?? TimeSpan.FromMinutes(1));
        return await _timers.Reader.ReadAsync(stop.Token).ConfigureAwait(false);
    }
}
