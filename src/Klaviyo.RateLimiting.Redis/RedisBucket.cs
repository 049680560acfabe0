using StackExchange.Redis;

namespace Klaviyo;

/// <summary>
/// One account's quota for one tier in Redis: a sorted set per window and a pause key, all under one hash tag
/// (<c>{account|tier}</c>) so they live in one cluster slot and one script can touch them together. Also the local
/// queue of this process's callers for it, so that one of them at a time talks to Redis.
/// </summary>
internal sealed class RedisBucket
{
    private RedisBucket(
        string name,
        RedisKey[] keys,
        RedisKey[] windowKeys,
        long[] limits,
        long[] holds
    )
    {
        Name = name;
        Keys = keys;
        WindowKeys = windowKeys;
        Limits = limits;
        HoldsMs = holds;
    }

    /// <summary><c>account|tier</c>, for logs (the account part is already a fingerprint or a configured id).</summary>
    public string Name { get; }

    /// <summary>The windows' keys, then the pause key.</summary>
    public RedisKey[] Keys { get; }

    /// <summary>The windows' keys alone.</summary>
    public RedisKey[] WindowKeys { get; }

    /// <summary>Each window's count.</summary>
    public long[] Limits { get; }

    /// <summary>How long each window's permit counts after its exchange, in ms: window × (1 + margin) + clock tolerance.</summary>
    public long[] HoldsMs { get; }

    /// <summary>This process's callers queue here; the one holding it talks to Redis.</summary>
    public SemaphoreSlim Gate { get; } = new(1, 1);

    /// <summary>The bucket for <paramref name="account"/> and <paramref name="tier"/>.</summary>
    public static RedisBucket Create(
        string prefix,
        string account,
        RateLimitTier tier,
        double margin,
        TimeSpan tolerance
    )
    {
        var tierKey = TierKey.Of(tier);
        var name = account + "|" + tierKey;
        var windows = TierKey.Windows(tier);
        var root = prefix + "{" + name + "}:";
        var windowKeys = windows.Select(w => (RedisKey)(root + TierKey.Window(w.Per))).ToArray();
        return new RedisBucket(
            name,
            [.. windowKeys, (RedisKey)(root + "pause")],
            windowKeys,
            windows.Select(w => (long)w.Count).ToArray(),
            windows
                .Select(w =>
                    (long)
                        Math.Ceiling(
                            w.Per.TotalMilliseconds * (1 + margin) + tolerance.TotalMilliseconds
                        )
                )
                .ToArray()
        );
    }

    /// <summary>The arguments of <see cref="RedisScripts.Acquire"/>.</summary>
    public RedisValue[] AcquireArguments(string member, TimeSpan inFlight)
    {
        var args = new RedisValue[2 + 2 * Limits.Length];
        args[0] = member;
        args[1] = (long)Math.Ceiling(inFlight.TotalMilliseconds);
        for (var i = 0; i < Limits.Length; i++)
        {
            args[2 + 2 * i] = Limits[i];
            args[3 + 2 * i] = HoldsMs[i];
        }
        return args;
    }

    /// <summary>The arguments of <see cref="RedisScripts.Release"/>.</summary>
    public RedisValue[] ReleaseArguments(string member, long pauseMs)
    {
        var args = new RedisValue[2 + HoldsMs.Length];
        args[0] = member;
        args[1] = pauseMs;
        for (var i = 0; i < HoldsMs.Length; i++)
            args[2 + i] = HoldsMs[i];
        return args;
    }
}
