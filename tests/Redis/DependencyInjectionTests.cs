using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Xunit;

namespace Klaviyo.Tests.Redis;

public class DependencyInjectionTests
{
    [Fact]
    public async Task UseRedisRateLimiting_puts_one_shared_limiter_in_every_KlaviyoOptions()
    {
        var services = new ServiceCollection().AddLogging();
        services
            .AddKlaviyo(k => k.ApiKey = "pk_di_test")
            .UseRedisRateLimiting(
                $"127.0.0.1:{RedisUnderTest.FreePort()}",
                r => r.KeyPrefix = "di:"
            );
        await using var provider = services.BuildServiceProvider();

        var first = provider.GetRequiredService<KlaviyoOptions>().ClientOptions.RateLimiter;
        var second = provider.GetRequiredService<KlaviyoOptions>().ClientOptions.RateLimiter;

        Assert.IsType<RedisRateLimiter>(first);
        Assert.Same(first, second);
    }

    [Fact]
    public async Task The_settings_come_from_configuration()
    {
        await using var server = await TieredRateLimitedServer.StartAsync(
            new RateLimitTier(null, new Rate(100, TimeSpan.FromMinutes(1)), null)
        );
        var configuration = new ConfigurationBuilder()
            .AddInMemoryCollection(
                new Dictionary<string, string?>
                {
                    ["Klaviyo:ApiKey"] = "pk_di_test",
                    ["Klaviyo:Protocol"] = "http",
                    ["Klaviyo:Host"] = "127.0.0.1",
                    ["Klaviyo:Port"] = server.Server.Port.ToString(),
                    ["Klaviyo:Redis:ConnectionString"] = $"127.0.0.1:{RedisUnderTest.FreePort()}",
                    ["Klaviyo:Redis:OnRedisFailure"] = "FailClosed",
                    ["Klaviyo:Redis:RedisTimeoutMilliseconds"] = "200",
                    ["Klaviyo:Redis:Margin"] = "0.1",
                }
            )
            .Build();
        var services = new ServiceCollection().AddLogging();
        services
            .AddKlaviyo(configuration.GetSection("Klaviyo"))
            .UseRedisRateLimiting(configuration.GetSection("Klaviyo:Redis"));
        await using var provider = services.BuildServiceProvider();
        var options = provider.GetRequiredService<KlaviyoOptions>();

        var result = await Workers.GetProfiles.SendAsync(options);

        // Redis is not there and the configuration says fail closed: nothing is sent.
        Assert.IsType<KlaviyoError.Transport>(Workers.ErrorOf(result));
        Assert.Empty(server.Server.Received);
    }

    [Fact]
    public void The_settings_never_print_the_connection_string()
    {
        var settings = new RedisRateLimitingSettings
        {
            ConnectionString = "redis:6379,password=s3cret",
        };

        Assert.DoesNotContain("s3cret", settings.ToString());
        Assert.Equal(RedisFailureMode.FallBack, settings.ToOptions().OnRedisFailure);
    }
}
