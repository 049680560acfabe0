namespace Klaviyo;

/// <summary>
/// Settings of the shared rate limiter as they come from configuration (e.g. the <c>Klaviyo:Redis</c> section, or
/// environment variables like <c>Klaviyo__Redis__ConnectionString</c>); see <see cref="RedisRateLimiterOptions"/>
/// for what each one means.
/// </summary>
public sealed class RedisRateLimitingSettings
{
    /// <summary>The StackExchange.Redis configuration string, e.g. <c>localhost:6379</c>. Never printed.</summary>
    public string? ConnectionString { get; set; }

    /// <summary>The start of every key; <c>klaviyo:rl:</c> by default.</summary>
    public string KeyPrefix { get; set; } = RedisRateLimiterOptions.Default.KeyPrefix;

    /// <summary>Names the account in keys instead of the credential's hash (e.g. the company id).</summary>
    public string? AccountId { get; set; }

    /// <summary>How much longer than its window a permit counts after its exchange, as a fraction; 0.01 by default.</summary>
    public double Margin { get; set; } = RedisRateLimiterOptions.Default.Margin;

    /// <summary><c>FallBack</c> (default) or <c>FailClosed</c>.</summary>
    public RedisFailureMode OnRedisFailure { get; set; } =
        RedisRateLimiterOptions.Default.OnRedisFailure;

    /// <summary>The longest one Redis call may take, in milliseconds; 1000 by default.</summary>
    public double RedisTimeoutMilliseconds { get; set; } =
        RedisRateLimiterOptions.Default.RedisTimeout.TotalMilliseconds;

    /// <summary>How long to stay in the fault mode after a failed call before trying Redis again, in seconds; 5 by default.</summary>
    public double RetryRedisAfterSeconds { get; set; } =
        RedisRateLimiterOptions.Default.RetryRedisAfter.TotalSeconds;

    /// <summary>The limiter options these settings describe.</summary>
    public RedisRateLimiterOptions ToOptions() =>
        RedisRateLimiterOptions.Default with
        {
            KeyPrefix = KeyPrefix,
            AccountId = string.IsNullOrEmpty(AccountId) ? null : AccountId,
            Margin = Margin,
            OnRedisFailure = OnRedisFailure,
            RedisTimeout = TimeSpan.FromMilliseconds(RedisTimeoutMilliseconds),
            RetryRedisAfter = TimeSpan.FromSeconds(RetryRedisAfterSeconds),
        };

    /// <summary>The settings, with the connection string masked (it may hold a password).</summary>
    public override string ToString() =>
        $"RedisRateLimitingSettings {{ ConnectionString = {(ConnectionString is null ? "null" : Secret.Mask)}, KeyPrefix = {KeyPrefix}, Margin = {Margin}, OnRedisFailure = {OnRedisFailure} }}";
}
