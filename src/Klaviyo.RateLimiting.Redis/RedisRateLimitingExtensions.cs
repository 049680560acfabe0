using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;

namespace Klaviyo;

/// <summary>Turns on the Redis-backed shared rate limiter for a client registered with <c>AddKlaviyo</c>.</summary>
public static class RedisRateLimitingExtensions
{
    /// <summary>
    /// Paces every <see cref="KlaviyoClient"/> and <see cref="KlaviyoOptions"/> from the container with one
    /// <see cref="RedisRateLimiter"/> (a singleton) on <paramref name="connectionString"/>, whatever
    /// <c>Klaviyo:RateLimit</c> says.
    /// </summary>
    /// <example><code>
    /// builder.Services
    ///     .AddKlaviyo(builder.Configuration.GetSection("Klaviyo"))
    ///     .UseRedisRateLimiting("redis.internal:6379", redis => redis.OnRedisFailure = RedisFailureMode.FailClosed);
    /// </code></example>
    /// <param name="klaviyo">What <c>AddKlaviyo</c> returned.</param>
    /// <param name="connectionString">The StackExchange.Redis configuration string.</param>
    /// <param name="configure">Further settings.</param>
    public static IHttpClientBuilder UseRedisRateLimiting(
        this IHttpClientBuilder klaviyo,
        string connectionString,
        Action<RedisRateLimitingSettings>? configure = null
    )
    {
        ArgumentNullException.ThrowIfNull(connectionString);
        return klaviyo.UseRedisRateLimiting(s =>
        {
            s.ConnectionString = connectionString;
            configure?.Invoke(s);
        });
    }

    /// <summary>
    /// As the other overload, with settings bound from <paramref name="configuration"/>
    /// (e.g. <c>builder.Configuration.GetSection("Klaviyo:Redis")</c>, holding <c>ConnectionString</c>,
    /// <c>KeyPrefix</c>, <c>AccountId</c>, <c>Margin</c>, <c>OnRedisFailure</c>, <c>RedisTimeoutMilliseconds</c>,
    /// <c>RetryRedisAfterSeconds</c>).
    /// </summary>
    /// <param name="klaviyo">What <c>AddKlaviyo</c> returned.</param>
    /// <param name="configuration">The configuration section holding <see cref="RedisRateLimitingSettings"/>.</param>
    public static IHttpClientBuilder UseRedisRateLimiting(
        this IHttpClientBuilder klaviyo,
        IConfiguration configuration
    )
    {
        ArgumentNullException.ThrowIfNull(configuration);
        klaviyo.Services.Configure<RedisRateLimitingSettings>(configuration);
        return klaviyo.UseRedisRateLimiting(_ => { });
    }

    private static IHttpClientBuilder UseRedisRateLimiting(
        this IHttpClientBuilder klaviyo,
        Action<RedisRateLimitingSettings> configure
    )
    {
        var services = klaviyo.Services;
        services.AddOptions<RedisRateLimitingSettings>().Configure(configure);
        services.AddSingleton(sp =>
        {
            var settings = sp.GetRequiredService<IOptions<RedisRateLimitingSettings>>().Value;
            if (string.IsNullOrWhiteSpace(settings.ConnectionString))
                throw new InvalidOperationException(
                    "UseRedisRateLimiting: the Redis connection string is not set (Klaviyo:Redis:ConnectionString)"
                );
            return new RedisRateLimiter(
                settings.ConnectionString,
                settings.ToOptions(),
                sp.GetService<ILoggerFactory>()?.CreateLogger("Klaviyo.RateLimiting.Redis")
            );
        });
        // Wrap the KlaviyoOptions registration of AddKlaviyo: same options, our limiter.
        var registered = services.LastOrDefault(d =>
            d.ServiceType == typeof(KlaviyoOptions) && d.ImplementationFactory is not null
        );
        if (registered is null)
            throw new InvalidOperationException(
                "UseRedisRateLimiting: call it on what AddKlaviyo returned (no KlaviyoOptions registration found)"
            );
        var inner = registered.ImplementationFactory!;
        services.Remove(registered);
        services.Add(
            new ServiceDescriptor(
                typeof(KlaviyoOptions),
                sp =>
                {
                    var options = (KlaviyoOptions)inner(sp);
                    return options with
                    {
                        ClientOptions = options.ClientOptions with
                        {
                            RateLimiter = sp.GetRequiredService<RedisRateLimiter>(),
                        },
                    };
                },
                registered.Lifetime
            )
        );
        return klaviyo;
    }
}
