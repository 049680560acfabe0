namespace Klaviyo;

/// <summary>
/// The Lua scripts that keep a bucket on the Redis server, each run atomically there. A bucket is one sorted set per
/// window (burst, steady, daily) plus a pause key; a member is one permit, scored with the time (server clock, ms)
/// at which it stops counting. Every script reads the time with <c>TIME</c> on the server, so workers on machines
/// with different clocks agree (Redis 5 or newer, or Garnet with Lua on, runs scripts by effects).
/// </summary>
internal static class RedisScripts
{
    /// <summary>
    /// Takes one permit from every window, or takes none and answers how long to wait.
    /// KEYS: the windows' sorted sets, then the pause key. ARGV: member, in-flight bound (ms), then per window its
    /// limit and its hold (ms). A new permit counts until in-flight bound + hold from now, so a worker that dies
    /// mid-request still frees it; the release re-scores it to release time + hold.
    /// Returns <c>{1, now}</c> when granted, <c>{0, wait ms}</c> when not: the pause's remaining time, or the
    /// earliest moment a full window can have room (a permit still in flight counts for at least one hold more).
    /// </summary>
    public const string Acquire = """
        local t = redis.call('TIME')
        local now = tonumber(t[1]) * 1000 + math.floor(tonumber(t[2]) / 1000)
        local n = #KEYS - 1
        local paused = redis.call('PTTL', KEYS[n + 1])
        if paused > 0 then
          return {0, paused}
        end
        local wait = 0
        for i = 1, n do
          local limit = tonumber(ARGV[2 * i + 1])
          local hold = tonumber(ARGV[2 * i + 2])
          redis.call('ZREMRANGEBYSCORE', KEYS[i], '-inf', now)
          local count = redis.call('ZCARD', KEYS[i])
          if count >= limit then
            local nth = redis.call('ZRANGE', KEYS[i], count - limit, count - limit, 'WITHSCORES')
            local w = math.min(tonumber(nth[2]) - now, hold)
            if w > wait then
              wait = w
            end
          end
        end
        if wait > 0 then
          return {0, math.ceil(wait)}
        end
        local inflight = tonumber(ARGV[2])
        for i = 1, n do
          local ttl = inflight + tonumber(ARGV[2 * i + 2])
          redis.call('ZADD', KEYS[i], now + ttl, ARGV[1])
          if redis.call('PTTL', KEYS[i]) < ttl then
            redis.call('PEXPIRE', KEYS[i], ttl)
          end
        end
        return {1, now}
        """;

    /// <summary>
    /// Gives a permit back: it keeps counting until one hold after now (the exchange's end). With a pause above
    /// zero (a 429's <c>Retry-After</c>), pauses the bucket that long unless it is already paused longer.
    /// KEYS: as <see cref="Acquire"/>. ARGV: member, pause (ms), then per window its hold (ms).
    /// </summary>
    public const string Release = """
        local t = redis.call('TIME')
        local now = tonumber(t[1]) * 1000 + math.floor(tonumber(t[2]) / 1000)
        local n = #KEYS - 1
        for i = 1, n do
          local hold = tonumber(ARGV[2 + i])
          redis.call('ZADD', KEYS[i], now + hold, ARGV[1])
          if redis.call('PTTL', KEYS[i]) < hold then
            redis.call('PEXPIRE', KEYS[i], hold)
          end
        end
        local pause = tonumber(ARGV[2])
        if pause > 0 and redis.call('PTTL', KEYS[n + 1]) < pause then
          redis.call('SET', KEYS[n + 1], now + pause, 'PX', pause)
        end
        return now
        """;

    /// <summary>
    /// Forgets a permit whose request was never sent (its caller cancelled while the grant was on its way).
    /// KEYS: the windows' sorted sets. ARGV: member.
    /// </summary>
    public const string Forget = """
        for i = 1, #KEYS do
          redis.call('ZREM', KEYS[i], ARGV[1])
        end
        return 0
        """;
}
